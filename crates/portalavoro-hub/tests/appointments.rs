//! Services and appointments over HTTP, as kiosks and staff use them, on
//! every database this run has: the services each kiosk sees, free slots,
//! holds with their code and link, the per-kiosk limit, a hold that runs
//! out, and calendars refused with their reason.

mod support;

use std::time::Duration;

use portalavoro_contract::{Access, Hold, Service, Slot, UrlBase, parse_items};
use serde_json::json;
use support::{TestHub, backends};

/// A day a week from now in the hub's time zone: its slots are ahead
/// whatever the hour this runs at.
fn next_week(hub: &TestHub) -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(hub.state.config.timezone.clone())
        .date()
        .checked_add(jiff::Span::new().days(7))
        .unwrap()
}

/// Matera's orientation, by appointment, 09:00-10:00 every day in slots of
/// 30 minutes, one person each; and the network's information point, walk in.
fn services(hub: &TestHub, admin: &str) {
    for body in [
        json!({"id": "orientamento", "site": "matera",
               "name": {"it": "Orientamento individuale", "en": "One-to-one guidance"},
               "summary": {"it": "Un operatore ti ascolta e ti aiuta a scegliere."},
               "bring": ["Documento d'identità"], "access": "appointment",
               "place": "Sportello 3"}),
        json!({"id": "info", "name": "Punto informativo", "summary": "Chiedi qui",
               "access": "walk_in", "hours": "Lun-Ven 9-13"}),
    ] {
        let answer = hub.send("POST", "/items/services", admin, &body.to_string());
        assert_eq!(
            answer.status,
            201,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
    }
    let calendar = json!({"slot_minutes": 30, "capacity": 1, "weekly":
        (1..=7).map(|day| json!({"day": day, "from": "09:00", "to": "10:00"})).collect::<Vec<_>>()});
    let answer = hub.send(
        "PUT",
        "/services/orientamento/calendar",
        admin,
        &calendar.to_string(),
    );
    assert_eq!(
        answer.status,
        204,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
}

fn hold(hub: &TestHub, token: &str, slot: &str) -> support::Answer {
    hub.send(
        "POST",
        "/appointments/holds",
        token,
        &json!({"slot": slot, "lang": "ar"}).to_string(),
    )
}

fn slots(hub: &TestHub, token: &str, query: &str) -> Vec<Slot> {
    let answer = hub.get(&format!("/appointments/slots?{query}"), Some(token), None);
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let parsed = parse_items::<Slot>(&answer.body, &UrlBase::default()).unwrap();
    assert!(parsed.skipped.is_empty(), "{}", parsed.skipped.summary());
    parsed.items
}

#[test]
fn each_kiosk_sees_its_sites_services_and_a_spoke_its_hubs_with_where_they_are() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "services");
        let net = hub.network();
        services(&hub, &net.admin);
        let seen = |token: &str| {
            let answer = hub.get("/services", Some(token), None);
            assert_eq!(answer.status, 200);
            let parsed = parse_items::<Service>(&answer.body, &UrlBase::default()).unwrap();
            assert!(parsed.skipped.is_empty(), "{}", parsed.skipped.summary());
            parsed.items
        };
        let matera = seen(&net.matera);
        assert_eq!(matera.len(), 2, "{backend:?}");
        let guidance = matera.iter().find(|s| s.id == "orientamento").unwrap();
        assert_eq!(guidance.access, Access::Appointment);
        assert_eq!(
            format!("{:?}", guidance.place),
            r#"Some(Plain("Sportello 3"))"#
        );

        let policoro = seen(&net.policoro);
        let guidance = policoro.iter().find(|s| s.id == "orientamento").unwrap();
        assert_eq!(
            format!("{:?}", guidance.place),
            r#"Some(Plain("Sportello 3 · Portalavoro Matera"))"#,
            "{backend:?}: a spoke's visitor learns the service is at the hub"
        );
        let potenza: Vec<String> = seen(&net.potenza).into_iter().map(|s| s.id).collect();
        assert_eq!(potenza, ["info"], "{backend:?}");

        // Potenza's kiosk cannot see, nor hold, Matera's slots.
        let answer = hub.get(
            "/appointments/slots?service=orientamento",
            Some(&net.potenza),
            None,
        );
        assert_eq!(answer.status, 404, "{backend:?}");
        // A walk-in service has no slots.
        let answer = hub.get("/appointments/slots?service=info", Some(&net.matera), None);
        assert_eq!(answer.status, 404, "{backend:?}");
    }
}

