//! Command line: `portalavoro-kiosk [--config PATH] [--check-config]`, and
//! the rest of [`USAGE`].

use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "\
Usage: portalavoro-kiosk [--config PATH] [--check-config | --tour DIR] [--at TIME]
       portalavoro-kiosk [--config PATH] --touch-rule
       portalavoro-kiosk [--config PATH] --update-source [--at TIME]
       portalavoro-kiosk --hash-pin | --version | --help

Runs the Portalavoro lobby kiosk.

Options:
  --config PATH    configuration file (default: ./kiosk.toml, then
                   /etc/portalavoro/kiosk.toml)
  --check-config   validate the configuration and exit: 0 when valid,
                   2 with the file, line, column and key when not
  --tour DIR       show every screen in every language, save a screenshot
                   of each in DIR and a layout report (DIR/layout.txt);
                   exit 0 when no text overflows, 1 otherwise
  --touch-rule     (root, before the compositor starts) turn the touch
                   panel as display.rotation turns the picture: writes
                   /run/udev/rules.d/61-portalavoro-touch.rules and has
                   udev apply it; exits 0 even when the file is broken
                   (the kiosk itself then says why)
  --update-source  (the image's update service) print the update channel's
                   folder URL and exit 0 when a new system version may be
                   installed now (updates.window); else say why not and
                   exit 1
  --at TIME        run (or tour) as if it were TIME, e.g. 2026-12-01T01:30
                   in the kiosk's time zone, or with an offset
                   (2026-12-01T01:30:00+01:00); the clock runs on from there
  --hash-pin       read a staff PIN (4 to 12 digits) from standard input
                   and print its salted argon2id hash for
                   diagnostics.pin_hash in kiosk.toml
  --version        print the version and exit
  --help           print this help and exit";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Run,
    CheckConfig,
    /// Visit every screen, saving screenshots in the folder.
    Tour(PathBuf),
    /// Install the udev rule that turns the touch panel with the picture.
    TouchRule,
    /// The update folder, when an update may be installed now.
    UpdateSource,
    HashPin,
    Version,
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cli {
    pub action: Action,
    pub config: Option<PathBuf>,
    /// `--at`, as given: read in the kiosk's time zone ([`at`]).
    pub at: Option<String>,
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, String> {
    let mut cli = Cli {
        action: Action::Run,
        config: None,
        at: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--config") => {
                let path = args.next().ok_or("--config needs a file path")?;
                cli.config = Some(PathBuf::from(path));
            }
            Some(s) if s.starts_with("--config=") => cli.config = Some(PathBuf::from(&s[9..])),
            Some("--check-config") => cli.action = Action::CheckConfig,
            Some("--hash-pin") => cli.action = Action::HashPin,
            Some("--touch-rule") => cli.action = Action::TouchRule,
            Some("--update-source") => cli.action = Action::UpdateSource,
            Some("--at") => {
                let at = args.next().ok_or("--at needs a date and time")?;
                cli.at = Some(at.to_string_lossy().into_owned());
            }
            Some("--tour") => {
                let dir = args.next().ok_or("--tour needs a folder")?;
                cli.action = Action::Tour(PathBuf::from(dir));
            }
            Some("--version" | "-V") => {
                return Ok(Cli {
                    action: Action::Version,
                    ..cli
                });
            }
            Some("--help" | "-h") => {
                return Ok(Cli {
                    action: Action::Help,
                    ..cli
                });
            }
            _ => return Err(format!("unknown argument {:?}", arg.to_string_lossy())),
        }
    }
    Ok(cli)
}

/// `--hash-pin`: the hash of the PIN on the first line of `input`.
pub fn hash_pin(input: &str) -> Result<String, String> {
    let pin = input.lines().next().unwrap_or("").trim();
    if !(4..=portalavoro_core::diagnostics::MAX_DIGITS).contains(&pin.len())
        || !pin.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!(
            "--hash-pin: a PIN is 4 to {} digits, one line on standard input",
            portalavoro_core::diagnostics::MAX_DIGITS
        ));
    }
    portalavoro_core::diagnostics::hash_pin(pin).map_err(|err| format!("--hash-pin: {err}"))
}

/// `--at`'s moment: an RFC 3339 timestamp with its offset, or a date and
/// time of day read in the kiosk's time zone `tz`.
pub fn at(text: &str, tz: &jiff::tz::TimeZone) -> Result<jiff::Timestamp, String> {
    if let Ok(at) = text.parse::<jiff::Timestamp>() {
        return Ok(at);
    }
    let civil: jiff::civil::DateTime = text.parse().map_err(|_| {
        format!("--at {text:?}: expected a date and time, e.g. 2026-12-01T01:30 or 2026-12-01T01:30:00+01:00")
    })?;
    civil
        .to_zoned(tz.clone())
        .map(|zoned| zoned.timestamp())
        .map_err(|err| format!("--at {text:?}: {err}"))
}

impl Cli {
    /// The configuration file: the one given, else the first default that
    /// exists.
    pub fn config_path(&self) -> Result<PathBuf, String> {
        if let Some(path) = &self.config {
            return Ok(path.clone());
        }
        portalavoro_core::config::DEFAULT_CONFIG_PATHS
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .ok_or_else(|| {
                format!(
                    "no configuration file: looked for {}; pass --config PATH",
                    portalavoro_core::config::DEFAULT_CONFIG_PATHS.join(" and ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Cli, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn arguments() {
        assert_eq!(
            parse_strs(&[]).unwrap(),
            Cli {
                action: Action::Run,
                config: None,
                at: None
            }
        );
        let cli = parse_strs(&["--config", "/etc/k.toml", "--check-config"]).unwrap();
        assert_eq!(
            cli,
            Cli {
                action: Action::CheckConfig,
                config: Some("/etc/k.toml".into()),
                at: None
            }
        );
        assert_eq!(
            parse_strs(&["--config=a.toml"]).unwrap().config,
            Some("a.toml".into())
        );
        assert_eq!(parse_strs(&["--version"]).unwrap().action, Action::Version);
        assert_eq!(parse_strs(&["--hash-pin"]).unwrap().action, Action::HashPin);
        assert_eq!(
            parse_strs(&["--config", "/etc/k.toml", "--touch-rule"])
                .unwrap()
                .action,
            Action::TouchRule
        );
        assert_eq!(parse_strs(&["-h"]).unwrap().action, Action::Help);
        assert!(parse_strs(&["--config"]).is_err());
        assert_eq!(
            parse_strs(&["--tour", "d", "--at", "2026-12-01T01:30"])
                .unwrap()
                .at
                .as_deref(),
            Some("2026-12-01T01:30")
        );
        assert!(parse_strs(&["--at"]).is_err());
        assert!(
            parse_strs(&["--fullscreen"])
                .unwrap_err()
                .contains("--fullscreen")
        );
    }

    #[test]
    fn at_is_read_in_the_kiosk_time_zone_unless_it_has_an_offset() {
        let rome = jiff::tz::TimeZone::get("Europe/Rome").unwrap();
        // 01:30 in Rome in winter is 00:30 UTC.
        assert_eq!(
            at("2026-12-01T01:30", &rome).unwrap().to_string(),
            "2026-12-01T00:30:00Z"
        );
        assert_eq!(
            at("2026-07-01T23:59:00+02:00", &rome).unwrap().to_string(),
            "2026-07-01T21:59:00Z"
        );
        let err = at("tomorrow", &rome).unwrap_err();
        assert!(
            err.contains("tomorrow") && err.contains("2026-12-01T01:30"),
            "{err}"
        );
    }
}
