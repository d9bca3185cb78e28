//! The real hub client and sync thread against the dev hub, over 127.0.0.1.

#[path = "../../../examples/hub-dev/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use portalavoro_core::clock::Clock;
use portalavoro_core::config::{self, Config, Env};
use portalavoro_core::content::{Catalog, Feed, Origin, demo};
use portalavoro_core::hub::heartbeat::SharedVitals;
use portalavoro_core::hub::{HubClient, HubError, SyncCommand, SyncHandle, SyncSettings, sync};
use serde_json::{Value, json};
use server::{DataSource, DevHub, Fault, FaultMode, Options};

const TOKEN: &str = "kiosk-secret-7f3a";
const STAFF_TOKEN: &str = "staff-secret-91bc";

fn rome() -> jiff::tz::TimeZone {
    config::default_timezone()
}

fn demo_files() -> Vec<(String, Vec<u8>)> {
    demo::FILES
        .iter()
        .map(|(_, name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect()
}

fn start_hub(kiosk_token: Option<&str>) -> DevHub {
    DevHub::start(Options {
        data: DataSource::Files(demo_files()),
        kiosk_token: kiosk_token.map(str::to_string),
        staff_token: Some(STAFF_TOKEN.into()),
        timezone: rome(),
        port: 0,
    })
    .expect("dev hub starts")
}

/// A scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiosk-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A kiosk configuration pointing at `url`, written and loaded like a real
/// file (the token in a file beside it).
fn kiosk_config(dir: &Path, url: &str, token: &str, extra: &str) -> Config {
    std::fs::write(dir.join("token"), format!("{token}\n")).unwrap();
    let text = format!(
        "[hub]\nurl = \"{url}\"\nkiosk_id = \"mt-test-1\"\ntoken_file = \"token\"\n\
         request_timeout_s = 2\nconnect_timeout_s = 1\n{extra}\n\
         [storage]\ncache_dir = \"cache\"\n"
    );
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).unwrap();
    config::load(&path, &Env::default()).unwrap()
}

fn fast() -> SyncSettings {
    SyncSettings {
        poll: Duration::from_millis(200),
        announcements_poll: Duration::from_millis(100),
        heartbeat: Duration::from_millis(300),
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        tick: Duration::from_millis(50),
    }
}

fn start_sync(config: &Config, settings: SyncSettings, clock: Clock) -> (Arc<Catalog>, SyncHandle) {
    sync::start(
        config,
        settings,
        clock,
        SharedVitals::default(),
        Box::new(|| {}),
    )
}

/// Waits for a snapshot that satisfies `done`.
fn wait_for(handle: &SyncHandle, what: &str, done: impl Fn(&Catalog) -> bool) -> Arc<Catalog> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match handle.snapshots.recv_timeout(left) {
            Ok(catalog) if done(&catalog) => return catalog,
            Ok(_) => {}
            Err(_) => panic!("timed out waiting for {what}"),
        }
    }
}

/// The moment the kiosks in these tests start at (a Tuesday morning in
/// Rome), whatever the hour the suite runs at.
fn morning() -> Timestamp {
    "2026-11-24T10:00:00+01:00".parse().unwrap()
}

/// A wall clock that starts at [`morning`] and runs on.
fn test_clock() -> Clock {
    Clock::starting_at(morning())
}

fn fully_synced(catalog: &Catalog) -> bool {
    Feed::ALL
        .iter()
        .all(|f| catalog.status(*f).last_success.is_some())
}

fn requests_to(hub: &DevHub, prefix: &str) -> Vec<server::Seen> {
    hub.seen()
        .into_iter()
        .filter(|s| s.url.starts_with(prefix))
        .collect()
}

/// A dev hub with the demo content, and a kiosk synced with all of it.
struct Synced {
    hub: DevHub,
    dir: PathBuf,
    config: Config,
    handle: SyncHandle,
    catalog: Arc<Catalog>,
}

