//! Glyph atlases: bevy rasterises each glyph once per font and size into
//! textures it keeps for the life of the process, and a visitor who tried
//! three languages at the largest text size leaves atlases nobody else
//! needs. When a visit ends (the attract loop, or closing time), they go;
//! the next screen's glyphs are drawn anew in its first frame.

use bevy::prelude::*;
use bevy::text::FontAtlasSet;

use super::session::Mode;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Mode::Attract), let_go)
        .add_systems(OnEnter(Mode::Closed), let_go);
}

/// Drops every atlas, and has the text still on screen (an urgent
/// announcement, say) laid out again, so it takes its glyphs anew.
fn let_go(mut atlases: ResMut<FontAtlasSet>, mut texts: Query<&mut Text>) {
    if atlases.is_empty() {
        return;
    }
    let count: usize = atlases.values().map(Vec::len).sum();
    atlases.clear();
    for mut text in &mut texts {
        text.set_changed();
    }
    debug!("glyph atlases: {count} let go");
}
