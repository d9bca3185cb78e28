//! "Are you still there?": before a visitor's session ends, a prompt with
//! a countdown and a big "Continue" says what is about to happen. Any touch
//! answers it (and does nothing else: see `session`), so a visitor who is
//! still there loses nothing.

use std::time::Duration;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::session::{Idle, PinnedMode, VisitorSession, WARNING};
use super::shared::AppSystems;
use super::stale::Drawing;
use super::theme::Look;
use super::theme::size;
use super::touch::PressColors;

/// The prompt on screen, and the seconds it shows.
#[derive(Component)]
pub(super) struct Prompt {
    seconds: u64,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, show_prompt.in_set(AppSystems::Render));
}

/// How long the visitor has left to answer, while the question is up.
#[derive(SystemParam)]
struct TimeLeft<'w> {
    idle: Res<'w, Idle>,
    /// A mode held whatever the timer says (`--tour`).
    pinned: Option<Res<'w, PinnedMode>>,
}

impl TimeLeft<'_> {
    fn at(&self, now: Duration, session: &VisitorSession) -> Option<Duration> {
        match &self.pinned {
            Some(pin) => pin.warning.then_some(if session.access.any() {
                WARNING * portalavoro_core::session::EXTRA_TIME
            } else {
                WARNING
            }),
            None => self.idle.countdown(now),
        }
    }
}

fn show_prompt(
    mut commands: Commands,
    time_left: TimeLeft,
    session: Res<VisitorSession>,
    look: Look,
    prompts: Query<(Entity, &Prompt)>,
    drawing: Drawing,
    speaker: Res<super::speech::Speaker>,
) {
    let left = time_left.at(drawing.uptime.now(), &session);
    let shown = prompts.iter().next();
    let first = shown.is_none();
    let Some(left) = left else {
        if let Some((entity, _)) = shown {
            commands.entity(entity).despawn();
        }
        return;
    };
    // Whole seconds, rounded up: "1" until the very end, never "0".
    let seconds = left.as_millis().div_ceil(1000) as u64;
    if let Some((entity, prompt)) = shown {
        if prompt.seconds == seconds && !drawing.stale.idle_prompt() {
            return;
        }
        commands.entity(entity).despawn();
    }
    // The next second's number.
    let into_second = left.saturating_sub(Duration::from_secs(seconds.saturating_sub(1)));
    drawing.wake_after(into_second + Duration::from_millis(5));

    let lang = session.language(&look.config.display.language);
    let strings = &look.strings;
    let theme = &look.theme;
    let p = theme.palette;
    let body_key = if seconds == 1 {
        "idle_body_one"
    } else {
        "idle_body"
    };
    let body = strings.format(lang, body_key, &[("count", &seconds.to_string())]);
    // Accessibility mode has three times as long, and says so.
    let extra = session
        .access
        .any()
        .then(|| strings.get(lang, "idle_extra_time").to_string());
    if first && session.access.speech {
        let title = strings.get(lang, "idle_title");
        let extra = extra.clone().unwrap_or_default();
        let continue_ = strings.get(lang, "idle_continue");
        speaker.say(format!("{title} {body} {extra} {continue_}?"), lang);
    }
    commands
        .spawn((
            Prompt { seconds },
            Name::new("Are you still there?"),
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                justify_content: JustifyContent::Center,
                padding: UiRect::all(Val::VMin(size::GAP * 2.0)),
                // Within reach of a seated visitor, in reach mode.
                align_items: if session.access.reach {
                    AlignItems::FlexEnd
                } else {
                    AlignItems::Center
                },
                ..default()
            },
            // The page stays visible behind, dimmed: the visitor sees what
            // they would lose.
            BackgroundColor(p.background.with_alpha(0.85)),
            GlobalZIndex(90),
        ))
        .with_children(|backdrop| {
            backdrop
                .spawn((
                    Node {
                        flex_direction: FlexDirection::Column,
                        align_items: AlignItems::Center,
                        row_gap: Val::VMin(size::GAP * 1.5),
                        padding: UiRect::all(Val::VMin(size::GAP * 2.0)),
                        // A definite width: wrapped text is measured at the
                        // width it is drawn at.
                        width: percent(90),
                        border_radius: BorderRadius::all(Val::VMin(size::RADIUS * 2.0)),
                        ..default()
                    },
                    BackgroundColor(p.surface),
                ))
                .with_children(|card| {
                    card.spawn(theme.strong_at(
                        strings.get(lang, "idle_title"),
                        size::TITLE,
                        p.text,
                        Justify::Center,
                    ));
                    card.spawn(theme.strong(seconds.to_string(), size::CODE * 1.5, p.accent));
                    card.spawn(theme.text_at(body, size::BODY, p.text, Justify::Center));
                    if let Some(extra) = extra {
                        card.spawn(theme.strong_at(extra, size::BODY, p.accent, Justify::Center));
                    }
                    card.spawn((
                        Button,
                        Node {
                            min_width: Val::VMin(50.0),
                            min_height: Val::VMin(size::TOUCH_TARGET * 1.6),
                            padding: UiRect::axes(Val::VMin(size::GAP * 2.0), Val::VMin(size::GAP)),
                            justify_content: JustifyContent::Center,
                            align_items: AlignItems::Center,
                            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                            ..default()
                        },
                        BackgroundColor(p.accent),
                        PressColors {
                            normal: p.accent,
                            pressed: p.pressed,
                        },
                        children![(
                            theme.strong_at(
                                strings.get(lang, "idle_continue"),
                                size::HEADING,
                                p.on_accent,
                                Justify::Center,
                            ),
                            Pickable::IGNORE,
                        )],
                    ));
                });
        });
}
