//! What every request handler shares: the database, the configuration, and
//! each feed's revision as this instance last read it. Nothing here is a
//! fact a second instance would miss: revisions come from the database,
//! the failed-attempt counts only slow down one source of guesses.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tokio::sync::{Notify, watch};

use crate::config::HubConfig;
use crate::db::{Db, Revisions};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: HubConfig,
    revisions: watch::Sender<Revisions>,
    refresh: Notify,
    failures: Mutex<Failures>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// How often an instance reads the revisions (a change made through another
/// instance reaches this one's waiting kiosks within this).
pub const REVISION_POLL: Duration = Duration::from_millis(200);

impl AppState {
    pub async fn new(db: Db, config: HubConfig) -> Result<AppState, crate::db::DbError> {
        let revisions = db.revisions().await?;
        Ok(AppState(Arc::new(Inner {
            db,
            config,
            revisions: watch::Sender::new(revisions),
            refresh: Notify::new(),
            failures: Mutex::new(Failures::default()),
        })))
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    /// The revisions, to wait on a change.
    pub fn watch(&self) -> watch::Receiver<Revisions> {
        self.revisions.subscribe()
    }

    /// After a write through this instance: read the revisions now rather
    /// than at the next poll.
    pub fn changed(&self) {
        self.refresh.notify_one();
    }

    /// Reads the revisions every [`REVISION_POLL`] (or when told of a
    /// change) and tells the waiting requests; runs until the process ends.
    pub async fn follow_revisions(self) {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(REVISION_POLL) => {}
                _ = self.refresh.notified() => {}
            }
            match self.db.revisions().await {
                Ok(latest) => {
                    self.revisions.send_if_modified(|current| {
                        let changed = *current != latest;
                        if changed {
                            *current = latest;
                        }
                        changed
                    });
                }
                Err(err) => tracing::warn!("reading revisions: {err}"),
            }
        }
    }

    /// Whether `ip` may try a credential now; `Err(seconds)` to wait.
    pub fn may_try(&self, ip: IpAddr) -> Result<(), u64> {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .check(ip, Instant::now())
    }

    pub fn failed(&self, ip: IpAddr) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .count(ip, Instant::now());
    }
}

/// Failed credentials per address, in windows of a minute.
#[derive(Default)]
struct Failures {
    by_ip: HashMap<IpAddr, (u32, Instant)>,
}

impl Failures {
    const MOST: u32 = 20;
    const WINDOW: Duration = Duration::from_secs(60);
    const TRACKED: usize = 10_000;

    fn check(&mut self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        match self.by_ip.get(&ip) {
            Some(&(count, since)) if now.duration_since(since) < Self::WINDOW => {
                if count >= Self::MOST {
                    Err((Self::WINDOW - now.duration_since(since)).as_secs().max(1))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    fn count(&mut self, ip: IpAddr, now: Instant) {
        if self.by_ip.len() >= Self::TRACKED {
            self.by_ip
                .retain(|_, (_, since)| now.duration_since(*since) < Self::WINDOW);
        }
        let entry = self.by_ip.entry(ip).or_insert((0, now));
        if now.duration_since(entry.1) >= Self::WINDOW {
            *entry = (0, now);
        }
        entry.0 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_failures_in_a_minute_make_an_address_wait() {
        let mut failures = Failures::default();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        let start = Instant::now();
        for _ in 0..19 {
            failures.count(ip, start);
        }
        assert_eq!(failures.check(ip, start), Ok(()));
        failures.count(ip, start);
        assert_eq!(failures.check(ip, start + Duration::from_secs(10)), Err(50));
        assert_eq!(failures.check(other, start), Ok(()));
        assert_eq!(failures.check(ip, start + Duration::from_secs(61)), Ok(()));
    }
}
