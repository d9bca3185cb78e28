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
