//! `kiosk.toml`: raw TOML (serde, with spans) → validated [`Config`], in two
//! steps. Every error names the file, line, column and key, so a technician
//! can fix it without reading code.

use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

mod keypad;
mod reader;
mod updates;

pub use keypad::{KEY_NAMES, KeyAction, KeypadConfig};
pub use reader::{Reader, SERVICE_CREDENTIALS};
pub use updates::{NotNow, UpdatesConfig};

use crate::content::{Lang, Slide};
use crate::diagnostics::PinHash;
use crate::hours::{OpeningHours, Range as OpeningRange};
use crate::screen::Rotation;

/// Where the kiosk looks when `--config` is not given, in order.
pub const DEFAULT_CONFIG_PATHS: [&str; 2] = ["kiosk.toml", "/etc/portalavoro/kiosk.toml"];

/// A configuration error, pointing at the place in the file to fix.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}:{column}: {key}: {message}", file.display())]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// Dotted key, e.g. `hub.poll_s`; empty for a file-level error.
    pub key: String,
    pub message: String,
}

/// The kiosk's validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from (for logs and the diagnostics screen).
    pub source: PathBuf,
    /// `None`: no hub configured: the kiosk shows the technician card
    /// (`technician`), or the bundled demo content when `demo` is true.
    pub hub: Option<HubConfig>,
    /// Whether the bundled demo content stands in for a hub: only when the
    /// file asks for it (`hub.demo = true`), never by default, so a totem
    /// left unconfigured never shows invented vacancies.
    pub demo: bool,
    pub kiosk_id: String,
    pub cache_dir: PathBuf,
    pub site: SiteConfig,
    pub display: DisplayConfig,
    pub attract: AttractConfig,
    /// When the hub is open; always, when `[hours]` is absent.
    pub hours: OpeningHours,
    pub audio: AudioConfig,
    /// The staff PIN for the diagnostics screen, hashed; `None`: the
    /// screen cannot be opened on the kiosk.
    pub diagnostics_pin: Option<PinHash>,
    /// Which key of a keyboard or keypad does what.
    pub keypad: KeypadConfig,
    /// Where the totem's image looks for a new system version, and when
    /// it may install one.
    pub updates: UpdatesConfig,
    /// Where the kiosk keeps what must outlive a restart (the PIN pad's
    /// lock): systemd's `StateDirectory=`; `None`: kept in memory only.
    pub state_dir: Option<PathBuf>,
}

/// Sounds: a click on each touch, and optional music in the attract loop.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioConfig {
    /// 0.0 (silent) to 1.0.
    pub volume: f32,
    pub click: bool,
    pub music: bool,
    /// Times of day without music (display.timezone).
    pub quiet_hours: Vec<OpeningRange>,
    /// The offline speech synthesizer run for spoken output (a program
    /// name looked up in `PATH`, or a path); `None`: no spoken output.
    pub speech_synthesizer: Option<String>,
}

impl AudioConfig {
    /// Whether music may play at `at` (the attract loop decides whether it
    /// plays at all).
    pub fn music_allowed(&self, at: &jiff::Zoned) -> bool {
        self.music && self.volume > 0.0 && !self.quiet_hours.iter().any(|r| r.contains(at.time()))
    }
}

#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Base URL without a trailing slash, e.g. `https://hub.example.org/api/v1`.
    pub url: String,
    pub token: Option<Secret>,
    pub poll: Duration,
    pub announcements_poll: Duration,
    pub heartbeat: Duration,
    pub max_body_bytes: u64,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Plain http accepted from hosts other than loopback (`hub.url`, and
    /// pictures wherever they live).
    pub allow_insecure_http: bool,
}

/// Who the kiosk belongs to: shown on every screen.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The hub's name, e.g. "Portalavoro Matera".
    pub name: String,
    /// A PNG or JPEG logo; `None`: the bundled mark.
    pub logo: Option<PathBuf>,
    /// Lines of contact details (address, phone, web), for visitors.
    pub contacts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DisplayConfig {
    pub fullscreen: bool,
    /// Window size when not fullscreen, in logical pixels.
    pub window_size: (u32, u32),
    pub language: Lang,
    pub languages: Vec<Lang>,
    pub timezone: jiff::tz::TimeZone,
    /// The IANA name of `timezone`, as written in the file.
    pub timezone_name: String,
    /// How the screen is mounted: the picture and the touch are turned to
    /// match (`screen`).
    pub rotation: Rotation,
    /// Outside opening hours, switch the screen off once the closed notice
    /// has been up for `attract.idle_timeout` with nobody at the kiosk.
    pub off_when_closed: bool,
}

#[derive(Debug, Clone)]
pub struct AttractConfig {
    pub idle_timeout: Duration,
    /// Used when the hub has no playlist for this kiosk (404).
    pub playlist: Vec<Slide>,
    /// How one slide gives way to the next.
    pub transition: Transition,
}

/// How attract slides change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The next slide pushes the current one out sideways.
    Slide,
    /// The next slide simply replaces it: no motion, and one frame drawn
    /// instead of a transition's worth (for totems without a GPU). The
    /// visitor's pages then appear without gliding in, too.
    Cut,
}

/// A credential that never shows itself in `Debug`, `Display` or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The value, for the one place that needs it: the Authorization header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

