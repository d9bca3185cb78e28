//! Sound in the app: the click of a control (see `touch`), and music under
//! the attract loop when `[audio] music` is on, outside quiet hours. Music
//! never plays while a visitor uses the kiosk or while it is closed.

use bevy::prelude::*;

use super::session::Mode;
use super::shared::{AppSystems, DrawnMinute, KioskConfig, WallClock};
use portalavoro_core::audio::Audio;

/// The sound thread's handle.
#[derive(Resource, Clone, Deref)]
pub struct Sounds(pub Audio);

pub(super) fn plugin(audio: Audio) -> impl Plugin {
    move |app: &mut App| {
        app.insert_resource(Sounds(audio.clone()))
            .add_systems(Update, follow_mode.in_set(AppSystems::Schedule));
    }
}

/// Music on in the attract loop, off otherwise; checked when the mode
/// changes and each minute (quiet hours).
fn follow_mode(
    sounds: Res<Sounds>,
    mode: Res<State<Mode>>,
    config: Res<KioskConfig>,
    clock: Res<WallClock>,
    mut drawn: Local<DrawnMinute>,
    mut playing: Local<bool>,
) {
    let now = clock.now();
    if !drawn.moved(now) && !mode.is_changed() {
        return;
    }
    let local = now.to_zoned(config.display.timezone.clone());
    let wanted = *mode.get() == Mode::Attract && config.audio.music_allowed(&local);
    if wanted != *playing {
        *playing = wanted;
        sounds.music(wanted);
    }
}
