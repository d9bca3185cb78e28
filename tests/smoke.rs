//! The real binary in a real window: Xvfb + Mesa's lavapipe (no GPU), fed by
//! the dev hub over 127.0.0.1. It must start in its attract loop, cover the
//! screen, wake up for an announcement pushed while it sleeps, take the
//! first click only as a wake-up (the control under it does nothing), act
//! on taps as a touch panel that reports as an absolute pointer gives them
//! (the jump, the press and the release at once), and stop cleanly on
//! SIGTERM.
//!
//! Needs `Xvfb`, `import` (ImageMagick), `tesseract` and a Vulkan driver
//! (`mesa-vulkan-drivers`): `.ci/run` installs them.

#[path = "../examples/hub-dev/server.rs"]
mod server;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use portalavoro_core::content::demo;
use server::{DataSource, DevHub, Options};
use support::{
    Running, Xvfb, assert_covers, find_word, ocr, ocr_inputs, private_runtime, screenshot,
    tesseract, wait_until,
};

const STAFF_TOKEN: &str = "smoke-staff-token";

/// The urgent overlay's light button, in the lowest quarter of the screen:
/// its centre, and its label as OCR reads it.
fn find_button(path: &Path) -> Option<((u32, u32), String)> {
    let gray = image::open(path).unwrap().to_luma8();
    let (width, height) = gray.dimensions();
    let light = |x: u32, y: u32| gray.get_pixel(x, y).0[0] > 230;
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in height * 3 / 4..height {
        for x in 0..width {
            if light(x, y) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    if x0 > x1 {
        return None;
    }
    // Dark label on the light button → black on white, with a margin.
    let margin = 24;
    let mut label = image::GrayImage::from_pixel(
        x1 - x0 + 2 * margin,
        y1 - y0 + 2 * margin,
        image::Luma([255]),
    );
    for y in y0..=y1 {
        for x in x0..=x1 {
            let ink = if light(x, y) { 255 } else { 0 };
            label.put_pixel(x - x0 + margin, y - y0 + margin, image::Luma([ink]));
        }
    }
    let crop = path.with_extension("button.png");
    label.save(&crop).unwrap();
    let text = tesseract(&crop, &["--psm", "7"]).trim().to_string();
    Some((((x0 + x1) / 2, (y0 + y1) / 2), text))
}

/// The kiosk on `config`, in `xvfb`'s window (never Wayland), its output
/// and errors in `log`.
fn kiosk_on(config: &Path, xvfb: &Xvfb, runtime: &Path, log: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portalavoro-kiosk"));
    command
        .args(["--config", config.to_str().unwrap()])
        .env("DISPLAY", &xvfb.display)
        .env("XDG_RUNTIME_DIR", runtime)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(std::fs::File::create(log).unwrap())
        .stderr(Stdio::from(
            std::fs::File::options().append(true).open(log).unwrap(),
        ));
    command
}

/// SIGTERM, as systemd stops it: a clean exit within 15 s, code 0, and no
/// panic in its log.
fn stops_cleanly(kiosk: &mut Running, log: &Path) {
    let status = Command::new("kill")
        .args(["-TERM", &kiosk.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = kiosk.0.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "no exit 15 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = std::fs::read_to_string(log).unwrap();
    assert_eq!(exit.code(), Some(0), "exit {exit:?}; log:\n{log}");
    assert!(!log.contains("panicked"), "{log}");
}

fn run_kiosk_on_screen(width: u32, height: u32, name: &str) {
    let hub = DevHub::start(Options {
        data: DataSource::Files(
            demo::FILES
                .iter()
                .map(|(_, n, b)| (n.to_string(), b.to_vec()))
                .collect(),
        ),
        kiosk_token: None,
        staff_token: Some(STAFF_TOKEN.into()),
        timezone: portalavoro_core::config::default_timezone(),
        port: 0,
    })
    .unwrap();
    let dir = std::env::temp_dir().join(format!("kiosk-smoke-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = private_runtime(&dir);
    let config = dir.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[hub]\nurl = \"{}\"\nkiosk_id = \"smoke\"\nannouncements_poll_s = 1\n\
             [storage]\ncache_dir = \"cache\"\n[display]\nfullscreen = true\n\
             [diagnostics]\npin_hash = \"{}\"\n",
            hub.url(),
            portalavoro_core::diagnostics::hash_pin("2468").unwrap()
        ),
    )
    .unwrap();

    // systemd's end of the notification socket.
    let notify_path = dir.join("notify.sock");
    let systemd = std::os::unix::net::UnixDatagram::bind(&notify_path).unwrap();
    // Every message with when it came, as systemd sees them.
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(Instant, String)>::new()));
    {
        let heard = heard.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            while let Ok(n) = systemd.recv(&mut buf) {
                let message = String::from_utf8_lossy(&buf[..n]).into_owned();
                heard.lock().unwrap().push((Instant::now(), message));
            }
        });
    }

    let xvfb = Xvfb::start(width, height);
    let log = dir.join("kiosk.log");
    let mut kiosk = Running(
        kiosk_on(&config, &xvfb, &runtime, &log)
            .env("NOTIFY_SOCKET", &notify_path)
            .env("WATCHDOG_USEC", "1000000")
            .env_remove("WATCHDOG_PID")
            .spawn()
            .unwrap(),
    );

    wait_until("the first heartbeat", Duration::from_secs(60), || {
        hub.heartbeats().contains_key("smoke")
    });
    // Past the start-up burst the kiosk draws on demand (and slides its
    // attract loop), yet it keeps the watchdog fed: what systemd checks is
    // that no gap between pings reaches the interval (1 s here).
    let window_start = Instant::now();
    std::thread::sleep(Duration::from_secs(5));
    let window_end = Instant::now();
    let heard = heard.lock().unwrap().clone();
    let notices: Vec<String> = heard.iter().map(|(_, m)| m.clone()).collect();
    assert!(notices.contains(&"READY=1\n".to_string()), "{notices:?}");
    assert!(
        notices
            .iter()
            .any(|m| m.starts_with("STATUS=showing attract; last sync")),
        "{notices:?}"
    );
    let mut moments: Vec<Instant> = vec![window_start];
    moments.extend(
        heard
            .iter()
            .filter(|(at, m)| m == "WATCHDOG=1\n" && *at >= window_start && *at <= window_end)
            .map(|(at, _)| *at),
    );
    moments.push(window_end);
    let longest = moments
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .max()
        .unwrap();
    assert!(
        longest < Duration::from_secs(1),
        "{} pings in 5 s; the longest gap was {longest:?}, over the 1 s watchdog",
        moments.len() - 2
    );
    // Nobody has touched it: the attract loop and its call to action.
    let attract =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("smoke-{name}-attract.png"));
    screenshot(&xvfb.display, &attract);
    let read = ocr(&attract);
    assert!(
        read.contains("Tocca lo schermo per iniziare"),
        "no call to action; OCR read:\n{read}"
    );

    let text = format!("Prova di fumo {name} 4711");
    let response = ureq::post(&format!("{}/announcements", hub.url()))
        .header("Authorization", &format!("Bearer {STAFF_TOKEN}"))
        .header("Content-Type", "application/json")
        .send(serde_json::json!({"text": text, "level": "urgent"}).to_string())
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    // One announcements poll (1 s) plus the redraw.
    std::thread::sleep(Duration::from_secs(3));

    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("smoke-{name}.png"));
    screenshot(&xvfb.display, &shot);
    println!("screenshot: {}", shot.display());

    // The window covers the screen: the urgent overlay's red is in every
    // corner (an uncovered X root is black).
    assert_covers(&shot, (width, height), [191, 20, 26]);

    // The announcement pushed while the kiosk slept has taken over the screen.
    let read = ocr(&shot);
    for expected in ["URGENTE", "4711"] {
        assert!(
            read.contains(expected),
            "{expected:?} not read on screen; OCR read:\n{read}"
        );
    }

    // A visitor closes it: a real click on the button, found where OCR reads it.
    let ((x, y), label) = find_button(&shot).expect("a button on the overlay");
    assert_eq!(label, "Chiudi");
    // Move there first, as a finger lands before it lifts: picking needs
    // to know what is under the pointer when the press comes.
    let xdotool = |args: &[&str]| {
        let status = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &xvfb.display)
            .status()
            .expect("xdotool is installed (apt-get install xdotool)");
        assert!(status.success(), "xdotool {args:?}");
    };
    let click = || {
        xdotool(&["mousemove", &x.to_string(), &y.to_string()]);
        std::thread::sleep(Duration::from_millis(500));
        xdotool(&["mousedown", "1"]);
        std::thread::sleep(Duration::from_millis(300));
        xdotool(&["mouseup", "1"]);
        std::thread::sleep(Duration::from_secs(2));
    };
    // The first click only wakes the kiosk from its attract loop: the
    // button under it must not act, so the announcement is still there.
    click();
    let woken = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("smoke-{name}-woken.png"));
    screenshot(&xvfb.display, &woken);
    assert_covers(&woken, (width, height), [191, 20, 26]);
    let read = ocr(&woken);
    assert!(
        read.contains("4711"),
        "the waking click closed the announcement; OCR read:\n{read}"
    );
    // A touch panel that reports as an absolute pointer: the jump and the
    // tap arrive together, and the tap acts where it lands.
    let tap = |(x, y): (u32, u32)| {
        xdotool(&["mousemove", &x.to_string(), &y.to_string(), "click", "1"]);
        std::thread::sleep(Duration::from_secs(2));
    };
    xdotool(&["mousemove", "0", "0"]);
    std::thread::sleep(Duration::from_millis(500));
    tap((x, y));
    let after = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("smoke-{name}-closed.png"));
    screenshot(&xvfb.display, &after);

    // Home is back (its header and navigation bar in every corner), not
    // blank; the closed announcement stays in the banner.
    assert_covers(&after, (width, height), [21, 57, 99]);
    let read = ocr(&after);
    for expected in ["Offerte di", "4711"] {
        assert!(
            read.contains(expected),
            "{expected:?} not read after closing; OCR read:\n{read}"
        );
    }
    assert!(
        !read.contains("Chiudi"),
        "the overlay is gone; OCR read:\n{read}"
    );

    // Another tap of the same kind, from elsewhere, on the news tile.
    let tile = find_word(&after, "Notizie").expect("the news tile on Home");
    xdotool(&["mousemove", "0", "0"]);
    std::thread::sleep(Duration::from_millis(500));
    tap(tile);
    let news = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("smoke-{name}-news.png"));
    screenshot(&xvfb.display, &news);
    // The news list: the demo's first item (read across line breaks), and
    // Home's prompt gone.
    let read = ocr(&news);
    let words = read.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("in cerca di personale") && !words.contains("Tocca un riquadro"),
        "a tap on the news tile did not open News; OCR read:\n{read}"
    );

    // A technician: five seconds on the top-left corner, the PIN on a USB
    // keyboard, and the diagnostics are up.
    xdotool(&["mousemove", "15", "15"]);
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&["mousedown", "1"]);
    std::thread::sleep(Duration::from_secs(6));
    xdotool(&["mouseup", "1"]);
    std::thread::sleep(Duration::from_secs(2));
    xdotool(&["type", "--delay", "150", "2468"]);
    xdotool(&["key", "Return"]);
    std::thread::sleep(Duration::from_secs(3));
    let diagnostics =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("smoke-{name}-diagnostics.png"));
    screenshot(&xvfb.display, &diagnostics);
    let read = ocr(&diagnostics);
    for expected in ["Diagnostica", "Versione", "smoke", "vacancies"] {
        assert!(
            read.contains(expected),
            "{expected:?} not on the diagnostics; OCR read:\n{read}"
        );
    }

    // SIGTERM → a clean exit.
    stops_cleanly(&mut kiosk, &log);
    drop(xvfb);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn portrait_1080x1920() {
    run_kiosk_on_screen(1080, 1920, "portrait");
}

