//! Palette, type scale and fonts. Sizes are fractions of the smaller side of
//! the window (vmin), so one layout reads the same at 1080×1920, 1920×1080
//! and 4K.

use bevy::prelude::*;
use bevy::text::{Font, FontCx, FontSize};

use parley::fontique::{Blob, Script};

/// The UI font, embedded: text must never depend on a file found at run time.
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
/// For text in Arabic script, which Noto Sans lacks (a hub may send it).
const ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");
const ARABIC_FAMILY: &str = "Noto Sans Arabic";

/// The colours of one palette. Every text colour is checked against the
/// surfaces it is drawn on (see the tests): at least 4.5:1 in the normal
/// palette, 7:1 in the high-contrast one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub background: Color,
    /// Cards, rows, tiles.
    pub surface: Color,
    /// A pressed control.
    pub pressed: Color,
    pub text: Color,
    pub text_muted: Color,
    /// Highlights: the clock, counts, a chosen filter.
    pub accent: Color,
    /// Text drawn on `accent`.
    pub on_accent: Color,
    pub urgent: Color,
    /// A picture that is not (yet) there.
    pub placeholder: Color,
}

impl Palette {
    /// Deep blue background, white text.
    pub const NORMAL: Palette = Palette {
        background: Color::srgb(0.043, 0.145, 0.271),
        surface: Color::srgb(0.082, 0.224, 0.388),
        pressed: Color::srgb(0.17, 0.36, 0.58),
        text: Color::WHITE,
        text_muted: Color::srgb(0.78, 0.84, 0.92),
        accent: Color::srgb(1.0, 0.776, 0.18),
        on_accent: Color::srgb(0.043, 0.145, 0.271),
        urgent: Color::srgb(0.75, 0.08, 0.10),
        placeholder: Color::srgb(0.20, 0.31, 0.45),
    };

    /// Black, white and yellow: for low vision (WCAG AAA, 7:1 and more).
    pub const HIGH_CONTRAST: Palette = Palette {
        background: Color::BLACK,
        surface: Color::srgb(0.12, 0.12, 0.12),
        pressed: Color::srgb(0.0, 0.20, 0.55),
        text: Color::WHITE,
        text_muted: Color::srgb(0.92, 0.92, 0.92),
        accent: Color::srgb(1.0, 0.92, 0.0),
        on_accent: Color::BLACK,
        urgent: Color::srgb(0.62, 0.0, 0.0),
        placeholder: Color::srgb(0.22, 0.22, 0.22),
    };

    /// Every (name, text colour, what it is drawn on) pair the screens use.
    pub fn text_pairs(&self) -> [(&'static str, Color, Color); 11] {
        [
            ("text/background", self.text, self.background),
            ("text/surface", self.text, self.surface),
            ("text/pressed", self.text, self.pressed),
            ("text/urgent", self.text, self.urgent),
            ("text/placeholder", self.text, self.placeholder),
            ("muted/background", self.text_muted, self.background),
            ("muted/surface", self.text_muted, self.surface),
            ("accent/background", self.accent, self.background),
            ("accent/surface", self.accent, self.surface),
            ("on_accent/accent", self.on_accent, self.accent),
            // The QR card: a caption on white.
            ("on_accent/white", self.on_accent, Color::WHITE),
        ]
    }
}

/// Type scale and spacing, in percent of the window's smaller side.
pub mod size {
    pub const TITLE: f32 = 6.0;
    pub const HEADING: f32 = 4.4;
    pub const BODY: f32 = 3.4;
    pub const SMALL: f32 = 2.8;
    /// An urgent announcement: readable from 3 m on a 43" totem.
    pub const URGENT: f32 = 7.0;
    /// The reference code of a vacancy, to read out at the desk.
    pub const CODE: f32 = 8.0;
    /// Padding and gaps.
    pub const GAP: f32 = 2.2;
    /// The smallest touch target: 64 px at 1080 px.
    pub const TOUCH_TARGET: f32 = 6.0;
    /// Large text grows every size up to this; sizes already above it (a
    /// title, a code) stay as they are, so a line still fits the screen.
    pub const LARGE_TEXT_CAP: f32 = 9.0;
    /// Corner radius of cards and controls.
    pub const RADIUS: f32 = 1.2;
}

#[derive(Clone)]
pub struct Fonts {
    pub bold: Handle<Font>,
    /// Held so the face stays loaded; text reaches it by fallback.
    _arabic: Handle<Font>,
}

/// The most that large text grows the frame around the page.
const CHROME_SCALE: f32 = 1.25;

/// How the interface looks right now. Every screen is drawn from it, and
/// redrawn when it changes, so text scale, palette and direction can change
/// while the kiosk runs.
#[derive(Resource, Clone)]
pub struct Theme {
    pub palette: Palette,
    /// Multiplies every text size (1.0: normal).
    pub text_scale: f32,
    /// Right-to-left layout (mirrored rows).
    pub rtl: bool,
    pub fonts: Fonts,
}

impl Theme {
    pub fn font_size(&self, size: f32) -> FontSize {
        FontSize::VMin(self.scaled(size))
    }

