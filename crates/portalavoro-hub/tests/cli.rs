//! The `portalavoro-hub` binary as an administrator uses it: hub.toml, the
//! admin commands, serving, and stopping on SIGTERM.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_portalavoro-hub");

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hub-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn hub(config: &Path, args: &str, stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .arg("--config")
        .arg(config)
        .args(args.split_whitespace())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn failed(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "should fail: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or("")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn an_administrator_sets_up_a_hub_from_the_command_line_and_serves_it() {
    let dir = scratch();
    let port = free_port();
    let config = dir.join("hub.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nlisten = \"127.0.0.1:{port}\"\n\n[hub]\nstate_dir = \"{}\"\n",
            dir.join("state").display()
        ),
    )
    .unwrap();

    let checked = ok(&hub(&config, "--check-config", None));
    assert!(
        checked.contains(": OK") && checked.contains("SQLite"),
        "{checked}"
    );

    ok(&hub(
        &config,
        "site add matera --name Portalavoro_Matera",
        None,
    ));
    ok(&hub(
        &config,
        "site add policoro --name Policoro --hub matera",
        None,
    ));
    let err = failed(&hub(
        &config,
        "site add scanzano --name S --hub policoro",
        None,
    ));
    assert!(err.contains("itself a spoke"), "{err}");
    let err = failed(&hub(&config, "site add matera --name Again", None));
    assert!(err.contains("exists already"), "{err}");

    let added = ok(&hub(&config, "kiosk add totem-1 --site matera", None));
    let kiosk_token = last_line(&added).to_string();
    assert!(
        kiosk_token.len() == 64 && kiosk_token.chars().all(|c| c.is_ascii_hexdigit()),
        "{added}"
    );
    let err = failed(&hub(&config, "kiosk add totem-2 --site bari", None));
    assert!(err.contains("no site \"bari\""), "{err}");
    let staff = ok(&hub(&config, "token add desk --role staff", None));
    let staff_token = last_line(&staff).to_string();
    assert_eq!(staff_token.len(), 64);
    assert_ne!(staff_token, kiosk_token);

    let err = failed(&hub(&config, "user add anna --role staff", Some("short\n")));
    assert!(err.contains("10 characters"), "{err}");
    ok(&hub(
        &config,
        "user add anna --role staff",
        Some("una frase lunga abbastanza\n"),
    ));

    let csv = dir.join("vacancies.csv");
    std::fs::write(
        &csv,
        "id,title,posted_at\nv1,Saldatore,2026-11-30\nv2,,2026-11-30\n",
    )
    .unwrap();
    let report = ok(&hub(
        &config,
        &format!("vacancies import {} --dry-run", csv.display()),
        None,
    ));
    assert!(
        report.contains("\"imported\": 1") && report.contains("\"row\": 3"),
        "{report}"
    );
    let backup = dir.join("backup.sqlite");
    ok(&hub(&config, &format!("backup {}", backup.display()), None));
    assert!(std::fs::metadata(&backup).unwrap().len() > 0);

    // A broken hub.toml names the file, the line and the key.
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[server]\nlisten = \"127.0.0.1:8080\"\nport = 9\n").unwrap();
    let err = failed(&hub(&broken, "--check-config", None));
    assert!(
        err.contains("broken.toml") && err.contains("line 3") && err.contains("port"),
        "{err}"
    );

    // Serve; the kiosk token reads, the revoked one no more; SIGTERM stops.
    let mut server = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let deadline = Instant::now() + Duration::from_secs(10);
    while agent.get(&format!("{base}/health")).call().is_err() {
        assert!(Instant::now() < deadline, "the hub does not answer");
        std::thread::sleep(Duration::from_millis(100));
    }
    let news = |token: &str| {
        agent
            .get(&format!("{base}/news"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(news(&kiosk_token), 200);
    ok(&hub(&config, "kiosk revoke totem-1", None));
    assert_eq!(news(&kiosk_token), 401);
    unsafe { libc_kill(server.id() as i32, 15) };
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, signal: i32) -> i32;
}
