//! Snapshots from the sync thread → the [`Content`] resource; and the app's
//! vitals (screen, display size, touch count) → the heartbeat.

use std::sync::Arc;

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use crossbeam_channel::Receiver;

use super::session::{Mode, NewTouches, VisitorSession};
use super::shared::AppSystems;
use super::sound::Sounds;
use portalavoro_core::audio::Output;
use portalavoro_core::content::Catalog;
use portalavoro_core::hub::heartbeat::SharedVitals;
use portalavoro_core::hub::{SyncCommand, SyncHandle};

/// The catalog on screen: the latest snapshot.
#[derive(Resource, Deref, Clone)]
pub struct Content(pub Arc<Catalog>);

/// The app's end of the sync thread's snapshot channel.
#[derive(Resource, Clone)]
pub struct SyncLink {
    snapshots: Receiver<Arc<Catalog>>,
    commands: Option<crossbeam_channel::Sender<SyncCommand>>,
}

impl SyncLink {
    /// Snapshots only (headless tests: nothing to command).
    #[cfg(test)]
    pub fn new(snapshots: Receiver<Arc<Catalog>>) -> SyncLink {
        SyncLink {
            snapshots,
            commands: None,
        }
    }

    pub fn of(sync: &SyncHandle) -> SyncLink {
        SyncLink {
            snapshots: sync.snapshots.clone(),
            commands: Some(sync.commands.clone()),
        }
    }

    /// Asks the sync thread for something; whether it could be asked.
    pub fn command(&self, command: SyncCommand) -> bool {
        self.commands
            .as_ref()
            .is_some_and(|commands| commands.send(command).is_ok())
    }
}

/// The vitals shared with the heartbeat (and shown on the diagnostics).
#[derive(Resource, Deref)]
pub struct Vitals(SharedVitals);

pub(super) fn plugin(initial: Arc<Catalog>, link: SyncLink, vitals: SharedVitals) -> impl Plugin {
    move |app: &mut App| {
        app.insert_resource(Content(initial.clone()))
            .insert_resource(link.clone())
            .insert_resource(Vitals(vitals.clone()))
            .add_systems(
                Update,
                (receive_snapshots, report_vitals).in_set(AppSystems::Receive),
            );
    }
}

fn receive_snapshots(link: Res<SyncLink>, mut content: ResMut<Content>) {
    // Only the newest matters: the sync thread sends whole snapshots.
    if let Some(latest) = link.snapshots.try_iter().last() {
        debug!("new snapshot on screen");
        content.0 = latest;
    }
}

/// Counts touches and clicks (never where they were) and the window size.
fn report_vitals(
    vitals: Res<Vitals>,
    mut input: NewTouches,
    window: Single<&Window, With<PrimaryWindow>>,
    session: Res<VisitorSession>,
    mode: Res<State<Mode>>,
    sounds: Res<Sounds>,
) {
    let count = input.count();
    let size = (window.physical_width(), window.physical_height());
    let mut shared = vitals.lock().unwrap_or_else(|e| e.into_inner());
    shared.touches += count as u64;
    shared.display = size;
    let screen = super::session::screen_name(*mode.get(), &session);
    if shared.screen != screen {
        shared.screen = screen.into();
    }
    let sound = match sounds.output() {
        Output::Opening => "opening".to_string(),
        Output::Playing(device) => format!("playing on {device}"),
        Output::Silent(why) => format!("silent: {why}"),
    };
    if shared.sound != sound {
        shared.sound = sound;
    }
}
