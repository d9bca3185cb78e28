//! The attract loop's look: the site's header with the clock on top, the
//! slide in the middle, and "Touch to start" in every offered language at
//! the bottom. Slides speak the kiosk's language, in type read from a few
//! metres away, and show at most what fits: the loop is a glance, the
//! touch screens hold the rest.

use bevy::prelude::*;

use crate::app::screens::Cx;
use crate::app::screens::fit::{FitList, MoreLine};
use crate::app::screens::frame::{header, picture};
use crate::app::screens::rooms;
use crate::app::theme::size;
use portalavoro_core::content::bundled;
use portalavoro_core::content::playlist::Filled;

/// Where slides go: the middle of the attract screen, clipped, so a slide
/// moving in or out never covers the header or the call to action.
#[derive(Component)]
pub struct SlideArea;

/// The call to action's height, in vmin, with one line of other languages.
const CALL_HEIGHT: f32 = 17.0;
/// Each further line of other languages.
const CALL_LINE: f32 = size::SMALL * 1.45 + size::GAP / 2.0;
/// The header's height, in vmin (logo and clock; see `frame::header`).
const HEADER_HEIGHT: f32 = 15.0;
/// A slide's padding, in vmin.
const PAD: f32 = size::GAP * 2.0;
/// The longest title a slide shows before "…".
const TITLE_CHARS: usize = 90;

/// The attract screen's frame under `root`; returns the slide area.
pub fn frame(root: &mut ChildSpawnerCommands, cx: &mut Cx) -> Entity {
    let theme = cx.theme;
    let p = theme.palette;
    header(root, cx);
    let area = root
        .spawn((
            SlideArea,
            Node {
                flex_grow: 1.0,
                flex_basis: Val::Px(0.0),
                min_height: Val::Px(0.0),
                overflow: Overflow::clip(),
                ..default()
            },
        ))
        .id();
    // "Touch the screen to start", in the kiosk's language first and large,
    // then in the other languages offered.
    let first = cx.default_lang.clone();
    let others: Vec<String> = cx
        .config
        .display
        .languages
        .iter()
        .filter(|lang| **lang != first)
        .map(|lang| cx.strings.get(lang, "attract_touch").to_string())
        .collect();
    root.spawn((
        Node {
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            row_gap: Val::VMin(size::GAP / 2.0),
            min_height: Val::VMin(call_height(cx)),
            padding: UiRect::axes(Val::VMin(size::GAP * 2.0), Val::VMin(size::GAP)),
            ..default()
        },
        BackgroundColor(p.accent),
    ))
    .with_children(|call| {
        call.spawn(theme.strong_at(
            cx.strings.get(&first, "attract_touch"),
            size::TITLE,
            p.on_accent,
            Justify::Center,
        ));
        // Each phrase whole, as many to a line as fit.
        call.spawn(Node {
            flex_direction: theme.row(),
            flex_wrap: FlexWrap::Wrap,
            justify_content: JustifyContent::Center,
            column_gap: Val::VMin(size::GAP * 2.0),
            row_gap: Val::VMin(size::GAP / 2.0),
            ..default()
        })
        .with_children(|row| {
            for phrase in others {
                row.spawn(theme.text_at(phrase, size::SMALL, p.on_accent, Justify::Center));
            }
        });
    });
    area
}

/// The call to action's height: its lines of other languages (two phrases
/// a line in portrait, four in landscape).
fn call_height(cx: &Cx) -> f32 {
    let others = cx.config.display.languages.len().saturating_sub(1);
    let per_line = if cx.landscape { 4 } else { 2 };
    CALL_HEIGHT + others.div_ceil(per_line).saturating_sub(1) as f32 * CALL_LINE
}

/// The slide area's size in vmin (for pictures, asked for at the size shown).
fn area(cx: &Cx) -> Vec2 {
    Vec2::new(
        cx.size_vmin.x - 2.0 * PAD,
        cx.size_vmin.y - HEADER_HEIGHT - call_height(cx) - 2.0 * PAD,
    )
    .max(Vec2::splat(10.0))
}

/// The most items a list spawns: in portrait a column, of which as many
/// as fit are shown ([`FitList`]); in landscape side by side, sharing the
/// width, so only a few.
fn most(cx: &Cx, landscape: usize) -> usize {
    if cx.landscape { landscape } else { 8 }
}

/// The node a slide is drawn in: the whole slide area, moved by the loop's
/// transition.
pub fn slide_node() -> Node {
    Node {
        position_type: PositionType::Absolute,
        width: percent(100),
        height: percent(100),
        flex_direction: FlexDirection::Column,
        justify_content: JustifyContent::Center,
        row_gap: Val::VMin(size::GAP * 1.5),
        padding: UiRect::all(Val::VMin(PAD)),
        ..default()
    }
}

