//! The development hub: serves the whole hub contract (docs/hub-api.md)
//! from a folder of JSON files, with ETags, the staff endpoints, and faults
//! that tests switch on to make it misbehave. Used by `examples/hub-dev` and,
//! in process, by the integration tests. Not part of the kiosk binary.
//!
//! Files read from the data folder: news.json, vacancies.json, rooms.json,
//! bookings.json (one day, moved to the date asked for), announcements.json,
//! playlist.json (missing → 404, "use the playlist in kiosk.toml"),
//! services.json (missing → 404: no Services section). It holds no
//! appointments: slots and holds answer 404, as a hub without them would.

#![allow(dead_code)] // each test binary uses a different part of it

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use jiff::tz::TimeZone;
use serde_json::{Value, json};

/// Ways to misbehave, for a path prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultMode {
    /// Answer this status, optionally with `Retry-After` seconds.
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
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
    /// The real document with 200 whatever `If-None-Match` says: a hub
    /// without conditional GETs.
    IgnoreEtag,
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
        let arg = |p: Option<&str>| {
            p.map(|a| a.parse::<u64>().map_err(|_| format!("bad number {a:?}")))
                .transpose()
        };
        let mode = match parts.next().unwrap_or("") {
            "status" => FaultMode::Status {
                status: arg(parts.next())?.ok_or("status:CODE")? as u16,
                retry_after: arg(parts.next())?,
            },
            "garbage" => FaultMode::Garbage,
            "huge" => FaultMode::Huge {
                bytes: arg(parts.next())?.unwrap_or(20 << 20) as usize,
            },
            "gzip-bomb" => FaultMode::GzipBomb,
            "slow" => FaultMode::SlowDrip {
                interval_ms: arg(parts.next())?.unwrap_or(500),
            },
            "drop" => FaultMode::Drop,
            "wrong-etag" => FaultMode::WrongEtag,
            "ignore-etag" => FaultMode::IgnoreEtag,
            other => return Err(format!("unknown fault {other:?}")),
        };
        Ok(Fault {
            path: path.to_string(),
            mode,
            times: None,
        })
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
    /// The latest requests, at most [`MAX_SEEN`].
    seen: VecDeque<Seen>,
    /// Each kiosk's last heartbeat, for at most [`MAX_KIOSKS`] kiosks.
    heartbeats: BTreeMap<String, Value>,
    /// Whether `/_dev/faults` answers (`--fault-endpoint`); off by default.
    fault_endpoint: bool,
    /// Pictures under `/media/NAME`.
    media: BTreeMap<String, Vec<u8>>,
}

/// What the dev hub keeps and serves at most: it is a test server, but one
/// left running must not grow without bound.
const MAX_SEEN: usize = 10_000;
const MAX_KIOSKS: usize = 1_000;
const MAX_CONNECTIONS: usize = 64;

pub struct DevHub {
    addr: SocketAddr,
    stopped: Arc<AtomicBool>,
    state: Arc<Mutex<State>>,
}

