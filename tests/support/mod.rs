//! Shared by the tests that run the real binary on a virtual screen.
#![allow(dead_code)] // each test file uses its own share of these

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An X server of its own, on a free display number.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    /// Xvfb picks a free display itself and prints its number when ready
    /// (`-displayfd`), so parallel tests cannot race for one.
    pub fn start(width: u32, height: u32) -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                &format!("{width}x{height}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is installed (apt-get install xvfb)");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        let number = line.trim();
        assert!(
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
            "Xvfb said {line:?}"
        );
        Xvfb {
            child,
            display: format!(":{number}"),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The kiosk process, killed if the test fails half-way.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn screenshot(display: &str, path: &Path) {
    let status = Command::new("import")
        .args([
            "-display",
            display,
            "-window",
            "root",
            path.to_str().unwrap(),
        ])
        .status()
        .expect("ImageMagick's import is installed (apt-get install imagemagick)");
    assert!(status.success(), "import failed");
}

/// Black-on-white versions of a screenshot for tesseract: light text on a
/// dark or coloured background, and dark text on a light one (buttons).
pub fn ocr_inputs(path: &Path) -> [PathBuf; 2] {
    let gray = image::open(path).unwrap().to_luma8();
    [("light", true), ("dark", false)].map(|(kind, light_text)| {
        let mut prepared = gray.clone();
        for pixel in prepared.pixels_mut() {
            let light = pixel.0[0] > 128;
            pixel.0[0] = if light == light_text { 0 } else { 255 };
        }
        let out = path.with_extension(format!("{kind}.png"));
        prepared.save(&out).unwrap();
        out
    })
}

pub fn tesseract(path: &Path, format: &[&str]) -> String {
    let out = Command::new("tesseract")
        .args([path.to_str().unwrap(), "stdout", "-l", "ita+eng"])
        .args(format)
        .stderr(Stdio::null())
        .output()
        .expect("tesseract is installed (apt-get install tesseract-ocr tesseract-ocr-ita)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text on screen, in any colour. Read twice: as a page (columns and
/// blocks) and as one uniform block, which finds a label alone in a box
/// that page analysis takes for a picture.
pub fn ocr(path: &Path) -> String {
    ocr_inputs(path)
        .iter()
        .flat_map(|p| [tesseract(p, &[]), tesseract(p, &["--psm", "6"])])
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screenshot is the whole screen, `colour` fills its corners, and it
/// is not blank: a good share of it is something else.
pub fn assert_covers(path: &Path, size: (u32, u32), colour: [u8; 3]) {
    let image = image::open(path).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), size);
    let (width, height) = size;
    let near = |p: &image::Rgb<u8>| p.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 3);
    for (x, y) in [
        (1, 1),
        (width - 2, 1),
        (1, height - 2),
        (width - 2, height - 2),
    ] {
        assert!(
            near(image.get_pixel(x, y)),
            "corner ({x},{y}) is {:?}",
            image.get_pixel(x, y)
        );
    }
    let drawn = image.pixels().filter(|p| !near(p)).count();
    let share = drawn as f64 / (width * height) as f64;
    assert!(
        share > 0.03,
        "only {:.1}% of the screen differs from the background",
        share * 100.0
    );
}

/// Where OCR reads `word` on a screenshot: the centre of its first
/// occurrence, in either colour (tesseract's TSV gives each word's box;
/// the dark text is read only when the light has no such word).
pub fn find_word(path: &Path, word: &str) -> Option<(u32, u32)> {
    ocr_inputs(path).iter().find_map(|input| {
        words_of(input)
            .into_iter()
            .find(|(text, _)| text == word)
            .map(|(_, at)| at)
    })
}

/// Every word OCR reads on a screenshot, light text first, then dark, each
/// with the centre of its box.
pub fn words(path: &Path) -> Vec<(String, (u32, u32))> {
    ocr_inputs(path)
        .iter()
        .flat_map(|input| words_of(input))
        .collect()
}

/// The words of one prepared OCR input, with the centres of their boxes.
fn words_of(input: &Path) -> Vec<(String, (u32, u32))> {
    tesseract(input, &["tsv"])
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            // level page block par line word left top width height conf text
            if fields.len() < 12 || fields[11].trim().is_empty() {
                return None;
            }
            let number = |i: usize| fields[i].parse::<u32>().ok();
            let (left, top, width, height) = (number(6)?, number(7)?, number(8)?, number(9)?);
            Some((
                fields[11].trim().to_string(),
                (left + width / 2, top + height / 2),
            ))
        })
        .collect()
}

/// A helper process, killed when the test ends however it ends.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Headless Chromium (Debian's), driven by chromium-driver over WebDriver,
/// its window `width`×`height`, its profile in `profile`. The driver
/// process comes back too: it lives as long as the test keeps it.
pub fn chromium(
    runtime: &tokio::runtime::Runtime,
    profile: &Path,
    (width, height): (u32, u32),
) -> (Killed, fantoccini::Client) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Killed(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install chromium-driver)"),
    );
    wait_until("chromedriver", Duration::from_secs(20), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let client = runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", format!("--window-size={width},{height}"),
                         format!("--user-data-dir={}", profile.display())]
            }),
        );
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session")
    });
    (driver, client)
}

/// The kiosk binary on `xvfb`, fullscreen, as kiosk `id` of the hub at
/// `api` with `token`, in a folder of its own under `dir`; `settings`:
/// more of kiosk.toml (whole sections), after the rest.
pub fn kiosk(dir: &Path, api: &str, id: &str, token: &str, settings: &str, xvfb: &Xvfb) -> Running {
    let home = dir.join(id);
    let runtime = private_runtime(&home);
    std::fs::write(home.join("token"), token).unwrap();
    let config = home.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[hub]\nurl = \"{api}\"\nkiosk_id = \"{id}\"\ntoken_file = \"token\"\n\
             announcements_poll_s = 30\nheartbeat_s = 10\n[storage]\ncache_dir = \"cache\"\n\
             [display]\nfullscreen = true\n{settings}"
        ),
    )
    .unwrap();
    let log = std::fs::File::create(home.join("kiosk.log")).unwrap();
    Running(
        Command::new(env!("CARGO_BIN_EXE_portalavoro-kiosk"))
            .args(["--config", config.to_str().unwrap()])
            .env("DISPLAY", &xvfb.display)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("NOTIFY_SOCKET")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    )
}

/// `XDG_RUNTIME_DIR` for the kiosk: `dir/runtime`, a folder only its user
/// may enter.
pub fn private_runtime(dir: &Path) -> PathBuf {
    let runtime = dir.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    runtime
}
