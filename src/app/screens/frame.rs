//! What every screen shares: the header, the announcements banner, the
//! navigation bar, and the pieces several pages use (section titles,
//! pictures with their placeholder, QR codes).

use bevy::prelude::*;

use super::Cx;
use super::fit::{FitList, MoreLine};
use crate::app::pictures::logo_url;
use crate::app::theme::size;
use crate::app::touch::{Style, button};
use portalavoro_core::content::{Feed, Level, Origin, Page as ListPage};
use portalavoro_core::session::{Intent, List, Page};
use portalavoro_core::speech::Voice;

/// What the current page is called.
fn page_title(cx: &Cx) -> String {
    match cx.session.page {
        Page::Home => cx.t("home_welcome"),
        Page::Vacancies | Page::Vacancy(_) => cx.t("title_vacancies"),
        Page::News | Page::NewsItem(_) => cx.t("title_news"),
        Page::Rooms => cx.t("title_rooms"),
        Page::Services | Page::Service(_) => cx.t("title_services"),
        Page::Accessibility => cx.t("title_access"),
    }
}

/// The site's logo and name, the page's title, the clock and the date.
/// With large text the header keeps to one row (a smaller mark, the name
/// and the clock) and gives the page the room: the page's title and the
/// date wait for normal text.
pub fn header(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let chrome = cx.theme.chrome();
    let theme = &chrome;
    let p = theme.palette;
    let title = page_title(cx);
    // Typing in landscape, the keyboard needs the height. (In reach mode
    // the page's title is said large in the top half: `reach_title`.)
    let compact = cx.theme.text_scale > 1.0 || typing_in_landscape(cx);
    let logo_side = if compact { 7.0 } else { 10.0 };
    let logo = cx.config.site.logo.as_ref().map(|path| {
        let side = cx.px(logo_side);
        cx.pictures.get(&logo_url(path), side, side)
    });
    ui.spawn((
        Node {
            flex_direction: theme.row(),
            // A long name in a narrow window: the clock goes under it.
            flex_wrap: if compact {
                FlexWrap::NoWrap
            } else {
                FlexWrap::Wrap
            },
            justify_content: JustifyContent::FlexEnd,
            align_items: AlignItems::Center,
            column_gap: Val::VMin(size::GAP),
            row_gap: Val::VMin(size::GAP / 2.0),
            padding: UiRect::axes(Val::VMin(size::GAP * 1.5), Val::VMin(size::GAP)),
            ..default()
        },
        BackgroundColor(p.surface),
    ))
    .with_children(|bar| {
        let square = Node {
            width: Val::VMin(logo_side),
            height: Val::VMin(logo_side),
            flex_shrink: 0.0,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS * 1.5)),
            ..default()
        };
        match logo {
            Some(Some(handle)) => {
                bar.spawn((square, ImageNode::new(handle)));
            }
            // The configured logo is on its way, or broken: a plain square.
            Some(None) => {
                bar.spawn((square, BackgroundColor(p.placeholder)));
            }
            // No logo configured: the kiosk's own mark.
            None => {
                bar.spawn((square, BackgroundColor(p.accent)))
                    .with_children(|mark| {
                        // A mark, not text to read: it keeps its square.
                        let side = logo_side * 0.6;
                        mark.spawn(theme.strong("P", side, p.on_accent))
                            .insert(TextFont {
                                font: theme.fonts.bold.clone().into(),
                                font_size: bevy::text::FontSize::VMin(side),
                                ..default()
                            });
                    });
            }
        }
        bar.spawn(Node {
            flex_direction: FlexDirection::Column,
            flex_grow: 1.0,
            flex_shrink: 1.0,
            flex_basis: Val::VMin(50.0),
            min_width: Val::Px(0.0),
            ..default()
        })
        .with_children(|names| {
            names.spawn(theme.strong(cx.config.site.name.clone(), size::HEADING, p.text));
            if !compact {
                names.spawn(theme.text(title, size::BODY, p.text_muted));
            }
        });
        bar.spawn(Node {
            flex_direction: FlexDirection::Column,
            align_items: if theme.rtl {
                AlignItems::FlexStart
            } else {
                AlignItems::FlexEnd
            },
            flex_shrink: 0.0,
            ..default()
        })
        .with_children(|clock| {
            clock.spawn(theme.strong(cx.time(cx.now), size::TITLE, p.accent));
            if !compact {
                clock.spawn(theme.text_at(
                    cx.long_date(cx.now),
                    size::SMALL,
                    p.text_muted,
                    theme.end(),
                ));
            }
        });
    });
}

