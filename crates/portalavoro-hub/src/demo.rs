//! The demo network (`portalavoro-hub --demo`): two hubs and a spoke, two
//! kiosks, the kiosk's own demo content (assets/demo, services with their
//! calendars included) with its dates moved
//! to today, and files that let a kiosk on this machine connect at once:
//! each kiosk's token and a kiosk.toml for it, in the demo's state folder.
//! Loaded into an empty database; today's bookings again at every start.

use std::path::{Path, PathBuf};

use jiff::{Span, Timestamp, ToSpan};
use serde_json::Value;

use crate::config::HubConfig;
use crate::db::playlists::Owner;
use crate::db::{Db, DbError, Role, Site};
use crate::intake::{Kind, intake};
use crate::{pictures, secrets};

const ACTOR: &str = "demo";
/// The kiosks of the demo, and their sites.
pub const KIOSKS: [(&str, &str); 2] = [
    ("totem-matera-1", "matera"),
    ("totem-policoro-1", "policoro"),
];

struct File(&'static str, &'static [u8]);

const FEEDS: [File; 6] = [
    File("news", include_bytes!("../../../assets/demo/news.json")),
    File(
        "vacancies",
        include_bytes!("../../../assets/demo/vacancies.json"),
    ),
    File("rooms", include_bytes!("../../../assets/demo/rooms.json")),
    File(
        "bookings",
        include_bytes!("../../../assets/demo/bookings.json"),
    ),
    File(
        "announcements",
        include_bytes!("../../../assets/demo/announcements.json"),
    ),
    File(
        "services",
        include_bytes!("../../../assets/demo/services.json"),
    ),
];
/// When the demo's services by appointment see people.
const CALENDARS: [(&str, &str); 2] = [
    (
        "s-orientamento",
        r#"{"slot_minutes": 30, "capacity": 2, "notice_minutes": 60, "weekly": [
            {"day": 1, "from": "09:00", "to": "12:30"}, {"day": 2, "from": "09:00", "to": "12:30"},
            {"day": 3, "from": "09:00", "to": "12:30"}, {"day": 4, "from": "09:00", "to": "12:30"},
            {"day": 5, "from": "09:00", "to": "12:30"}, {"day": 2, "from": "15:00", "to": "17:00"},
            {"day": 4, "from": "15:00", "to": "17:00"}]}"#,
    ),
    (
        "s-garanzia-giovani",
        r#"{"slot_minutes": 45, "capacity": 1, "notice_minutes": 60, "weekly": [
            {"day": 2, "from": "14:30", "to": "17:30"}, {"day": 4, "from": "14:30", "to": "17:30"}]}"#,
    ),
];
const PLAYLIST: &[u8] = include_bytes!("../../../assets/demo/playlist.json");
const MEDIA: [File; 3] = [
    File(
        "career-day.jpg",
        include_bytes!("../../../assets/demo/media/career-day.jpg"),
    ),
    File(
        "open-day.jpg",
        include_bytes!("../../../assets/demo/media/open-day.jpg"),
    ),
    File(
        "workshop.jpg",
        include_bytes!("../../../assets/demo/media/workshop.jpg"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("demo data: {0}")]
    Data(String),
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

/// The demo's state folder: `$XDG_STATE_HOME/portalavoro-hub-demo`, else
/// `~/.local/state/portalavoro-hub-demo`.
/// The demo's console user (an admin); its password is made at first start.
const DEMO_USER: &str = "demo";

pub fn state_dir() -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("portalavoro-hub-demo")
}

/// Loads the demo into `db` (the network only when it is empty), writes
/// the kiosks' files, and says where they are.
pub async fn load(db: &Db, config: &HubConfig, port: u16) -> Result<Vec<String>, DemoError> {
    let now = Timestamp::now();
    let shift = days_to_today(config, now)?;
    let dir = &config.state_dir;
    if db.sites().await?.is_empty() {
        seed_network(db, config, &shift, now.as_second()).await?;
    }
    seed_bookings(db, &shift, &config.timezone, now.as_second()).await?;
    let mut lines = Vec::new();
    for (kiosk, site) in KIOSKS {
        let name = db.site(site).await?.map(|s| s.name).unwrap_or_default();
        let toml = dir.join(format!("kiosk-{kiosk}.toml"));
        let text = format!(
            "# Written by portalavoro-hub --demo: kiosk {kiosk} of {name}.\n\
             [hub]\nurl = \"http://127.0.0.1:{port}/api/v1\"\nkiosk_id = \"{kiosk}\"\n\
             token_file = \"kiosk-token-{kiosk}\"\nannouncements_poll_s = 5\n\n\
             [storage]\ncache_dir = \"cache-{kiosk}\"\n\n[site]\nname = \"{name}\"\n\n\
             [display]\nfullscreen = false\nwindow_width = 540\nwindow_height = 960\n"
        );
        write(&toml, &text)?;
        lines.push(format!(
            "kiosk {kiosk} ({name}): cargo run --release -- --config {}",
            toml.display()
        ));
    }
    lines.push(format!(
        "staff API token (admin): {}",
        dir.join("staff-token").display()
    ));
    lines.push(format!(
        "console: http://127.0.0.1:{port}/console/ (user {DEMO_USER}, password in {})",
        dir.join("console-password").display()
    ));
    Ok(lines)
}

async fn seed_network(
    db: &Db,
    config: &HubConfig,
    shift: &Span,
    now: i64,
) -> Result<(), DemoError> {
    let sites = [
        ("matera", "Portalavoro Matera", None),
        ("potenza", "Portalavoro Potenza", None),
        (
            "policoro",
            "Centro per l'impiego di Policoro",
            Some("matera"),
        ),
    ];
    let dir = &config.state_dir;
    for (id, name, hub) in sites {
        let site = Site {
            id: id.into(),
            name: name.into(),
            hub_id: hub.map(String::from),
        };
        db.add_site(&site, ACTOR, now).await?;
    }
    for (kiosk, site) in KIOSKS {
        let token = secrets::new_token().map_err(|e| DemoError::Data(e.to_string()))?;
        db.add_kiosk(kiosk, site, &secrets::hash_token(&token), ACTOR, now)
            .await?;
        write(&dir.join(format!("kiosk-token-{kiosk}")), &token)?;
    }
    let token = secrets::new_token().map_err(|e| DemoError::Data(e.to_string()))?;
    db.add_token(
        "demo-staff",
        Role::Admin,
        &secrets::hash_token(&token),
        ACTOR,
        now,
    )
    .await?;
    write(&dir.join("staff-token"), &token)?;
    // A console user of the demo, with a password made here (no default
    // credentials, even in a demo).
    let password =
        secrets::new_token().map_err(|e| DemoError::Data(e.to_string()))?[..16].to_string();
    let hash = secrets::hash_password(&password).map_err(|e| DemoError::Data(e.to_string()))?;
    db.add_user(DEMO_USER, Role::Admin, &hash, ACTOR, now)
        .await?;
    write(&dir.join("console-password"), &password)?;
    for File(name, bytes) in MEDIA {
        let mut media =
            pictures::reencode(bytes).map_err(|e| DemoError::Data(format!("{name}: {e}")))?;
        media.name = name.into();
        db.put_media(&media, ACTOR, now).await?;
    }
    for File(feed, bytes) in FEEDS {
        if feed == "bookings" {
            continue;
        }
        let kind = Kind::from_path(feed).ok_or_else(|| DemoError::Data(feed.into()))?;
        for mut item in items(bytes, shift, &config.timezone)? {
            if feed == "rooms" || feed == "services" {
                item["site"] = "matera".into();
            }
            let item =
                intake(kind, item, None).map_err(|e| DemoError::Data(format!("{feed}: {e}")))?;
            db.put_item(&item, ACTOR, now).await?;
        }
    }
    for (service, calendar) in CALENDARS {
        let calendar = crate::calendar::Calendar::from_json(calendar)
            .map_err(|e| DemoError::Data(format!("calendar of {service}: {e}")))?;
        db.put_calendar(service, &calendar.to_json(), ACTOR, now)
            .await?;
    }
    let playlist: Value =
        serde_json::from_slice(PLAYLIST).map_err(|e| DemoError::Data(e.to_string()))?;
    db.put_playlist(Owner::Site("matera"), &playlist.to_string(), ACTOR, now)
        .await?;
    Ok(())
}

/// Today's bookings, replacing the demo's earlier ones.
async fn seed_bookings(
    db: &Db,
    shift: &Span,
    tz: &jiff::tz::TimeZone,
    now: i64,
) -> Result<(), DemoError> {
    for row in db.items("bookings", 100_000).await? {
        if row.updated_by == ACTOR {
            db.delete_item("bookings", &row.id, ACTOR, now).await?;
        }
    }
    for item in items(FEEDS[3].1, shift, tz)? {
        let mut item = intake(Kind::Bookings, item, None)
            .map_err(|e| DemoError::Data(format!("bookings: {e}")))?;
        let room = item.room_id.clone().unwrap_or_default();
        item.scope.site_id = db.item("rooms", &room).await?.and_then(|r| r.scope.site_id);
        db.put_item(&item, ACTOR, now).await?;
    }
    Ok(())
}

/// The demo's items, every `*_at` time moved by `shift` days of `tz`.
fn items(bytes: &[u8], shift: &Span, tz: &jiff::tz::TimeZone) -> Result<Vec<Value>, DemoError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| DemoError::Data(e.to_string()))?;
    let mut list = doc["items"].as_array().cloned().unwrap_or_default();
    for item in &mut list {
        if let Some(map) = item.as_object_mut() {
            for (key, value) in map.iter_mut() {
                if key.ends_with("_at")
                    && let Some(text) = value.as_str()
                    && let Ok(stamp) = text.parse::<Timestamp>()
                    && let Ok(moved) = stamp.to_zoned(tz.clone()).checked_add(*shift)
                {
                    *value = moved.timestamp().to_string().into();
                }
            }
        }
    }
    Ok(list)
}

/// From the demo's day (bookings.json's `date`) to today, in days.
fn days_to_today(config: &HubConfig, now: Timestamp) -> Result<Span, DemoError> {
    let doc: Value =
        serde_json::from_slice(FEEDS[3].1).map_err(|e| DemoError::Data(e.to_string()))?;
    let day: jiff::civil::Date = doc["date"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| DemoError::Data("bookings.json has no date".into()))?;
    let today = now.to_zoned(config.timezone.clone()).date();
    let days = (today - day).get_days();
    Ok(days.days())
}

fn write(path: &Path, text: &str) -> Result<(), DemoError> {
    use std::os::unix::fs::OpenOptionsExt;
    let err = |source| DemoError::File {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(err)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(err)
}
