//! `[updates]`: where the totem's image looks for a new system version and
//! when it may install one (image/README.md, docs/updates.md). The kiosk
//! itself never updates anything: `portalavoro-kiosk --update-source`
//! answers the image's update service with the folder to read, or why not
//! now.

use jiff::Zoned;
use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, HubConfig, Validator, is_valid_name};
use crate::hours::Range;

/// The update settings, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatesConfig {
    pub enabled: bool,
    /// The folder of channels, without a trailing slash; `None`: the hub's
    /// `/updates`.
    pub source: Option<String>,
    /// The channel's folder under the source (one per site, or a pilot
    /// site first).
    pub channel: String,
    /// When an update may be installed (and the totem restarted), in the
    /// kiosk's time zone.
    pub window: Range,
}

impl Default for UpdatesConfig {
    fn default() -> Self {
        UpdatesConfig {
            enabled: true,
            source: None,
            channel: DEFAULT_CHANNEL.to_string(),
            window: Range::parse(DEFAULT_WINDOW).expect("the default window is valid"),
        }
    }
}

pub const DEFAULT_CHANNEL: &str = "stable";
pub const DEFAULT_WINDOW: &str = "02:00-05:00";

/// Why no update is looked for now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotNow {
    #[error("updates are off (updates.enabled = false)")]
    Off,
    #[error("no update source: set hub.url or updates.source")]
    NoSource,
    #[error("outside the update window {window} (now {now})")]
    OutsideWindow { window: String, now: String },
}

impl UpdatesConfig {
    /// The channel's folder URL (ending in `/`) when an update may be
    /// installed `at`, else why not.
    pub fn due(&self, hub: Option<&HubConfig>, at: &Zoned) -> Result<String, NotNow> {
        if !self.enabled {
            return Err(NotNow::Off);
        }
        let source = match (&self.source, hub) {
            (Some(source), _) => source.clone(),
            (None, Some(hub)) => format!("{}/updates", hub.url),
            (None, None) => return Err(NotNow::NoSource),
        };
        if !self.window.contains(at.time()) {
            return Err(NotNow::OutsideWindow {
                window: format!(
                    "{}-{}",
                    self.window.start.strftime("%H:%M"),
                    self.window.end.strftime("%H:%M")
                ),
                now: at.strftime("%H:%M").to_string(),
            });
        }
        Ok(format!("{source}/{}/", self.channel))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUpdates {
    enabled: Option<bool>,
    source: Option<Spanned<String>>,
    channel: Option<Spanned<String>>,
    window: Option<Spanned<String>>,
}

impl Validator<'_> {
    pub(super) fn validate_updates(
        &self,
        raw: &RawUpdates,
        allow_insecure_http: bool,
    ) -> Result<UpdatesConfig, ConfigError> {
        let mut updates = UpdatesConfig {
            enabled: raw.enabled.unwrap_or(true),
            ..UpdatesConfig::default()
        };
        if let Some(source) = &raw.source {
            updates.source = Some(self.url(source, "updates.source", allow_insecure_http)?);
        }
        if let Some(channel) = &raw.channel {
            let name = channel.get_ref();
            if !is_valid_name(name) || name.starts_with('.') {
                return Err(self.error(
                    channel,
                    "updates.channel",
                    "a folder name: 1 to 64 letters, digits, '-', '_' and '.', not starting with '.'",
                ));
            }
            updates.channel = name.clone();
        }
        if let Some(window) = &raw.window {
            updates.window = Range::parse(window.get_ref())
                .map_err(|why| self.error(window, "updates.window", why))?;
        }
        Ok(updates)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_str;
    use super::*;

    fn at(time: &str) -> Zoned {
        format!("2026-12-06T{time}[Europe/Rome]").parse().unwrap()
    }

    #[test]
    fn by_default_the_hub_serves_the_stable_channel_at_night() {
        let config = parse_str("[hub]\nurl = \"https://hub.example\"\n").unwrap();
        assert_eq!(config.updates, UpdatesConfig::default());
        assert_eq!(
            config.updates.due(config.hub.as_ref(), &at("02:00")),
            Ok("https://hub.example/updates/stable/".to_string())
        );
        assert_eq!(
            config.updates.due(config.hub.as_ref(), &at("04:59")),
            Ok("https://hub.example/updates/stable/".to_string())
        );
        assert_eq!(
            config.updates.due(config.hub.as_ref(), &at("05:00")),
            Err(NotNow::OutsideWindow {
                window: "02:00-05:00".into(),
                now: "05:00".into()
            })
        );
        assert_eq!(
            config
                .updates
                .due(config.hub.as_ref(), &at("10:30"))
                .unwrap_err()
                .to_string(),
            "outside the update window 02:00-05:00 (now 10:30)"
        );
    }

    #[test]
    fn a_source_channel_and_window_of_its_own() {
        let config = parse_str(
            "[updates]\nsource = \"https://updates.regione.example/totem/\"\n\
             channel = \"pilot-matera\"\nwindow = \"23:30-01:00\"\n",
        )
        .unwrap();
        let url = "https://updates.regione.example/totem/pilot-matera/".to_string();
        assert_eq!(config.updates.due(None, &at("23:45")), Ok(url.clone()));
        assert_eq!(config.updates.due(None, &at("00:30")), Ok(url));
        assert!(config.updates.due(None, &at("01:00")).is_err());
    }

    #[test]
    fn off_or_without_a_source_nothing_is_due() {
        let off = parse_str("[hub]\nurl = \"https://hub.example\"\n[updates]\nenabled = false\n")
            .unwrap();
        assert_eq!(
            off.updates.due(off.hub.as_ref(), &at("03:00")),
            Err(NotNow::Off)
        );
        let alone = parse_str("").unwrap();
        assert_eq!(alone.updates.due(None, &at("03:00")), Err(NotNow::NoSource));
    }

    #[test]
    fn a_bad_setting_names_its_line_and_key() {
        let err = parse_str("[updates]\nchannel = \"../etc\"\n").unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (2, "updates.channel"));
        let err = parse_str("[updates]\n\nwindow = \"2-5\"\n").unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (3, "updates.window"));
        let err = parse_str("[updates]\nsource = \"http://updates.lan\"\n").unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (2, "updates.source"));
        assert!(err.message.contains("https"), "{}", err.message);
        assert!(
            parse_str(
                "[hub]\nurl = \"http://hub.lan\"\nallow_insecure_http = true\n\
                 [updates]\nsource = \"http://updates.lan\"\n"
            )
            .is_ok()
        );
        let err = parse_str("[updates]\nwhen = \"02:00-03:00\"\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
