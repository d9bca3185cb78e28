//! The development hub: serves the whole hub contract (shared/hub-api.md)
//! from a folder of JSON files, with ETags, the staff endpoints, and faults
//! that tests switch on to make it misbehave. Used by `examples/hub-dev` and,
//! in process, by the integration tests. Not part of the kiosk binary.
//!
//! Files read from the data folder: news.json, vacancies.json, rooms.json,
//! bookings.json (one day, moved to the date asked for), announcements.json,
//! playlist.json (missing → 404, "use the playlist in kiosk.toml").

#![allow(dead_code)] // each test binary uses a different part of it

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use jiff::tz::TimeZone;
use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// Ways to misbehave, for a path prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultMode {
    /// Answer this status, optionally with `Retry-After` seconds.
    Status { status: u16, retry_after: Option<u64> },
    /// 200 with a body that is not JSON.
    Garbage,
    /// 200 with a valid JSON body of this many bytes.
    Huge { bytes: usize },
    /// 200 with a small gzip body that inflates to about 100 MiB.
    GzipBomb,
    /// 200 with a valid body sent one byte every `interval_ms`.
    SlowDrip { interval_ms: u64 },
    /// Headers and half a body, then the connection is closed.
    Drop,
    /// 304 whatever `If-None-Match` says.
    WrongEtag,
}

#[derive(Debug, Clone)]
pub struct Fault {
    /// Applies to GET paths that start with this (query excluded).
    pub path: String,
    pub mode: FaultMode,
    /// How many requests it hits; `None`: until cleared.
    pub times: Option<u32>,
}

impl Fault {
    /// Parses `PATH=MODE[:ARG]`, e.g. `/vacancies=status:503:30`,
    /// `/news=garbage`, `/rooms=slow:200`, `/=drop`.
    pub fn parse(spec: &str) -> Result<Fault, String> {
        let (path, mode) = spec.split_once('=').ok_or("expected PATH=MODE")?;
        let mut parts = mode.split(':');
        let arg = |p: Option<&str>| p.map(|a| a.parse::<u64>().map_err(|_| format!("bad number {a:?}"))).transpose();
        let mode = match parts.next().unwrap_or("") {
            "status" => FaultMode::Status {
                status: arg(parts.next())?.ok_or("status:CODE")? as u16,
                retry_after: arg(parts.next())?,
            },
            "garbage" => FaultMode::Garbage,
            "huge" => FaultMode::Huge { bytes: arg(parts.next())?.unwrap_or(20 << 20) as usize },
            "gzip-bomb" => FaultMode::GzipBomb,
            "slow" => FaultMode::SlowDrip { interval_ms: arg(parts.next())?.unwrap_or(500) },
            "drop" => FaultMode::Drop,
            "wrong-etag" => FaultMode::WrongEtag,
            other => return Err(format!("unknown fault {other:?}")),
        };
        Ok(Fault { path: path.to_string(), mode, times: None })
    }

    fn from_json(doc: &Value) -> Result<Fault, String> {
        let path = doc["path"].as_str().unwrap_or("/");
        let mode = doc["mode"].as_str().ok_or("missing mode")?;
        let mut spec = format!("{path}={mode}");
        for key in ["status", "retry_after", "bytes", "interval_ms"] {
            if let Some(n) = doc[key].as_u64() {
                spec.push_str(&format!(":{n}"));
            }
        }
        let mut fault = Fault::parse(&spec)?;
        fault.times = doc["times"].as_u64().map(|n| n as u32);
        Ok(fault)
    }
}

/// One request as the hub saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub url: String,
    pub authorization: Option<String>,
    pub if_none_match: Option<String>,
    pub status: u16,
}

pub struct Options {
    pub data: DataSource,
    pub kiosk_token: Option<String>,
    pub staff_token: Option<String>,
    pub timezone: TimeZone,
    /// 0: any free port.
    pub port: u16,
}

pub enum DataSource {
    Folder(std::path::PathBuf),
    /// (file name, bytes), e.g. the kiosk's embedded demo.
    Files(Vec<(String, Vec<u8>)>),
}

