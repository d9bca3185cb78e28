//! Pictures (news images, logos, attract slides): fetched, decoded with the
//! `image` crate under hard limits, downscaled to the size they are shown
//! at, and kept on disk, all on a worker thread. A 6000×4000 JPEG costs the
//! worker a moment and a frame nothing; a broken or hostile file becomes a
//! `Failed` result (the screen shows a neutral placeholder), never a crash.
//!
//! The disk cache is a copy, not the truth: a picture kept longer than
//! [`FRESH_FOR`] is fetched again when asked for (the kept one serves while
//! the hub cannot be reached); when a snapshot arrives, the pictures it no
//! longer names are removed ([`ImageLoader::keep_only`]), and pictures not
//! fetched for [`KEPT_FOR`] are removed at start and once a day.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use crossbeam_channel::{Receiver, Sender};
use image::{ImageReader, Limits};
use tracing::warn;

/// The largest picture accepted, per side, and the decoder's memory budget.
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
/// How long a kept picture is used without asking the hub again (less than
/// the app's refresh, `app::pictures::REFRESH`, so a refresh reaches the hub).
pub const FRESH_FOR: Duration = Duration::from_secs(5 * 3600);
/// How long a picture nobody fetched again stays on disk.
pub const KEPT_FOR: Duration = Duration::from_secs(30 * 86_400);

/// A picture wanted at most `max_width` × `max_height` pixels.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRequest {
    pub url: String,
    pub max_width: u32,
    pub max_height: u32,
}

/// A decoded picture, RGBA8, already at display size.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImageResult {
    Ready(ImageRequest, Picture),
    Failed(ImageRequest, String),
}

/// Gets the bytes of a URL (the hub client, or a file reader in tests).
pub type Fetch = Box<dyn Fn(&str) -> Result<Vec<u8>, String> + Send>;

