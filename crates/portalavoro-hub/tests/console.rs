//! The staff console over HTTP, as a browser uses it (cookies, forms): the
//! sign-in and its lock, CSRF on every form, publishing and ending an
//! announcement, the kiosks and the audit pages. The browser test with a
//! real kiosk on screen is tests/console_browser.rs at the top level.

mod support;

use portalavoro_hub::db::Role;
use portalavoro_hub::secrets;
use support::{TestHub, backends};

const PASSWORD: &str = "una frase lunga abbastanza";

/// A browser: keeps cookies, follows no redirect.
struct Browser {
    base: String,
    cookies: Vec<(String, String)>,
    agent: ureq::Agent,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Browser {
    fn new(hub: &TestHub) -> Browser {
        let base = hub.url.trim_end_matches("/api/v1").to_string();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Browser {
            base,
            cookies: Vec::new(),
            agent,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn take(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Page {
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !value.is_empty() {
                self.cookies.push((name.into(), value.into()));
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string()),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn get(&mut self, path: &str) -> Page {
        let response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .call()
            .unwrap();
        self.take(response)
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body)
            .unwrap();
        self.take(response)
    }

    /// A multipart form, as a browser sends one with a file.
    fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        let boundary = "----portalavoro-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        for (name, file, bytes) in files {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .as_bytes(),
            );
            body.extend(*bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        let response = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .header(
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            )
            .send(body)
            .unwrap();
        self.take(response)
    }

    /// The CSRF token of the page's forms.
    fn csrf(page: &Page) -> String {
        let at = page
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token");
        page.body[at + 19..].split('"').next().unwrap().to_string()
    }

    fn sign_in(&mut self, user: &str, password: &str) -> Page {
        let form = self.get("/console/login");
        let csrf = Browser::csrf(&form);
        self.post(
            "/console/login",
            &[("csrf", &csrf), ("user", user), ("password", password)],
        )
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form's fields as `Browser::post` takes them.
fn send<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn add_user(hub: &TestHub, name: &str, role: Role) {
    let hash = secrets::hash_password(PASSWORD).unwrap();
    hub.block_on(hub.db().add_user(name, role, &hash, "test", support::now()))
        .unwrap();
}

#[test]
fn staff_sign_in_publish_for_a_site_and_end_it() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "console");
        let net = hub.network();
        add_user(&hub, "anna", Role::Staff);
        let mut browser = Browser::new(&hub);

        // Not signed in: every page sends to the sign-in form.
        assert_eq!(
            browser.get("/console/").location.as_deref(),
            Some("/console/login")
        );
        let wrong = browser.sign_in("anna", "sbagliata");
        assert!(
            wrong.body.contains("Nome utente o password errati"),
            "{backend:?}"
        );
        let unknown = browser.sign_in("nessuno", PASSWORD);
        assert!(unknown.body.contains("Nome utente o password errati"));
        let signed = browser.sign_in("anna", PASSWORD);
        assert_eq!(
            signed.location.as_deref(),
            Some("/console/"),
            "{backend:?}: {}",
            signed.body
        );
        let session = browser
            .cookies
            .iter()
            .find(|(k, _)| k == "portalavoro_session")
            .cloned()
            .unwrap();

        let page = browser.get("/console/");
        assert_eq!(page.status, 200);
        for words in [
            "Avvisi",
            "Nuovo avviso",
            "Anteprima",
            "Urgente",
            "Tutta la rete",
            "k-matera",
            "Verticale",
            "Orizzontale",
        ] {
            assert!(page.body.contains(words), "the page lacks {words:?}");
        }
        let csrf = Browser::csrf(&page);

        // A form without the session's CSRF token changes nothing.
        let forged = browser.post(
            "/console/announcements",
            &[
                ("csrf", "forged"),
                ("level", "urgent"),
                ("text_it", "Falso"),
                ("ends_preset", "hour"),
                ("target", "network"),
            ],
        );
        assert!(
            forged.body.contains("La sessione è scaduta"),
            "{}",
            forged.body
        );
        assert!(
            hub.get("/announcements?kiosk=k-matera", Some(&net.matera), None)
                .ids()
                .is_empty()
        );

        // A refused one keeps what was typed.
        let refused = browser.post(
            "/console/announcements",
            &[
                ("csrf", &csrf),
                ("level", "urgent"),
                ("text_it", "Sportello 3 chiuso"),
                ("ends_preset", "hour"),
                ("target", "site"),
                ("site", ""),
            ],
        );
        assert_eq!(refused.status, 422);
        assert!(
            refused.body.contains("Scegli la sede") && refused.body.contains("Sportello 3 chiuso")
        );

        let published = browser.post(
            "/console/announcements",
            &[
                ("csrf", &csrf),
                ("level", "urgent"),
                ("text_it", "Sportello 3 chiuso"),
                ("text_en", "Desk 3 closed"),
                ("starts", ""),
                ("ends_preset", "hour"),
                ("ends_at", ""),
                ("target", "site"),
                ("site", "matera"),
            ],
        );
        assert_eq!(
            published.location.as_deref(),
            Some("/console/?done=published"),
            "{backend:?}: {}",
            published.body
        );
        let at_matera = hub.get("/announcements?kiosk=k-matera", Some(&net.matera), None);
        let item = &at_matera.json()["items"][0];
        assert_eq!(item["level"], "urgent");
        assert_eq!(item["text"]["en"], "Desk 3 closed");
        assert!(
            hub.get("/announcements?kiosk=k-potenza", Some(&net.potenza), None)
                .ids()
                .is_empty()
        );
        let id = item["id"].as_str().unwrap().to_string();

        let listed = browser.get("/console/?done=published");
        assert!(listed.body.contains("Avviso pubblicato") && listed.body.contains("Termina ora"));
        assert!(listed.body.contains("Termina tutti gli avvisi urgenti"));
        let ended = browser.post(
            &format!("/console/announcements/{id}/end"),
            &[("csrf", &csrf)],
        );
        assert_eq!(ended.location.as_deref(), Some("/console/?done=ended"));
        assert!(
            hub.get("/announcements?kiosk=k-matera", Some(&net.matera), None)
                .ids()
                .is_empty(),
            "{backend:?}"
        );

        // Kiosks and audit pages; a staff user cannot add kiosks.
        let kiosks = browser.get("/console/kiosks");
        assert!(kiosks.body.contains("k-policoro") && kiosks.body.contains("Silenzioso"));
        assert!(!kiosks.body.contains("Schermo spento"));
        // A kiosk dark on purpose outside opening hours is no fault.
        let dark = r#"{"screen": "closed", "display": {"width": 1080, "height": 1920,
            "power": "off", "off_reason": "closed"}}"#;
        assert_eq!(
            hub.send("POST", "/kiosks/k-potenza/heartbeat", &net.potenza, dark)
                .status,
            204
        );
        let kiosks = browser.get("/console/kiosks");
        assert!(
            kiosks.body.contains("Schermo spento (fuori orario)"),
            "{}",
            kiosks.body
        );
        assert!(!kiosks.body.contains("Aggiungi un chiosco"));
        assert!(!kiosks.body.contains("aggiornamento non riuscito"));
        // A totem back on its previous system version by itself after an
        // update failed its trial boot: the page says which and why.
        let rolled_back = r#"{"version": "0.9.0", "screen": "home",
            "image": {"version": "0.9.0.202612030200", "rolled_back":
                {"version": "0.9.0.202612100200", "reason": "the kiosk stopped 3 times before it was ready"}}}"#;
        assert_eq!(
            hub.send(
                "POST",
                "/kiosks/k-matera/heartbeat",
                &net.matera,
                rolled_back
            )
            .status,
            204
        );
        let kiosks = browser.get("/console/kiosks");
        assert!(
            kiosks.body.contains("sistema 0.9.0.202612030200")
                && kiosks.body.contains(
                    "0.9.0.202612100200: aggiornamento non riuscito, tornato alla versione precedente \
                     (the kiosk stopped 3 times before it was ready)"
                ),
            "{}",
            kiosks.body
        );
        let denied = browser.post(
            "/console/kiosks",
            &[("csrf", &csrf), ("id", "k-new"), ("site", "matera")],
        );
        assert_eq!(denied.status, 403);
        let audit = browser.get("/console/audit");
        assert!(audit.body.contains("user:anna") && audit.body.contains("announcements end"));

