//! Pictures on screen: news images and the site logo come from the image
//! worker thread (fetched, decoded under limits, downscaled, cached on disk;
//! see `hub::images`), QR codes are drawn here. Screens ask for a picture by
//! URL and size and get a handle once it is ready; meanwhile, or if it never
//! comes, they show a neutral placeholder.
//!
//! Nothing here grows with time: a picture that failed is asked for again
//! (after a minute, then two, up to an hour); one shown for six hours is
//! fetched again in the background (a picture replaced at the same URL
//! reaches the screen), the old one staying up meanwhile; and pictures and
//! QR codes that no entity shows and no screen asked for in five minutes
//! are let go, on the CPU and the GPU.

use std::collections::HashMap;
use std::time::Duration;

use bevy::asset::RenderAssetUsages;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};

use super::feed::Content;
use super::redraw::{Uptime, WakeAt};
use super::shared::{AppSystems, KioskConfig};
use portalavoro_core::content::QrMatrix;
use portalavoro_core::hub::images::{ImageLoader, ImageRequest, ImageResult};

/// A failed picture's first wait before it is asked for again, and the
/// longest (each failure doubles it).
const RETRY: Duration = Duration::from_secs(60);
const LONGEST_RETRY: Duration = Duration::from_secs(3600);
/// How long a picture is shown before it is fetched again.
pub const REFRESH: Duration = Duration::from_secs(6 * 3600);
/// How long a picture nobody shows is kept, in case it comes back.
const UNUSED: Duration = Duration::from_secs(300);
/// How long a picture that fails is asked for again after a screen last
/// asked for it (the screen may still be showing its placeholder).
const FORGET_FAILED: Duration = Duration::from_secs(86_400);

#[derive(Debug)]
enum Slot {
    /// Asked for; `wait`: how long to wait before asking again if it fails.
    Loading {
        wait: Duration,
    },
    Ready {
        handle: Handle<Image>,
        loaded: Duration,
        /// A fresh copy has been asked for; this one stays up meanwhile.
        refreshing: bool,
    },
    Failed {
        retry_at: Duration,
        wait: Duration,
    },
}

impl Slot {
    /// Failed at `now` after waiting `wait`: asked for again after that
    /// wait, the next wait twice as long (up to the longest).
    fn failed(now: Duration, wait: Duration) -> Slot {
        Slot::Failed {
            retry_at: now + wait,
            wait: (wait * 2).min(LONGEST_RETRY),
        }
    }
}

#[derive(Debug)]
struct Entry {
    slot: Slot,
    /// When a screen last asked for it.
    asked: Duration,
}

impl Entry {
    /// When it is let go unless a screen asks for it again (one showing
    /// it is kept in any case).
    fn expires(&self) -> Duration {
        match self.slot {
            Slot::Failed { .. } => self.asked + FORGET_FAILED,
            _ => self.asked + UNUSED,
        }
    }
}

/// Pictures asked for, by request; QR codes, by text.
#[derive(Resource)]
pub struct Pictures {
    loader: Option<ImageLoader>,
    slots: HashMap<ImageRequest, Entry>,
    qr_codes: HashMap<String, (Option<Handle<Image>>, Duration)>,
    /// The time now (uptime), set each frame.
    now: Duration,
}

/// Changed (in bevy's sense) when a picture arrived: each screen that
/// shows pictures redraws then.
#[derive(Resource, Default)]
pub struct PicturesArrived(pub bool);

/// Whether an entity (or anything but the cache) holds `handle`.
fn in_use(handle: &Handle<Image>) -> bool {
    match handle {
        Handle::Strong(arc) => std::sync::Arc::strong_count(arc) > 1,
        Handle::Uuid(..) => true,
    }
}

impl Pictures {
    /// `loader`: `None` where pictures cannot be fetched (headless tests).
    pub fn new(loader: Option<ImageLoader>) -> Pictures {
        Pictures {
            loader,
            slots: HashMap::new(),
            qr_codes: HashMap::new(),
            now: Duration::ZERO,
        }
    }

    /// The picture at `url`, at most `width` × `height` physical pixels;
    /// `None` while it loads or if it cannot be had.
    pub fn get(&mut self, url: &str, width: u32, height: u32) -> Option<Handle<Image>> {
        let request = ImageRequest {
            url: url.to_string(),
            max_width: width,
            max_height: height,
        };
        let now = self.now;
        if let Some(entry) = self.slots.get_mut(&request) {
            entry.asked = now;
            return match &entry.slot {
                Slot::Ready { handle, .. } => Some(handle.clone()),
                Slot::Loading { .. } | Slot::Failed { .. } => None,
            };
        }
        let slot = if self.send(&request) {
            Slot::Loading { wait: RETRY }
        } else {
            Slot::Failed {
                retry_at: now + RETRY,
                wait: RETRY,
            }
        };
        self.slots.insert(request, Entry { slot, asked: now });
        None
    }

