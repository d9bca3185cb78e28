//! Pictures through the real client from the dev hub: decoded and scaled
//! on the worker thread, kept on disk, failures reported and not fatal.

#[path = "../../../examples/hub-dev/server.rs"]
mod server;

use std::io::Cursor;
use std::time::Duration;

use portalavoro_core::config::{self, Env};
use portalavoro_core::hub::HubClient;
use portalavoro_core::hub::images::{ImageLoader, ImageRequest, ImageResult};
use server::{DataSource, DevHub, Options};

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    // A smooth gradient: a realistic size on the wire for a photo this big.
    let pixels: Vec<u8> = (0..height)
        .flat_map(|y| {
            (0..width).flat_map(move |x| [(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        })
        .collect();
    let mut out = Vec::new();
    image::write_buffer_with_format(
        &mut Cursor::new(&mut out),
        &pixels,
        width,
        height,
        image::ColorType::Rgb8,
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    out
}

#[test]
fn a_big_photo_arrives_scaled_and_is_cached_and_a_broken_one_fails() {
    let hub = DevHub::start(Options {
        data: DataSource::Files(vec![]),
        kiosk_token: None,
        staff_token: None,
        timezone: config::default_timezone(),
        port: 0,
    })
    .unwrap();
    hub.set_media("piazza.jpg", jpeg(6000, 4000));
    hub.set_media("broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg".to_vec());

    let dir = std::env::temp_dir().join(format!("kiosk-images-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("kiosk.toml"),
        format!("[hub]\nurl = \"{}\"\n", hub.url()),
    )
    .unwrap();
    let config = config::load(&dir.join("kiosk.toml"), &Env::default()).unwrap();
    let client = HubClient::new(config.hub.as_ref().unwrap()).unwrap();
    let fetch = Box::new(move |url: &str| client.get_bytes(url).map_err(|e| e.to_string()));
    let loader = ImageLoader::start(fetch, Some(dir.join("images")), Box::new(|| {}));

    let request = |name: &str| ImageRequest {
        url: format!("{}/media/{name}", hub.url()),
        max_width: 1080,
        max_height: 720,
    };
    let receive = || {
        loader
            .results
            .recv_timeout(Duration::from_secs(30))
            .expect("a result")
    };

    assert!(loader.load(request("piazza.jpg")));
    match receive() {
        ImageResult::Ready(_, picture) => assert_eq!((picture.width, picture.height), (1080, 720)),
        other => panic!("{other:?}"),
    }
    assert!(loader.load(request("broken.jpg")));
    assert!(matches!(receive(), ImageResult::Failed(_, _)));
    assert!(loader.load(request("missing.jpg")));
    match receive() {
        ImageResult::Failed(_, reason) => assert!(reason.contains("404"), "{reason}"),
        other => panic!("{other:?}"),
    }

    // The second time it comes from the disk, not the hub.
    let asked = hub
        .seen()
        .iter()
        .filter(|s| s.url == "/media/piazza.jpg")
        .count();
    assert!(loader.load(request("piazza.jpg")));
    assert!(matches!(receive(), ImageResult::Ready(_, p) if p.width == 1080));
    assert_eq!(
        hub.seen()
            .iter()
            .filter(|s| s.url == "/media/piazza.jpg")
            .count(),
        asked
    );
    let _ = std::fs::remove_dir_all(&dir);
}
