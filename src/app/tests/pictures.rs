//! Pictures: what the disk keeps follows what the content names.

use super::*;
use portalavoro_core::content::News;
use portalavoro_core::hub::images::{ImageLoader, ImageRequest, ImageResult, sample_png};
use std::time::Duration;

fn news_with_picture(id: &str, url: &str) -> News {
    News {
        id: id.into(),
        title: ContentText::Plain(id.into()),
        summary: None,
        body: None,
        image_url: Some(url.into()),
        published_at: "2026-11-01T00:00:00Z".parse().unwrap(),
        expires_at: None,
        link: None,
    }
}

/// The sides of each picture kept in `dir` (each URL is served at its
/// own size, so a file's size tells whose it is).
fn kept_sides(dir: &std::path::Path) -> Vec<u32> {
    let mut sides: Vec<u32> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".png"))
        .map(|entry| image::image_dimensions(entry.path()).unwrap().0)
        .collect();
    sides.sort_unstable();
    sides.dedup();
    sides
}

#[test]
fn a_new_snapshot_leaves_on_disk_only_the_pictures_it_names() {
    const STAYS: &str = "https://hub.example.org/stays.png";
    const DROPPED: &str = "https://hub.example.org/dropped.png";
    let dir = std::env::temp_dir().join(format!("kiosk-pictures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let serve = |url: &str| match url {
        STAYS => Ok(sample_png(7, 7)),
        DROPPED => Ok(sample_png(9, 9)),
        other => Err(format!("{other}: not here")),
    };
    let loader = ImageLoader::start(Box::new(serve), Some(dir.clone()), Box::new(|| {}));
    for url in [STAYS, DROPPED] {
        let request = ImageRequest {
            url: url.into(),
            max_width: 50,
            max_height: 50,
        };
        assert!(loader.load(request));
        let done = loader.results.recv_timeout(Duration::from_secs(10));
        assert!(matches!(done, Ok(ImageResult::Ready(..))), "{done:?}");
    }
    assert_eq!(kept_sides(&dir), [7, 9]);

    let mut catalog = Catalog::default();
    catalog.apply(FeedData::News(vec![
        news_with_picture("a", STAYS),
        news_with_picture("b", DROPPED),
    ]));
    let speech = portalavoro_core::speech::Speech::unavailable("headless test");
    let (mut app, snapshots) = asleep_with(
        Arc::new(catalog.clone()),
        "",
        test_clock(),
        speech,
        Some(loader),
        &Env::default(),
    );
    app.update();

    // The hub drops the news with the second picture.
    catalog.apply(FeedData::News(vec![news_with_picture("a", STAYS)]));
    snapshots.send(Arc::new(catalog)).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while kept_sides(&dir).contains(&9) {
        assert!(
            std::time::Instant::now() < deadline,
            "the dropped picture stays on disk"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(kept_sides(&dir), [7], "the named picture stays");
    drop(app);
    std::fs::remove_dir_all(&dir).unwrap();
}
