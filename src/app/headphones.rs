//! Headphones in the jack turn reading aloud on, with how to use the
//! keypad, as a keypad key does; out, they turn it off. Headphones plugged
//! in on the attract loop wake the kiosk, as a touch would. The jack is
//! watched by the core's `jack` thread, where the sound card reports one.

use bevy::prelude::*;
use crossbeam_channel::Receiver;

use super::session::{Arrived, Mode, VisitorSession};
use super::sound::Sounds;
use super::speech::{HelpAsked, VoiceState, turn_on};
use portalavoro_core::access::Setting;
use portalavoro_core::session::Intent;

/// Headphones going in (`true`) or out (`false`).
#[derive(Resource)]
pub struct Jack(pub Receiver<bool>);

pub(super) fn plugin(jack: Receiver<bool>) -> impl Plugin {
    move |app: &mut App| {
        app.insert_resource(Jack(jack.clone()))
            .add_systems(PreUpdate, follow_jack.before(super::session::track_visitor));
    }
}

fn follow_jack(
    jack: Res<Jack>,
    mode: Res<State<Mode>>,
    mut session: ResMut<VisitorSession>,
    mut help: ResMut<HelpAsked>,
    mut arrived: MessageWriter<Arrived>,
    sounds: Res<Sounds>,
    voice: Res<VoiceState>,
) {
    for plugged in jack.0.try_iter() {
        let with_visitor = matches!(mode.get(), Mode::Attract | Mode::Visitor);
        if !with_visitor {
            continue; // closed, or staff at the diagnostics
        }
        if plugged {
            arrived.write(Arrived);
            help.0 = turn_on(&mut session, &sounds, &voice, "headphones");
        } else if session.access.speech {
            info!("speech: off, headphones out");
            session.apply(Intent::Access(Setting::Speech));
        }
    }
}
