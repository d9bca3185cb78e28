//! What one frame costs at the least: CPU time per frame of a 1080×1920
//! window drawn continuously, with nothing on it, or with one picture or
//! one flat box the size of the attract loop's slide area, moving as a
//! slide does. Under lavapipe (no GPU) this is the floor under every frame
//! the kiosk draws: clearing the screen, copying it to the window,
//! presenting it (docs/PERFORMANCE.md, "attract loop").
//!
//!     xvfb-run -s "-screen 0 1080x1920x24" \
//!         $CARGO_TARGET_DIR/release/examples/frame_floor [empty|picture|box]
//!
//! Prints the median over 5 rounds of 100 frames, after 60 frames to warm up.

use std::time::Instant;

use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::ui::Val2;
use bevy::window::WindowResolution;
use bevy::winit::WinitSettings;

const WARM_UP: u32 = 60;
const ROUND: u32 = 100;
const ROUNDS: usize = 5;
/// The attract loop's slide area in portrait, in pixels.
const SLIDE: UVec2 = UVec2::new(1080, 1200);

#[derive(Resource, Default)]
struct Rounds {
    frames: u32,
    start: Option<(f64, Instant)>,
    cpu_ms: Vec<f64>,
    wall_ms: Vec<f64>,
}

#[derive(Component)]
struct Moving;

fn main() {
    App::new()
        .add_plugins(
            DefaultPlugins
                .build()
                // As the kiosk: no pipelined rendering, one frame in flight.
                .disable::<bevy::render::pipelined_rendering::PipelinedRenderingPlugin>()
                .set(WindowPlugin {
                    primary_window: Some(Window {
                        resolution: WindowResolution::new(1080, 1920),
                        desired_maximum_frame_latency: std::num::NonZeroU32::new(1),
                        ..default()
                    }),
                    ..default()
                }),
        )
        .insert_resource(WinitSettings::continuous())
        .init_resource::<Rounds>()
        .add_systems(Startup, scene)
        .add_systems(Update, (slide, count))
        .run();
}

fn scene(mut commands: Commands, mut images: ResMut<Assets<Image>>) {
    commands.spawn((Camera2d, Msaa::Off));
    let size = Node {
        width: px(SLIDE.x),
        height: px(SLIDE.y),
        ..default()
    };
    match std::env::args().nth(1).as_deref().unwrap_or("empty") {
        "picture" => {
            let pixels = (0..SLIDE.x * SLIDE.y)
                .flat_map(|i| [(i % 251) as u8, (i % 13) as u8 * 19, 90, 255])
                .collect();
            let picture = images.add(Image::new(
                Extent3d {
                    width: SLIDE.x,
                    height: SLIDE.y,
                    depth_or_array_layers: 1,
                },
                TextureDimension::D2,
                pixels,
                TextureFormat::Rgba8UnormSrgb,
                RenderAssetUsages::RENDER_WORLD,
            ));
            commands.spawn((size, ImageNode::new(picture), Moving));
        }
        "box" => {
            commands.spawn((size, BackgroundColor(Color::srgb(0.1, 0.3, 0.5)), Moving));
        }
        _ => {}
    }
}

/// Moves across the screen like a slide coming in, so every frame differs.
fn slide(time: Res<Time>, mut moving: Query<&mut UiTransform, With<Moving>>) {
    for mut at in &mut moving {
        at.translation = Val2::percent(100.0 - (time.elapsed_secs() * 140.0) % 100.0, 0.0);
    }
}

fn count(mut rounds: ResMut<Rounds>, mut exit: MessageWriter<AppExit>) {
    rounds.frames += 1;
    if rounds.frames < WARM_UP || !(rounds.frames - WARM_UP).is_multiple_of(ROUND) {
        return;
    }
    let now = (cpu_seconds(), Instant::now());
    if let Some((cpu, wall)) = rounds.start {
        rounds.cpu_ms.push((now.0 - cpu) * 1000.0 / ROUND as f64);
        rounds
            .wall_ms
            .push(now.1.duration_since(wall).as_secs_f64() * 1000.0 / ROUND as f64);
    }
    rounds.start = Some(now);
    if rounds.cpu_ms.len() == ROUNDS {
        println!(
            "{}: CPU {:.1} ms a frame, wall {:.1} ms (median of {ROUNDS} rounds of {ROUND} frames)",
            std::env::args().nth(1).unwrap_or_else(|| "empty".into()),
            median(&mut rounds.cpu_ms),
            median(&mut rounds.wall_ms)
        );
        exit.write(AppExit::Success);
    }
}

/// CPU time of the whole process, all threads, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are
    // the 14th and 15th of the line.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    // SAFETY: sysconf only reads a constant of the system.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    ticks / per_second
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
