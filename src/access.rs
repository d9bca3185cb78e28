//! A visitor's accessibility settings, and the long press that turns speech
//! on without seeing the screen. Pure: the app reads these to pick the
//! palette, the text size, the layout and the voice.

use std::time::Duration;

/// How big text is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TextSize {
    #[default]
    Normal,
    /// One and a half times.
    Large,
    /// Twice.
    Largest,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Largest];

    pub fn scale(self) -> f32 {
        match self {
            TextSize::Normal => 1.0,
            TextSize::Large => 1.5,
            TextSize::Largest => 2.0,
        }
    }
}

/// One setting of the accessibility page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    TextSize(TextSize),
    /// The toggles: a touch turns them on, another off.
    HighContrast,
    Reach,
    ReducedMotion,
    Speech,
}

/// Everything a visitor can change to use the kiosk; all off by default,
/// and all forgotten when the session ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    pub text_size: TextSize,
    /// The high-contrast palette (every text at least 7:1).
    pub high_contrast: bool,
    /// Every control in the lower half of the screen, for a seated visitor.
    pub reach: bool,
    /// Pages appear without gliding in (the only motion in the visitor's
    /// screens).
    pub reduced_motion: bool,
    /// Screen titles and touched controls read aloud.
    pub speech: bool,
}

impl Access {
    /// Whether anything differs from the default (the idle warning then
    /// gives more time).
    pub fn any(&self) -> bool {
        *self != Access::default()
    }

    pub fn apply(&mut self, setting: Setting) {
        match setting {
            Setting::TextSize(size) => self.text_size = size,
            Setting::HighContrast => self.high_contrast = !self.high_contrast,
            Setting::Reach => self.reach = !self.reach,
            Setting::ReducedMotion => self.reduced_motion = !self.reduced_motion,
            Setting::Speech => self.speech = !self.speech,
        }
    }

    /// Whether `setting` is the one in force (a toggle: whether it is on).
    pub fn is_on(&self, setting: Setting) -> bool {
        match setting {
            Setting::TextSize(size) => self.text_size == size,
            Setting::HighContrast => self.high_contrast,
            Setting::Reach => self.reach,
            Setting::ReducedMotion => self.reduced_motion,
            Setting::Speech => self.speech,
        }
    }
}

/// Languages written right to left (by primary subtag).
pub fn is_right_to_left(lang: &crate::content::Lang) -> bool {
    matches!(lang.primary(), "ar" | "fa" | "he" | "ur" | "ps" | "yi")
}

/// How long a finger stays down, anywhere on the attract loop, to turn
/// speech on.
pub const LONG_PRESS: Duration = Duration::from_secs(2);
/// How far, in fractions of the smaller side, the finger may wander.
const LONG_PRESS_SLOP: f32 = 0.04;

/// A finger held still: fires once, [`LONG_PRESS`] after it went down,
/// unless it moved or lifted.
#[derive(Debug, Clone, Default)]
pub struct LongPress {
    down: Option<(Duration, (f32, f32))>,
}

impl LongPress {
    pub fn press(&mut self, at: (f32, f32), now: Duration) {
        self.down = Some((now, at));
    }

    /// The finger moved to `at` in a window whose smaller side is
    /// `vmin_px` logical pixels: too far cancels.
    pub fn moved(&mut self, at: (f32, f32), vmin_px: f32) {
        if let Some((_, from)) = self.down {
            let distance = ((at.0 - from.0).powi(2) + (at.1 - from.1).powi(2)).sqrt();
            if distance > LONG_PRESS_SLOP * vmin_px {
                self.down = None;
            }
        }
    }

    pub fn release(&mut self) {
        self.down = None;
    }

    /// When the press completes (to wake the app then).
    pub fn deadline(&self) -> Option<Duration> {
        self.down.map(|(since, _)| since + LONG_PRESS)
    }

    /// Whether the press is complete at `now`; it fires once.
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
    use crate::content::Lang;

    #[test]
    fn settings_toggle_and_size_is_one_of_three() {
        let mut access = Access::default();
        assert!(!access.any());
        access.apply(Setting::HighContrast);
        access.apply(Setting::Reach);
        access.apply(Setting::TextSize(TextSize::Largest));
        assert!(access.high_contrast && access.reach && access.any());
        assert!(access.is_on(Setting::TextSize(TextSize::Largest)));
        assert!(!access.is_on(Setting::TextSize(TextSize::Normal)));
        assert_eq!(access.text_size.scale(), 2.0);
        access.apply(Setting::HighContrast);
        access.apply(Setting::Reach);
        access.apply(Setting::TextSize(TextSize::Normal));
        assert!(!access.any(), "every toggle turns back off");
        for setting in [Setting::ReducedMotion, Setting::Speech] {
            access.apply(setting);
            assert!(access.is_on(setting) && access.any(), "{setting:?}");
            access.apply(setting);
            assert!(!access.is_on(setting), "{setting:?}");
        }
        let scales: Vec<f32> = TextSize::ALL.iter().map(|s| s.scale()).collect();
        assert_eq!(scales, [1.0, 1.5, 2.0]);
    }

    #[test]
    fn arabic_is_right_to_left_and_the_others_are_not() {
        assert!(is_right_to_left(&Lang::new("ar")));
        assert!(is_right_to_left(&Lang::new("ar-ma")));
        for lang in ["it", "en", "fr", "es", "ro", "uk"] {
            assert!(!is_right_to_left(&Lang::new(lang)), "{lang}");
        }
    }

    #[test]
    fn a_long_press_fires_once_unless_moved_or_lifted() {
        let ms = Duration::from_millis;
        let mut press = LongPress::default();
        press.press((500.0, 900.0), ms(1000));
        assert_eq!(press.deadline(), Some(ms(3000)));
        press.moved((510.0, 905.0), 1080.0);
        assert!(!press.fired(ms(2999)));
        assert!(press.fired(ms(3000)));
        assert!(!press.fired(ms(4000)), "once");

        press.press((500.0, 900.0), ms(0));
        press.moved((500.0, 990.0), 1080.0);
        assert!(!press.fired(ms(5000)), "a drag is not a long press");

        press.press((500.0, 900.0), ms(0));
        press.release();
        assert!(!press.fired(ms(5000)), "lifted early");
        assert_eq!(press.deadline(), None);
    }
}