#[test]
fn landscape_1920x1080() {
    run_kiosk_on_screen(1920, 1080, "landscape");
}

/// A visitor who cannot see the screen, with a keypad alone: the real
/// binary on the demo content, a stand-in synthesizer that writes down
/// what it is asked to say (`scripts/stand-in-speech.sh`), and ALSA's null
/// output for a sound card. From the attract loop a key turns speech on
/// and says how to use the keys; the visitor reaches a vacancy and hears
/// its place, title and code (the code on screen is the one heard), goes
/// back and home, and changes language, hearing the help again in it,
/// without a single touch.
#[test]
fn a_blind_visitor_finds_a_vacancy_and_its_code_with_keys_alone() {
    let dir = std::env::temp_dir().join(format!("kiosk-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = private_runtime(&dir);
    let synthesizer = dir.join("espeak-ng");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/stand-in-speech.sh"),
        &synthesizer,
    )
    .unwrap();
    let said_log = dir.join("said.log");
    // A sound card for the voice to play on, that plays nowhere.
    let alsa = dir.join("asound.conf");
    std::fs::write(
        &alsa,
        "pcm.!default { type null }\nctl.!default { type null }\n",
    )
    .unwrap();
    let config = dir.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[hub]\ndemo = true\nkiosk_id = \"keys\"\n[storage]\ncache_dir = \"cache\"\n\
             [display]\nfullscreen = true\n[audio]\nclick = false\n\
             speech_synthesizer = \"{}\"\n",
            synthesizer.display()
        ),
    )
    .unwrap();
    let xvfb = Xvfb::start(1080, 1920);
    let log = dir.join("kiosk.log");
    let mut kiosk = Running(
        kiosk_on(&config, &xvfb, &runtime, &log)
            .env("ALSA_CONFIG_PATH", &alsa)
            .env_remove("NOTIFY_SOCKET")
            .spawn()
            .unwrap(),
    );
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_until("the voice", Duration::from_secs(60), || {
        read_log().contains("speech: ready")
    });
    let attract = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("keys-attract.png");
    wait_until("the attract loop", Duration::from_secs(60), || {
        screenshot(&xvfb.display, &attract);
        ocr(&attract).contains("Tocca lo schermo")
    });

    let said = || -> Vec<String> {
        std::fs::read_to_string(&said_log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    };
    // A key, and the next thing said ("VOICE RATE TEXT").
    let key = |name: &str| -> String {
        let before = said().len();
        let status = Command::new("xdotool")
            .args(["key", name])
            .env("DISPLAY", &xvfb.display)
            .status()
            .expect("xdotool is installed (apt-get install xdotool)");
        assert!(status.success(), "xdotool key {name}");
        let mut heard = None;
        wait_until(
            &format!("words after {name}"),
            Duration::from_secs(15),
            || {
                heard = said().get(before).cloned();
                heard.is_some()
            },
        );
        // Whatever follows at once belongs to the same key.
        std::thread::sleep(Duration::from_millis(700));
        said().last().cloned().or(heard).unwrap()
    };
    // Next control until the words say `wanted`.
    let tab_to = |wanted: &dyn Fn(&str) -> bool| -> String {
        for _ in 0..40 {
            let heard = key("Tab");
            if wanted(&heard) {
                return heard;
            }
        }
        panic!("never heard; said:\n{}", said().join("\n"));
    };

    let opening = key("Down");
    assert!(
        opening.starts_with("it 175 Lettura vocale attiva. Con le frecce su e giù"),
        "{opening}"
    );
    tab_to(&|heard| heard.ends_with("Offerte di lavoro, pulsante"));
    let list = key("Return");
    assert!(
        list.starts_with("it 175 Offerte di lavoro. ") && list.ends_with(" offerte"),
        "{list}"
    );
    let count = list
        .trim_end_matches(" offerte")
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    let row = tab_to(&|heard| heard.contains(", pulsante, offerta 1 di "));
    assert!(row.ends_with(&format!("offerta 1 di {count}")), "{row}");
    let vacancy = key("Return");
    let spelled = vacancy
        .split("Codice offerta ")
        .nth(1)
        .and_then(|rest| rest.split(". ").next())
        .unwrap_or_else(|| panic!("no code heard: {vacancy}"));
    assert!(
        vacancy.contains("Comunica questo codice allo sportello"),
        "{vacancy}"
    );
    let code: String = spelled.split(' ').collect();
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("keys-vacancy.png");
    screenshot(&xvfb.display, &shot);
    let read = ocr(&shot);
    assert!(
        read.contains(&code),
        "the code heard, {code}, is not the one on screen; OCR read:\n{read}"
    );

    assert!(key("BackSpace").starts_with("it 175 Offerte di lavoro. "));
    assert!(key("Home").starts_with("it 175 Benvenut"));
    let english = tab_to(&|heard| heard.starts_with("en ") && heard.ends_with("English"));
    assert_eq!(english, "en 175 English", "a language is said in itself");
    let help = key("Return");
    assert!(
        help.starts_with("en 175 Use the up and down arrows"),
        "the help again, in English: {help}"
    );
    println!("said:\n{}", said().join("\n"));

    stops_cleanly(&mut kiosk, &log);
    drop(xvfb);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The attract loop moves a slide in by copying kept layers into the
/// window's image, with bevy's own copy to the window skipped
/// (`src/app/attract/layers.rs`): what the window shows once a slide has
/// moved in must be that slide, not the one before it (a window given its
/// pixels outside a render pass is presented only if bevy is told so; it
/// once went on showing the previous slide). Read by OCR a second after
/// each transition the kiosk logs, for the slides whose heading is the
/// kiosk's own text (vacancies, news, events, rooms).
#[test]
fn the_attract_loop_shows_each_slide_it_moved_in() {
    let dir = std::env::temp_dir().join(format!("kiosk-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = private_runtime(&dir);
    let config = dir.join("kiosk.toml");
    std::fs::write(
        &config,
        "[hub]\ndemo = true\nkiosk_id = \"layers\"\n[storage]\ncache_dir = \"cache\"\n\
         [display]\nfullscreen = true\n",
    )
    .unwrap();
    let xvfb = Xvfb::start(1080, 1920);
    let log = dir.join("kiosk.log");
    // A Tuesday morning, as the tours: every kind of slide has content,
    // whatever the hour the test runs at.
    let mut kiosk = Running(
        kiosk_on(&config, &xvfb, &runtime, &log)
            .args(["--at", "2026-11-24T10:00"])
            .env("RUST_LOG", "info,portalavoro_kiosk::app::attract=debug")
            .env("NO_COLOR", "1")
            .env_remove("NOTIFY_SOCKET")
            .spawn()
            .unwrap(),
    );
    let heading = |kind: &str| match kind {
        "vacancies" => Some("offerte di lavoro"),
        "news" => Some("Ultime notizie"),
        "events" => Some("Oggi in sede"),
        "rooms" => Some("Sale libere"),
        _ => None,
    };
    // The slides in the log, in order, each with whether its transition
    // has finished.
    let slides = || -> Vec<(String, bool)> {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        let mut slides: Vec<(String, bool)> = Vec::new();
        for line in log.lines() {
            // "… portalavoro_kiosk::app::attract: attract: news slide"
            if let Some(kind) = line
                .rsplit("attract: ")
                .next()
                .and_then(|rest| rest.strip_suffix(" slide"))
            {
                slides.push((kind.to_string(), false));
            } else if line.contains("attract: transition of")
                && let Some(last) = slides.last_mut()
            {
                last.1 = true;
            }
        }
        slides
    };
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layers-moved-in.png");
    let mut checked = Vec::new();
    let mut seen = 0;
    wait_until(
        "two slides with a heading moved in",
        Duration::from_secs(180),
        || {
            let now = slides();
            let Some((kind, true)) = now.last().filter(|_| now.len() > seen) else {
                return false;
            };
            seen = now.len();
            let Some(heading) = heading(kind) else {
                return false;
            };
            std::thread::sleep(Duration::from_secs(1));
            screenshot(&xvfb.display, &shot);
            // Judged only if that slide was still the one on screen.
            if slides().len() == now.len() {
                // The headings are light on the dark slide: one reading of
                // the light text (all of `ocr` takes four, some 40 s here,
                // long enough for the loop to move on).
                let [light, _] = ocr_inputs(&shot);
                let read = tesseract(&light, &[]);
                assert!(
                    read.contains(heading),
                    "after the {kind} slide moved in the screen reads:\n{read}"
                );
                checked.push(kind.clone());
            }
            checked.len() >= 2
        },
    );
    stops_cleanly(&mut kiosk, &log);
    drop(xvfb);
    let _ = std::fs::remove_dir_all(&dir);
}