    /// `size` (vmin) at the visitor's text scale: body text doubles at 2×,
    /// titles grow to [`size::LARGE_TEXT_CAP`].
    pub fn scaled(&self, size: f32) -> f32 {
        (size * self.text_scale).min(size.max(size::LARGE_TEXT_CAP))
    }

    /// The theme for a visitor's settings and language.
    pub fn for_visitor(
        &self,
        access: &portalavoro_core::access::Access,
        lang: &portalavoro_core::content::Lang,
    ) -> Theme {
        Theme {
            palette: if access.high_contrast {
                Palette::HIGH_CONTRAST
            } else {
                Palette::NORMAL
            },
            text_scale: access.text_size.scale(),
            rtl: portalavoro_core::access::is_right_to_left(lang),
            fonts: self.fonts.clone(),
        }
    }

    /// For the frame around the page (site name, clock, where content
    /// comes from): large text grows it at most 1.25×, leaving the room to
    /// the page itself.
    pub fn chrome(&self) -> Theme {
        Theme {
            text_scale: self.text_scale.min(CHROME_SCALE),
            ..self.clone()
        }
    }

    /// Whether two themes draw the same (fonts never change).
    pub fn looks_like(&self, other: &Theme) -> bool {
        self.palette == other.palette
            && self.text_scale == other.text_scale
            && self.rtl == other.rtl
    }

    /// The main direction of a row: mirrored right to left.
    pub fn row(&self) -> FlexDirection {
        if self.rtl {
            FlexDirection::RowReverse
        } else {
            FlexDirection::Row
        }
    }

    /// Text alignment at the start of a line.
    pub fn start(&self) -> Justify {
        if self.rtl {
            Justify::Right
        } else {
            Justify::Left
        }
    }

    /// Text alignment at the end of a line.
    pub fn end(&self) -> Justify {
        if self.rtl {
            Justify::Left
        } else {
            Justify::Right
        }
    }

    /// A paragraph in the regular face, aligned at the start of the line;
    /// it wraps within its box.
    pub fn text(&self, text: impl Into<String>, size: f32, color: Color) -> impl Bundle {
        self.text_at(text, size, color, self.start())
    }

    /// A paragraph in the bold face.
    pub fn strong(&self, text: impl Into<String>, size: f32, color: Color) -> impl Bundle {
        self.strong_at(text, size, color, self.start())
    }

    pub fn text_at(
        &self,
        text: impl Into<String>,
        size: f32,
        color: Color,
        justify: Justify,
    ) -> impl Bundle {
        (
            Text::new(text),
            TextFont {
                font_size: self.font_size(size),
                ..default()
            },
            TextColor(color),
            // Words wrap; a word longer than the line (a hub may send one)
            // breaks rather than overflows.
            TextLayout::new(justify, LineBreak::WordOrCharacter),
        )
    }