    fn send(&self, request: &ImageRequest) -> bool {
        self.loader
            .as_ref()
            .is_some_and(|loader| loader.load(request.clone()))
    }

    /// How many pictures are still on their way.
    pub fn pending(&self) -> usize {
        self.slots
            .values()
            .filter(|entry| matches!(entry.slot, Slot::Loading { .. }))
            .count()
    }

    /// How many pictures and QR codes are kept.
    #[cfg(test)]
    pub(super) fn kept(&self) -> (usize, usize) {
        (self.slots.len(), self.qr_codes.len())
    }

    /// A QR code of `text` (sharp at any size); `None` if too long for one.
    pub fn qr(&mut self, text: &str, images: &mut Assets<Image>) -> Option<Handle<Image>> {
        let now = self.now;
        let entry = self.qr_codes.entry(text.to_string()).or_insert_with(|| {
            let handle = QrMatrix::encode(text).map(|matrix| {
                let (side, rgba) = matrix.to_rgba(1);
                let mut image = rgba_image(side as u32, side as u32, rgba);
                // One pixel a module, scaled up without blurring.
                image.sampler = ImageSampler::nearest();
                images.add(image)
            });
            (handle, now)
        });
        entry.1 = now;
        entry.0.clone()
    }

    /// Takes the worker's results in; returns whether any arrived.
    fn receive(&mut self, images: &mut Assets<Image>) -> bool {
        let Some(loader) = &self.loader else {
            return false;
        };
        let results: Vec<ImageResult> = loader.results.try_iter().collect();
        let arrived = !results.is_empty();
        let now = self.now;
        for result in results {
            let (request, outcome) = match result {
                ImageResult::Ready(request, picture) => (request, Ok(picture)),
                ImageResult::Failed(request, _) => (request, Err(())),
            };
            // A result for a picture let go meanwhile is let go too.
            let Some(entry) = self.slots.get_mut(&request) else {
                continue;
            };
            entry.slot = match (outcome, &entry.slot) {
                (Ok(picture), _) => Slot::Ready {
                    handle: images.add(rgba_image(picture.width, picture.height, picture.rgba)),
                    loaded: now,
                    refreshing: false,
                },
                // A refresh that failed keeps the picture up, until the
                // next refresh.
                (Err(()), Slot::Ready { handle, .. }) => Slot::Ready {
                    handle: handle.clone(),
                    loaded: now,
                    refreshing: false,
                },
                (Err(()), Slot::Failed { wait, .. } | Slot::Loading { wait }) => {
                    Slot::failed(now, *wait)
                }
            };
        }
        arrived
    }

    /// Retries what failed, refreshes what is old, lets go of what nobody
    /// shows; returns when it next has something to do.
    fn tidy(&mut self) -> Option<Duration> {
        let now = self.now;
        self.slots.retain(|_, entry| {
            let shown = matches!(&entry.slot, Slot::Ready { handle, .. } if in_use(handle));
            shown || matches!(entry.slot, Slot::Loading { .. }) || now < entry.expires()
        });
        self.qr_codes.retain(|_, (handle, asked)| {
            handle.as_ref().is_some_and(in_use) || now < *asked + UNUSED
        });
        let mut due = Vec::new();
        let mut next: Option<Duration> = None;
        for (request, entry) in &self.slots {
            let at = match entry.slot {
                Slot::Failed { retry_at, .. } => retry_at,
                Slot::Ready {
                    loaded,
                    refreshing: false,
                    ..
                } => loaded + REFRESH,
                _ => continue,
            };
            if at <= now {
                due.push(request.clone());
            } else {
                next = Some(next.map_or(at, |next| next.min(at)));
            }
        }
        for request in due {
            let sent = self.send(&request);
            let entry = self.slots.get_mut(&request).expect("just listed");
            match &mut entry.slot {
                Slot::Ready { refreshing, .. } if sent => *refreshing = true,
                Slot::Failed { wait, .. } if sent => entry.slot = Slot::Loading { wait: *wait },
                Slot::Ready { loaded, .. } => *loaded = now,
                Slot::Failed { wait, .. } => entry.slot = Slot::failed(now, *wait),
                Slot::Loading { .. } => {}
            }
        }
        // Unused ones are looked at again when they would expire.
        let unused = self.slots.values().map(Entry::expires);
        let unused = unused.chain(self.qr_codes.values().map(|(_, asked)| *asked + UNUSED));
        unused.filter(|at| *at > now).chain(next).min()
    }
}

