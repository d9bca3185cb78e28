//! Snapshots from the sync thread → the [`Content`] resource; and the app's
//! vitals (screen, display size, touch count) → the heartbeat.

use std::sync::Arc;

use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use crossbeam_channel::{Receiver, Sender};

use super::AppSystems;
use super::redraw::RedrawBurst;
use crate::content::Catalog;
use crate::hub::heartbeat::SharedVitals;
use crate::hub::{SyncCommand, SyncHandle};

/// The catalog on screen: the latest snapshot.
#[derive(Resource, Deref, Clone)]
pub struct Content(pub Arc<Catalog>);

/// The app's end of the sync thread's channels.
#[derive(Resource, Clone)]
pub struct SyncLink {
    snapshots: Receiver<Arc<Catalog>>,
    #[allow(dead_code)] // "sync now" from the diagnostics screen
    pub commands: Sender<SyncCommand>,
}

impl SyncLink {
    pub fn new(snapshots: Receiver<Arc<Catalog>>, commands: Sender<SyncCommand>) -> SyncLink {
        SyncLink {
            snapshots,
            commands,
        }
    }

    pub fn of(sync: &SyncHandle) -> SyncLink {
        SyncLink::new(sync.snapshots.clone(), sync.commands.clone())
    }
}

#[derive(Resource, Deref)]
struct Vitals(SharedVitals);

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

fn receive_snapshots(
    link: Res<SyncLink>,
    mut content: ResMut<Content>,
    mut burst: ResMut<RedrawBurst>,
) {
    // Only the newest matters: the sync thread sends whole snapshots.
    if let Some(latest) = link.snapshots.try_iter().last() {
        debug!("new snapshot on screen");
        content.0 = latest;
        burst.changed();
    }
}

/// Counts touches and clicks (never where they were) and the window size.
fn report_vitals(
    vitals: Res<Vitals>,
    mut touches: MessageReader<TouchInput>,
    mut clicks: MessageReader<bevy::input::mouse::MouseButtonInput>,
    window: Single<&Window, With<PrimaryWindow>>,
) {
    let count = touches
        .read()
        .filter(|t| t.phase == TouchPhase::Started)
        .count()
        + clicks.read().filter(|c| c.state.is_pressed()).count();
    let size = (window.physical_width(), window.physical_height());
    let mut shared = vitals.lock().unwrap_or_else(|e| e.into_inner());
    shared.touches += count as u64;
    shared.display = size;
    if shared.screen.is_empty() {
        shared.screen = "summary".into();
    }
}
