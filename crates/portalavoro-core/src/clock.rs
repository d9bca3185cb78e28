//! The wall clock, passed to whatever needs the time of day (the sync
//! thread, the screens, the opening hours), so that the tour and the tests
//! choose the moment (`--at`) instead of the hour they happen to run at.

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

/// Wall-clock time, shiftable so tests can cross midnight.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<Mutex<SignedDuration>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `at` now and runs on from there: the tour at a
    /// chosen moment (`--at`), and tests whose verdict must not depend on
    /// the hour they run at.
    pub fn starting_at(at: Timestamp) -> Clock {
        let clock = Clock::default();
        clock.set_offset(Timestamp::now().duration_until(at));
        clock
    }

    pub fn now(&self) -> Timestamp {
        let offset = *self.offset.lock().unwrap_or_else(|e| e.into_inner());
        Timestamp::now()
            .checked_add(offset)
            .unwrap_or_else(|_| Timestamp::now())
    }

    /// Moves this clock (and every clone of it) by `offset` from real time.
    pub fn set_offset(&self, offset: SignedDuration) {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner()) = offset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_offset_is_shared_by_clones() {
        let clock = Clock::system();
        let copy = clock.clone();
        clock.set_offset(SignedDuration::from_hours(48));
        let ahead = copy.now().duration_since(Timestamp::now());
        assert!(ahead > SignedDuration::from_hours(47), "{ahead:?}");
    }

    #[test]
    fn a_clock_started_at_a_moment_reads_it_and_runs_on() {
        let at: Timestamp = "2026-12-01T01:30:00Z".parse().unwrap();
        let clock = Clock::starting_at(at);
        let read = clock.now();
        assert!(read >= at && read.duration_since(at) < SignedDuration::from_secs(5));
    }
}
