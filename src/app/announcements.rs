//! An urgent announcement takes over the whole screen, over anything else,
//! in type readable from 3 m; a visitor can close it for their own session
//! (it stays in the list, and comes back for the next visitor).

use bevy::prelude::*;

use super::feed::Content;
use super::session::VisitorSession;
use super::shared::AppSystems;
use super::stale::Drawing;
use super::theme::Look;
use super::theme::size;
use super::touch::{Action, PressColors};
use portalavoro_core::content::Level;
use portalavoro_core::session::Intent;

/// The overlay on screen, and which announcement it shows.
#[derive(Component)]
pub struct UrgentOverlay {
    id: String,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, show_urgent.in_set(AppSystems::Render));
}

/// Keeps the overlay in step with the newest active urgent announcement
/// this visitor has not closed (and reads it out when speech is on).
fn show_urgent(
    mut commands: Commands,
    content: Res<Content>,
    session: Res<VisitorSession>,
    look: Look,
    overlays: Query<(Entity, &UrgentOverlay)>,
    drawing: Drawing,
    speaker: Res<super::speech::Speaker>,
) {
    let now = look.clock.now();
    if !drawing.stale.urgent() {
        return;
    }
    let lang = session.language(&look.config.display.language);
    let wanted = content
        .active_announcements(&look.config.kiosk_id, now)
        .into_iter()
        .find(|a| a.level == Level::Urgent && !session.dismissed.contains(&a.id));
    match (wanted, overlays.iter().next()) {
        (None, None) => return,
        (Some(a), Some((_, shown)))
            if shown.id == a.id
                && !(drawing.stale.content || drawing.stale.theme || drawing.stale.session) =>
        {
            return;
        }
        _ => {}
    }
    let shown_before = overlays.iter().next().map(|(_, shown)| shown.id.clone());
    for (entity, _) in &overlays {
        commands.entity(entity).despawn();
    }
    let Some(announcement) = wanted else { return };
    let theme = &look.theme;
    let p = theme.palette;
    let t = |key| look.strings.get(lang, key).to_string();
    let text = announcement.text.get(lang, &look.config.display.language);
    if session.access.speech && shown_before.as_ref() != Some(&announcement.id) {
        speaker.say(format!("{}. {text}", t("urgent_title")), lang);
    }
    commands
        .spawn((
            UrgentOverlay {
                id: announcement.id.clone(),
            },
            Name::new("Urgent announcement"),
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::Center,
                padding: UiRect::all(Val::VMin(size::GAP * 3.0)),
                overflow: Overflow::clip(),
                ..default()
            },
            BackgroundColor(p.urgent),
            // Above every screen, whatever is spawned later.
            GlobalZIndex(100),
        ))
        .with_children(|overlay| {
            overlay.spawn(theme.strong(t("urgent_title"), size::TITLE, p.text));
            overlay.spawn(theme.text_at(text, size::URGENT, p.text, Justify::Center));
            // White on red turns red on white: the one way out, unmistakable.
            overlay
                .spawn((
                    Action(Intent::Dismiss(announcement.id.clone())),
                    Button,
                    Node {
                        min_width: Val::VMin(45.0),
                        min_height: Val::VMin(size::TOUCH_TARGET * 1.5),
                        padding: UiRect::axes(Val::VMin(size::GAP * 2.0), Val::VMin(size::GAP)),
                        justify_content: JustifyContent::Center,
                        align_items: AlignItems::Center,
                        border_radius: BorderRadius::all(Val::VMin(1.5)),
                        ..default()
                    },
                    BackgroundColor(p.text),
                    PressColors {
                        normal: p.text,
                        pressed: p.text_muted,
                    },
                ))
                .with_child((
                    theme.strong(t("urgent_dismiss"), size::HEADING, p.urgent),
                    Pickable::IGNORE,
                ));
        });
}
