//! The attract loop: while nobody uses the kiosk, slides from the playlist
//! (the hub's, else kiosk.toml's, else the built-in one) follow each other,
//! sliding in from the side (or cutting, `attract.transition = "cut"`).
//! Frames are drawn only while a slide moves; between transitions the app
//! sleeps until the next slide is due. A slide is drawn once and moved as
//! a layer (`layers`) where the renderer keeps one.
//!
//! An urgent announcement (drawn over everything by `announcements`) holds
//! the loop where it is for as long as it stays.

pub(super) mod layers;
mod slides;

use std::time::Duration;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::ui::Val2;

use crate::app::announcements::UrgentOverlay;
use crate::app::screens::{Canvas, Cx, whole_screen};
use crate::app::session::Mode;
use crate::app::shared::AppSystems;
use crate::app::stale::Drawing;
use portalavoro_core::config;
use portalavoro_core::content::playlist::{self, Cursor};
use portalavoro_core::session::Session;

/// How long a slide takes to move in.
pub(super) const TRANSITION: Duration = Duration::from_millis(700);

/// The attract screen's root.
#[derive(Component)]
struct AttractRoot;

/// A slide on screen.
#[derive(Component)]
pub(super) struct SlideNode;

/// A slide moving in, pushing the old one out.
struct Transition {
    started: Duration,
    old: Entity,
    /// Moved as layers, not as nodes: the UI draws none of its frames
    /// after the first.
    layered: bool,
    /// When each of its frames began, for the log (docs/PERFORMANCE.md).
    frames: Vec<Duration>,
}

/// Where the loop is.
#[derive(Resource, Default)]
pub struct Slideshow {
    cursor: Cursor,
    /// The slide on screen and how long it stays.
    current: Option<(Entity, Duration)>,
    /// When it gives way to the next.
    next_at: Option<Duration>,
    transition: Option<Transition>,
    area: Option<Entity>,
    /// Something changed during a transition: redraw after it.
    stale: bool,
    /// The slide the tour holds on screen, by index.
    pub pinned: Option<usize>,
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(layers::plugin)
        .init_resource::<Slideshow>()
        .add_systems(OnExit(Mode::Attract), |mut show: ResMut<Slideshow>| {
            // The next visitor's walk away starts the loop from the top.
            let pinned = show.pinned;
            *show = Slideshow {
                pinned,
                ..default()
            };
        })
        .add_systems(
            Update,
            run_loop
                .in_set(AppSystems::Render)
                .run_if(in_state(Mode::Attract)),
        );
}

