//! Telling systemd how the kiosk is (`Type=notify`): READY once the first
//! frames with content are drawn, a STATUS line a technician reads in
//! `systemctl status`, and WATCHDOG pings sent from the frame loop itself,
//! so a frozen UI (not only a dead process) stops them and gets restarted.
//! The app sleeps when nothing changes: a thread wakes the loop often
//! enough to ping, but never pings itself.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use jiff::Timestamp;

use super::feed::Content;
use super::session::{Mode, VisitorSession, screen_name};
use super::shared::{AppSystems, DrawnMinute, WallClock};
use portalavoro_core::content::{Catalog, Feed, Origin};
use portalavoro_core::systemd::Notifier;

/// Frames drawn before start-up counts as done (the first frames present
/// the content; see `redraw`).
const FRAMES_BEFORE_READY: u32 = 3;

#[derive(Resource)]
struct Service {
    notifier: Arc<Notifier>,
    watchdog: Option<Duration>,
    last_ping: Option<Instant>,
    frames: u32,
    /// Failures are logged once, not once a frame.
    failing: bool,
    /// The configuration file's error, when running on the last valid copy.
    broken_config: Option<String>,
}

impl Service {
    fn sent(&mut self, what: &str, result: std::io::Result<()>) {
        match result {
            Err(err) if !self.failing => {
                warn!("systemd: {what} not sent ({err}); further failures are not logged");
                self.failing = true;
            }
            Ok(()) if self.failing => {
                info!("systemd: notifications go through again");
                self.failing = false;
            }
            _ => {}
        }
    }
}

/// `wake` wakes the frame loop from another thread.
pub(super) fn plugin(
    notifier: Option<Notifier>,
    watchdog: Option<Duration>,
    broken_config: Option<String>,
    wake: Box<dyn Fn() + Send + Sync>,
) -> impl Plugin {
    let notifier = notifier.map(Arc::new);
    if let (Some(_), Some(interval)) = (&notifier, watchdog) {
        info!(
            "systemd watchdog: pinging within {:.1}s",
            interval.as_secs_f64()
        );
        std::thread::Builder::new()
            .name("watchdog-wake".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(interval / 3);
                    wake();
                }
            })
            .expect("spawn the watchdog waker");
    }
    move |app: &mut App| {
        let Some(notifier) = notifier.clone() else {
            return;
        };
        app.insert_resource(Service {
            notifier,
            watchdog,
            last_ping: None,
            frames: 0,
            failing: false,
            broken_config: broken_config.clone(),
        })
        .add_systems(Update, (notify, report_status).in_set(AppSystems::Schedule));
    }
}

/// READY after the first frames, and from then on the watchdog ping, each
/// frame. None before READY: systemd starts its watchdog at the first ping,
/// and the first frames may take longer than its interval where Mesa
/// compiles shaders on a slow CPU (the unit's `TimeoutStartSec=` bounds the
/// start instead).
fn notify(mut service: ResMut<Service>) {
    service.frames = service.frames.saturating_add(1);
    if service.frames == FRAMES_BEFORE_READY {
        let result = service.notifier.ready();
        service.sent("READY", result);
    }
    let Some(interval) = service
        .watchdog
        .filter(|_| service.frames >= FRAMES_BEFORE_READY)
    else {
        return;
    };
    let due = service
        .last_ping
        .is_none_or(|last| last.elapsed() >= interval / 4);
    if due {
        service.last_ping = Some(Instant::now());
        let result = service.notifier.watchdog();
        service.sent("WATCHDOG", result);
    }
}

fn report_status(
    mut service: ResMut<Service>,
    content: Res<Content>,
    session: Res<VisitorSession>,
    mode: Res<State<Mode>>,
    clock: Res<WallClock>,
    config: Res<super::shared::KioskConfig>,
    mut drawn: Local<DrawnMinute>,
) {
    let now = clock.now();
    if !drawn.moved(now) && !content.is_changed() && !session.is_changed() && !mode.is_changed() {
        return;
    }
    let mut line = status_line(&content, screen_name(*mode.get(), &session), now);
    if let Some(err) = &service.broken_config {
        let running_on = if config.hub.is_some() {
            "running on the last valid copy"
        } else {
            "OUT OF SERVICE (the last valid copy names no hub)"
        };
        line = format!("CONFIG ERROR, {running_on}: {err}; {line}");
    }
    let result = service.notifier.status(&line);
    service.sent("STATUS", result);
}

/// "showing home; …" with where the content comes from and how fresh it is.
fn status_line(catalog: &Catalog, screen: &str, now: Timestamp) -> String {
    let source = match catalog.status(Feed::Vacancies).origin {
        Some(Origin::Demo) => "demo content (no hub configured)".to_string(),
        _ => {
            let last = Feed::ALL
                .iter()
                .filter_map(|f| catalog.status(*f).last_success)
                .max();
            let errors: Vec<String> = Feed::ALL
                .iter()
                .filter_map(|f| {
                    Some(format!(
                        "{}: {}",
                        f.name(),
                        catalog.status(*f).last_error.as_ref()?
                    ))
                })
                .collect();
            let sync = match last {
                Some(at) => format!("last sync {}s ago", now.duration_since(at).as_secs().max(0)),
                None => "no sync yet".to_string(),
            };
            match errors.first() {
                None => sync,
                Some(first) => format!("{sync}; {} feed(s) failing, {first}", errors.len()),
            }
        }
    };
    format!("showing {screen}; {source}")
}