pub(super) fn plugin(loader: Option<ImageLoader>) -> impl Plugin {
    let pictures = std::sync::Mutex::new(Some(Pictures::new(loader)));
    move |app: &mut App| {
        let pictures = pictures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("the pictures plugin is added once");
        app.insert_resource(pictures)
            .init_resource::<PicturesArrived>()
            .add_systems(Update, receive_pictures.in_set(AppSystems::Receive))
            .add_systems(
                Update,
                keep_only_named
                    .run_if(resource_changed::<Content>)
                    .in_set(AppSystems::Notice),
            );
    }
}

/// A new snapshot: the disk keeps only the pictures it names (and the
/// site's logo); the rest would wait a month for nothing.
fn keep_only_named(content: Res<Content>, config: Res<KioskConfig>, pictures: Res<Pictures>) {
    let Some(loader) = &pictures.loader else {
        return;
    };
    let logo = config.site.logo.as_ref().map(|path| logo_url(path));
    let named = content.picture_urls().map(str::to_string).chain(logo);
    loader.keep_only(named.collect());
}

/// The URL the site's logo file is asked for by.
pub fn logo_url(path: &std::path::Path) -> String {
    format!("file:{}", path.display())
}

fn receive_pictures(
    mut pictures: ResMut<Pictures>,
    mut images: ResMut<Assets<Image>>,
    mut arrived: ResMut<PicturesArrived>,
    uptime: Res<Uptime>,
    wake: Res<WakeAt>,
    mut next_tidy: Local<Duration>,
) {
    let pictures = pictures.bypass_change_detection();
    pictures.now = uptime.now();
    let received = pictures.receive(&mut images);
    if received {
        arrived.0 = true;
    }
    if received || pictures.now >= *next_tidy {
        let next = pictures.tidy().unwrap_or(pictures.now + UNUSED);
        // At least a second apart: tidying is not free.
        *next_tidy = next.max(pictures.now + Duration::from_secs(1));
        wake.at(uptime.instant(*next_tidy));
    }
}

