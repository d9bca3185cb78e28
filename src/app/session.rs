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
use bevy::window::{CursorMoved, PrimaryWindow};

use super::redraw::{Uptime, WakeAt};
use super::shared::{KioskConfig, WallClock};
use portalavoro_core::gesture;
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
    /// Nothing to show: who the totem is and what is missing (see
    /// `technician`), whatever the hour.
    Technician,
}

/// Why the technician card is on screen (set by `technician` from each
/// snapshot); empty: it is not.
#[derive(Resource, Default, Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<portalavoro_core::technician::Problem>);

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

/// The raw input a [`gesture::Hold`] watches: a finger or a mouse button
/// going down, moving, lifting. (A finger held still fires no events: the
/// app is woken when the hold would complete.) One place for the two
/// holds: the long press that turns speech on, the corner hold that asks
/// for the staff PIN.
#[derive(SystemParam)]
pub struct HoldInput<'w, 's> {
    touches: MessageReader<'w, 's, TouchInput>,
    buttons: MessageReader<'w, 's, MouseButtonInput>,
    cursor: MessageReader<'w, 's, CursorMoved>,
    window: Query<'w, 's, &'static Window, With<PrimaryWindow>>,
    uptime: Res<'w, Uptime>,
    wake: Res<'w, WakeAt>,
    /// Where the mouse is (a button press carries no position).
    pointer: Local<'s, Option<Vec2>>,
}

impl HoldInput<'_, '_> {
    /// Feeds this frame's input to `hold`; a press starts it only when
    /// `may_start`. Returns whether the hold completed now.
    pub fn fired(&mut self, hold: &mut gesture::Hold, may_start: bool) -> bool {
        let now = self.uptime.now();
        let vmin = self
            .window
            .iter()
            .next()
            .map_or(1080.0, |w| w.width().min(w.height()));
        let before = hold.deadline();
        for moved in self.cursor.read() {
            *self.pointer = Some(moved.position);
            hold.moved(moved.position.into(), vmin);
        }
        for button in self.buttons.read() {
            match *self.pointer {
                Some(at) if button.state.is_pressed() && may_start => {
                    hold.press(at.into(), vmin, now)
                }
                _ => hold.release(),
            }
        }
        for touch in self.touches.read() {
            match touch.phase {
                TouchPhase::Started if may_start => hold.press(touch.position.into(), vmin, now),
                TouchPhase::Started => hold.release(),
                TouchPhase::Moved => hold.moved(touch.position.into(), vmin),
                TouchPhase::Ended | TouchPhase::Canceled => hold.release(),
            }
        }
        if let Some(deadline) = hold.deadline()
            && before != Some(deadline)
        {
            self.wake.at(self
                .uptime
                .instant(deadline + std::time::Duration::from_millis(20)));
        }
        hold.fired(now)
    }
}

/// The current visitor's session.
#[derive(Resource, Default, Deref, DerefMut)]
pub struct VisitorSession(pub Session);

/// The idle timer, for the warning prompt's countdown.
#[derive(Resource, Deref, DerefMut)]
pub struct Idle(IdleTimer);

/// Whether staff have the PIN pad or the diagnostics up: opened by
/// `diagnostics`, closed here when the session ends (idle, closing time).
#[derive(Resource, Default)]
pub struct DiagnosticsOpen(pub bool);

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
        .add_message::<Arrived>()
        .init_resource::<DiagnosticsOpen>()
        .init_resource::<Problems>()
        .insert_resource(Idle(IdleTimer::new(timeout, WARNING)))
        .add_systems(PreUpdate, track_visitor.before(PickingSystems::Input));
}

/// What the session's system keeps: the idle timer, the session, whether
/// staff have diagnostics open, whether this frame's touch only woke it.
#[derive(SystemParam)]
pub(super) struct Visit<'w> {
    idle: ResMut<'w, Idle>,
    session: ResMut<'w, VisitorSession>,
    diagnostics: ResMut<'w, DiagnosticsOpen>,
    waking: ResMut<'w, Waking>,
}

impl Visit<'_> {
    /// Nothing of this visit remains for the next visitor.
    fn end(&mut self) {
        self.session.reset();
        self.diagnostics.0 = false;
    }
}

