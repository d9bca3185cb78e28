//! Services and appointments on screen: a service in plain words, the
//! hub's free times in two touches, a slot held shown as a QR code and a
//! code, and what a visitor is told when no slot can be had.

use super::*;
use portalavoro_core::appointment::{Answer, Appointment};
use portalavoro_core::content::{Hold, Slot};
use portalavoro_core::i18n::Translations;
use portalavoro_core::session::{Intent, Page};

fn t(key: &str) -> String {
    Translations::bundled()
        .get(&Lang::new("it"), key)
        .to_string()
}

fn slot(id: &str, at: &str) -> Slot {
    let starts_at: jiff::Timestamp = at.parse().unwrap();
    Slot {
        id: id.into(),
        starts_at,
        ends_at: starts_at + jiff::SignedDuration::from_mins(30),
    }
}

/// The visitor on the demo's orientation service (by appointment).
fn on_orientation() -> App {
    let (mut app, _) = demo_app();
    press(&mut app, "Servizi");
    assert_eq!(page(&app), Page::Services);
    press(&mut app, "Orientamento individuale");
    assert_eq!(page(&app), Page::Service("s-orientamento".into()));
    app.update();
    app
}

/// The hub's answer, as the appointments thread brings it.
fn answer(app: &mut App, answer: Answer) {
    let world = app.world_mut();
    let tz = world.resource::<KioskConfig>().display.timezone.clone();
    let mut session = world.resource_mut::<session::VisitorSession>();
    let session = &mut **session;
    session
        .appointment
        .answered(answer, &tz, &mut session.outbox);
    app.update();
}

#[test]
fn without_a_hub_a_service_by_appointment_says_to_ask_at_the_desk() {
    let mut app = on_orientation();
    let shown = texts(&mut app);
    for expected in [
        "Orientamento individuale",
        "Su appuntamento",
        "Cosa portare",
        "Documento d'identità",
        "Sala Orientamento, piano terra",
    ] {
        assert!(
            shown.contains(&expected.to_string()),
            "{expected:?}: {shown:?}"
        );
    }
    assert!(
        shown.contains(&t("appointment_unavailable")),
        "no hub to ask: {shown:?}"
    );
    assert!(
        !shown.contains(&t("appointment_loading")),
        "not left waiting"
    );
}

#[test]
fn the_free_times_come_by_day_and_a_time_is_the_second_touch() {
    let mut app = on_orientation();
    // Asked of a hub (the ask taken by its thread), which answers.
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .appointment
        .start("s-orientamento", &mut Vec::new());
    answer(
        &mut app,
        Answer::Slots {
            service: "s-orientamento".into(),
            slots: Some(vec![
                slot("a", "2026-11-25T09:00:00+01:00"),
                slot("b", "2026-11-26T10:30:00+01:00"),
                slot("c", "2026-11-26T11:00:00+01:00"),
            ]),
        },
    );
    let shown = texts(&mut app);
    for expected in ["mercoledì 25/11", "giovedì 26/11", "09:00"] {
        assert!(
            shown.contains(&expected.to_string()),
            "{expected:?}: {shown:?}"
        );
    }
    assert!(!shown.contains(&"10:30".to_string()), "another day's time");
    press(&mut app, "giovedì 26/11");
    let shown = texts(&mut app);
    assert!(shown.contains(&"10:30".to_string()) && shown.contains(&"11:00".to_string()));
    press(&mut app, "11:00");
    app.update();
    let session = app.world().resource::<session::VisitorSession>();
    // No hub to hold it here: refused, and the slots asked for again.
    assert!(
        matches!(session.appointment, Appointment::Unavailable { .. }),
        "{:?}",
        session.appointment
    );
}

#[test]
fn a_slot_held_shows_its_qr_code_and_code_first_and_can_be_let_go() {
    let mut app = on_orientation();
    let starts_at: jiff::Timestamp = "2026-11-26T10:30:00+01:00".parse().unwrap();
    {
        let mut session = app.world_mut().resource_mut::<session::VisitorSession>();
        session.appointment = Appointment::Held {
            service: "s-orientamento".into(),
            hold: Hold {
                code: "K7P-M3X".into(),
                url: "https://lavoro.example.org/a/0123456789?lang=it".into(),
                expires_at: test_clock().now() + jiff::SignedDuration::from_mins(10),
                starts_at,
                ends_at: starts_at + jiff::SignedDuration::from_mins(30),
            },
        };
    }
    app.update();
    let shown = texts(&mut app);
    for expected in [
        "K7P-M3X",
        t("appointment_code").as_str(),
        t("appointment_scan").as_str(),
        t("appointment_release").as_str(),
        "Senza fotocamera? Apri lavoro.example.org/a sul telefono e scrivi il codice.",
    ] {
        assert!(
            shown.contains(&expected.to_string()),
            "{expected:?}: {shown:?}"
        );
    }
    let held_at = shown.iter().position(|s| s == "K7P-M3X").unwrap();
    let bring_at = shown.iter().position(|s| s == "Cosa portare").unwrap();
    assert!(
        held_at < bring_at,
        "the code before the description: {shown:?}"
    );
    let qr_codes = app
        .world_mut()
        .query::<&ImageNode>()
        .iter(app.world())
        .count();
    assert!(qr_codes >= 1, "a QR code on screen");

    // Changing their mind: the hold is let go, the times asked for again.
    press(&mut app, &t("appointment_release"));
    let session = app.world().resource::<session::VisitorSession>();
    assert!(!matches!(session.appointment, Appointment::Held { .. }));
}

#[test]
fn from_the_keypad_a_time_is_reached_and_taken_and_the_voice_says_the_times() {
    let (speech, heard) = portalavoro_core::speech::Speech::recording();
    let (mut app, _) = asleep_with_speech(Arc::new(demo_catalog()), "", test_clock(), speech);
    app.update();
    // A key wakes the kiosk and turns the voice on.
    key(&mut app, KeyCode::ArrowDown);
    tab_to(&mut app, |i| *i == Intent::Open(Page::Services));
    key(&mut app, KeyCode::Enter);
    tab_to(&mut app, |i| {
        *i == Intent::Open(Page::Service("s-orientamento".into()))
    });
    key(&mut app, KeyCode::Enter);
    assert_eq!(page(&app), Page::Service("s-orientamento".into()));
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .appointment
        .start("s-orientamento", &mut Vec::new());
    let _ = heard.try_iter().count();
    answer(
        &mut app,
        Answer::Slots {
            service: "s-orientamento".into(),
            slots: Some(vec![
                slot("a", "2026-11-25T09:00:00+01:00"),
                slot("b", "2026-11-25T09:30:00+01:00"),
            ]),
        },
    );
    // The hub's answer is said as it comes: the day and its times.
    let said: Vec<String> = heard
        .try_iter()
        .filter_map(|r| match r {
            portalavoro_core::speech::Request::Say(text, ..) => Some(text),
            _ => None,
        })
        .collect();
    assert!(
        said.iter()
            .any(|s| s.contains("mercoledì 25: 09:00, 09:30")),
        "{said:?}"
    );
    let time = tab_to(&mut app, |i| matches!(i, Intent::HoldSlot(_)));
    assert_eq!(time, Intent::HoldSlot("a".into()));
    key(&mut app, KeyCode::Enter);
    let session = app.world().resource::<session::VisitorSession>();
    assert!(
        !matches!(session.appointment, Appointment::Slots { .. }),
        "the time was taken: {:?}",
        session.appointment
    );
}