#[derive(Default)]
struct State {
    feeds: BTreeMap<String, Value>,
    announcements: Vec<Value>,
    next_announcement: u64,
    faults: Vec<Fault>,
    seen: Vec<Seen>,
    heartbeats: BTreeMap<String, Value>,
}

pub struct DevHub {
    addr: SocketAddr,
    server: Arc<Server>,
    state: Arc<Mutex<State>>,
}

impl Drop for DevHub {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

impl DevHub {
    pub fn start(options: Options) -> io::Result<DevHub> {
        let mut state = State::default();
        let files = match &options.data {
            DataSource::Folder(dir) => read_folder(dir)?,
            DataSource::Files(files) => files.clone(),
        };
        for (name, bytes) in files {
            let value: Value = serde_json::from_slice(&bytes).map_err(|err| {
                io::Error::new(io::ErrorKind::InvalidData, format!("{name}: {err}"))
            })?;
            let feed = name.trim_end_matches(".json").to_string();
            if feed == "announcements" {
                state.announcements = value["items"].as_array().cloned().unwrap_or_default();
            } else {
                state.feeds.insert(feed, value);
            }
        }
        let server = Server::http(("127.0.0.1", options.port))
            .map_err(|err| io::Error::other(err.to_string()))?;
        let addr = server.server_addr().to_ip().expect("an IP listener");
        let hub = DevHub { addr, server: Arc::new(server), state: Arc::new(Mutex::new(state)) };
        let server = hub.server.clone();
        let state = hub.state.clone();
        let options = Arc::new(options);
        std::thread::Builder::new().name("hub-dev".into()).spawn(move || {
            for request in server.incoming_requests() {
                let state = state.clone();
                let options = options.clone();
                std::thread::spawn(move || handle(request, &state, &options));
            }
        })?;
        Ok(hub)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn add_fault(&self, fault: Fault) {
        self.state().faults.push(fault);
    }

    pub fn clear_faults(&self) {
        self.state().faults.clear();
    }

    /// Replaces a feed's document (`news`, `vacancies`, `rooms`, `bookings`,
    /// `playlist`; `announcements` replaces the list).
    pub fn set_feed(&self, feed: &str, document: Value) {
        let mut state = self.state();
        if feed == "announcements" {
            state.announcements = document["items"].as_array().cloned().unwrap_or_default();
        } else {
            state.feeds.insert(feed.to_string(), document);
        }
    }

    pub fn remove_feed(&self, feed: &str) {
        self.state().feeds.remove(feed);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state().seen.clone()
    }

    pub fn clear_seen(&self) {
        self.state().seen.clear();
    }

    pub fn heartbeats(&self) -> BTreeMap<String, Value> {
        self.state().heartbeats.clone()
    }
}

fn read_folder(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for name in ["news", "vacancies", "rooms", "bookings", "announcements", "playlist"] {
        let file = format!("{name}.json");
        match std::fs::read(dir.join(&file)) {
            Ok(bytes) => files.push((file, bytes)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(io::Error::new(err.kind(), format!("{file}: {err}"))),
        }
    }
    Ok(files)
}

fn header_value(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

fn json_response(status: u16, body: &Value) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_data(serde_json::to_vec(body).unwrap())
        .with_status_code(status)
        .with_header(Header::from_bytes("Content-Type", "application/json").unwrap())
}

fn error(status: u16, code: &str, message: &str) -> Response<io::Cursor<Vec<u8>>> {
    json_response(status, &json!({"error": {"code": code, "message": message}}))
}

fn handle(mut request: Request, state: &Mutex<State>, options: &Options) {
    let method = request.method().clone();
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let path = path.to_string();
    let param = |name: &str| {
        query.split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')).map(str::to_string)
    };
    let authorization = header_value(&request, "authorization");
    let if_none_match = header_value(&request, "if-none-match");
    let bearer = authorization.as_deref().and_then(|a| a.strip_prefix("Bearer ")).map(str::to_string);

    let mut body = String::new();
    let _ = request.as_reader().take(1 << 20).read_to_string(&mut body);

    let record = |status: u16| {
        state.lock().unwrap().seen.push(Seen {
            method: method.to_string(),
            url: url.clone(),
            authorization: authorization.clone(),
            if_none_match: if_none_match.clone(),
            status,
        });
    };

    // Test controls.
    if path == "/_dev/faults" {
        let response = match method {
            Method::Post => match serde_json::from_str::<Value>(&body).map_err(|e| e.to_string()).and_then(|d| Fault::from_json(&d)) {
                Ok(fault) => {
                    state.lock().unwrap().faults.push(fault);
                    json_response(201, &json!({}))
                }
                Err(err) => error(400, "bad_fault", &err),
            },
            Method::Delete => {
                state.lock().unwrap().faults.clear();
                json_response(204, &json!({}))
            }
            _ => error(405, "method", "POST or DELETE"),
        };
        let _ = request.respond(response);
        return;
    }

    // Staff endpoints.
    let staff = options.staff_token.is_some() && bearer.as_deref() == options.staff_token.as_deref();
    match (&method, path.as_str()) {
        (Method::Post, "/announcements") | (Method::Get, "/kiosks") => {
            if !staff {
                record(401);
                let _ = request.respond(error(401, "unauthorized", "staff token required"));
                return;
            }
        }
        (Method::Delete, p) if p.starts_with("/announcements/") => {
            if !staff {
                record(401);
                let _ = request.respond(error(401, "unauthorized", "staff token required"));
                return;
            }
        }
        _ => {
            if let Some(expected) = &options.kiosk_token
                && bearer.as_deref() != Some(expected.as_str())
            {
                record(401);
                let _ = request.respond(error(401, "unauthorized", "kiosk token rejected"));
                return;
            }
        }
    }

    // Faults (GET only: the heartbeat is never sabotaged by a feed fault).
    if method == Method::Get {
        let fault = {
            let mut st = state.lock().unwrap();
            let found = st.faults.iter_mut().find(|f| path.starts_with(&f.path) && f.times != Some(0));
            found.map(|f| {
                if let Some(n) = &mut f.times {
                    *n -= 1;
                }
                f.mode.clone()
            })
        };
        if let Some(mode) = fault {
            let status = match mode {
                FaultMode::Status { status, .. } => status,
                FaultMode::WrongEtag => 304,
                _ => 200,
            };
            record(status);
            misbehave(request, mode);
            return;
        }
    }

    let (status, response) = route(&method, &path, &param, &body, state, options);
    let response = match (&method, status) {
        (Method::Get, 200) => {
            let bytes = serde_json::to_vec(&response).unwrap();
            let etag = format!("\"{:016x}\"", fnv1a(&bytes));
            if if_none_match.as_deref() == Some(etag.as_str()) {
                record(304);
                let _ = request.respond(Response::empty(304).with_header(Header::from_bytes("ETag", etag).unwrap()));
                return;
            }
            Response::from_data(bytes)
                .with_header(Header::from_bytes("Content-Type", "application/json").unwrap())
                .with_header(Header::from_bytes("ETag", etag).unwrap())
        }
        _ => json_response(status, &response),
    };
    record(status);
    let _ = request.respond(response);
}

fn route(
    method: &Method,
    path: &str,
    param: &dyn Fn(&str) -> Option<String>,
    body: &str,
    state: &Mutex<State>,
    options: &Options,
) -> (u16, Value) {
    let mut st = state.lock().unwrap();
    let not_found = (404, json!({"error": {"code": "not_found", "message": "no such resource"}}));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (Method::Get, [feed @ ("news" | "vacancies" | "rooms")]) => {
            st.feeds.get(*feed).map_or(not_found, |doc| (200, doc.clone()))
        }
        (Method::Get, ["bookings"]) => {
            let Some(date) = param("date").and_then(|d| d.parse::<jiff::civil::Date>().ok()) else {
                return (400, json!({"error": {"code": "bad_date", "message": "date=YYYY-MM-DD required"}}));
            };
            match st.feeds.get("bookings") {
                Some(doc) => (200, portalavoro_kiosk::content::move_bookings_to(doc, date, &options.timezone)),
                None => (200, json!({"date": date.to_string(), "items": []})),
            }
        }
        (Method::Get, ["announcements"]) => {
            let kiosk = param("kiosk");
            let items: Vec<Value> = st
                .announcements
                .iter()
                .filter(|a| match (&a["kiosks"], &kiosk) {
                    (Value::Array(list), Some(k)) => list.iter().any(|x| x.as_str() == Some(k)),
                    (Value::Array(_), None) => false,
                    _ => true,
                })
                .cloned()
                .collect();
            (200, json!({"items": items}))
        }
        (Method::Get, ["kiosks", _, "playlist"]) => {
            st.feeds.get("playlist").map_or(not_found, |doc| (200, doc.clone()))
        }
        (Method::Post, ["kiosks", kiosk, "heartbeat"]) => match serde_json::from_str::<Value>(body) {
            Ok(doc) => {
                st.heartbeats.insert(kiosk.to_string(), doc);
                (204, Value::Null)
            }
            Err(err) => (400, json!({"error": {"code": "bad_json", "message": err.to_string()}})),
        },
        (Method::Post, ["announcements"]) => match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(mut doc)) => {
                st.next_announcement += 1;
                let id = format!("staff-{}", st.next_announcement);
                doc.insert("id".into(), Value::String(id.clone()));
                st.announcements.push(Value::Object(doc));
                (201, json!({"id": id}))
            }
            _ => (400, json!({"error": {"code": "bad_json", "message": "an announcement object"}})),
        },
        (Method::Delete, ["announcements", id]) => {
            let before = st.announcements.len();
            st.announcements.retain(|a| a["id"].as_str() != Some(id));
            if st.announcements.len() < before { (204, Value::Null) } else { not_found }
        }
        (Method::Get, ["kiosks"]) => {
            let items: Vec<Value> = st
                .heartbeats
                .iter()
                .map(|(k, hb)| json!({"kiosk_id": k, "last_heartbeat": hb}))
                .collect();
            (200, json!({"items": items}))
        }
        _ => not_found,
    }
}