/// The attract screen's nodes, and whether an urgent announcement covers it.
#[derive(SystemParam)]
struct OnScreen<'w, 's> {
    roots: Query<'w, 's, (Entity, &'static mut Visibility), With<AttractRoot>>,
    slides: Query<'w, 's, &'static mut UiTransform, With<SlideNode>>,
    urgent: Query<'w, 's, (), With<UrgentOverlay>>,
}

fn run_loop(
    mut commands: Commands,
    mut show: ResMut<Slideshow>,
    mut canvas: Canvas,
    mut drawing: Drawing,
    mut compositor: layers::Compositor,
    on_screen: OnScreen,
) {
    let OnScreen {
        mut roots,
        mut slides,
        urgent,
    } = on_screen;
    let now = drawing.uptime.now();
    let wall = canvas.look.clock.now();
    show.stale |= drawing.stale.attract();
    // Unless the loop is moving a slide, this frame shows it at rest: kept
    // if a slide will move in over it.
    if show.pinned.is_none() && canvas.look.config.attract.transition == config::Transition::Slide {
        compositor.rest();
    }
    let area = show.area;
    let new = show.current.map(|(new, _)| new);

    if show.transition.is_none() {
        // At rest the UI draws the screen (after a transition's last
        // frame, made of layers, the next frame is drawn again).
        show_roots(&mut roots, Visibility::Inherited);
    }

    // A slide moving: move it, and keep frames coming until it is in.
    if let Some(transition) = &mut show.transition {
        transition.frames.push(now);
        let t = now.saturating_sub(transition.started).as_secs_f32() / TRANSITION.as_secs_f32();
        let eased = ease(t.min(1.0));
        if t < 1.0 {
            if transition.layered
                && !(urgent.is_empty() && area.is_some_and(|area| compositor.step(area, eased)))
            {
                // Something came over the loop, or the screen changed:
                // the rest of the way as nodes.
                transition.layered = false;
                commands
                    .entity(transition.old)
                    .insert(Visibility::Inherited);
            }
            if transition.layered {
                show_roots(&mut roots, Visibility::Hidden);
            } else {
                show_roots(&mut roots, Visibility::Inherited);
                compositor.moving();
                if let Ok(mut old) = slides.get_mut(transition.old) {
                    old.translation = Val2::percent(-100.0 * eased, 0.0);
                }
                if let Some(Ok(mut new)) = new.map(|new| slides.get_mut(new)) {
                    new.translation = Val2::percent(100.0 * (1.0 - eased), 0.0);
                }
            }
            // Frame after frame while it moves, and not one more: the
            // frame after the last drew the slide at rest.
            drawing.keep_moving();
            return;
        }
        let done = show.transition.take().expect("checked above");
        log_frames(&done.frames);
        commands.entity(done.old).despawn();
        // The last frame: the incoming layer, which is the slide at rest
        // (or drawn by the UI, if the slide came in as nodes or something
        // changed while it did, a picture arriving).
        let settled = done.layered
            && !show.stale
            && urgent.is_empty()
            && area.is_some_and(|area| compositor.settle(area));
        if !settled {
            show_roots(&mut roots, Visibility::Inherited);
        }
        if let Some(Ok(mut new)) = new.map(|new| slides.get_mut(new)) {
            new.translation = Val2::ZERO;
        }
        let duration = show.current.map_or(playlist::EXTRA_SLIDE, |(_, d)| d);
        schedule(&mut show, duration, &drawing);
    }

    if let Some(index) = show.pinned
        && index != show.cursor.position
    {
        show.cursor.position = index;
        show.stale = true;
    }
    let session = Session::default();
    if show.stale || roots.is_empty() {
        // The whole screen again, on the slide it was on.
        show.stale = false;
        for (root, _) in &roots {
            commands.entity(root).despawn();
        }
        let position = show.cursor.position;
        let (area, slide, duration) = canvas.draw(&session, wall, |cx| {
            let slides = playlist::fill(
                cx.catalog,
                &cx.config.kiosk_id,
                wall,
                &cx.config.display.timezone,
            );
            let (filled, duration) = &slides[position.min(slides.len() - 1)];
            let mut area = Entity::PLACEHOLDER;
            commands
                .spawn((
                    AttractRoot,
                    Name::new("Attract loop"),
                    DespawnOnExit(Mode::Attract),
                    whole_screen(),
                    // Over the visitor's screen while it is still there.
                    GlobalZIndex(50),
                ))
                .with_children(|root| area = slides::frame(root, cx));
            let slide = spawn_slide(&mut commands, area, cx, filled, 0.0);
            (area, slide, *duration)
        });
        show.area = Some(area);
        show.current = Some((slide, duration));
        if show.next_at.is_none() {
            schedule(&mut show, duration, &drawing);
        }
        // If the next slide is due, the next frame sees to it.
        drawing.next_frame();
        return;
    }

    let due = show.next_at.is_some_and(|at| now >= at);
    if !due || show.pinned.is_some() {
        return;
    }
    if !urgent.is_empty() {
        // Held while an urgent announcement is up; looked at again later.
        schedule(&mut show, playlist::EXTRA_SLIDE, &drawing);
        return;
    }
    let (Some(area), Some((old, _))) = (show.area, show.current) else {
        return;
    };
    let cursor = &mut show.cursor;
    let transition = canvas.look.config.attract.transition;
    // Moved as layers: drawn once where it will rest (this frame still
    // shows the resting layer), its frames made of the two.
    let layered = transition == config::Transition::Slide && compositor.begin(area);
    let (new, duration) = canvas.draw(&session, wall, |cx| {
        let slides = playlist::fill(
            cx.catalog,
            &cx.config.kiosk_id,
            wall,
            &cx.config.display.timezone,
        );
        let (filled, duration) = &slides[cursor.advance(slides.len())];
        debug!("attract: {} slide", filled.kind());
        let offset = if layered { 0.0 } else { 100.0 };
        (
            spawn_slide(&mut commands, area, cx, filled, offset),
            *duration,
        )
    });
    show.current = Some((new, duration));
    match transition {
        config::Transition::Slide => {
            if layered {
                commands.entity(old).insert(Visibility::Hidden);
            } else {
                compositor.moving();
            }
            show.next_at = None;
            show.transition = Some(Transition {
                started: now,
                old,
                layered,
                frames: Vec::new(),
            });
            // Its first frame draws it where it starts; nothing else
            // would ask for the next.
            drawing.keep_moving();
        }
        config::Transition::Cut => {
            commands.entity(old).despawn();
            commands
                .entity(new)
                .insert(UiTransform::from_translation(Val2::ZERO));
            schedule(&mut show, duration, &drawing);
        }
    }
}

/// The attract screen drawn by the UI, or not (its frames made of layers).
fn show_roots(roots: &mut Query<(Entity, &mut Visibility), With<AttractRoot>>, shown: Visibility) {
    for (_, mut visibility) in roots {
        visibility.set_if_neq(shown);
    }
}

/// A slide in the slide area, `offset` percent to the right.
fn spawn_slide(
    commands: &mut Commands,
    area: Entity,
    cx: &mut Cx,
    filled: &playlist::Filled,
    offset: f32,
) -> Entity {
    let mut slide = Entity::PLACEHOLDER;
    commands.entity(area).with_children(|area| {
        slide = area
            .spawn((
                SlideNode,
                slides::slide_node(),
                UiTransform::from_translation(Val2::percent(offset, 0.0)),
            ))
            .with_children(|node| slides::slide(node, cx, filled))
            .id();
    });
    slide
}

/// Ease in and out: slow at both ends, so text is never caught mid-jerk.
fn ease(t: f32) -> f32 {
    if t < 0.5 {
        4.0 * t * t * t
    } else {
        1.0 - (-2.0 * t + 2.0).powi(3) / 2.0
    }
}

/// The slide on screen stays `duration` from now; the app sleeps till then.
fn schedule(show: &mut Slideshow, duration: Duration, drawing: &Drawing) {
    show.next_at = Some(drawing.uptime.now() + duration);
    drawing.wake_after(duration);
}

/// Frame times of one transition, in the log at debug level:
/// `RUST_LOG=info,portalavoro_kiosk::app::attract=debug`.
fn log_frames(frames: &[Duration]) {
    if frames.len() < 3 {
        return;
    }
    let mut ms: Vec<f64> = frames
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    debug!(
        "attract: transition of {} frames, frame time median {:.1} ms, worst {:.1} ms",
        ms.len(),
        ms[ms.len() / 2],
        ms[ms.len() - 1]
    );
}
