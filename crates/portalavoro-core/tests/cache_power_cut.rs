//! A power cut at any moment leaves the old or the new cache copy, never a
//! broken one. Simulated by killing (SIGKILL) a process that rewrites the
//! cache in a tight loop, at random moments, many times over.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use jiff::Timestamp;
use portalavoro_core::hub::{Cache, CachedBody};

const DIR_VAR: &str = "KIOSK_CACHE_WRITER_DIR";
const HUB: &str = "https://hub.example.org/api/v1";

/// The two bodies the writer alternates between: small and about 2 MiB.
fn bodies() -> [Vec<u8>; 2] {
    let small = br#"{"items": [{"id": "a"}]}"#.to_vec();
    let mut large = br#"{"items": [], "pad": ""#.to_vec();
    large.extend(std::iter::repeat_n(b'x', 2 << 20));
    large.extend_from_slice(b"\"}");
    [small, large]
}

/// Run as a child process by the test below; never returns.
#[test]
#[ignore = "a helper process for the power-cut test"]
fn cache_writer_child() {
    let Some(dir) = std::env::var_os(DIR_VAR) else {
        return;
    };
    let cache = Cache::open(&PathBuf::from(dir), HUB).unwrap();
    let bodies = bodies();
    for i in 0u64.. {
        let entry = CachedBody {
            body: bodies[(i % 2) as usize].clone(),
            etag: Some(format!("\"{i}\"")),
            fetched_at: Timestamp::now(),
        };
        cache.store("vacancies", &entry).unwrap();
    }
}

#[test]
fn killing_the_writer_at_any_moment_never_leaves_a_broken_file() {
    let dir = std::env::temp_dir().join(format!("kiosk-power-cut-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let bodies = bodies();
    let mut survived = 0;
    for round in 0..40 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "cache_writer_child",
                "--ignored",
                "--test-threads=1",
            ])
            .env(DIR_VAR, &dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + fastrand::u64(0..80)));
        child.kill().unwrap(); // SIGKILL: no destructor, no flush
        child.wait().unwrap();

        let cache = Cache::open(&dir, HUB).unwrap();
        match cache.load("vacancies") {
            Ok(Some(entry)) => {
                assert!(
                    bodies.contains(&entry.body),
                    "round {round}: a body that was never written"
                );
                survived += 1;
            }
            Ok(None) => assert_eq!(survived, 0, "round {round}: the file vanished"),
            Err(err) => panic!("round {round}: {err}"),
        }
        cache.sweep_temp_files();
    }
    assert!(
        survived >= 35,
        "the writer rarely got a file written: {survived}/40"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