impl Drop for DevHub {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag and closes the port.
        let _ = TcpStream::connect(self.addr);
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
        if let DataSource::Folder(dir) = &options.data
            && let Ok(entries) = std::fs::read_dir(dir.join("media"))
        {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                state.media.insert(name, std::fs::read(entry.path())?);
            }
        }
        let listener = TcpListener::bind(("127.0.0.1", options.port))?;
        let hub = DevHub {
            addr: listener.local_addr()?,
            stopped: Arc::new(AtomicBool::new(false)),
            state: Arc::new(Mutex::new(state)),
        };
        let stopped = hub.stopped.clone();
        let state = hub.state.clone();
        let options = Arc::new(options);
        let open = Arc::new(AtomicUsize::new(0));
        std::thread::Builder::new()
            .name("hub-dev".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if stopped.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    // Too many at once: closed at once, not queued.
                    if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                        open.fetch_sub(1, Ordering::SeqCst);
                        continue;
                    }
                    let state = state.clone();
                    let options = options.clone();
                    let open = open.clone();
                    std::thread::spawn(move || {
                        serve(stream, &state, &options);
                        open.fetch_sub(1, Ordering::SeqCst);
                    });
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

    /// Serves `bytes` at `/media/NAME`.
    pub fn set_media(&self, name: &str, bytes: Vec<u8>) {
        self.state().media.insert(name.to_string(), bytes);
    }

    pub fn remove_feed(&self, feed: &str) {
        self.state().feeds.remove(feed);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state().seen.iter().cloned().collect()
    }

    /// Lets `/_dev/faults` switch faults over HTTP (off unless asked for:
    /// anyone who reaches the port could otherwise sabotage it).
    pub fn open_fault_endpoint(&self) {
        self.state().fault_endpoint = true;
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
    for name in [
        "news",
        "vacancies",
        "rooms",
        "bookings",
        "announcements",
        "playlist",
        "services",
    ] {
        let file = format!("{name}.json");
        match std::fs::read(dir.join(&file)) {
            Ok(bytes) => files.push((file, bytes)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(io::Error::new(err.kind(), format!("{file}: {err}"))),
        }
    }
    Ok(files)
}

// ------------------------------------------------------------ HTTP/1.1
// A deliberately small server: one request per connection, closed after
// the reply, so every fault (a dropped connection included) is exact.

struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

fn read_request(stream: &TcpStream) -> io::Result<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.take(2 << 20));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(url)) = (parts.next(), parts.next()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "bad request line",
        ));
    };
    let (method, url) = (method.to_string(), url.to_string());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(1 << 20);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Request {
        method,
        url,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// What goes back on the wire.
enum Reply {
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// A valid body, one byte per interval.
    Drip { body: Vec<u8>, interval: Duration },
    /// Headers promising more than the few bytes sent before closing.
    Drop,
}

impl Reply {
    fn json(status: u16, body: &Value) -> Reply {
        let body = if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(body).unwrap()
        };
        Reply::Full {
            status,
            headers: vec![("Content-Type", "application/json".into())],
            body,
        }
    }

    fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::json(
            status,
            &json!({"error": {"code": code, "message": message}}),
        )
    }

    fn with(mut self, name: &'static str, value: String) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name, value));
        }
        self
    }

    fn status(&self) -> u16 {
        match self {
            Reply::Full { status, .. } => *status,
            Reply::Drip { .. } | Reply::Drop => 200,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn write_reply(mut stream: TcpStream, reply: Reply) -> io::Result<()> {
    let head = |status: u16, headers: &[(&str, String)], length: usize| {
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
            reason(status)
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if status != 204 && status != 304 {
            head.push_str(&format!("Content-Length: {length}\r\n"));
        }
        head.push_str("\r\n");
        head
    };
    let json_type = [("Content-Type", "application/json".to_string())];
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            stream.write_all(head(status, &headers, body.len()).as_bytes())?;
            if status != 204 && status != 304 {
                stream.write_all(&body)?;
            }
        }
        Reply::Drip { body, interval } => {
            stream.write_all(head(200, &json_type, body.len()).as_bytes())?;
            for byte in body {
                std::thread::sleep(interval);
                stream.write_all(&[byte])?;
            }
        }
        Reply::Drop => {
            stream.write_all(head(200, &json_type, 5000).as_bytes())?;
            stream.write_all(b"{\"items\": [{\"id\": \"half")?;
            stream.flush()?;
            stream.shutdown(std::net::Shutdown::Both)?;
        }
    }
    stream.flush()
}

fn serve(stream: TcpStream, state: &Mutex<State>, options: &Options) {
    let Ok(request) = read_request(&stream) else {
        return;
    };
    let reply = respond(&request, state, options);
    let mut st = state.lock().unwrap();
    if st.seen.len() == MAX_SEEN {
        st.seen.pop_front();
    }
    st.seen.push_back(Seen {
        method: request.method.clone(),
        url: request.url.clone(),
        authorization: request.header("authorization"),
        if_none_match: request.header("if-none-match"),
        status: reply.status(),
    });
    drop(st);
    let _ = write_reply(stream, reply);
}

