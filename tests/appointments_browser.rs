//! Services and appointments end to end, with real parts: a real kiosk
//! under Xvfb (portrait 1080×1920, touched as an absolute pointer: jump
//! and press at once, found where OCR reads each control), the real hub
//! on 127.0.0.1, and a real browser (Debian's chromium, driven by
//! chromium-driver over WebDriver) as the visitor's phone and as the desk.
//!
//! A visitor opens Servizi, the service, a day, a time. The totem is at
//! its limit of holds (one, here; another visitor's hold is waiting), so it
//! says so politely; when that hold runs out by itself its slot is free
//! again, the visitor touches a time again and gets a QR code and a code.
//! The QR code, read back with zbarimg, opens the phone page in the
//! browser, which completes the booking; the console's day shows it.
//! Screenshots of every step stay in the test's folder.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use portalavoro_hub::calendar::Calendar;
use portalavoro_hub::config::HubConfig;
use portalavoro_hub::db::{Db, Role, Site, Standing};
use portalavoro_hub::intake::{Kind, intake};
use portalavoro_hub::secrets;
use portalavoro_hub::server::Server;
use support::{Xvfb, chromium, kiosk, ocr, screenshot, wait_until, words};

const PASSWORD: &str = "una frase lunga abbastanza";
/// How long a hold waits for a phone here: long enough for the steps
/// between two of the totem's touches, short enough to watch one run out.
const HOLD: Duration = Duration::from_secs(90);

/// The kiosk's screen, as a person sees it.
struct Screen<'a> {
    xvfb: &'a Xvfb,
    dir: PathBuf,
}

impl Screen<'_> {
    fn shot(&self, name: &str) -> PathBuf {
        let path = self.dir.join(format!("{name}.png"));
        screenshot(&self.xvfb.display, &path);
        path
    }

    /// A finger on a touch panel that reports as an absolute pointer: the
    /// jump and the press arrive together.
    fn tap(&self, (x, y): (u32, u32)) {
        let status = Command::new("xdotool")
            .args(["mousemove", &x.to_string(), &y.to_string(), "click", "1"])
            .env("DISPLAY", &self.xvfb.display)
            .status()
            .expect("xdotool is installed (apt-get install xdotool)");
        assert!(status.success());
        std::thread::sleep(Duration::from_secs(2));
    }

    /// Waits until OCR reads `text` on screen; the last screenshot.
    fn wait_for(&self, name: &str, text: &str, timeout: Duration) -> PathBuf {
        let deadline = Instant::now() + timeout;
        loop {
            let shot = self.shot(name);
            let read = ocr(&shot);
            if read.contains(text) {
                return shot;
            }
            assert!(
                Instant::now() < deadline,
                "{text:?} not on screen; OCR read:\n{read}\nsee {}",
                shot.display()
            );
            std::thread::sleep(Duration::from_secs(1));
        }
    }

    /// Taps the word OCR reads as `word`.
    fn tap_word(&self, shot: &Path, word: &str) {
        let at = words(shot)
            .into_iter()
            .find(|(text, _)| text == word)
            .unwrap_or_else(|| panic!("{word:?} not read on {}", shot.display()))
            .1;
        self.tap(at);
    }

    /// Taps the first word below `under` (a word on screen) that `like`
    /// accepts: a day's button under "Scegli", a time's under "Tocca".
    fn tap_first_below(&self, shot: &Path, under: &str, like: impl Fn(&str) -> bool) {
        let read = words(shot);
        let (_, (_, top)) = read
            .iter()
            .find(|(text, _)| text == under)
            .unwrap_or_else(|| panic!("{under:?} not read on {}", shot.display()));
        let mut below: Vec<&(String, (u32, u32))> = read
            .iter()
            .filter(|(text, (_, y))| y > top && like(text))
            .collect();
        below.sort_by_key(|(_, (x, y))| (*y / 20, *x));
        let (text, at) = below
            .first()
            .unwrap_or_else(|| panic!("nothing under {under:?} on {}", shot.display()));
        println!("tapping {text:?}");
        self.tap(*at);
    }
}

/// `03/12`.
fn is_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5 && b[2] == b'/' && text.chars().filter(char::is_ascii_digit).count() == 4
}

/// `09:00`.
fn is_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5 && b[2] == b':' && text.chars().filter(char::is_ascii_digit).count() == 4
}

