//! The technician card: what a totem with nothing to show puts on screen
//! instead of content (no hub configured, or a hub it has never reached
//! and no copy kept): who it is, where it sits on the network, what is
//! missing or failing, and the same facts as text for a QR code, so that a
//! technician with forty totems to install reads them with a phone.
//!
//! Never demo content in its place: the demo is asked for (`hub.demo`).

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::Path;

use crate::config::Config;
use crate::content::{Catalog, Feed};

/// What stands between the totem and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The configuration file is broken (`file:line:column: key: message`)
    /// and no valid copy names a hub.
    BrokenConfig(String),
    /// The configuration names no hub (and does not ask for the demo).
    NoHub,
    /// The hub answers, but refuses the kiosk's token (or it has none).
    TokenRefused { url: String, error: String },
    /// The hub cannot be reached, or answers with an error.
    HubUnreachable { url: String, error: String },
}

impl Problem {
    /// What it is, in Italian, then in English: a headline each.
    pub fn headline(&self) -> (&'static str, &'static str) {
        match self {
            Problem::BrokenConfig(_) => (
                "Il file di configurazione contiene un errore",
                "The configuration file has an error",
            ),
            Problem::NoHub => ("Nessun hub configurato", "No hub configured"),
            Problem::TokenRefused { .. } => (
                "L'hub rifiuta il token del chiosco",
                "The hub refuses the kiosk's token",
            ),
            Problem::HubUnreachable { .. } => ("L'hub non risponde", "The hub does not answer"),
        }
    }

    /// The detail and what to do, for `config` (the file's path).
    pub fn detail(&self, config: &Path) -> String {
        let file = config.display();
        match self {
            Problem::BrokenConfig(error) => error.clone(),
            Problem::NoHub => {
                format!("hub.url in {file}, or kiosk.toml on the PORTALAVORO partition")
            }
            Problem::TokenRefused { url, error } => {
                format!("{url}: {error}; hub-token on the PORTALAVORO partition")
            }
            Problem::HubUnreachable { url, error } => format!("{url}: {error}"),
        }
    }
}

/// Why the totem shows the technician card: empty when it has content to
/// show (from the hub, its kept copy or the demo), or while it waits for
/// its hub's first answer. `config_error`: the broken file's error, when
/// the kiosk runs out of service.
pub fn problems(config: &Config, catalog: &Catalog, config_error: Option<&str>) -> Vec<Problem> {
    let answered = Feed::ALL
        .iter()
        .any(|feed| catalog.status(*feed).last_success.is_some());
    if answered || !catalog.is_empty() {
        return Vec::new();
    }
    if let Some(error) = config_error {
        return vec![Problem::BrokenConfig(error.to_string())];
    }
    let Some(hub) = &config.hub else {
        return if config.demo {
            Vec::new()
        } else {
            vec![Problem::NoHub]
        };
    };
    let error = Feed::BY_URGENCY
        .iter()
        .find_map(|feed| catalog.status(*feed).last_error.clone());
    match error {
        None => Vec::new(),
        Some(error) if error.starts_with("token rejected") => vec![Problem::TokenRefused {
            url: hub.url.clone(),
            error,
        }],
        Some(error) => vec![Problem::HubUnreachable {
            url: hub.url.clone(),
            error,
        }],
    }
}

/// A network interface as the card shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    /// `aa:bb:cc:dd:ee:ff`.
    pub mac: Option<String>,
    /// Link-local IPv6 addresses left out: no technician types them.
    pub addresses: Vec<IpAddr>,
}

/// Who the totem is and where it sits on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub kiosk_id: String,
    pub version: String,
    /// The machine's serial number, from its firmware.
    pub serial: Option<String>,
    /// Every interface but loopback and virtual ones without an address,
    /// by name.
    pub interfaces: Vec<Interface>,
    /// Why the provisioning partition's settings were refused at boot.
    pub provisioning_error: Option<String>,
}

/// Where the provisioning service (root) copies the firmware's serial
/// number at boot: the firmware's own file is readable by root only.
pub const SERIAL_COPY: &str = "/run/portalavoro/serial";
/// Where it writes why it refused what the partition holds.
pub const PROVISIONING_ERROR: &str = "/run/portalavoro/provision-error";