/// A reader that hands out one byte per interval.
struct Drip {
    data: Vec<u8>,
    pos: usize,
    interval: Duration,
}

impl Read for Drip {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.data.len() || buf.is_empty() {
            return Ok(0);
        }
        std::thread::sleep(self.interval);
        buf[0] = self.data[self.pos];
        self.pos += 1;
        Ok(1)
    }
}

fn gzip_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(b"{\"items\": [], \"pad\": \"").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..100 {
            encoder.write_all(&chunk).unwrap();
        }
        encoder.write_all(b"\"}").unwrap();
        encoder.finish().unwrap()
    })
}

fn misbehave(request: Request, mode: FaultMode) {
    let json_type = Header::from_bytes("Content-Type", "application/json").unwrap();
    let _ = match mode {
        FaultMode::Status { status, retry_after } => {
            let mut response = error(status, "fault", "the dev hub was told to fail");
            if let Some(seconds) = retry_after {
                response = response.with_header(Header::from_bytes("Retry-After", seconds.to_string()).unwrap());
            }
            request.respond(response)
        }
        FaultMode::Garbage => request.respond(
            Response::from_string("<html><body>502 Bad Gateway</body></html>").with_header(json_type),
        ),
        FaultMode::Huge { bytes } => {
            let mut body = b"{\"items\": [], \"pad\": \"".to_vec();
            body.resize(bytes.saturating_sub(2).max(body.len()), b'a');
            body.extend_from_slice(b"\"}");
            request.respond(Response::from_data(body).with_header(json_type))
        }
        FaultMode::GzipBomb => request.respond(
            Response::from_data(gzip_bomb().to_vec())
                .with_header(json_type)
                .with_header(Header::from_bytes("Content-Encoding", "gzip").unwrap()),
        ),
        FaultMode::SlowDrip { interval_ms } => {
            let data = b"{\"items\": []}".to_vec();
            let len = data.len();
            let drip = Drip { data, pos: 0, interval: Duration::from_millis(interval_ms) };
            request.respond(Response::new(StatusCode(200), vec![json_type], drip, Some(len), None))
        }
        FaultMode::Drop => {
            let mut writer = request.into_writer();
            let _ = writer.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"items\": [{\"id\": \"half",
            );
            let _ = writer.flush();
            Ok(())
        }
        FaultMode::WrongEtag => request.respond(
            Response::empty(304).with_header(Header::from_bytes("ETag", "\"whatever\"").unwrap()),
        ),
    };
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