// ---------------------------------------------------------------- raw layer

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    hub: RawHub,
    #[serde(default)]
    storage: RawStorage,
    #[serde(default)]
    site: RawSite,
    #[serde(default)]
    display: RawDisplay,
    #[serde(default)]
    attract: RawAttract,
    hours: Option<RawHours>,
    #[serde(default)]
    audio: RawAudio,
    #[serde(default)]
    diagnostics: RawDiagnostics,
    #[serde(default)]
    keypad: keypad::RawKeypad,
    #[serde(default)]
    updates: updates::RawUpdates,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiagnostics {
    pin_hash: Option<Spanned<String>>,
    pin_sha256: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudio {
    volume: Option<Spanned<u64>>,
    click: Option<bool>,
    music: Option<bool>,
    quiet_hours: Option<Spanned<Vec<String>>>,
    speech_synthesizer: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHub {
    url: Option<Spanned<String>>,
    demo: Option<Spanned<bool>>,
    kiosk_id: Option<Spanned<String>>,
    token_file: Option<Spanned<PathBuf>>,
    poll_s: Option<Spanned<u64>>,
    announcements_poll_s: Option<Spanned<u64>>,
    heartbeat_s: Option<Spanned<u64>>,
    allow_insecure_http: Option<bool>,
    max_body_mib: Option<Spanned<u64>>,
    connect_timeout_s: Option<Spanned<u64>>,
    request_timeout_s: Option<Spanned<u64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStorage {
    cache_dir: Option<Spanned<PathBuf>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    name: Option<Spanned<String>>,
    logo: Option<Spanned<PathBuf>>,
    contacts: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisplay {
    fullscreen: Option<bool>,
    window_width: Option<Spanned<u64>>,
    window_height: Option<Spanned<u64>>,
    language: Option<Spanned<String>>,
    languages: Option<Spanned<Vec<String>>>,
    timezone: Option<Spanned<String>>,
    rotation: Option<Spanned<u64>>,
    off_when_closed: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttract {
    idle_timeout_s: Option<Spanned<u64>>,
    transition: Option<Spanned<String>>,
    playlist: Option<Spanned<Vec<toml::Value>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHours {
    monday: Option<Spanned<Vec<String>>>,
    tuesday: Option<Spanned<Vec<String>>>,
    wednesday: Option<Spanned<Vec<String>>>,
    thursday: Option<Spanned<Vec<String>>>,
    friday: Option<Spanned<Vec<String>>>,
    saturday: Option<Spanned<Vec<String>>>,
    sunday: Option<Spanned<Vec<String>>>,
    holidays: Option<Spanned<Vec<String>>>,
}

// ---------------------------------------------------------------- loading

/// Environment the configuration depends on, passed in so tests choose it.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`).
    pub credentials_directory: Option<PathBuf>,
    /// `$CACHE_DIRECTORY` (systemd `CacheDirectory=`).
    pub cache_directory: Option<PathBuf>,
    /// `$STATE_DIRECTORY` (systemd `StateDirectory=`).
    pub state_directory: Option<PathBuf>,
    /// `$XDG_CACHE_HOME`, else `$HOME/.cache`.
    pub user_cache_home: Option<PathBuf>,
    /// The machine's host name, the default kiosk id.
    pub hostname: Option<String>,
    /// Who will read the files the configuration names, when that is not
    /// this process (`--check-config` as root: the service's user).
    pub reader: Option<Reader>,
}

impl Env {
    pub fn from_process() -> Self {
        let var = |name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Env {
            credentials_directory: var("CREDENTIALS_DIRECTORY"),
            cache_directory: var("CACHE_DIRECTORY"),
            state_directory: var("STATE_DIRECTORY"),
            user_cache_home: var("XDG_CACHE_HOME")
                .or_else(|| var("HOME").map(|home| home.join(".cache"))),
            hostname: std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty()),
            reader: None,
        }
    }

    /// The environment the totem's service gives the kiosk, seen from a
    /// root shell: its user reads the files, and the token comes from
    /// where `LoadCredential=` takes it. `None` where the service's user
    /// does not exist (the package is not installed).
    pub fn as_service(&self) -> Option<Env> {
        Some(Env {
            credentials_directory: Some(PathBuf::from(SERVICE_CREDENTIALS)),
            reader: Some(Reader::service()?),
            ..self.clone()
        })
    }

    /// Whether the file at `path` can be read by whoever will read it.
    fn check_readable(&self, path: &Path) -> Result<(), String> {
        match &self.reader {
            Some(reader) => reader.check(path),
            None => Ok(()),
        }
    }
}

impl Config {
    /// What a kiosk whose file is broken runs on when the last valid copy
    /// names no hub: the defaults, with no hub and no demo content. The
    /// lobby sees empty pages and the hub's default name, staff see the
    /// error (on screen, in the heartbeat and the status): never a black
    /// screen, never invented vacancies.
    pub fn out_of_service(path: &Path, env: &Env) -> Config {
        let mut config = parse(path, "", env)
            .unwrap_or_else(|err| unreachable!("the defaults are valid: {err}"));
        config.demo = false;
        config
    }
}

/// Reads and validates a configuration file.
pub fn load(path: &Path, env: &Env) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|err| ConfigError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        key: String::new(),
        message: format!("cannot read the file: {err}"),
    })?;
    parse(path, &text, env)
}

/// Validates configuration text; `path` names it in errors and anchors
/// relative paths.
pub fn parse(path: &Path, text: &str, env: &Env) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        Validator { path, text }.error_at(
            span.clone(),
            &key_at(text, span.start),
            err.message().trim(),
        )
    })?;
    Validator { path, text }.validate(raw, env)
}

