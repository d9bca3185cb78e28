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
    /// How loud and how fast the voice speaks (keypad keys).
    pub speech_volume: SpeechVolume,
    pub speech_rate: SpeechRate,
}

/// The voice's own volume, in five steps round the site's level
/// (`audio.volume`, set so that the jack stays at a safe level): a visitor
/// may turn it up for a noisy lobby, and the next one starts at the site's
/// level again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeechVolume(u8);

impl SpeechVolume {
    pub const STEPS: u8 = 5;
    /// What each step multiplies the site's level by (then capped at full).
    const GAINS: [f32; 5] = [0.2, 0.45, 1.0, 1.35, 1.7];

    /// 1 to [`STEPS`](Self::STEPS).
    pub fn step(self) -> u8 {
        self.0
    }

    pub fn gain(self) -> f32 {
        Self::GAINS[usize::from(self.0 - 1)]
    }

    /// One step up or down; `None` at either end.
    pub fn louder(self) -> Option<SpeechVolume> {
        (self.0 < Self::STEPS).then(|| SpeechVolume(self.0 + 1))
    }

    pub fn quieter(self) -> Option<SpeechVolume> {
        (self.0 > 1).then(|| SpeechVolume(self.0 - 1))
    }
}

impl Default for SpeechVolume {
    /// The site's level.
    fn default() -> SpeechVolume {
        SpeechVolume(3)
    }
}

/// How fast the voice speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SpeechRate {
    #[default]
    Normal,
    Faster,
    Slower,
}

impl SpeechRate {
    /// For the synthesizer's `-s` (espeak-ng's default is 175).
    pub fn words_per_minute(self) -> u32 {
        match self {
            SpeechRate::Normal => 175,
            SpeechRate::Faster => 240,
            SpeechRate::Slower => 125,
        }
    }

    /// The rate key goes round: normal, faster, slower, normal.
    pub fn next(self) -> SpeechRate {
        match self {
            SpeechRate::Normal => SpeechRate::Faster,
            SpeechRate::Faster => SpeechRate::Slower,
            SpeechRate::Slower => SpeechRate::Normal,
        }
    }
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
    fn the_voice_has_five_volumes_three_rates_and_starts_at_the_sites_level() {
        let access = Access::default();
        assert_eq!(access.speech_volume.step(), 3);
        assert_eq!(access.speech_volume.gain(), 1.0, "the site's level");
        assert_eq!(access.speech_rate, SpeechRate::Normal);
        let mut volume = SpeechVolume::default();
        let mut gains = vec![volume.gain()];
        while let Some(up) = volume.louder() {
            volume = up;
            gains.push(volume.gain());
        }
        assert_eq!(volume.step(), SpeechVolume::STEPS);
        while let Some(down) = volume.quieter() {
            volume = down;
            gains.push(volume.gain());
        }
        assert_eq!(volume.step(), 1);
        assert_eq!(gains, [1.0, 1.35, 1.7, 1.35, 1.0, 0.45, 0.2]);
        let rates: Vec<u32> = std::iter::successors(Some(SpeechRate::Normal), |r| Some(r.next()))
            .take(4)
            .map(SpeechRate::words_per_minute)
            .collect();
        assert_eq!(rates, [175, 240, 125, 175]);
        let louder = Access {
            speech_volume: SpeechVolume::default().louder().unwrap(),
            ..Access::default()
        };
        assert!(louder.any(), "a louder voice is a setting of this visit");
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
