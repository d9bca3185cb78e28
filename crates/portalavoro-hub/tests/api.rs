//! The hub API over HTTP, as kiosks and staff use it, on every database
//! this run has (support::backends).

mod support;

use std::time::{Duration, Instant};

use portalavoro_contract::{Announcement, Booking, News, Room, Vacancy, parse_items};
use portalavoro_hub::db::Role;
use serde_json::{Value, json};
use support::{TestHub, backends};

/// An RFC 3339 time `hours` from now.
fn at(hours: f64) -> String {
    let seconds = (hours * 3600.0) as i64;
    jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(seconds))
        .unwrap()
        .to_string()
}

fn news(id: &str, extra: Value) -> String {
    let mut item =
        json!({"id": id, "title": {"it": format!("Notizia {id}")}, "published_at": at(-1.0)});
    for (k, v) in extra.as_object().unwrap() {
        item[k] = v.clone();
    }
    item.to_string()
}

#[test]
fn each_kiosk_gets_its_network_site_and_own_items_with_etags() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "scope");
        let net = hub.network();
        for (id, extra) in [
            ("n-all", json!({})),
            ("n-matera", json!({"site": "matera"})),
            ("n-potenza", json!({"site": "potenza"})),
            ("n-policoro", json!({"site": "policoro"})),
            ("n-k-potenza", json!({"kiosks": ["k-potenza"]})),
            ("n-expired", json!({"expires_at": at(-0.5)})),
        ] {
            let answer = hub.send("POST", "/items/news", &net.admin, &news(id, extra));
            assert_eq!(
                answer.status,
                201,
                "{backend:?} {id}: {}",
                String::from_utf8_lossy(&answer.body)
            );
        }
        let seen = |token: &str| {
            let mut ids = hub.get("/news", Some(token), None).ids();
            ids.sort();
            ids
        };
        assert_eq!(seen(&net.matera), ["n-all", "n-matera"], "{backend:?}");
        assert_eq!(
            seen(&net.potenza),
            ["n-all", "n-k-potenza", "n-potenza"],
            "{backend:?}"
        );
        assert_eq!(
            seen(&net.policoro),
            ["n-all", "n-matera", "n-policoro"],
            "{backend:?}: a spoke spreads its hub's news"
        );

        // What kiosks receive passes the kiosk's own parser whole.
        let first = hub.get("/news", Some(&net.matera), None);
        let parsed = parse_items::<News>(&first.body, &Default::default()).unwrap();
        assert_eq!((parsed.items.len(), parsed.skipped.len()), (2, 0));

        // ETag: unchanged → 304; a change → 200 with a new tag.
        let etag = first.etag.clone().expect("an ETag");
        assert_eq!(
            hub.get("/news", Some(&net.matera), Some(&etag)).status,
            304,
            "{backend:?}"
        );
        let edit = news(
            "n-matera",
            json!({"title": "Nuovo titolo", "site": "matera"}),
        );
        assert_eq!(
            hub.send("PUT", "/items/news/n-matera", &net.admin, &edit)
                .status,
            200
        );
        let changed = hub.get("/news", Some(&net.matera), Some(&etag));
        assert_eq!(changed.status, 200, "{backend:?}");
        assert_ne!(changed.etag.as_deref(), Some(etag.as_str()));
        assert!(String::from_utf8_lossy(&changed.body).contains("Nuovo titolo"));
        // A change elsewhere leaves this kiosk's document as it was.
        let etag = changed.etag.unwrap();
        hub.send(
            "POST",
            "/items/news",
            &net.admin,
            &news("n-potenza-2", json!({"site": "potenza"})),
        );
        assert_eq!(
            hub.get("/news", Some(&net.matera), Some(&etag)).status,
            304,
            "{backend:?}"
        );
    }
}

