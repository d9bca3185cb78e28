//! Home: the language switch, a large tile for each part of the kiosk with
//! what it holds now, and the hub's contacts. With large text, or in reach
//! mode, the tiles come first: the visitor who chose either has their
//! language already, and the tiles must show without scrolling.

use bevy::prelude::*;

use super::frame::section;
use super::{Cx, PageLead};
use crate::app::theme::size;
use crate::app::touch::{Style, button, tappable};
use portalavoro_core::session::{Intent, Page};

pub fn build(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    // (Reach mode says it in the top half, which is for reading.)
    if !cx.session.access.reach {
        ui.spawn(theme.text(cx.t("home_prompt"), size::HEADING, p.text));
    }
    if theme.text_scale > 1.0 || cx.session.access.reach {
        tiles(ui, cx);
        section(ui, cx, cx.t("language_heading"));
        languages(ui, cx);
    } else {
        languages(ui, cx);
        tiles(ui, cx);
    }

    if !cx.config.site.contacts.is_empty() {
        section(ui, cx, cx.t("contacts_heading"));
        ui.spawn(theme.card()).with_children(|card| {
            for line in &cx.config.site.contacts {
                card.spawn(theme.text(line.clone(), size::BODY, p.text));
            }
        });
    }
}

/// Each language in its own name: a visitor finds theirs without reading
/// the current one.
fn languages(ui: &mut ChildSpawnerCommands, cx: &Cx) {
    let theme = cx.theme;
    ui.spawn(theme.wrap_row(size::GAP)).with_children(|row| {
        for lang in &cx.config.display.languages {
            let style = if lang == cx.lang {
                Style::Chosen
            } else {
                Style::Plain
            };
            let name = cx.strings.get(lang, "language_name").to_string();
            row.spawn(button(theme, name, Intent::Language(lang.clone()), style));
        }
    });
}

/// A tile for each part of the kiosk: one a row in portrait (two with four
/// tiles), side by side in landscape. The first must show without
/// scrolling.
fn tiles(ui: &mut ChildSpawnerCommands, cx: &Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    let large = theme.text_scale > 1.0;
    let chrome = theme.chrome();
    let count_theme = if large { &chrome } else { theme };
    let now = cx.now;
    let tz = cx.tz().clone();
    // What the hub offers comes first: most visitors come for a service.
    // A hub without services has no such tile.
    let services = (!cx.catalog.services.is_empty()).then(|| {
        (
            Page::Services,
            cx.t("title_services"),
            cx.count("tile_services_count", cx.catalog.services.len()),
            cx.t("tile_services_hint"),
        )
    });
    let tiles = services.into_iter().chain([
        (
            Page::Vacancies,
            cx.t("title_vacancies"),
            cx.count("tile_vacancies_count", cx.catalog.open_vacancies(now).len()),
            cx.t("tile_vacancies_hint"),
        ),
        (
            Page::News,
            cx.t("title_news"),
            cx.count("tile_news_count", cx.catalog.visible_news(now).len()),
            cx.t("tile_news_hint"),
        ),
        (
            Page::Rooms,
            cx.t("title_rooms"),
            cx.count(
                "tile_rooms_count",
                cx.catalog.todays_public_events(now, &tz).len(),
            ),
            cx.t("tile_rooms_hint"),
        ),
    ]);
    let tiles: Vec<_> = tiles.collect();
    // Four tiles at normal text: two a row in portrait, all four in one row
    // in landscape, so every tile shows without scrolling. (With large
    // text a title needs the whole width: one a row, the first whole.)
    let four = tiles.len() > 3;
    let basis = if four && !large { 38.0 } else { 52.0 };
    // Four in a landscape row are narrow: a smaller title keeps a long
    // word ("événements") whole.
    let title_size = if four && !large && cx.landscape {
        size::TITLE * 0.8
    } else {
        size::TITLE
    };
    ui.spawn(theme.wrap_row(size::GAP * 1.5))
        .insert(Node {
            flex_direction: theme.row(),
            flex_wrap: FlexWrap::Wrap,
            column_gap: Val::VMin(size::GAP * 1.5),
            row_gap: Val::VMin(size::GAP * 1.5),
            align_items: AlignItems::Stretch,
            ..default()
        })
        .with_children(|grid| {
            for (index, (page, title, count, hint)) in tiles.into_iter().enumerate() {
                let mut tile = grid.spawn((theme.card(), tappable(theme, Intent::Open(page))));
                if index == 0 {
                    tile.insert(PageLead);
                }
                tile.insert(Node {
                    flex_direction: FlexDirection::Column,
                    flex_grow: 1.0,
                    flex_basis: Val::VMin(basis),
                    min_height: Val::VMin(26.0),
                    justify_content: JustifyContent::SpaceBetween,
                    padding: UiRect::all(Val::VMin(if large {
                        size::GAP
                    } else {
                        size::GAP * 1.5
                    })),
                    row_gap: Val::VMin(size::GAP / 2.0),
                    border_radius: BorderRadius::all(Val::VMin(size::RADIUS * 1.5)),
                    ..default()
                })
                .with_children(|tile| {
                    tile.spawn((theme.strong(title, title_size, p.text), Pickable::IGNORE));
                    // With large text the title is what grows; the count
                    // grows as the frame does.
                    tile.spawn((
                        count_theme.strong(count, size::HEADING, p.accent),
                        Pickable::IGNORE,
                    ));
                    // (With large text, in the lower half of a landscape
                    // screen, or four in a landscape row, the title and
                    // count say enough.)
                    let short = cx.landscape && (cx.session.access.reach || four);
                    if theme.text_scale == 1.0 && !short {
                        tile.spawn((theme.text(hint, size::BODY, p.text_muted), Pickable::IGNORE));
                    }
                });
            }
        });
}