/// Draws one slide's content into its node.
pub fn slide(ui: &mut ChildSpawnerCommands, cx: &mut Cx, filled: &Filled) {
    let theme = cx.theme;
    let p = theme.palette;
    match filled {
        Filled::Welcome => {
            ui.spawn(theme.strong_at(
                cx.config.site.name.clone(),
                size::TITLE * 1.3,
                p.text,
                Justify::Center,
            ));
            ui.spawn(theme.text_at(
                cx.t("attract_welcome"),
                size::HEADING,
                p.accent,
                Justify::Center,
            ));
            for line in &cx.config.site.contacts {
                ui.spawn(theme.text_at(line.clone(), size::BODY, p.text_muted, Justify::Center));
            }
        }
        Filled::Text(text) => {
            ui.spawn(theme.strong_at(cx.text(text), size::URGENT, p.text, Justify::Center));
        }
        Filled::Announcement(announcement) => {
            ui.spawn(theme.strong_at(cx.t("level_info"), size::HEADING, p.accent, Justify::Center));
            ui.spawn(theme.strong_at(
                cx.text(&announcement.text),
                size::TITLE,
                p.text,
                Justify::Center,
            ));
        }
        Filled::Image { url, caption } => {
            let url = bundled::oriented(url, cx.landscape);
            let room = area(cx);
            // Two lines of caption, and the gap above them.
            let caption_room = if caption.is_some() {
                size::TITLE * 2.6 + size::GAP * 1.5
            } else {
                0.0
            };
            // The picture gives way (its edges clipped) if the caption
            // needs more room than planned.
            ui.spawn(Node {
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                flex_shrink: 1.0,
                min_height: Val::Px(0.0),
                overflow: Overflow::clip(),
                ..default()
            })
            .with_children(|frame| {
                picture(frame, cx, Some(&url), room.x, room.y - caption_room);
            });
            if let Some(caption) = caption {
                ui.spawn((
                    theme.strong_at(cx.text(caption), size::TITLE, p.text, Justify::Center),
                    Node {
                        flex_shrink: 0.0,
                        ..default()
                    },
                ));
            }
        }
        Filled::Vacancies(list) => {
            heading(ui, cx, cx.t("attract_vacancies"));
            // The count below says how many there are in all.
            items(ui, cx, list.len(), false, |items, cx| {
                for vacancy in list.iter().take(most(cx, 3)) {
                    item(items, cx, |card, cx| {
                        card.spawn(theme.strong(
                            shorten(cx.text(&vacancy.title)),
                            size::HEADING,
                            p.text,
                        ));
                        let facts: Vec<&str> = [&vacancy.employer, &vacancy.municipality]
                            .into_iter()
                            .flatten()
                            .map(String::as_str)
                            .collect();
                        if !facts.is_empty() {
                            card.spawn(theme.text(facts.join(" · "), size::BODY, p.text_muted));
                        }
                    });
                }
            });
            let total = cx.catalog.open_vacancies(cx.now).len();
            ui.spawn((
                theme.strong_at(
                    cx.count("attract_vacancies_more", total),
                    size::HEADING,
                    p.accent,
                    Justify::Center,
                ),
                Node {
                    flex_shrink: 0.0,
                    ..default()
                },
            ));
        }
        Filled::News(list) => {
            heading(ui, cx, cx.t("attract_news"));
            items(ui, cx, list.len(), true, |items, cx| {
                for news in list.iter().take(most(cx, 3)) {
                    item(items, cx, |card, cx| {
                        if news.image_url.is_some() {
                            let (w, h) = if cx.landscape {
                                (50.0, 22.0)
                            } else {
                                (88.0, 28.0)
                            };
                            picture(card, cx, news.image_url.as_deref(), w, h);
                        }
                        card.spawn(theme.strong(
                            shorten(cx.text(&news.title)),
                            size::HEADING,
                            p.text,
                        ));
                    });
                }
            });
        }
        Filled::Events(list) => {
            heading(ui, cx, cx.t("attract_events"));
            items(ui, cx, list.len(), true, |items, cx| {
                for event in list.iter().take(most(cx, 3)) {
                    let room = cx
                        .catalog
                        .rooms
                        .iter()
                        .find(|r| r.id == event.room_id)
                        .map(|r| cx.text(&r.name).to_string())
                        .unwrap_or_default();
                    item(items, cx, |card, cx| {
                        card.spawn(theme.strong(rooms::span(cx, event), size::HEADING, p.accent));
                        card.spawn(theme.strong(
                            shorten(&rooms::title(cx, event)),
                            size::HEADING,
                            p.text,
                        ));
                        card.spawn(theme.text(room, size::BODY, p.text_muted));
                    });
                }
            });
        }
        Filled::FreeRooms(list) => {
            heading(ui, cx, cx.t("attract_rooms"));
            items(ui, cx, list.len(), true, |items, cx| {
                for (room, next) in list.iter().take(most(cx, 4)) {
                    let state = match next {
                        Some(next) => cx.f(
                            "attract_room_free_until",
                            &[("time", &cx.time(next.starts_at))],
                        ),
                        None => cx.t("room_free_all_day"),
                    };
                    item(items, cx, |card, cx| {
                        card.spawn(theme.strong(
                            shorten(cx.text(&room.name)),
                            size::HEADING,
                            p.text,
                        ));
                        card.spawn(theme.text(state, size::BODY, p.accent));
                    });
                }
            });
        }
    }
}

