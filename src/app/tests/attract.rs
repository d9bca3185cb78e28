//! The attract loop.

use super::*;

/// Kinds of attract slide → a text each draws (its heading).
fn slide_heading(kind: &str, catalog: &Catalog) -> String {
    match kind {
        "vacancies" => "Nuove offerte di lavoro".into(),
        "news" => "Ultime notizie".into(),
        "events" => "Oggi in sede".into(),
        "rooms" => "Sale libere adesso".into(),
        "announcement" => "Avviso".into(),
        // Text slides and captions: as the playlist gives them.
        "text" | "image" => catalog
            .playlist
            .iter()
            .find_map(|slide| match (&slide.kind, kind) {
                (portalavoro_core::content::SlideKind::Text { text }, "text")
                | (
                    portalavoro_core::content::SlideKind::Image {
                        caption: Some(text),
                        ..
                    },
                    "image",
                ) => Some(text.get(&Lang::new("it"), &Lang::new("it")).to_string()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("the demo has a {kind} slide with text")),
        other => panic!("the demo has no {other} slide"),
    }
}

/// The demo's catalog at the tests' moment, and its attract loop: each
/// slide's kind and how long it stays.
fn demo_loop() -> (Arc<Catalog>, Vec<(String, std::time::Duration)>) {
    let now = test_clock().now();
    let tz = portalavoro_core::config::default_timezone();
    let catalog = Arc::new(demo::catalog(now, &tz));
    let playlist = portalavoro_core::content::playlist::fill(&catalog, "kiosk", now, &tz)
        .iter()
        .map(|(slide, duration)| (slide.kind().to_string(), *duration))
        .collect();
    (catalog, playlist)
}

/// Runs the attract loop for two rounds of its playlist, four frames a
/// second; returns the app, what it should show, and the round's length
/// in frames. `most_slides`: the most slides ever on screen at once.
fn run_the_loop(
    kiosk_toml: &str,
    most_slides: usize,
) -> (
    App,
    crossbeam_channel::Sender<Arc<Catalog>>,
    Arc<Catalog>,
    std::collections::BTreeSet<String>,
    u64,
) {
    let (catalog, playlist) = demo_loop();
    let expected: std::collections::BTreeSet<String> = playlist
        .iter()
        .map(|(kind, _)| slide_heading(kind, &catalog))
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    let (mut app, snapshots) = asleep(catalog.clone(), kiosk_toml, test_clock());
    app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
        std::time::Duration::from_millis(250),
    ));
    let round: u64 = playlist
        .iter()
        .map(|(_, d)| d.as_millis() as u64)
        .sum::<u64>()
        / 250;
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..2 * round {
        app.update();
        let world = app.world_mut();
        let slides = world
            .query_filtered::<(), With<attract::SlideNode>>()
            .iter(world)
            .count();
        assert!(slides <= most_slides, "{slides} slides at once");
        for text in texts(&mut app) {
            if expected.contains(&text) {
                seen.insert(text);
            }
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(mode(&app), session::Mode::Attract, "nobody touched it");
    (app, snapshots, catalog, expected, round)
}

#[test]
fn cut_transitions_show_every_slide_one_at_a_time() {
    let _ = run_the_loop("[attract]\ntransition = \"cut\"\n", 1);
}

#[test]
fn the_attract_loop_shows_every_slide_with_content_and_an_urgent_holds_it() {
    // Two slides at once while one pushes the other out.
    let (mut app, snapshots, catalog, expected, total) = run_the_loop("", 2);
    let total = total * 250;

    // An urgent announcement: over the loop, which stops where it is.
    let mut next = (*catalog).clone();
    next.apply(FeedData::Announcements(vec![urgent("u", "Evacuare")]));
    snapshots.send(Arc::new(next)).unwrap();
    app.update();
    let on_screen = |app: &mut App| {
        texts(app)
            .into_iter()
            .filter(|t| expected.contains(t))
            .collect::<Vec<_>>()
    };
    let held = on_screen(&mut app);
    assert!(texts(&mut app).contains(&"Evacuare".to_string()));
    for _ in 0..(total / 250) {
        app.update();
        assert_eq!(on_screen(&mut app), held);
    }
    // The waking touch only wakes: the urgent announcement stays up.
    touch(&mut app);
    assert_eq!(mode(&app), session::Mode::Visitor);
    assert!(texts(&mut app).contains(&"Evacuare".to_string()));
}

/// One slide of the loop: when it came on screen, and the frames drawn
/// while it pushed the one before out.
#[derive(Debug)]
struct SlideIn {
    at: std::time::Duration,
    frames: usize,
}

/// The loop run as the window's event loop runs it, at `pace`: the next
/// frame 10 ms after one that asked for another, else at the first moment
/// asked for with `WakeAt`, at the latest after the event loop's longest
/// sleep; and, with `stray`, a frame at every multiple of `stray`
/// whatever was asked (a touch, a picture arriving). Returns eight slides
/// and the longest a slide stays.
fn eight_slides(
    pace: redraw::MotionPace,
    stray: Option<std::time::Duration>,
) -> (Vec<SlideIn>, std::time::Duration) {
    use std::time::Duration;
    let (catalog, playlist) = demo_loop();
    let longest = playlist
        .iter()
        .map(|(_, duration)| *duration)
        .max()
        .unwrap();
    let (mut app, _snapshots) = asleep(catalog, "", test_clock());
    let (sender, moments) = crossbeam_channel::unbounded();
    app.insert_resource(redraw::WakeAt::to(sender))
        .insert_resource(pace);
    let mut redraws = app
        .world()
        .resource::<Messages<bevy::window::RequestRedraw>>()
        .get_cursor();
    let mut pending = std::collections::BTreeSet::new();
    let mut step = Duration::from_millis(10);
    let mut on_screen = std::collections::HashSet::new();
    let mut slides_in: Vec<SlideIn> = Vec::new();
    // The ninth only ends the eighth's transition.
    while slides_in.len() < 9 {
        app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(step));
        app.update();
        let uptime = *app.world().resource::<redraw::Uptime>();
        let now = uptime.now();
        assert!(now < Duration::from_secs(3600), "{slides_in:?}");
        let world = app.world_mut();
        let slides: std::collections::HashSet<Entity> = world
            .query_filtered::<Entity, With<attract::SlideNode>>()
            .iter(world)
            .collect();
        if !on_screen.is_empty() && slides.iter().any(|slide| !on_screen.contains(slide)) {
            slides_in.push(SlideIn { at: now, frames: 0 });
        }
        if slides.len() > 1
            && let Some(slide) = slides_in.last_mut()
        {
            slide.frames += 1;
        }
        on_screen = slides;
        let origin = uptime.instant(Duration::ZERO);
        pending.extend(moments.try_iter().map(|moment| moment - origin));
        pending.retain(|moment| *moment > now);
        let asked = redraws
            .read(
                app.world()
                    .resource::<Messages<bevy::window::RequestRedraw>>(),
            )
            .count()
            > 0;
        let woken = if asked {
            Duration::from_millis(10)
        } else {
            pending
                .first()
                .map_or(redraw::IDLE_WAIT, |moment| *moment - now)
                .min(redraw::IDLE_WAIT)
        };
        step = stray.map_or(woken, |stray| {
            let stray = stray.as_millis() as u64;
            let next = (now.as_millis() as u64 / stray + 1) * stray;
            woken.min(Duration::from_millis(next) - now)
        });
    }
    slides_in.pop();
    (slides_in, longest)
}

/// Each slide follows the one before within its time and a transition,
/// and the transition is drawn: a loop that forgot to ask for the frames
/// of its transition stalled until something else woke the app (seen: 55
/// s on one slide).
#[test]
fn the_attract_loop_asks_for_the_frames_it_needs() {
    let (slides, longest) = eight_slides(redraw::MotionPace::default(), None);
    for pair in slides.windows(2) {
        assert!(
            pair[1].at - pair[0].at
                <= longest + attract::TRANSITION + std::time::Duration::from_millis(50),
            "{slides:?}"
        );
        // Back to back: as many frames as the display takes.
        assert!(pair[1].frames >= 50, "{slides:?}");
    }
}

/// On a software renderer a transition is drawn in frames 55 ms apart: a
/// dozen for its 0.7 s, not as many as the CPU can draw, and the loop
/// keeps its time. Frames drawn for something else in between (every
/// 200 ms here) add themselves, and do not start a second train of
/// frames.
#[test]
fn on_a_software_renderer_a_transition_takes_a_dozen_frames() {
    let stray = std::time::Duration::from_millis(200);
    for stray in [None, Some(stray)] {
        let (slides, longest) = eight_slides(redraw::MotionPace::software(), stray);
        for pair in slides.windows(2) {
            assert!(
                pair[1].at - pair[0].at
                    <= longest + attract::TRANSITION + redraw::SOFTWARE_MOTION_FRAME,
                "{slides:?}"
            );
            // 700 ms in 55 ms steps, its last frame at rest; with a
            // stray frame every 200 ms, four more.
            let most = if stray.is_some() { 17 } else { 13 };
            assert!((12..=most).contains(&pair[1].frames), "{slides:?}");
        }
    }
}

/// Where the renderer keeps a resting layer, a slide is drawn once, at
/// rest, and moved in as a layer: the UI draws the first frame (the new
/// slide where it will rest, the old one hidden) and none after it until
/// the slide rests, whose frames are made of the two layers, each further
/// in, the last the incoming layer alone. If the screen changes under
/// it, the rest of the way is moved as nodes; if a picture arrives while
/// it moves, its last frame is drawn by the UI.
#[test]
fn a_slide_is_drawn_once_and_moved_in_as_a_layer() {
    use attract::layers::{LayerOrder, Layers, Order};
    use std::time::Duration;
    let (catalog, _) = demo_loop();
    let (mut app, _snapshots) = asleep(catalog, "", test_clock());
    let screen = UVec2::new(1080, 1920);
    app.world_mut().spawn((
        Window {
            resolution: bevy::window::WindowResolution::new(screen.x, screen.y),
            ..default()
        },
        bevy::window::PrimaryWindow,
    ));
    app.world().resource::<Layers>().pretend_ready(screen);
    // What the UI's layout would give the slide area: the whole width,
    // between the header and the call to action.
    let lay_out = |app: &mut App| {
        let world = app.world_mut();
        let areas: Vec<Entity> = world
            .query_filtered::<&ChildOf, With<attract::SlideNode>>()
            .iter(world)
            .map(ChildOf::parent)
            .collect();
        for area in areas {
            world.entity_mut(area).insert((
                bevy::ui::ComputedNode {
                    size: Vec2::new(1080.0, 1400.0),
                    ..default()
                },
                bevy::ui::UiGlobalTransform::from(bevy::math::Affine2::from_translation(
                    Vec2::new(540.0, 900.0),
                )),
            ));
        }
    };
    let root_hidden = |app: &mut App| {
        let world = app.world_mut();
        world
            .query_filtered::<&Visibility, (With<Node>, With<GlobalZIndex>)>()
            .iter(world)
            .any(|visibility| *visibility == Visibility::Hidden)
    };
    app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
        Duration::from_millis(55),
    ));
    let area = bevy::math::URect::new(0, 200, 1080, 1600);
    let mut orders = Vec::new();
    let mut fell_back = false;
    let mut picture_arrived = false;
    for frame in 0..2000 {
        lay_out(&mut app);
        app.update();
        let order = app.world().resource::<LayerOrder>().0;
        let hidden = root_hidden(&mut app);
        match order {
            Some(Order::Move { .. } | Order::Settle { .. }) => assert!(hidden, "{orders:?}"),
            _ => assert!(!hidden, "{order:?} after {orders:?}"),
        }
        if let Some(Order::Begin { area: begun }) = order {
            assert_eq!(begun, area);
            // The new slide where it will rest, the old one hidden.
            let world = app.world_mut();
            let slides: Vec<(Visibility, Val2)> = world
                .query_filtered::<(&Visibility, &UiTransform), With<attract::SlideNode>>()
                .iter(world)
                .map(|(visibility, at)| (*visibility, at.translation))
                .collect();
            assert_eq!(slides.len(), 2, "{slides:?}");
            assert!(
                slides.contains(&(Visibility::Hidden, Val2::ZERO)),
                "{slides:?}"
            );
            assert!(
                slides
                    .iter()
                    .any(|(v, at)| *v != Visibility::Hidden && *at == Val2::ZERO)
            );
        }
        orders.push(order);
        let begun = orders
            .iter()
            .filter(|order| matches!(order, Some(Order::Begin { .. })))
            .count();
        if begun == 2 && !fell_back {
            // The screen turns under the second transition.
            app.world()
                .resource::<Layers>()
                .pretend_ready(UVec2::new(1920, 1080));
            fell_back = true;
        } else if order == Some(Order::Moving) {
            // And back: the rest of that one still as nodes.
            app.world().resource::<Layers>().pretend_ready(screen);
        }
        if begun == 3 && matches!(order, Some(Order::Move { .. })) && !picture_arrived {
            // A picture arrives under the third.
            app.world_mut()
                .resource_mut::<pictures::PicturesArrived>()
                .0 = true;
            picture_arrived = true;
        }
        if begun == 3 && order == Some(Order::Rest) {
            break;
        }
        assert!(frame < 1999, "{orders:?}");
    }
    // The first transition: begun, moved further in each frame, at rest.
    // Where the first transition after `from` began.
    let begun_after = |from: usize| {
        orders[from..]
            .iter()
            .position(|order| matches!(order, Some(Order::Begin { .. })))
            .map(|at| at + from)
            .expect("a transition began")
    };
    let first = begun_after(0);
    assert!(orders[..first].iter().all(|o| *o == Some(Order::Rest)));
    let shifts: Vec<u32> = orders[first + 1..]
        .iter()
        .map_while(|order| match order {
            Some(Order::Move { area: moved, shift }) if *moved == area => Some(*shift),
            _ => None,
        })
        .collect();
    assert!((10..=13).contains(&shifts.len()), "{shifts:?}");
    assert!(
        shifts.windows(2).all(|pair| pair[0] <= pair[1]),
        "{shifts:?}"
    );
    assert!(
        shifts[0] < 100 && *shifts.last().unwrap() > 980,
        "{shifts:?}"
    );
    // Its last frame the incoming layer, where it rests; the next one
    // drawn by the UI again.
    let last = first + 1 + shifts.len();
    assert_eq!(orders[last], Some(Order::Settle { area }));
    assert_eq!(orders[last + 1], Some(Order::Rest));
    // The second: begun as layers, then, the screen changed, as nodes.
    let second = begun_after(first + 1);
    assert_eq!(orders[second + 1], Some(Order::Moving), "{orders:?}");
    // The third, a picture having arrived while it moved: its last frame
    // drawn by the UI, with the picture, not made of the layer without it.
    let third = begun_after(second + 1);
    let end = orders[third + 1..]
        .iter()
        .find(|order| !matches!(order, Some(Order::Move { .. })));
    assert_eq!(end, Some(&Some(Order::Rest)), "{orders:?}");
    let world = app.world_mut();
    let slides = world
        .query_filtered::<&Visibility, With<attract::SlideNode>>()
        .iter(world)
        .filter(|visibility| **visibility != Visibility::Hidden)
        .count();
    assert_eq!(slides, 1, "one slide at rest, shown");
}
