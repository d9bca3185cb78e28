//! Reactive rendering: no frames while nothing changes. A frame is drawn
//! when input arrives, when the sync thread wakes the loop with new content,
//! at each new minute (for the clock), at moments a system asks for with
//! [`WakeAt`] (the next attract slide, the idle deadline, a countdown), and
//! while something moves (a slide transition, a page gliding in: on a
//! software renderer at a steady pace, [`MotionPace`]). The first
//! seconds are drawn continuously (under Xvfb/lavapipe the first lone frames
//! were once seen to present nothing). After that a change is drawn in the
//! one frame that makes it: the extra frame once drawn after each change
//! cost lavapipe 0.15 s of CPU a minute for the clock alone, and the clock
//! read under Xvfb each minute, and the smoke test's announcement pushed
//! while the kiosk slept, show without it (docs/PERFORMANCE.md).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};
use wgpu_types::DeviceType;

use super::shared::AppSystems;
use portalavoro_core::clock::Clock;

/// How long to keep drawing after start-up.
const START_BURST: Duration = Duration::from_secs(3);
/// The longest the app sleeps with nothing to do: a safety net, since every
/// real change (input, new content, the next minute) wakes it by itself.
pub(super) const IDLE_WAIT: Duration = Duration::from_secs(60);

/// Draw every frame until `until`.
#[derive(Resource)]
pub struct RedrawBurst {
    until: Instant,
}

impl RedrawBurst {
    /// Drawing continuously for the first seconds after start.
    pub fn at_start() -> RedrawBurst {
        RedrawBurst {
            until: Instant::now() + START_BURST,
        }
    }
}

/// A frame of something moving (a slide coming in, a page gliding) on a
/// software renderer: Mesa's lavapipe, where the CPU draws every pixel of
/// every frame (40–60 ms of CPU a frame at 1080×1920), draws one such
/// frame at most this often: about 18 a second, smooth enough for a 0.7 s
/// slide (the bar: a median frame of 60 ms or less), for a
/// quarter less CPU in the attract loop than frames drawn back to back
/// (docs/PERFORMANCE.md).
pub const SOFTWARE_MOTION_FRAME: Duration = Duration::from_millis(55);

/// How soon the next frame of something moving is drawn: as soon as the
/// display takes one (a GPU draws a frame in a few milliseconds), or, on a
/// software renderer, every [`SOFTWARE_MOTION_FRAME`].
#[derive(Resource, Clone, Copy, Debug, Default)]
pub struct MotionPace {
    software: bool,
    /// When the next paced frame is due: one train of frames for all that
    /// moves, whatever else draws a frame in between.
    next: Option<Duration>,
}

impl MotionPace {
    /// Paced: the renderer is the CPU.
    pub fn software() -> MotionPace {
        MotionPace {
            software: true,
            next: None,
        }
    }

    /// Asks for the next frame of something moving.
    pub fn keep_moving(
        &mut self,
        uptime: &Uptime,
        wake: &WakeAt,
        redraw: &mut MessageWriter<RequestRedraw>,
    ) {
        if !self.software {
            redraw.write(RequestRedraw);
            return;
        }
        let now = uptime.now();
        if self.next.is_some_and(|next| next > now) {
            return;
        }
        let next = now + SOFTWARE_MOTION_FRAME;
        self.next = Some(next);
        wake.at(uptime.instant(next));
    }
}

/// Time since the app started, read as each frame begins: what the idle
/// timer, the attract loop and the countdown go by. (bevy's `Time<Real>`
/// is the previous frame's time with pipelined rendering, so after a sleep
/// it lags by the whole sleep: a slide due on waking would look early.)
/// Headless tests drive it with `Time<Real>` and a manual step instead.
#[derive(Resource, Clone, Copy)]
pub struct Uptime {
    started: Instant,
    now: Duration,
    manual: bool,
}

