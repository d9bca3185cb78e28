//! The window covers the whole screen, whatever the compositor.
//!
//! The window asks for borderless fullscreen when it is created. On Wayland
//! (cage) that is all: Wayland has no primary monitor, so none is named and
//! the compositor picks the output and the size. (Exclusive
//! `Fullscreen(Primary)` panics there for that reason.)
//! On X11 without a window manager (Xvfb, a bare kiosk X session) nobody
//! honours the fullscreen request and the window stayed 1280×720 in a
//! corner, so there the window is also moved and sized to the monitor
//! explicitly once the monitors are known.
//!
//! The window outlives its monitor. bevy 0.19 ties a window to the monitor
//! it is on (`OnMonitor`, whose target despawns its windows with it), so an
//! output switched off (the screen dark when closed) or a cable pulled
//! despawned the window and the kiosk exited (seen in QEMU; bevy issue
//! 24867, fixed after 0.19.1): the tie is undone as soon as bevy makes it.

use bevy::prelude::*;
use bevy::window::{
    CursorOptions, Monitor, MonitorSelection, OnMonitor, PrimaryMonitor, PrimaryWindow, WindowMode,
    WindowPosition, WindowResolution,
};

use super::shared::{AppSystems, KioskConfig};
use portalavoro_core::config::DisplayConfig;

pub(super) fn primary_window(display: &DisplayConfig) -> Window {
    let (width, height) = display.window_size;
    Window {
        title: "Portalavoro".into(),
        name: Some("portalavoro-kiosk".into()),
        decorations: !display.fullscreen,
        resolution: WindowResolution::new(width, height),
        mode: if display.fullscreen {
            WindowMode::BorderlessFullscreen(MonitorSelection::Primary)
        } else {
            WindowMode::Windowed
        },
        // One frame in flight: the kiosk draws only on change, so a deeper
        // queue buys no smoothness, and each swapchain image is a whole
        // screen of memory (8 MB at 1080×1920; on lavapipe, the process's).
        desired_maximum_frame_latency: std::num::NonZeroU32::new(1),
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
    app.add_observer(untie_from_monitor);
    if !on_wayland() {
        app.add_systems(Update, cover_monitor.in_set(AppSystems::Receive));
    }
}

/// A window tied to a monitor is despawned with it: never tied.
fn untie_from_monitor(tied: On<Insert, OnMonitor>, mut commands: Commands) {
    commands.entity(tied.entity).remove::<OnMonitor>();
}

/// Whether winit will use Wayland: it does when a Wayland display is set,
/// unless told to use X11.
fn on_wayland() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
        && std::env::var("WINIT_UNIX_BACKEND").map_or(true, |b| b != "x11")
}

/// X11: when a monitor appears (at start, or plugged in again), cover it.
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