/// Whether the on-screen keyboard is up in a landscape window: the frame
/// then gives the keys and the first results the height.
fn typing_in_landscape(cx: &Cx) -> bool {
    cx.landscape && cx.session.keyboard && cx.session.page == Page::Vacancies
}

/// Active info announcements, and urgent ones this visitor closed (they
/// stay visible, in a smaller form, while they are active). The banner is
/// part of the frame: its text grows no more than the header's, and it
/// takes at most [`banner_room`]; notices that do not fit whole there are
/// counted on a last line, "+2 altri avvisi" (an urgent one still takes
/// over the screen when it arrives).
pub fn banner(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let chrome = cx.theme.chrome();
    let theme = &chrome;
    let p = theme.palette;
    let shown: Vec<_> = cx
        .catalog
        .active_announcements(&cx.config.kiosk_id, cx.now)
        .into_iter()
        .filter(|a| a.level == Level::Info || cx.session.dismissed.contains(&a.id))
        .collect();
    // (Back once the visitor is done typing.)
    if shown.is_empty() || typing_in_landscape(cx) {
        return;
    }
    let total = shown.len();
    ui.spawn(Node {
        flex_direction: FlexDirection::Column,
        flex_shrink: 0.0,
        max_height: Val::VMin(banner_room(cx)),
        overflow: Overflow::clip(),
        ..default()
    })
    .with_children(|banner| {
        let mut rows = banner.spawn(Node {
            flex_direction: FlexDirection::Column,
            flex_shrink: 1.0,
            min_height: Val::Px(0.0),
            overflow: Overflow::clip(),
            ..default()
        });
        // No more rows than could ever show (a hub may send hundreds).
        rows.with_children(|rows| {
            for announcement in shown.into_iter().take(BANNER_MOST) {
                let urgent = announcement.level == Level::Urgent;
                let (background, color) = if urgent {
                    (p.urgent, p.text)
                } else {
                    (p.accent, p.on_accent)
                };
                let level = cx.t(if urgent { "level_urgent" } else { "level_info" });
                rows.spawn((
                    Node {
                        flex_direction: theme.row(),
                        flex_shrink: 0.0,
                        align_items: AlignItems::FlexStart,
                        column_gap: Val::VMin(size::GAP),
                        padding: UiRect::axes(
                            Val::VMin(size::GAP * 1.5),
                            Val::VMin(size::GAP / 2.0),
                        ),
                        ..default()
                    },
                    BackgroundColor(background),
                ))
                .with_children(|row| {
                    row.spawn((
                        theme.strong(level.to_uppercase(), size::SMALL, color),
                        Node {
                            flex_shrink: 0.0,
                            ..default()
                        },
                    ));
                    row.spawn((
                        theme.strong(cx.text(&announcement.text), size::BODY, color),
                        Node {
                            flex_grow: 1.0,
                            flex_basis: Val::Px(0.0),
                            ..default()
                        },
                    ));
                });
            }
        });
        let rows = rows.id();
        // Not laid out while every notice fits.
        let more = banner
            .spawn((
                theme.strong_at("", size::SMALL, p.on_accent, theme.end()),
                Node {
                    flex_shrink: 0.0,
                    display: Display::None,
                    padding: UiRect::axes(Val::VMin(size::GAP * 1.5), Val::VMin(size::GAP / 4.0)),
                    ..default()
                },
                BackgroundColor(p.accent),
            ))
            .id();
        banner.commands().entity(rows).insert(FitList {
            total,
            more: Some(MoreLine {
                entity: more,
                one: cx.t("more_announcements_one"),
                many: cx.t("more_announcements"),
            }),
        });
    });
}

