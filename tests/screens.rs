//! Every screen (attract slides, the idle question, the closed screen, the technician card
//! too), in every language and with each accessibility setting, portrait
//! and landscape, in a real
//! window (Xvfb + lavapipe) fed by the dev hub over 127.0.0.1: the kiosk's
//! own `--tour` saves a screenshot of each and checks that no text
//! overflows its box, its parent or the window. The hub's content carries
//! what real hubs send and demos do not: a very long title with a very long
//! word, and pictures served over HTTP.
//!
//! Each tour runs at a fixed moment (`--at`), never the wall clock's: the
//! portrait one at 01:30, when the whole day's events are still ahead (50
//! of them, as a busy hub has), the landscape one at 13:00. The banner gets
//! more notices than it holds.
//!
//! Screenshots are kept in `target/tmp/screens-*/` to look at.

#[path = "../examples/hub-dev/server.rs"]
mod server;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use portalavoro_core::content::demo;
use serde_json::Value;
use server::{DataSource, DevHub, Options};
use support::{Xvfb, ocr, private_runtime};

/// A title no demo would have: long, with a word longer than a row.
const LONG_TITLE: &str = "Addetto/a alla manutenzione straordinaria degli impianti \
    elettrici, idraulici e di climatizzazione presso strutture sanitarie pubbliche \
    e private della provincia — ElettromeccanicoManutentoreSpecializzatoInImpiantiIndustriali";

/// The day the tours are set on (a Tuesday), and the moments.
const DAY: &str = "2026-11-24";
const PORTRAIT_AT: &str = "01:30";
const LANDSCAPE_AT: &str = "13:00";
/// Public events in a day, from 08:00 every quarter of an hour.
const EVENTS: usize = 50;

/// One of the demo's feed documents, to change for a test.
fn demo_feed(name: &str) -> Value {
    let (_, _, bytes) = demo::FILES.iter().find(|f| f.1 == name).unwrap();
    serde_json::from_slice(bytes).unwrap()
}

fn hub() -> DevHub {
    let hub = DevHub::start(Options {
        data: DataSource::Files(
            demo::FILES
                .iter()
                .map(|(_, n, b)| (n.to_string(), b.to_vec()))
                .collect(),
        ),
        kiosk_token: None,
        staff_token: None,
        timezone: portalavoro_core::config::default_timezone(),
        port: 0,
    })
    .unwrap();
    let media = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/media");
    for entry in std::fs::read_dir(media).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        hub.set_media(&name, std::fs::read(&path).unwrap());
    }
    let mut vacancies = demo_feed("vacancies.json");
    vacancies["items"][0]["title"] = Value::String(LONG_TITLE.into());
    hub.set_feed("vacancies", vacancies);

    // A full day of public events, as many as a busy hub has (the dev hub
    // moves them to whatever day the kiosk asks for).
    let mut bookings = demo_feed("bookings.json");
    let date = bookings["date"].as_str().unwrap().to_string();
    let items = bookings["items"].as_array_mut().unwrap();
    let public = items.iter().filter(|b| b["public"] == true).count();
    for n in 0..EVENTS - public {
        let start = 8 * 60 + 15 * n;
        let at = |minutes: usize| {
            format!(
                "{date}T{:02}:{:02}:00+01:00",
                minutes / 60 % 24,
                minutes % 60
            )
        };
        items.push(serde_json::json!({
            "id": format!("screens-event-{n}"),
            "room_id": "r-aula",
            "starts_at": at(start),
            "ends_at": at(start + 15),
            "title": {"it": format!("Incontro informativo n. {} sui servizi per il lavoro e la formazione", n + 1)},
            "kind": "event",
            "public": true,
            "description": null,
            "link": null
        }));
    }
    hub.set_feed("bookings", bookings);

    // More info notices than the banner has room for.
    let mut announcements = demo_feed("announcements.json");
    for n in 1..=4 {
        announcements["items"].as_array_mut().unwrap().push(serde_json::json!({
            "id": format!("screens-notice-{n}"),
            "text": {"it": format!("Avviso {n}: da lunedì lo sportello Garanzia Giovani riceve anche il pomeriggio, dalle 14:30 alle 17:00, su appuntamento.")},
            "level": "info"
        }));
    }
    hub.set_feed("announcements", announcements);
    hub
}

