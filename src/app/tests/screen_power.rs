//! The screen dark outside opening hours, and what the heartbeat says.

use super::*;
use portalavoro_core::screen::{Power, ScreenState};

/// The screen as the heartbeat would report it, once the switch's thread
/// has done what it was asked (frames go on until it has, up to 5 s).
fn reported(app: &mut App, power: Power) -> ScreenState {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let state = app
            .world()
            .resource::<feed::Vitals>()
            .lock()
            .unwrap()
            .screen_power
            .clone();
        if state.power == power || std::time::Instant::now() > deadline {
            return state;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.update();
    }
}

#[test]
fn closed_and_untouched_the_screen_goes_dark_and_a_touch_lights_it() {
    let tz = portalavoro_core::config::default_timezone();
    // Sunday 22 November 2026, 10:00 in Rome: closed all day.
    let sunday: jiff::Timestamp = "2026-11-22T10:00:00+01:00".parse().unwrap();
    let clock = test_clock();
    clock.set_offset(sunday.duration_since(jiff::Timestamp::now()));
    // Each headless frame is 10 s; the notice lingers 30 s.
    let toml = "[attract]\nidle_timeout_s = 30\n[display]\nrotation = 90\noff_when_closed = true\n\
                [hours]\nmonday = [\"09:00-13:00\"]\n";
    let (mut app, _) = asleep(Arc::new(demo::catalog(sunday, &tz)), toml, clock.clone());
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Closed);
    assert_eq!(reported(&mut app, Power::On).power, Power::On);
    assert!(texts(&mut app).contains(&"Chiuso".to_string()));
    assert_eq!(
        app.world()
            .resource::<feed::Vitals>()
            .lock()
            .unwrap()
            .rotation,
        90
    );

    // Nobody comes: dark, on purpose.
    for _ in 0..4 {
        app.update();
    }
    let dark = reported(&mut app, Power::Off);
    assert_eq!((dark.power, dark.reason), (Power::Off, Some("closed")));
    assert!(dark.note.contains("no compositor"), "{}", dark.note);

    // A touch in the dark: lit, the notice still there, and dark again.
    touch(&mut app);
    let lit = reported(&mut app, Power::On);
    assert_eq!((lit.power, lit.reason), (Power::On, None));
    assert_eq!(mode(&app), session::Mode::Closed);
    for _ in 0..4 {
        app.update();
    }
    assert_eq!(reported(&mut app, Power::Off).power, Power::Off);

    // Monday 09:00: opening time lights it for good.
    clock.set_offset(
        "2026-11-23T09:00:05+01:00"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .duration_since(jiff::Timestamp::now()),
    );
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Attract);
    assert_eq!(reported(&mut app, Power::On).power, Power::On);
    for _ in 0..10 {
        app.update();
    }
    assert_eq!(reported(&mut app, Power::Off).power, Power::On);
}

#[test]
fn a_kiosk_told_to_stay_lit_stays_lit_when_closed() {
    let tz = portalavoro_core::config::default_timezone();
    let sunday: jiff::Timestamp = "2026-11-22T10:00:00+01:00".parse().unwrap();
    let clock = test_clock();
    clock.set_offset(sunday.duration_since(jiff::Timestamp::now()));
    let toml = "[attract]\nidle_timeout_s = 30\n[display]\noff_when_closed = false\n\
                [hours]\nmonday = [\"09:00-13:00\"]\n";
    let (mut app, _) = asleep(Arc::new(demo::catalog(sunday, &tz)), toml, clock);
    for _ in 0..12 {
        app.update();
    }
    assert_eq!(mode(&app), session::Mode::Closed);
    // Given time to switch, it never does.
    std::thread::sleep(std::time::Duration::from_millis(200));
    app.update();
    assert_eq!(reported(&mut app, Power::On).power, Power::On);
}
