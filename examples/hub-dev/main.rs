//! The development hub, for development and tests only (never deploy it:
//! `crates/` will hold the real hub server). Serves the hub contract from a
//! folder of JSON:
//!
//!     cargo run --release --example hub-dev -- --data assets/demo --port 8080 \
//!         --staff-token-file staff-token.txt
//!
//! Options:
//!   --data DIR               JSON folder (default: assets/demo)
//!   --port N                 port on 127.0.0.1 (default: 8080; 0 = any)
//!   --staff-token-file FILE  token for POST/DELETE /announcements, GET /kiosks
//!   --kiosk-token-file FILE  require this kiosk token (default: accept any,
//!                            with a warning)
//!   --fault-endpoint         let /_dev/faults switch faults over HTTP
//!   --timezone NAME          zone for moving bookings to the day asked (Europe/Rome)
//!   --fault PATH=MODE[:ARG]  misbehave on GET paths starting with PATH; modes:
//!                            status:CODE[:RETRY_AFTER_S], garbage, huge[:BYTES],
//!                            gzip-bomb, slow[:MS_PER_BYTE], drop, wrong-etag
//!
//! With --fault-endpoint, faults can also be switched at run time:
//!   curl -X POST localhost:8080/_dev/faults -d '{"path":"/news","mode":"status","status":503,"retry_after":30}'
//!   curl -X DELETE localhost:8080/_dev/faults

mod server;

use std::path::PathBuf;
use std::process::ExitCode;

use server::{DataSource, DevHub, Fault, Options};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hub-dev: {message}");
            ExitCode::from(2)
        }
    }
}

fn read_token(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|t| t.trim().to_string())
        .map_err(|err| format!("{path}: {err}"))
}

fn run() -> Result<(), String> {
    let mut data = PathBuf::from("assets/demo");
    let mut port = 8080;
    let mut staff_token = None;
    let mut kiosk_token = None;
    let mut timezone = "Europe/Rome".to_string();
    let mut faults = Vec::new();
    let mut fault_endpoint = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--data" => data = PathBuf::from(value()?),
            "--port" => port = value()?.parse().map_err(|_| "bad --port")?,
            "--staff-token-file" => staff_token = Some(read_token(&value()?)?),
            "--kiosk-token-file" => kiosk_token = Some(read_token(&value()?)?),
            "--timezone" => timezone = value()?,
            "--fault" => faults.push(Fault::parse(&value()?)?),
            "--fault-endpoint" => fault_endpoint = true,
            "--help" | "-h" => {
                println!("see the top of examples/hub-dev/main.rs, or README.md");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let timezone = jiff::tz::TimeZone::get(&timezone).map_err(|err| err.to_string())?;
    if kiosk_token.is_none() {
        eprintln!("hub-dev: no --kiosk-token-file: any kiosk token is accepted");
    }
    let hub = DevHub::start(Options {
        data: DataSource::Folder(data.clone()),
        kiosk_token,
        staff_token,
        timezone,
        port,
    })
    .map_err(|err| format!("{}: {err}", data.display()))?;
    for fault in faults {
        hub.add_fault(fault);
    }
    if fault_endpoint {
        hub.open_fault_endpoint();
    }
    println!("hub-dev: a development server, not for deployment");
    println!("hub-dev: serving {} at {}", data.display(), hub.url());
    loop {
        std::thread::park();
    }
}
