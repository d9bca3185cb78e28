//! A finger held still: the one gesture behind two doors. Anywhere on the
//! attract loop for two seconds, it turns speech on for a visitor who
//! cannot see ([`Hold::long_press`]); on the top-left corner for five, it
//! asks staff for the diagnostics PIN ([`Hold::corner`]). Pure: time comes
//! in as a `Duration` since start, positions as logical pixels.

use std::time::Duration;

/// How long a finger stays down, anywhere on the attract loop, to turn
/// speech on.
pub const LONG_PRESS: Duration = Duration::from_secs(2);
/// How far, in fractions of the smaller side, the finger may wander.
const LONG_PRESS_SLOP: f32 = 0.04;
/// How long the corner must be held for the diagnostics.
pub const CORNER_HOLD: Duration = Duration::from_secs(5);
/// The corner: this share of the window's smaller side, from the top-left.
pub const CORNER: f32 = 0.12;

/// Where a hold counts, and what cancels it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Area {
    /// Anywhere; moving further than the slop (a share of the smaller
    /// side) from where it went down cancels: a drag is not a hold.
    Anywhere { slop: f32 },
    /// The top-left corner (a share of the smaller side); leaving it
    /// cancels.
    Corner { share: f32 },
}

/// A hold under way: fires once, its length after the finger went down,
/// unless the finger moved away or lifted.
#[derive(Debug, Clone)]
pub struct Hold {
    length: Duration,
    area: Area,
    /// When and where the finger went down.
    down: Option<(Duration, (f32, f32))>,
}

impl Hold {
    /// Two seconds anywhere, held still.
    pub fn long_press() -> Hold {
        Hold {
            length: LONG_PRESS,
            area: Area::Anywhere {
                slop: LONG_PRESS_SLOP,
            },
            down: None,
        }
    }

    /// Five seconds on the top-left corner.
    pub fn corner() -> Hold {
        Hold {
            length: CORNER_HOLD,
            area: Area::Corner { share: CORNER },
            down: None,
        }
    }

    /// A finger went down at `at` in a window whose smaller side is
    /// `vmin_px` logical pixels.
    pub fn press(&mut self, at: (f32, f32), vmin_px: f32, now: Duration) {
        let inside = match self.area {
            Area::Anywhere { .. } => true,
            Area::Corner { share } => at.0 <= share * vmin_px && at.1 <= share * vmin_px,
        };
        self.down = inside.then_some((now, at));
    }

    /// The finger moved to `at`.
    pub fn moved(&mut self, at: (f32, f32), vmin_px: f32) {
        let Some((_, from)) = self.down else {
            return;
        };
        let away = match self.area {
            Area::Anywhere { slop } => {
                ((at.0 - from.0).powi(2) + (at.1 - from.1).powi(2)).sqrt() > slop * vmin_px
            }
            Area::Corner { share } => at.0 > share * vmin_px || at.1 > share * vmin_px,
        };
        if away {
            self.down = None;
        }
    }

    /// The finger lifted.
    pub fn release(&mut self) {
        self.down = None;
    }

    /// When the hold completes (to wake the app then), if one is under way.
    pub fn deadline(&self) -> Option<Duration> {
        self.down.map(|(since, _)| since + self.length)
    }

    /// Whether the hold is complete at `now`; it fires once.
    pub fn fired(&mut self, now: Duration) -> bool {
        if self.deadline().is_some_and(|at| now >= at) {
            self.down = None;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_press_fires_once_unless_moved_or_lifted() {
        let ms = Duration::from_millis;
        let mut press = Hold::long_press();
        press.press((500.0, 900.0), 1080.0, ms(1000));
        assert_eq!(press.deadline(), Some(ms(3000)));
        press.moved((510.0, 905.0), 1080.0);
        assert!(!press.fired(ms(2999)));
        assert!(press.fired(ms(3000)));
        assert!(!press.fired(ms(4000)), "once");

        press.press((500.0, 900.0), 1080.0, ms(0));
        press.moved((500.0, 990.0), 1080.0);
        assert!(!press.fired(ms(5000)), "a drag is not a long press");

        press.press((500.0, 900.0), 1080.0, ms(0));
        press.release();
        assert!(!press.fired(ms(5000)), "lifted early");
        assert_eq!(press.deadline(), None);
    }

    #[test]
    fn five_seconds_on_the_corner_and_nothing_else_opens_it() {
        let s = Duration::from_secs;
        let vmin = 1080.0;
        let mut hold = Hold::corner();
        hold.press((20.0, 30.0), vmin, s(10));
        assert_eq!(hold.deadline(), Some(s(15)));
        assert!(!hold.fired(s(14)));
        assert!(hold.fired(s(15)));
        assert!(!hold.fired(s(16)), "once");

        // Lifted early.
        hold.press((20.0, 30.0), vmin, s(20));
        hold.release();
        assert!(!hold.fired(s(30)));
        // Slid out of the corner; moving within it is fine.
        hold.press((20.0, 30.0), vmin, s(40));
        hold.moved((100.0, 100.0), vmin);
        assert_eq!(hold.deadline(), Some(s(45)));
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
}
