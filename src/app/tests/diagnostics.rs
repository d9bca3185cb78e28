//! The diagnostics screen: the corner hold, the PIN pad and its lock.

use super::*;

/// Taps on diagnostics controls: the touch (for the idle timer) and what
/// the control's click observer sends.
fn diagnostics(app: &mut App, actions: &[diagnostics::DiagnosticsAction]) {
    for action in actions {
        app.world_mut()
            .write_message(bevy::input::mouse::MouseButtonInput {
                button: MouseButton::Left,
                state: bevy::input::ButtonState::Pressed,
                window: Entity::PLACEHOLDER,
            });
        app.world_mut().write_message(action.clone());
        app.update();
    }
}

#[test]
fn five_seconds_on_the_corner_and_the_pin_open_the_diagnostics() {
    use diagnostics::DiagnosticsAction::{Close, Digit, Submit};
    let catalog = Arc::new(demo::catalog(
        test_clock().now(),
        &portalavoro_core::config::default_timezone(),
    ));
    let pin = portalavoro_core::diagnostics::hash_pin("2468").unwrap();
    let toml = format!("[diagnostics]\npin_hash = \"{pin}\"\n");
    let (mut app, _) = asleep(catalog.clone(), &toml, test_clock());
    app.update();

    // A finger anywhere else, held: nothing.
    hold(&mut app, Vec2::new(540.0, 900.0));
    assert_eq!(mode(&app), session::Mode::Visitor);

    // On the top-left corner, ten seconds a frame: the PIN pad.
    hold(&mut app, Vec2::new(20.0, 20.0));
    assert_eq!(mode(&app), session::Mode::Diagnostics);
    assert!(texts(&mut app).contains(&"Diagnostica · PIN".to_string()));

    // A wrong PIN says so; the right one opens the diagnostics.
    diagnostics(&mut app, &[Digit('1'), Digit('3'), Submit]);
    let shown = texts(&mut app);
    assert!(
        shown.contains(&"PIN errato (2) · Wrong PIN".to_string()),
        "{shown:?}"
    );
    assert!(!shown.contains(&"Versione".to_string()));
    diagnostics(
        &mut app,
        &[Digit('2'), Digit('4'), Digit('6'), Digit('8'), Submit],
    );
    let shown = texts(&mut app);
    for expected in [
        "Diagnostica · Diagnostics",
        "Versione",
        env!("CARGO_PKG_VERSION"),
    ] {
        assert!(
            shown.contains(&expected.to_string()),
            "{expected}: {shown:?}"
        );
    }
    assert!(
        shown
            .iter()
            .any(|t| t.starts_with("demo, ") && t.contains("items")),
        "feeds with their origin: {shown:?}"
    );

    // Closing returns to the visitor's Home.
    diagnostics(&mut app, &[Close]);
    app.update();
    assert_eq!(mode(&app), session::Mode::Visitor);
    assert!(texts(&mut app).contains(&"Offerte di lavoro".to_string()));

    // Left open, it closes with the idle timeout like any session.
    hold(&mut app, Vec2::new(20.0, 20.0));
    assert_eq!(mode(&app), session::Mode::Diagnostics);
    for _ in 0..12 {
        app.update();
    }
    assert_eq!(mode(&app), session::Mode::Attract);
}

#[test]
fn the_pin_lock_holds_across_closing_the_pad_an_idle_reset_and_a_restart() {
    use diagnostics::DiagnosticsAction::{Close, Digit, Submit};
    let state = std::env::temp_dir().join(format!("pin-lock-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).unwrap();
    let env = Env {
        state_directory: Some(state.clone()),
        ..Env::default()
    };
    let catalog = Arc::new(demo::catalog(
        test_clock().now(),
        &portalavoro_core::config::default_timezone(),
    ));
    let pin = portalavoro_core::diagnostics::hash_pin("2468").unwrap();
    let toml = format!("[diagnostics]\npin_hash = \"{pin}\"\n");
    let start = || {
        let speech = portalavoro_core::speech::Speech::unavailable("headless test");
        let (mut app, _) = asleep_with(catalog.clone(), &toml, test_clock(), speech, None, &env);
        app.update();
        app
    };
    let wrong = [Digit('1'), Submit];
    let mut app = start();

    // Two wrong PINs, Close, the corner again: the count goes on.
    hold(&mut app, Vec2::new(20.0, 20.0));
    diagnostics(&mut app, &[Digit('1'), Submit, Digit('1'), Submit, Close]);
    hold(&mut app, Vec2::new(20.0, 20.0));
    diagnostics(&mut app, &wrong);
    assert!(
        texts(&mut app)
            .iter()
            .any(|t| t.starts_with("Bloccato per 60 s")),
        "the third wrong PIN locks: {:?}",
        texts(&mut app)
    );

    // Left to the idle reset, then asked for again: still locked, and
    // the right PIN is not even looked at.
    for _ in 0..12 {
        app.update();
    }
    assert_eq!(mode(&app), session::Mode::Attract);
    touch(&mut app);
    hold(&mut app, Vec2::new(20.0, 20.0));
    assert_eq!(mode(&app), session::Mode::Diagnostics);
    assert!(
        texts(&mut app)
            .iter()
            .any(|t| t.starts_with("Bloccato per"))
    );
    diagnostics(
        &mut app,
        &[Digit('2'), Digit('4'), Digit('6'), Digit('8'), Submit],
    );
    assert!(!texts(&mut app).contains(&"Versione".to_string()));

    // A restart (a new app on the same state directory, a moment
    // later) finds the pad locked. The file is written by a thread of its
    // own: an earlier count may be there before the lock lands.
    drop(app);
    let read = || std::fs::read_to_string(state.join("pin-lockout")).unwrap_or_default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !read().contains("strikes=1") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let kept = read();
    assert!(kept.contains("strikes=1"), "{kept}");
    let mut app = start();
    hold(&mut app, Vec2::new(20.0, 20.0));
    assert!(
        texts(&mut app)
            .iter()
            .any(|t| t.starts_with("Bloccato per")),
        "{:?}",
        texts(&mut app)
    );
    std::fs::remove_dir_all(&state).unwrap();
}

#[test]
fn without_a_pin_in_kiosk_toml_the_corner_opens_nothing() {
    use bevy::input::touch::TouchPhase;
    let (mut app, _) = demo_app();
    finger(&mut app, TouchPhase::Started, Vec2::new(20.0, 20.0));
    app.update();
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Visitor);
}