impl Facts {
    /// Read from this machine now (quick: no DNS, no packet sent).
    pub fn of_this_machine(kiosk_id: &str, version: &str) -> Facts {
        let serial = ["/sys/class/dmi/id/product_serial", SERIAL_COPY]
            .iter()
            .find_map(|path| std::fs::read_to_string(path).ok())
            .and_then(|text| meaningful_serial(&text));
        Facts {
            kiosk_id: kiosk_id.to_string(),
            version: version.to_string(),
            serial,
            interfaces: interfaces(),
            provisioning_error: std::fs::read_to_string(PROVISIONING_ERROR)
                .ok()
                .map(|text| text.trim().to_string())
                .filter(|text| !text.is_empty()),
        }
    }

    /// The facts and the problems as plain lines, for the QR code (and a
    /// technician's notes): what is on the card, nothing more.
    pub fn qr_text(&self, problems: &[Problem], config: &Path) -> String {
        let mut text = format!(
            "PORTALAVORO KIOSK\nid: {}\nversion: {}\nserial: {}\n",
            self.kiosk_id,
            self.version,
            self.serial.as_deref().unwrap_or("-")
        );
        for interface in &self.interfaces {
            let _ = write!(
                text,
                "{}: {}",
                interface.name,
                interface.mac.as_deref().unwrap_or("-")
            );
            for address in &interface.addresses {
                let _ = write!(text, " {address}");
            }
            text.push('\n');
        }
        for problem in problems {
            let _ = writeln!(
                text,
                "problem: {}: {}",
                problem.headline().1,
                problem.detail(config)
            );
        }
        if let Some(error) = &self.provisioning_error {
            let _ = writeln!(text, "provisioning: {error}");
        }
        text
    }
}

/// A serial number worth showing: firmware often ships placeholders.
fn meaningful_serial(text: &str) -> Option<String> {
    let serial = text.trim();
    let placeholder = [
        "",
        "0",
        "none",
        "default string",
        "to be filled by o.e.m.",
        "system serial number",
        "not specified",
        "not applicable",
    ]
    .contains(&serial.to_ascii_lowercase().as_str());
    (!placeholder).then(|| serial.to_string())
}

