//! SIGTERM (systemd stop) and SIGINT end the app cleanly, with exit code 0.
//! The signal thread also wakes the event loop, which may be asleep.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bevy::prelude::*;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::shared::AppSystems;

#[derive(Resource, Clone, Default)]
struct StopRequested(Arc<AtomicBool>);

pub(super) fn plugin(wake: Box<dyn Fn() + Send + Sync>) -> impl Plugin {
    let stop = StopRequested::default();
    let flag = stop.0.clone();
    match Signals::new([SIGTERM, SIGINT]) {
        Ok(mut signals) => {
            std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        info!("signal {signal}: stopping");
                        flag.store(true, Ordering::SeqCst);
                        wake();
                    }
                })
                .expect("spawn the signal thread");
        }
        Err(err) => warn!("cannot watch SIGTERM ({err}); stopping will not be clean"),
    }
    move |app: &mut App| {
        app.insert_resource(stop.clone())
            .add_systems(Update, exit_when_asked.in_set(AppSystems::Receive));
    }
}

fn exit_when_asked(stop: Res<StopRequested>, mut exit: MessageWriter<AppExit>) {
    if stop.0.load(Ordering::SeqCst) {
        exit.write(AppExit::Success);
    }
}