#[test]
fn a_held_slot_is_taken_until_the_visitor_confirms_and_a_kiosk_holds_only_a_few() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "holds");
        let net = hub.network();
        services(&hub, &net.admin);
        let day = next_week(&hub);
        let that_day = slots(
            &hub,
            &net.matera,
            &format!("service=orientamento&date={day}"),
        );
        assert_eq!(that_day.len(), 2, "{backend:?}: 09:00 and 09:30");
        let nine = day
            .at(9, 0, 0, 0)
            .to_zoned(hub.state.config.timezone.clone())
            .unwrap()
            .timestamp();
        assert_eq!(that_day[0].starts_at, nine);

        // Without a date: the days ahead, none inside the hour's notice.
        let ahead = slots(&hub, &net.matera, "service=orientamento");
        let earliest = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(59);
        assert!(ahead.iter().all(|s| s.starts_at > earliest), "{backend:?}");
        assert!(ahead.iter().any(|s| s.id == that_day[0].id), "{backend:?}");
        assert!(
            ahead.len() >= 26,
            "{backend:?}: {} slots in 14 days",
            ahead.len()
        );

        // A hold: the code, the link in the visitor's language, ten minutes.
        let answer = hold(&hub, &net.matera, &that_day[0].id);
        assert_eq!(
            answer.status,
            201,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        let held = Hold::parse(&answer.body, &UrlBase::default()).unwrap();
        assert_eq!(held.starts_at, nine);
        assert!(
            held.url.contains("/a/") && held.url.ends_with("?lang=ar"),
            "{}",
            held.url
        );
        let minutes = held
            .expires_at
            .duration_since(jiff::Timestamp::now())
            .as_secs_f64()
            / 60.0;
        assert!((9.0..=10.1).contains(&minutes), "{minutes} minutes");
        let left: Vec<String> = slots(
            &hub,
            &net.matera,
            &format!("service=orientamento&date={day}"),
        )
        .into_iter()
        .map(|s| s.id)
        .collect();
        assert_eq!(
            left,
            [that_day[1].id.clone()],
            "{backend:?}: the held one is gone"
        );

        // Another kiosk (the spoke's) cannot take it too.
        let answer = hold(&hub, &net.policoro, &that_day[0].id);
        assert_eq!(answer.status, 409, "{backend:?}");
        // A slot that is not on the calendar is not offered.
        let off_grid = format!("orientamento@{}", nine.as_second() + 60);
        assert_eq!(
            hold(&hub, &net.matera, &off_grid).status,
            409,
            "{backend:?}"
        );

        // Three at once per kiosk (the default): the fourth is refused,
        // with when to try again.
        let others: Vec<&Slot> = ahead.iter().filter(|s| s.id != that_day[0].id).collect();
        for slot in &others[..2] {
            assert_eq!(hold(&hub, &net.matera, &slot.id).status, 201, "{backend:?}");
        }
        let refused = hold(&hub, &net.matera, &others[2].id);
        assert_eq!(refused.status, 429, "{backend:?}");
        assert_eq!(refused.json()["error"]["code"], "hold_limit");
        let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
        assert!((500..=600).contains(&retry), "{retry}");

        // The visitor changes their mind: the kiosk lets go, and may hold again.
        let answer = hub.send(
            "DELETE",
            &format!("/appointments/holds/{}", held.code),
            &net.matera,
            "",
        );
        assert_eq!(answer.status, 204, "{backend:?}");
        assert_eq!(
            hold(&hub, &net.matera, &others[2].id).status,
            201,
            "{backend:?}"
        );
        // Only its own: another kiosk cannot release Matera's holds.
        let answer = hub.send(
            "DELETE",
            &format!("/appointments/holds/{}", held.code),
            &net.policoro,
            "",
        );
        assert_eq!(answer.status, 404, "{backend:?}");
    }
}