#[test]
fn a_spoke_shows_its_hubs_rooms_by_place_and_only_their_public_events() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "rooms");
        let net = hub.network();
        let room = |id: &str, site: &str| {
            json!({"id": id, "name": {"it": format!("Sala {id}")}, "kind": "meeting", "site": site})
                .to_string()
        };
        assert_eq!(
            hub.send("POST", "/items/rooms", &net.admin, &room("r1", "matera"))
                .status,
            201
        );
        assert_eq!(
            hub.send("POST", "/items/rooms", &net.admin, &room("r2", "policoro"))
                .status,
            201
        );
        let today = jiff::Zoned::now()
            .with_time_zone(jiff::tz::TimeZone::get("Europe/Rome").unwrap())
            .date();
        let booking = |id: &str, room: &str, public: bool| {
            json!({"id": id, "room_id": room, "kind": "event", "public": public,
                   "title": if public { json!({"it": "Career day"}) } else { Value::Null },
                   "starts_at": format!("{today}T10:00:00+01:00"), "ends_at": format!("{today}T11:00:00+01:00")})
            .to_string()
        };
        for (id, room_id, public) in [("b1", "r1", true), ("b2", "r1", false), ("b3", "r2", false)]
        {
            let answer = hub.send(
                "POST",
                "/items/bookings",
                &net.admin,
                &booking(id, room_id, public),
            );
            assert_eq!(
                answer.status,
                201,
                "{}",
                String::from_utf8_lossy(&answer.body)
            );
        }
        let unknown_room = hub.send(
            "POST",
            "/items/bookings",
            &net.admin,
            &booking("b4", "r9", true),
        );
        assert_eq!(unknown_room.status, 422);
        assert!(
            unknown_room.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("room_id")
        );

        let rooms = hub.get("/rooms", Some(&net.policoro), None);
        let parsed = parse_items::<Room>(&rooms.body, &Default::default()).unwrap();
        let names: Vec<String> = parsed
            .items
            .iter()
            .map(|r| r.name.all().next().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            ["Sala r1 · Portalavoro Matera", "Sala r2"],
            "{backend:?}"
        );
        let day = hub.get(
            &format!("/bookings?date={today}"),
            Some(&net.policoro),
            None,
        );
        assert_eq!(day.json()["date"], today.to_string());
        let mut ids = day.ids();
        ids.sort();
        assert_eq!(
            ids,
            ["b1", "b3"],
            "{backend:?}: the hub's private bookings stay at the hub"
        );
        assert_eq!(
            parse_items::<Booking>(&day.body, &Default::default())
                .unwrap()
                .skipped
                .len(),
            0
        );
        let mut at_hub = hub
            .get(&format!("/bookings?date={today}"), Some(&net.matera), None)
            .ids();
        at_hub.sort();
        assert_eq!(at_hub, ["b1", "b2"], "{backend:?}");
        let tomorrow = today.tomorrow().unwrap();
        assert!(
            hub.get(
                &format!("/bookings?date={tomorrow}"),
                Some(&net.matera),
                None
            )
            .ids()
            .is_empty()
        );
        assert_eq!(
            hub.get("/bookings?date=oggi", Some(&net.matera), None)
                .status,
            400
        );
    }
}

