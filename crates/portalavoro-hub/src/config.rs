//! hub.toml: read, validated, with errors that name the file, the line and
//! the key (toml's messages carry line and key; ours add the file).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::tz::TimeZone;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The hub's configuration, validated.
#[derive(Debug, Clone)]
pub struct HubConfig {
    pub listen: SocketAddr,
    pub database: Database,
    pub state_dir: PathBuf,
    pub timezone: TimeZone,
    /// The longest `wait` a kiosk may ask of `GET /announcements`.
    pub max_wait: Duration,
    /// How often kiosks are expected to send a heartbeat; three missed make
    /// a kiosk "silent".
    pub heartbeat: Duration,
    /// How long heartbeat history and the audit log are kept.
    pub history: Duration,
    pub appointments: Appointments,
}

/// Appointments held from kiosks (`[appointments]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Appointments {
    /// Where visitors' phones reach this hub (`https://…`, no trailing
    /// slash); `None`: the address the kiosk asked on.
    pub public_url: Option<String>,
    /// How long a slot held at a kiosk waits for the visitor's phone.
    pub hold: Duration,
    /// The most holds one kiosk keeps at once.
    pub holds_per_kiosk: u32,
    /// How many days ahead kiosks are offered slots.
    pub days_ahead: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    pub url: String,
    pub max_connections: u32,
}

