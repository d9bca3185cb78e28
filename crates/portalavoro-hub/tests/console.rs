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
        assert!(!kiosks.body.contains("Aggiungi un chiosco"));
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