        // English on request.
        browser.get("/console/lang/en");
        assert!(browser.get("/console/").body.contains("New announcement"));

        // Signing out ends the session, even for a copy of its cookie.
        let out = browser.post("/console/logout", &[("csrf", &csrf)]);
        assert_eq!(out.location.as_deref(), Some("/console/login"));
        browser.cookies.push(session);
        assert_eq!(
            browser.get("/console/").location.as_deref(),
            Some("/console/login"),
            "{backend:?}"
        );
    }
}

#[test]
fn five_wrong_passwords_lock_the_user_and_an_admin_adds_a_kiosk_once() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "console-lock");
        hub.network();
        add_user(&hub, "marco", Role::Admin);
        let mut browser = Browser::new(&hub);
        for _ in 0..5 {
            browser.sign_in("marco", "sbagliata");
        }
        let locked = browser.sign_in("marco", PASSWORD);
        assert!(
            locked.body.contains("l'accesso è bloccato fino alle"),
            "{backend:?}: {}",
            locked.body
        );
        assert!(locked.location.is_none());

        // Locked for 15 minutes; once the lock is over (the failures
        // forgotten here as a good sign-in forgets them), the right
        // password works.
        let user = hub.block_on(hub.db().user("marco")).unwrap().unwrap();
        assert!(user.locked_until.unwrap() > support::now() + 14 * 60);
        hub.block_on(hub.db().sign_in(
            "marco",
            "elsewhere",
            "csrf",
            support::now(),
            support::now() + 1,
        ))
        .unwrap();
        let signed = browser.sign_in("marco", PASSWORD);
        assert_eq!(signed.location.as_deref(), Some("/console/"), "{backend:?}");

        let page = browser.get("/console/kiosks");
        assert!(page.body.contains("Aggiungi un chiosco"));
        let csrf = Browser::csrf(&page);
        let added = browser.post(
            "/console/kiosks",
            &[("csrf", &csrf), ("id", "k-new"), ("site", "matera")],
        );
        let at = added
            .body
            .find("class=\"token\">")
            .expect("the token is shown")
            + 14;
        let token = &added.body[at..at + 64];
        assert_eq!(
            hub.get("/news", Some(token), None).status,
            200,
            "{backend:?}: the shown token works"
        );
        assert!(
            !browser.get("/console/kiosks").body.contains(token),
            "shown once"
        );
    }
}

