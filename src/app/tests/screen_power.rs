//! The screen dark outside opening hours, and what the heartbeat says.

use super::*;
use bevy::window::{Monitor, OnMonitor, PresentMode, PrimaryWindow};
use portalavoro_core::screen::{Power, ScreenState};

/// A kiosk on Sunday 22 November 2026, 10:00 in Rome (closed all day, open
/// on Mondays from 09:00) with `display` as its `[display]` settings; the
/// closed notice lingers 30 s (three headless frames).
fn closed_sunday(display: &str) -> (App, Clock) {
    let tz = portalavoro_core::config::default_timezone();
    let sunday: jiff::Timestamp = "2026-11-22T10:00:00+01:00".parse().unwrap();
    let clock = test_clock();
    clock.set_offset(sunday.duration_since(jiff::Timestamp::now()));
    let toml = format!(
        "[attract]\nidle_timeout_s = 30\n[display]\n{display}\n[hours]\nmonday = [\"09:00-13:00\"]\n"
    );
    let (app, _) = asleep(Arc::new(demo::catalog(sunday, &tz)), &toml, clock.clone());
    (app, clock)
}

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
    let (mut app, clock) = closed_sunday("rotation = 90\noff_when_closed = true");
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
    let (mut app, _) = closed_sunday("off_when_closed = false");
    for _ in 0..12 {
        app.update();
    }
    assert_eq!(mode(&app), session::Mode::Closed);
    // Given time to switch, it never does.
    std::thread::sleep(std::time::Duration::from_millis(200));
    app.update();
    assert_eq!(reported(&mut app, Power::On).power, Power::On);
}

/// Under cage a window that waits for its output's next frame waits for
/// ever once the output is off: the window must stop waiting, and draw so,
/// before the switch is told; and wait again once the screen is lit.
#[test]
fn the_window_stops_waiting_for_its_output_before_the_screen_goes_dark() {
    let (mut app, _) = closed_sunday("off_when_closed = true");
    let window = app
        .world_mut()
        .spawn((Window::default(), PrimaryWindow))
        .id();
    let present_mode = |app: &App| app.world().get::<Window>(window).unwrap().present_mode;
    let power = |app: &App| {
        app.world()
            .resource::<feed::Vitals>()
            .lock()
            .unwrap()
            .screen_power
            .power
    };
    app.update();
    assert_eq!(present_mode(&app), PresentMode::Fifo);

    // Frame by frame until the switch says dark: the window had stopped
    // waiting at least two frames before.
    let mut modes = vec![];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while power(&app) != Power::Off {
        assert!(
            std::time::Instant::now() < deadline,
            "never dark: {modes:?}"
        );
        modes.push(present_mode(&app));
        app.update();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let unpaced = modes
        .iter()
        .rev()
        .take_while(|mode| **mode == PresentMode::AutoNoVsync)
        .count();
    assert!(
        unpaced >= 2,
        "frames without waiting before dark: {modes:?}"
    );
    assert!(modes.contains(&PresentMode::Fifo), "{modes:?}");
    assert_eq!(present_mode(&app), PresentMode::AutoNoVsync);

    // A touch: lit, and in step with the output again once it is.
    touch(&mut app);
    assert_eq!(reported(&mut app, Power::On).power, Power::On);
    app.update();
    assert_eq!(present_mode(&app), PresentMode::Fifo);
}

/// An output switched off (or a cable pulled) takes its monitor away: the
/// window, and with it the kiosk, stays (bevy 0.19 despawned a window with
/// its monitor, and the kiosk exited as the screen went dark).
#[test]
fn the_window_outlives_its_monitor() {
    let (mut app, _) = closed_sunday("off_when_closed = true");
    let monitor = app
        .world_mut()
        .spawn(Monitor {
            name: Some("Virtual-1".into()),
            physical_width: 1080,
            physical_height: 1920,
            physical_position: IVec2::ZERO,
            refresh_rate_millihertz: None,
            scale_factor: 1.0,
            video_modes: vec![],
        })
        .id();
    let window = app
        .world_mut()
        .spawn((Window::default(), PrimaryWindow, OnMonitor(monitor)))
        .id();
    app.update();
    app.world_mut().despawn(monitor);
    app.update();
    assert!(
        app.world().get_entity(window).is_ok(),
        "the window went with its monitor"
    );
}