fn heading(ui: &mut ChildSpawnerCommands, cx: &Cx, text: String) {
    ui.spawn((
        cx.theme
            .strong_at(text, size::TITLE, cx.theme.palette.accent, Justify::Center),
        Node {
            flex_shrink: 0.0,
            ..default()
        },
    ));
}

/// A list of `total` items, of which `fill` spawns the first few: a column
/// in portrait, side by side in landscape. It takes the slide's room left
/// by the heading and the lines under it, and shows as many whole items as
/// fit there ([`FitList`]); with `more`, a line under it says how many
/// more there are ("+3 altri").
fn items(
    ui: &mut ChildSpawnerCommands,
    cx: &mut Cx,
    total: usize,
    more: bool,
    fill: impl FnOnce(&mut ChildSpawnerCommands, &mut Cx),
) {
    let theme = cx.theme;
    let mut list = ui.spawn(Node {
        flex_direction: if cx.landscape {
            theme.row()
        } else {
            FlexDirection::Column
        },
        align_items: AlignItems::FlexStart,
        column_gap: Val::VMin(size::GAP),
        row_gap: Val::VMin(size::GAP),
        width: percent(100),
        // Shrinks to the room there is; the items keep their size, and
        // those that do not fit whole are hidden.
        flex_shrink: 1.0,
        min_height: Val::Px(0.0),
        overflow: Overflow::clip(),
        ..default()
    });
    list.with_children(|list| fill(list, cx));
    let list = list.id();
    let more = more.then(|| {
        let entity = ui
            .spawn((
                theme.strong_at("", size::HEADING, theme.palette.accent, Justify::Center),
                Node {
                    flex_shrink: 0.0,
                    display: Display::None,
                    ..default()
                },
            ))
            .id();
        MoreLine {
            entity,
            one: cx.t("more_items_one"),
            many: cx.t("more_items"),
        }
    });
    ui.commands().entity(list).insert(FitList { total, more });
}

/// One item of a list: a card, as tall as its content (a list too short
/// for it hides it, never squeezes it).
fn item(
    list: &mut ChildSpawnerCommands,
    cx: &mut Cx,
    fill: impl FnOnce(&mut ChildSpawnerCommands, &mut Cx),
) {
    let side_by_side = cx.landscape;
    list.spawn(cx.theme.card())
        .insert(Node {
            flex_direction: FlexDirection::Column,
            flex_grow: if side_by_side { 1.0 } else { 0.0 },
            flex_shrink: 0.0,
            flex_basis: if side_by_side {
                Val::Px(0.0)
            } else {
                Val::Auto
            },
            width: if side_by_side {
                Val::Auto
            } else {
                percent(100)
            },
            min_width: Val::Px(0.0),
            padding: UiRect::all(Val::VMin(size::GAP)),
            row_gap: Val::VMin(size::GAP / 2.0),
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        })
        .with_children(|card| fill(card, cx));
}

/// A title cut at a word boundary with "…" when longer than a slide holds.
fn shorten(text: &str) -> String {
    if text.chars().count() <= TITLE_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(TITLE_CHARS).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > TITLE_CHARS / 2 => &cut[..space],
        _ => &cut,
    };
    format!(
        "{}…",
        at_word.trim_end_matches([',', ';', ':', ' ', '—', '-'])
    )
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_titles_are_cut_at_a_word_and_short_ones_kept() {
        assert_eq!(shorten("Cuoco"), "Cuoco");
        let long = "Addetto/a alla manutenzione straordinaria degli impianti elettrici, \
                    idraulici e di climatizzazione presso strutture sanitarie";
        let short = shorten(long);
        assert!(
            short.ends_with('…') && short.chars().count() <= 91,
            "{short}"
        );
        assert!(long.starts_with(short.trim_end_matches('…')));
        assert!(!short.contains(" …"));
        // One endless word: cut inside it.
        let word = "x".repeat(200);
        assert_eq!(shorten(&word).chars().count(), 91);
    }
}
