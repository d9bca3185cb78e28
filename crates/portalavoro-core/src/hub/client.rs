//! The hub client: one ureq agent with explicit timeouts, a body cap that
//! also holds after decompression, conditional GETs, and a token that only
//! ever goes to the hub's own origin.

use std::io::Read;
use std::time::Duration;

use serde_json::Value;

use super::UrlOrigin;
use crate::config::{HubConfig, Secret};

/// The header by which a hub offers waiting requests: the longest `wait`,
/// in seconds, it honours (docs/hub-api.md, "Waiting for announcements").
pub const WAIT_HEADER: &str = "portalavoro-wait";

/// What a conditional GET brought back.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// 304: the copy we hold is current; nothing to parse.
    NotModified,
    /// 2xx with a body (at most the configured cap, decompressed).
    Body { body: Vec<u8>, etag: Option<String> },
}

/// Why a request failed. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HubError {
    #[error("token rejected (HTTP {0})")]
    TokenRejected(u16),
    #[error("not found (HTTP 404)")]
    NotFound,
    #[error("HTTP {status}{}{}", retry_after.map(|d| format!(", retry after {}s", d.as_secs())).unwrap_or_default(), message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status {
        status: u16,
        retry_after: Option<Duration>,
        message: Option<String>,
    },
    #[error("the hub redirected to {0:?}; set hub.url to the final address")]
    Redirect(String),
    #[error("response larger than the {0} byte limit")]
    TooLarge(u64),
    #[error("timed out")]
    Timeout,
    #[error("{0}")]
    Network(String),
    /// A URL the kiosk will not ask for (its scheme, its host).
    #[error("refused: {0}")]
    Refused(String),
}

impl HubError {
    /// The wait the server asked for (429/503 `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            HubError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Longest `Retry-After` honoured; a hub asking for more is capped here so
/// a typo on the server cannot silence a kiosk for days.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

pub struct HubClient {
    agent: ureq::Agent,
    /// The longest wait asked of the hub: well inside the read timeout.
    longest_wait: Duration,
    base: String,
    origin: UrlOrigin,
    token: Option<Secret>,
    max_body: u64,
    allow_insecure_http: bool,
}

impl std::fmt::Debug for HubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubClient")
            .field("base", &self.base)
            .field("token", &self.token)
            .field("max_body", &self.max_body)
            .finish()
    }
}

