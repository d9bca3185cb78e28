//! The offline cache: the last good body of each feed, with its ETag and
//! fetch time, one file per feed. Writes are atomic (temp file, fsync,
//! rename, fsync of the folder), so a power cut leaves the old copy or the
//! new one, never a broken one; a file that is broken anyway (disk fault,
//! hand edit) fails its length or checksum and is ignored.
//!
//! Every copy records the hub it came from: a kiosk moved to another hub
//! never shows the old hub's content.
//!
//! File format: one JSON header line, then the body bytes as received.
//! `{"format":1,"etag":"\"abc\"","fetched_at":"2026-…Z","length":1234,"fnv1a64":"…"}\n<body>`

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

const FORMAT: u32 = 1;

/// One feed's last good response.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedBody {
    pub body: Vec<u8>,
    pub etag: Option<String>,
    pub fetched_at: Timestamp,
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is damaged ({reason}); ignoring it", path.display())]
    Corrupt { path: PathBuf, reason: String },
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    /// The hub base URL the body came from.
    #[serde(default)]
    hub: Option<String>,
    etag: Option<String>,
    fetched_at: Timestamp,
    length: u64,
    fnv1a64: String,
}

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    hub: String,
}

impl Cache {
    /// Opens (and creates) the cache folder, for copies from `hub` (its
    /// base URL).
    pub fn open(dir: &Path, hub: &str) -> io::Result<Cache> {
        fs::create_dir_all(dir)?;
        Ok(Cache {
            dir: dir.to_path_buf(),
            hub: hub.to_string(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.cache"))
    }

    /// The cached copy; `None` when there is none, or it is another hub's.
    pub fn load(&self, name: &str) -> Result<Option<CachedBody>, CacheError> {
        let path = self.path(name);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(CacheError::Io { path, source }),
        };
        let (hub, entry) = decode(&bytes).map_err(|reason| CacheError::Corrupt { path, reason })?;
        Ok((hub.as_deref() == Some(self.hub.as_str())).then_some(entry))
    }

    /// Replaces the cached copy atomically.
    pub fn store(&self, name: &str, entry: &CachedBody) -> io::Result<()> {
        let path = self.path(name);
        let tmp = self
            .dir
            .join(format!(".{name}.cache.{}.tmp", std::process::id()));
        crate::durable::replace(&path, &tmp, &encode(&self.hub, entry))
    }

    /// Forgets a feed (e.g. the hub no longer has a playlist for us).
    pub fn remove(&self, name: &str) -> io::Result<()> {
        match fs::remove_file(self.path(name)) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }

    /// Removes temp files left by a writer that died mid-write.
    pub fn sweep_temp_files(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

fn encode(hub: &str, entry: &CachedBody) -> Vec<u8> {
    let header = Header {
        format: FORMAT,
        hub: Some(hub.to_string()),
        etag: entry.etag.clone(),
        fetched_at: entry.fetched_at,
        length: entry.body.len() as u64,
        fnv1a64: format!("{:016x}", fnv1a64(&entry.body)),
    };
    let mut out = serde_json::to_vec(&header).expect("header serialises");
    out.push(b'\n');
    out.extend_from_slice(&entry.body);
    out
}

/// The hub a copy came from, and the copy.
fn decode(bytes: &[u8]) -> Result<(Option<String>, CachedBody), String> {
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("no header line")?;
    let header: Header =
        serde_json::from_slice(&bytes[..newline]).map_err(|err| format!("bad header: {err}"))?;
    if header.format != FORMAT {
        return Err(format!("unknown format {}", header.format));
    }
    let body = &bytes[newline + 1..];
    if body.len() as u64 != header.length {
        return Err(format!(
            "{} bytes of body, expected {}",
            body.len(),
            header.length
        ));
    }
    if format!("{:016x}", fnv1a64(body)) != header.fnv1a64 {
        return Err("checksum mismatch".into());
    }
    let entry = CachedBody {
        body: body.to_vec(),
        etag: header.etag,
        fetched_at: header.fetched_at,
    };
    Ok((header.hub, entry))
}

/// FNV-1a, 64 bit: a cheap check that the body is the one written.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_cache(tag: &str) -> Cache {
        let dir = std::env::temp_dir().join(format!("kiosk-cache-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Cache::open(&dir, "https://hub.example.org/api/v1").unwrap()
    }

    fn entry(body: &str) -> CachedBody {
        CachedBody {
            body: body.as_bytes().to_vec(),
            etag: Some("\"v1\"".into()),
            fetched_at: "2026-11-22T10:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn round_trip_and_replace() {
        let cache = temp_cache("roundtrip");
        assert_eq!(cache.load("news").unwrap(), None);
        cache.store("news", &entry("{\"items\": []}")).unwrap();
        assert_eq!(cache.load("news").unwrap(), Some(entry("{\"items\": []}")));
        cache.store("news", &entry("{\"items\": [1]}")).unwrap();
        assert_eq!(
            cache.load("news").unwrap().unwrap().body,
            b"{\"items\": [1]}"
        );
        cache.remove("news").unwrap();
        assert_eq!(cache.load("news").unwrap(), None);
        fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn truncated_or_damaged_files_are_reported_not_returned() {
        let cache = temp_cache("damaged");
        cache
            .store("rooms", &entry("{\"items\": [\"a\"]}"))
            .unwrap();
        let path = cache.path("rooms");
        let good = fs::read(&path).unwrap();

        fs::write(&path, &good[..good.len() - 3]).unwrap();
        assert!(matches!(
            cache.load("rooms"),
            Err(CacheError::Corrupt { .. })
        ));

        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 0x20;
        fs::write(&path, &flipped).unwrap();
        let err = cache.load("rooms").unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");

        fs::write(&path, b"garbage").unwrap();
        assert!(matches!(
            cache.load("rooms"),
            Err(CacheError::Corrupt { .. })
        ));
        fs::write(&path, b"").unwrap();
        assert!(matches!(
            cache.load("rooms"),
            Err(CacheError::Corrupt { .. })
        ));
        fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn another_hubs_copy_is_not_shown() {
        let cache = temp_cache("other-hub");
        cache.store("news", &entry("{\"items\": []}")).unwrap();
        let moved = Cache::open(cache.dir(), "https://other-hub.example.org/api/v1").unwrap();
        assert_eq!(moved.load("news").unwrap(), None);
        assert!(cache.load("news").unwrap().is_some());
        fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn leftover_temp_files_are_swept() {
        let cache = temp_cache("sweep");
        fs::write(cache.dir().join(".news.cache.999.tmp"), b"half").unwrap();
        cache.sweep_temp_files();
        assert_eq!(fs::read_dir(cache.dir()).unwrap().count(), 0);
        fs::remove_dir_all(cache.dir()).unwrap();
    }
}