impl Database {
    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres://") || self.url.starts_with("postgresql://")
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    server: RawServer,
    #[serde(default)]
    database: RawDatabase,
    #[serde(default)]
    hub: RawHub,
    #[serde(default)]
    fleet: RawFleet,
    #[serde(default)]
    appointments: RawAppointments,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawServer {
    listen: SocketAddr,
    max_wait_s: WaitSeconds,
}

impl Default for RawServer {
    fn default() -> Self {
        RawServer {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_wait_s: WaitSeconds(30),
        }
    }
}

#[derive(Deserialize)]
#[serde(try_from = "u64")]
struct WaitSeconds(u64);

impl TryFrom<u64> for WaitSeconds {
    type Error = String;
    fn try_from(value: u64) -> Result<Self, String> {
        match value {
            0..=120 => Ok(WaitSeconds(value)),
            _ => Err("at most 120 seconds (proxies close idle requests)".into()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDatabase {
    url: Option<DatabaseUrl>,
    max_connections: u32,
}

impl Default for RawDatabase {
    fn default() -> Self {
        RawDatabase {
            url: None,
            max_connections: 16,
        }
    }
}

#[derive(Deserialize)]
#[serde(try_from = "String")]
struct DatabaseUrl(String);

impl TryFrom<String> for DatabaseUrl {
    type Error = String;
    fn try_from(url: String) -> Result<Self, String> {
        if url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://")
        {
            Ok(DatabaseUrl(url))
        } else {
            Err("expected sqlite:PATH or postgres://…".into())
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawHub {
    state_dir: PathBuf,
    timezone: Zone,
}

impl Default for RawHub {
    fn default() -> Self {
        RawHub {
            state_dir: PathBuf::from("/var/lib/portalavoro-hub"),
            timezone: Zone(TimeZone::get("Europe/Rome").unwrap_or(TimeZone::UTC)),
        }
    }
}

#[derive(Deserialize)]
#[serde(try_from = "String")]
struct Zone(TimeZone);

impl TryFrom<String> for Zone {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        TimeZone::get(&name)
            .map(Zone)
            .map_err(|_| format!("unknown time zone {name:?}"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawFleet {
    heartbeat_s: u64,
    history_days: u64,
}

impl Default for RawFleet {
    fn default() -> Self {
        RawFleet {
            heartbeat_s: 60,
            history_days: 30,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawAppointments {
    public_url: Option<PublicUrl>,
    hold_minutes: Bounded<1, 120>,
    holds_per_kiosk: Bounded<1, 50>,
    days_ahead: Bounded<1, 90>,
}

impl Default for RawAppointments {
    fn default() -> Self {
        RawAppointments {
            public_url: None,
            hold_minutes: Bounded(10),
            holds_per_kiosk: Bounded(3),
            days_ahead: Bounded(14),
        }
    }
}

/// A whole number from `MIN` to `MAX`.
#[derive(Deserialize)]
#[serde(try_from = "u32")]
struct Bounded<const MIN: u32, const MAX: u32>(u32);

impl<const MIN: u32, const MAX: u32> TryFrom<u32> for Bounded<MIN, MAX> {
    type Error = String;
    fn try_from(value: u32) -> Result<Self, String> {
        if (MIN..=MAX).contains(&value) {
            Ok(Bounded(value))
        } else {
            Err(format!("from {MIN} to {MAX}"))
        }
    }
}

/// The origin phones reach: `https://host[:port][/path]`, no trailing slash
/// kept, plain http only for a test on this machine.
#[derive(Deserialize)]
#[serde(try_from = "String")]
struct PublicUrl(String);

impl TryFrom<String> for PublicUrl {
    type Error = String;
    fn try_from(url: String) -> Result<Self, String> {
        let url = url.trim().trim_end_matches('/').to_string();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or("an https:// address that visitors' phones reach")?;
        if rest.is_empty() || rest.contains(char::is_whitespace) || rest.contains(['?', '#']) {
            return Err("an https:// address that visitors' phones reach, without ? or #".into());
        }
        Ok(PublicUrl(url))
    }
}

impl HubConfig {
    pub fn load(path: &Path) -> Result<HubConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        HubConfig::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.display().to_string(),
            message,
        })
    }

    /// Parses hub.toml's text; the error names the line and the key.
    pub fn parse(text: &str) -> Result<HubConfig, String> {
        let raw: Raw = toml::from_str(text).map_err(|err| err.to_string().trim().to_string())?;
        Ok(HubConfig::from_raw(raw))
    }

    /// Every default: SQLite in `state_dir`, listening on 127.0.0.1:8080.
    pub fn defaults(state_dir: PathBuf) -> HubConfig {
        let mut raw = Raw::default();
        raw.hub.state_dir = state_dir;
        HubConfig::from_raw(raw)
    }

    fn from_raw(raw: Raw) -> HubConfig {
        let state_dir = raw.hub.state_dir;
        let url = match raw.database.url {
            Some(DatabaseUrl(url)) => url,
            None => format!(
                "sqlite://{}?mode=rwc",
                state_dir.join("hub.sqlite").display()
            ),
        };
        HubConfig {
            listen: raw.server.listen,
            database: Database {
                url,
                max_connections: raw.database.max_connections.max(1),
            },
            state_dir,
            timezone: raw.hub.timezone.0,
            max_wait: Duration::from_secs(raw.server.max_wait_s.0),
            heartbeat: Duration::from_secs(raw.fleet.heartbeat_s.max(1)),
            history: Duration::from_secs(raw.fleet.history_days.max(1) * 86_400),
            appointments: Appointments {
                public_url: raw.appointments.public_url.map(|url| url.0),
                hold: Duration::from_secs(u64::from(raw.appointments.hold_minutes.0) * 60),
                holds_per_kiosk: raw.appointments.holds_per_kiosk.0,
                days_ahead: raw.appointments.days_ahead.0,
            },
        }
    }

    /// What `--check-config` prints: the settings, never a password.
    pub fn describe(&self) -> String {
        let database = if self.database.is_postgres() {
            "PostgreSQL".to_string()
        } else {
            format!("SQLite ({})", self.database.url)
        };
        format!(
            "listen: {}\ndatabase: {database}, at most {} connections\nstate: {}\ntime zone: {}\n\
             heartbeat: every {} s (silent after three missed)\nlongest announcements wait: {} s\n\
             appointments: held {} min at a totem, at most {} per totem, {} days ahead; phones open {}",
            self.listen,
            self.database.max_connections,
            self.state_dir.display(),
            self.timezone.iana_name().unwrap_or("UTC"),
            self.heartbeat.as_secs(),
            self.max_wait.as_secs(),
            self.appointments.hold.as_secs() / 60,
            self.appointments.holds_per_kiosk,
            self.appointments.days_ahead,
            self.appointments
                .public_url
                .as_deref()
                .unwrap_or("the address the totem reaches (set appointments.public_url)"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_takes_every_default() {
        let config = HubConfig::parse("").unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert!(
            config
                .database
                .url
                .starts_with("sqlite:///var/lib/portalavoro-hub/hub.sqlite")
        );
        assert!(!config.database.is_postgres());
        assert_eq!(config.heartbeat, Duration::from_secs(60));
        assert_eq!(config.appointments.hold, Duration::from_secs(600));
        assert_eq!(config.appointments.holds_per_kiosk, 3);
        assert_eq!(config.appointments.public_url, None);
    }

    #[test]
    fn the_public_address_loses_its_trailing_slash() {
        let config =
            HubConfig::parse("[appointments]\npublic_url = \"https://lavoro.example.org/\"\n")
                .unwrap();
        assert_eq!(
            config.appointments.public_url.as_deref(),
            Some("https://lavoro.example.org")
        );
    }

    #[test]
    fn a_postgres_url_selects_postgres() {
        let config =
            HubConfig::parse("[database]\nurl = \"postgres://hub@db.example.org/hub\"\n").unwrap();
        assert!(config.database.is_postgres());
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let err =
            HubConfig::parse("[server]\nlisten = \"127.0.0.1:8080\"\nlistn = 1\n").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("listn"), "{err}");
        let err = HubConfig::parse("[database]\n\nurl = \"mysql://x\"\n").unwrap_err();
        assert!(
            err.contains("line 3") && err.contains("postgres://"),
            "{err}"
        );
        let err = HubConfig::parse("[hub]\ntimezone = \"Europe/Matera\"\n").unwrap_err();
        assert!(
            err.contains("line 2") && err.contains("Europe/Matera"),
            "{err}"
        );
        let err = HubConfig::parse("[server]\nmax_wait_s = 600\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("120"), "{err}");
        let err = HubConfig::parse("[appointments]\nholds_per_kiosk = 0\n").unwrap_err();
        assert!(
            err.contains("line 2") && err.contains("from 1 to 50"),
            "{err}"
        );
        let err =
            HubConfig::parse("[appointments]\npublic_url = \"hub.example.org\"\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("https://"), "{err}");
    }

    #[test]
    fn the_file_is_named_in_every_error() {
        let err = HubConfig::load(Path::new("/nonexistent/hub.toml")).unwrap_err();
        assert!(
            err.to_string().starts_with("/nonexistent/hub.toml: "),
            "{err}"
        );
    }
}
