//! The screen turned as it is mounted, and dark outside opening hours.
//!
//! The core's [`Switch`] thread turns the picture at start and switches the
//! outputs (and an HDMI-CEC screen); this feature decides when, with the
//! core's [`Lighting`]: while the kiosk shows the closed notice, the screen
//! goes dark once nobody has touched it for `attract.idle_timeout`, and a
//! touch or a key lights it again. Opening time (or the technician card,
//! or the diagnostics) lights it. What the switch did reaches the heartbeat.
//!
//! A window presenting in step with its output (FIFO) waits, in Mesa's
//! Wayland presentation, for the compositor's frame callback, which a
//! surface on no output does not get: a frame drawn in the dark could wait
//! for ever, and the watchdog would restart the kiosk. So before the screen
//! goes dark the window stops waiting (presents at once) and is drawn so;
//! the switch is told only then; and the window waits again once the switch
//! says the screen is lit. (A precaution: the restart seen in QEMU was the
//! window despawned with its monitor, `display.rs`; a dark boot without
//! this was not run.)

use bevy::prelude::*;
use bevy::window::{PresentMode, PrimaryWindow, RequestRedraw};

use super::feed::Vitals;
use super::redraw::{Uptime, WakeAt};
use super::session::{Mode, Presses};
use super::shared::{AppSystems, KioskConfig};
use portalavoro_core::screen::{Lighting, Power, Switch};

/// The screen's switch and the rule that drives it.
#[derive(Resource)]
pub struct ScreenPower {
    switch: Switch,
    lighting: Lighting,
    /// What was last asked of the switch.
    asked: Power,
    /// When the app last asked to be woken to switch the screen off.
    wake_asked: Option<std::time::Duration>,
    /// Frames drawn since the window stopped waiting for its output.
    unpaced_frames: u32,
}

/// Frames drawn without waiting before the screen may go dark: the one
/// that makes the new swapchain, and one more on it.
const UNPACED_BEFORE_DARK: u32 = 2;

pub(super) fn plugin(switch: Switch) -> impl Plugin {
    move |app: &mut App| {
        let config = app.world().resource::<KioskConfig>();
        let lighting = Lighting::new(config.display.off_when_closed, config.attract.idle_timeout);
        let rotation = config.display.rotation.degrees();
        app.world()
            .resource::<Vitals>()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .rotation = rotation;
        app.insert_resource(ScreenPower {
            switch: switch.clone(),
            lighting,
            asked: Power::On,
            wake_asked: None,
            unpaced_frames: 0,
        })
        .add_systems(Update, light.in_set(AppSystems::Receive));
    }
}

#[allow(clippy::too_many_arguments)]
fn light(
    mode: Res<State<Mode>>,
    uptime: Res<Uptime>,
    wake: Res<WakeAt>,
    mut presses: Presses,
    mut screen: ResMut<ScreenPower>,
    vitals: Res<Vitals>,
    window: Option<Single<&mut Window, With<PrimaryWindow>>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let now = uptime.now();
    let closed = *mode.get() == Mode::Closed;
    let touched = presses.any();
    let power = screen.lighting.tick(closed, touched, now);
    // Woken when the screen is due to go dark.
    let dark_at = screen.lighting.next_change(now);
    if dark_at != screen.wake_asked {
        screen.wake_asked = dark_at;
        if let Some(dark_at) = dark_at {
            wake.at(uptime.instant(dark_at));
        }
    }
    // What the switch's thread last did (it wakes the app when it did).
    let state = screen
        .switch
        .state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();

    // In step with the output only while it is lit and meant to stay so.
    let paced = power == Power::On && screen.asked == Power::On && state.power == Power::On;
    let present_mode = if paced {
        PresentMode::Fifo
    } else {
        PresentMode::AutoNoVsync
    };
    if let Some(mut window) = window
        && window.present_mode != present_mode
    {
        window.present_mode = present_mode;
    }
    if paced {
        screen.unpaced_frames = 0;
    } else if screen.unpaced_frames < UNPACED_BEFORE_DARK {
        // Frames drawn without waiting, before the switch is told.
        screen.unpaced_frames += 1;
        redraw.write(RequestRedraw);
    }

    let ready = power == Power::On || screen.unpaced_frames >= UNPACED_BEFORE_DARK;
    if power != screen.asked && ready {
        info!(
            "screen {}: {}",
            power.name(),
            if closed { "closed" } else { "open" }
        );
        screen.asked = power;
        screen
            .switch
            .set(power, (power == Power::Off).then_some("closed"));
    }
    let mut shared = vitals.lock().unwrap_or_else(|e| e.into_inner());
    if shared.screen_power != state {
        shared.screen_power = state;
    }
}