/// Runs the tour on a `width`×`height` screen as if it were `time` on [`DAY`].
fn tour(width: u32, height: u32, time: &str) -> PathBuf {
    let hub = hub();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("screens-{width}x{height}"));
    let _ = std::fs::remove_dir_all(&out);
    let runtime = private_runtime(&out);
    let config = out.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[hub]\nurl = \"{}\"\nkiosk_id = \"screens\"\n[storage]\ncache_dir = \"cache\"\n\
             [site]\nname = \"Portalavoro Val Basento e Collina Materana\"\n\
             contacts = [\"Via del Corso 1, Matera\"]\n\
             [hours]\nmonday = [\"09:00-18:00\"]\nwednesday = [\"09:00-13:00\"]\n",
            hub.url()
        ),
    )
    .unwrap();
    let xvfb = Xvfb::start(width, height);
    let shots = out.join("shots");
    let output = Command::new(env!("CARGO_BIN_EXE_portalavoro-kiosk"))
        .args(["--config", config.to_str().unwrap(), "--tour"])
        .arg(&shots)
        .args(["--at", &format!("{DAY}T{time}")])
        .env("DISPLAY", &xvfb.display)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    std::fs::write(out.join("kiosk.log"), &log).unwrap();
    let report = std::fs::read_to_string(shots.join("layout.txt")).unwrap_or_default();
    assert!(
        output.status.success() && report.starts_with("layout: OK"),
        "exit {:?}; {report}\nlog in {}",
        output.status,
        out.display()
    );
    assert!(!log.contains("panicked"), "{log}");
    shots
}

