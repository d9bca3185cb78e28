//! The visitor's session and the kiosk's [`Mode`]: attract loop, a visitor
//! at the screen, or closed. Every touch or click restarts the idle timer;
//! after `attract.idle_timeout_s` without one, "Are you still there?"
//! counts down, then the session is reset (page, search, filters, language,
//! closed announcements: nothing remains for the next visitor) and the
//! attract loop starts again. Outside opening hours the kiosk is closed.
//!
//! Input is looked at before picking turns it into presses and clicks, so
//! the touch that wakes the kiosk is known to be a waking one when it
//! reaches a control, which then ignores it (see `touch`).

use std::time::Duration;

use bevy::ecs::system::SystemParam;
use bevy::input::keyboard::KeyboardInput;
use bevy::input::mouse::MouseButtonInput;
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::picking::PickingSystems;
use bevy::prelude::*;

use super::diagnostics::Diagnostics;
use super::redraw::{Uptime, WakeAt};
use super::{KioskConfig, WallClock};
use portalavoro_core::session::{Change, IdleTimer, Phase, Session, Touch};

/// What the kiosk is doing.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Nobody is using it: the attract loop runs.
    #[default]
    Attract,
    /// A visitor is using it.
    Visitor,
    /// Outside opening hours.
    Closed,
    /// The diagnostics's PIN pad and diagnostics (see `diagnostics`).
    Diagnostics,
}

/// Touches and clicks begun since the system last looked: what counts as a
/// visitor's input (for the idle timer and the heartbeat's count).
#[derive(SystemParam)]
pub struct NewTouches<'w, 's> {
    touches: MessageReader<'w, 's, TouchInput>,
    clicks: MessageReader<'w, 's, MouseButtonInput>,
}

impl NewTouches<'_, '_> {
    pub fn count(&mut self) -> usize {
        self.touches
            .read()
            .filter(|t| t.phase == TouchPhase::Started)
            .count()
            + self.clicks.read().filter(|c| c.state.is_pressed()).count()
    }
}

/// The current visitor's session.
#[derive(Resource, Default, Deref, DerefMut)]
pub struct VisitorSession(pub Session);

/// The idle timer, for the warning prompt's countdown.
#[derive(Resource, Deref, DerefMut)]
pub struct Idle(IdleTimer);

/// Set for the frame in which a touch only woke the kiosk (or answered the
/// warning): controls must not act on it.
#[derive(Resource, Default)]
pub struct Waking(pub bool);

/// A mode held whatever the clock and the timer say (`--tour` shows every
/// screen in turn with it).
#[derive(Resource, Clone, Copy, PartialEq, Eq, Debug)]
pub struct PinnedMode {
    pub mode: Mode,
    /// Show the "Are you still there?" prompt.
    pub warning: bool,
}

/// How long "Are you still there?" waits. WCAG 2.2.1 asks for at least
/// 20 seconds to extend a time limit.
pub const WARNING: Duration = Duration::from_secs(20);

pub(super) fn plugin(app: &mut App) {
    let timeout = app.world().resource::<KioskConfig>().attract.idle_timeout;
    app.init_state::<Mode>()
        .init_resource::<VisitorSession>()
        .init_resource::<Waking>()
        .insert_resource(Idle(IdleTimer::new(timeout, WARNING)))
        .add_systems(PreUpdate, track_visitor.before(PickingSystems::Input));
}

#[allow(clippy::too_many_arguments)] // the inputs of one decision
pub(super) fn track_visitor(
    uptime: Res<Uptime>,
    config: Res<KioskConfig>,
    clock: Res<WallClock>,
    mut idle: ResMut<Idle>,
    mut session: ResMut<VisitorSession>,
    mut input: NewTouches,
    mut keys: MessageReader<KeyboardInput>,
    mode: Res<State<Mode>>,
    mut next: ResMut<NextState<Mode>>,
    mut waking: ResMut<Waking>,
    pinned: Option<Res<PinnedMode>>,
    mut diagnostics: ResMut<Diagnostics>,
    wake: Res<WakeAt>,
    mut asked: Local<Option<Duration>>,
) {
    waking.0 = false;
    let now = uptime.now();
    let touched = input.count() > 0 || keys.read().any(|k| k.state.is_pressed());
    if let Some(pin) = pinned {
        if *mode.get() != pin.mode {
            next.set(pin.mode);
        }
        return;
    }
    let local = clock.now().to_zoned(config.display.timezone.clone());
    if !config.hours.is_open(&local) {
        if *mode.get() != Mode::Closed {
            info!("closed: outside opening hours");
            idle.end();
            session.reset();
            diagnostics.close();
            next.set(Mode::Closed);
        }
        return;
    }
    // More time in accessibility mode (the warning says so).
    let extra_time = session.access.any();
    if idle.extra_time != extra_time {
        idle.extra_time = extra_time;
    }
    if touched && idle.touch(now) == Touch::Swallow {
        waking.0 = true;
    }
    match idle.tick(now) {
        Some(Change::Warn) => info!("no touch for {}s: asking", idle.idle_timeout.as_secs()),
        Some(Change::Reset) => {
            info!("visitor session ended: nobody answered");
            session.reset();
            diagnostics.close();
        }
        None => {}
    }
    let wanted = match idle.phase() {
        Phase::Attract => Mode::Attract,
        Phase::Active { .. } | Phase::Warning { .. } if diagnostics.open => Mode::Diagnostics,
        Phase::Active { .. } | Phase::Warning { .. } => Mode::Visitor,
    };
    if *mode.get() != wanted {
        next.set(wanted);
    }
    // Sleep until the timer's next moment, not a minute more.
    let deadline = idle.next_deadline();
    if deadline != *asked {
        *asked = deadline;
        if let Some(deadline) = deadline {
            wake.at(uptime.instant(deadline + Duration::from_millis(20)));
        }
    }
}
