//! Reactive rendering: no frames while nothing changes. A frame is drawn
//! when input arrives, when the sync thread wakes the loop with new content,
//! at each new minute (for the clock), and in short bursts after a change,
//! because under Xvfb/lavapipe a single reactive frame was seen to present
//! nothing (the first frames) or text without glyphs (a later redraw fixed it).

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};

use super::AppSystems;
use crate::hub::Clock;

/// How long to keep drawing after start-up.
const START_BURST: Duration = Duration::from_secs(3);
/// How many frames to draw after a change on screen.
const CHANGE_FRAMES: u32 = 3;

/// The longest the app sleeps with nothing to do: a safety net, since every
/// real change (input, new content, the next minute) wakes it by itself.
const IDLE_WAIT: Duration = Duration::from_secs(60);

/// Draw every frame until `until`, and for `frames` more frames.
#[derive(Resource)]
pub struct RedrawBurst {
    until: Instant,
    frames: u32,
}

impl RedrawBurst {
    /// Drawing continuously for the first seconds after start.
    pub fn at_start() -> RedrawBurst {
        RedrawBurst {
            until: Instant::now() + START_BURST,
            frames: 0,
        }
    }

    /// Something on screen changed: draw a few frames so it shows.
    pub fn changed(&mut self) {
        self.frames = self.frames.max(CHANGE_FRAMES);
    }
}

/// `wake` wakes the event loop from another thread.
pub(super) fn plugin(clock: Clock, wake: Box<dyn Fn() + Send + Sync>) -> impl Plugin {
    // The clock on screen changes each minute: a thread wakes the loop then.
    // (Changing `WinitSettings` instead would itself force a redraw.)
    std::thread::Builder::new()
        .name("minute-ticker".into())
        .spawn(move || {
            loop {
                let into_minute = clock.now().as_millisecond().rem_euclid(60_000) as u64;
                std::thread::sleep(Duration::from_millis(60_000 - into_minute + 20));
                wake();
            }
        })
        .expect("spawn the minute ticker");
    |app: &mut App| {
        app.insert_resource(RedrawBurst::at_start())
            .insert_resource(WinitSettings {
                focused_mode: UpdateMode::reactive(IDLE_WAIT),
                unfocused_mode: UpdateMode::reactive(IDLE_WAIT),
            })
            .add_systems(Update, keep_drawing.in_set(AppSystems::Schedule));
    }
}

fn keep_drawing(mut burst: ResMut<RedrawBurst>, mut redraw: MessageWriter<RequestRedraw>) {
    if burst.frames > 0 || Instant::now() < burst.until {
        burst.frames = burst.frames.saturating_sub(1);
        redraw.write(RequestRedraw);
    }
}