#[test]
fn announcements_reach_their_site_at_once_and_end_now() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "announce");
        let net = hub.network();
        let path = |kiosk: &str| format!("/announcements?kiosk={kiosk}");
        let empty = hub.get(&path("k-matera"), Some(&net.matera), None);
        assert_eq!(empty.ids(), Vec::<String>::new());
        assert_eq!(
            empty.header("portalavoro-wait"),
            Some("10"),
            "the wait is offered"
        );
        let etag = empty.etag.clone().unwrap();

        // A kiosk waits; staff publish for its site; it is told at once.
        let url = hub.url.clone();
        let token = net.matera.clone();
        let tag = etag.clone();
        let waiter = std::thread::spawn(move || {
            let started = Instant::now();
            let mut response = support::http()
                .get(&format!("{url}/announcements?kiosk=k-matera&wait=10"))
                .header("Authorization", &format!("Bearer {token}"))
                .header("If-None-Match", &tag)
                .call()
                .unwrap();
            let body = response.body_mut().read_to_string().unwrap();
            let answered = Instant::now();
            (
                response.status().as_u16(),
                body,
                answered,
                answered - started,
            )
        });
        std::thread::sleep(Duration::from_millis(500));
        let published = Instant::now();
        let posted = hub.send(
            "POST",
            "/announcements",
            &net.admin,
            &json!({"text": {"it": "Sportello 3 chiuso"}, "level": "urgent", "site": "matera",
                    "ends_at": at(2.0)})
            .to_string(),
        );
        assert_eq!(
            posted.status,
            201,
            "{}",
            String::from_utf8_lossy(&posted.body)
        );
        let id = posted.json()["id"].as_str().unwrap().to_string();
        let (status, body, answered, waited) = waiter.join().unwrap();
        assert_eq!(status, 200, "{backend:?}");
        assert!(body.contains(&id), "{body}");
        let told = answered.duration_since(published);
        assert!(
            told < Duration::from_secs(1),
            "{backend:?}: told after {told:?}"
        );
        assert!(waited >= Duration::from_millis(400), "it did wait");
        let parsed = parse_items::<Announcement>(body.as_bytes(), &Default::default()).unwrap();
        assert_eq!(parsed.items.len(), 1);

        // Another site's kiosk does not get it.
        assert!(
            hub.get(&path("k-potenza"), Some(&net.potenza), None)
                .ids()
                .is_empty()
        );
        assert!(
            hub.get(&path("k-policoro"), Some(&net.policoro), None)
                .ids()
                .is_empty()
        );

        // Nothing changes: the wait ends in 304.
        let current = hub.get(&path("k-matera"), Some(&net.matera), None);
        let started = Instant::now();
        let idle = hub.get(
            &format!("{}&wait=1", path("k-matera")),
            Some(&net.matera),
            current.etag.as_deref(),
        );
        assert_eq!(idle.status, 304);
        assert!(started.elapsed() >= Duration::from_millis(900));

        // End now: gone from the kiosk's document, kept in the history.
        assert_eq!(
            hub.send("DELETE", &format!("/announcements/{id}"), &net.admin, "")
                .status,
            204
        );
        assert!(
            hub.get(&path("k-matera"), Some(&net.matera), None)
                .ids()
                .is_empty(),
            "{backend:?}"
        );
        let kept = hub
            .block_on(hub.db().item("announcements", &id))
            .unwrap()
            .unwrap();
        assert!(kept.ends_at.unwrap() <= support::now());
        assert_eq!(
            hub.send("DELETE", "/announcements/nope", &net.admin, "")
                .status,
            404
        );

        // A kiosk may not read another kiosk's announcements.
        assert_eq!(
            hub.get(&path("k-potenza"), Some(&net.matera), None).status,
            403
        );
    }
}

#[test]
fn tokens_are_checked_revoked_and_guessing_is_slowed() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "auth");
        let net = hub.network();
        let staff = hub.staff("desk", Role::Staff);
        assert_eq!(hub.get("/news", None, None).status, 401);
        assert_eq!(hub.get("/news", Some("not-a-token"), None).status, 401);
        assert_eq!(hub.get("/news", Some(&net.matera), None).status, 200);
        // A kiosk token is not a staff token, and staff are not admins.
        assert_eq!(
            hub.send("POST", "/announcements", &net.matera, "{}").status,
            401
        );
        assert_eq!(hub.get("/audit", Some(&staff), None).status, 403);
        assert_eq!(hub.get("/audit", Some(&net.admin), None).status, 200);
        // A kiosk reads only its own playlist and sends only its own heartbeat.
        assert_eq!(
            hub.get("/kiosks/k-potenza/playlist", Some(&net.matera), None)
                .status,
            403
        );
        assert_eq!(
            hub.send("POST", "/kiosks/k-potenza/heartbeat", &net.matera, "{}")
                .status,
            403
        );
        // Revoked: refused at the next request.
        hub.block_on(hub.db().revoke_kiosk("k-matera", "test", support::now()))
            .unwrap();
        assert_eq!(
            hub.get("/news", Some(&net.matera), None).status,
            401,
            "{backend:?}"
        );
        hub.block_on(hub.db().revoke_token("desk", "test", support::now()))
            .unwrap();
        assert_eq!(hub.get("/kiosks", Some(&staff), None).status, 401);
        // Guessing: after 20 failures in a minute, 429 with Retry-After,
        // even for a right token.
        for _ in 0..20 {
            hub.get("/news", Some("guess"), None);
        }
        let slowed = hub.get("/news", Some(&net.potenza), None);
        assert_eq!(slowed.status, 429, "{backend:?}");
        let wait: u64 = slowed.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait));
    }
}

