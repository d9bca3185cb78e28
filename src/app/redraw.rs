//! Reactive rendering: no frames while nothing changes. A frame is drawn
//! when input arrives, when the sync thread wakes the loop with new content,
//! at each new minute (for the clock), and in short bursts after a change,
//! because under Xvfb/lavapipe a single reactive frame was seen to present
//! nothing (the first frames) or text without glyphs (a later redraw fixed it).

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};

use super::{AppSystems, WallClock};

/// How long to keep drawing after start-up.
const START_BURST: Duration = Duration::from_secs(3);
/// How long to keep drawing after a change on screen.
const CHANGE_BURST: Duration = Duration::from_millis(500);

/// Draw every frame until this instant.
#[derive(Resource)]
pub struct RedrawBurst {
    until: Instant,
}

impl RedrawBurst {
    pub fn content_changed(&mut self) {
        self.until = self.until.max(Instant::now() + CHANGE_BURST);
    }
}

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(RedrawBurst { until: Instant::now() + START_BURST })
        .insert_resource(WinitSettings {
            focused_mode: UpdateMode::reactive(Duration::from_secs(60)),
            unfocused_mode: UpdateMode::reactive(Duration::from_secs(60)),
        })
        .add_systems(Update, (keep_drawing, wake_at_next_minute).in_set(AppSystems::Schedule));
}

fn keep_drawing(burst: Res<RedrawBurst>, mut redraw: MessageWriter<RequestRedraw>) {
    if Instant::now() < burst.until {
        redraw.write(RequestRedraw);
    }
}

/// Sleep until the next minute (the clock on screen), but no longer.
fn wake_at_next_minute(clock: Res<WallClock>, mut settings: ResMut<WinitSettings>) {
    let now = clock.now();
    let into_minute = now.as_millisecond().rem_euclid(60_000) as u64;
    let wait = UpdateMode::reactive(Duration::from_millis(60_000 - into_minute + 20));
    settings.focused_mode = wait;
    settings.unfocused_mode = wait;
}
