//! Home: the language switch, a large tile for each part of the kiosk with
//! what it holds now, and the hub's contacts.

use bevy::prelude::*;

use super::Cx;
use super::frame::section;
use crate::app::theme::size;
use crate::app::touch::{Style, button, tappable};
use crate::session::{Intent, Page};

pub fn build(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    ui.spawn(theme.text(cx.t("home_prompt"), size::HEADING, p.text));

    // Each language in its own name: a visitor finds theirs without
    // reading the current one.
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

    let now = cx.now;
    let tz = cx.tz().clone();
    let tiles = [
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
    ];
    // One tile a row in portrait, side by side in landscape.
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
            for (page, title, count, hint) in tiles {
                grid.spawn((theme.card(), tappable(theme, Intent::Open(page))))
                    .insert(Node {
                        flex_direction: FlexDirection::Column,
                        flex_grow: 1.0,
                        flex_basis: Val::VMin(52.0),
                        min_height: Val::VMin(26.0),
                        justify_content: JustifyContent::SpaceBetween,
                        padding: UiRect::all(Val::VMin(size::GAP * 1.5)),
                        row_gap: Val::VMin(size::GAP / 2.0),
                        border_radius: BorderRadius::all(Val::VMin(size::RADIUS * 1.5)),
                        ..default()
                    })
                    .with_children(|tile| {
                        tile.spawn((theme.strong(title, size::TITLE, p.text), Pickable::IGNORE));
                        tile.spawn((
                            theme.strong(count, size::HEADING, p.accent),
                            Pickable::IGNORE,
                        ));
                        tile.spawn((theme.text(hint, size::BODY, p.text_muted), Pickable::IGNORE));
                    });
            }
        });

    if !cx.config.site.contacts.is_empty() {
        section(ui, cx, cx.t("contacts_heading"));
        ui.spawn(theme.card()).with_children(|card| {
            for line in &cx.config.site.contacts {
                card.spawn(theme.text(line.clone(), size::BODY, p.text));
            }
        });
    }
}
