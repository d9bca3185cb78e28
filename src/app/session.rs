//! The visitor's session in the app: every touch or click restarts the idle
//! timer; after `attract.idle_timeout_s` without one the session is reset,
//! so nothing a visitor did (dismissed announcements, and later their
//! language, searches and open pages) remains for the next one.
//!
//! The timer is advanced on every frame; the app draws at least once a
//! minute (the clock), so a reset happens at most a minute late.

use std::time::Duration;

use bevy::ecs::system::SystemParam;
use bevy::input::mouse::MouseButtonInput;
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;

use super::{AppSystems, KioskConfig};
use crate::session::{Change, IdleTimer, Session};

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

#[derive(Resource, Deref, DerefMut)]
struct Idle(IdleTimer);

/// How long "Are you still there?" waits, once the attract loop asks it.
const WARNING: Duration = Duration::from_secs(20);

pub(super) fn plugin(app: &mut App) {
    let timeout = app.world().resource::<KioskConfig>().attract.idle_timeout;
    app.init_resource::<VisitorSession>()
        .insert_resource(Idle(IdleTimer::new(timeout, WARNING)))
        .add_systems(Update, track_visitor.in_set(AppSystems::Receive));
}

fn track_visitor(
    time: Res<Time<Real>>,
    mut idle: ResMut<Idle>,
    mut session: ResMut<VisitorSession>,
    mut input: NewTouches,
) {
    let now = time.elapsed();
    if input.count() > 0 {
        idle.touch(now);
    }
    if idle.tick(now) == Some(Change::Reset) && session.0 != Session::default() {
        info!(
            "visitor session ended after {}s without a touch",
            idle.idle_timeout.as_secs()
        );
        session.reset();
    }
}
