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
    let now = test_clock().now();
    let tz = portalavoro_core::config::default_timezone();
    let catalog = Arc::new(demo::catalog(now, &tz));
    let expected: std::collections::BTreeSet<String> =
        portalavoro_core::content::playlist::fill(&catalog, "kiosk", now, &tz)
            .iter()
            .map(|(slide, _)| slide_heading(slide.kind(), &catalog))
            .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    let (mut app, snapshots) = asleep(catalog.clone(), kiosk_toml, test_clock());
    app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
        std::time::Duration::from_millis(250),
    ));
    let round: u64 = portalavoro_core::content::playlist::fill(&catalog, "kiosk", now, &tz)
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

/// The loop run as the window's event loop runs it: the next frame 40 ms
/// after one that asked for another, else at the first moment asked for
/// with `WakeAt`, at the latest after the event loop's longest sleep. Each slide
/// must follow the one before within its time and a transition: a loop
/// that forgets to ask for the frames of its transition stalls until
/// something else wakes the app (seen: 55 s on one slide).
#[test]
fn the_attract_loop_asks_for_the_frames_it_needs() {
    use std::time::Duration;
    let now = test_clock().now();
    let tz = portalavoro_core::config::default_timezone();
    let catalog = Arc::new(demo::catalog(now, &tz));
    let longest = portalavoro_core::content::playlist::fill(&catalog, "kiosk", now, &tz)
        .iter()
        .map(|(_, duration)| *duration)
        .max()
        .unwrap();
    let (mut app, _snapshots) = asleep(catalog, "", test_clock());
    let (sender, moments) = crossbeam_channel::unbounded();
    app.insert_resource(redraw::WakeAt::to(sender));
    let mut redraws = app
        .world()
        .resource::<Messages<bevy::window::RequestRedraw>>()
        .get_cursor();
    let mut pending = std::collections::BTreeSet::new();
    let mut step = Duration::from_millis(40);
    let mut on_screen = std::collections::HashSet::new();
    // When each slide came on screen, and the frames drawn in between.
    let mut starts: Vec<(Duration, usize)> = Vec::new();
    let mut frames = 0;
    while starts.len() < 8 {
        app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(step));
        app.update();
        frames += 1;
        let uptime = *app.world().resource::<redraw::Uptime>();
        let now = uptime.now();
        assert!(now < Duration::from_secs(3600), "{starts:?}");
        let world = app.world_mut();
        let slides: std::collections::HashSet<Entity> = world
            .query_filtered::<Entity, With<attract::SlideNode>>()
            .iter(world)
            .collect();
        if !on_screen.is_empty() && slides.iter().any(|slide| !on_screen.contains(slide)) {
            starts.push((now, frames));
            frames = 0;
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
        step = if asked {
            Duration::from_millis(40)
        } else {
            pending
                .first()
                .map_or(redraw::IDLE_WAIT, |moment| *moment - now)
                .min(redraw::IDLE_WAIT)
        };
    }
    for pair in starts.windows(2) {
        let ((before, _), (after, frames)) = (pair[0], pair[1]);
        assert!(
            after - before <= longest + attract::TRANSITION + Duration::from_millis(100),
            "a slide stayed {:?}: {starts:?}",
            after - before
        );
        // The slide moved in: more than a frame or two between slides.
        assert!(frames >= 10, "{frames} frames: {starts:?}");
    }
}
