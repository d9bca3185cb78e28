//! A visitor's accessibility settings, and the long press that turns speech
//! on without seeing the screen. Pure: the app reads these to pick the
//! palette, the text size, the layout and the voice.

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
}
