//! The heartbeat (`POST /kiosks/{id}/heartbeat`): the kiosk's health, and
//! nothing about its visitors: no touch positions, no search text, no
//! choices, only a count of touches. Besides the contract's fields it says
//! whether the kiosk runs on the last valid configuration and whether it
//! has sound.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::content::{Catalog, Feed};
use crate::screen::ScreenState;
use crate::system_image::SystemImage;

/// What the app tells the sync thread about itself, for the heartbeat.
#[derive(Debug, Clone, Default)]
pub struct Vitals {
    /// The screen shown, e.g. `home`, `attract`.
    pub screen: String,
    /// Physical size of the window in pixels.
    pub display: (u32, u32),
    /// Touches (and clicks) since the last heartbeat was sent.
    pub touches: u64,
    /// The configuration file's error while the kiosk runs on the last
    /// valid copy.
    pub config_error: Option<String>,
    /// The sound output: "playing on DEVICE", or "silent: why".
    pub sound: String,
    /// How the screen is turned, in degrees clockwise (`display.rotation`).
    pub rotation: u16,
    /// Whether the screen is lit, why not, and what switched it.
    pub screen_power: ScreenState,
    /// The totem's system image, on the image: its version and an update
    /// that was rolled back.
    pub image: Option<SystemImage>,
}

/// Shared between the app (writer) and the sync thread (reader).
pub type SharedVitals = Arc<Mutex<Vitals>>;

/// The heartbeat document of the contract.
pub fn document(
    started_at: Timestamp,
    now: Timestamp,
    vitals: &Vitals,
    catalog: &Catalog,
) -> Value {
    let feeds: serde_json::Map<String, Value> = Feed::ALL
        .iter()
        .map(|feed| {
            let status = catalog.status(*feed);
            let value = json!({
                "last_success": status.last_success.map(|t| t.to_string()),
                "last_error": status.last_error,
                "items": status.items,
            });
            (feed.name().to_string(), value)
        })
        .collect();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "started_at": started_at.to_string(),
        "uptime_s": now.duration_since(started_at).as_secs().max(0),
        "screen": if vitals.screen.is_empty() { "starting" } else { vitals.screen.as_str() },
        "memory_rss_bytes": resident_memory_bytes(),
        // A dark screen outside opening hours is on purpose: `power` says
        // "off" with `off_reason` "closed", and a hub shows no fault.
        "display": {
            "width": vitals.display.0,
            "height": vitals.display.1,
            "rotation": vitals.rotation,
            "power": vitals.screen_power.power.name(),
            "off_reason": vitals.screen_power.reason,
            "power_note": vitals.screen_power.note,
        },
        "feeds": feeds,
        "touches_since_last": vitals.touches,
        // Beyond the contract's fields (a hub ignores what it does not
        // know): what a remote technician would otherwise drive out for.
        "config_error": vitals.config_error,
        "sound": vitals.sound,
        // On the totem's image: the system version, and an update that did
        // not pass its trial boot (the totem went back by itself).
        "image": vitals.image.as_ref().map(|image| json!({
            "version": image.version,
            "rolled_back": image.rolled_back.as_ref().map(|r| json!({
                "version": r.version,
                "reason": r.reason,
            })),
        })),
    })
}

/// This process's resident memory, from `/proc/self/status` (Linux).
pub fn resident_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heartbeat_has_the_contract_fields_and_only_them() {
        let started: Timestamp = "2026-11-22T08:00:00Z".parse().unwrap();
        let now: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        let vitals = Vitals {
            screen: "attract".into(),
            display: (1080, 1920),
            touches: 14,
            config_error: Some("kiosk.toml:4:18: attract.idle_timeout_s: 5 is out of range".into()),
            sound: "silent: no audio output device".into(),
            rotation: 90,
            screen_power: ScreenState {
                power: crate::screen::Power::Off,
                reason: Some("closed"),
                note: "wlr-randr: HDMI-A-1 off; HDMI-CEC: standby sent".into(),
            },
            image: Some(SystemImage {
                version: "0.9.0.20261203".into(),
                rolled_back: Some(crate::system_image::RolledBack {
                    version: "0.9.0.20261210".into(),
                    reason: "the kiosk stopped 3 times before it was ready".into(),
                }),
            }),
        };
        let doc = document(started, now, &vitals, &Catalog::default());
        let mut keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "config_error",
                "display",
                "feeds",
                "image",
                "memory_rss_bytes",
                "screen",
                "sound",
                "started_at",
                "touches_since_last",
                "uptime_s",
                "version"
            ]
        );
        assert_eq!(doc["uptime_s"], 3600);
        assert_eq!(doc["display"]["height"], 1920);
        assert_eq!(doc["display"]["rotation"], 90);
        assert_eq!(doc["display"]["power"], "off");
        assert_eq!(doc["display"]["off_reason"], "closed");
        let lit = document(started, now, &Vitals::default(), &Catalog::default());
        assert_eq!(lit["display"]["power"], "on");
        assert!(lit["display"]["off_reason"].is_null());
        assert_eq!(doc["image"]["version"], "0.9.0.20261203");
        assert_eq!(doc["image"]["rolled_back"]["version"], "0.9.0.20261210");
        assert!(lit["image"].is_null(), "off the image: no image");
        assert_eq!(doc["touches_since_last"], 14);
        assert_eq!(doc["feeds"].as_object().unwrap().len(), 7);
        assert!(doc["feeds"]["services"].is_object());
        assert!(doc["feeds"]["news"]["last_error"].is_null());
        assert!(doc["memory_rss_bytes"].as_u64().unwrap() > 0);
        assert_eq!(doc["sound"], "silent: no audio output device");
        assert!(
            doc["config_error"]
                .as_str()
                .unwrap()
                .contains("idle_timeout_s")
        );
    }
}