#[test]
fn staff_keep_news_events_and_vacancies_current_from_the_console() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "console-content");
        let net = hub.network();
        add_user(&hub, "anna", Role::Staff);
        let room = serde_json::json!({"id": "r1", "name": "Sala Convegni", "kind": "meeting", "site": "matera"});
        assert_eq!(
            hub.send("POST", "/items/rooms", &net.admin, &room.to_string())
                .status,
            201
        );
        let mut browser = Browser::new(&hub);
        browser.sign_in("anna", PASSWORD);

        // News with a picture, for Matera.
        let page = browser.get("/console/news");
        let csrf = Browser::csrf(&page);
        let picture = image::RgbImage::from_fn(640, 360, |x, _| image::Rgb([x as u8, 90, 160]));
        let mut png = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let added = browser.post_multipart(
            "/console/news",
            &[
                ("csrf", &csrf),
                ("title_it", "Career day giovedì"),
                ("title_en", "Career day on Thursday"),
                ("summary_it", "Trenta aziende"),
                ("summary_en", ""),
                ("link", "https://portalavoro.example.org/career-day"),
                ("expires", ""),
                ("site", "matera"),
            ],
            &[("picture", "career.png", &png.into_inner())],
        );
        assert_eq!(
            added.location.as_deref(),
            Some("/console/news?done=saved"),
            "{backend:?}: {}",
            added.body
        );
        let news = hub.get("/news", Some(&net.matera), None).json();
        let item = &news["items"][0];
        assert_eq!(item["title"]["en"], "Career day on Thursday");
        let picture_url = item["image_url"].as_str().unwrap();
        assert!(
            picture_url.starts_with("media/") && picture_url.ends_with(".jpg"),
            "{picture_url}"
        );
        assert_eq!(hub.get(&format!("/{picture_url}"), None, None).status, 200);
        assert!(
            hub.get("/news", Some(&net.potenza), None).ids().is_empty(),
            "for Matera only"
        );
        let id = item["id"].as_str().unwrap().to_string();
        let refused = browser.post_multipart(
            "/console/news",
            &[
                ("csrf", &csrf),
                ("title_it", "Corso di saldatura"),
                ("summary_it", "Quaranta ore"),
                ("link", "non è un indirizzo"),
                ("expires", ""),
                ("site", "potenza"),
            ],
            &[],
        );
        assert_eq!(refused.status, 422, "{backend:?}: {}", refused.body);
        assert!(
            refused.body.contains("link")
                && refused.body.contains(r#"value="Corso di saldatura""#)
                && refused.body.contains("Quaranta ore")
                && refused.body.contains(r#"value="potenza" selected"#),
            "named, and the form comes back as typed: {}",
            refused.body
        );
        let withdrawn = browser.post(&format!("/console/news/{id}/withdraw"), &[("csrf", &csrf)]);
        assert_eq!(
            withdrawn.location.as_deref(),
            Some("/console/news?done=withdrawn")
        );
        assert!(
            hub.get("/news", Some(&net.matera), None).ids().is_empty(),
            "{backend:?}"
        );
        let kept = hub.block_on(hub.db().item("news", &id)).unwrap().unwrap();
        assert!(
            kept.body.contains("\"expires_at\""),
            "the contract's own end field: {}",
            kept.body
        );

        // A public event today.
        let today = jiff::Zoned::now()
            .with_time_zone(jiff::tz::TimeZone::get("Europe/Rome").unwrap())
            .date();
        let event = browser.post(
            "/console/events",
            &[
                ("csrf", &csrf),
                ("room", "r1"),
                ("title_it", "Laboratorio CV"),
                ("title_en", ""),
                ("date", &today.to_string()),
                ("from", "15:00"),
                ("to", "16:30"),
                ("kind", "workshop"),
                ("public", "yes"),
            ],
        );
        assert_eq!(
            event.location.as_deref(),
            Some("/console/events?done=saved"),
            "{backend:?}: {}",
            event.body
        );
        let day = hub
            .get(&format!("/bookings?date={today}"), Some(&net.matera), None)
            .json();
        assert_eq!(day["items"][0]["title"]["it"], "Laboratorio CV");
        assert_eq!(day["items"][0]["public"], true);
        assert!(
            browser
                .get("/console/events")
                .body
                .contains("Laboratorio CV")
        );
        let untitled = browser.post(
            "/console/events",
            &[
                ("csrf", &csrf),
                ("room", "r1"),
                ("title_it", ""),
                ("title_en", ""),
                ("date", &today.to_string()),
                ("from", "17:00"),
                ("to", "18:00"),
                ("kind", "event"),
                ("public", "yes"),
            ],
        );
        assert_eq!(untitled.status, 422, "a public event needs a title");
        assert!(
            untitled.body.contains(r#"value="17:00""#),
            "the refused form comes back as typed: {}",
            untitled.body
        );
        let room = browser.post(
            "/console/rooms",
            &[
                ("csrf", &csrf),
                ("room_name", "Sala Colloqui"),
                ("room_site", "potenza"),
                ("room_kind", "interview"),
                ("floor", "1"),
                ("capacity", "4"),
            ],
        );
        assert_eq!(
            room.location.as_deref(),
            Some("/console/events?done=saved"),
            "{backend:?}: {}",
            room.body
        );
        let rooms = hub.get("/rooms", Some(&net.potenza), None).json();
        let added = rooms["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"]["it"] == "Sala Colloqui")
            .expect("the new room");
        assert_eq!(
            (added["kind"].as_str(), added["capacity"].as_u64()),
            (Some("interview"), Some(4))
        );
        let crowded = browser.post(
            "/console/rooms",
            &[
                ("csrf", &csrf),
                ("room_name", "Aula"),
                ("room_site", "potenza"),
                ("room_kind", "classroom"),
                ("capacity", "molti"),
            ],
        );
        assert_eq!(crowded.status, 422, "{}", crowded.body);
        assert!(crowded.body.contains("capacity"), "{}", crowded.body);
        assert!(
            crowded.body.contains(r#"value="Aula""#) && crowded.body.contains(r#"value="molti""#),
            "the refused form comes back as typed: {}",
            crowded.body
        );

        // Vacancies: a CSV checked, then imported, then one withdrawn.
        let csv = "id,title,employer,posted_at,positions\nMT-1,Saldatore,Officine Lucane,2026-11-30,2\nMT-2,Cuoco,Trattoria,ieri,1\n";
        let checked = browser.post_multipart(
            "/console/vacancies/import",
            &[("csrf", &csrf), ("dry_run", "yes")],
            &[("csv", "export.csv", csv.as_bytes())],
        );
        assert!(
            checked.body.contains("Righe valide (nulla salvato)")
                && checked.body.contains("posted_at"),
            "{}",
            checked.body
        );
        assert!(
            hub.get("/vacancies", Some(&net.matera), None)
                .ids()
                .is_empty()
        );
        let imported = browser.post_multipart(
            "/console/vacancies/import",
            &[("csrf", &csrf)],
            &[("csv", "export.csv", csv.as_bytes())],
        );
        assert!(
            imported.body.contains("Righe importate"),
            "{}",
            imported.body
        );
        assert_eq!(
            hub.get("/vacancies", Some(&net.matera), None).ids(),
            ["MT-1"],
            "{backend:?}"
        );
        let form = browser.get("/console/vacancies/MT-1");
        assert!(form.body.contains("Officine Lucane"), "{}", form.body);
        let edited = browser.post(
            "/console/vacancies/MT-1",
            &[
                ("csrf", &csrf),
                ("title_it", "Saldatore a filo"),
                ("title_en", "MIG welder"),
                ("employer", "Officine Lucane"),
                ("municipality", "Matera"),
                ("positions", "3"),
                ("description_it", ""),
                ("apply_url", ""),
                ("expires", ""),
            ],
        );
        assert_eq!(
            edited.location.as_deref(),
            Some("/console/vacancies?done=saved"),
            "{backend:?}: {}",
            edited.body
        );
        let shown = hub.get("/vacancies", Some(&net.matera), None).json();
        let vacancy = &shown["items"][0];
        assert_eq!(
            (
                vacancy["title"]["en"].as_str(),
                vacancy["positions"].as_u64(),
                vacancy["municipality"].as_str()
            ),
            (Some("MIG welder"), Some(3), Some("Matera")),
            "{vacancy}"
        );
        assert!(
            vacancy["posted_at"].is_string(),
            "what the form does not show is kept: {vacancy}"
        );
        let refused = browser.post(
            "/console/vacancies/MT-1",
            &[
                ("csrf", &csrf),
                ("title_it", "Saldatore esperto"),
                ("employer", "Nuova Officina"),
                ("positions", "0"),
            ],
        );
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains("positions")
                && refused.body.contains(r#"value="Nuova Officina""#),
            "named, and the form comes back as typed: {}",
            refused.body
        );
        assert_eq!(
            hub.get("/vacancies", Some(&net.matera), None).json()["items"][0]["title"]["it"],
            "Saldatore a filo"
        );
        let expired = browser.post("/console/vacancies/MT-1/expire", &[("csrf", &csrf)]);
        assert_eq!(
            expired.location.as_deref(),
            Some("/console/vacancies?done=expired")
        );
        assert!(
            hub.get("/vacancies", Some(&net.matera), None)
                .ids()
                .is_empty(),
            "{backend:?}"
        );
    }
}

#[test]
fn staff_set_a_sites_attract_loop_and_give_it_back_to_the_kiosks() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "console-loop");
        let net = hub.network();
        add_user(&hub, "anna", Role::Staff);
        let mut browser = Browser::new(&hub);
        browser.sign_in("anna", PASSWORD);
        let playlist = |token: &str, kiosk: &str| {
            hub.get(&format!("/kiosks/{kiosk}/playlist"), Some(token), None)
        };
        assert_eq!(
            playlist(&net.matera, "k-matera").status,
            404,
            "no playlist yet"
        );

        let page = browser.get("/console/playlists");
        assert!(
            page.body.contains("Matera") && page.body.contains("kiosk.toml"),
            "{}",
            page.body
        );
        let csrf = Browser::csrf(&page);
        let mut form = vec![("csrf", csrf.as_str())];
        for row in [
            ["text", "", "12", "Sportello chiuso l'8 dicembre", ""],
            ["", "", "", "", ""],
            ["vacancies", "4", "", "", ""],
        ] {
            form.extend(
                ["kind", "count", "duration_s", "words", "url"]
                    .into_iter()
                    .zip(row),
            );
        }
        let saved = browser.post("/console/playlists/matera", &form);
        assert_eq!(
            saved.location.as_deref(),
            Some("/console/playlists?done=saved"),
            "{backend:?}: {}",
            saved.body
        );
        let slides = playlist(&net.matera, "k-matera").json();
        assert_eq!(
            slides["items"],
            serde_json::json!([
                {"kind": "text", "duration_s": 12, "text": {"it": "Sportello chiuso l'8 dicembre"}},
                {"kind": "vacancies", "count": 4},
            ]),
            "{backend:?}"
        );
        assert_eq!(
            playlist(&net.potenza, "k-potenza").status,
            404,
            "another site keeps its kiosks' own"
        );
        assert!(
            browser
                .get("/console/playlists")
                .body
                .contains("Sportello chiuso")
        );

        // A row the contract refuses is named, and nothing changes.
        let bad = browser.post(
            "/console/playlists/matera",
            &[
                ("csrf", &csrf),
                ("kind", "image"),
                ("count", ""),
                ("duration_s", "1"),
                ("words", ""),
                ("url", ""),
            ],
        );
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("url"), "the field is named: {}", bad.body);
        assert_eq!(
            playlist(&net.matera, "k-matera").json()["items"],
            slides["items"]
        );
        let empty = browser.post(
            "/console/playlists/matera",
            &[("csrf", &csrf), ("kind", "")],
        );
        assert_eq!(empty.status, 422);

        let back = browser.post("/console/playlists/matera/delete", &[("csrf", &csrf)]);
        assert_eq!(
            back.location.as_deref(),
            Some("/console/playlists?done=deleted")
        );
        assert_eq!(playlist(&net.matera, "k-matera").status, 404, "{backend:?}");
        let audit = hub.block_on(hub.db().audit(50)).unwrap();
        assert!(
            audit
                .iter()
                .any(|line| line.actor.contains("anna") && line.action == "playlist set"),
            "{audit:?}"
        );
    }
}