fn respond(request: &Request, state: &Mutex<State>, options: &Options) -> Reply {
    let method = request.method.as_str();
    let (path, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .map(str::to_string)
    };
    let bearer = request
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer ").map(str::to_string));

    // Test controls, only when opened (`--fault-endpoint`).
    if path == "/_dev/faults" && state.lock().unwrap().fault_endpoint {
        return match method {
            "POST" => match serde_json::from_str::<Value>(&request.body)
                .map_err(|e| e.to_string())
                .and_then(|d| Fault::from_json(&d))
            {
                Ok(fault) => {
                    state.lock().unwrap().faults.push(fault);
                    Reply::json(201, &json!({}))
                }
                Err(err) => Reply::error(400, "bad_fault", &err),
            },
            "DELETE" => {
                state.lock().unwrap().faults.clear();
                Reply::json(204, &Value::Null)
            }
            _ => Reply::error(405, "method", "POST or DELETE"),
        };
    }

    // Staff endpoints want the staff token; kiosk ones the kiosk token, if set.
    let staff_only = matches!(
        (method, path),
        ("POST", "/announcements") | ("GET", "/kiosks")
    ) || (method == "DELETE" && path.starts_with("/announcements/"));
    if staff_only {
        if options.staff_token.is_none() || bearer != options.staff_token {
            return Reply::error(401, "unauthorized", "staff token required");
        }
    } else if let Some(expected) = &options.kiosk_token
        && bearer.as_deref() != Some(expected.as_str())
    {
        return Reply::error(401, "unauthorized", "kiosk token rejected");
    }

    // Faults (GET only: the heartbeat is never sabotaged by a feed fault).
    let mut conditional = true;
    if method == "GET" {
        let fault = {
            let mut st = state.lock().unwrap();
            let found = st
                .faults
                .iter_mut()
                .find(|f| path.starts_with(&f.path) && f.times != Some(0));
            found.map(|f| {
                if let Some(n) = &mut f.times {
                    *n -= 1;
                }
                f.mode.clone()
            })
        };
        match fault {
            Some(FaultMode::IgnoreEtag) => conditional = false,
            Some(mode) => return misbehave(mode),
            None => {}
        }
    }

    if method == "GET"
        && let Some(name) = path.strip_prefix("/media/")
    {
        return match state.lock().unwrap().media.get(name) {
            Some(bytes) => {
                let kind = match name.rsplit('.').next() {
                    Some("png") => "image/png",
                    Some("jpg" | "jpeg") => "image/jpeg",
                    _ => "application/octet-stream",
                };
                Reply::Full {
                    status: 200,
                    headers: vec![("Content-Type", kind.into())],
                    body: bytes.clone(),
                }
            }
            None => Reply::error(404, "not_found", "no such picture"),
        };
    }

    let (status, document) = route(method, path, &param, &request.body, state, options);
    if method == "GET" && status == 200 {
        let body = serde_json::to_vec(&document).unwrap();
        let etag = format!("\"{:016x}\"", fnv1a(&body));
        if conditional && request.header("if-none-match").as_deref() == Some(etag.as_str()) {
            return Reply::Full {
                status: 304,
                headers: vec![("ETag", etag)],
                body: Vec::new(),
            };
        }
        return Reply::Full {
            status: 200,
            headers: vec![("Content-Type", "application/json".into()), ("ETag", etag)],
            body,
        };
    }
    Reply::json(status, &document)
}

