//! A visitor's session, and the idle timer that ends it. Pure: time comes in
//! as a `Duration` since start, so tests drive it second by second.
//!
//! Active ──(idle_timeout without a touch)──▶ Warning ──(warning time)──▶ Attract
//!   ▲                                          │ touch: "Continue"          │
//!   └──────────────────────────────────────────┘                            │
//!   └────────── touch (swallowed: it only wakes the kiosk) ◀────────────────┘

use std::collections::BTreeSet;
use std::time::Duration;

use crate::content::{Lang, VacancyQuery};

/// Where the idle timer is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// Nobody is using the kiosk: the attract loop runs.
    Attract,
    /// A visitor is using it; `last_touch` is their latest input.
    Active { last_touch: Duration },
    /// "Are you still there?": the session ends at `ends_at` unless touched.
    Warning { ends_at: Duration },
}

/// What a touch should do, beyond resetting the timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// Pass it on to the control under the finger.
    Use,
    /// Only wake (from attract) or dismiss the warning: the control under
    /// the finger must not be activated by it.
    Swallow,
}

/// What the timer decided on a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Show the "Are you still there?" prompt.
    Warn,
    /// The session is over: clear it and go back to the attract loop.
    Reset,
}

#[derive(Debug, Clone)]
pub struct IdleTimer {
    pub idle_timeout: Duration,
    /// How long the warning stays before the reset.
    pub warning: Duration,
    phase: Phase,
}

impl IdleTimer {
    pub fn new(idle_timeout: Duration, warning: Duration) -> IdleTimer {
        IdleTimer {
            idle_timeout,
            warning,
            phase: Phase::Attract,
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Seconds left before the reset, while warning.
    pub fn countdown(&self, now: Duration) -> Option<Duration> {
        match self.phase {
            Phase::Warning { ends_at } => Some(ends_at.saturating_sub(now)),
            _ => None,
        }
    }

    /// A touch, click or key press at `now`.
    pub fn touch(&mut self, now: Duration) -> Touch {
        let outcome = match self.phase {
            Phase::Attract | Phase::Warning { .. } => Touch::Swallow,
            Phase::Active { .. } => Touch::Use,
        };
        self.phase = Phase::Active { last_touch: now };
        outcome
    }

    /// Advances the timer to `now`.
    pub fn tick(&mut self, now: Duration) -> Option<Change> {
        match self.phase {
            Phase::Active { last_touch } if now.saturating_sub(last_touch) >= self.idle_timeout => {
                self.phase = Phase::Warning {
                    ends_at: now + self.warning,
                };
                Some(Change::Warn)
            }
            Phase::Warning { ends_at } if now >= ends_at => {
                self.phase = Phase::Attract;
                Some(Change::Reset)
            }
            _ => None,
        }
    }

    /// When the next tick can change something (to sleep until then).
    pub fn next_deadline(&self) -> Option<Duration> {
        match self.phase {
            Phase::Attract => None,
            Phase::Active { last_touch } => Some(last_touch + self.idle_timeout),
            Phase::Warning { ends_at } => Some(ends_at),
        }
    }
}

/// Everything a visitor's session holds; none of it outlives the session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    /// The visitor's language choice; `None`: the kiosk's default.
    pub language: Option<Lang>,
    pub vacancy_query: VacancyQuery,
    /// Page shown in the vacancy list.
    pub vacancy_page: usize,
    /// The vacancy or news item open, by id.
    pub open_vacancy: Option<String>,
    pub open_news: Option<String>,
    /// Urgent announcements this visitor dismissed, by id.
    pub dismissed: BTreeSet<String>,
}

impl Session {
    /// The visitor's language, else the kiosk's.
    pub fn language<'a>(&'a self, kiosk_default: &'a Lang) -> &'a Lang {
        self.language.as_ref().unwrap_or(kiosk_default)
    }

    /// Ends the session: nothing of it remains for the next visitor.
    pub fn reset(&mut self) {
        *self = Session::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn idle_warning_reset_attract_wake() {
        let mut timer = IdleTimer::new(s(90), s(20));
        assert_eq!(timer.phase(), Phase::Attract);
        assert_eq!(timer.tick(s(1000)), None, "attract waits for a touch");

        assert_eq!(
            timer.touch(s(1000)),
            Touch::Swallow,
            "the waking touch activates nothing"
        );
        assert_eq!(timer.touch(s(1010)), Touch::Use);
        assert_eq!(timer.tick(s(1099)), None, "89 s idle");
        assert_eq!(timer.next_deadline(), Some(s(1100)));
        assert_eq!(timer.tick(s(1100)), Some(Change::Warn));
        assert_eq!(timer.countdown(s(1105)), Some(s(15)));
        assert_eq!(timer.tick(s(1119)), None);
        assert_eq!(timer.tick(s(1120)), Some(Change::Reset));
        assert_eq!(timer.phase(), Phase::Attract);
        assert_eq!(timer.tick(s(5000)), None);
    }

    #[test]
    fn continue_during_the_warning_extends_the_session() {
        let mut timer = IdleTimer::new(s(60), s(20));
        timer.touch(s(0));
        assert_eq!(timer.tick(s(60)), Some(Change::Warn));
        assert_eq!(
            timer.touch(s(70)),
            Touch::Swallow,
            "the touch answers the prompt only"
        );
        assert_eq!(timer.tick(s(90)), None, "the session goes on");
        assert_eq!(
            timer.tick(s(130)),
            Some(Change::Warn),
            "60 s after the last touch"
        );
    }

    #[test]
    fn a_late_tick_still_warns_before_it_resets() {
        let mut timer = IdleTimer::new(s(60), s(20));
        timer.touch(s(0));
        // The app slept (no frames) far past both deadlines.
        assert_eq!(timer.tick(s(500)), Some(Change::Warn));
        assert_eq!(
            timer.tick(s(510)),
            None,
            "the visitor still gets the whole warning"
        );
        assert_eq!(timer.tick(s(520)), Some(Change::Reset));
    }

    #[test]
    fn reset_clears_every_piece_of_the_session() {
        let mut session = Session {
            language: Some(Lang::new("en")),
            vacancy_query: VacancyQuery {
                text: "saldatore".into(),
                ..Default::default()
            },
            vacancy_page: 3,
            open_vacancy: Some("v101".into()),
            open_news: Some("n1".into()),
            dismissed: ["a1".to_string()].into(),
        };
        session.vacancy_query.towns.insert("Matera".into());
        assert_eq!(session.language(&Lang::new("it")), &Lang::new("en"));
        session.reset();
        assert_eq!(session, Session::default());
        assert_eq!(session.language(&Lang::new("it")), &Lang::new("it"));
    }
}
