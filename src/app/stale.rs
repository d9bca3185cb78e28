//! The one place that decides what on screen is out of date. Each frame,
//! before anything is drawn, [`Stale`] notes which of the inputs the screens
//! are drawn from changed (the minute, the window, the content, the
//! visitor's session, the theme, the voice, a picture arriving), and says
//! for each screen whether it must be drawn again. A screen adds only what
//! is its own (the next slide due, the countdown's second). [`Drawing`]
//! is what a screen's system takes to know that and to ask for frames.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::window::{RequestRedraw, WindowResized};

use super::feed::Content;
use super::pictures::PicturesArrived;
use super::redraw::{MotionPace, Uptime, WakeAt};
use super::session::VisitorSession;
use super::shared::{AppSystems, DrawnMinute, WallClock};
use super::speech::VoiceState;
use super::theme::Theme;

/// What changed since the previous frame.
#[derive(Resource, Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The wall-clock minute moved (the clock, "today", what starts or ends).
    pub minute: bool,
    /// The window was resized (or rotated).
    pub window: bool,
    /// A new catalog snapshot.
    pub content: bool,
    /// The visitor did something (page, language, settings, a keystroke).
    pub session: bool,
    pub theme: bool,
    /// Whether the kiosk can read aloud.
    pub voice: bool,
    /// A picture arrived.
    pub pictures: bool,
}

impl Stale {
    /// The visitor's page: drawn from all of it.
    pub fn visitor_page(&self) -> bool {
        self.minute
            || self.window
            || self.content
            || self.session
            || self.theme
            || self.voice
            || self.pictures
    }

    /// The attract loop: no visitor, so no session.
    pub fn attract(&self) -> bool {
        self.minute || self.window || self.content || self.theme || self.pictures
    }

    /// The closed screen: its lines say when the hub opens (compared by
    /// the screen itself, so a minute that changes nothing draws nothing).
    pub fn closed(&self) -> bool {
        self.window || self.theme
    }

    /// The urgent announcement over any screen: which one is active (the
    /// minute, the content), whether this visitor closed it, in what
    /// language and theme.
    pub fn urgent(&self) -> bool {
        self.minute || self.content || self.session || self.theme
    }

    /// The idle question: its language and theme (its countdown is its own).
    pub fn idle_prompt(&self) -> bool {
        self.session || self.theme
    }

    /// The technician card: its window and theme (it looks at its facts
    /// by itself).
    pub fn technician(&self) -> bool {
        self.window || self.theme
    }

    /// The diagnostics screen: its theme (its report refreshes by itself).
    pub fn diagnostics(&self) -> bool {
        self.theme
    }
}

/// What a screen's system draws by: what changed, the time, and the
/// frames it asks for.
#[derive(SystemParam)]
pub struct Drawing<'w> {
    pub stale: Res<'w, Stale>,
    pub uptime: Res<'w, Uptime>,
    pub wake: Res<'w, WakeAt>,
    pace: ResMut<'w, MotionPace>,
    redraw: MessageWriter<'w, RequestRedraw>,
}

impl Drawing<'_> {
    /// One more frame after this one, at once.
    pub fn next_frame(&mut self) {
        self.redraw.write(RequestRedraw);
    }

    /// Something moves: its next frame, as soon as the renderer can
    /// afford one ([`MotionPace`]).
    pub fn keep_moving(&mut self) {
        self.pace
            .keep_moving(&self.uptime, &self.wake, &mut self.redraw);
    }

    /// Wake the app `after` this frame's moment (the next slide, the
    /// countdown's next second).
    pub fn wake_after(&self, after: std::time::Duration) {
        self.wake.at(self.uptime.instant(self.uptime.now() + after));
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Stale>()
        .add_systems(Update, notice.in_set(AppSystems::Notice));
}

/// The inputs every screen is drawn from.
#[derive(SystemParam)]
struct Inputs<'w> {
    clock: Res<'w, WallClock>,
    content: Res<'w, Content>,
    session: Res<'w, VisitorSession>,
    theme: Res<'w, Theme>,
    voice: Res<'w, VoiceState>,
    arrived: Res<'w, PicturesArrived>,
}

fn notice(
    mut stale: ResMut<Stale>,
    inputs: Inputs,
    mut resized: MessageReader<WindowResized>,
    mut drawn: Local<DrawnMinute>,
) {
    *stale = Stale {
        minute: drawn.moved(inputs.clock.now()),
        window: resized.read().count() > 0,
        content: inputs.content.is_changed(),
        session: inputs.session.is_changed(),
        theme: inputs.theme.is_changed(),
        voice: inputs.voice.is_changed(),
        pictures: inputs.arrived.is_changed(),
    };
}