fn route(
    method: &str,
    path: &str,
    param: &dyn Fn(&str) -> Option<String>,
    body: &str,
    state: &Mutex<State>,
    options: &Options,
) -> (u16, Value) {
    let mut st = state.lock().unwrap();
    let not_found = (
        404,
        json!({"error": {"code": "not_found", "message": "no such resource"}}),
    );
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        ("GET", [feed @ ("news" | "vacancies" | "rooms" | "services")]) => st
            .feeds
            .get(*feed)
            .map_or(not_found, |doc| (200, doc.clone())),
        ("GET", ["bookings"]) => {
            let Some(date) = param("date").and_then(|d| d.parse::<jiff::civil::Date>().ok()) else {
                return (
                    400,
                    json!({"error": {"code": "bad_date", "message": "date=YYYY-MM-DD required"}}),
                );
            };
            match st.feeds.get("bookings") {
                Some(doc) => (
                    200,
                    portalavoro_core::content::move_bookings_to(doc, date, &options.timezone),
                ),
                None => (200, json!({"date": date.to_string(), "items": []})),
            }
        }
        ("GET", ["announcements"]) => {
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
        ("GET", ["kiosks", _, "playlist"]) => st
            .feeds
            .get("playlist")
            .map_or(not_found, |doc| (200, doc.clone())),
        ("POST", ["kiosks", kiosk, "heartbeat"]) => match serde_json::from_str::<Value>(body) {
            Ok(doc) => {
                if st.heartbeats.len() >= MAX_KIOSKS && !st.heartbeats.contains_key(*kiosk) {
                    return (
                        507,
                        json!({"error": {"code": "too_many_kiosks", "message": "the dev hub keeps 1000 kiosks"}}),
                    );
                }
                st.heartbeats.insert(kiosk.to_string(), doc);
                (204, Value::Null)
            }
            Err(err) => (
                400,
                json!({"error": {"code": "bad_json", "message": err.to_string()}}),
            ),
        },
        ("POST", ["announcements"]) => match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(mut doc)) => {
                st.next_announcement += 1;
                let id = format!("staff-{}", st.next_announcement);
                doc.insert("id".into(), Value::String(id.clone()));
                st.announcements.push(Value::Object(doc));
                (201, json!({"id": id}))
            }
            _ => (
                400,
                json!({"error": {"code": "bad_json", "message": "an announcement object"}}),
            ),
        },
        ("DELETE", ["announcements", id]) => {
            let before = st.announcements.len();
            st.announcements.retain(|a| a["id"].as_str() != Some(id));
            if st.announcements.len() < before {
                (204, Value::Null)
            } else {
                not_found
            }
        }
        ("GET", ["kiosks"]) => {
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

fn misbehave(mode: FaultMode) -> Reply {
    let json_type = || vec![("Content-Type", "application/json".to_string())];
    match mode {
        FaultMode::Status {
            status,
            retry_after,
        } => {
            let reply = Reply::error(status, "fault", "the dev hub was told to fail");
            match retry_after {
                Some(seconds) => reply.with("Retry-After", seconds.to_string()),
                None => reply,
            }
        }
        FaultMode::Garbage => Reply::Full {
            status: 200,
            headers: json_type(),
            body: b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        },
        FaultMode::Huge { bytes } => {
            let mut body = b"{\"items\": [], \"pad\": \"".to_vec();
            body.resize(bytes.saturating_sub(2).max(body.len()), b'a');
            body.extend_from_slice(b"\"}");
            Reply::Full {
                status: 200,
                headers: json_type(),
                body,
            }
        }
        FaultMode::GzipBomb => Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Type", "application/json".into()),
                ("Content-Encoding", "gzip".into()),
            ],
            body: gzip_bomb().to_vec(),
        },
        FaultMode::SlowDrip { interval_ms } => Reply::Drip {
            body: b"{\"items\": []}".to_vec(),
            interval: Duration::from_millis(interval_ms),
        },
        FaultMode::Drop => Reply::Drop,
        FaultMode::WrongEtag => Reply::Full {
            status: 304,
            headers: vec![("ETag", "\"whatever\"".into())],
            body: Vec::new(),
        },
        FaultMode::IgnoreEtag => unreachable!("answered with the real document"),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
