//! The technician card: a totem with nothing to show says who it is and
//! what is missing, never shows the demo, and leaves when content comes.

use super::*;
use portalavoro_core::content::{Feed, FeedStatus};

fn on_card(texts: &[String]) -> bool {
    texts.iter().any(|t| t == "Chiosco da configurare")
}

#[test]
fn a_totem_without_a_hub_shows_the_card_not_the_demo_until_content_comes() {
    let (mut app, snapshots) = asleep(Arc::new(Catalog::default()), "", test_clock());
    app.update();
    assert_eq!(
        mode(&app),
        session::Mode::Technician,
        "from the first frame"
    );
    let shown = texts(&mut app);
    assert!(on_card(&shown), "{shown:?}");
    for expected in [
        "Nessun hub configurato",
        "No hub configured",
        "kiosk",
        env!("CARGO_PKG_VERSION"),
        "Gli stessi dati · The same facts",
    ] {
        assert!(
            shown.iter().any(|t| t == expected),
            "{expected:?} in {shown:?}"
        );
    }
    assert!(
        shown.iter().any(|t| t.starts_with("hub.url in k.toml")),
        "what to set, and where: {shown:?}"
    );
    let demo = demo::catalog(
        test_clock().now(),
        &portalavoro_core::config::default_timezone(),
    );
    let it = Lang::new("it");
    let demo_title = demo.vacancies[0].title.resolve(&it, &it).text.to_string();
    assert!(
        !shown.iter().any(|t| t.contains(&demo_title)),
        "no demo vacancy"
    );

    // A click, or a finger as a touch panel sends it (down and up where it
    // lands), is no visitor: the card stays.
    touch(&mut app);
    app.update();
    assert_eq!(mode(&app), session::Mode::Technician);
    use bevy::input::touch::TouchPhase;
    let at = Vec2::new(540.0, 960.0);
    finger(&mut app, TouchPhase::Started, at);
    app.update();
    finger(&mut app, TouchPhase::Ended, at);
    app.update();
    assert_eq!(mode(&app), session::Mode::Technician);
    assert!(on_card(&texts(&mut app)));

    // Content (here the demo's, as a hub would send): the card goes.
    snapshots.send(Arc::new(demo)).unwrap();
    app.update();
    app.update();
    assert_ne!(mode(&app), session::Mode::Technician);
    assert!(!on_card(&texts(&mut app)));
}

#[test]
fn a_hub_never_reached_is_named_with_its_error() {
    let mut offline = Catalog::default();
    for feed in Feed::ALL {
        offline.status.insert(
            feed,
            FeedStatus {
                last_error: Some("connection refused".into()),
                ..FeedStatus::EMPTY
            },
        );
    }
    let (mut app, _) = asleep(
        Arc::new(offline),
        "[hub]\nurl = \"https://hub.example.org/api/v1\"\n",
        test_clock(),
    );
    app.update();
    assert_eq!(mode(&app), session::Mode::Technician);
    let shown = texts(&mut app);
    assert!(shown.iter().any(|t| t == "L'hub non risponde"), "{shown:?}");
    assert!(
        shown
            .iter()
            .any(|t| t == "https://hub.example.org/api/v1: connection refused"),
        "{shown:?}"
    );
}

#[test]
fn the_demo_is_shown_only_when_asked_for() {
    let demo = Arc::new(demo::catalog(
        test_clock().now(),
        &portalavoro_core::config::default_timezone(),
    ));
    let (mut app, _) = asleep(demo, "[hub]\ndemo = true\n", test_clock());
    app.update();
    assert_eq!(mode(&app), session::Mode::Attract);
    assert!(!on_card(&texts(&mut app)));
}
