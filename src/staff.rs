//! Staff access to the diagnostics screen: a hidden gesture (a finger held
//! still on the screen's top-left corner for five seconds), then a PIN whose
//! SHA-256 is in kiosk.toml (`diagnostics.pin_sha256`), never the PIN itself.
//! Three wrong PINs lock the pad for a minute. Pure: time comes in as a
//! `Duration` since start, positions as logical pixels.

use std::time::Duration;

use sha2::{Digest, Sha256};

/// How long the corner must be held.
pub const HOLD: Duration = Duration::from_secs(5);
/// The corner: this share of the window's smaller side, from the top-left.
pub const CORNER: f32 = 0.12;
/// Wrong PINs before the pad locks, and for how long.
pub const ATTEMPTS: u32 = 3;
pub const LOCKOUT: Duration = Duration::from_secs(60);
/// The longest PIN the pad takes.
pub const MAX_DIGITS: usize = 12;

/// Watches for the hidden gesture.
#[derive(Debug, Clone, Default)]
pub struct CornerHold {
    /// When the finger (or mouse button) went down in the corner.
    since: Option<Duration>,
}

impl CornerHold {
    /// A press at `at` (logical pixels from the top-left) in a window whose
    /// smaller side is `vmin_px`.
    pub fn press(&mut self, at: (f32, f32), vmin_px: f32, now: Duration) {
        let corner = CORNER * vmin_px;
        self.since = (at.0 <= corner && at.1 <= corner).then_some(now);
    }

    /// The finger moved to `at`: out of the corner cancels.
    pub fn moved(&mut self, at: (f32, f32), vmin_px: f32) {
        let corner = CORNER * vmin_px;
        if at.0 > corner || at.1 > corner {
            self.since = None;
        }
    }

    /// The finger lifted.
    pub fn release(&mut self) {
        self.since = None;
    }

    /// When the hold completes (to wake the app then), if one is under way.
    pub fn deadline(&self) -> Option<Duration> {
        self.since.map(|since| since + HOLD)
    }

    /// Whether the hold is complete at `now`; it fires once.
    pub fn fired(&mut self, now: Duration) -> bool {
        if self.deadline().is_some_and(|at| now >= at) {
            self.since = None;
            return true;
        }
        false
    }
}

/// The SHA-256 of `pin`, in lower-case hex, as kiosk.toml holds it.
pub fn hash_pin(pin: &str) -> String {
    Sha256::digest(pin.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What the pad says after a try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Open,
    Wrong {
        attempts_left: u32,
    },
    /// Locked until then: tries are not even looked at.
    Locked {
        until: Duration,
    },
}

/// The PIN pad's state.
#[derive(Debug, Clone, Default)]
pub struct PinPad {
    pub digits: String,
    failures: u32,
    locked_until: Option<Duration>,
}

impl PinPad {
    pub fn type_digit(&mut self, digit: char) {
        if digit.is_ascii_digit() && self.digits.len() < MAX_DIGITS {
            self.digits.push(digit);
        }
    }

    pub fn erase(&mut self) {
        self.digits.pop();
    }

    /// Whether the pad is locked at `now`.
    pub fn locked(&self, now: Duration) -> Option<Duration> {
        self.locked_until.filter(|until| now < *until)
    }

    /// Tries the digits typed against `expected` (a SHA-256 in hex); the
    /// digits are cleared whatever the outcome.
    pub fn submit(&mut self, expected: &str, now: Duration) -> Verdict {
        let typed = std::mem::take(&mut self.digits);
        if let Some(until) = self.locked(now) {
            return Verdict::Locked { until };
        }
        if !typed.is_empty() && hash_pin(&typed).eq_ignore_ascii_case(expected) {
            self.failures = 0;
            return Verdict::Open;
        }
        self.failures += 1;
        if self.failures >= ATTEMPTS {
            self.failures = 0;
            let until = now + LOCKOUT;
            self.locked_until = Some(until);
            return Verdict::Locked { until };
        }
        Verdict::Wrong {
            attempts_left: ATTEMPTS - self.failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn five_seconds_on_the_corner_and_nothing_else_opens_it() {
        let vmin = 1080.0;
        let mut hold = CornerHold::default();
        hold.press((20.0, 30.0), vmin, s(10));
        assert_eq!(hold.deadline(), Some(s(15)));
        assert!(!hold.fired(s(14)));
        assert!(hold.fired(s(15)));
        assert!(!hold.fired(s(16)), "once");

        // Lifted early.
        hold.press((20.0, 30.0), vmin, s(20));
        hold.release();
        assert!(!hold.fired(s(30)));
        // Slid out of the corner.
        hold.press((20.0, 30.0), vmin, s(40));
        hold.moved((400.0, 30.0), vmin);
        assert!(!hold.fired(s(50)));
        // Anywhere else on the screen.
        hold.press((540.0, 960.0), vmin, s(60));
        assert_eq!(hold.deadline(), None);
        assert!(!hold.fired(s(70)));
        // The corner scales with the screen: 12 % of 2160 px at 4K.
        hold.press((250.0, 250.0), 2160.0, s(80));
        assert!(hold.fired(s(85)));
    }

    #[test]
    fn the_pin_is_checked_by_its_hash_and_three_wrong_ones_lock_the_pad() {
        let expected = hash_pin("2468");
        assert_eq!(
            hash_pin("1234"),
            "03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4",
            "as `printf 1234 | sha256sum` says"
        );
        let mut pad = PinPad::default();
        for d in "2468".chars() {
            pad.type_digit(d);
        }
        pad.type_digit('x');
        assert_eq!(pad.digits, "2468");
        assert_eq!(pad.submit(&expected, s(0)), Verdict::Open);
        assert!(pad.digits.is_empty());

        for (attempt, left) in [(1, 2), (2, 1)] {
            pad.type_digit('1');
            assert_eq!(
                pad.submit(&expected, s(attempt)),
                Verdict::Wrong {
                    attempts_left: left
                }
            );
        }
        pad.type_digit('1');
        assert_eq!(
            pad.submit(&expected, s(3)),
            Verdict::Locked { until: s(63) }
        );
        // Even the right PIN waits out the lock.
        for d in "2468".chars() {
            pad.type_digit(d);
        }
        assert_eq!(
            pad.submit(&expected, s(30)),
            Verdict::Locked { until: s(63) }
        );
        for d in "2468".chars() {
            pad.type_digit(d);
        }
        assert_eq!(pad.submit(&expected, s(63)), Verdict::Open);
        // Nothing typed is never right.
        assert_eq!(
            pad.submit(&hash_pin(""), s(64)),
            Verdict::Wrong { attempts_left: 2 }
        );
    }
}