fn check(shots: &Path, (width, height): (u32, u32)) {
    for lang in ["it", "en", "fr", "es", "ro", "uk", "ar"] {
        for screen in [
            "accessibility",
            "home",
            "vacancies",
            "vacancies-filters",
            "vacancies-search",
            "vacancy",
            "news",
            "news-item",
            "rooms",
            "urgent",
            "question",
        ] {
            let shot = shots.join(format!("{screen}-{lang}.png"));
            let image = image::open(&shot)
                .unwrap_or_else(|err| panic!("{}: {err}", shot.display()))
                .to_rgb8();
            assert_eq!(image.dimensions(), (width, height), "{screen}-{lang}");
        }
    }
    // What a visitor reads, in each language, as OCR reads it; every miss
    // is reported at once.
    let mut misses = Vec::new();
    for (shot, expected) in [
        // Four tiles, two a row in portrait: OCR reads across the row, so
        // a title that wraps is matched by its first line.
        (
            "home-it",
            &["Servizi", "Offerte di", "Notizie", "Sale ed", "English"][..],
        ),
        (
            "home-en",
            &["Services", "Job", "News", "Rooms and", "Italiano"][..],
        ),
        ("vacancy-it", &["Codice offerta", "sportello"][..]),
        ("vacancy-en", &["Vacancy code", "desk"][..]),
        ("urgent-en", &["URGENT", "Close"][..]),
        ("question-it", &["Ci sei ancora?", "Continua"][..]),
        ("question-en", &["Are you still there?", "Continue"][..]),
        (
            "attract-vacancies",
            &[
                "Nuove offerte",
                "Tocca lo schermo per iniziare",
                "Touch the screen",
            ][..],
        ),
        ("attract-news", &["Ultime notizie"][..]),
        // Fifty events ahead: as many as fit, then how many more.
        ("attract-events", &["Oggi in sede", "altri"][..]),
        // Six notices: those that fit, then how many more.
        ("vacancies-it", &["altri avvisi"][..]),
        ("home-fr", &["Offres", "Actualités"][..]),
        ("home-es", &["Ofertas de", "Noticias"][..]),
        ("home-ro", &["Locuri de", "Accesibilitate"][..]),
        (
            "accessibility-it",
            &["Dimensione del testo", "Alto contrasto"][..],
        ),
        ("accessibility-en", &["Text size", "High contrast"][..]),
        // (The navigation, small beside the 2× tiles: any of its labels.)
        (
            "home-text2x",
            &["Tocca un riquadro", "Indietro|Inizio|Accessibilità"][..],
        ),
        // The long title at twice the size fills the first screen; the
        // page scrolls to the rest.
        // (The navigation, small beside the 2× title: any of its labels.)
        (
            "vacancy-text2x",
            &["manutenzione", "Indietro|Inizio|Accessibilità"][..],
        ),
        ("vacancy-contrast", &["Codice offerta", "sportello"][..]),
        ("vacancies-reach", &["Offerte di lavoro"][..]),
        ("question-all", &["Ci sei ancora?", "hai più tempo"][..]),
        ("attract-announcement", &["Avviso"][..]),
        (
            "closed",
            &["Chiuso", "Riapriamo", "Closed", "We reopen"][..],
        ),
        (
            "technician",
            &[
                "Chiosco da configurare",
                "Nessun hub configurato",
                "Versione",
            ][..],
        ),
    ]
    .into_iter()
    .chain(
        // What the taller window shows without scrolling.
        (height > width).then_some((
            "accessibility-it",
            &["Riduci il movimento", "Lettura vocale"][..],
        )),
    )
    // Rooms: the rooms first; in landscape the day's events beside them.
    .chain([(
        "rooms-it",
        if height > width {
            &["Sale"][..]
        } else {
            &["Eventi di oggi", "Sale"][..]
        },
    )])
    // Reach mode's lower half: the four filter groups in portrait; in
    // landscape, short, one "Filtri" button for them.
    .chain([(
        "vacancies-reach",
        if height > width {
            &["Settore"][..]
        } else {
            &["Filtri", "Cerca"][..]
        },
    )]) {
        let read = ocr(&shots.join(format!("{shot}.png")));
        // Words are matched across line breaks: a phrase may wrap.
        let words = read.split_whitespace().collect::<Vec<_>>().join(" ");
        // "a|b": any of them.
        let read_any = |word: &str| word.split('|').any(|one| words.contains(one));
        for word in expected.iter().filter(|word| !read_any(word)) {
            misses.push(format!("{word:?} not read on {shot}; OCR read:\n{read}"));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n\n"));
    // Every attract slide the content allows, each in the window; slides
    // that need no content are always there.
    for kind in ["text", "image", "vacancies", "news", "announcement"] {
        assert!(shots.join(format!("attract-{kind}.png")).exists(), "{kind}");
    }
    // The day's events are still ahead at both moments the tours run at.
    for kind in ["events", "rooms"] {
        let shot = shots.join(format!("attract-{kind}.png"));
        let image = image::open(&shot).unwrap_or_else(|err| panic!("{kind}: {err}"));
        assert_eq!((image.width(), image.height()), (width, height));
    }
    // Arabic is mirrored on screen: the site's mark (accent-coloured) sits
    // at the right end of the header, not the left.
    let mark_side = |shot: &str| {
        let image = image::open(shots.join(format!("{shot}.png")))
            .unwrap()
            .to_rgb8();
        let accent = |x: u32, y: u32| {
            let [r, g, b] = image.get_pixel(x, y).0;
            r > 230 && g > 170 && b < 90
        };
        let strip = width / 8;
        let band = height.min(width) / 9;
        let count = |xs: std::ops::Range<u32>| {
            xs.flat_map(|x| (0..band).map(move |y| (x, y)))
                .filter(|&(x, y)| accent(x, y))
                .count()
        };
        (count(0..strip), count(width - strip..width))
    };
    // (The square mark is some 6,000 to 9,000 pixels; the clock's digits,
    // on the other end, a few hundred to some 3,500 in landscape.)
    let (left, right) = mark_side("home-it");
    assert!(
        left > 5000 && left > 2 * right,
        "Italian mark: {left} left, {right} right"
    );
    let (left, right) = mark_side("home-ar");
    assert!(
        right > 5000 && right > 2 * left,
        "Arabic mark: {left} left, {right} right"
    );

    // High contrast is black and near-black grey where the normal palette
    // is blue.
    let commonest = |shot: &str| {
        let image = image::open(shots.join(format!("{shot}.png")))
            .unwrap()
            .to_rgb8();
        let mut counts = std::collections::HashMap::new();
        for pixel in image.pixels() {
            *counts.entry(pixel.0).or_insert(0usize) += 1;
        }
        counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0
    };
    let [r, g, b] = commonest("home-contrast");
    assert!(
        r.max(g).max(b) < 0x30 && r.abs_diff(g) < 4 && g.abs_diff(b) < 4,
        "high contrast's commonest colour: {:?}",
        [r, g, b]
    );
    let [r, _, b] = commonest("home-it");
    assert!(b > r + 0x20, "normal commonest colour: {:?}", [r, b]);

    // The bundled picture of the image slide is drawn.
    let slide = image::open(shots.join("attract-image.png"))
        .unwrap()
        .to_rgb8();
    let colours: std::collections::HashSet<[u8; 3]> = slide.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 2_000,
        "{} colours: no picture?",
        colours.len()
    );

    // The news picture came over HTTP, was decoded and drawn: the item's
    // screen has far more colours than flat UI surfaces and text.
    let item = image::open(shots.join("news-item-it.png"))
        .unwrap()
        .to_rgb8();
    let colours: std::collections::HashSet<[u8; 3]> = item.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 2_000,
        "{} colours: no picture?",
        colours.len()
    );
}

#[test]
fn every_screen_portrait_1080x1920() {
    let shots = tour(1080, 1920, PORTRAIT_AT);
    check(&shots, (1080, 1920));
}

#[test]
fn every_screen_landscape_1920x1080() {
    let shots = tour(1920, 1080, LANDSCAPE_AT);
    check(&shots, (1920, 1080));
}