/// The secret a page shows once (`<code class="token">`).
fn shown_secret(page: &Page) -> String {
    let at = page
        .body
        .find("class=\"token\">")
        .expect("a secret shown once")
        + 14;
    page.body[at..].split('<').next().unwrap().to_string()
}

#[test]
fn an_admin_keeps_sites_users_and_tokens_and_staff_cannot() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "console-access");
        hub.network();
        add_user(&hub, "root", Role::Admin);
        add_user(&hub, "anna", Role::Staff);
        let mut staff = Browser::new(&hub);
        staff.sign_in("anna", PASSWORD);
        let home = staff.get("/console/");
        assert!(
            !home.body.contains("/console/access"),
            "staff see no Access page"
        );
        assert_eq!(staff.get("/console/access").status, 403);
        let csrf = Browser::csrf(&home);
        assert_eq!(
            staff
                .post(
                    "/console/access/users",
                    &[("csrf", &csrf), ("name", "x"), ("role", "admin")]
                )
                .status,
            403
        );
        assert_eq!(
            staff
                .post(
                    "/console/sites",
                    &[("csrf", &csrf), ("id", "x"), ("name", "X"), ("hub", "")]
                )
                .status,
            403
        );

        let mut admin = Browser::new(&hub);
        admin.sign_in("root", PASSWORD);
        let page = admin.get("/console/access");
        assert_eq!(page.status, 200);
        let csrf = Browser::csrf(&page);

        // A spoke, added on the kiosks page.
        let site = admin.post(
            "/console/sites",
            &[
                ("csrf", &csrf),
                ("id", "bernalda"),
                ("name", "CPI Bernalda"),
                ("hub", "matera"),
            ],
        );
        assert_eq!(
            site.location.as_deref(),
            Some("/console/kiosks"),
            "{backend:?}: {}",
            site.body
        );
        let added = hub.block_on(hub.db().site("bernalda")).unwrap().unwrap();
        assert_eq!(added.hub_id.as_deref(), Some("matera"));
        let bad = admin.post(
            "/console/sites",
            &[
                ("csrf", &csrf),
                ("id", "no spaces"),
                ("name", "X"),
                ("hub", ""),
            ],
        );
        assert!(bad.body.contains("1-64"), "{}", bad.body);

        // A user: the password shown once signs in.
        let made = admin.post(
            "/console/access/users",
            &[("csrf", &csrf), ("name", "marco"), ("role", "staff")],
        );
        let first = shown_secret(&made);
        assert_eq!(first.len(), 24, "{first}");
        let mut marco = Browser::new(&hub);
        assert_eq!(
            marco.sign_in("marco", &first).location.as_deref(),
            Some("/console/")
        );
        assert!(
            !admin.get("/console/access").body.contains(&first),
            "shown once"
        );
        // A new password ends his session; only the new one works.
        let reset = admin.post("/console/access/users/marco/password", &[("csrf", &csrf)]);
        let second = shown_secret(&reset);
        assert_ne!(first, second);
        assert_eq!(
            marco.get("/console/").location.as_deref(),
            Some("/console/login"),
            "{backend:?}"
        );
        assert_ne!(
            Browser::new(&hub)
                .sign_in("marco", &first)
                .location
                .as_deref(),
            Some("/console/")
        );
        assert_eq!(
            Browser::new(&hub)
                .sign_in("marco", &second)
                .location
                .as_deref(),
            Some("/console/")
        );
        assert_eq!(
            admin
                .post("/console/access/users/root/remove", &[("csrf", &csrf)])
                .status,
            422,
            "not oneself"
        );
        admin.post("/console/access/users/marco/remove", &[("csrf", &csrf)]);
        assert!(
            hub.block_on(hub.db().user("marco")).unwrap().is_none(),
            "{backend:?}"
        );

        // An API token: shown once, works, revoked.
        let made = admin.post(
            "/console/access/tokens",
            &[("csrf", &csrf), ("name", "regione"), ("role", "staff")],
        );
        let token = shown_secret(&made);
        let news = r#"{"title": "Dal sistema regionale", "published_at": "2026-11-30T09:00:00Z"}"#;
        assert_eq!(
            hub.send("POST", "/items/news", &token, news).status,
            201,
            "{backend:?}"
        );
        admin.post("/console/access/tokens/regione/revoke", &[("csrf", &csrf)]);
        assert_eq!(
            hub.send("POST", "/items/news", &token, news).status,
            401,
            "{backend:?}"
        );
        let listed = admin.get("/console/access").body;
        assert!(listed.contains("regione") && !listed.contains(&token));
        let audit = hub.block_on(hub.db().audit(50)).unwrap();
        for action in [
            "site add",
            "user add",
            "user password",
            "user remove",
            "token add",
            "token revoke",
        ] {
            assert!(
                audit
                    .iter()
                    .any(|l| l.action == action && l.actor == "user:root"),
                "{action}: {audit:?}"
            );
        }
    }
}