impl Uptime {
    /// Read from the system clock.
    pub fn real() -> Uptime {
        Uptime {
            started: Instant::now(),
            now: Duration::ZERO,
            manual: false,
        }
    }

    /// Following `Time<Real>` (tests with `TimeUpdateStrategy::ManualDuration`).
    pub fn manual() -> Uptime {
        Uptime {
            manual: true,
            ..Uptime::real()
        }
    }

    /// At the start of this frame.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// The moment `uptime` falls at, for [`WakeAt`].
    pub fn instant(&self, uptime: Duration) -> Instant {
        self.started + uptime
    }
}

pub fn read_uptime(mut uptime: ResMut<Uptime>, time: Res<Time<Real>>) {
    uptime.now = if uptime.manual {
        time.elapsed()
    } else {
        uptime.started.elapsed()
    };
}

/// Wakes the app at a moment: a system that will have something to show
/// then (and nothing before) asks for it, and the app sleeps until then.
#[derive(Resource, Clone, Default)]
pub struct WakeAt(Option<Sender<Instant>>);

impl WakeAt {
    /// Moments asked for go to `moments` (the waker thread, or a test
    /// playing it).
    pub fn to(moments: Sender<Instant>) -> WakeAt {
        WakeAt(Some(moments))
    }

    pub fn at(&self, when: Instant) {
        if let Some(sender) = &self.0 {
            let _ = sender.send(when);
        }
    }
}

/// `wake` wakes the event loop from another thread.
pub(super) fn plugin(clock: Clock, wake: Box<dyn Fn() + Send + Sync>) -> impl Plugin {
    // One thread wakes the loop at each new minute (the clock on screen)
    // and at every moment asked for. (Changing `WinitSettings` instead
    // would itself force a redraw.)
    let (sender, moments) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("waker".into())
        .spawn(move || wake_when_asked(clock, moments, wake))
        .expect("spawn the waker");
    move |app: &mut App| {
        app.insert_resource(WakeAt::to(sender.clone()))
            .insert_resource(RedrawBurst::at_start())
            .insert_resource(Uptime::real())
            .insert_resource(WinitSettings {
                focused_mode: UpdateMode::reactive(IDLE_WAIT),
                unfocused_mode: UpdateMode::reactive(IDLE_WAIT),
            })
            .add_systems(Update, keep_drawing.in_set(AppSystems::Schedule))
            .add_systems(
                Update,
                pace_motion.run_if(resource_added::<RenderAdapterInfo>),
            );
    }
}

/// Motion is paced once the renderer is known ([`MotionPace`]).
fn pace_motion(adapter: Res<RenderAdapterInfo>, mut pace: ResMut<MotionPace>) {
    *pace = if adapter.device_type == DeviceType::Cpu {
        MotionPace::software()
    } else {
        MotionPace::default()
    };
    let rate = if pace.software {
        format!("one frame every {SOFTWARE_MOTION_FRAME:?}")
    } else {
        "at the display's rate".to_string()
    };
    info!(
        "renderer: {} ({:?}), motion drawn {rate}",
        adapter.name, adapter.device_type
    );
}

fn wake_when_asked(clock: Clock, moments: Receiver<Instant>, wake: Box<dyn Fn() + Send + Sync>) {
    let mut pending = BTreeSet::new();
    loop {
        let into_minute = clock.now().as_millisecond().rem_euclid(60_000) as u64;
        let next_minute = Instant::now() + Duration::from_millis(60_000 - into_minute + 20);
        let next = pending
            .first()
            .copied()
            .unwrap_or(next_minute)
            .min(next_minute);
        match moments.recv_timeout(next.saturating_duration_since(Instant::now())) {
            Ok(moment) => {
                pending.insert(moment);
            }
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                pending.retain(|moment| *moment > now);
                wake();
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn keep_drawing(burst: Res<RedrawBurst>, mut redraw: MessageWriter<RequestRedraw>) {
    if Instant::now() < burst.until {
        redraw.write(RequestRedraw);
    }
}
