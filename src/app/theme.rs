//! Palette, type scale and fonts. Sizes are fractions of the smaller side of
//! the window (vmin), so one layout reads the same at 1080×1920, 1920×1080
//! and 4K.

use bevy::prelude::*;
use bevy::text::{Font, FontCx, FontSize};
use parley::fontique::Script;

/// The UI font, embedded: text must never depend on a file found at run time.
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
/// For text in Arabic script, which Noto Sans lacks (a hub may send it).
const ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");
const ARABIC_FAMILY: &str = "Noto Sans Arabic";

pub mod palette {
    use bevy::prelude::Color;

    /// Deep blue background, white text: 14:1 contrast.
    pub const BACKGROUND: Color = Color::srgb(0.043, 0.145, 0.271);
    pub const SURFACE: Color = Color::srgb(0.082, 0.224, 0.388);
    pub const TEXT: Color = Color::WHITE;
    /// Light blue-grey on BACKGROUND: 7.9:1.
    pub const TEXT_MUTED: Color = Color::srgb(0.78, 0.84, 0.92);
    pub const ACCENT: Color = Color::srgb(1.0, 0.776, 0.18);
    pub const URGENT: Color = Color::srgb(0.75, 0.08, 0.10);
}

/// Type scale, in percent of the window's smaller side.
pub mod size {
    pub const TITLE: f32 = 6.0;
    pub const HEADING: f32 = 4.4;
    pub const BODY: f32 = 3.4;
    pub const SMALL: f32 = 2.8;
    /// An urgent announcement: readable from 3 m on a 43" totem.
    pub const URGENT: f32 = 7.0;
    /// Padding and gaps.
    pub const GAP: f32 = 2.2;
    /// The smallest touch target: 64 px at 1080 px.
    pub const TOUCH_TARGET: f32 = 6.0;
}

#[derive(Resource)]
pub struct Fonts {
    pub bold: Handle<Font>,
    /// Held so the face stays loaded; text reaches it by fallback.
    _arabic: Handle<Font>,
}

pub(super) fn plugin(app: &mut App) {
    let mut fonts = app.world_mut().resource_mut::<Assets<Font>>();
    // The default handle is what every `TextFont::default()` uses.
    let _ = fonts.insert(AssetId::default(), Font::from_bytes(REGULAR.to_vec()));
    let bold = fonts.add(Font::from_bytes(BOLD.to_vec()));
    let arabic = fonts.add(Font::from_bytes(ARABIC.to_vec()));
    app.insert_resource(Fonts {
        bold,
        _arabic: arabic,
    })
    .insert_resource(ClearColor(palette::BACKGROUND))
    .add_systems(Update, use_fallback_fonts);
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

/// A line of text in the regular face.
pub fn label(text: impl Into<String>, size: f32, color: Color) -> impl Bundle {
    (
        Text::new(text),
        TextFont {
            font_size: FontSize::VMin(size),
            ..default()
        },
        TextColor(color),
    )
}

/// A line of text in the bold face.
pub fn strong(fonts: &Fonts, text: impl Into<String>, size: f32, color: Color) -> impl Bundle {
    (
        Text::new(text),
        TextFont {
            font: fonts.bold.clone().into(),
            font_size: FontSize::VMin(size),
            ..default()
        },
        TextColor(color),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::asset::AssetPlugin;
    use bevy::text::TextPlugin;

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