/// Every interface but loopback and addressless virtual ones, with its
/// MAC and addresses.
fn interfaces() -> Vec<Interface> {
    let Ok(found) = nix::ifaddrs::getifaddrs() else {
        return Vec::new();
    };
    let mut interfaces: Vec<Interface> = Vec::new();
    for entry in found {
        if entry
            .flags
            .contains(nix::net::if_::InterfaceFlags::IFF_LOOPBACK)
        {
            continue;
        }
        let index = match interfaces
            .iter()
            .position(|i| i.name == entry.interface_name)
        {
            Some(index) => index,
            None => {
                interfaces.push(Interface {
                    name: entry.interface_name.clone(),
                    mac: None,
                    addresses: Vec::new(),
                });
                interfaces.len() - 1
            }
        };
        let interface = &mut interfaces[index];
        let Some(address) = entry.address else {
            continue;
        };
        if let Some(v4) = address.as_sockaddr_in() {
            interface.addresses.push(IpAddr::V4(v4.ip()));
        } else if let Some(v6) = address.as_sockaddr_in6() {
            let ip = v6.ip();
            if !ip.is_unicast_link_local() {
                interface.addresses.push(IpAddr::V6(ip));
            }
        } else if let Some(mac) = address.as_link_addr().and_then(|link| link.addr()) {
            interface.mac = Some(
                mac.iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect::<Vec<_>>()
                    .join(":"),
            );
        }
    }
    // A port with no address is worth showing (a cable unplugged), a
    // virtual device with none is not (ifb, dummy, a bridge left down).
    interfaces.retain(|interface| {
        !interface.addresses.is_empty()
            || Path::new("/sys/class/net")
                .join(&interface.name)
                .join("device")
                .exists()
    });
    interfaces.sort_by(|a, b| a.name.cmp(&b.name));
    interfaces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Env, parse};
    use crate::content::FeedStatus;
    use jiff::Timestamp;

    fn config(text: &str) -> Config {
        parse(
            Path::new("/etc/portalavoro/kiosk.toml"),
            text,
            &Env::default(),
        )
        .unwrap()
    }

    fn failing(error: &str) -> Catalog {
        let mut catalog = Catalog::default();
        for feed in Feed::ALL {
            catalog.status.insert(
                feed,
                FeedStatus {
                    last_error: Some(error.to_string()),
                    ..FeedStatus::EMPTY
                },
            );
        }
        catalog
    }

    const HUB: &str = "[hub]\nurl = \"https://hub.example.org/api/v1\"\n";

    #[test]
    fn a_totem_without_a_hub_shows_the_card_and_the_demo_is_asked_for() {
        let empty = Catalog::default();
        assert_eq!(problems(&config(""), &empty, None), [Problem::NoHub]);
        assert!(problems(&config("[hub]\ndemo = true\n"), &empty, None).is_empty());
        let broken = "kiosk.toml:2:18: attract.idle_timeout_s: 5 is out of range";
        assert_eq!(
            problems(&config(""), &empty, Some(broken)),
            [Problem::BrokenConfig(broken.into())],
            "out of service: the file's error, not \"no hub\""
        );
    }

    #[test]
    fn a_hub_never_reached_shows_its_error_and_content_ends_the_card() {
        let hub = config(HUB);
        // Still asking for the first time: no card yet.
        assert!(problems(&hub, &Catalog::default(), None).is_empty());
        let offline = failing("connection refused");
        assert_eq!(
            problems(&hub, &offline, None),
            [Problem::HubUnreachable {
                url: "https://hub.example.org/api/v1".into(),
                error: "connection refused".into()
            }]
        );
        assert!(matches!(
            problems(&hub, &failing("token rejected (HTTP 401)"), None)[..],
            [Problem::TokenRefused { .. }]
        ));
        // One answer, even an empty list, is content: the hub works.
        let mut answered = offline.clone();
        answered.status.get_mut(&Feed::News).unwrap().last_success = Some(Timestamp::UNIX_EPOCH);
        assert!(problems(&hub, &answered, None).is_empty());
        // A kept copy on screen while the hub is away: content, no card.
        let mut kept = offline;
        kept.apply(crate::content::FeedData::Vacancies(
            crate::content::demo::catalog(Timestamp::UNIX_EPOCH, &jiff::tz::TimeZone::UTC)
                .vacancies
                .to_vec(),
        ));
        assert!(problems(&hub, &kept, None).is_empty());
    }

    #[test]
    fn the_qr_text_holds_the_facts_and_the_problems() {
        let facts = Facts {
            kiosk_id: "totem-matera".into(),
            version: "1.2.3".into(),
            serial: Some("PF3XYZ".into()),
            interfaces: vec![Interface {
                name: "enp1s0".into(),
                mac: Some("52:54:00:12:34:56".into()),
                addresses: vec!["10.0.2.15".parse().unwrap()],
            }],
            provisioning_error: Some("hub-token is empty: the totem keeps its own".into()),
        };
        let text = facts.qr_text(&[Problem::NoHub], Path::new("/etc/portalavoro/kiosk.toml"));
        assert_eq!(
            text,
            "PORTALAVORO KIOSK\nid: totem-matera\nversion: 1.2.3\nserial: PF3XYZ\n\
             enp1s0: 52:54:00:12:34:56 10.0.2.15\n\
             problem: No hub configured: hub.url in /etc/portalavoro/kiosk.toml, \
             or kiosk.toml on the PORTALAVORO partition\n\
             provisioning: hub-token is empty: the totem keeps its own\n"
        );
    }

    #[test]
    fn firmware_placeholders_are_no_serial() {
        assert_eq!(meaningful_serial("PF3XYZ\n"), Some("PF3XYZ".into()));
        for junk in ["To Be Filled By O.E.M.\n", "Default string", " ", "0"] {
            assert_eq!(meaningful_serial(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn this_machine_has_no_loopback_on_the_card() {
        let facts = Facts::of_this_machine("k", "1");
        assert!(facts.interfaces.iter().all(|i| i.name != "lo"), "{facts:?}");
        assert!(
            facts
                .interfaces
                .iter()
                .flat_map(|i| &i.addresses)
                .all(|a| !a.is_loopback()),
            "{facts:?}"
        );
    }
}
