//! The sync threads: they own the catalog, decide which feed is due, fetch
//! it, keep the last good copy on every failure, write the cache, send the
//! heartbeat, and hand the app immutable snapshots through a channel.
//!
//! They run on OS threads of their own (blocking HTTP must never stall a
//! frame) and call a waker after each snapshot so a reactively rendering app
//! redraws. Announcements have a lane of their own, a second thread with its
//! own connection: a feed that crawls, or a hub's `Retry-After` on one, can
//! never hold back an urgent announcement.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use tracing::{debug, info, warn};

use super::cache::{Cache, CachedBody};
use super::client::{Fetched, HubClient, HubError};
use super::heartbeat::{self, SharedVitals};
use crate::clock::Clock;
use crate::config::{Config, HubConfig};
use crate::content::{
    Catalog, Feed, FeedData, FeedStatus, Origin, Slide, UrlBase, demo, parse_feed,
};

/// Timing of the sync loop.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    pub poll: Duration,
    pub announcements_poll: Duration,
    pub heartbeat: Duration,
    /// First retry delay after a failure; doubles per failure, with full
    /// jitter, up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Longest sleep between checks of the date and the command channel.
    pub tick: Duration,
}

impl SyncSettings {
    pub fn from_config(hub: &HubConfig) -> SyncSettings {
        SyncSettings {
            poll: hub.poll,
            announcements_poll: hub.announcements_poll,
            heartbeat: hub.heartbeat,
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(300),
            tick: Duration::from_secs(1),
        }
    }

    /// The demo source only watches the date; these values are unused there.
    pub fn demo() -> SyncSettings {
        SyncSettings {
            poll: Duration::from_secs(60),
            announcements_poll: Duration::from_secs(5),
            heartbeat: Duration::from_secs(60),
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(300),
            tick: Duration::from_secs(1),
        }
    }

    fn interval(&self, feed: Feed) -> Duration {
        match feed {
            Feed::Announcements => self.announcements_poll,
            _ => self.poll,
        }
    }

    /// Full jitter: a random wait in `0..=min(max, base·2^failures)`.
    pub fn backoff(&self, failures: u32) -> Duration {
        let ceiling = self
            .backoff_base
            .saturating_mul(2u32.saturating_pow(failures.saturating_sub(1).min(30)))
            .min(self.backoff_max);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// What the app can ask of the sync thread.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncCommand {
    /// Fetch every feed now (diagnostics "sync now").
    SyncNow,
    Shutdown,
}

/// The app's end of the sync thread.
pub struct SyncHandle {
    pub commands: Sender<SyncCommand>,
    pub snapshots: Receiver<Arc<Catalog>>,
    thread: Option<JoinHandle<()>>,
}

impl SyncHandle {
    /// Asks the thread to stop, without waiting for it.
    pub fn stop(self) {
        let _ = self.commands.send(SyncCommand::Shutdown);
    }