#[test]
fn what_the_contract_forbids_never_gets_in() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "intake");
        let net = hub.network();
        let refused = [
            (
                "/items/news",
                json!({"id": "x", "title": "T", "published_at": "ieri"}),
            ),
            (
                "/items/news",
                json!({"id": "x", "title": "T", "published_at": at(0.0), "site": "roma"}),
            ),
            (
                "/items/news",
                json!({"id": "x", "title": "T", "published_at": at(0.0), "kiosks": ["k-nobody"]}),
            ),
            (
                "/items/vacancies",
                json!({"id": "v", "title": "T", "posted_at": at(0.0), "hours": "sometimes"}),
            ),
            (
                "/items/vacancies",
                json!({"id": "v", "title": "T", "posted_at": at(0.0), "positions": 0}),
            ),
            ("/items/rooms", json!({"id": "r", "name": "Sala"})),
            (
                "/announcements",
                json!({"text": "x".repeat(17_000), "level": "info"}),
            ),
            ("/announcements", json!({"text": "Ciao", "level": "shout"})),
            ("/items/news", json!(["not", "an", "object"])),
        ];
        for (path, body) in refused {
            let answer = hub.send("POST", path, &net.admin, &body.to_string());
            assert_eq!(
                answer.status,
                422,
                "{backend:?} {path} {body}: {}",
                String::from_utf8_lossy(&answer.body)
            );
            let message = answer.json()["error"]["message"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(
                message.contains("field `") || message.contains("(item)"),
                "{message}"
            );
        }
        assert_eq!(
            hub.send("POST", "/items/news", &net.admin, "{not json")
                .status,
            400
        );
        assert_eq!(
            hub.send("POST", "/items/widgets", &net.admin, "{}").status,
            404
        );
        let big = json!({"text": "x".repeat(300_000), "level": "info"}).to_string();
        assert_eq!(
            hub.send("POST", "/announcements", &net.admin, &big).status,
            413
        );
        for feed in [
            "/news",
            "/vacancies",
            "/rooms",
            "/announcements?kiosk=k-matera",
        ] {
            assert!(
                hub.get(feed, Some(&net.matera), None).ids().is_empty(),
                "{backend:?} {feed}"
            );
        }
        // A playlist is checked slide by slide.
        let bad = json!({"items": [{"kind": "news", "count": 99}]}).to_string();
        assert_eq!(
            hub.send("PUT", "/sites/matera/playlist", &net.admin, &bad)
                .status,
            422
        );
        assert_eq!(
            hub.get("/kiosks/k-matera/playlist", Some(&net.matera), None)
                .status,
            404
        );
        let good = json!({"items": [{"kind": "events"}, {"kind": "text", "text": "Benvenuti"}]})
            .to_string();
        assert_eq!(
            hub.send("PUT", "/sites/matera/playlist", &net.admin, &good)
                .status,
            204
        );
        let playlist = hub.get("/kiosks/k-matera/playlist", Some(&net.matera), None);
        assert_eq!(playlist.json()["items"].as_array().unwrap().len(), 2);
        // The spoke falls back to its hub's playlist; a kiosk's own wins.
        assert_eq!(
            hub.get("/kiosks/k-policoro/playlist", Some(&net.policoro), None)
                .status,
            200
        );
        let own = json!({"items": [{"kind": "rooms"}]}).to_string();
        assert_eq!(
            hub.send("PUT", "/kiosks/k-policoro/playlist", &net.admin, &own)
                .status,
            204
        );
        let playlist = hub.get("/kiosks/k-policoro/playlist", Some(&net.policoro), None);
        assert_eq!(playlist.json()["items"][0]["kind"], "rooms");
    }
}

#[test]
fn heartbeats_make_the_fleet_and_every_write_is_audited() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "fleet");
        let net = hub.network();
        let beat = json!({"version": "0.1.0", "screen": "attract", "uptime_s": 60, "feeds": {}})
            .to_string();
        assert_eq!(
            hub.send("POST", "/kiosks/k-matera/heartbeat", &net.matera, &beat)
                .status,
            204
        );
        assert_eq!(
            hub.send("POST", "/kiosks/k-matera/heartbeat", &net.matera, "[1]")
                .status,
            400
        );
        assert_eq!(
            hub.block_on(hub.db().heartbeat_count("k-matera")).unwrap(),
            1
        );
        let fleet = hub.get("/kiosks", Some(&net.admin), None).json();
        let entry = |id: &str| {
            fleet["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["kiosk_id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(entry("k-matera")["silent"], false, "{backend:?}");
        assert_eq!(entry("k-matera")["last_heartbeat"]["screen"], "attract");
        assert_eq!(entry("k-potenza")["silent"], true, "never heard from");

        hub.send("POST", "/items/news", &net.admin, &news("n1", json!({})));
        let audit = hub.get("/audit?limit=5", Some(&net.admin), None).json();
        let first = &audit["items"][0];
        assert_eq!(first["actor"], "token:admin");
        assert_eq!(first["action"], "news add");
        assert_eq!(first["target"], "n1");
    }
}

