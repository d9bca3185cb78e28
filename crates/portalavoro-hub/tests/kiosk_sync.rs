//! The kiosk's own hub client and sync thread (portalavoro-core) against
//! `portalavoro-hub` loaded with the demo network: every feed arrives
//! whole, the heartbeat reaches the fleet, and an urgent announcement is
//! in the kiosk's catalog within a second of publishing, because the kiosk
//! waits on the hub instead of polling (its poll interval here is 30 s).

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use portalavoro_core::clock::Clock;
use portalavoro_core::config::{self, Config, Env};
use portalavoro_core::content::{Catalog, Feed, Origin, demo as kiosk_demo};
use portalavoro_core::hub::heartbeat::SharedVitals;
use portalavoro_core::hub::{SyncCommand, SyncHandle, SyncSettings, sync};
use portalavoro_hub::demo;
use serde_json::json;
use support::{TestHub, backends};

fn kiosk_config(dir: &Path, url: &str, kiosk: &str) -> Config {
    let text = format!(
        "[hub]\nurl = \"{url}\"\nkiosk_id = \"{kiosk}\"\ntoken_file = \"kiosk-token-{kiosk}\"\n\
         announcements_poll_s = 30\nheartbeat_s = 10\n\n[storage]\ncache_dir = \"cache-{kiosk}\"\n"
    );
    let path = dir.join(format!("test-{kiosk}.toml"));
    std::fs::write(&path, text).unwrap();
    config::load(&path, &Env::default()).unwrap()
}

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

#[test]
fn the_kiosk_syncs_every_feed_and_gets_urgent_news_within_a_second() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "kiosk-sync");
        let port = hub
            .url
            .split(':')
            .nth(2)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        hub.block_on(demo::load(hub.db(), &hub.state.config, port))
            .unwrap();
        let config = kiosk_config(&hub.dir, &hub.url, "totem-matera-1");
        let settings = SyncSettings::from_config(config.hub.as_ref().unwrap());
        let (_, handle) = sync::start(
            &config,
            settings,
            Clock::system(),
            SharedVitals::default(),
            Box::new(|| {}),
        );
        let catalog = wait_for(&handle, "every feed", |c| {
            Feed::ALL
                .iter()
                .all(|f| c.status(*f).last_success.is_some())
        });

        let now = jiff::Timestamp::now();
        let rome = config::default_timezone();
        let reference = kiosk_demo::catalog(now, &rome);
        assert_eq!(
            catalog.vacancies.len(),
            reference.vacancies.len(),
            "{backend:?}"
        );
        assert_eq!(catalog.news.len(), reference.news.len(), "{backend:?}");
        assert_eq!(catalog.rooms.len(), reference.rooms.len(), "{backend:?}");
        assert_eq!(
            catalog.playlist.len(),
            reference.playlist.len(),
            "{backend:?}"
        );
        assert_eq!(
            catalog.todays_bookings(now, &rome).len(),
            reference.todays_bookings(now, &rome).len(),
            "{backend:?}: today's bookings"
        );
        for feed in Feed::ALL {
            let status = catalog.status(feed);
            assert_eq!(status.origin, Some(Origin::Hub), "{backend:?} {feed:?}");
            assert_eq!(status.last_error, None, "{backend:?} {feed:?}");
        }

        // The heartbeat reaches the fleet.
        let deadline = Instant::now() + Duration::from_secs(10);
        while hub
            .block_on(hub.db().heartbeat_count("totem-matera-1"))
            .unwrap()
            == 0
        {
            assert!(Instant::now() < deadline, "{backend:?}: no heartbeat");
            std::thread::sleep(Duration::from_millis(100));
        }

        // Published by staff over HTTP: in the catalog within a second,
        // though the kiosk polls announcements only every 30 s.
        std::thread::sleep(Duration::from_millis(500));
        let staff = std::fs::read_to_string(hub.dir.join("staff-token")).unwrap();
        let published = Instant::now();
        let posted = hub.send(
            "POST",
            "/announcements",
            staff.trim(),
            &json!({"text": {"it": "Evacuare l'edificio", "en": "Leave the building"},
                    "level": "urgent", "site": "matera"})
            .to_string(),
        );
        assert_eq!(posted.status, 201);
        let id = posted.json()["id"].as_str().unwrap().to_string();
        wait_for(&handle, "the urgent announcement", |c| {
            c.announcements.iter().any(|a| a.id == id)
        });
        let delay = published.elapsed();
        assert!(
            delay < Duration::from_secs(1),
            "{backend:?}: on the kiosk after {delay:?}"
        );

        // End now: gone as fast.
        let ended = Instant::now();
        assert_eq!(
            hub.send("DELETE", &format!("/announcements/{id}"), staff.trim(), "")
                .status,
            204
        );
        wait_for(&handle, "the end", |c| {
            c.announcements.iter().all(|a| a.id != id)
        });
        assert!(
            ended.elapsed() < Duration::from_secs(1),
            "{backend:?}: ended after {:?}",
            ended.elapsed()
        );

        // Revoked: the kiosk keeps what it shows and says its token is refused.
        hub.block_on(
            hub.db()
                .revoke_kiosk("totem-matera-1", "test", support::now()),
        )
        .unwrap();
        handle.commands.send(SyncCommand::SyncNow).unwrap();
        let refused = wait_for(&handle, "the refusal", |c| {
            c.status(Feed::News)
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("token rejected"))
        });
        assert_eq!(
            refused.vacancies.len(),
            reference.vacancies.len(),
            "{backend:?}: content kept"
        );
        handle.shutdown();
    }
}
