//! Load benchmark: a simulated fleet of kiosks against one `portalavoro-hub`
//! instance, in this process (docs/PERFORMANCE.md, "Hub server").
//!
//!     cargo run --release -p portalavoro-hub --example load -- \
//!         --kiosks 2000 --seconds 120 [--every 60] [--poll] [--database URL]
//!
//! Each kiosk does what the real one does: feeds (news, vacancies, rooms,
//! bookings, playlist) every 60 s with If-None-Match, a heartbeat every
//! 60 s, and announcements either waiting (`wait=25`, the default) or
//! polled every 5 s (`--poll`); starts are spread over the first minute.
//! `--every S` polls feeds and sends heartbeats every S seconds instead of
//! 60: the request load of `kiosks × 60 / S` kiosks (the knee beyond the
//! connections one process may open).
//! Halfway, staff publish an urgent announcement for the whole network and
//! every kiosk notes when it was told. Printed: requests, errors, latency
//! p50/p99/max of the requests that do not wait, and publish → told for
//! the last kiosk. Without --database: SQLite in a scratch folder.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use portalavoro_hub::config::HubConfig;
use portalavoro_hub::db::Role;
use portalavoro_hub::secrets;
use portalavoro_hub::server::Server;
use tokio::sync::Mutex;

type Http = Client<HttpConnector, Full<Bytes>>;

struct Options {
    kiosks: usize,
    seconds: u64,
    poll: bool,
    every: u64,
    database: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        kiosks: 2000,
        seconds: 120,
        poll: false,
        every: 60,
        database: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--kiosks" => {
                options.kiosks = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--kiosks N")
            }
            "--seconds" => {
                options.seconds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--seconds S")
            }
            "--poll" => options.poll = true,
            "--every" => {
                options.every = args.next().and_then(|v| v.parse().ok()).expect("--every S")
            }
            "--database" => options.database = args.next(),
            other => panic!("unknown option {other}"),
        }
    }
    options
}

#[derive(Default)]
struct Tally {
    latencies_us: Mutex<Vec<u32>>,
    requests: AtomicU64,
    errors: AtomicU64,
    told_ms: Mutex<Vec<u64>>,
}