fn synced_kiosk(name: &str) -> Synced {
    let hub = start_hub(None);
    let dir = scratch(name);
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    let (_, handle) = start_sync(&config, fast(), test_clock());
    let catalog = wait_for(&handle, "every feed", fully_synced);
    Synced {
        hub,
        dir,
        config,
        handle,
        catalog,
    }
}

#[test]
fn every_endpoint_fills_the_catalog_and_the_heartbeat_reports() {
    let hub = start_hub(Some(TOKEN));
    let dir = scratch("endpoints");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    let (initial, handle) = start_sync(&config, fast(), test_clock());
    assert!(initial.vacancies.is_empty(), "no cache yet");

    let catalog = wait_for(&handle, "every feed", fully_synced);
    let now = morning();
    let reference = demo::catalog(now, &rome());
    assert_eq!(catalog.vacancies.len(), reference.vacancies.len());
    assert_eq!(catalog.news.len(), reference.news.len());
    assert_eq!(catalog.rooms.len(), reference.rooms.len());
    assert_eq!(
        catalog.todays_bookings(now, &rome()).len(),
        reference.todays_bookings(now, &rome()).len()
    );
    assert_eq!(catalog.active_announcements("mt-test-1", now).len(), 2);
    assert_eq!(catalog.playlist.len(), reference.playlist.len());
    for feed in Feed::ALL {
        assert_eq!(catalog.status(feed).origin, Some(Origin::Hub), "{feed:?}");
        assert_eq!(catalog.status(feed).last_error, None, "{feed:?}");
    }

    let today = now.to_zoned(rome()).date();
    let seen = hub.seen();
    assert!(
        seen.iter()
            .any(|s| s.url == format!("/bookings?date={today}")),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|s| s.url == "/announcements?kiosk=mt-test-1")
    );
    assert!(seen.iter().any(|s| s.url == "/kiosks/mt-test-1/playlist"));
    let expected = format!("Bearer {TOKEN}");
    assert!(
        seen.iter()
            .all(|s| s.authorization.as_deref() == Some(expected.as_str())),
        "{seen:?}"
    );

    // The heartbeat arrived, with the contract's fields and no secrets.
    let deadline = Instant::now() + Duration::from_secs(5);
    let heartbeat = loop {
        if let Some(hb) = hub.heartbeats().get("mt-test-1") {
            break hb.clone();
        }
        assert!(Instant::now() < deadline, "no heartbeat");
        std::thread::sleep(Duration::from_millis(50));
    };
    for key in [
        "version",
        "started_at",
        "uptime_s",
        "screen",
        "memory_rss_bytes",
        "display",
        "feeds",
        "touches_since_last",
    ] {
        assert!(
            heartbeat.get(key).is_some(),
            "heartbeat lacks {key}: {heartbeat}"
        );
    }
    assert!(!heartbeat.to_string().contains(TOKEN));
    handle.shutdown();

    // The cache holds every feed but the playlist-less ones, and a restart
    // shows it before the network answers, even with the hub gone.
    drop(hub);
    let (initial, handle) = start_sync(&config, fast(), test_clock());
    assert_eq!(initial.vacancies.len(), reference.vacancies.len());
    assert_eq!(initial.status(Feed::Vacancies).origin, Some(Origin::Cache));
    assert!(initial.status(Feed::Vacancies).fetched_at.is_some());
    let offline = wait_for(&handle, "the outage to be reported", |c| {
        c.status(Feed::Vacancies).last_error.is_some()
    });
    assert_eq!(
        offline.vacancies.len(),
        reference.vacancies.len(),
        "cached content stays"
    );
    handle.shutdown();
}