/// The kiosk's mode, the way to another, and the one held, if any.
#[derive(SystemParam)]
pub(super) struct ModeSwitch<'w> {
    current: Res<'w, State<Mode>>,
    next: ResMut<'w, NextState<Mode>>,
    pinned: Option<Res<'w, PinnedMode>>,
}

impl ModeSwitch<'_> {
    fn is(&self, mode: Mode) -> bool {
        *self.current.get() == mode
    }

    /// Goes to `mode` unless it is there already.
    fn go(&mut self, mode: Mode) {
        if !self.is(mode) {
            self.next.set(mode);
        }
    }
}

/// A visitor who came without touching anything: headphones went into
/// the jack (`headphones`). It counts as a press.
#[derive(Message, Debug, Clone, Copy)]
pub struct Arrived;

/// Whether a visitor pressed anything: a touch, a click or a key, or
/// arrived with headphones.
#[derive(SystemParam)]
pub struct Presses<'w, 's> {
    touches: NewTouches<'w, 's>,
    keys: MessageReader<'w, 's, KeyboardInput>,
    arrivals: MessageReader<'w, 's, Arrived>,
}

impl Presses<'_, '_> {
    pub fn any(&mut self) -> bool {
        // All read to the end (`any` would stop at the first press and
        // leave the rest for the next frame).
        let touched = self.touches.count() > 0;
        let pressed = self.keys.read().filter(|k| k.state.is_pressed()).count() > 0;
        let arrived = self.arrivals.read().count() > 0;
        pressed || touched || arrived
    }
}

pub(super) fn track_visitor(
    uptime: Res<Uptime>,
    wake: Res<WakeAt>,
    // What the mode follows besides the visitor: the hours, the card.
    (config, clock, problems): (Res<KioskConfig>, Res<WallClock>, Res<Problems>),
    mut visit: Visit,
    mut presses: Presses,
    mut mode: ModeSwitch,
    mut asked: Local<Option<Duration>>,
) {
    visit.waking.0 = false;
    let now = uptime.now();
    let touched = presses.any();
    if let Some(pinned) = mode.pinned.as_deref().map(|pin| pin.mode) {
        mode.go(pinned);
        return;
    }
    if !problems.0.is_empty() {
        if !mode.is(Mode::Technician) {
            visit.idle.end();
            visit.end();
            mode.go(Mode::Technician);
        }
        return;
    }
    let local = clock.now().to_zoned(config.display.timezone.clone());
    if !config.hours.is_open(&local) {
        if !mode.is(Mode::Closed) {
            info!("closed: outside opening hours");
            visit.idle.end();
            visit.end();
            mode.go(Mode::Closed);
        }
        return;
    }
    // More time in accessibility mode (the warning says so).
    let extra_time = visit.session.access.any();
    if visit.idle.extra_time != extra_time {
        visit.idle.extra_time = extra_time;
    }
    if touched && visit.idle.touch(now) == Touch::Swallow {
        visit.waking.0 = true;
    }
    match visit.idle.tick(now) {
        Some(Change::Warn) => info!(
            "no touch for {}s: asking",
            visit.idle.idle_timeout.as_secs()
        ),
        Some(Change::Reset) => {
            info!("visitor session ended: nobody answered");
            visit.end();
        }
        None => {}
    }
    let wanted = match visit.idle.phase() {
        Phase::Attract => Mode::Attract,
        Phase::Active { .. } | Phase::Warning { .. } if visit.diagnostics.0 => Mode::Diagnostics,
        Phase::Active { .. } | Phase::Warning { .. } => Mode::Visitor,
    };
    mode.go(wanted);
    // Sleep until the timer's next moment, not a minute more.
    let deadline = visit.idle.next_deadline();
    if deadline != *asked {
        *asked = deadline;
        if let Some(deadline) = deadline {
            wake.at(uptime.instant(deadline + Duration::from_millis(20)));
        }
    }
}

/// What is on screen, in a word or two: "attract", "closed", "vacancies"…
pub fn screen_name(mode: Mode, session: &VisitorSession) -> &'static str {
    match mode {
        Mode::Attract => "attract",
        Mode::Closed => "closed",
        Mode::Diagnostics => "diagnostics",
        Mode::Technician => "technician card",
        Mode::Visitor => session.page.name(),
    }
}
