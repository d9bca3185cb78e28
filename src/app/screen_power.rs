//! The screen turned as it is mounted, and dark outside opening hours.
//!
//! The core's [`Switch`] thread turns the picture at start and switches the
//! outputs (and an HDMI-CEC screen); this feature decides when, with the
//! core's [`Lighting`]: while the kiosk shows the closed notice, the screen
//! goes dark once nobody has touched it for `attract.idle_timeout`, and a
//! touch or a key lights it again. Opening time (or the technician card,
//! or the diagnostics) lights it. What the switch did reaches the heartbeat.

use bevy::prelude::*;

use super::feed::Vitals;
use super::redraw::{RedrawBurst, Uptime, WakeAt};
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
}

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
        })
        .add_systems(Update, light.in_set(AppSystems::Receive));
    }
}

fn light(
    mode: Res<State<Mode>>,
    uptime: Res<Uptime>,
    wake: Res<WakeAt>,
    mut presses: Presses,
    mut screen: ResMut<ScreenPower>,
    mut burst: ResMut<RedrawBurst>,
    vitals: Res<Vitals>,
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
    if power != screen.asked {
        info!(
            "screen {}: {}",
            power.name(),
            if closed { "closed" } else { "open" }
        );
        screen.asked = power;
        screen
            .switch
            .set(power, (power == Power::Off).then_some("closed"));
        if power == Power::On {
            // The picture comes back as it was left: draw it afresh.
            burst.changed();
        }
    }
    // What the switch's thread last did (it wakes the app when it did).
    let state = screen
        .switch
        .state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let mut shared = vitals.lock().unwrap_or_else(|e| e.into_inner());
    if shared.screen_power != state {
        shared.screen_power = state;
    }
}
