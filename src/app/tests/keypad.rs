//! The keypad: every control reached and done without the touch screen.

use super::*;
use crate::app::keypad::{Focus, Ring};
use portalavoro_core::access::Setting;
use portalavoro_core::session::{Intent, Page};

/// The labels of the controls with the ring.
fn ringed(app: &mut App) -> Vec<Entity> {
    let mut query = app
        .world_mut()
        .query_filtered::<Entity, (With<Ring>, With<Outline>)>();
    query.iter(app.world()).collect()
}

#[test]
fn a_keyboard_alone_opens_a_vacancy_goes_back_and_home() {
    let (mut app, _) = demo_app();
    assert_eq!(focused(&app), None, "no ring until a key is pressed");
    assert!(ringed(&mut app).is_empty());
    tab_to(&mut app, |i| *i == Intent::Open(Page::Vacancies));
    assert_eq!(ringed(&mut app).len(), 1, "one ring, round the control");
    key(&mut app, KeyCode::Enter);
    assert_eq!(page(&app), Page::Vacancies);
    let vacancy = tab_to(&mut app, |i| matches!(i, Intent::Open(Page::Vacancy(_))));
    key(&mut app, KeyCode::Enter);
    let Intent::Open(opened) = vacancy else {
        unreachable!()
    };
    assert_eq!(page(&app), opened);
    key(&mut app, KeyCode::Backspace);
    assert_eq!(page(&app), Page::Vacancies, "Backspace goes back");
    key(&mut app, KeyCode::Home);
    assert_eq!(page(&app), Page::Home, "Home goes home");
}

#[test]
fn the_focus_goes_round_both_ways_and_follows_a_redrawn_screen() {
    let (mut app, snapshots) = headless(Arc::new(demo_catalog()));
    app.update();
    key(&mut app, KeyCode::Tab);
    let first = focused(&app).expect("Tab focuses the first control");
    key(&mut app, KeyCode::ArrowUp);
    let last = focused(&app).expect("from the first, back to the last");
    assert_ne!(first, last);
    key(&mut app, KeyCode::ArrowDown);
    assert_eq!(
        focused(&app),
        Some(first.clone()),
        "and on again to the first"
    );
    // The screen drawn anew (the hub sent a snapshot): the ring is on the
    // same control, now another entity.
    let before = ringed(&mut app);
    snapshots.send(Arc::new(demo_catalog())).unwrap();
    app.update();
    app.update();
    let after = ringed(&mut app);
    assert_eq!(focused(&app), Some(first));
    assert_eq!(after.len(), 1);
    assert_ne!(before, after, "the screen was redrawn");
}

#[test]
fn right_to_left_the_arrows_follow_the_mirrored_rows() {
    let (mut app, _) = demo_app();
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Language(portalavoro_core::content::Lang::new("ar")));
    app.update();
    let from_nothing = |app: &mut App, code: KeyCode| {
        app.world_mut().resource_mut::<Focus>().intent = None;
        key(app, code);
        focused(app).expect("a control")
    };
    let next = from_nothing(&mut app, KeyCode::Tab);
    let previous = from_nothing(&mut app, KeyCode::ArrowUp);
    assert_ne!(next, previous);
    assert_eq!(
        from_nothing(&mut app, KeyCode::ArrowLeft),
        next,
        "← reads on"
    );
    assert_eq!(
        from_nothing(&mut app, KeyCode::ArrowRight),
        previous,
        "→ reads back"
    );
}

#[test]
fn the_key_that_wakes_the_kiosk_only_wakes_it() {
    let (mut app, _) = asleep(Arc::new(demo_catalog()), "", test_clock());
    app.update();
    key(&mut app, KeyCode::Enter);
    assert_eq!(mode(&app), session::Mode::Visitor, "a key wakes it");
    app.update();
    assert_eq!(focused(&app), None);
    assert_eq!(page(&app), Page::Home);
    key(&mut app, KeyCode::Enter);
    assert!(focused(&app).is_some(), "the next key is the visitor's");
}

#[test]
fn with_speech_on_enter_does_the_control_the_focus_said() {
    let (mut app, _) = demo_app();
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Access(Setting::Speech));
    app.update();
    tab_to(&mut app, |i| *i == Intent::Open(Page::News));
    assert_eq!(page(&app), Page::Home, "reaching a control does not do it");
    key(&mut app, KeyCode::Enter);
    assert_eq!(page(&app), Page::News, "one Enter does it");
}