#[test]
fn a_hold_that_runs_out_frees_its_slot_by_itself() {
    for backend in backends() {
        let hub = TestHub::start_with(&backend, "expiry", |config| {
            config.appointments.hold = Duration::from_secs(2);
        });
        let net = hub.network();
        services(&hub, &net.admin);
        let query = format!("service=orientamento&date={}", next_week(&hub));
        let before = slots(&hub, &net.matera, &query);
        assert_eq!(hold(&hub, &net.matera, &before[0].id).status, 201);
        assert_eq!(slots(&hub, &net.matera, &query).len(), 1, "{backend:?}");
        std::thread::sleep(Duration::from_secs(3));
        assert_eq!(
            slots(&hub, &net.matera, &query),
            before,
            "{backend:?}: free again, with no one touching it"
        );
        // And the kiosk's count of holds has room again.
        assert_eq!(hold(&hub, &net.policoro, &before[0].id).status, 201);
    }
}

#[test]
fn a_visitor_late_on_the_phone_still_books_a_slot_nobody_took() {
    for backend in backends() {
        let hub = TestHub::start_with(&backend, "late", |config| {
            config.appointments.hold = Duration::from_secs(1);
        });
        let net = hub.network();
        services(&hub, &net.admin);
        let query = format!("service=orientamento&date={}", next_week(&hub));
        let free = slots(&hub, &net.matera, &query);
        let late = Hold::parse(
            &hold(&hub, &net.matera, &free[0].id).body,
            &UrlBase::default(),
        )
        .unwrap();
        let taken = Hold::parse(
            &hold(&hub, &net.matera, &free[1].id).body,
            &UrlBase::default(),
        )
        .unwrap();
        std::thread::sleep(Duration::from_secs(2));
        let form = [
            ("name", "Amina Haddad"),
            ("contact", "amina@example.org"),
            ("consent", "yes"),
        ];
        // Someone else takes the second slot in the meantime, and books it
        // (a hold of theirs would run out too, as this test goes on).
        let other = hold(&hub, &net.policoro, &free[1].id);
        assert_eq!(other.status, 201, "{backend:?}");
        let other = Hold::parse(&other.body, &UrlBase::default()).unwrap();
        let someone = [
            ("name", "Marco Rossi"),
            ("contact", "+39 333 123 4567"),
            ("consent", "yes"),
        ];
        assert_eq!(post(&other.url, &someone).0, 303, "{backend:?}");

        let (status, page, _) = open(&late.url);
        assert_eq!(status, 200, "{backend:?}");
        assert!(
            page.contains("ancora libero") || page.contains("ما زال متاحًا"),
            "{page}"
        );
        assert_eq!(post(&late.url, &form).0, 303, "{backend:?}");
        assert!(
            open(&late.url).1.contains("تم حجز موعدك"),
            "{backend:?}: booked"
        );

        let (status, page, _) = open(&taken.url);
        assert_eq!(status, 410, "{backend:?}");
        assert!(page.contains("أخذ شخص آخر"), "{page}");
        // Posting anyway books nothing.
        post(&taken.url, &form);
        assert_eq!(open(&taken.url).0, 410, "{backend:?}");
    }
}

#[test]
fn calendars_are_refused_with_their_reason() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "calendars");
        let net = hub.network();
        services(&hub, &net.admin);
        let put = |id: &str, body: &str| {
            hub.send("PUT", &format!("/services/{id}/calendar"), &net.admin, body)
        };
        let answer = put(
            "orientamento",
            r#"{"slot_minutes": 90, "weekly": [{"day": 1, "from": "09:00", "to": "10:00"}]}"#,
        );
        assert_eq!(answer.status, 422, "{backend:?}");
        assert_eq!(
            answer.json()["error"]["message"],
            "lun 09:00-10:00: ends before one slot of 90 minutes fits"
        );
        let walk_in = put(
            "info",
            r#"{"slot_minutes": 30, "weekly": [{"day": 1, "from": "09:00", "to": "10:00"}]}"#,
        );
        assert_eq!(walk_in.status, 422, "{backend:?}");
        assert_eq!(
            put("nothing", r#"{"slot_minutes": 30, "weekly": []}"#).status,
            404
        );
        // A kiosk's token cannot set one.
        let answer = hub.send(
            "PUT",
            "/services/orientamento/calendar",
            &net.matera,
            r#"{"slot_minutes": 30, "weekly": []}"#,
        );
        assert_eq!(answer.status, 401, "{backend:?}");
    }
}

/// A phone: no redirects followed, so each step's answer is seen.
fn phone() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> (u16, String, Option<String>) {
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap(),
        location,
    )
}

