//! Outside opening hours.

use super::*;

#[test]
fn closed_outside_opening_hours_and_open_again_by_itself() {
    let tz = portalavoro_core::config::default_timezone();
    // Sunday 22 November 2026, 10:00 in Rome.
    let sunday: jiff::Timestamp = "2026-11-22T10:00:00+01:00".parse().unwrap();
    let clock = test_clock();
    let shift = |clock: &Clock, to: jiff::Timestamp| {
        clock.set_offset(to.duration_since(jiff::Timestamp::now()));
    };
    shift(&clock, sunday);
    let hours = "[hours]\nmonday = [\"09:00-13:00\"]\ntuesday = [\"09:00-13:00\"]\n";
    let (mut app, _) = asleep(Arc::new(demo::catalog(sunday, &tz)), hours, clock.clone());
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Closed);
    let shown = texts(&mut app);
    assert!(shown.contains(&"Chiuso".to_string()), "{shown:?}");
    assert!(shown.contains(&"Riapriamo domani alle 09:00".to_string()));
    assert!(shown.contains(&"We reopen tomorrow at 09:00".to_string()));

    // Touching a closed kiosk does nothing.
    touch(&mut app);
    assert_eq!(mode(&app), session::Mode::Closed);

    // Monday 09:00: it opens by itself, to its attract loop.
    shift(&clock, "2026-11-23T09:00:05+01:00".parse().unwrap());
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Attract);
    assert!(texts(&mut app).contains(&"Tocca lo schermo per iniziare".to_string()));

    // Monday 13:00 with a visitor at the screen: closed, session ended.
    touch(&mut app);
    press(&mut app, "Offerte di lavoro");
    shift(&clock, "2026-11-23T13:00:00+01:00".parse().unwrap());
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Closed);
    assert_eq!(page(&app), portalavoro_core::session::Page::Home);
    assert!(texts(&mut app).contains(&"Riapriamo domani alle 09:00".to_string()));
}
