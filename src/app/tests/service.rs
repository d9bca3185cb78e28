//! The systemd service: readiness, status, watchdog.

use super::*;

#[test]
fn systemd_hears_ready_and_status_and_pings_only_while_frames_run() {
    let systemd = portalavoro_core::systemd::FakeSystemd::listen("service");
    let received = || systemd.received();

    let catalog = Arc::new(demo::catalog(
        test_clock().now(),
        &portalavoro_core::config::default_timezone(),
    ));
    let (mut app, _snapshots) = headless(catalog);
    let notifier = systemd.notifier();
    let watchdog = std::time::Duration::from_millis(400);
    app.add_plugins(service::plugin(
        Some(notifier),
        Some(watchdog),
        None,
        Box::new(|| {}),
    ));
    // Before READY, no ping: systemd starts its watchdog at the first one,
    // and the first frames may take longer than its interval where Mesa
    // compiles shaders on a slow CPU (TimeoutStartSec= bounds the start).
    app.update();
    app.update();
    let early = received();
    assert!(!early.contains(&"READY=1\n".to_string()), "{early:?}");
    assert!(!early.contains(&"WATCHDOG=1\n".to_string()), "{early:?}");
    app.update();
    let messages = [early, received()].concat();
    assert!(messages.contains(&"READY=1\n".to_string()), "{messages:?}");
    assert!(
        messages.contains(&"WATCHDOG=1\n".to_string()),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("STATUS=showing home; demo content")),
        "{messages:?}"
    );

    // The frame loop stops (as if frozen): the wake thread runs on, but
    // nothing pings, so systemd would restart the kiosk.
    std::thread::sleep(watchdog * 2);
    let messages = received();
    assert!(
        !messages.contains(&"WATCHDOG=1\n".to_string()),
        "{messages:?}"
    );
    // Frames again: pings again.
    app.update();
    assert!(received().contains(&"WATCHDOG=1\n".to_string()));
}