impl HubClient {
    pub fn new(config: &HubConfig) -> Result<HubClient, String> {
        let origin = UrlOrigin::of(&config.url)?;
        let per_read = config.request_timeout.min(Duration::from_secs(15));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Never follow: a redirect could carry the token to another origin.
            .max_redirects(0)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_per_read(Some(per_read))
            .timeout_global(Some(config.request_timeout))
            .user_agent(concat!("portalavoro-kiosk/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(HubClient {
            agent,
            longest_wait: per_read.saturating_sub(Duration::from_secs(3)),
            base: config.url.trim_end_matches('/').to_string(),
            origin,
            token: config.token.clone(),
            max_body: config.max_body_bytes,
            allow_insecure_http: config.allow_insecure_http,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The absolute URL of a contract path such as `/news`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The origin of a URL the kiosk may ask for: plain http only from
    /// loopback, or where `hub.allow_insecure_http` says so, for pictures on
    /// other hosts as for the hub itself.
    fn permitted(&self, url: &str) -> Result<UrlOrigin, HubError> {
        let origin =
            UrlOrigin::of(url).map_err(|why| HubError::Refused(format!("{url}: {why}")))?;
        if origin.is_insecure() && !self.allow_insecure_http {
            return Err(HubError::Refused(format!(
                "{url}: plain http from a host other than loopback \
                 (hub.allow_insecure_http is off)"
            )));
        }
        Ok(origin)
    }

    /// The token, only for the hub's own origin.
    fn authorization(&self, origin: &UrlOrigin) -> Option<String> {
        let token = self.token.as_ref()?;
        (*origin == self.origin).then(|| format!("Bearer {}", token.expose()))
    }

    /// A conditional GET of a contract path.
    pub fn get(&self, path: &str, etag: Option<&str>) -> Result<Fetched, HubError> {
        self.get_url(&self.url(path), etag)
    }

    /// A conditional GET of any URL (pictures may live on a CDN); the token
    /// goes only to the hub's origin.
    pub fn get_url(&self, url: &str, etag: Option<&str>) -> Result<Fetched, HubError> {
        self.fetch(url, etag).map(|(fetched, _)| fetched)
    }

    /// A conditional GET of a contract path, and the wait the hub offers
    /// for it (`Portalavoro-Wait`, docs/hub-api.md), bounded by this
    /// client's timeouts; `None` when the hub offers none.
    pub fn get_offering_wait(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<(Fetched, Option<Duration>), HubError> {
        let (fetched, offered) = self.fetch(&self.url(path), etag)?;
        let wait = offered
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map(|seconds| Duration::from_secs(seconds).min(self.longest_wait))
            .filter(|wait| *wait >= Duration::from_secs(1));
        Ok((fetched, wait))
    }

    fn fetch(&self, url: &str, etag: Option<&str>) -> Result<(Fetched, Option<String>), HubError> {
        let origin = self.permitted(url)?;
        let mut request = self.agent.get(url).header("Accept", "application/json");
        if let Some(auth) = self.authorization(&origin) {
            request = request.header("Authorization", auth);
        }
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        let mut response = request.call().map_err(map_error)?;
        let status = response.status().as_u16();
        let wait = header(&response, WAIT_HEADER);
        match status {
            304 => Ok((Fetched::NotModified, wait)),
            200..=299 => {
                let etag = header(&response, "etag");
                let body = read_capped(response.body_mut(), self.max_body)?;
                Ok((Fetched::Body { body, etag }, wait))
            }
            _ => Err(status_error(&mut response)),
        }
    }

    /// The bytes at a URL (pictures), unconditionally.
    pub fn get_bytes(&self, url: &str) -> Result<Vec<u8>, HubError> {
        match self.get_url(url, None)? {
            Fetched::Body { body, .. } => Ok(body),
            Fetched::NotModified => Err(HubError::Network(
                "HTTP 304 to an unconditional request".into(),
            )),
        }
    }

    /// POSTs a JSON document to a contract path; any 2xx is success.
    pub fn post_json(&self, path: &str, document: &Value) -> Result<(), HubError> {
        self.send("POST", path, Some(document)).map(|_| ())
    }

    /// POSTs a JSON document to a contract path and returns the answer's
    /// body (at most the configured cap).
    pub fn post_for(&self, path: &str, document: &Value) -> Result<Vec<u8>, HubError> {
        self.send("POST", path, Some(document))
    }

    /// DELETEs a contract path; any 2xx is success.
    pub fn delete(&self, path: &str) -> Result<(), HubError> {
        self.send("DELETE", path, None).map(|_| ())
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        document: Option<&Value>,
    ) -> Result<Vec<u8>, HubError> {
        let url = self.url(path);
        let origin = self.permitted(&url)?;
        let auth = self.authorization(&origin);
        let mut response = match (method, document) {
            ("DELETE", _) => {
                let mut request = self.agent.delete(&url);
                if let Some(auth) = auth {
                    request = request.header("Authorization", auth);
                }
                request.call()
            }
            (_, document) => {
                let body = serde_json::to_vec(&document.unwrap_or(&Value::Null))
                    .expect("JSON values serialise");
                let mut request = self
                    .agent
                    .post(&url)
                    .header("Content-Type", "application/json");
                if let Some(auth) = auth {
                    request = request.header("Authorization", auth);
                }
                request.send(&body[..])
            }
        }
        .map_err(map_error)?;
        match response.status().as_u16() {
            200..=299 => read_capped(response.body_mut(), self.max_body),
            _ => Err(status_error(&mut response)),
        }
    }
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)?
        .to_str()
        .ok()
        .map(str::to_string)
}

/// Reads at most `cap` bytes of the *decoded* body: ureq's own limit counts
/// the bytes on the wire, which a gzip bomb would pass.
fn read_capped(body: &mut ureq::Body, cap: u64) -> Result<Vec<u8>, HubError> {
    let reader = body.with_config().limit(cap.saturating_add(1)).reader();
    let mut buf = Vec::new();
    reader
        .take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|err| map_io(err, cap))?;
    if buf.len() as u64 > cap {
        return Err(HubError::TooLarge(cap));
    }
    Ok(buf)
}

fn map_io(err: std::io::Error, cap: u64) -> HubError {
    // ureq wraps its own errors (timeouts, limits) in io::Error on read.
    match err
        .into_inner()
        .map(|inner| inner.downcast::<ureq::Error>())
    {
        Some(Ok(ureq_err)) => match *ureq_err {
            ureq::Error::BodyExceedsLimit(_) => HubError::TooLarge(cap),
            other => map_error(other),
        },
        Some(Err(other)) => HubError::Network(other.to_string()),
        None => HubError::Network("connection lost while reading".into()),
    }
}

fn map_error(err: ureq::Error) -> HubError {
    match err {
        ureq::Error::Timeout(_) => HubError::Timeout,
        ureq::Error::HostNotFound => HubError::Network("host not found".into()),
        ureq::Error::ConnectionFailed => HubError::Network("connection failed".into()),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => HubError::Timeout,
            _ => HubError::Network(io.to_string()),
        },
        ureq::Error::BodyExceedsLimit(limit) => HubError::TooLarge(limit),
        other => HubError::Network(other.to_string()),
    }
}

/// A non-2xx answer: its status, `Retry-After`, and the contract's
/// `{"error": {"message": …}}` when present.
fn status_error(response: &mut ureq::http::Response<ureq::Body>) -> HubError {
    let status = response.status().as_u16();
    match status {
        401 | 403 => return HubError::TokenRejected(status),
        404 => return HubError::NotFound,
        300..=399 => {
            return HubError::Redirect(header(response, "location").unwrap_or_default());
        }
        _ => {}
    }
    let retry_after = header(response, "retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
    let message = read_capped(response.body_mut(), 4096)
        .ok()
        .and_then(|body| serde_json::from_slice::<Value>(&body).ok())
        .and_then(|doc| doc.pointer("/error/message")?.as_str().map(str::to_string))
        .map(|m| m.chars().filter(|c| !c.is_control()).take(200).collect());
    HubError::Status {
        status,
        retry_after,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(toml: &str) -> HubClient {
        let config = crate::config::parse(
            std::path::Path::new("k.toml"),
            &format!("[hub]\n{toml}\nconnect_timeout_s = 1\n"),
            &crate::config::Env::default(),
        )
        .unwrap();
        HubClient::new(config.hub.as_ref().unwrap()).unwrap()
    }

    #[test]
    fn pictures_obey_allow_insecure_http_like_the_hub() {
        let hub = client("url = \"https://hub.example.org/api/v1\"");
        // 192.0.2.1 is TEST-NET-1: routed nowhere, so an accepted URL fails
        // on the network, a refused one before it.
        for url in [
            "http://192.0.2.1/news.jpg",
            "http://cdn.localhost/news.jpg",
            "ftp://hub.example.org/news.jpg",
        ] {
            let err = hub.get_bytes(url).unwrap_err();
            assert!(matches!(err, HubError::Refused(_)), "{url}: {err}");
        }
        let trusted = client("url = \"http://hub.lan\"\nallow_insecure_http = true");
        let err = trusted.get_bytes("http://192.0.2.1/news.jpg").unwrap_err();
        assert!(!matches!(err, HubError::Refused(_)), "{err}");
        // Loopback is always allowed: refused by the network, not by us.
        let err = hub.get_bytes("http://127.0.0.1:9/news.jpg").unwrap_err();
        assert!(!matches!(err, HubError::Refused(_)), "{err}");
    }
}