/// The most notices the banner spawns.
const BANNER_MOST: usize = 6;

/// The banner's greatest height, in vmin: a fifth of a portrait screen's
/// width (room for a notice at any text size); less in landscape, where
/// the height is short, and less still there with large text.
fn banner_room(cx: &Cx) -> f32 {
    match (cx.landscape, cx.theme.text_scale > 1.0) {
        (false, _) => 20.0,
        (true, false) => 12.0,
        (true, true) => 9.0,
    }
}

/// Back, Home and Accessibility, always at the bottom in the same place
/// (within reach of a seated visitor), "Stop the voice" while reading
/// aloud, and where the content comes from.
pub fn nav_bar(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    ui.spawn((
        Node {
            flex_direction: FlexDirection::Column,
            row_gap: Val::VMin(size::GAP / 2.0),
            padding: UiRect::all(Val::VMin(size::GAP)),
            ..default()
        },
        BackgroundColor(p.surface),
    ))
    .with_children(|footer| {
        footer
            .spawn(theme.wrap_row(size::GAP))
            .with_children(|bar| {
                nav_buttons(bar, cx);
                // In landscape, where the content comes from fills the
                // rest of the row (the height is short, the width is not).
                if cx.landscape && !cx.session.access.reach {
                    bar.spawn(Node {
                        flex_grow: 1.0,
                        flex_basis: Val::VMin(40.0),
                        flex_direction: FlexDirection::Column,
                        ..default()
                    })
                    .with_children(|end| source(end, cx));
                }
            });
        // Where the content comes from, on a line of its own (in reach
        // mode at the top: it is read, not touched).
        if !cx.landscape && !cx.session.access.reach {
            source(footer, cx);
        }
    });
}

/// Where the content comes from and how fresh it is, in small type.
pub fn source(ui: &mut ChildSpawnerCommands, cx: &Cx) {
    let chrome = cx.theme.chrome();
    ui.spawn(chrome.text_at(
        source_line(cx),
        size::SMALL,
        chrome.palette.text_muted,
        chrome.end(),
    ));
}

/// The buttons' labels are part of the frame: large text grows them no
/// more than the header (they stay large, and on one row).
fn nav_buttons(bar: &mut ChildSpawnerCommands, cx: &Cx) {
    let chrome = cx.theme.chrome();
    let theme = &chrome;
    let p = theme.palette;
    let at_home = cx.session.page == Page::Home;
    let nav_button = || Node {
        min_width: Val::VMin(22.0),
        min_height: Val::VMin(size::TOUCH_TARGET * 1.3),
        justify_content: JustifyContent::Center,
        align_items: AlignItems::Center,
        padding: UiRect::axes(Val::VMin(size::GAP), Val::VMin(size::GAP / 3.0)),
        border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
        ..default()
    };
    {
        for (key, intent) in [("nav_back", Intent::Back), ("nav_home", Intent::Home)] {
            let label = if key == "nav_back" && theme.rtl {
                // The arrow points the way back, to the right, after the
                // word: an explicit left-to-right mark keeps it there
                // however the text's direction is guessed.
                format!("\u{200E}{} ›", cx.t(key))
            } else if key == "nav_back" {
                format!("‹ {}", cx.t(key))
            } else {
                cx.t(key)
            };
            if at_home {
                // There is nowhere to go back to: shown, but inert.
                bar.spawn((nav_button(), BackgroundColor(p.background)))
                    .with_child(theme.strong(label, size::BODY, p.text_muted));
            } else {
                bar.spawn(button(theme, label, intent, Style::Chosen))
                    .insert(nav_button());
            }
        }
        // Always there, on every screen: a visitor who needs it finds it
        // in the same place.
        let access = if cx.session.page == Page::Accessibility || cx.session.access.any() {
            Style::Chosen
        } else {
            Style::Plain
        };
        bar.spawn(button(
            theme,
            cx.t("nav_access"),
            Intent::Open(Page::Accessibility),
            access,
        ))
        .insert(nav_button())
        .insert(BackgroundColor(match access {
            Style::Chosen => p.accent,
            Style::Plain => p.background,
        }))
        .insert(crate::app::touch::PressColors {
            normal: match access {
                Style::Chosen => p.accent,
                Style::Plain => p.background,
            },
            pressed: p.pressed,
        });
        // (A voice that turned out to be missing has nothing to stop.)
        if cx.session.access.speech && !matches!(cx.voice, Voice::Unavailable(_)) {
            bar.spawn(button(
                theme,
                cx.t("speech_stop"),
                Intent::Access(portalavoro_core::access::Setting::Speech),
                Style::Chosen,
            ))
            .insert(nav_button());
        }
    }
}

