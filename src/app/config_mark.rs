//! A mark in the top-left corner of every screen while the kiosk runs on
//! the last valid configuration, or out of service, because its file is
//! broken: diagnostics walking past see that the totem needs a technician without
//! reading a journal. It sits on the corner held to open the diagnostics
//! screen, which names the error; visitors can touch through it.

use bevy::prelude::*;

use super::theme::{Palette, Theme, size};

/// Draws the mark above everything, from the first frame, when `broken`.
pub(super) fn plugin(broken: bool) -> impl Plugin {
    move |app: &mut App| {
        if broken {
            app.add_systems(Startup, spawn_mark);
        }
    }
}

/// The mark: always there, never redrawn.
#[derive(Component)]
pub struct ConfigMark;

fn spawn_mark(mut commands: Commands, theme: Res<Theme>) {
    let p = Palette::NORMAL;
    commands.spawn((
        ConfigMark,
        Name::new("Configuration mark"),
        Node {
            position_type: PositionType::Absolute,
            left: Val::Px(0.0),
            top: Val::Px(0.0),
            padding: UiRect::axes(Val::VMin(size::GAP / 2.0), Val::VMin(size::GAP / 4.0)),
            border_radius: BorderRadius::bottom_right(Val::VMin(size::RADIUS)),
            ..default()
        },
        BackgroundColor(p.urgent),
        GlobalZIndex(i32::MAX),
        Pickable::IGNORE,
        children![(
            theme.strong("kiosk.toml: ERRORE", size::SMALL, p.text),
            Pickable::IGNORE
        )],
    ));
}