#[test]
fn unchanged_feeds_cost_a_304_and_no_snapshot() {
    let Synced { hub, handle, .. } = synced_kiosk("not-modified");
    while handle.snapshots.try_recv().is_ok() {}
    hub.clear_seen();
    std::thread::sleep(Duration::from_millis(1200));

    let news = requests_to(&hub, "/news");
    assert!(news.len() >= 3, "news is polled: {news:?}");
    assert!(
        news.iter()
            .all(|s| s.status == 304 && s.if_none_match.is_some()),
        "{news:?}"
    );
    let announcements = requests_to(&hub, "/announcements");
    assert!(
        announcements.len() >= 6,
        "announcements are polled faster: {}",
        announcements.len()
    );
    assert!(
        handle.snapshots.try_recv().is_err(),
        "a 304 publishes nothing"
    );

    // A change is picked up on the next poll.
    hub.set_feed(
        "news",
        json!({"items": [
            {"id": "only", "title": "Solo questa", "published_at": "2026-01-01T00:00:00Z"}
        ]}),
    );
    let catalog = wait_for(&handle, "the new news", |c| c.news.len() == 1);
    assert_eq!(catalog.news[0].id, "only");
    handle.shutdown();
}

#[test]
fn a_bad_item_is_skipped_and_the_rest_kept() {
    let hub = start_hub(None);
    hub.set_feed("vacancies", json!({"items": [
        {"id": "ok-1", "title": "Saldatore", "posted_at": "2026-11-20T09:00:00+01:00"},
        {"id": "bad-time", "title": "Cuoco", "posted_at": "ieri"},
        {"id": "ok-2", "title": {"it": "Autista"}, "posted_at": "2026-11-21T09:00:00+01:00", "contract": "new_kind"},
        {"title": "senza id", "posted_at": "2026-11-21T09:00:00+01:00"},
        {"id": "ok-3", "title": "Cameriere", "posted_at": "2026-11-21T09:00:00+01:00", "unknown_field": 1}
    ]}));
    let dir = scratch("bad-items");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    let (_, handle) = start_sync(&config, fast(), test_clock());
    let catalog = wait_for(&handle, "vacancies", |c| !c.vacancies.is_empty());
    let ids: Vec<&str> = catalog.vacancies.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["ok-1", "ok-2", "ok-3"]);
    assert_eq!(catalog.status(Feed::Vacancies).skipped, 2);
    handle.shutdown();
}

/// Each way a hub can fail: the last good content stays, the error is
/// reported, and the kiosk recovers when the hub does.
#[test]
fn the_last_good_content_survives_every_fault() {
    let faults = [
        FaultMode::Garbage,
        FaultMode::Huge { bytes: 9 << 20 },
        FaultMode::GzipBomb,
        FaultMode::SlowDrip { interval_ms: 400 },
        FaultMode::Drop,
        FaultMode::Status {
            status: 500,
            retry_after: None,
        },
        FaultMode::Status {
            status: 302,
            retry_after: None,
        },
    ];
    let Synced {
        hub,
        handle,
        catalog: good,
        ..
    } = synced_kiosk("faults");
    let count = good.vacancies.len();
    for mode in faults {
        // A changed body, so success afterwards is visible as new content.
        hub.add_fault(Fault {
            path: "/vacancies".into(),
            mode: mode.clone(),
            times: None,
        });
        let broken = wait_for(&handle, &format!("{mode:?} to be reported"), |c| {
            c.status(Feed::Vacancies).last_error.is_some()
        });
        assert_eq!(broken.vacancies.len(), count, "{mode:?}: content kept");
        let error = broken.status(Feed::Vacancies).last_error.clone().unwrap();
        assert!(!error.contains(TOKEN));
        hub.clear_faults();
        let healed = wait_for(&handle, &format!("recovery from {mode:?}"), |c| {
            c.status(Feed::Vacancies).last_error.is_none()
        });
        assert_eq!(healed.vacancies.len(), count, "{mode:?}");
        println!("{mode:?}: {error}");
    }
    handle.shutdown();
}

#[test]
fn a_304_to_an_unconditional_request_is_an_error_not_content() {
    let hub = start_hub(None);
    hub.add_fault(Fault {
        path: "/rooms".into(),
        mode: FaultMode::WrongEtag,
        times: None,
    });
    let dir = scratch("wrong-etag");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    let (_, handle) = start_sync(&config, fast(), test_clock());
    let catalog = wait_for(&handle, "the rooms error", |c| {
        c.status(Feed::Rooms).last_error.is_some()
    });
    assert!(catalog.rooms.is_empty());
    assert!(
        catalog
            .status(Feed::Rooms)
            .last_error
            .as_ref()
            .unwrap()
            .contains("304")
    );
    handle.shutdown();
}