    pub fn strong_at(
        &self,
        text: impl Into<String>,
        size: f32,
        color: Color,
        justify: Justify,
    ) -> impl Bundle {
        (
            Text::new(text),
            TextFont {
                font: self.fonts.bold.clone().into(),
                font_size: self.font_size(size),
                ..default()
            },
            TextColor(color),
            // Words wrap; a word longer than the line (a hub may send one)
            // breaks rather than overflows.
            TextLayout::new(justify, LineBreak::WordOrCharacter),
        )
    }

    /// A code to read out (a vacancy reference): bold, and never broken
    /// inside, so the box it sits in is never narrower than the code.
    pub fn code(&self, text: impl Into<String>, size: f32, color: Color) -> impl Bundle {
        (
            Text::new(text),
            TextFont {
                font: self.fonts.bold.clone().into(),
                font_size: self.font_size(size),
                ..default()
            },
            TextColor(color),
            TextLayout::new(self.start(), LineBreak::WordBoundary),
        )
    }

    /// A card: a rounded surface holding a column.
    pub fn card(&self) -> impl Bundle {
        self.card_in(self.palette.surface)
    }

    /// A card in `colour` (an alert's red).
    pub fn card_in(&self, colour: Color) -> impl Bundle {
        (
            Node {
                flex_direction: FlexDirection::Column,
                padding: UiRect::all(Val::VMin(size::GAP)),
                row_gap: Val::VMin(size::GAP / 2.0),
                border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                ..default()
            },
            BackgroundColor(colour),
        )
    }

