//! Benchmarks recorded in docs/PERFORMANCE.md. Run:
//!
//!     cargo run --release --example bench
//!
//! 1. Parse + validate 10,000 vacancies (the whole feed path: JSON → items,
//!    field by field), median of 15 runs.
//! 2. A keystroke in the search over those 10,000 vacancies: what the
//!    list draws from at each key (the open vacancies, the index, the
//!    matches, the filter counts), median over the keys of a typed word.
//! 3. CPU cost of one poll answered 304 vs. one answered 200 with those
//!    10,000 vacancies, measured as CPU time of the polling thread alone
//!    (from /proc/thread-self/schedstat), against the dev hub on 127.0.0.1.

#[path = "hub-dev/server.rs"]
mod server;

use std::time::{Duration, Instant};

use portalavoro_core::config::{self, Env};
use portalavoro_core::content::{Feed, UrlBase, VacancyIndex, VacancyQuery, demo, parse_feed};
use portalavoro_core::hub::{Fetched, HubClient};
use serde_json::{Value, json};
use server::{DataSource, DevHub, Options};

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// CPU time this thread has run, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux /proc");
    stat.split_whitespace().next().unwrap().parse().unwrap()
}

/// 10,000 vacancies made from the demo's, with new ids.
fn ten_thousand_vacancies() -> Value {
    let (_, _, bytes) = demo::FILES
        .iter()
        .find(|(f, _, _)| *f == Feed::Vacancies)
        .unwrap();
    let demo: Value = serde_json::from_slice(bytes).unwrap();
    let templates = demo["items"].as_array().unwrap();
    let items: Vec<Value> = (0..10_000)
        .map(|i| {
            let mut item = templates[i % templates.len()].clone();
            item["id"] = json!(format!("v{i:05}"));
            item["reference"] = json!(format!("MT-2026-{i:05}"));
            item
        })
        .collect();
    json!({"items": items})
}

/// Each key of a word typed into the search, as the list draws it.
fn keystrokes(body: &[u8], urls: &UrlBase) {
    let now = jiff::Timestamp::now();
    let tz = config::default_timezone();
    let mut catalog = demo::catalog(now, &tz);
    let (data, _) = parse_feed(Feed::Vacancies, body, urls).unwrap();
    catalog.apply(data);
    let mut samples = Vec::new();
    for _ in 0..5 {
        let mut query = VacancyQuery::default();
        for key in "saldatore matera".chars() {
            query.text.push(key);
            let start = Instant::now();
            let index = VacancyIndex::new(catalog.open_vacancies(now));
            let found = index.search(&query);
            let facets = index.facets(&query);
            samples.push(start.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box((found.len(), facets.sectors.len()));
        }
    }
    println!(
        "a keystroke in the search over 10,000 vacancies: median {:.2} ms ({} keys)",
        median(samples.clone()),
        samples.len()
    );
}

fn main() {
    let document = ten_thousand_vacancies();
    let body = serde_json::to_vec(&document).unwrap();
    println!(
        "feed: 10,000 vacancies, {:.1} MiB of JSON",
        body.len() as f64 / (1 << 20) as f64
    );

    let urls = UrlBase::hub("https://hub.example.org/api/v1");
    let mut samples = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let (data, skipped) = parse_feed(Feed::Vacancies, &body, &urls).unwrap();
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!((data.len(), skipped.len()), (10_000, 0));
    }
    println!(
        "parse + validate 10,000 vacancies: median {:.1} ms (15 runs)",
        median(samples)
    );

    keystrokes(&body, &urls);

    let hub = DevHub::start(Options {
        data: DataSource::Files(vec![("vacancies.json".into(), body.clone())]),
        kiosk_token: None,
        staff_token: None,
        timezone: config::default_timezone(),
        port: 0,
    })
    .unwrap();
    let dir = std::env::temp_dir().join(format!("kiosk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, format!("[hub]\nurl = \"{}\"\n", hub.url())).unwrap();
    let config = config::load(&path, &Env::default()).unwrap();
    let client = HubClient::new(config.hub.as_ref().unwrap()).unwrap();

    let Fetched::Body { etag, .. } = client.get("/vacancies", None).unwrap() else {
        panic!()
    };
    let etag = etag.expect("the dev hub sends ETags");

    let measure = |conditional: bool, rounds: usize| {
        let samples: Vec<f64> = (0..rounds)
            .map(|_| {
                let cpu = thread_cpu_ns();
                let answer = client
                    .get("/vacancies", conditional.then_some(etag.as_str()))
                    .unwrap();
                if let Fetched::Body { body, .. } = &answer {
                    parse_feed(Feed::Vacancies, body, &urls).unwrap();
                }
                assert_eq!(matches!(answer, Fetched::NotModified), conditional);
                (thread_cpu_ns() - cpu) as f64 / 1000.0
            })
            .collect();
        median(samples)
    };
    let not_modified = measure(true, 500);
    let full = measure(false, 15);
    println!("poll answered 304: median {not_modified:.0} µs of CPU (500 polls)");
    println!(
        "poll answered 200 (10,000 vacancies, parsed): median {:.1} ms of CPU (15 polls)",
        full / 1000.0
    );
    println!(
        "ratio: a 304 costs {:.2}% of a full poll",
        not_modified / full * 100.0
    );
    let per_hour = 3600.0 / 5.0 * not_modified / 1e6;
    println!(
        "announcements polled every 5 s, all 304: {per_hour:.2} s of CPU per hour ({:.4}% of a core)",
        per_hour / 36.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::thread::sleep(Duration::from_millis(10));
}