#[test]
fn a_rejected_token_keeps_the_cache_and_says_so() {
    let hub = start_hub(Some(TOKEN));
    let dir = scratch("token-rejected");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    let (_, handle) = start_sync(&config, fast(), test_clock());
    let good = wait_for(&handle, "every feed", fully_synced);
    handle.shutdown();

    let config = kiosk_config(&dir, &hub.url(), "a-revoked-token", "");
    let (initial, handle) = start_sync(&config, fast(), test_clock());
    assert_eq!(initial.vacancies.len(), good.vacancies.len());
    let rejected = wait_for(&handle, "token rejection", |c| {
        c.status(Feed::News).last_error.as_deref() == Some("token rejected (HTTP 401)")
    });
    assert_eq!(rejected.news.len(), good.news.len());
    handle.shutdown();
}

#[test]
fn the_token_goes_to_the_hub_origin_only_and_never_shows() {
    let hub = start_hub(None);
    let cdn = start_hub(None);
    let dir = scratch("cross-origin");
    let config = kiosk_config(&dir, &format!("{}/api/v1", hub.url()), TOKEN, "");
    let hub_config = config.hub.clone().unwrap();
    let client = HubClient::new(&hub_config).unwrap();

    let _ = client.get_url(&format!("{}/news", hub.url()), None);
    let _ = client.get_url(&format!("{}/news", cdn.url()), None);
    let _ = client.get_url(
        &format!("http://localhost:{}/news", hub.addr().port()),
        None,
    );
    assert_eq!(
        hub.seen()[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        cdn.seen()[0].authorization,
        None,
        "another port is another origin"
    );
    assert_eq!(
        hub.seen()[1].authorization,
        None,
        "another host name is another origin"
    );

    // Redirects are not followed, so they cannot carry it away either.
    hub.add_fault(Fault {
        path: "/api/v1/news".into(),
        mode: FaultMode::Status {
            status: 307,
            retry_after: None,
        },
        times: None,
    });
    assert!(matches!(
        client.get("/news", None),
        Err(HubError::Redirect(_))
    ));

    for shown in [
        format!("{config:?}"),
        format!("{hub_config:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[test]
fn retry_after_is_honoured_and_failures_back_off() {
    let hub = start_hub(None);
    let dir = scratch("retry-after");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    hub.add_fault(Fault {
        path: "/news".into(),
        mode: FaultMode::Status {
            status: 503,
            retry_after: Some(2),
        },
        times: Some(1),
    });
    hub.add_fault(Fault {
        path: "/rooms".into(),
        mode: FaultMode::Status {
            status: 500,
            retry_after: None,
        },
        times: None,
    });
    let settings = SyncSettings {
        backoff_max: Duration::from_secs(5),
        ..fast()
    };
    let start = Instant::now();
    let (_, handle) = start_sync(&config, settings, test_clock());
    let catalog = wait_for(&handle, "news after Retry-After", |c| !c.news.is_empty());
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs(2),
        "news came back after {waited:?}, before Retry-After"
    );
    assert!(catalog.status(Feed::News).last_error.is_none());
    let news = requests_to(&hub, "/news");
    assert_eq!(news[0].status, 503);
    assert_eq!(news[1].status, 200, "one retry, after the wait: {news:?}");

    // Rooms kept failing for as long: a 200 ms poll would have asked 10+
    // times; exponential backoff asks far fewer.
    std::thread::sleep(Duration::from_secs(3).saturating_sub(start.elapsed()));
    let rooms = requests_to(&hub, "/rooms").len();
    assert!(
        (2..=9).contains(&rooms),
        "{rooms} requests in 3 s of failures"
    );
    handle.shutdown();
}

#[test]
fn the_next_days_bookings_are_fetched_at_midnight() {
    let hub = start_hub(None);
    let dir = scratch("midnight");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    // Two seconds before midnight in Rome.
    let now = Timestamp::now();
    let today = now.to_zoned(rome()).date();
    let tomorrow = today.tomorrow().unwrap();
    let midnight = tomorrow.to_zoned(rome()).unwrap().timestamp();
    let clock = Clock::system();
    clock.set_offset(midnight.duration_since(now) - SignedDuration::from_secs(2));

    let (_, handle) = start_sync(&config, fast(), clock.clone());
    let first = wait_for(&handle, "today's bookings", |c| {
        !c.bookings.items.is_empty()
    });
    assert_eq!(first.bookings.date, Some(today));
    let next = wait_for(&handle, "tomorrow's bookings", |c| {
        c.bookings.date == Some(tomorrow)
    });
    assert!(!next.todays_bookings(clock.now(), &rome()).is_empty());
    assert!(!requests_to(&hub, &format!("/bookings?date={tomorrow}")).is_empty());
    handle.shutdown();
}

#[test]
fn announcements_arrive_on_time_whatever_the_other_feeds_do() {
    let hub = start_hub(None);
    let dir = scratch("announcement-lane");
    std::fs::write(dir.join("token"), format!("{TOKEN}\n")).unwrap();
    let path = dir.join("kiosk.toml");
    std::fs::write(
        &path,
        format!(
            "[hub]\nurl = \"{}\"\nkiosk_id = \"mt-test-1\"\ntoken_file = \"token\"\n\
             announcements_poll_s = 1\nrequest_timeout_s = 60\n\
             [storage]\ncache_dir = \"cache\"\n",
            hub.url()
        ),
    )
    .unwrap();
    let config = config::load(&path, &Env::default()).unwrap();
    // Every other feed crawls (a byte each half second), and the playlist
    // asks the kiosk to come back in an hour.
    for feed in ["/vacancies", "/news", "/rooms", "/bookings"] {
        hub.add_fault(Fault::parse(&format!("{feed}=slow:500")).unwrap());
    }
    hub.add_fault(Fault::parse("/kiosks=status:503:3600").unwrap());
    let settings = SyncSettings::from_config(config.hub.as_ref().unwrap());
    let (_, handle) = start_sync(&config, settings, test_clock());
    wait_for(&handle, "announcements", |c| {
        c.status(Feed::Announcements).last_success.is_some()
    });
    // Let the other feeds start crawling.
    std::thread::sleep(Duration::from_secs(2));

    let published = Instant::now();
    let response = ureq::post(&format!("{}/announcements", hub.url()))
        .header("Authorization", &format!("Bearer {STAFF_TOKEN}"))
        .header("Content-Type", "application/json")
        .send(json!({"text": "Evacuare l'edificio", "level": "urgent"}).to_string())
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let it = portalavoro_core::content::Lang::new("it");
    wait_for(&handle, "the urgent announcement", |c| {
        c.announcements
            .iter()
            .any(|a| a.text.get(&it, &it) == "Evacuare l'edificio")
    });
    let delay = published.elapsed();
    // announcements_poll_s plus a second.
    assert!(
        delay <= Duration::from_secs(2),
        "urgent announcement after {delay:?} while the other feeds crawl"
    );
    handle.stop();
}

#[test]
fn a_hub_that_ignores_if_none_match_changes_nothing_on_screen_or_disk() {
    let hub = start_hub(None);
    hub.add_fault(Fault::parse("/news=ignore-etag").unwrap());
    let dir = scratch("ignore-etag");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "");
    let (_, handle) = start_sync(&config, fast(), test_clock());
    wait_for(&handle, "every feed", fully_synced);
    let cache_file = dir.join("cache").join("news.cache");
    let written = std::fs::metadata(&cache_file).unwrap().modified().unwrap();
    // Let the first snapshots drain, then watch ten news polls (200 ms).
    std::thread::sleep(Duration::from_millis(300));
    while handle.snapshots.try_recv().is_ok() {}
    hub.clear_seen();
    std::thread::sleep(Duration::from_secs(2));
    let polls = requests_to(&hub, "/news").len();
    assert!(polls >= 5, "only {polls} news polls");
    let snapshots = handle.snapshots.try_iter().count();
    assert_eq!(snapshots, 0, "{polls} identical answers redrew the screen");
    assert_eq!(
        std::fs::metadata(&cache_file).unwrap().modified().unwrap(),
        written,
        "the cache was rewritten for an identical answer"
    );
    handle.shutdown();
}

#[test]
fn a_kiosk_whose_id_changes_never_shows_the_old_ids_playlist() {
    let Synced {
        hub,
        dir,
        handle,
        catalog,
        ..
    } = synced_kiosk("id-change");
    assert_eq!(catalog.status(Feed::Playlist).origin, Some(Origin::Hub));
    assert!(!catalog.announcements.is_empty());
    handle.shutdown();
    // Same hub, same cache folder, another id; the hub does not answer.
    // The folder also holds the unnamed copies an earlier version kept.
    hub.add_fault(Fault::parse("/=status:503").unwrap());
    let cache_dir = dir.join("cache");
    for old in ["announcements.cache", "playlist.cache"] {
        std::fs::copy(cache_dir.join("news.cache"), cache_dir.join(old)).unwrap();
    }
    std::fs::write(
        dir.join("kiosk.toml"),
        format!(
            "[hub]\nurl = \"{}\"\nkiosk_id = \"mt-test-2\"\ntoken_file = \"token\"\n\
             [storage]\ncache_dir = \"cache\"\n",
            hub.url()
        ),
    )
    .unwrap();
    let other = config::load(&dir.join("kiosk.toml"), &Env::default()).unwrap();
    let (initial, handle) = start_sync(&other, fast(), test_clock());
    assert_ne!(
        initial.status(Feed::Playlist).origin,
        Some(Origin::Cache),
        "the old id's playlist"
    );
    assert!(
        initial.announcements.is_empty(),
        "the old id's announcements"
    );
    // What every kiosk shares is still there offline.
    assert!(!initial.vacancies.is_empty());
    for old in ["announcements.cache", "playlist.cache"] {
        assert!(!cache_dir.join(old).exists(), "{old} left on disk");
    }
    assert!(
        cache_dir.join("playlist@mt-test-1.cache").exists(),
        "the old id's own copy"
    );
    handle.shutdown();
}

#[test]
fn a_staff_announcement_reaches_the_kiosk_within_one_poll() {
    let hub = start_hub(None);
    let dir = scratch("announcement");
    let config = kiosk_config(&dir, &hub.url(), TOKEN, "announcements_poll_s = 1");
    let settings = SyncSettings::from_config(config.hub.as_ref().unwrap());
    let (_, handle) = start_sync(&config, settings, test_clock());
    wait_for(&handle, "announcements", |c| {
        c.status(Feed::Announcements).last_success.is_some()
    });

    // Published through the staff endpoint, over HTTP, as hub staff would.
    let published = Instant::now();
    let mut response = ureq::post(&format!("{}/announcements", hub.url()))
        .header("Authorization", &format!("Bearer {STAFF_TOKEN}"))
        .header("Content-Type", "application/json")
        .send(
            json!({"text": {"it": "Evacuare l'edificio", "en": "Leave the building"},
                     "level": "urgent", "starts_at": null, "ends_at": null, "kiosks": null})
            .to_string(),
        )
        .map_err(|e| e.to_string())
        .unwrap_or_else(|e| panic!("staff POST failed: {e}"));
    assert_eq!(response.status().as_u16(), 201);
    let body: Value = serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap();
    let id = body["id"].as_str().unwrap().to_string();
    let catalog = wait_for(&handle, "the urgent announcement", |c| {
        c.announcements.iter().any(|a| a.id == id)
    });
    let delay = published.elapsed();
    assert!(delay <= Duration::from_secs(2), "on screen after {delay:?}");
    assert_eq!(
        catalog.active_announcements("mt-test-1", morning())[0].id,
        id
    );

    // Staff endpoints want the staff token.
    let denied = ureq::delete(&format!("{}/announcements/{id}", hub.url()))
        .header("Authorization", &format!("Bearer {TOKEN}"))
        .call();
    assert!(
        matches!(denied, Err(ureq::Error::StatusCode(401))),
        "{denied:?}"
    );
    ureq::delete(&format!("{}/announcements/{id}", hub.url()))
        .header("Authorization", &format!("Bearer {STAFF_TOKEN}"))
        .call()
        .unwrap();
    wait_for(&handle, "the withdrawal", |c| {
        c.announcements.iter().all(|a| a.id != id)
    });
    handle.shutdown();
}

#[test]
fn no_playlist_on_the_hub_means_the_one_in_kiosk_toml() {
    let hub = start_hub(None);
    hub.remove_feed("playlist");
    let dir = scratch("playlist");
    let extra = "[[attract.playlist]]\nkind = \"text\"\ntext = \"Solo locale\"\n";
    let config = kiosk_config(&dir, &hub.url(), TOKEN, &format!("\n{extra}"));
    let (_, handle) = start_sync(&config, fast(), test_clock());
    let catalog = wait_for(&handle, "every feed", fully_synced);
    assert_eq!(catalog.status(Feed::Playlist).origin, Some(Origin::Local));
    assert_eq!(catalog.playlist.len(), 1);
    assert!(
        catalog.status(Feed::Playlist).last_error.is_none(),
        "404 is not an error here"
    );
    handle.shutdown();
}

#[test]
fn a_damaged_cache_file_is_ignored_and_the_rest_shown() {
    let Synced {
        hub,
        dir,
        config,
        handle,
        catalog: good,
    } = synced_kiosk("damaged-cache");
    handle.shutdown();
    drop(hub);

    // A truncated vacancies file and a news file of garbage, hub down.
    let vacancies = dir.join("cache/vacancies.cache");
    let bytes = std::fs::read(&vacancies).unwrap();
    std::fs::write(&vacancies, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(dir.join("cache/news.cache"), b"\x00\xffnot a cache file").unwrap();
    let (initial, handle) = start_sync(&config, fast(), test_clock());
    assert!(
        initial.vacancies.is_empty(),
        "the truncated copy is not shown"
    );
    assert!(initial.news.is_empty());
    assert_eq!(
        initial.rooms.len(),
        good.rooms.len(),
        "the intact feeds are"
    );
    assert_eq!(initial.status(Feed::Rooms).origin, Some(Origin::Cache));
    handle.shutdown();
}

#[test]
fn a_restart_on_the_next_day_does_not_show_yesterdays_bookings() {
    let Synced {
        hub,
        config,
        handle,
        catalog,
        ..
    } = synced_kiosk("next-day-restart");
    assert!(!catalog.bookings.items.is_empty());
    handle.shutdown();

    let clock = Clock::starting_at(morning() + SignedDuration::from_hours(24));
    let (initial, handle) = start_sync(&config, fast(), clock.clone());
    assert!(
        initial.todays_bookings(clock.now(), &rome()).is_empty(),
        "the cached day is yesterday"
    );
    let tomorrow = clock.now().to_zoned(rome()).date();
    let next = wait_for(&handle, "the new day's bookings", |c| {
        c.bookings.date == Some(tomorrow)
    });
    assert!(!next.todays_bookings(clock.now(), &rome()).is_empty());
    let asked = requests_to(&hub, &format!("/bookings?date={tomorrow}"));
    assert_eq!(
        asked[0].if_none_match, None,
        "yesterday's ETag is not sent for today"
    );
    handle.shutdown();
}

#[test]
fn a_hub_without_services_leaves_the_kiosk_without_a_services_section() {
    let mut synced = synced_kiosk("no-services");
    assert!(!synced.catalog.services.is_empty(), "the demo hub has some");
    // The hub drops the endpoint (an older hub): 404, and the kiosk has
    // none, without calling it an error.
    synced.hub.remove_feed("services");
    synced.handle.commands.send(SyncCommand::SyncNow).unwrap();
    synced.catalog = wait_for(&synced.handle, "no services", |c| c.services.is_empty());
    let status = synced.catalog.status(Feed::Services);
    assert_eq!(status.last_error, None);
    assert!(status.last_success.is_some());
    assert!(!synced.catalog.vacancies.is_empty(), "the rest stays");
}