struct Validator<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Validator<'_> {
    fn error_at(&self, span: Range<usize>, key: &str, message: &str) -> ConfigError {
        let (line, column) = line_column(self.text, span.start);
        ConfigError {
            file: self.path.to_path_buf(),
            line,
            column,
            key: key.to_string(),
            message: message.to_string(),
        }
    }

    fn error<T>(&self, value: &Spanned<T>, key: &str, message: impl fmt::Display) -> ConfigError {
        self.error_at(value.span(), key, &message.to_string())
    }

    /// An integer within `range`, or `default` when absent.
    fn ranged(
        &self,
        value: &Option<Spanned<u64>>,
        key: &str,
        range: RangeInclusive<u64>,
        default: u64,
    ) -> Result<u64, ConfigError> {
        match value {
            None => Ok(default),
            Some(v) if range.contains(v.get_ref()) => Ok(*v.get_ref()),
            Some(v) => Err(self.error(
                v,
                key,
                format!(
                    "{} is out of range: allowed {}..={}",
                    v.get_ref(),
                    range.start(),
                    range.end()
                ),
            )),
        }
    }

    fn seconds(
        &self,
        value: &Option<Spanned<u64>>,
        key: &str,
        range: RangeInclusive<u64>,
        default: u64,
    ) -> Result<Duration, ConfigError> {
        self.ranged(value, key, range, default)
            .map(Duration::from_secs)
    }

    /// A URL without its trailing slash; plain http only to a loopback
    /// host, or where `allow_insecure_http`.
    fn url(
        &self,
        value: &Spanned<String>,
        key: &str,
        allow_insecure_http: bool,
    ) -> Result<String, ConfigError> {
        let url = value.get_ref().trim().trim_end_matches('/').to_string();
        let origin = crate::hub::UrlOrigin::of(&url)
            .map_err(|why| self.error(value, key, format!("not a usable URL: {why}")))?;
        if origin.is_insecure() && !allow_insecure_http {
            return Err(self.error(
                value,
                key,
                "plain http is refused for a non-loopback host: use https, \
                 or set hub.allow_insecure_http = true on a trusted network",
            ));
        }
        Ok(url)
    }

    /// Relative paths in the file are relative to the file's folder.
    fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.path.parent().unwrap_or(Path::new(".")).join(path)
        }
    }

    fn validate(&self, raw: RawConfig, env: &Env) -> Result<Config, ConfigError> {
        let hub = self.validate_hub(&raw.hub, env)?;
        let kiosk_id = match &raw.hub.kiosk_id {
            Some(id) if is_valid_name(id.get_ref()) => id.get_ref().clone(),
            Some(id) => {
                return Err(self.error(
                    id,
                    "hub.kiosk_id",
                    "use 1 to 64 characters among letters, digits, '-', '_' and '.'",
                ));
            }
            None => env
                .hostname
                .clone()
                .filter(|h| is_valid_name(h))
                .unwrap_or_else(|| "kiosk".to_string()),
        };
        let cache_dir = match &raw.storage.cache_dir {
            Some(dir) => self.resolve(dir.get_ref()),
            None => env
                .cache_directory
                .clone()
                .or_else(|| {
                    env.user_cache_home
                        .as_ref()
                        .map(|h| h.join("portalavoro-kiosk"))
                })
                .unwrap_or_else(|| PathBuf::from("/var/cache/portalavoro-kiosk")),
        };
        let demo = match &raw.hub.demo {
            Some(demo) if *demo.get_ref() && hub.is_some() => {
                return Err(self.error(
                    demo,
                    "hub.demo",
                    "the demo content stands in for a hub: set hub.url or hub.demo = true, not both",
                ));
            }
            Some(demo) => *demo.get_ref(),
            None => false,
        };
        Ok(Config {
            source: self.path.to_path_buf(),
            demo,
            hub,
            kiosk_id,
            cache_dir,
            site: self.validate_site(&raw.site, env)?,
            display: self.validate_display(&raw.display)?,
            attract: self.validate_attract(&raw.attract)?,
            hours: match &raw.hours {
                None => OpeningHours::always(),
                Some(hours) => self.validate_hours(hours)?,
            },
            audio: self.validate_audio(&raw.audio)?,
            diagnostics_pin: self.validate_pin(&raw.diagnostics)?,
            keypad: self.validate_keypad(&raw.keypad)?,
            updates: self
                .validate_updates(&raw.updates, raw.hub.allow_insecure_http.unwrap_or(false))?,
            state_dir: env.state_directory.clone(),
        })
    }

    fn validate_pin(&self, raw: &RawDiagnostics) -> Result<Option<PinHash>, ConfigError> {
        match (&raw.pin_hash, &raw.pin_sha256) {
            (None, None) => Ok(None),
            (Some(hash), None) => PinHash::argon2id(hash.get_ref()).map(Some).map_err(|why| {
                self.error(
                    hash,
                    "diagnostics.pin_hash",
                    format!(
                        "the PIN's argon2id hash as `portalavoro-kiosk --hash-pin` \
                             prints it, \"$argon2id$v=19$…\" (never the PIN itself): {why}"
                    ),
                )
            }),
            (None, Some(hash)) => PinHash::sha256(hash.get_ref()).map(Some).ok_or_else(|| {
                self.error(
                    hash,
                    "diagnostics.pin_sha256",
                    "64 hexadecimal digits (the legacy SHA-256 of the PIN); better, \
                     replace it with pin_hash from `portalavoro-kiosk --hash-pin`",
                )
            }),
            (Some(_), Some(legacy)) => Err(self.error(
                legacy,
                "diagnostics.pin_sha256",
                "set pin_hash or pin_sha256, not both: remove pin_sha256",
            )),
        }
    }

    fn validate_audio(&self, raw: &RawAudio) -> Result<AudioConfig, ConfigError> {
        let mut quiet_hours = Vec::new();
        if let Some(list) = &raw.quiet_hours {
            for text in list.get_ref() {
                quiet_hours.push(
                    OpeningRange::parse(text)
                        .map_err(|why| self.error(list, "audio.quiet_hours", why))?,
                );
            }
        }
        Ok(AudioConfig {
            volume: self.ranged(&raw.volume, "audio.volume", 0..=100, 60)? as f32 / 100.0,
            click: raw.click.unwrap_or(true),
            music: raw.music.unwrap_or(false),
            quiet_hours,
            speech_synthesizer: match &raw.speech_synthesizer {
                None => Some("espeak-ng".to_string()),
                Some(program) if program.get_ref().trim().is_empty() => None,
                Some(program) if program.get_ref().contains(char::is_whitespace) => {
                    return Err(self.error(
                        program,
                        "audio.speech_synthesizer",
                        "a program name or path, without arguments",
                    ));
                }
                Some(program) => Some(program.get_ref().clone()),
            },
        })
    }

    /// A day not listed is closed; ranges are `HH:MM-HH:MM`.
    fn validate_hours(&self, raw: &RawHours) -> Result<OpeningHours, ConfigError> {
        let days = [
            (&raw.monday, "hours.monday"),
            (&raw.tuesday, "hours.tuesday"),
            (&raw.wednesday, "hours.wednesday"),
            (&raw.thursday, "hours.thursday"),
            (&raw.friday, "hours.friday"),
            (&raw.saturday, "hours.saturday"),
            (&raw.sunday, "hours.sunday"),
        ];
        let mut week: [Vec<OpeningRange>; 7] = Default::default();
        for (slot, (value, key)) in week.iter_mut().zip(days) {
            if let Some(list) = value {
                for text in list.get_ref() {
                    slot.push(OpeningRange::parse(text).map_err(|why| self.error(list, key, why))?);
                }
            }
        }
        let mut holidays = std::collections::BTreeSet::new();
        if let Some(list) = &raw.holidays {
            for text in list.get_ref() {
                let date = text.parse().map_err(|_| {
                    self.error(
                        list,
                        "hours.holidays",
                        format!("{text:?} is not a date YYYY-MM-DD"),
                    )
                })?;
                holidays.insert(date);
            }
        }
        Ok(OpeningHours::new(week, holidays))
    }

    fn validate_hub(&self, raw: &RawHub, env: &Env) -> Result<Option<HubConfig>, ConfigError> {
        let Some(url) = &raw.url else {
            return Ok(None);
        };
        let base = self.url(url, "hub.url", raw.allow_insecure_http.unwrap_or(false))?;
        let token = match (&raw.token_file, &env.credentials_directory) {
            (Some(file), _) => {
                let path = self.resolve(file.get_ref());
                let unreadable = |why: String| {
                    self.error(
                        file,
                        "hub.token_file",
                        format!(
                            "{why}; under systemd leave hub.token_file out: the unit passes \
                             {SERVICE_CREDENTIALS}/hub-token to the service (LoadCredential=)"
                        ),
                    )
                };
                env.check_readable(&path).map_err(unreadable)?;
                Some(read_token(&path).map_err(|why| self.error(file, "hub.token_file", why))?)
            }
            (None, Some(creds)) => {
                let path = creds.join("hub-token");
                if path.exists() {
                    let token = read_token(&path).map_err(|why| {
                        self.error_at(
                            0..0,
                            "hub.token_file",
                            &format!("$CREDENTIALS_DIRECTORY/hub-token: {why}"),
                        )
                    })?;
                    Some(token)
                } else {
                    None
                }
            }
            (None, None) => None,
        };
        let max_mib = self.ranged(&raw.max_body_mib, "hub.max_body_mib", 1..=256, 8)?;
        Ok(Some(HubConfig {
            url: base,
            token,
            allow_insecure_http: raw.allow_insecure_http.unwrap_or(false),
            poll: self.seconds(&raw.poll_s, "hub.poll_s", 5..=86_400, 60)?,
            announcements_poll: self.seconds(
                &raw.announcements_poll_s,
                "hub.announcements_poll_s",
                1..=3_600,
                5,
            )?,
            heartbeat: self.seconds(&raw.heartbeat_s, "hub.heartbeat_s", 10..=86_400, 60)?,
            max_body_bytes: max_mib * 1024 * 1024,
            connect_timeout: self.seconds(
                &raw.connect_timeout_s,
                "hub.connect_timeout_s",
                1..=120,
                5,
            )?,
            request_timeout: self.seconds(
                &raw.request_timeout_s,
                "hub.request_timeout_s",
                2..=600,
                30,
            )?,
        }))
    }

    fn validate_display(&self, raw: &RawDisplay) -> Result<DisplayConfig, ConfigError> {
        let lang = |value: &Spanned<String>, key: &str| {
            Lang::parse(value.get_ref()).ok_or_else(|| {
                self.error(
                    value,
                    key,
                    "expected a language tag such as \"it\" or \"en\"",
                )
            })
        };
        let language = match &raw.language {
            Some(value) => {
                let parsed = lang(value, "display.language")?;
                if !crate::i18n::shipped().any(|l| l == parsed.primary()) {
                    return Err(self.error(
                        value,
                        "display.language",
                        format!(
                            "the interface is not translated into {:?}; choose from {}",
                            value.get_ref(),
                            crate::i18n::shipped().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                parsed
            }
            None => Lang::new("it"),
        };
        let languages = match &raw.languages {
            Some(list) if list.get_ref().is_empty() => {
                return Err(self.error(list, "display.languages", "list at least one language"));
            }
            Some(list) => {
                let mut langs = Vec::new();
                for tag in list.get_ref() {
                    let parsed = Lang::parse(tag).ok_or_else(|| {
                        self.error(
                            list,
                            "display.languages",
                            format!("{tag:?} is not a language tag such as \"it\" or \"en\""),
                        )
                    })?;
                    if !crate::i18n::shipped().any(|l| l == parsed.primary()) {
                        return Err(self.error(
                            list,
                            "display.languages",
                            format!(
                                "the interface is not translated into {tag:?}; \
                                 choose from {}",
                                crate::i18n::shipped().collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                    if !langs.contains(&parsed) {
                        langs.push(parsed);
                    }
                }
                if !langs.contains(&language) {
                    langs.insert(0, language.clone());
                }
                langs
            }
            None => {
                let mut langs = vec![language.clone()];
                for default in crate::i18n::shipped() {
                    let default = Lang::new(default);
                    if !langs.contains(&default) {
                        langs.push(default);
                    }
                }
                langs
            }
        };
        let (timezone_name, timezone) = match &raw.timezone {
            Some(name) => {
                let tz = jiff::tz::TimeZone::get(name.get_ref()).map_err(|_| {
                    self.error(
                        name,
                        "display.timezone",
                        format!(
                            "unknown time zone {:?}; use an IANA name such as \"Europe/Rome\"",
                            name.get_ref()
                        ),
                    )
                })?;
                (name.get_ref().clone(), tz)
            }
            None => ("Europe/Rome".to_string(), default_timezone()),
        };
        let width = self.ranged(&raw.window_width, "display.window_width", 320..=7680, 540)?;
        let height = self.ranged(&raw.window_height, "display.window_height", 320..=7680, 960)?;
        let rotation = match &raw.rotation {
            None => Rotation::Upright,
            Some(degrees) => Rotation::from_degrees(*degrees.get_ref()).ok_or_else(|| {
                self.error(
                    degrees,
                    "display.rotation",
                    format!(
                        "{} is not a quarter turn; use 0, 90, 180 or 270 \
                         (degrees clockwise the screen is turned)",
                        degrees.get_ref()
                    ),
                )
            })?,
        };
        Ok(DisplayConfig {
            fullscreen: raw.fullscreen.unwrap_or(true),
            window_size: (width as u32, height as u32),
            language,
            languages,
            timezone,
            timezone_name,
            rotation,
            off_when_closed: raw.off_when_closed.unwrap_or(true),
        })
    }

    fn validate_site(&self, raw: &RawSite, env: &Env) -> Result<SiteConfig, ConfigError> {
        let name = match &raw.name {
            None => "Portalavoro".to_string(),
            Some(name) => {
                let trimmed = name.get_ref().trim();
                if trimmed.is_empty() || trimmed.chars().count() > 60 {
                    return Err(self.error(name, "site.name", "use 1 to 60 characters"));
                }
                trimmed.to_string()
            }
        };
        let logo = match &raw.logo {
            None => None,
            Some(path) => {
                let resolved = self.resolve(path.get_ref());
                if !resolved.is_file() {
                    return Err(self.error(
                        path,
                        "site.logo",
                        format!("{} is not a readable file", resolved.display()),
                    ));
                }
                env.check_readable(&resolved)
                    .map_err(|why| self.error(path, "site.logo", why))?;
                Some(resolved)
            }
        };
        let contacts = match &raw.contacts {
            None => Vec::new(),
            Some(lines) if lines.get_ref().len() > 6 => {
                return Err(self.error(lines, "site.contacts", "list at most 6 lines"));
            }
            Some(lines) => lines
                .get_ref()
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
        };
        Ok(SiteConfig {
            name,
            logo,
            contacts,
        })
    }

    fn validate_attract(&self, raw: &RawAttract) -> Result<AttractConfig, ConfigError> {
        let playlist = match &raw.playlist {
            None => Slide::built_in_playlist(),
            Some(list) => {
                let mut slides = Vec::new();
                for (index, value) in list.get_ref().iter().enumerate() {
                    let json = serde_json::to_value(value).map_err(|err| {
                        self.error(
                            list,
                            "attract.playlist",
                            format!("slide {}: {err}", index + 1),
                        )
                    })?;
                    let slide = Slide::from_json(&json).map_err(|err| {
                        self.error(
                            list,
                            "attract.playlist",
                            format!("slide {}: {err}", index + 1),
                        )
                    })?;
                    if let crate::content::SlideKind::Image { url, .. } = &slide.kind
                        && crate::content::bundled::is_bundled(url)
                        && crate::content::bundled::picture(url).is_none()
                    {
                        let names: Vec<&str> = crate::content::bundled::names().collect();
                        return Err(self.error(
                            list,
                            "attract.playlist",
                            format!(
                                "slide {}: no bundled picture {url:?}; there are: bundled:{}",
                                index + 1,
                                names.join(", bundled:")
                            ),
                        ));
                    }
                    slides.push(slide);
                }
                slides
            }
        };
        Ok(AttractConfig {
            idle_timeout: self.seconds(
                &raw.idle_timeout_s,
                "attract.idle_timeout_s",
                15..=3_600,
                90,
            )?,
            playlist,
            transition: match &raw.transition {
                None => Transition::Slide,
                Some(value) => match value.get_ref().as_str() {
                    "slide" => Transition::Slide,
                    "cut" => Transition::Cut,
                    other => {
                        return Err(self.error(
                            value,
                            "attract.transition",
                            format!("{other:?}: use \"slide\" or \"cut\""),
                        ));
                    }
                },
            },
        })
    }
}

/// Europe/Rome from the system database, or the bundled copy when the
/// system has none (a minimal image without tzdata).
pub fn default_timezone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Rome").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// 1 to 64 letters, digits, '-', '_' and '.': a kiosk id, a channel.
fn is_valid_name(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn read_token(path: &Path) -> Result<Secret, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(format!("{} is empty", path.display()));
    }
    if token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(format!(
            "{} holds more than one token-like word",
            path.display()
        ));
    }
    Ok(Secret::new(token))
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The dotted key at a byte offset, for errors that toml reports by span:
/// the enclosing `[table]` plus the key written on that line.
fn key_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = line
        .split('=')
        .next()
        .filter(|_| line.contains('='))
        .map(str::trim)
        .unwrap_or("");
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim())
        .or_else(|| {
            let l = line.trim();
            l.starts_with('[')
                .then(|| l.trim_matches(|c| c == '[' || c == ']').trim())
        })
        .unwrap_or("");
    match (table.is_empty(), key.is_empty()) {
        (_, true) => table.to_string(),
        (true, false) => key.to_string(),
        (false, false) => format!("{table}.{key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(
            Path::new("/etc/portalavoro/kiosk.toml"),
            text,
            &Env::default(),
        )
    }

    #[test]
    fn empty_file_names_no_hub_and_shows_no_demo_with_defaults() {
        let config = parse_str("").unwrap();
        assert!(config.hub.is_none());
        assert!(!config.demo, "the demo is asked for, never a default");
        assert_eq!(config.display.language, Lang::new("it"));
        let every: Vec<Lang> = crate::i18n::shipped().map(Lang::new).collect();
        assert_eq!(config.display.languages, every, "every translated language");
        assert_eq!(config.display.timezone_name, "Europe/Rome");
        assert!(config.display.fullscreen);
        assert_eq!(config.attract.idle_timeout, Duration::from_secs(90));
        assert!(!config.attract.playlist.is_empty());
    }

    #[test]
    fn the_demo_is_asked_for_and_never_beside_a_hub() {
        assert!(parse_str("[hub]\ndemo = true\n").unwrap().demo);
        assert!(!parse_str("[hub]\ndemo = false\n").unwrap().demo);
        let err = parse_str("[hub]\nurl = \"https://hub.example.org/api/v1\"\ndemo = true\n")
            .unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (3, "hub.demo"), "{err}");
        let err = parse_str("[hub]\ndemo = \"yes\"\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn hub_defaults_follow_the_contract() {
        let config = parse_str("[hub]\nurl = \"https://hub.example.org/api/v1/\"\n").unwrap();
        let hub = config.hub.unwrap();
        assert_eq!(hub.url, "https://hub.example.org/api/v1");
        assert_eq!(hub.poll, Duration::from_secs(60));
        assert_eq!(hub.announcements_poll, Duration::from_secs(5));
        assert_eq!(hub.heartbeat, Duration::from_secs(60));
        assert_eq!(hub.max_body_bytes, 8 * 1024 * 1024);
        assert!(hub.token.is_none());
    }

    #[test]
    fn unknown_key_names_file_line_column_and_key() {
        let err = parse_str("[hub]\nurl = \"https://h.example\"\npol_s = 30\n").unwrap_err();
        assert_eq!(err.file, PathBuf::from("/etc/portalavoro/kiosk.toml"));
        assert_eq!((err.line, err.column), (3, 1));
        assert_eq!(err.key, "hub.pol_s");
        assert!(err.message.contains("unknown field"), "{err}");
        let shown = err.to_string();
        assert!(
            shown.starts_with("/etc/portalavoro/kiosk.toml:3:1: hub.pol_s: "),
            "{shown}"
        );
    }

    #[test]
    fn out_of_range_value_gives_the_allowed_range() {
        let err = parse_str("[hub]\nurl = \"https://h.example\"\npoll_s = 1\n").unwrap_err();
        assert_eq!(
            (err.line, err.column, err.key.as_str()),
            (3, 10, "hub.poll_s")
        );
        assert!(err.message.contains("allowed 5..=86400"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let err = parse_str("[attract]\nidle_timeout_s = \"ninety\"\n").unwrap_err();
        assert_eq!(err.key, "attract.idle_timeout_s");
        assert_eq!(err.line, 2);
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = parse_str("[display]\nlanguage = \"it\nfullscreen = true\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn plain_http_is_refused_unless_loopback_or_allowed() {
        let err = parse_str("[hub]\nurl = \"http://hub.example.org\"\n").unwrap_err();
        assert_eq!(err.key, "hub.url");
        assert!(err.message.contains("plain http"));
        assert!(parse_str("[hub]\nurl = \"http://127.0.0.1:8080\"\n").is_ok());
        assert!(parse_str("[hub]\nurl = \"http://[::1]:8080\"\n").is_ok());
        assert!(parse_str("[hub]\nurl = \"http://localhost:8080\"\n").is_ok());
        assert!(parse_str("[hub]\nurl = \"http://hub.lan\"\nallow_insecure_http = true\n").is_ok());
        let err = parse_str("[hub]\nurl = \"ftp://hub.example.org\"\n").unwrap_err();
        assert_eq!(err.key, "hub.url");
    }

    #[test]
    fn rotation_is_a_quarter_turn_and_the_screen_goes_dark_when_closed_by_default() {
        let config = parse_str("").unwrap();
        assert_eq!(config.display.rotation, Rotation::Upright);
        assert!(config.display.off_when_closed);
        let config = parse_str("[display]\nrotation = 270\noff_when_closed = false\n").unwrap();
        assert_eq!(config.display.rotation, Rotation::ThreeQuarters);
        assert!(!config.display.off_when_closed);
        let err = parse_str("[display]\nlanguage = \"it\"\nrotation = 45\n").unwrap_err();
        assert_eq!(
            (err.key.as_str(), err.line),
            ("display.rotation", 3),
            "{err}"
        );
        assert!(err.message.contains("0, 90, 180 or 270"), "{err}");
    }

    #[test]
    fn unknown_timezone_and_language_are_errors() {
        let err = parse_str("[display]\ntimezone = \"Europe/Matera\"\n").unwrap_err();
        assert_eq!(err.key, "display.timezone");
        let err = parse_str("[display]\nlanguage = \"italiano!\"\n").unwrap_err();
        assert_eq!(err.key, "display.language");
        let err = parse_str("[display]\nlanguages = []\n").unwrap_err();
        assert_eq!(err.key, "display.languages");
        let err = parse_str("[display]\nlanguages = [\"it\", \"de\"]\n").unwrap_err();
        assert_eq!(err.key, "display.languages");
        assert!(
            err.to_string().contains("it, en, fr, es, ro, uk, ar"),
            "{err}"
        );
        assert_eq!(err.line, 2);
        let err = parse_str("[display]\nlanguage = \"de\"\n").unwrap_err();
        assert_eq!(err.key, "display.language");
        let config = parse_str("[display]\nlanguage = \"ar\"\nlanguages = [\"uk\"]\n").unwrap();
        assert_eq!(config.display.languages, [Lang::new("ar"), Lang::new("uk")]);
    }

    #[test]
    fn token_comes_from_file_or_credentials_directory_and_never_shows() {
        let dir = std::env::temp_dir().join(format!("kiosk-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("token"), "s3cret-token\n").unwrap();
        std::fs::write(dir.join("hub-token"), "cred-token").unwrap();
        let path = dir.join("kiosk.toml");

        let text = "[hub]\nurl = \"https://h.example\"\ntoken_file = \"token\"\n";
        let config = parse(&path, text, &Env::default()).unwrap();
        let hub = config.hub.unwrap();
        assert_eq!(hub.token.as_ref().unwrap().expose(), "s3cret-token");
        assert!(!format!("{hub:?}").contains("s3cret"));

        let env = Env {
            credentials_directory: Some(dir.clone()),
            ..Env::default()
        };
        let config = parse(&path, "[hub]\nurl = \"https://h.example\"\n", &env).unwrap();
        assert_eq!(config.hub.unwrap().token.unwrap().expose(), "cred-token");

        let text = "[hub]\nurl = \"https://h.example\"\ntoken_file = \"missing\"\n";
        let err = parse(&path, text, &Env::default()).unwrap_err();
        assert_eq!(err.key, "hub.token_file");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_config_judges_files_as_the_service_reads_them() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("config-service-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let token = dir.join("hub-token");
        std::fs::write(&token, "s3cret-token\n").unwrap();
        std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
        let path = dir.join("kiosk.toml");
        let text = format!(
            "[hub]\nurl = \"https://h.example\"\ntoken_file = \"{}\"\n",
            token.display()
        );
        // This process reads it: valid.
        assert!(parse(&path, &text, &Env::default()).is_ok());
        // The service's user (here: a uid nobody runs as) does not.
        let service = Env {
            reader: Some(Reader {
                user: "kiosk".into(),
                uid: 4_000_321,
                gids: vec![4_000_321],
                hidden: Vec::new(),
            }),
            ..Env::default()
        };
        let err = parse(&path, &text, &service).unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (3, "hub.token_file"), "{err}");
        assert!(
            err.message.contains("user kiosk cannot read")
                && err.message.contains("LoadCredential"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn relative_cache_dir_is_relative_to_the_config_file() {
        let config = parse_str("[storage]\ncache_dir = \"cache\"\n").unwrap();
        assert_eq!(config.cache_dir, PathBuf::from("/etc/portalavoro/cache"));
        let env = Env {
            cache_directory: Some("/var/cache/kiosk".into()),
            ..Env::default()
        };
        let config = parse(Path::new("k.toml"), "", &env).unwrap();
        assert_eq!(config.cache_dir, PathBuf::from("/var/cache/kiosk"));
    }

    #[test]
    fn config_playlist_is_validated() {
        let text = "[[attract.playlist]]\nkind = \"text\"\ntext = \"Benvenuti\"\n\n\
                    [[attract.playlist]]\nkind = \"vacancies\"\ncount = 5\nduration_s = 10\n";
        let config = parse_str(text).unwrap();
        assert_eq!(config.attract.playlist.len(), 2);
        let err = parse_str("[[attract.playlist]]\nkind = \"video\"\n").unwrap_err();
        assert_eq!(err.key, "attract.playlist");
        assert!(err.message.contains("slide 1"), "{err}");
    }

    #[test]
    fn audio_is_read_and_checked() {
        let config = parse_str("").unwrap();
        assert_eq!(config.audio.volume, 0.6);
        assert!(config.audio.click && !config.audio.music);
        let config = parse_str(
            "[audio]\nvolume = 30\nmusic = true\nquiet_hours = [\"12:30-14:00\", \"20:00-08:00\"]\n",
        )
        .unwrap();
        let at =
            |t: &str| -> jiff::Zoned { format!("2026-11-23T{t}[Europe/Rome]").parse().unwrap() };
        assert!(config.audio.music_allowed(&at("10:00")));
        assert!(!config.audio.music_allowed(&at("13:00")), "lunch quiet");
        assert!(!config.audio.music_allowed(&at("23:00")), "night quiet");
        assert!(!config.audio.music_allowed(&at("07:59")), "past midnight");
        assert!(config.audio.music_allowed(&at("08:00")));
        let err = parse_str("[audio]\nvolume = 150\n").unwrap_err();
        assert_eq!((err.key.as_str(), err.line), ("audio.volume", 2));
        let err = parse_str("[audio]\nquiet_hours = [\"late\"]\n").unwrap_err();
        assert_eq!(err.key, "audio.quiet_hours");
        assert_eq!(
            config.audio.speech_synthesizer.as_deref(),
            Some("espeak-ng")
        );
        let off = parse_str("[audio]\nspeech_synthesizer = \"\"\n").unwrap();
        assert_eq!(off.audio.speech_synthesizer, None);
        let err = parse_str("[audio]\nspeech_synthesizer = \"espeak-ng -v it\"\n").unwrap_err();
        assert_eq!(err.key, "audio.speech_synthesizer");
        let silent = parse_str("[audio]\nvolume = 0\nmusic = true\n").unwrap();
        assert!(!silent.audio.music_allowed(&at("10:00")));
    }

    #[test]
    fn the_diagnostics_pin_is_a_salted_hash_and_never_the_pin() {
        assert_eq!(parse_str("").unwrap().diagnostics_pin, None);
        let phc = crate::diagnostics::hash_pin("2468").unwrap();
        let config = parse_str(&format!("[diagnostics]\npin_hash = \"{phc}\"\n")).unwrap();
        let pin = config.diagnostics_pin.unwrap();
        assert!(pin.matches("2468") && pin.weakness().is_none());
        let err = parse_str("[diagnostics]\npin_hash = \"2468\"\n").unwrap_err();
        assert_eq!((err.key.as_str(), err.line), ("diagnostics.pin_hash", 2));
        assert!(err.message.contains("--hash-pin"), "{}", err.message);

        // The legacy SHA-256 of earlier versions still opens (an upgrade
        // locks no one out), flagged as weak.
        let sha = crate::diagnostics::sha256_hex("2468");
        let config = parse_str(&format!(
            "[diagnostics]\npin_sha256 = \"{}\"\n",
            sha.to_uppercase()
        ))
        .unwrap();
        let pin = config.diagnostics_pin.unwrap();
        assert!(pin.matches("2468") && pin.weakness().is_some());
        let err = parse_str("[diagnostics]\npin_sha256 = \"2468\"\n").unwrap_err();
        assert_eq!((err.key.as_str(), err.line), ("diagnostics.pin_sha256", 2));
        let both = format!("[diagnostics]\npin_hash = \"{phc}\"\npin_sha256 = \"{sha}\"\n");
        let err = parse_str(&both).unwrap_err();
        assert_eq!((err.key.as_str(), err.line), ("diagnostics.pin_sha256", 3));
    }

    #[test]
    fn the_transition_is_slide_or_cut() {
        assert_eq!(parse_str("").unwrap().attract.transition, Transition::Slide);
        let cut = parse_str("[attract]\ntransition = \"cut\"\n").unwrap();
        assert_eq!(cut.attract.transition, Transition::Cut);
        let err = parse_str("[attract]\ntransition = \"fade\"\n").unwrap_err();
        assert_eq!((err.key.as_str(), err.line), ("attract.transition", 2));
    }

    #[test]
    fn a_playlist_may_name_only_bundled_pictures_that_exist() {
        let ok = "[[attract.playlist]]\nkind = \"image\"\nurl = \"bundled:welcome\"\n";
        assert_eq!(parse_str(ok).unwrap().attract.playlist.len(), 1);
        let err = parse_str(&ok.replace("welcome", "welcom")).unwrap_err();
        assert_eq!(err.key, "attract.playlist");
        assert!(err.message.contains("bundled:welcome"), "{}", err.message);
    }

    #[test]
    fn opening_hours_are_read_and_checked() {
        let config = parse_str("").unwrap();
        assert_eq!(config.hours, OpeningHours::always());
        let text =
            "[hours]\nmonday = [\"09:00-13:00\", \"15:00-18:00\"]\nholidays = [\"2026-12-25\"]\n";
        let config = parse_str(text).unwrap();
        let monday: jiff::Zoned = "2026-11-23T10:00[Europe/Rome]".parse().unwrap();
        let tuesday: jiff::Zoned = "2026-11-24T10:00[Europe/Rome]".parse().unwrap();
        assert!(config.hours.is_open(&monday));
        assert!(
            !config.hours.is_open(&tuesday),
            "a day not listed is closed"
        );

        let err = parse_str("[hours]\nfriday = [\"09:00-13:00\", \"15-18\"]\n").unwrap_err();
        assert_eq!((err.key.as_str(), err.line), ("hours.friday", 2));
        assert!(err.message.contains("15-18"), "{err}");
        let err = parse_str("[hours]\nholidays = [\"25/12/2026\"]\n").unwrap_err();
        assert_eq!(err.key, "hours.holidays");
        let err = parse_str("[hours]\nmonady = []\n").unwrap_err();
        assert_eq!(err.key, "hours.monady");
    }

    #[test]
    fn site_name_logo_and_contacts_are_checked() {
        let config = parse_str("").unwrap();
        assert_eq!(config.site.name, "Portalavoro");
        assert_eq!(config.site.logo, None);
        let config = parse_str(
            "[site]\nname = \" Portalavoro Matera \"\ncontacts = [\"Via Roma 1\", \"\"]\n",
        )
        .unwrap();
        assert_eq!(config.site.name, "Portalavoro Matera");
        assert_eq!(config.site.contacts, ["Via Roma 1"]);
        let err = parse_str("[site]\nlogo = \"missing.png\"\n").unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (2, "site.logo"), "{err}");
        let err = parse_str("[site]\nname = \"\"\n").unwrap_err();
        assert_eq!(err.key, "site.name");
    }

    #[test]
    fn the_repository_kiosk_toml_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kiosk.toml");
        let config = load(&path, &Env::default()).unwrap();
        assert!(
            config.hub.is_none() && config.demo,
            "the repository's file runs on the demo content"
        );
    }
}