#[test]
fn an_urgent_announcement_takes_the_focus_to_its_own_controls() {
    let mut catalog = demo_catalog();
    catalog.apply(FeedData::Announcements(vec![urgent(
        "u1",
        "Uscire dall'edificio",
    )]));
    let (mut app, _snapshots) = headless(Arc::new(catalog));
    app.update();
    key(&mut app, KeyCode::Tab);
    let close = focused(&app);
    assert!(matches!(close, Some(Intent::Dismiss(_))), "{close:?}");
    key(&mut app, KeyCode::Tab);
    assert_eq!(focused(&app), close, "the only control under it");
    key(&mut app, KeyCode::Enter);
    assert!(!texts(&mut app).contains(&"Chiudi".to_string()), "closed");
    key(&mut app, KeyCode::Tab);
    assert!(
        !matches!(focused(&app), Some(Intent::Dismiss(_))),
        "the screen's controls again"
    );
}

#[test]
fn every_key_kiosk_toml_may_name_is_a_key_the_app_knows() {
    let app: std::collections::BTreeSet<&str> =
        crate::app::keypad::KEY_NAMES.iter().copied().collect();
    let config: std::collections::BTreeSet<&str> = portalavoro_core::config::KEY_NAMES
        .iter()
        .copied()
        .collect();
    assert_eq!(app, config);
    assert_eq!(
        app.len(),
        portalavoro_core::config::KEY_NAMES.len(),
        "no name twice"
    );
}

#[test]
fn the_key_map_in_kiosk_toml_is_the_one_followed() {
    let toml = "[keypad]\nnext = [\"F13\"]\nactivate = [\"F14\"]\nhome = [\"Enter\"]\n";
    let (mut app, _) = asleep(Arc::new(demo_catalog()), toml, test_clock());
    app.update();
    touch(&mut app);
    key(&mut app, KeyCode::Tab);
    assert_eq!(focused(&app), None, "Tab is no longer \"next\"");
    key(&mut app, KeyCode::F13);
    let first = focused(&app).expect("F13 is");
    key(&mut app, KeyCode::ArrowDown);
    assert_eq!(
        focused(&app),
        Some(first.clone()),
        "↓ was a default of \"next\", which the file replaced"
    );
    key(&mut app, KeyCode::ArrowUp);
    assert_ne!(
        focused(&app),
        Some(first),
        "\"previous\" keeps its defaults"
    );
    while focused(&app) != Some(Intent::Open(Page::News)) {
        key(&mut app, KeyCode::F13);
    }
    key(&mut app, KeyCode::F14);
    assert_eq!(page(&app), Page::News, "F14 activates");
    key(&mut app, KeyCode::Enter);
    assert_eq!(page(&app), Page::Home, "Enter went home, as the file says");
}

#[test]
fn two_controls_that_do_the_same_are_both_reached() {
    // With speech on, the accessibility page's speech switch and the
    // navigation bar's "stop the voice" do the same: the focus must still
    // go through every control of the page, each once a round.
    let (mut app, _) = asleep_with_speech(
        Arc::new(demo_catalog()),
        "",
        test_clock(),
        portalavoro_core::speech::Speech::ready_but_silent(),
    );
    app.update();
    touch(&mut app);
    app.update();
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Access(Setting::Speech));
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Open(Page::Accessibility));
    app.update();
    let mut seen = Vec::new();
    for _ in 0..40 {
        key(&mut app, KeyCode::Tab);
        seen.push(focused(&app).expect("a control"));
    }
    // Tab goes round: the shortest period of what was focused is a round.
    let period = (1..=20)
        .find(|p| (0..40 - p).all(|i| seen[i] == seen[i + p]))
        .unwrap_or_else(|| panic!("the focus never goes round: {seen:?}"));
    let round = &seen[..period];
    for setting in [
        Setting::TextSize(portalavoro_core::access::TextSize::Largest),
        Setting::HighContrast,
        Setting::Reach,
        Setting::ReducedMotion,
    ] {
        assert!(
            round.contains(&Intent::Access(setting)),
            "{setting:?}: {round:?}"
        );
    }
    let speech = round
        .iter()
        .filter(|i| **i == Intent::Access(Setting::Speech))
        .count();
    assert_eq!(speech, 2, "the switch and the bar's button: {round:?}");
}
