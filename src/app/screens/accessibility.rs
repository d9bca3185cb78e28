//! Accessibility: text size, high contrast, controls within reach,
//! reduced motion and reading aloud, each with a control that says what it
//! does and whether it is on. Everything here lasts one visit.

use bevy::prelude::*;

use super::Cx;
use super::frame::{section, text_column};
use crate::app::speech::text_size_key;
use crate::app::theme::size;
use crate::app::touch::{Style, button};
use portalavoro_core::access::{Setting, TextSize};
use portalavoro_core::session::Intent;
use portalavoro_core::speech::Voice;

pub fn build(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    ui.spawn(theme.text(cx.t("access_intro"), size::BODY, p.text_muted));

    section(ui, cx, cx.t("access_text_size"));
    ui.spawn(theme.wrap_row(size::GAP)).with_children(|row| {
        for text_size in TextSize::ALL {
            let setting = Setting::TextSize(text_size);
            let style = if cx.session.access.is_on(setting) {
                Style::Chosen
            } else {
                Style::Plain
            };
            row.spawn(button(
                theme,
                cx.t(text_size_key(text_size)),
                Intent::Access(setting),
                style,
            ));
        }
    });

    let speech_missing = match cx.voice {
        Voice::Unavailable(_) => Some(cx.t("access_speech_unavailable")),
        Voice::Checking | Voice::Ready => None,
    };
    let toggles = [
        (
            Setting::HighContrast,
            "access_contrast",
            "access_contrast_hint",
            None,
        ),
        (Setting::Reach, "access_reach", "access_reach_hint", None),
        (
            Setting::ReducedMotion,
            "access_motion",
            "access_motion_hint",
            None,
        ),
        (
            Setting::Speech,
            "access_speech",
            "access_speech_hint",
            speech_missing,
        ),
    ];
    for (setting, title, hint, unavailable) in toggles {
        let on = cx.session.access.is_on(setting);
        // On the page's background, so an "off" button (a surface) shows.
        ui.spawn(Node {
            flex_direction: theme.row(),
            flex_wrap: FlexWrap::Wrap,
            align_items: AlignItems::Center,
            column_gap: Val::VMin(size::GAP * 1.5),
            row_gap: Val::VMin(size::GAP),
            padding: UiRect::vertical(Val::VMin(size::GAP)),
            ..default()
        })
        .with_children(|card| {
            card.spawn(Node {
                flex_basis: Val::VMin(50.0),
                ..text_column()
            })
            .with_children(|words| {
                words.spawn(theme.strong(cx.t(title), size::HEADING, p.text));
                match &unavailable {
                    Some(why) => words.spawn(theme.strong(why.clone(), size::BODY, p.accent)),
                    None => words.spawn(theme.text(cx.t(hint), size::BODY, p.text_muted)),
                };
            });
            if unavailable.is_none() {
                let (label, style) = if on {
                    (cx.t("access_on"), Style::Chosen)
                } else {
                    (cx.t("access_off"), Style::Plain)
                };
                card.spawn(button(theme, label, Intent::Access(setting), style))
                    .insert(Node {
                        min_width: Val::VMin(24.0),
                        min_height: Val::VMin(size::TOUCH_TARGET * 1.3),
                        padding: UiRect::axes(Val::VMin(size::GAP), Val::VMin(size::GAP / 3.0)),
                        justify_content: JustifyContent::Center,
                        align_items: AlignItems::Center,
                        border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                        ..default()
                    });
            }
        });
    }
}
