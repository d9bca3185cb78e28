//! The window covers the whole screen, whatever the compositor.
//!
//! `WindowMode::BorderlessFullscreen` alone is not enough: on X11 without a
//! window manager (Xvfb, a bare kiosk X session) it left a 1280×720 window
//! in a corner, and `MonitorSelection::Primary` panics on Wayland (cage),
//! which has no primary monitor. So once the monitors are known, the window
//! is also moved and sized to the monitor explicitly, naming it by entity.

use bevy::prelude::*;
use bevy::window::{
    CursorOptions, Monitor, MonitorSelection, PrimaryMonitor, PrimaryWindow, WindowMode,
    WindowPosition, WindowResolution,
};

use super::{AppSystems, KioskConfig};
use crate::config::DisplayConfig;

pub(super) fn primary_window(display: &DisplayConfig) -> Window {
    let (width, height) = display.window_size;
    Window {
        title: "Portalavoro".into(),
        name: Some("portalavoro-kiosk".into()),
        decorations: !display.fullscreen,
        resolution: WindowResolution::new(width, height),
        ..default()
    }
}

/// A touch kiosk shows no mouse pointer; a windowed (development) run does.
pub(super) fn cursor_options(display: &DisplayConfig) -> CursorOptions {
    CursorOptions {
        visible: !display.fullscreen,
        ..default()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, cover_monitor.in_set(AppSystems::Receive));
}

/// When a monitor appears (at start, or plugged in again), cover it.
fn cover_monitor(
    config: Res<KioskConfig>,
    added: Query<(), Added<Monitor>>,
    monitors: Query<(Entity, &Monitor, Has<PrimaryMonitor>)>,
    mut window: Single<&mut Window, With<PrimaryWindow>>,
) {
    if !config.display.fullscreen || added.is_empty() {
        return;
    }
    // The primary monitor where there is one, else the first.
    let Some((entity, monitor, _)) = monitors.iter().max_by_key(|(_, _, primary)| *primary) else {
        return;
    };
    info!(
        "covering monitor {} ({}×{})",
        monitor.name.as_deref().unwrap_or("unnamed"),
        monitor.physical_width,
        monitor.physical_height
    );
    window.position = WindowPosition::At(monitor.physical_position);
    window
        .resolution
        .set_physical_resolution(monitor.physical_width, monitor.physical_height);
    window.mode = WindowMode::BorderlessFullscreen(MonitorSelection::Entity(entity));
}