#[test]
fn pictures_are_encoded_anew_and_served_with_etags() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "media");
        let net = hub.network();
        let picture = image::RgbImage::from_fn(2400, 1600, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 40])
        });
        let mut png = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let url = format!("{}/media", hub.url);
        let mut response = support::http()
            .post(&url)
            .header("Authorization", &format!("Bearer {}", net.admin))
            .send(png.into_inner())
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
        let created: Value =
            serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap();
        let path = created["url"].as_str().unwrap().to_string();
        assert!(
            path.starts_with("media/") && path.ends_with(".jpg"),
            "{path}"
        );
        let served = hub.get(&format!("/{path}"), None, None);
        assert_eq!(served.status, 200);
        assert_eq!(served.header("content-type"), Some("image/jpeg"));
        let back = image::load_from_memory(&served.body).unwrap();
        assert_eq!((back.width(), back.height()), (1920, 1280));
        assert_eq!(
            hub.get(&format!("/{path}"), None, served.etag.as_deref())
                .status,
            304
        );
        let garbage = hub.send("POST", "/media", &net.admin, "GIF89a not really");
        assert_eq!(garbage.status, 422, "{backend:?}");
        assert_eq!(hub.get("/media/none.jpg", None, None).status, 404);
    }
}

#[test]
fn a_csv_import_reports_each_bad_row_and_a_dry_run_writes_nothing() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "import");
        let net = hub.network();
        let csv = "id,title,title_en,employer,posted_at,expires_at,contract,hours,positions\n\
                   MT-1,Saldatore,Welder,Officine Lucane,2026-11-30,2099-01-31,permanent,full_time,2\n\
                   MT-2,Cuoco,Cook,Trattoria,2026-11-30,,fixed_term,part_time,uno\n\
                   MT-3,Autista,Driver,Trasporti,2026-11-30,,temporary_agency,full_time,1\n";
        let dry = hub
            .send("POST", "/vacancies/import?dry_run=true", &net.admin, csv)
            .json();
        assert_eq!(dry["rows"], 3);
        assert_eq!(dry["imported"], 2);
        assert_eq!(
            dry["errors"],
            json!([{"row": 3, "field": "positions", "message": "\"uno\" is not a whole number"}])
        );
        assert!(
            hub.get("/vacancies", Some(&net.matera), None)
                .ids()
                .is_empty(),
            "a dry run writes nothing"
        );
        let done = hub
            .send("POST", "/vacancies/import", &net.admin, csv)
            .json();
        assert_eq!(done["imported"], 2);
        let answer = hub.get("/vacancies", Some(&net.matera), None);
        let parsed = parse_items::<Vacancy>(&answer.body, &Default::default()).unwrap();
        assert_eq!(parsed.items.len(), 2, "{backend:?}");
        assert_eq!(parsed.skipped.len(), 0);
        let bad = hub.send("POST", "/vacancies/import", &net.admin, "id,titolo\n1,x\n");
        assert_eq!(bad.status, 400);
        assert!(
            bad.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("titolo")
        );
    }
}