/// The line of large type between "Il tuo codice:" and "Senza
/// fotocamera?", read alone: page analysis can drop a short line of large
/// type between smaller ones (it did in CI, with the code plain on screen).
fn code_line(shot: &Path) -> String {
    let centre = |word: &str| support::find_word(shot, word).map(|(_, y)| y);
    let (Some(above), Some(below)) = (centre("codice:"), centre("Senza")) else {
        return String::new();
    };
    // From under the label to over the next line (a line is about 30 px).
    let (top, bottom) = (above + 20, below.saturating_sub(20));
    if bottom <= top {
        return String::new();
    }
    let light = image::open(&support::ocr_inputs(shot)[0]).unwrap();
    let path = shot.with_extension("code.png");
    light
        .crop_imm(0, top, light.width(), bottom - top)
        .save(&path)
        .unwrap();
    support::tesseract(&path, &["--psm", "7"])
}

/// The text of the QR code on a screenshot, if one reads.
fn qr(shot: &Path) -> Option<String> {
    let out = Command::new("zbarimg")
        .args(["-q", "--raw", shot.to_str().unwrap()])
        .output()
        .expect("zbarimg is installed (apt-get install zbar-tools)");
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[test]
fn a_visitor_takes_a_slot_at_the_totem_and_finishes_on_the_phone() {
    let dir = std::env::temp_dir().join(format!("appointments-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    // The hub: a site, its totem, a desk user, a service by appointment
    // open every day from 07:00 to 21:00 (so there are slots whenever this
    // runs), one person an hour; one hold at a time per totem.
    let mut config = HubConfig::defaults(dir.join("hub"));
    config.listen.set_port(0);
    config.appointments.hold = HOLD;
    config.appointments.holds_per_kiosk = 1;
    let server = runtime.block_on(Server::bind(config)).unwrap();
    let base = format!("http://{}", server.addr());
    let api = format!("{base}/api/v1");
    let db: Db = server.state.db.clone();
    let now = jiff::Timestamp::now().as_second();
    let token = runtime.block_on(async {
        db.add_site(
            &Site {
                id: "matera".into(),
                name: "Portalavoro Matera".into(),
                hub_id: None,
            },
            "test",
            now,
        )
        .await
        .unwrap();
        let token = secrets::new_token().unwrap();
        db.add_kiosk("totem-1", "matera", &secrets::hash_token(&token), "test", now)
            .await
            .unwrap();
        let hash = secrets::hash_password(PASSWORD).unwrap();
        db.add_user("anna", Role::Staff, &hash, "test", now)
            .await
            .unwrap();
        let service = serde_json::json!({
            "id": "consulenza", "site": "matera",
            "name": {"it": "Consulenza lavoro", "en": "Job advice"},
            "summary": {"it": "Un operatore ti aiuta a cercare lavoro.", "en": "A counsellor helps you look for work."},
            "bring": [{"it": "Documento d'identità", "en": "Identity document"}],
            "access": "appointment", "place": {"it": "Sportello 4", "en": "Desk 4"}
        });
        db.put_item(&intake(Kind::Services, service, None).unwrap(), "test", now)
            .await
            .unwrap();
        let weekly: Vec<serde_json::Value> = (1..=7)
            .map(|day| serde_json::json!({"day": day, "from": "07:00", "to": "21:00"}))
            .collect();
        let calendar = Calendar::from_json(
            &serde_json::json!({"slot_minutes": 60, "capacity": 1, "weekly": weekly}).to_string(),
        )
        .unwrap();
        db.put_calendar("consulenza", &calendar.to_json(), "test", now)
            .await
            .unwrap();
        token
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    runtime.spawn(server.run(async {
        let _ = stopped.await;
    }));

    // The totem.
    let xvfb = Xvfb::start(1080, 1920);
    let _kiosk = kiosk(
        &dir,
        &api,
        "totem-1",
        &token,
        "[attract]\nidle_timeout_s = 600\n",
        &xvfb,
    );
    wait_until("the kiosk's heartbeat", Duration::from_secs(120), || {
        runtime.block_on(async { db.heartbeat_count("totem-1").await.unwrap() > 0 })
    });
    let screen = Screen {
        xvfb: &xvfb,
        dir: dir.clone(),
    };
    let http: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let free_slots = || -> Vec<String> {
        let mut answer = http
            .get(&format!("{api}/appointments/slots?service=consulenza"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap();
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };

    // The first touch wakes the totem; then Servizi, the service.
    std::thread::sleep(Duration::from_secs(3));
    screen.tap((540, 1000));
    let home = screen.wait_for("1-home", "Servizi", Duration::from_secs(30));
    screen.tap_word(&home, "Servizi");
    let list = screen.wait_for("2-services", "Consulenza", Duration::from_secs(30));
    screen.tap_word(&list, "Consulenza");
    let slots = screen.wait_for("3-slots", "Scegli il giorno", Duration::from_secs(30));
    let read = ocr(&slots);
    assert!(
        read.contains("Sportello 4") && read.contains("Documento"),
        "{read}"
    );
    // What the totem does ask: nothing personal, and it says so.
    assert!(read.contains("non ti chiede mai nome"), "{read}");

    // Another visitor's hold, placed from this totem a moment ago (on the
    // last slot offered): the totem is at its limit.
    let offered = free_slots();
    let theirs = offered.last().unwrap().clone();
    let held = http
        .post(&format!("{api}/appointments/holds"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(serde_json::json!({"slot": theirs}).to_string())
        .unwrap();
    assert_eq!(held.status().as_u16(), 201);
    let held_at = Instant::now();
    assert!(
        !free_slots().contains(&theirs),
        "a held slot is not offered"
    );

    // Two touches: the day, the time. Refused, politely, on screen.
    screen.tap_first_below(&slots, "Scegli", is_day);
    let slots = screen.shot("4-day");
    screen.tap_first_below(&slots, "Tocca", is_time);
    let refused = screen.wait_for("5-refused", "Riprova tra", Duration::from_secs(30));
    let read = ocr(&refused);
    assert!(read.contains("altre prenotazioni"), "{read}");
    assert!(qr(&refused).is_none(), "no QR code for a hold refused");

    // The other hold runs out by itself: its slot is offered again.
    wait_until(
        "the other visitor's hold to run out",
        HOLD + Duration::from_secs(30),
        || free_slots().contains(&theirs),
    );
    println!(
        "the hold ran out {} s after it was placed",
        held_at.elapsed().as_secs()
    );

    // The visitor touches a time again: held, with a QR code and a code.
    screen.tap_first_below(&refused, "Tocca", is_time);
    let held = screen.wait_for("6-held", "Il tuo codice", Duration::from_secs(30));
    let url = qr(&held).unwrap_or_else(|| panic!("no QR code read on {}", held.display()));
    assert!(url.starts_with(&format!("{base}/a/")), "{url}");
    assert!(url.ends_with("?lang=it"), "{url}");
    let appointments = runtime
        .block_on(db.appointments_between(0, i64::MAX))
        .unwrap();
    let ours = appointments
        .iter()
        .find(|a| a.standing(jiff::Timestamp::now().as_second()) == Standing::Held)
        .expect("the visitor's hold");
    // (OCR takes the large J for a bracket.)
    let read = (ocr(&held) + &code_line(&held)).replace([')', ']'], "J");
    assert!(
        read.replace(' ', "").contains(&ours.code),
        "the code {} in large type; OCR read:\n{read}",
        ours.code
    );

    // The visitor's phone: the page from the QR code, finished there.
    let (_driver, client) = chromium(&runtime, &dir.join("chromium"), (390, 844));
    let code = ours.code.clone();
    runtime.block_on(async {
        let save = |name: &'static str| {
            let client = client.clone();
            let path = dir.join(format!("{name}.png"));
            async move { std::fs::write(&path, client.screenshot().await.unwrap()).unwrap() }
        };
        client.goto(&url).await.unwrap();
        let page = client.source().await.unwrap();
        assert!(
            page.contains("Completa la prenotazione") && page.contains(&code),
            "{page}"
        );
        save("7-phone").await;
        for (id, text) in [("name", "Amina Haddad"), ("contact", "+39 333 1234567")] {
            client
                .find(Locator::Id(id))
                .await
                .unwrap()
                .send_keys(text)
                .await
                .unwrap();
        }
        client
            .find(Locator::Id("consent"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .find(Locator::Css("button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !client
            .source()
            .await
            .unwrap()
            .contains("Appuntamento prenotato.")
        {
            assert!(
                Instant::now() < deadline,
                "{}",
                client.source().await.unwrap()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        save("8-phone-confirmed").await;

        // The desk's console: the day's appointments, with the visitor.
        client.goto(&format!("{base}/console/login")).await.unwrap();
        client
            .find(Locator::Id("user"))
            .await
            .unwrap()
            .send_keys("anna")
            .await
            .unwrap();
        client
            .find(Locator::Id("password"))
            .await
            .unwrap()
            .send_keys(PASSWORD)
            .await
            .unwrap();
        client
            .find(Locator::Css("button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    });
    let day = jiff::Timestamp::from_second(ours.starts_at)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Rome").unwrap())
        .date();
    runtime.block_on(async {
        client
            .goto(&format!("{base}/console/appointments?date={day}"))
            .await
            .unwrap();
        let page = client.source().await.unwrap();
        for expected in [
            "Amina Haddad",
            "+39 333 1234567",
            code.as_str(),
            "Confermato",
            "Consulenza lavoro",
        ] {
            assert!(
                page.contains(expected),
                "{expected:?} not on the desk's page: {page}"
            );
        }
        std::fs::write(
            dir.join("9-console.png"),
            client.screenshot().await.unwrap(),
        )
        .unwrap();
        client.close().await.unwrap();
    });
    println!("screenshots in {}", dir.display());
    let _ = stop.send(());
}
