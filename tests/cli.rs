//! The binary's command line, run as a technician would.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kiosk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portalavoro-kiosk"))
        .args(args)
        .env_remove("CREDENTIALS_DIRECTORY")
        .output()
        .expect("the binary runs")
}

fn scratch_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiosk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_shipped_config_checks_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/kiosk.toml");
    let out = kiosk(&["--config", path, "--check-config"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid"));
}

#[test]
fn a_broken_config_exits_2_naming_file_line_column_and_key() {
    let path = scratch_file(
        "typo.toml",
        "[hub]\nurl = \"https://hub.example.org\"\n\n[display]\nlangauge = \"en\"\n",
    );
    let out = kiosk(&["--config", path.to_str().unwrap(), "--check-config"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:5:1: display.langauge: unknown field",
            path.display()
        )),
        "{stderr}"
    );

    let path = scratch_file(
        "range.toml",
        "[hub]\nurl = \"https://hub.example.org\"\nheartbeat_s = 2\n",
    );
    let out = kiosk(&["--config", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "running with a broken config does not start"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":3:15: hub.heartbeat_s: 2 is out of range: allowed 10..=86400"),
        "{stderr}"
    );
}

#[test]
fn a_missing_config_file_is_a_clear_error() {
    let out = kiosk(&["--config", "/nonexistent/kiosk.toml", "--check-config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/kiosk.toml"));
}

#[test]
fn version_help_and_bad_arguments() {
    let out = kiosk(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        concat!("portalavoro-kiosk ", env!("CARGO_PKG_VERSION"))
    );
    let out = kiosk(&["--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--check-config"));
    let out = kiosk(&["--fullscreen"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage:"));
}

#[test]
fn hash_pin_prints_a_salted_hash_that_check_config_accepts_and_warns_of_the_old_one() {
    let hash = |input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_portalavoro-kiosk"))
            .arg("--hash-pin")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = hash("2468\n");
    assert_eq!(out.status.code(), Some(0));
    let phc = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(phc.starts_with("$argon2id$"), "{phc}");
    assert!(
        portalavoro_core::diagnostics::PinHash::argon2id(&phc)
            .unwrap()
            .matches("2468")
    );
    let out = hash("24\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 to 12 digits"));

    let path = scratch_file(
        "pin.toml",
        &format!("[diagnostics]\npin_hash = \"{phc}\"\n"),
    );
    let out = kiosk(&["--config", path.to_str().unwrap(), "--check-config"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));

    let sha = portalavoro_core::diagnostics::sha256_hex("2468");
    let path = scratch_file(
        "legacy-pin.toml",
        &format!("[diagnostics]\npin_sha256 = \"{sha}\"\n"),
    );
    let out = kiosk(&["--config", path.to_str().unwrap(), "--check-config"]);
    assert_eq!(out.status.code(), Some(0), "an upgrade locks no one out");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: diagnostics.pin_sha256") && stderr.contains("--hash-pin"),
        "{stderr}"
    );
}

#[test]
fn under_systemd_a_broken_config_runs_on_the_last_valid_copy() {
    use std::io::{BufRead, BufReader};
    let state = std::env::temp_dir().join(format!("kiosk-cli-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).unwrap();
    let broken = scratch_file("broken-run.toml", "[attract]\nidle_timeout_s = 5\n");
    let run = |state: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_portalavoro-kiosk"))
            .args(["--config", broken.to_str().unwrap()])
            .env("STATE_DIRECTORY", state)
            .env_remove("CREDENTIALS_DIRECTORY")
            // No display: only the start-up decision matters here.
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };

    // No valid copy yet: exit 2 at once (the unit does not restart on 2).
    let out = run(&state).wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    // With one: it starts on the copy, and says so.
    let said = |copy: &str, until: &str| {
        std::fs::write(state.join("last-valid-kiosk.toml"), copy).unwrap();
        let mut child = run(&state);
        let mut said = String::new();
        for line in BufReader::new(child.stderr.take().unwrap()).lines() {
            let line = line.unwrap();
            said.push_str(&line);
            said.push('\n');
            if line.contains(until) {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        said
    };
    let with_hub =
        "[hub]\nurl = \"https://hub.example.org\"\n[site]\nname = \"Portalavoro Matera\"\n";
    let said_with_hub = said(with_hub, "running on the last valid configuration");
    assert!(
        said_with_hub.contains(&format!(
            "CONFIGURATION ERROR: {}:2:18: attract.idle_timeout_s",
            broken.display()
        )),
        "{said_with_hub}"
    );
    assert!(
        said_with_hub.contains("running on the last valid configuration"),
        "{said_with_hub}"
    );
    // A copy that names no hub would show the demo: out of service instead.
    let demo = "[site]\nname = \"Portalavoro Matera\"\n";
    let said_demo = said(demo, "OUT OF SERVICE");
    assert!(said_demo.contains("OUT OF SERVICE"), "{said_demo}");
    assert!(
        !said_demo.contains("showing the bundled demo content"),
        "{said_demo}"
    );
}

#[test]
fn update_source_answers_the_image_in_its_window_and_says_why_not_outside() {
    let config = scratch_file(
        "updates.toml",
        "[hub]\nurl = \"https://hub.example.org\"\n[display]\ntimezone = \"Europe/Rome\"\n\
         [updates]\nchannel = \"pilot\"\nwindow = \"01:30-04:00\"\n",
    );
    let config = config.to_str().unwrap();
    let at = |time: &str| kiosk(&["--config", config, "--update-source", "--at", time]);
    let inside = at("2026-12-06T01:30");
    assert_eq!(inside.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&inside.stdout),
        "https://hub.example.org/updates/pilot/\n"
    );
    let outside = at("2026-12-06T14:05");
    assert_eq!(outside.status.code(), Some(1));
    assert!(outside.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&outside.stderr)
            .contains("outside the update window 01:30-04:00 (now 14:05)"),
        "{}",
        String::from_utf8_lossy(&outside.stderr)
    );
    // A broken file with no valid copy: no update, and the reason.
    let broken = scratch_file("updates-broken.toml", "[updates]\nwindow = \"tonight\"\n");
    let out = kiosk(&["--config", broken.to_str().unwrap(), "--update-source"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("updates.window"));
}