#[tokio::main]
async fn main() {
    let options = options();
    let dir = std::env::temp_dir().join(format!("hub-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = HubConfig::defaults(dir.clone());
    config.listen.set_port(0);
    config.database.max_connections = 16;
    if let Some(url) = &options.database {
        config.database.url = url.clone();
    }
    let server = Server::bind(config).await.expect("the hub starts");
    let base = format!("http://{}/api/v1", server.addr());
    let db = server.state.db.clone();
    let now = jiff::Timestamp::now().as_second();
    let port = server.addr().port();
    portalavoro_hub::demo::load(&db, &server.state.config, port)
        .await
        .expect("demo data");
    let staff = secrets::new_token().unwrap();
    db.add_token(
        "load",
        Role::Admin,
        &secrets::hash_token(&staff),
        "load",
        now,
    )
    .await
    .unwrap();
    let mut tokens = Vec::new();
    for i in 0..options.kiosks {
        let token = secrets::new_token().unwrap();
        let site = if i % 3 == 0 { "policoro" } else { "matera" };
        db.add_kiosk(
            &format!("load-{i}"),
            site,
            &secrets::hash_token(&token),
            "load",
            now,
        )
        .await
        .unwrap();
        tokens.push(token);
    }
    let backend = if db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    tokio::spawn(server.run(std::future::pending()));

    let client: Http = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(usize::MAX)
        .build_http();
    let tally = Arc::new(Tally::default());
    let start = Instant::now();
    let end = start + Duration::from_secs(options.seconds);
    let published_at = Arc::new(Mutex::new(None::<Instant>));
    let mut tasks = Vec::new();
    for (i, token) in tokens.into_iter().enumerate() {
        let offset = Duration::from_millis((i as u64 * 60_000) / options.kiosks as u64);
        let kiosk = Kiosk {
            id: format!("load-{i}"),
            token,
            base: base.clone(),
            client: client.clone(),
            tally: tally.clone(),
        };
        let published = published_at.clone();
        let every = Duration::from_secs(options.every.max(1));
        tasks.push(tokio::spawn(kiosk.clone().feeds(
            start + offset,
            end,
            every,
        )));
        tasks.push(tokio::spawn(kiosk.announcements(
            start + offset,
            end,
            options.poll,
            published,
        )));
    }
    // Halfway: an urgent announcement for every kiosk.
    tokio::time::sleep_until((start + Duration::from_secs(options.seconds / 2)).into()).await;
    let body =
        serde_json::json!({"text": {"it": "Prova di evacuazione"}, "level": "urgent"}).to_string();
    let request = Request::post(format!("{base}/announcements"))
        .header("Authorization", format!("Bearer {staff}"))
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    *published_at.lock().await = Some(Instant::now());
    let response = client.request(request).await.expect("publish");
    assert_eq!(response.status(), 201);
    for task in tasks {
        let _ = task.await;
    }

    let mut latencies = tally.latencies_us.lock().await.clone();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    let told = tally.told_ms.lock().await.clone();
    let told_max = told.iter().max().copied().unwrap_or(0);
    let mut told_sorted = told.clone();
    told_sorted.sort_unstable();
    let told_p99 = told_sorted
        .get((told_sorted.len() * 99) / 100)
        .copied()
        .unwrap_or(0);
    println!(
        "{backend}, {} kiosks (feeds every {} s: the load of {}), announcements {}, {} s: {} requests, {} errors; \
         latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; told {}/{} kiosks, publish → told p99 {} ms, last {} ms",
        options.kiosks,
        options.every,
        options.kiosks as u64 * 60 / options.every.max(1),
        if options.poll {
            "polled every 5 s"
        } else {
            "waiting"
        },
        options.seconds,
        tally.requests.load(Ordering::Relaxed),
        tally.errors.load(Ordering::Relaxed),
        pct(0.5),
        pct(0.99),
        latencies.last().copied().unwrap_or(0) as f64 / 1000.0,
        told.len(),
        options.kiosks,
        told_p99,
        told_max,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[derive(Clone)]
struct Kiosk {
    id: String,
    token: String,
    base: String,
    client: Http,
    tally: Arc<Tally>,
}

impl Kiosk {
    /// One request; its status and ETag. `timed`: counted in the latencies.
    async fn call(
        &self,
        method: &str,
        path: &str,
        etag: Option<&str>,
        body: Option<String>,
        timed: bool,
    ) -> Option<(u16, Option<String>)> {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token));
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .unwrap();
        let started = Instant::now();
        let result = self.client.request(request).await;
        self.tally.requests.fetch_add(1, Ordering::Relaxed);
        let response = match result {
            Ok(response) => response,
            Err(_) => {
                self.tally.errors.fetch_add(1, Ordering::Relaxed);
                return None;
            }
        };
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let body_ok = response.into_body().collect().await.is_ok();
        if timed {
            let us = started.elapsed().as_micros().min(u32::MAX as u128) as u32;
            self.tally.latencies_us.lock().await.push(us);
        }
        if !body_ok || !(200..400).contains(&status) {
            self.tally.errors.fetch_add(1, Ordering::Relaxed);
        }
        Some((status, etag))
    }

    async fn feeds(self, first: Instant, end: Instant, every: Duration) {
        let today = jiff::Zoned::now().date();
        let paths = [
            "/news".to_string(),
            "/vacancies".to_string(),
            "/rooms".to_string(),
            format!("/bookings?date={today}"),
            format!("/kiosks/{}/playlist", self.id),
        ];
        let mut etags: Vec<Option<String>> = vec![None; paths.len()];
        let mut next = first;
        while next < end {
            tokio::time::sleep_until(next.into()).await;
            for (path, etag) in paths.iter().zip(etags.iter_mut()) {
                if let Some((_, tag)) = self.call("GET", path, etag.as_deref(), None, true).await {
                    *etag = tag.or(etag.take());
                }
            }
            let beat = serde_json::json!({"version": "load", "screen": "attract", "uptime_s": 1})
                .to_string();
            self.call(
                "POST",
                &format!("/kiosks/{}/heartbeat", self.id),
                None,
                Some(beat),
                true,
            )
            .await;
            next += every;
        }
    }

    async fn announcements(
        self,
        first: Instant,
        end: Instant,
        poll: bool,
        published: Arc<Mutex<Option<Instant>>>,
    ) {
        tokio::time::sleep_until(first.into()).await;
        let path = format!("/announcements?kiosk={}", self.id);
        let mut etag: Option<String> = None;
        let mut told = false;
        while Instant::now() < end {
            let waiting = !poll && etag.is_some();
            let url = if waiting {
                format!("{path}&wait=25")
            } else {
                path.clone()
            };
            let asked = Instant::now();
            let Some((status, tag)) = self
                .call("GET", &url, etag.as_deref(), None, !waiting)
                .await
            else {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            };
            if status == 200
                && etag.is_some()
                && tag != etag
                && !told
                && let Some(at) = *published.lock().await
            {
                told = true;
                let since = Instant::now().saturating_duration_since(at.max(asked.min(at)));
                self.tally
                    .told_ms
                    .lock()
                    .await
                    .push(since.as_millis() as u64);
            }
            if tag.is_some() {
                etag = tag;
            }
            if poll || status != 304 && status != 200 {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}