/// Decodes `bytes` and scales the picture down (never up) to fit the box,
/// keeping its proportions.
pub fn decode(bytes: &[u8], max_width: u32, max_height: u32) -> Result<Picture, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| format!("unreadable: {err}"))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|err| format!("cannot decode: {err}"))?;
    let image = if image.width() > max_width || image.height() > max_height {
        image.resize(
            max_width.max(1),
            max_height.max(1),
            image::imageops::FilterType::Triangle,
        )
    } else {
        image
    };
    let rgba = image.to_rgba8();
    Ok(Picture {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

/// What the worker is asked to do, in order.
enum Job {
    Load(ImageRequest),
    /// Remove the kept pictures of every URL but these.
    KeepOnly(HashSet<String>),
}

/// The worker: requests in, results out.
pub struct ImageLoader {
    jobs: Sender<Job>,
    pub results: Receiver<ImageResult>,
    _thread: JoinHandle<()>,
}

impl ImageLoader {
    /// `cache_dir`: where downscaled pictures are kept (`None`: not kept).
    /// `wake` is called after each result (the app may be asleep).
    pub fn start(
        fetch: Fetch,
        cache_dir: Option<PathBuf>,
        wake: Box<dyn Fn() + Send>,
    ) -> ImageLoader {
        let (job_tx, job_rx) = crossbeam_channel::unbounded::<Job>();
        let (result_tx, result_rx) = crossbeam_channel::unbounded();
        if let Some(dir) = &cache_dir {
            match std::fs::create_dir_all(dir) {
                Ok(()) => sweep(dir, SystemTime::now()),
                Err(err) => warn!(
                    "image cache {}: {err}; pictures will be fetched each time",
                    dir.display()
                ),
            }
        }
        let thread = std::thread::Builder::new()
            .name("images".into())
            .spawn(move || {
                let mut swept = SystemTime::now();
                for job in job_rx {
                    let request = match job {
                        Job::Load(request) => request,
                        Job::KeepOnly(urls) => {
                            if let Some(dir) = &cache_dir {
                                forget_all_but(dir, &urls);
                            }
                            continue;
                        }
                    };
                    let now = SystemTime::now();
                    if let Some(dir) = &cache_dir
                        && now
                            .duration_since(swept)
                            .is_ok_and(|d| d > Duration::from_secs(86_400))
                    {
                        sweep(dir, now);
                        swept = now;
                    }
                    let result = load(&request, &fetch, cache_dir.as_deref(), now);
                    if let Err(reason) = &result {
                        warn!("image {}: {reason}", request.url);
                    }
                    let message = match result {
                        Ok(picture) => ImageResult::Ready(request, picture),
                        Err(reason) => ImageResult::Failed(request, reason),
                    };
                    if result_tx.send(message).is_err() {
                        return;
                    }
                    wake();
                }
            })
            .expect("spawn the image thread");
        ImageLoader {
            jobs: job_tx,
            results: result_rx,
            _thread: thread,
        }
    }

    /// Asks for a picture; its result comes on `results`. Whether the
    /// worker is there to ask.
    pub fn load(&self, request: ImageRequest) -> bool {
        self.jobs.send(Job::Load(request)).is_ok()
    }

    /// Removes from the disk cache the pictures of every URL but `urls`
    /// (what the content on screen names): a picture the hub dropped is
    /// not kept for a month. Done in order with the loads asked for.
    pub fn keep_only(&self, urls: HashSet<String>) {
        let _ = self.jobs.send(Job::KeepOnly(urls));
    }
}

/// The hash a URL's kept pictures are named by (FNV-1a: stable across
/// builds, unlike `std`'s hasher).
fn url_hash(url: &str) -> String {
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn cache_path(dir: &Path, request: &ImageRequest) -> PathBuf {
    dir.join(format!(
        "{}-{}x{}.png",
        url_hash(&request.url),
        request.max_width,
        request.max_height
    ))
}

/// Removes the kept pictures (every size) of the URLs not in `urls`.
fn forget_all_but(dir: &Path, urls: &HashSet<String>) {
    let kept: HashSet<String> = urls.iter().map(|url| url_hash(url)).collect();
    remove_pictures(dir, |name, _| {
        name.ends_with(".png")
            && !name
                .split_once('-')
                .is_some_and(|(hash, _)| kept.contains(hash))
    });
}

/// Removes the files of the cache folder for which `remove(name, path)`.
fn remove_pictures(dir: &Path, remove: impl Fn(&str, &Path) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if remove(&entry.file_name().to_string_lossy(), &path) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Removes half-written pictures a power cut left behind (`*.tmp.png`;
/// only called when none is being written) and pictures not fetched for
/// [`KEPT_FOR`].
fn sweep(dir: &Path, now: SystemTime) {
    remove_pictures(dir, |name, path| {
        let old = || age(path, now).is_some_and(|age| age > KEPT_FOR);
        name.ends_with(".tmp.png") || (name.ends_with(".png") && old())
    });
}

/// How long ago the file at `path` was written.
fn age(path: &Path, now: SystemTime) -> Option<Duration> {
    let written = std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()?;
    // Written "in the future" (a clock set back): as good as new.
    Some(now.duration_since(written).unwrap_or_default())
}

fn load(
    request: &ImageRequest,
    fetch: &Fetch,
    cache_dir: Option<&Path>,
    now: SystemTime,
) -> Result<Picture, String> {
    let cached = cache_dir.map(|dir| cache_path(dir, request));
    let kept = cached.as_ref().and_then(|path| {
        let bytes = std::fs::read(path).ok()?;
        match decode(&bytes, request.max_width, request.max_height) {
            Ok(picture) => Some((picture, age(path, now).unwrap_or_default())),
            Err(err) => {
                warn!("image cache {}: {err}; fetching again", path.display());
                None
            }
        }
    });
    let stale = match kept {
        Some((picture, age)) if age < FRESH_FOR => return Ok(picture),
        kept => kept.map(|(picture, _)| picture),
    };
    let fetched =
        fetch(&request.url).and_then(|bytes| decode(&bytes, request.max_width, request.max_height));
    let picture = match (fetched, stale) {
        (Ok(picture), _) => picture,
        // The hub cannot give it now: the kept copy serves.
        (Err(err), Some(stale)) => {
            warn!("image {}: {err}; showing the kept copy", request.url);
            return Ok(stale);
        }
        (Err(err), None) => return Err(err),
    };
    if let Some(path) = cached {
        let tmp = path.with_extension("tmp.png");
        let saved = image::save_buffer(
            &tmp,
            &picture.rgba,
            picture.width,
            picture.height,
            image::ColorType::Rgba8,
        )
        .map_err(|err| err.to_string())
        .and_then(|()| std::fs::rename(&tmp, &path).map_err(|err| err.to_string()));
        if let Err(err) = saved {
            warn!("image cache {}: {err}", path.display());
        }
    }
    Ok(picture)
}

/// A PNG of `width` × `height` pixels in a gradient, for tests (the
/// kiosk's own tests use it through the `test-support` feature).
#[cfg(any(test, feature = "test-support"))]
pub fn sample_png(width: u32, height: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| [(i % 251) as u8, 80, 160])
        .collect();
    let mut out = Vec::new();
    image::write_buffer_with_format(
        &mut Cursor::new(&mut out),
        &pixels,
        width,
        height,
        image::ColorType::Rgb8,
        image::ImageFormat::Png,
    )
    .expect("a PNG in memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::sample_png as png;

    #[test]
    fn half_written_pictures_are_swept_at_start() {
        let dir = std::env::temp_dir().join(format!("images-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("00ab-320x200.tmp.png"), b"half").unwrap();
        std::fs::write(dir.join("00ab-320x200.png"), png(4, 4)).unwrap();
        let loader = ImageLoader::start(
            Box::new(|_: &str| Err("offline".to_string())),
            Some(dir.clone()),
            Box::new(|| {}),
        );
        assert!(!dir.join("00ab-320x200.tmp.png").exists(), "swept");
        assert!(
            dir.join("00ab-320x200.png").exists(),
            "a whole picture stays"
        );
        drop(loader);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Sets the file's modification time `ago` back.
    fn written_ago(path: &Path, ago: Duration) {
        std::fs::File::options()
            .append(true)
            .open(path)
            .unwrap()
            .set_modified(SystemTime::now() - ago)
            .unwrap();
    }

    #[test]
    fn a_kept_picture_is_fetched_again_after_a_while_and_serves_while_offline() {
        let dir = std::env::temp_dir().join(format!("images-fresh-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let request = ImageRequest {
            url: "https://hub.example.org/a.png".into(),
            max_width: 100,
            max_height: 100,
        };
        let serve = |bytes: Vec<u8>| -> Fetch { Box::new(move |_: &str| Ok(bytes.clone())) };
        let offline: Fetch = Box::new(|_: &str| Err("offline".to_string()));
        let now = SystemTime::now();
        let first = load(&request, &serve(png(40, 20)), Some(&dir), now).unwrap();
        assert_eq!((first.width, first.height), (40, 20));

        // Replaced on the hub: the kept copy serves while fresh...
        let second = serve(png(30, 30));
        assert_eq!(load(&request, &second, Some(&dir), now).unwrap(), first);
        // ...then the hub is asked again, and the new one kept.
        let path = cache_path(&dir, &request);
        written_ago(&path, FRESH_FOR);
        let now = SystemTime::now();
        assert_eq!(load(&request, &second, Some(&dir), now).unwrap().width, 30);
        assert!(
            age(&path, now).unwrap() < Duration::from_secs(60),
            "kept anew"
        );
        // Old and the hub unreachable: the kept copy, not a placeholder.
        written_ago(&path, FRESH_FOR * 3);
        assert_eq!(load(&request, &offline, Some(&dir), now).unwrap().width, 30);

        // A month without being fetched: swept.
        sweep(&dir, SystemTime::now());
        assert!(path.exists());
        written_ago(&path, KEPT_FOR + Duration::from_secs(60));
        sweep(&dir, SystemTime::now());
        assert!(!path.exists(), "removed");
        assert!(load(&request, &offline, Some(&dir), now).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pictures_the_content_no_longer_names_leave_the_disk() {
        let dir = std::env::temp_dir().join(format!("images-keep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let loader = ImageLoader::start(
            Box::new(|_: &str| Ok(png(8, 8))),
            Some(dir.clone()),
            Box::new(|| {}),
        );
        let ask = |url: &str, side: u32| {
            let request = ImageRequest {
                url: url.into(),
                max_width: side,
                max_height: side,
            };
            assert!(loader.load(request.clone()));
            match loader
                .results
                .recv_timeout(Duration::from_secs(10))
                .unwrap()
            {
                ImageResult::Ready(done, _) => assert_eq!(done, request),
                other => panic!("{other:?}"),
            }
            cache_path(&dir, &request)
        };
        let kept_small = ask("https://hub.example.org/kept.png", 100);
        let kept_large = ask("https://hub.example.org/kept.png", 400);
        let dropped = ask("https://hub.example.org/dropped.png", 100);
        for path in [&kept_small, &kept_large, &dropped] {
            assert!(path.exists(), "{} kept once loaded", path.display());
        }

        loader.keep_only(HashSet::from([
            "https://hub.example.org/kept.png".to_string()
        ]));
        // In order with the loads: once this one is done, so is the pruning.
        let later = ask("https://hub.example.org/later.png", 100);
        assert!(
            kept_small.exists() && kept_large.exists(),
            "every size of a named picture stays"
        );
        assert!(
            !dropped.exists(),
            "a picture the content no longer names is removed"
        );
        assert!(later.exists());
        drop(loader);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pictures_are_scaled_down_to_fit_keeping_proportions() {
        let picture = decode(&png(600, 400), 300, 300).unwrap();
        assert_eq!((picture.width, picture.height), (300, 200));
        assert_eq!(picture.rgba.len(), 300 * 200 * 4);
        let small = decode(&png(60, 40), 300, 300).unwrap();
        assert_eq!((small.width, small.height), (60, 40), "never scaled up");
    }

    #[test]
    fn broken_and_oversized_pictures_fail_cleanly() {
        assert!(decode(b"<html>not a picture</html>", 100, 100).is_err());
        let mut truncated = png(200, 200);
        truncated.truncate(truncated.len() / 2);
        assert!(decode(&truncated, 100, 100).is_err());

        // A PNG header claiming 100,000 × 100,000 pixels (40 GB decoded):
        // refused from the header, before any allocation.
        let mut header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        let ihdr = [
            &100_000u32.to_be_bytes()[..],
            &100_000u32.to_be_bytes(),
            &[8, 6, 0, 0, 0],
        ]
        .concat();
        header.extend_from_slice(&ihdr);
        let mut crc = flate2::Crc::new();
        crc.update(b"IHDR");
        crc.update(&ihdr);
        header.extend_from_slice(&crc.sum().to_be_bytes());
        let err = decode(&header, 100, 100).unwrap_err();
        assert!(
            err.contains("limit") || err.contains("large") || err.contains("dimension"),
            "{err}"
        );
    }
}