    /// A row of items that wraps to the next line when out of room.
    pub fn wrap_row(&self, gap: f32) -> Node {
        Node {
            flex_direction: self.row(),
            flex_wrap: FlexWrap::Wrap,
            column_gap: Val::VMin(gap),
            row_gap: Val::VMin(gap),
            align_items: AlignItems::Center,
            ..default()
        }
    }
}

/// A font read where the binary holds it, instead of a copy on the heap:
/// only the pages of the glyphs drawn are ever in memory.
fn embedded(bytes: &'static [u8]) -> Font {
    Font {
        data: Blob::new(std::sync::Arc::new(bytes)),
        alias: String::new(),
    }
}

pub(super) fn plugin(app: &mut App) {
    let mut fonts = app.world_mut().resource_mut::<Assets<Font>>();
    // The default handle is what every `TextFont::default()` uses.
    let _ = fonts.insert(AssetId::default(), embedded(REGULAR));
    let bold = fonts.add(embedded(BOLD));
    let arabic = fonts.add(embedded(ARABIC));
    app.insert_resource(Theme {
        palette: Palette::NORMAL,
        text_scale: 1.0,
        rtl: false,
        fonts: Fonts {
            bold,
            _arabic: arabic,
        },
    })
    .insert_resource(ClearColor(Palette::NORMAL.background))
    .add_systems(Update, use_fallback_fonts)
    .add_systems(
        Update,
        follow_visitor
            .in_set(super::shared::AppSystems::Theme)
            .run_if(resource_exists::<super::session::VisitorSession>),
    );
}

/// The theme follows the visitor's settings and language (and goes back
/// to normal when the session is reset); every screen redraws on a change.
fn follow_visitor(
    session: Res<super::session::VisitorSession>,
    config: Res<super::shared::KioskConfig>,
    mut theme: ResMut<Theme>,
    mut clear: ResMut<ClearColor>,
) {
    if !session.is_changed() {
        return;
    }
    let wanted = theme.for_visitor(&session.access, session.language(&config.display.language));
    if !theme.looks_like(&wanted) {
        clear.0 = wanted.palette.background;
        *theme = wanted;
    }
}

/// Text falls back, per script, only to fonts named for it (there is no
/// system font lookup on a kiosk): once the Arabic face is in the font
/// collection, name it for Arabic script.
fn use_fallback_fonts(
    font_cx: Option<ResMut<FontCx>>,
    mut texts: Query<&mut TextFont>,
    mut done: Local<bool>,
) {
    let Some(mut font_cx) = font_cx else { return };
    if *done {
        return;
    }
    if let Some(family) = font_cx.collection.family_id(ARABIC_FAMILY) {
        let arabic = Script::from_bytes(*b"Arab");
        font_cx
            .collection
            .append_fallbacks(arabic, std::iter::once(family));
        // Text laid out before this frame did so without the fallback.
        for mut font in &mut texts {
            font.set_changed();
        }
        *done = true;
    }
}

/// WCAG contrast ratio of two opaque colours (1 to 21).
#[cfg(test)]
pub fn contrast(a: Color, b: Color) -> f32 {
    fn luminance(c: Color) -> f32 {
        let c = c.to_linear();
        0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::asset::AssetPlugin;
    use bevy::text::TextPlugin;

    #[test]
    fn every_text_colour_is_legible_on_what_it_is_drawn_on() {
        for (palette, name, min) in [
            (Palette::NORMAL, "normal", 4.5),
            (Palette::HIGH_CONTRAST, "high contrast", 7.0),
        ] {
            for (pair, fg, bg) in palette.text_pairs() {
                let ratio = contrast(fg, bg);
                assert!(ratio >= min, "{name} {pair}: {ratio:.2} < {min}");
            }
        }
        assert!((contrast(Color::BLACK, Color::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color::WHITE, Color::WHITE) - 1.0).abs() < 0.01);
        // The check can fail: mid grey on white is 4.5:1 at best.
        assert!(contrast(Color::srgb(0.46, 0.46, 0.46), Color::WHITE) < 4.6);
    }

    #[test]
    fn large_text_doubles_body_text_and_caps_titles() {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, AssetPlugin::default(), TextPlugin))
            .add_plugins(plugin);
        let theme = app.world().resource::<Theme>().clone();
        let largest = portalavoro_core::access::Access {
            text_size: portalavoro_core::access::TextSize::Largest,
            ..Default::default()
        };
        let big = theme.for_visitor(&largest, &portalavoro_core::content::Lang::new("it"));
        assert_eq!(big.scaled(size::BODY), size::BODY * 2.0);
        assert_eq!(big.scaled(size::SMALL), size::SMALL * 2.0);
        assert_eq!(big.scaled(size::TITLE), size::LARGE_TEXT_CAP);
        assert_eq!(
            big.scaled(size::CODE * 1.5),
            size::CODE * 1.5,
            "never smaller"
        );
        assert_eq!(theme.scaled(size::BODY), size::BODY);
        let arabic = theme.for_visitor(
            &Default::default(),
            &portalavoro_core::content::Lang::new("ar"),
        );
        assert!(arabic.rtl && !theme.rtl);
        assert_eq!(arabic.row(), FlexDirection::RowReverse);
        assert_eq!(arabic.start(), Justify::Right);
        assert!(!arabic.looks_like(&theme) && theme.looks_like(&theme.clone()));
    }

    #[test]
    fn arabic_text_falls_back_to_the_arabic_face() {
        let mut app = App::new();
        app.add_plugins((
            MinimalPlugins,
            AssetPlugin::default(),
            TextPlugin,
            bevy::image::ImagePlugin::default(),
        ))
        .add_plugins(plugin);
        app.update();
        app.update();
        let mut font_cx = app.world_mut().resource_mut::<FontCx>();
        let arabic = font_cx
            .collection
            .family_id(ARABIC_FAMILY)
            .expect("the Arabic face is loaded");
        let fallbacks: Vec<_> = font_cx
            .collection
            .fallback_families(Script::from_bytes(*b"Arab"))
            .collect();
        assert!(fallbacks.contains(&arabic), "{fallbacks:?}");
    }
}

/// What every screen reads to draw itself: configuration, time, strings
/// and the theme.
#[derive(bevy::ecs::system::SystemParam)]
pub struct Look<'w> {
    pub config: Res<'w, super::shared::KioskConfig>,
    pub clock: Res<'w, super::shared::WallClock>,
    pub strings: Res<'w, super::shared::Strings>,
    pub theme: Res<'w, Theme>,
}
