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
use portalavoro_hub::db::playlists::Owner;
use portalavoro_hub::{demo, secrets};
use serde_json::json;
use support::{TestHub, backends};

/// `extra`: more of kiosk.toml, after the rest.
fn kiosk_config(dir: &Path, url: &str, kiosk: &str, extra: &str) -> Config {
    let text = format!(
        "[hub]\nurl = \"{url}\"\nkiosk_id = \"{kiosk}\"\ntoken_file = \"kiosk-token-{kiosk}\"\n\
         announcements_poll_s = 30\nheartbeat_s = 10\n\n[storage]\ncache_dir = \"cache-{kiosk}\"\n{extra}"
    );
    let path = dir.join(format!("test-{kiosk}.toml"));
    std::fs::write(&path, text).unwrap();
    config::load(&path, &Env::default()).unwrap()
}

fn port_of(hub: &TestHub) -> u16 {
    let after_host = hub.url.split(':').nth(2).unwrap();
    after_host.split('/').next().unwrap().parse().unwrap()
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
        let port = port_of(&hub);
        let lines = hub
            .block_on(demo::load(hub.db(), &hub.state.config, port))
            .unwrap();
        // The demo's console user signs in with the password it wrote.
        assert!(lines.iter().any(|l| l.contains("/console/")), "{lines:?}");
        let password =
            std::fs::read_to_string(hub.state.config.state_dir.join("console-password")).unwrap();
        let user = hub.block_on(hub.db().user("demo")).unwrap().unwrap();
        assert!(secrets::verify_password(&password, &user.password_hash));
        assert!(!secrets::verify_password("demo", &user.password_hash));
        let config = kiosk_config(&hub.dir, &hub.url, "totem-matera-1", "");
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
            catalog.services.len(),
            reference.services.len(),
            "{backend:?}"
        );
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

/// A spoke's kiosk: its hub's attract loop (the demo gives Matera one),
/// then its own site's from the staff API, then its hub's again, and, once
/// no site has one, the one in its own kiosk.toml; a feed that did not
/// change costs a 304 and publishes nothing.
#[test]
fn a_kiosk_follows_its_sites_playlist_then_falls_back_to_its_own() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "kiosk-playlist");
        hub.block_on(demo::load(hub.db(), &hub.state.config, port_of(&hub)))
            .unwrap();
        let staff = std::fs::read_to_string(hub.dir.join("staff-token")).unwrap();
        let own_text = "Solo locale";
        let own = format!("\n[[attract.playlist]]\nkind = \"text\"\ntext = \"{own_text}\"\n");
        let config = kiosk_config(&hub.dir, &hub.url, "totem-policoro-1", &own);
        let mut settings = SyncSettings::from_config(config.hub.as_ref().unwrap());
        settings.poll = Duration::from_millis(300);
        let (_, handle) = sync::start(
            &config,
            settings,
            Clock::system(),
            SharedVitals::default(),
            Box::new(|| {}),
        );
        let italian = portalavoro_contract::Lang::new("it");
        let texts = |c: &Catalog| -> Vec<String> {
            c.playlist
                .iter()
                .filter_map(|s| match &s.kind {
                    portalavoro_contract::SlideKind::Text { text } => {
                        Some(text.get(&italian, &italian).to_string())
                    }
                    _ => None,
                })
                .collect()
        };
        let demo_loop = hub
            .block_on(hub.db().playlist(&[Owner::Site("matera")]))
            .unwrap()
            .unwrap();
        let demo_slides = serde_json::from_str::<serde_json::Value>(&demo_loop).unwrap()["items"]
            .as_array()
            .unwrap()
            .len();
        let first = wait_for(&handle, "every feed", |c| {
            Feed::ALL
                .iter()
                .all(|f| c.status(*f).last_success.is_some())
        });
        assert_eq!(first.status(Feed::Playlist).origin, Some(Origin::Hub));
        assert_eq!(
            first.playlist.len(),
            demo_slides,
            "{backend:?}: Matera's, its hub's"
        );

        // Unchanged feeds: 304s, no new snapshot.
        while handle.snapshots.try_recv().is_ok() {}
        std::thread::sleep(Duration::from_millis(1000));
        assert!(
            handle.snapshots.try_recv().is_err(),
            "{backend:?}: a 304 publishes nothing"
        );

        let put = |path: &str, body: &serde_json::Value| {
            hub.send("PUT", path, staff.trim(), &body.to_string())
                .status
        };
        let delete = |path: &str| hub.send("DELETE", path, staff.trim(), "").status;
        let own_site = json!({"items": [{"kind": "text", "text": {"it": "Career day a Policoro"}}, {"kind": "vacancies", "count": 3}]});
        assert_eq!(put("/sites/policoro/playlist", &own_site), 204);
        let from_site = wait_for(&handle, "Policoro's playlist", |c| {
            texts(c) == ["Career day a Policoro"]
        });
        assert_eq!(from_site.playlist.len(), 2, "{backend:?}");

        assert_eq!(delete("/sites/policoro/playlist"), 204);
        wait_for(&handle, "its hub's again", |c| {
            c.playlist.len() == demo_slides && c.status(Feed::Playlist).origin == Some(Origin::Hub)
        });
        assert_eq!(delete("/sites/matera/playlist"), 204);
        let back = wait_for(&handle, "its own playlist", |c| {
            c.status(Feed::Playlist).origin == Some(Origin::Local)
        });
        assert_eq!(texts(&back), [own_text], "{backend:?}");
        assert!(
            back.status(Feed::Playlist).last_error.is_none(),
            "404 is not an error here"
        );
        handle.shutdown();
    }
}