/// Where the content on screen comes from, and how fresh it is.
fn source_line(cx: &Cx) -> String {
    let status = cx.catalog.status(Feed::Vacancies);
    if let Some(err) = &status.last_error
        && status.origin != Some(Origin::Demo)
    {
        let at = status
            .fetched_at
            .map(|at| format!("{} {}", cx.short_date(at), cx.time(at)))
            .unwrap_or_default();
        return format!("{} · {at}", cx.f("hub_unreachable", &[("error", err)]));
    }
    match (status.origin, status.fetched_at) {
        (Some(Origin::Demo), _) => cx.t("source_demo"),
        (Some(Origin::Hub), Some(at)) => cx.f("source_hub", &[("time", &cx.time(at))]),
        (Some(Origin::Cache), Some(at)) => cx.f(
            "source_cache",
            &[("date", &cx.short_date(at)), ("time", &cx.time(at))],
        ),
        _ => cx.t("source_waiting"),
    }
}

/// Reach mode: the page's title, large, in the top half that holds
/// nothing to touch (on Home, its prompt: it is read, not touched, and the
/// lower half keeps its room for the tiles).
pub fn reach_title(ui: &mut ChildSpawnerCommands, cx: &Cx) {
    let theme = cx.theme;
    let title = match cx.session.page {
        Page::Home => cx.t("home_prompt"),
        _ => page_title(cx),
    };
    ui.spawn(Node {
        flex_grow: 1.0,
        justify_content: JustifyContent::Center,
        align_items: AlignItems::Center,
        padding: UiRect::all(Val::VMin(size::GAP * 2.0)),
        ..default()
    })
    .with_child(theme.strong_at(
        title,
        size::TITLE,
        theme.palette.text_muted,
        Justify::Center,
    ));
}

/// The small "in another language" tag under a text shown by fallback
/// (nothing when the text is in the visitor's language).
pub fn fallback_tag(
    ui: &mut ChildSpawnerCommands,
    cx: &Cx,
    text: &portalavoro_core::content::Text,
) {
    let Some(note) = cx.fallback_note(text) else {
        return;
    };
    let theme = cx.theme;
    ui.spawn((
        Node {
            align_self: if theme.rtl {
                AlignSelf::FlexEnd
            } else {
                AlignSelf::FlexStart
            },
            padding: UiRect::axes(Val::VMin(size::GAP / 2.0), Val::VMin(size::GAP / 6.0)),
            border: UiRect::all(Val::VMin(0.25)),
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS / 2.0)),
            ..default()
        },
        BorderColor::all(theme.palette.text_muted),
        Pickable::IGNORE,
        children![(
            theme.text(note, size::SMALL, theme.palette.text_muted),
            Pickable::IGNORE
        )],
    ));
}

/// A section title inside a page.
pub fn section(ui: &mut ChildSpawnerCommands, cx: &Cx, text: String) {
    ui.spawn((
        cx.theme.strong(text, size::HEADING, cx.theme.palette.text),
        Node {
            margin: UiRect::top(Val::VMin(size::GAP)),
            ..default()
        },
    ));
}

