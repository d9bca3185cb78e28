//! The on-screen keyboard for the vacancy search: Italian layout, with the
//! accented vowels on their own keys (the search ignores accents anyway, so
//! a visitor used to another layout loses nothing by skipping them).

use bevy::prelude::*;

use super::Cx;
use crate::app::theme::size;
use crate::app::touch::{PressColors, Style, button};
use portalavoro_core::session::Intent;

/// The letter rows, as on an Italian keyboard.
pub const ROWS: [&str; 4] = ["1234567890'", "qwertyuiopè", "asdfghjklòà", "zxcvbnmù,.-"];

pub fn build(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    let key_height = Val::VMin(size::TOUCH_TARGET * 1.15);
    // Under the page; in landscape beside it, as wide as a portrait one.
    let beside = cx.landscape;
    ui.spawn((
        Node {
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            justify_content: JustifyContent::Center,
            row_gap: Val::VMin(size::GAP / 2.5),
            padding: UiRect::all(Val::VMin(size::GAP / 1.5)),
            border: if beside {
                UiRect::horizontal(Val::VMin(0.4))
            } else {
                UiRect::top(Val::VMin(0.4))
            },
            width: if beside { Val::VMin(100.0) } else { Val::Auto },
            flex_shrink: 0.0,
            ..default()
        },
        BackgroundColor(p.background),
        BorderColor::all(p.accent),
    ))
    .with_children(|board| {
        let row_node = || Node {
            // A keyboard wider than a portrait screen is hard to reach.
            width: Val::Percent(100.0),
            max_width: Val::VMin(100.0),
            flex_direction: FlexDirection::Row,
            column_gap: Val::VMin(size::GAP / 2.5),
            ..default()
        };
        for keys in ROWS {
            board.spawn(row_node()).with_children(|row| {
                for key in keys.chars() {
                    row.spawn(key_button(
                        cx,
                        key.to_string(),
                        Intent::Type(key),
                        1.0,
                        key_height,
                    ));
                }
            });
        }
        board.spawn(row_node()).with_children(|row| {
            row.spawn(key_button(
                cx,
                cx.t("keyboard_space"),
                Intent::Type(' '),
                5.0,
                key_height,
            ));
            row.spawn(key_button(
                cx,
                cx.t("keyboard_erase"),
                Intent::Erase,
                3.0,
                key_height,
            ));
            row.spawn(button(
                theme,
                cx.t("keyboard_done"),
                Intent::Keyboard(false),
                Style::Chosen,
            ))
            .insert(Node {
                flex_grow: 3.0,
                flex_basis: Val::Px(0.0),
                height: key_height,
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                ..default()
            });
        });
    });
}

/// A key `grow` units wide (a letter is 1).
fn key_button(cx: &Cx, label: String, intent: Intent, grow: f32, height: Val) -> impl Bundle {
    let theme = cx.theme;
    let p = theme.palette;
    (
        crate::app::touch::Action(intent),
        Button,
        Node {
            flex_grow: grow,
            flex_basis: Val::Px(0.0),
            min_width: Val::Px(0.0),
            height,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        },
        BackgroundColor(p.surface),
        PressColors {
            normal: p.surface,
            pressed: p.pressed,
        },
        children![(
            theme.strong(label, size::HEADING * 0.9, p.text),
            Pickable::IGNORE,
        )],
    )
}