/// The kiosk's appointments thread against the demo network: the free
/// slots of a service by appointment, holds until the hub's limit, the
/// refusal the visitor is told of, and letting one go.
#[test]
fn the_kiosk_holds_slots_until_the_hubs_limit_and_lets_one_go() {
    use portalavoro_core::appointment::{Answer, Ask, Refusal};
    use portalavoro_core::content::{Lang, UrlBase};
    use portalavoro_core::hub::HubClient;
    use portalavoro_core::hub::appointments::{Request, serve};

    for backend in backends() {
        let hub = TestHub::start(&backend, "kiosk-appointments");
        hub.block_on(demo::load(hub.db(), &hub.state.config, port_of(&hub)))
            .unwrap();
        let config = kiosk_config(&hub.dir, &hub.url, "totem-matera-1", "");
        let client = HubClient::new(config.hub.as_ref().unwrap()).unwrap();
        let urls = UrlBase::hub(client.base_url());
        let ask = |ask| {
            serve(
                &client,
                &urls,
                Request {
                    ask,
                    lang: Lang::new("uk"),
                },
            )
        };
        let service = "s-orientamento".to_string();
        let Some(Answer::Slots {
            slots: Some(slots), ..
        }) = ask(Ask::Slots {
            service: service.clone(),
        })
        else {
            panic!("{backend:?}: no slots");
        };
        assert!(slots.len() > 10, "{backend:?}: {} slots", slots.len());
        let mut codes = Vec::new();
        for slot in &slots[..3] {
            match ask(Ask::Hold {
                service: service.clone(),
                slot: slot.clone(),
            }) {
                Some(Answer::Hold {
                    result: Ok(hold),
                    slot_id,
                    ..
                }) => {
                    assert_eq!(slot_id, slot.id);
                    assert_eq!(hold.starts_at, slot.starts_at);
                    assert!(hold.url.ends_with("?lang=uk"), "{}", hold.url);
                    codes.push(hold.code);
                }
                other => panic!("{backend:?}: {other:?}"),
            }
        }
        match ask(Ask::Hold {
            service: service.clone(),
            slot: slots[3].clone(),
        }) {
            Some(Answer::Hold {
                result: Err(Refusal::Limit { minutes }),
                ..
            }) => {
                assert!((9..=10).contains(&minutes), "{minutes}");
            }
            other => panic!("{backend:?}: {other:?}"),
        }
        assert_eq!(
            ask(Ask::Release {
                code: codes[0].clone()
            }),
            None
        );
        assert!(matches!(
            ask(Ask::Hold {
                service: service.clone(),
                slot: slots[3].clone()
            }),
            Some(Answer::Hold { result: Ok(_), .. })
        ));
        // A service the hub has no calendar for: no slots, said as such.
        assert!(matches!(
            ask(Ask::Slots {
                service: "s-curriculum".into()
            }),
            Some(Answer::Slots { slots: None, .. })
        ));
    }
}