fn open(url: &str) -> (u16, String, Option<String>) {
    read(phone().get(url).call().unwrap())
}

fn post(url: &str, form: &[(&str, &str)]) -> (u16, String, Option<String>) {
    read(phone().post(url).send_form(form.iter().copied()).unwrap())
}

#[test]
fn the_visitor_finishes_on_the_phone_in_their_language_and_can_cancel() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "phone");
        let net = hub.network();
        services(&hub, &net.admin);
        let query = format!("service=orientamento&date={}", next_week(&hub));
        let free = slots(&hub, &net.matera, &query);
        let answer = hold(&hub, &net.matera, &free[0].id);
        let held = Hold::parse(&answer.body, &UrlBase::default()).unwrap();
        let origin = hub.url.trim_end_matches("/api/v1");
        assert!(
            held.url.starts_with(&format!("{origin}/a/")),
            "{}",
            held.url
        );

        // In Arabic, right to left, as chosen at the totem.
        let (status, page, _) = open(&held.url);
        assert_eq!(status, 200, "{backend:?}");
        assert!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
        assert!(
            page.contains("أكمل حجزك") && page.contains(&held.code),
            "{page}"
        );
        assert!(
            page.contains("Documento d'identità"),
            "what to bring: {page}"
        );

        // Without consent: refused, in the visitor's language, nothing lost.
        let action = held.url.replace("?lang=ar", "?lang=it");
        let (status, page, _) = post(
            &action,
            &[("name", "Amina Haddad"), ("contact", "+39 333 1234567")],
        );
        assert_eq!(status, 422, "{backend:?}");
        assert!(page.contains("Spunta la casella"), "{page}");
        assert!(page.contains(r#"value="Amina Haddad""#), "{page}");

        let (status, _, location) = post(
            &action,
            &[
                ("name", "Amina Haddad"),
                ("contact", "+39 333 1234567"),
                ("consent", "yes"),
            ],
        );
        assert_eq!(status, 303, "{backend:?}");
        let (status, page, _) = open(&format!("{origin}{}", location.unwrap()));
        assert_eq!(status, 200);
        assert!(page.contains("Appuntamento prenotato."), "{page}");
        assert!(page.contains("Amina Haddad"), "{page}");
        // Confirmed, it no longer counts against the kiosk's holds, and
        // the slot stays taken.
        assert_eq!(slots(&hub, &net.matera, &query).len(), 1, "{backend:?}");

        // Cancelled from the link: the slot is free again.
        let cancel = held.url.replace("?lang=ar", "/cancel?lang=it");
        assert_eq!(post(&cancel, &[]).0, 303, "{backend:?}");
        let (status, page, _) = open(&action);
        assert_eq!(status, 410);
        assert!(page.contains("annullato"), "{page}");
        assert_eq!(slots(&hub, &net.matera, &query), free, "{backend:?}");

        // A link no one was given.
        let (status, page, _) = open(&format!("{origin}/a/0123456789abcdef?lang=en"));
        assert_eq!(status, 404);
        assert!(page.contains("This link is not valid"), "{page}");
    }
}

#[test]
fn a_visitor_without_a_camera_types_the_code_and_the_old_link_stops() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "code");
        let net = hub.network();
        services(&hub, &net.admin);
        let query = format!("service=orientamento&date={}", next_week(&hub));
        let free = slots(&hub, &net.matera, &query);
        let held = Hold::parse(
            &hold(&hub, &net.matera, &free[0].id).body,
            &UrlBase::default(),
        )
        .unwrap();
        let origin = hub.url.trim_end_matches("/api/v1");
        let (status, page, _) = post(&format!("{origin}/a?lang=en"), &[("code", "AAA-AAA")]);
        assert_eq!(status, 422, "{backend:?}");
        assert!(
            page.contains("No booking is waiting for this code"),
            "{page}"
        );

        let typed = held.code.to_lowercase().replace('-', " ");
        let (status, _, location) = post(&format!("{origin}/a?lang=en"), &[("code", &typed)]);
        assert_eq!(status, 303, "{backend:?}");
        let (status, page, _) = open(&format!("{origin}{}", location.unwrap()));
        assert_eq!(status, 200);
        assert!(page.contains("Finish your booking"), "{page}");
        assert_eq!(
            open(&held.url).0,
            404,
            "{backend:?}: the link on the totem's QR is spent"
        );
    }
}