/// A picture at most `width` × `height` vmin (its proportions kept), or a
/// neutral placeholder of that size while it loads or if it is broken.
pub fn picture(
    ui: &mut ChildSpawnerCommands,
    cx: &mut Cx,
    url: Option<&str>,
    width: f32,
    height: f32,
) {
    let handle = url.and_then(|url| cx.pictures.get(url, cx.px(width), cx.px(height)));
    match handle {
        Some(handle) => {
            ui.spawn((
                ImageNode::new(handle),
                Node {
                    max_width: Val::VMin(width),
                    max_height: Val::VMin(height),
                    flex_shrink: 0.0,
                    border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                    ..default()
                },
            ));
        }
        None => {
            ui.spawn((
                Node {
                    width: Val::VMin(width),
                    height: Val::VMin(height),
                    flex_shrink: 0.0,
                    border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                    ..default()
                },
                BackgroundColor(cx.theme.palette.placeholder),
            ));
        }
    }
}

/// A QR code of `url` with a caption, on white (scanners need the light
/// margin), `side` vmin wide. Nothing when the URL cannot be encoded.
pub fn qr_card(ui: &mut ChildSpawnerCommands, cx: &mut Cx, url: &str, caption: String, side: f32) {
    let Some(handle) = cx.pictures.qr(url, cx.images) else {
        warn!("no QR code for a URL of {} bytes", url.len());
        return;
    };
    let theme = cx.theme;
    ui.spawn((
        Node {
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            row_gap: Val::VMin(size::GAP / 2.0),
            padding: UiRect::all(Val::VMin(size::GAP / 2.0)),
            width: Val::VMin(side + size::GAP),
            flex_shrink: 0.0,
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        },
        BackgroundColor(Color::WHITE),
    ))
    .with_children(|card| {
        card.spawn((
            ImageNode::new(handle),
            Node {
                width: Val::VMin(side),
                height: Val::VMin(side),
                ..default()
            },
        ));
        card.spawn(theme.strong_at(
            caption,
            size::SMALL,
            theme.palette.on_accent,
            Justify::Center,
        ));
    });
}

/// The pager under a list: previous, "page 2 of 5", next.
pub fn pager(ui: &mut ChildSpawnerCommands, cx: &Cx, list: List, page: ListPage) {
    let theme = cx.theme;
    ui.spawn(Node {
        flex_direction: theme.row(),
        justify_content: JustifyContent::SpaceBetween,
        align_items: AlignItems::Center,
        column_gap: Val::VMin(size::GAP),
        margin: UiRect::vertical(Val::VMin(size::GAP)),
        ..default()
    })
    .with_children(|row| {
        let step = |row: &mut ChildSpawnerCommands, label: String, target: Option<usize>| {
            match target {
                Some(index) => {
                    row.spawn(button(
                        theme,
                        label,
                        Intent::ListPage(list, index),
                        Style::Plain,
                    ));
                }
                // Keeps the other controls where they were.
                None => {
                    row.spawn(Node {
                        min_width: Val::VMin(size::TOUCH_TARGET * 1.5),
                        ..default()
                    });
                }
            }
        };
        step(
            row,
            format!("‹ {}", cx.t("page_previous")),
            page.index.checked_sub(1),
        );
        row.spawn(theme.text_at(
            cx.f(
                "page_of",
                &[
                    ("page", &(page.index + 1).to_string()),
                    ("count", &page.count.to_string()),
                ],
            ),
            size::BODY,
            theme.palette.text,
            Justify::Center,
        ));
        step(
            row,
            format!("{} ›", cx.t("page_next")),
            (page.index + 1 < page.count).then_some(page.index + 1),
        );
    });
}

/// A card's text, in a column that takes the width its picture or QR code
/// leaves and may shrink to nothing rather than push them out.
pub fn text_column() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        flex_grow: 1.0,
        flex_shrink: 1.0,
        min_width: Val::Px(0.0),
        row_gap: Val::VMin(size::GAP / 3.0),
        ..default()
    }
}