    /// Stops the thread and waits for it (at most one request's timeout).
    pub fn shutdown(mut self) {
        let _ = self.commands.send(SyncCommand::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Where content comes from.
enum Source {
    Hub {
        client: Box<HubClient>,
        cache: Option<Cache>,
        urls: UrlBase,
    },
    Demo,
    /// No hub (none configured, or a broken file with no valid copy that
    /// names one): nothing, rather than the demo's invented content; the
    /// app shows the technician card.
    Nothing,
}

/// The least time between two waiting requests that found nothing new: a
/// hub that offers to wait and then answers at once is not asked more
/// often than this.
const WAITING_PACE: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
struct FeedState {
    due: Option<Instant>,
    failures: u32,
    etag: Option<String>,
    /// A hash of the body last taken in: a hub that ignores `If-None-Match`
    /// and answers the same document again changes nothing (no cache
    /// write, no redraw).
    body_hash: Option<u64>,
    /// The error last logged, so a lasting outage logs once, not every retry.
    logged_error: Option<String>,
    /// How long the hub offers to hold this feed's request until it
    /// changes (announcements, when the hub offers it).
    offered_wait: Option<Duration>,
}

struct Sync {
    source: Source,
    settings: SyncSettings,
    kiosk_id: String,
    tz: TimeZone,
    clock: Clock,
    local_playlist: Vec<Slide>,
    /// Shared by the lanes; each applies its own feeds.
    catalog: Arc<Mutex<Catalog>>,
    /// The feeds this lane polls.
    feeds: BTreeMap<Feed, FeedState>,
    /// The date today's bookings were asked for.
    bookings_date: Date,
    started_at: Timestamp,
    next_heartbeat: Instant,
    vitals: SharedVitals,
    snapshots: Sender<Arc<Catalog>>,
    waker: Arc<dyn Fn() + Send + std::marker::Sync>,
    /// Whether this lane sends the heartbeat and follows the date.
    main: bool,
    /// The other lanes' command channels (the main lane passes commands on).
    lanes: Vec<Sender<SyncCommand>>,
}

/// Loads the cache (or the demo content) synchronously, so the first frame
/// has content, then starts the sync thread.
pub fn start(
    config: &Config,
    settings: SyncSettings,
    clock: Clock,
    vitals: SharedVitals,
    waker: Box<dyn Fn() + Send + std::marker::Sync>,
) -> (Arc<Catalog>, SyncHandle) {
    let source = match &config.hub {
        None if !config.demo => {
            warn!(
                "no hub in {} (nor hub.demo = true): no content; the technician card says what is missing",
                config.source.display()
            );
            Source::Nothing
        }
        None => {
            info!(
                "hub.demo = true in {}: showing the bundled demo content",
                config.source.display()
            );
            Source::Demo
        }
        Some(hub) => {
            let client = Box::new(HubClient::new(hub).expect("hub.url was validated"));
            let cache = match Cache::open(&config.cache_dir, &hub.url) {
                Ok(cache) => {
                    cache.sweep_temp_files();
                    forget_unnamed_copies(&cache);
                    Some(cache)
                }
                Err(err) => {
                    warn!(
                        "cache folder {} unusable ({err}): running without an offline copy",
                        config.cache_dir.display()
                    );
                    None
                }
            };
            info!("syncing with hub {} as kiosk {}", hub.url, config.kiosk_id);
            Source::Hub {
                urls: UrlBase::hub(&hub.url),
                client,
                cache,
            }
        }
    };
    // The announcements lane: its own connection, before the source moves.
    let lane_source = match (&source, &config.hub) {
        (Source::Hub { cache, urls, .. }, Some(hub)) => Some(Source::Hub {
            client: Box::new(HubClient::new(hub).expect("hub.url was validated")),
            cache: cache.clone(),
            urls: urls.clone(),
        }),
        _ => None,
    };
    let (snapshot_tx, snapshot_rx) = crossbeam_channel::unbounded();
    let (command_tx, command_rx) = crossbeam_channel::unbounded();
    let now = clock.now();
    let mut sync = Sync {
        source,
        settings,
        kiosk_id: config.kiosk_id.clone(),
        tz: config.display.timezone.clone(),
        bookings_date: now.to_zoned(config.display.timezone.clone()).date(),
        clock,
        local_playlist: config.attract.playlist.clone(),
        catalog: Arc::default(),
        feeds: Feed::ALL
            .iter()
            .map(|f| (*f, FeedState::default()))
            .collect(),
        started_at: now,
        next_heartbeat: Instant::now(),
        vitals,
        snapshots: snapshot_tx,
        waker: Arc::from(waker),
        main: true,
        lanes: Vec::new(),
    };
    sync.load_initial();
    let initial = Arc::new(sync.catalog().clone());
    if let Some(source) = lane_source {
        let (lane_tx, lane_rx) = crossbeam_channel::unbounded();
        let lane = sync.split_lane(source, &[Feed::Announcements]);
        sync.lanes.push(lane_tx);
        std::thread::Builder::new()
            .name("hub-announcements".into())
            .spawn(move || lane.run(lane_rx))
            .expect("spawn the announcements thread");
    }
    let thread = std::thread::Builder::new()
        .name("hub-sync".into())
        .spawn(move || sync.run(command_rx))
        .expect("spawn the sync thread");
    (
        initial,
        SyncHandle {
            commands: command_tx,
            snapshots: snapshot_rx,
            thread: Some(thread),
        },
    )
}

impl Sync {
    fn catalog(&self) -> std::sync::MutexGuard<'_, Catalog> {
        self.catalog.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves `feeds` to a new lane on `source` that shares this one's
    /// catalog and snapshots, and polls only them.
    fn split_lane(&mut self, source: Source, feeds: &[Feed]) -> Sync {
        Sync {
            source,
            settings: self.settings.clone(),
            kiosk_id: self.kiosk_id.clone(),
            tz: self.tz.clone(),
            clock: self.clock.clone(),
            local_playlist: Vec::new(),
            catalog: self.catalog.clone(),
            feeds: feeds
                .iter()
                .filter_map(|feed| self.feeds.remove_entry(feed))
                .collect(),
            bookings_date: self.bookings_date,
            started_at: self.started_at,
            next_heartbeat: self.next_heartbeat,
            vitals: self.vitals.clone(),
            snapshots: self.snapshots.clone(),
            waker: self.waker.clone(),
            main: false,
            lanes: Vec::new(),
        }
    }

    fn load_initial(&mut self) {
        let now = self.clock.now();
        match &self.source {
            Source::Demo => *self.catalog() = demo::catalog(now, &self.tz),
            Source::Nothing => {}
            Source::Hub { cache, urls, .. } => {
                for feed in Feed::ALL {
                    let Some(cache) = cache else { break };
                    let entry = match cache.load(&cache_name(feed, &self.kiosk_id)) {
                        Ok(Some(entry)) => entry,
                        Ok(None) => continue,
                        Err(err) => {
                            warn!("cache: {err}");
                            continue;
                        }
                    };
                    match parse_feed(feed, &entry.body, urls) {
                        Ok((data, skipped)) => {
                            // Another day's bookings: its ETag is for another URL.
                            let stale_day = matches!(&data, FeedData::Bookings { date, .. } if *date != Some(self.bookings_date));
                            let status = FeedStatus {
                                origin: Some(Origin::Cache),
                                fetched_at: Some(entry.fetched_at),
                                items: data.len(),
                                skipped: skipped.len(),
                                ..FeedStatus::EMPTY
                            };
                            let mut catalog = self.catalog();
                            catalog.apply(data);
                            catalog.status.insert(feed, status);
                            drop(catalog);
                            let state = self.feeds.entry(feed).or_default();
                            state.body_hash = (!stale_day)
                                .then(|| portalavoro_contract::etag::digest(&entry.body));
                            state.etag = if stale_day { None } else { entry.etag };
                        }
                        Err(err) => warn!(
                            "cache: {} is not a valid feed ({err}); ignoring it",
                            feed.name()
                        ),
                    }
                }
                if self.catalog().status(Feed::Playlist).origin.is_none() {
                    self.use_local_playlist();
                }
                let catalog = self.catalog();
                info!(
                    "offline copy: {} news, {} vacancies, {} rooms, {} bookings",
                    catalog.news.len(),
                    catalog.vacancies.len(),
                    catalog.rooms.len(),
                    catalog.bookings.items.len()
                );
            }
        }
    }

    /// A 404 that the contract makes an answer: no playlist for this
    /// kiosk (kiosk.toml's stands in), or no services on this hub (the
    /// kiosk has no Services section). The kept copy goes; whether what
    /// is shown changed.
    fn none_on_hub(&mut self, feed: Feed) -> bool {
        let changed = match feed {
            Feed::Playlist => self.catalog().status(feed).origin != Some(Origin::Local),
            _ => !self.catalog().services.is_empty(),
        };
        if !changed {
            return false;
        }
        if let Source::Hub {
            cache: Some(cache), ..
        } = &self.source
        {
            let _ = cache.remove(&cache_name(feed, &self.kiosk_id));
        }
        if feed == Feed::Playlist {
            info!("playlist: none on the hub for this kiosk; using kiosk.toml's");
            self.use_local_playlist();
        } else {
            info!("services: none on this hub");
            self.catalog().apply(FeedData::Services(Vec::new()));
        }
        true
    }

    fn use_local_playlist(&mut self) {
        let mut catalog = self.catalog();
        catalog.apply(FeedData::Playlist(self.local_playlist.clone()));
        let status = catalog
            .status
            .entry(Feed::Playlist)
            .or_insert(FeedStatus::EMPTY);
        status.origin = Some(Origin::Local);
        status.items = self.local_playlist.len();
    }

    fn run(mut self, commands: Receiver<SyncCommand>) {
        loop {
            if self.main {
                self.check_date();
            }
            let now = Instant::now();
            if matches!(self.source, Source::Hub { .. }) {
                for feed in Feed::BY_URGENCY {
                    if self
                        .feeds
                        .get(&feed)
                        .is_some_and(|state| state.due.is_none_or(|due| due <= now))
                    {
                        self.poll(feed);
                    }
                }
                if self.main && self.next_heartbeat <= Instant::now() {
                    self.send_heartbeat();
                }
            }
            let command = commands.recv_timeout(self.wait(Instant::now()));
            if let Ok(command) = &command {
                for lane in &self.lanes {
                    let _ = lane.send(command.clone());
                }
            }
            match command {
                Ok(SyncCommand::SyncNow) => {
                    for state in self.feeds.values_mut() {
                        state.due = None;
                    }
                }
                Ok(SyncCommand::Shutdown) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// How long to sleep: until the next feed or heartbeat is due, and never
    /// longer than a tick (the date and the commands are checked each tick).
    /// The demo source has nothing due: it only watches the date.
    fn wait(&self, now: Instant) -> Duration {
        let next_due = match self.source {
            Source::Demo | Source::Nothing => None,
            Source::Hub { .. } => self
                .feeds
                .values()
                .filter_map(|s| s.due)
                .chain(self.main.then_some(self.next_heartbeat))
                .min(),
        };
        next_due.map_or(self.settings.tick, |due| {
            due.saturating_duration_since(now).min(self.settings.tick)
        })
    }

    /// When the date changes in the display time zone, today's bookings are
    /// another document: ask for it now.
    fn check_date(&mut self) {
        let now = self.clock.now();
        let today = now.to_zoned(self.tz.clone()).date();
        if today == self.bookings_date {
            return;
        }
        info!("date changed to {today}: fetching that day's bookings");
        self.bookings_date = today;
        match self.source {
            Source::Demo => {
                *self.catalog() = demo::catalog(now, &self.tz);
                self.publish();
            }
            Source::Nothing => {}
            Source::Hub { .. } => {
                let state = self.feeds.entry(Feed::Bookings).or_default();
                state.due = None;
                state.etag = None;
                state.body_hash = None;
            }
        }
    }

    fn path(&self, feed: Feed) -> String {
        match feed {
            Feed::News => "/news".into(),
            Feed::Vacancies => "/vacancies".into(),
            Feed::Rooms => "/rooms".into(),
            Feed::Bookings => format!("/bookings?date={}", self.bookings_date),
            Feed::Announcements => {
                let state = self.feeds.get(&feed);
                match state.and_then(|s| s.offered_wait.filter(|_| s.etag.is_some())) {
                    Some(wait) => format!(
                        "/announcements?kiosk={}&wait={}",
                        self.kiosk_id,
                        wait.as_secs()
                    ),
                    None => format!("/announcements?kiosk={}", self.kiosk_id),
                }
            }
            Feed::Playlist => format!("/kiosks/{}/playlist", self.kiosk_id),
            Feed::Services => "/services".into(),
        }
    }

    fn poll(&mut self, feed: Feed) {
        let Source::Hub { client, .. } = &self.source else {
            return;
        };
        let path = self.path(feed);
        let etag = self.feeds[&feed].etag.clone();
        let started = Instant::now();
        let result = if feed == Feed::Announcements {
            // A hub that offers to wait answers as soon as an announcement
            // changes: the kiosk asks again at once (at most once a
            // second), so an urgent one shows within a second.
            client
                .get_offering_wait(&path, etag.as_deref())
                .map(|(fetched, wait)| {
                    self.feeds.entry(feed).or_default().offered_wait = wait;
                    fetched
                })
        } else {
            client.get(&path, etag.as_deref())
        };
        self.handle(feed, etag.clone(), result);
        let state = self.feeds.entry(feed).or_default();
        if state.offered_wait.is_some() && state.failures == 0 {
            // A new document: wait on it at once; the same one: not sooner
            // than the pace after the last request began.
            let changed = state.etag != etag;
            state.due = Some(if changed {
                Instant::now()
            } else {
                started + WAITING_PACE
            });
        }
    }

    fn handle(&mut self, feed: Feed, etag: Option<String>, result: Result<Fetched, HubError>) {
        let now = self.clock.now();
        match result {
            Ok(Fetched::NotModified) if etag.is_none() => self.failed(
                feed,
                "HTTP 304 to a request that was not conditional".into(),
                None,
            ),
            Ok(Fetched::NotModified) => {
                debug!("{}: not modified", feed.name());
                self.succeeded(feed, now, false);
            }
            Ok(Fetched::Body { body, etag }) => self.received(feed, body, etag, now),
            Err(HubError::NotFound) if matches!(feed, Feed::Playlist | Feed::Services) => {
                let changed = self.none_on_hub(feed);
                self.feeds.entry(feed).or_default().etag = None;
                self.succeeded(feed, now, changed);
            }
            Err(err) => {
                let retry_after = err.retry_after();
                self.failed(feed, err.to_string(), retry_after)
            }
        }
    }

    fn received(&mut self, feed: Feed, body: Vec<u8>, etag: Option<String>, now: Timestamp) {
        let Source::Hub { cache, urls, .. } = &self.source else {
            return;
        };
        let hash = portalavoro_contract::etag::digest(&body);
        if self.feeds.get(&feed).and_then(|state| state.body_hash) == Some(hash) {
            debug!("{}: the same document again", feed.name());
            self.feeds.entry(feed).or_default().etag = etag;
            return self.succeeded(feed, now, false);
        }
        let (mut data, skipped) = match parse_feed(feed, &body, urls) {
            Ok(parsed) => parsed,
            Err(err) => {
                return self.failed(
                    feed,
                    format!("response rejected, keeping the last good copy: {err}"),
                    None,
                );
            }
        };
        if !skipped.is_empty() {
            warn!("feed {}: {}", feed.name(), skipped.summary());
        }
        if let FeedData::Bookings { date, .. } = &mut data {
            match date {
                Some(d) if *d != self.bookings_date => {
                    return self.failed(
                        feed,
                        format!("asked for {} but the hub answered {d}", self.bookings_date),
                        None,
                    );
                }
                _ => *date = Some(self.bookings_date),
            }
        }
        if let Some(cache) = cache {
            let entry = CachedBody {
                body,
                etag: etag.clone(),
                fetched_at: now,
            };
            if let Err(err) = cache.store(&cache_name(feed, &self.kiosk_id), &entry) {
                warn!(
                    "cache: cannot save {} ({err}); it stays on screen until restart",
                    feed.name()
                );
            }
        }
        let items = data.len();
        let mut catalog = self.catalog();
        catalog.apply(data);
        let status = catalog.status.entry(feed).or_insert(FeedStatus::EMPTY);
        status.origin = Some(Origin::Hub);
        status.fetched_at = Some(now);
        status.items = items;
        status.skipped = skipped.len();
        drop(catalog);
        let state = self.feeds.entry(feed).or_default();
        state.etag = etag;
        state.body_hash = Some(hash);
        info!(
            "{}: {items} items{}",
            feed.name(),
            skipped_note(skipped.len())
        );
        self.succeeded(feed, now, true);
    }

    fn succeeded(&mut self, feed: Feed, now: Timestamp, content_changed: bool) {
        let interval = self.settings.interval(feed);
        let state = self.feeds.entry(feed).or_default();
        state.failures = 0;
        state.due = Some(Instant::now() + interval);
        if state.logged_error.take().is_some() {
            info!("{}: the hub answers again", feed.name());
        }
        let mut catalog = self.catalog();
        let status = catalog.status.entry(feed).or_insert(FeedStatus::EMPTY);
        let error_cleared = status.last_error.take().is_some();
        let first_contact = status.last_success.replace(now).is_none();
        drop(catalog);
        if content_changed || error_cleared || first_contact {
            self.publish();
        }
    }

    fn failed(&mut self, feed: Feed, error: String, retry_after: Option<Duration>) {
        let state = self.feeds.entry(feed).or_default();
        state.failures = state.failures.saturating_add(1);
        let backoff = self.settings.backoff(state.failures);
        let wait = retry_after.map_or(backoff, |asked| asked.max(backoff));
        state.due = Some(Instant::now() + wait);
        if state.logged_error.as_deref() != Some(error.as_str()) {
            warn!(
                "{}: {error} (retrying in {:.1}s)",
                feed.name(),
                wait.as_secs_f64()
            );
            state.logged_error = Some(error.clone());
        } else {
            debug!(
                "{}: {error} again (retrying in {:.1}s)",
                feed.name(),
                wait.as_secs_f64()
            );
        }
        let mut catalog = self.catalog();
        let status = catalog.status.entry(feed).or_insert(FeedStatus::EMPTY);
        let new_error = status.last_error.as_deref() != Some(error.as_str());
        if new_error {
            status.last_error = Some(error);
        }
        drop(catalog);
        if new_error {
            self.publish();
        }
    }

    fn publish(&self) {
        let snapshot = Arc::new(self.catalog().clone());
        if self.snapshots.send(snapshot).is_ok() {
            (self.waker)();
        }
    }

    fn send_heartbeat(&mut self) {
        let Source::Hub { client, .. } = &self.source else {
            return;
        };
        let vitals = {
            let mut shared = self.vitals.lock().unwrap_or_else(|e| e.into_inner());
            let copy = shared.clone();
            shared.touches = 0;
            copy
        };
        let document =
            heartbeat::document(self.started_at, self.clock.now(), &vitals, &self.catalog());
        let path = format!("/kiosks/{}/heartbeat", self.kiosk_id);
        match client.post_json(&path, &document) {
            Ok(()) => debug!("heartbeat sent"),
            Err(err) => {
                // The touches were not reported: count them in the next one.
                self.vitals
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .touches += vitals.touches;
                warn!("heartbeat: {err}");
            }
        }
        self.next_heartbeat = Instant::now() + self.settings.heartbeat;
    }
}

/// A feed's file in the cache. The kiosk's own feeds (announcements for it,
/// its playlist) carry its id: a kiosk whose id changes never shows the old
/// id's playlist nor sends its ETag.
fn cache_name(feed: Feed, kiosk_id: &str) -> String {
    match feed {
        Feed::Announcements | Feed::Playlist => format!("{}@{kiosk_id}", feed.name()),
        _ => feed.name().to_string(),
    }
}

/// Removes the copies of the kiosk's own feeds that earlier versions kept
/// without the kiosk id (`announcements.cache`, `playlist.cache`): never
/// read again, they would lie on disk for good.
fn forget_unnamed_copies(cache: &Cache) {
    for feed in [Feed::Announcements, Feed::Playlist] {
        if let Err(err) = cache.remove(feed.name()) {
            warn!("cache: cannot remove the old {}.cache: {err}", feed.name());
        }
    }
}

fn skipped_note(skipped: usize) -> String {
    match skipped {
        0 => String::new(),
        n => format!(" ({n} invalid items skipped)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_ceiling() {
        let settings = SyncSettings {
            poll: Duration::from_secs(60),
            announcements_poll: Duration::from_secs(5),
            heartbeat: Duration::from_secs(60),
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(300),
            tick: Duration::from_secs(1),
        };
        for (failures, ceiling) in [(1, 2), (2, 4), (3, 8), (8, 256), (9, 300), (40, 300)] {
            let waits: Vec<Duration> = (0..200).map(|_| settings.backoff(failures)).collect();
            let ceiling = Duration::from_secs(ceiling);
            assert!(waits.iter().all(|w| *w <= ceiling), "{failures} failures");
            // Full jitter spreads over the whole range, not near the ceiling.
            assert!(
                waits.iter().any(|w| *w < ceiling / 4),
                "{failures} failures"
            );
            assert!(
                waits.iter().any(|w| *w > ceiling * 3 / 4),
                "{failures} failures"
            );
        }
    }

    #[test]
    fn the_demo_source_sleeps_a_whole_tick() {
        let config =
            crate::config::parse(std::path::Path::new("k.toml"), "", &Default::default()).unwrap();
        let (_, handle) = start(
            &config,
            SyncSettings::demo(),
            Clock::system(),
            Default::default(),
            Box::new(|| {}),
        );
        // Watch the sync thread's own CPU time for a second: a loop that
        // does not sleep would burn most of it.
        // The thread names itself once it runs: look for it for a while.
        let find = || {
            std::fs::read_dir("/proc/self/task")
                .unwrap()
                .flatten()
                .find(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|c| c.trim() == "hub-sync")
                })
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        let task = loop {
            match find() {
                Some(task) => break task,
                None if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                None => panic!("no hub-sync thread"),
            }
        };
        let cpu_ns = || -> u64 {
            let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap();
            stat.split_whitespace().next().unwrap().parse().unwrap()
        };
        let before = cpu_ns();
        std::thread::sleep(Duration::from_secs(1));
        let used = Duration::from_nanos(cpu_ns() - before);
        handle.shutdown();
        assert!(
            used < Duration::from_millis(20),
            "the demo sync thread used {used:?} of CPU in 1 s"
        );
    }
}