#[test]
fn staff_set_a_service_with_its_calendar_and_see_the_days_appointments() {
    for backend in backends() {
        let hub = TestHub::start(&backend, "console-services");
        let net = hub.network();
        add_user(&hub, "anna", Role::Staff);
        let mut browser = Browser::new(&hub);
        browser.sign_in("anna", PASSWORD);
        let page = browser.get("/console/services");
        assert_eq!(page.status, 200, "{backend:?}");
        let csrf = Browser::csrf(&page);
        let form = |weekly: &'static str, slot: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("name_it", "Orientamento individuale".to_string()),
                ("name_en", "One-to-one guidance".to_string()),
                (
                    "summary_it",
                    "Un operatore ti aiuta a scegliere.".to_string(),
                ),
                ("summary_en", String::new()),
                ("audience_it", String::new()),
                ("audience_en", String::new()),
                ("bring_it", "Documento d'identità\nCurriculum".to_string()),
                ("bring_en", "Identity document\nCV".to_string()),
                ("access", "appointment".to_string()),
                ("place_it", "Sportello 3".to_string()),
                ("place_en", String::new()),
                ("hours_it", String::new()),
                ("hours_en", String::new()),
                ("link", String::new()),
                ("site", "matera".to_string()),
                ("weekly", weekly.to_string()),
                ("slot_minutes", slot.to_string()),
                ("capacity", "1".to_string()),
                ("notice_minutes", "0".to_string()),
                ("closed", String::new()),
            ]
        };

        // A calendar that makes no sense: refused, with the line, and
        // nothing lost of what was typed; nothing stored.
        let fields = form("lun-ven 9-12", "30");
        let refused = browser.post("/console/services", &send(&fields));
        assert_eq!(refused.status, 422, "{backend:?}");
        assert!(refused.body.contains("line 1"), "{}", refused.body);
        assert!(
            refused
                .body
                .contains("Documento d&#39;identità\nCurriculum")
                || refused.body.contains("Documento d'identità\nCurriculum"),
            "{}",
            refused.body
        );
        assert_eq!(
            hub.get("/services", Some(&net.matera), None).ids(),
            Vec::<String>::new()
        );

        // Every day, so the test holds whatever day it runs.
        let fields = form("lun-dom 09:00-10:00", "30");
        let added = browser.post("/console/services", &send(&fields));
        assert_eq!(
            added.location.as_deref(),
            Some("/console/services?done=saved"),
            "{backend:?}: {}",
            added.body
        );
        let services = hub.get("/services", Some(&net.matera), None).json();
        let service = &services["items"][0];
        assert_eq!(service["bring"][1]["en"], "CV");
        assert_eq!(service["access"], "appointment");
        let id = service["id"].as_str().unwrap().to_string();
        let listed = browser.get("/console/services");
        assert!(listed.body.contains("lun 09:00-10:00"), "{}", listed.body);
        assert!(
            listed.body.contains("1 persona per turno"),
            "{}",
            listed.body
        );

        // Edited: the form comes back filled in, calendar included.
        let edit = browser.get(&format!("/console/services/{id}"));
        assert!(edit.body.contains("dom 09:00-10:00"), "{}", edit.body);
        assert!(edit.body.contains("value=\"Sportello 3\""), "{}", edit.body);

        // A kiosk holds a slot a week ahead; the visitor confirms on the phone.
        let day = jiff::Timestamp::now()
            .to_zoned(hub.state.config.timezone.clone())
            .date()
            .checked_add(jiff::Span::new().days(7))
            .unwrap();
        let slots = hub
            .get(
                &format!("/appointments/slots?service={id}&date={day}"),
                Some(&net.matera),
                None,
            )
            .json();
        let slot = slots["items"][0]["id"].as_str().unwrap().to_string();
        let held = hub.send(
            "POST",
            "/appointments/holds",
            &net.matera,
            &serde_json::json!({"slot": slot}).to_string(),
        );
        assert_eq!(held.status, 201, "{backend:?}");
        let held = held.json();
        let url = held["url"].as_str().unwrap().to_string();
        let path = &url[url.find("/a/").unwrap()..];
        let confirmed = browser.post(
            path,
            &[
                ("name", "Amina Haddad"),
                ("contact", "+39 333 1234567"),
                ("consent", "yes"),
            ],
        );
        assert_eq!(confirmed.status, 303, "{backend:?}");

        // The desk's day: the visitor, the code, the time.
        let desk = browser.get(&format!("/console/appointments?date={day}"));
        assert_eq!(desk.status, 200);
        for expected in [
            "Amina Haddad",
            "+39 333 1234567",
            held["code"].as_str().unwrap(),
            "09:00",
            "Orientamento individuale",
            "Confermato",
        ] {
            assert!(
                desk.body.contains(expected),
                "{expected:?} not on the page: {}",
                desk.body
            );
        }
        // Cancelled by the desk: the slot is free again.
        let csrf = Browser::csrf(&desk);
        let action = desk
            .body
            .split("action=\"")
            .find(|part| part.starts_with("/console/appointments/"))
            .and_then(|part| part.split('"').next())
            .unwrap()
            .replace("&amp;", "&");
        let cancelled = browser.post(&action, &[("csrf", &csrf)]);
        assert_eq!(cancelled.status, 303, "{backend:?}: {}", cancelled.body);
        let desk = browser.get(&format!("/console/appointments?date={day}"));
        assert!(desk.body.contains("Annullato"), "{}", desk.body);
        let slots = hub
            .get(
                &format!("/appointments/slots?service={id}&date={day}"),
                Some(&net.matera),
                None,
            )
            .json();
        assert_eq!(slots["items"].as_array().unwrap().len(), 2, "{backend:?}");
    }
}