fn rgba_image(width: u32, height: u32, rgba: Vec<u8>) -> Image {
    Image::new(
        Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        rgba,
        TextureFormat::Rgba8UnormSrgb,
        // Drawn, never read back: only the render world keeps the pixels
        // (the size stays for layout), one copy instead of two.
        RenderAssetUsages::RENDER_WORLD,
    )
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use super::*;

    use portalavoro_core::hub::images::sample_png as png;

    /// Pictures whose hub answers with `answer` (a picture's bytes, or an
    /// error), counting the fetches.
    /// What the fake hub answers.
    type Answer = Arc<Mutex<Result<Vec<u8>, String>>>;

    fn pictures() -> (Pictures, Arc<AtomicUsize>, Answer) {
        let fetches = Arc::new(AtomicUsize::new(0));
        let answer = Arc::new(Mutex::new(Err("offline".to_string())));
        let (count, reply) = (fetches.clone(), answer.clone());
        let loader = ImageLoader::start(
            Box::new(move |_: &str| {
                count.fetch_add(1, Ordering::SeqCst);
                reply.lock().unwrap().clone()
            }),
            None,
            Box::new(|| {}),
        );
        (Pictures::new(Some(loader)), fetches, answer)
    }

    /// Waits for the worker's next result and takes it in.
    fn settle(pictures: &mut Pictures, images: &mut Assets<Image>) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !pictures.receive(images) {
            assert!(std::time::Instant::now() < deadline, "no result");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Takes results in until nothing is being fetched (a refresh and a
    /// retry may be on their way at once, in either order).
    fn settle_all(pictures: &mut Pictures, images: &mut Assets<Image>) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let fetching = |pictures: &Pictures| {
            pictures.slots.values().any(|entry| {
                matches!(
                    entry.slot,
                    Slot::Loading { .. }
                        | Slot::Ready {
                            refreshing: true,
                            ..
                        }
                )
            })
        };
        while fetching(pictures) {
            assert!(std::time::Instant::now() < deadline, "no result");
            pictures.receive(images);
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn at(pictures: &mut Pictures, secs: u64) {
        pictures.now = Duration::from_secs(secs);
    }

    #[test]
    fn a_picture_that_failed_is_asked_for_again_later_and_later() {
        let (mut pictures, fetches, answer) = pictures();
        let mut images = Assets::<Image>::default();
        assert_eq!(pictures.get("https://hub/a.png", 100, 100), None);
        settle(&mut pictures, &mut images);
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        // Not before a minute; then again, failing: two minutes, four...
        at(&mut pictures, 59);
        assert_eq!(pictures.tidy(), Some(Duration::from_secs(60)));
        at(&mut pictures, 60);
        pictures.tidy();
        settle(&mut pictures, &mut images);
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        at(&mut pictures, 179);
        assert_eq!(pictures.tidy(), Some(Duration::from_secs(180)));
        at(&mut pictures, 180);
        pictures.tidy();
        settle(&mut pictures, &mut images);
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
        at(&mut pictures, 181);
        assert_eq!(pictures.tidy(), Some(Duration::from_secs(420)));
        // The hub is back: the fourth try shows it.
        *answer.lock().unwrap() = Ok(png(40, 20));
        at(&mut pictures, 420);
        pictures.get("https://hub/a.png", 100, 100);
        pictures.tidy();
        settle(&mut pictures, &mut images);
        assert_eq!(fetches.load(Ordering::SeqCst), 4);
        let handle = pictures.get("https://hub/a.png", 100, 100).unwrap();
        assert_eq!(images.get(&handle).unwrap().width(), 40);

        // One that keeps failing is still asked for a day after a screen
        // last asked for it (its placeholder may be up all along), then
        // forgotten.
        *answer.lock().unwrap() = Err("offline".into());
        pictures.get("https://hub/b.png", 100, 100);
        settle(&mut pictures, &mut images);
        at(&mut pictures, 420 + 86_399);
        pictures.tidy();
        settle_all(&mut pictures, &mut images);
        assert!(pictures.kept().0 == 2, "asked for again, not forgotten");
        at(&mut pictures, 420 + 86_400);
        pictures.tidy();
        assert_eq!(
            pictures.kept().0,
            1,
            "forgotten a day after it was asked for"
        );
    }

    #[test]
    fn a_picture_shown_for_six_hours_is_fetched_again_and_replaced_in_place() {
        let (mut pictures, fetches, answer) = pictures();
        let mut images = Assets::<Image>::default();
        *answer.lock().unwrap() = Ok(png(40, 20));
        pictures.get("https://hub/a.png", 100, 100);
        settle(&mut pictures, &mut images);
        let old = pictures.get("https://hub/a.png", 100, 100).unwrap();

        // Replaced on the hub at the same URL.
        *answer.lock().unwrap() = Ok(png(30, 30));
        at(&mut pictures, REFRESH.as_secs() - 1);
        pictures.get("https://hub/a.png", 100, 100);
        pictures.tidy();
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        at(&mut pictures, REFRESH.as_secs());
        pictures.tidy();
        assert_eq!(
            pictures.get("https://hub/a.png", 100, 100),
            Some(old.clone()),
            "the old one stays up meanwhile"
        );
        settle(&mut pictures, &mut images);
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        let new = pictures.get("https://hub/a.png", 100, 100).unwrap();
        assert_ne!(new, old);
        assert_eq!(images.get(&new).unwrap().width(), 30);

        // A refresh that fails keeps the picture up.
        *answer.lock().unwrap() = Err("offline".into());
        at(&mut pictures, 2 * REFRESH.as_secs());
        pictures.get("https://hub/a.png", 100, 100);
        pictures.tidy();
        settle(&mut pictures, &mut images);
        assert_eq!(pictures.get("https://hub/a.png", 100, 100), Some(new));
    }

    #[test]
    fn pictures_and_qr_codes_nobody_shows_are_let_go() {
        let (mut pictures, _, answer) = pictures();
        // The asset store as the app runs it: images nobody holds are
        // dropped at each update.
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, bevy::asset::AssetPlugin::default()))
            .init_asset::<Image>();
        *answer.lock().unwrap() = Ok(png(8, 8));
        // A year of daily news, each with its picture and link, one day at
        // a time; the first day's picture stays on screen all along (its
        // screen redrawn each day, as when a refreshed copy arrives).
        let mut on_screen = None;
        for day in 0..365u64 {
            app.update();
            let mut images = app.world_mut().resource_mut::<Assets<Image>>();
            at(&mut pictures, day * 86_400);
            pictures.get(&format!("https://hub/{day}.png"), 100, 100);
            pictures.qr(&format!("https://hub/news/{day}"), &mut images);
            settle(&mut pictures, &mut images);
            on_screen = pictures.get("https://hub/0.png", 100, 100).or(on_screen);
            pictures.tidy();
            if day > 0 {
                // The refresh of the one on screen.
                settle(&mut pictures, &mut images);
                on_screen = pictures.get("https://hub/0.png", 100, 100).or(on_screen);
            }
        }
        assert_eq!(pictures.kept(), (2, 1), "today's, and the one on screen");
        app.update();
        let images = app.world().resource::<Assets<Image>>();
        assert!(images.len() <= 3, "{} images kept", images.len());
        assert!(on_screen.is_some());
        drop(on_screen);
        at(&mut pictures, 366 * 86_400);
        pictures.tidy();
        assert_eq!(pictures.kept(), (0, 0));
    }
}