#[test]
fn two_instances_on_one_database_serve_as_one() {
    for backend in backends() {
        let first = TestHub::start(&backend, "pair");
        let net = first.network();
        let second = TestHub::beside(&first, "pair-2");
        // What one instance took, the other serves.
        assert_eq!(
            first
                .send("POST", "/items/news", &net.admin, &news("n1", json!({})))
                .status,
            201
        );
        assert_eq!(
            second.get("/news", Some(&net.matera), None).ids(),
            ["n1"],
            "{backend:?}"
        );

        // A kiosk waiting on the second hears at once of an announcement
        // published through the first.
        let current = second.get("/announcements?kiosk=k-matera", Some(&net.matera), None);
        let url = second.url.clone();
        let token = net.matera.clone();
        let etag = current.etag.unwrap();
        let waiter = std::thread::spawn(move || {
            let mut response = support::http()
                .get(&format!("{url}/announcements?kiosk=k-matera&wait=10"))
                .header("Authorization", &format!("Bearer {token}"))
                .header("If-None-Match", &etag)
                .call()
                .unwrap();
            let body = response.body_mut().read_to_string().unwrap();
            (response.status().as_u16(), body, Instant::now())
        });
        std::thread::sleep(Duration::from_millis(500));
        let published = Instant::now();
        let posted = first.send(
            "POST",
            "/announcements",
            &net.admin,
            &json!({"text": "Ascensore guasto", "level": "info"}).to_string(),
        );
        assert_eq!(posted.status, 201);
        let (status, body, answered) = waiter.join().unwrap();
        assert_eq!(status, 200, "{backend:?}");
        assert!(body.contains("Ascensore guasto"));
        let told = answered.duration_since(published);
        assert!(
            told < Duration::from_secs(1),
            "{backend:?}: told after {told:?}"
        );
        // A kiosk revoked through one is refused by the other.
        first
            .block_on(first.db().revoke_kiosk("k-potenza", "test", support::now()))
            .unwrap();
        assert_eq!(
            second.get("/news", Some(&net.potenza), None).status,
            401,
            "{backend:?}"
        );
    }
}

#[test]
fn staff_writing_at_once_from_two_instances_all_get_through() {
    for backend in backends() {
        let first = TestHub::start(&backend, "busy");
        let net = first.network();
        let second = TestHub::beside(&first, "busy-2");
        let urls = [first.url.clone(), second.url.clone()];
        let writers: Vec<_> = (0..6)
            .map(|writer| {
                let url = urls[writer % 2].clone();
                let token = net.admin.clone();
                std::thread::spawn(move || {
                    (0..8)
                        .map(|n| {
                            let body = news(&format!("n-{writer}-{n}"), json!({}));
                            let mut response = support::http()
                                .post(&format!("{url}/items/news"))
                                .header("Authorization", &format!("Bearer {token}"))
                                .header("Content-Type", "application/json")
                                .send(&body)
                                .unwrap();
                            let text = response.body_mut().read_to_string().unwrap();
                            (response.status().as_u16(), text)
                        })
                        .filter(|(status, _)| *status != 201)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let refused: Vec<_> = writers
            .into_iter()
            .flat_map(|writer| writer.join().unwrap())
            .collect();
        assert_eq!(refused, [], "{backend:?}");
        assert_eq!(first.get("/news", Some(&net.matera), None).ids().len(), 48);
    }
}

#[test]
fn the_totems_system_updates_are_served_as_files_without_a_token() {
    let backend = backends().remove(0);
    let hub = TestHub::start(&backend, "updates");
    let channel = hub.dir.join("updates/pilot");
    std::fs::create_dir_all(&channel).unwrap();
    let entry = "title Portalavoro Kiosk\nversion 0.9.0.1\n";
    std::fs::write(channel.join("portalavoro_0.9.0.1.conf"), entry).unwrap();
    std::fs::write(
        channel.join("SHA256SUMS"),
        "0000  portalavoro_0.9.0.1.conf\n",
    )
    .unwrap();
    let sums = hub.get("/updates/pilot/SHA256SUMS", None, None);
    assert_eq!(sums.status, 200);
    assert_eq!(sums.body, b"0000  portalavoro_0.9.0.1.conf\n");
    let file = hub.get("/updates/pilot/portalavoro_0.9.0.1.conf", None, None);
    assert_eq!((file.status, file.body.as_slice()), (200, entry.as_bytes()));
    assert_eq!(
        hub.get("/updates/stable/SHA256SUMS", None, None).status,
        404
    );
    // Nothing outside the folder.
    std::fs::write(hub.dir.join("secret.txt"), "no").unwrap();
    assert_eq!(hub.get("/updates/../secret.txt", None, None).status, 404);
    assert_eq!(
        hub.get("/updates/pilot/..%2f..%2fsecret.txt", None, None)
            .status,
        404
    );
}
