//! Outside opening hours the kiosk shows the closed screen and draws
//! nothing else: it is redrawn only when what it says changes (a new day
//! turns "tomorrow" into "today"), when the window or theme changes, and it
//! leaves by itself at opening time (see `session`), woken by the minute.

use bevy::prelude::*;
use bevy::window::WindowResized;

use super::redraw::RedrawBurst;
use super::screens::{Canvas, closed, whole_screen};
use super::session::Mode;
use super::shared::AppSystems;
use portalavoro_core::session::Session;

#[derive(Component)]
struct ClosedRoot;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        show_closed
            .in_set(AppSystems::Render)
            .run_if(in_state(Mode::Closed)),
    );
}

fn show_closed(
    mut commands: Commands,
    mut canvas: Canvas,
    roots: Query<Entity, With<ClosedRoot>>,
    mut resized: MessageReader<WindowResized>,
    mut burst: ResMut<RedrawBurst>,
    mut shown: Local<Vec<(String, Option<String>)>>,
) {
    let now = canvas.look.clock.now();
    let local = now.to_zoned(canvas.look.config.display.timezone.clone());
    let session = Session::default();
    let lines = canvas.draw(&session, now, |cx| closed::lines(cx, &local));
    let changed = resized.read().count() > 0 || canvas.look.theme.is_changed();
    if !roots.is_empty() && !changed && *shown == lines {
        return;
    }
    for root in &roots {
        commands.entity(root).despawn();
    }
    canvas.draw(&session, now, |cx| {
        commands
            .spawn((
                ClosedRoot,
                Name::new("Closed"),
                DespawnOnExit(Mode::Closed),
                whole_screen(closed::DIM),
                GlobalZIndex(50),
            ))
            .with_children(|root| closed::build(root, cx, &lines));
    });
    *shown = lines;
    burst.changed();
}
