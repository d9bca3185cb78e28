//! Front-desk staff publish an urgent notice from the console in a real
//! browser (Debian's chromium, driven by chromium-driver over WebDriver),
//! and it takes over the screen of a real kiosk of that site, under Xvfb,
//! read back by OCR, while a kiosk of another site does not show it; "End
//! now" clears it. The time from the click on Publish to the text on the
//! kiosk's screen is printed (docs/PERFORMANCE.md). Screenshots of every
//! console page are saved for docs/ (scripts/console-shots.sh).

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use portalavoro_hub::config::HubConfig;
use portalavoro_hub::db::{Db, Role, Site};
use portalavoro_hub::secrets;
use portalavoro_hub::server::Server;
use support::{Xvfb, chromium, kiosk, ocr, screenshot, wait_until};

const PASSWORD: &str = "una frase lunga abbastanza";
const NOTICE: &str = "Sportello chiuso per guasto";

/// Where the console's screenshots go: $CONSOLE_SHOTS, else a scratch folder.
fn shots_dir(scratch: &Path) -> PathBuf {
    let dir =
        std::env::var_os("CONSOLE_SHOTS").map_or_else(|| scratch.join("shots"), PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Screenshots taken one after another for `span`, each with its time.
fn burst(display: &str, dir: &Path, name: &str, span: Duration) -> Vec<(Instant, PathBuf)> {
    let end = Instant::now() + span;
    let mut shots = Vec::new();
    let mut i = 0;
    while Instant::now() < end {
        let path = dir.join(format!("{name}-{i:03}.png"));
        let at = Instant::now();
        screenshot(display, &path);
        shots.push((at, path));
        i += 1;
    }
    shots
}

fn shows(path: &Path, words: &str) -> bool {
    ocr(path).to_lowercase().contains(&words.to_lowercase())
}

#[test]
fn staff_publish_an_urgent_notice_that_only_that_sites_kiosk_shows_then_end_it() {
    let dir = std::env::temp_dir().join(format!("console-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    // The hub, with two sites, a kiosk in each, and a front-desk user.
    let mut config = HubConfig::defaults(dir.join("hub"));
    config.listen.set_port(0);
    let server = runtime.block_on(Server::bind(config)).unwrap();
    let base = format!("http://{}", server.addr());
    let db: Db = server.state.db.clone();
    let now = jiff::Timestamp::now().as_second();
    let tokens = runtime.block_on(async {
        for (id, name) in [
            ("matera", "Portalavoro Matera"),
            ("potenza", "Portalavoro Potenza"),
        ] {
            db.add_site(
                &Site {
                    id: id.into(),
                    name: name.into(),
                    hub_id: None,
                },
                "test",
                now,
            )
            .await
            .unwrap();
        }
        let mut tokens = Vec::new();
        for (kiosk, site) in [("totem-matera", "matera"), ("totem-potenza", "potenza")] {
            let token = secrets::new_token().unwrap();
            db.add_kiosk(kiosk, site, &secrets::hash_token(&token), "test", now)
                .await
                .unwrap();
            tokens.push(token);
        }
        let hash = secrets::hash_password(PASSWORD).unwrap();
        db.add_user("anna", Role::Staff, &hash, "test", now)
            .await
            .unwrap();
        db.add_user("root", Role::Admin, &hash, "test", now)
            .await
            .unwrap();
        tokens
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    runtime.spawn(server.run(async {
        let _ = stopped.await;
    }));

    // Two kiosks on screens of their own.
    let (matera_screen, potenza_screen) = (Xvfb::start(720, 1280), Xvfb::start(720, 1280));
    let api = format!("{base}/api/v1");
    let _matera = kiosk(&dir, &api, "totem-matera", &tokens[0], "", &matera_screen);
    let _potenza = kiosk(&dir, &api, "totem-potenza", &tokens[1], "", &potenza_screen);
    wait_until("both kiosks' heartbeats", Duration::from_secs(120), || {
        runtime.block_on(async {
            db.heartbeat_count("totem-matera").await.unwrap() > 0
                && db.heartbeat_count("totem-potenza").await.unwrap() > 0
        })
    });
    std::thread::sleep(Duration::from_secs(3));

    // A real browser.
    let shots = shots_dir(&dir);
    let (_driver, client) = chromium(&runtime, &dir.join("chromium"), (1280, 1600));

    let published_at = runtime.block_on(async {
        let save = |name: &'static str| {
            let client = client.clone();
            let path = shots.join(format!("console-{name}.png"));
            async move {
                std::fs::write(&path, client.screenshot().await.unwrap()).unwrap();
            }
        };
        client.goto(&format!("{base}/console/")).await.unwrap();
        assert!(
            client
                .current_url()
                .await
                .unwrap()
                .path()
                .ends_with("/console/login")
        );
        save("sign-in").await;
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
        arrive(&client, "/console/").await;
        save("announcements").await;

        client
            .find(Locator::Css("input[name=level][value=urgent]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .find(Locator::Id("text_it"))
            .await
            .unwrap()
            .send_keys(NOTICE)
            .await
            .unwrap();
        client
            .find(Locator::Css("details summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .find(Locator::Id("text_en"))
            .await
            .unwrap()
            .send_keys("Desk closed: out of order")
            .await
            .unwrap();
        client
            .find(Locator::Id("text_ar"))
            .await
            .unwrap()
            .send_keys("المكتب مغلق بسبب عطل")
            .await
            .unwrap();
        client
            .find(Locator::Css("input[name=ends_preset][value=hour]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .find(Locator::Css("input[name=target][value=site]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .find(Locator::Id("site"))
            .await
            .unwrap()
            .select_by_value("matera")
            .await
            .unwrap();
        // The preview follows the form: the Italian text, then Arabic, right to left.
        let preview = client
            .find(Locator::Css(".portrait .takeover .ptext"))
            .await
            .unwrap();
        assert_eq!(preview.text().await.unwrap(), NOTICE);
        client
            .find(Locator::Css("input[name=preview_lang][value=ar]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let screen = client
            .find(Locator::Css(".portrait .screen"))
            .await
            .unwrap();
        assert_eq!(screen.attr("dir").await.unwrap().as_deref(), Some("rtl"));
        save("compose-arabic-preview").await;
        client
            .find(Locator::Css("input[name=preview_lang][value=it]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        save("compose").await;

        client
            .find(Locator::Css("#compose button.primary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let clicked = Instant::now();
        arrive(&client, "/console/?done=published").await;
        let page = client.source().await.unwrap();
        assert!(page.contains("Avviso pubblicato"), "not published: {page}");
        clicked
    });

    // On Matera's kiosk within seconds; the delay from the click.
    let frames = burst(
        &matera_screen.display,
        &dir,
        "matera",
        Duration::from_secs(4),
    );
    let seen = frames.iter().find(|(_, path)| shows(path, "guasto"));
    let (seen_at, seen_path) = seen.unwrap_or_else(|| {
        panic!(
            "the notice is not on Matera's kiosk: {}",
            ocr(&frames.last().unwrap().1)
        )
    });
    let delay = seen_at.saturating_duration_since(published_at);
    println!(
        "console: Publish → text on the kiosk's screen: {} ms",
        delay.as_millis()
    );
    std::fs::copy(seen_path, shots.join("kiosk-urgent.png")).unwrap();
    assert!(
        delay < Duration::from_millis(1500),
        "on screen after {delay:?}"
    );
    let elsewhere = dir.join("potenza.png");
    screenshot(&potenza_screen.display, &elsewhere);
    assert!(
        !shows(&elsewhere, "guasto"),
        "Potenza's kiosk shows Matera's notice"
    );

    // End now clears it.
    runtime.block_on(async {
        client.goto(&format!("{base}/console/")).await.unwrap();
        save_page(&client, &shots.join("console-active.png")).await;
        client
            .find(Locator::Css("section.lists ul.items button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    });
    wait_until(
        "the notice to leave Matera's kiosk",
        Duration::from_secs(10),
        || {
            let path = dir.join("matera-after.png");
            screenshot(&matera_screen.display, &path);
            !shows(&path, "guasto")
        },
    );
    runtime.block_on(async {
        for (path, name) in [
            ("/console/news", "news"),
            ("/console/events", "events"),
            ("/console/vacancies", "vacancies"),
            ("/console/playlists", "playlists"),
            ("/console/kiosks", "kiosks"),
            ("/console/audit", "audit"),
        ] {
            client.goto(&format!("{base}{path}")).await.unwrap();
            save_page(&client, &shots.join(format!("console-{name}.png"))).await;
        }
        let audit = client.source().await.unwrap();
        assert!(audit.contains("user:anna") && audit.contains("announcements end"));
        // At the desk, on a tablet held upright: nothing wider than the screen.
        client.set_window_size(800, 1280).await.unwrap();
        for (path, name) in [("/console/", "announcements"), ("/console/playlists", "playlists")] {
            client.goto(&format!("{base}{path}")).await.unwrap();
            let overflow = client
                .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![])
                .await
                .unwrap();
            assert_eq!(overflow.as_i64(), Some(0), "{path} is wider than a tablet");
            save_page(&client, &shots.join(format!("console-{name}-tablet.png"))).await;
        }
        // Signed out, then in as an admin: the pages only admins see.
        client.set_window_size(1280, 1600).await.unwrap();
        client.goto(&format!("{base}/console/")).await.unwrap();
        client.find(Locator::Css("form.out button")).await.unwrap().click().await.unwrap();
        arrive(&client, "/console/login").await;
        client.find(Locator::Id("user")).await.unwrap().send_keys("root").await.unwrap();
        client.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        client.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
        arrive(&client, "/console/").await;
        for (path, name) in [("/console/access", "access"), ("/console/kiosks", "kiosks-admin")] {
            client.goto(&format!("{base}{path}")).await.unwrap();
            save_page(&client, &shots.join(format!("console-{name}.png"))).await;
        }
        assert!(client.source().await.unwrap().contains("/console/sites"), "an admin adds sites");
        client.close().await.unwrap();
    });
    let _ = stop.send(());
}

/// Waits for the browser to be on `target` (a click's navigation ends after
/// the click returns), a path with its query if it has one: a form that
/// posts back to the page it was on is done only when the redirect's query
/// (`?done=…`) is there, not when the path matches; fails with the page it
/// is on.
async fn arrive(client: &Client, target: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = client.current_url().await.unwrap();
        let here = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        if here == target {
            return;
        }
        if Instant::now() > deadline {
            panic!("not on {target}: {}", client.source().await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn save_page(client: &Client, path: &Path) {
    std::fs::write(path, client.screenshot().await.unwrap()).unwrap();
}
