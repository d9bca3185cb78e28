//! Items on their way in: a staff request's JSON checked with the same
//! code the kiosk reads it with, the hub's own fields (`site`, and
//! `kiosks` outside announcements) taken out, an id given when missing.
//! What passes is what kiosks receive.

use portalavoro_contract::{
    Announcement, Booking, ItemError, News, Room, Service, Vacancy, validate,
};
use serde_json::{Map, Value};

use crate::db::{NewItem, Scope};
use crate::error::ApiError;
use crate::secrets;

/// Why an item was refused, naming the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("field `{field}`: {reason}")]
pub struct IntakeError {
    pub field: String,
    pub reason: String,
}

impl IntakeError {
    fn new(field: &str, reason: impl Into<String>) -> Self {
        IntakeError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl From<ItemError> for IntakeError {
    fn from(err: ItemError) -> Self {
        IntakeError::new(err.field, err.reason)
    }
}

impl From<IntakeError> for ApiError {
    fn from(err: IntakeError) -> Self {
        ApiError::Invalid(err.to_string())
    }
}

/// The item kinds staff write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    News,
    Vacancies,
    Rooms,
    Bookings,
    Announcements,
    Services,
}

impl Kind {
    pub fn from_path(segment: &str) -> Option<Kind> {
        Some(match segment {
            "news" => Kind::News,
            "vacancies" => Kind::Vacancies,
            "rooms" => Kind::Rooms,
            "bookings" => Kind::Bookings,
            "announcements" => Kind::Announcements,
            "services" => Kind::Services,
            _ => return None,
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Vacancies => "vacancies",
            Kind::Rooms => "rooms",
            Kind::Bookings => "bookings",
            Kind::Announcements => "announcements",
            Kind::Services => "services",
        }
    }

    fn id_prefix(self) -> &'static str {
        match self {
            Kind::News => "n",
            Kind::Vacancies => "v",
            Kind::Rooms => "r",
            Kind::Bookings => "b",
            Kind::Announcements => "a",
            Kind::Services => "s",
        }
    }
}

/// Checks `value` as an item of `kind`; `id` is the one in the path, if
/// any. A booking's site is its room's: the caller looks it up.
pub fn intake(kind: Kind, value: Value, id: Option<&str>) -> Result<NewItem, IntakeError> {
    let Value::Object(mut map) = value else {
        return Err(IntakeError::new("(item)", "must be a JSON object"));
    };
    let site_id = take_site(&mut map)?;
    let kiosks = match kind {
        Kind::Announcements => None,
        _ => take_kiosks(&mut map)?,
    };
    let id = match (id, map.get("id")) {
        (Some(path), Some(Value::String(body))) if body != path => {
            return Err(IntakeError::new(
                "id",
                format!("{body:?} differs from the address's {path:?}"),
            ));
        }
        (Some(path), _) => path.to_string(),
        (None, Some(Value::String(body))) if !body.trim().is_empty() => body.clone(),
        (None, _) => {
            let random =
                secrets::new_token().map_err(|err| IntakeError::new("id", err.to_string()))?;
            format!("{}-{}", kind.id_prefix(), &random[..12])
        }
    };
    map.insert("id".into(), Value::String(id.clone()));
    let value = Value::Object(map);
    let invalid = IntakeError::from;
    let seconds = |t: jiff::Timestamp| t.as_second();
    let (starts_at, ends_at, room_id, kiosks) = match kind {
        Kind::News => {
            let news: News = validate(&value).map_err(invalid)?;
            (
                Some(seconds(news.published_at)),
                news.expires_at.map(seconds),
                None,
                kiosks,
            )
        }
        Kind::Vacancies => {
            let vacancy: Vacancy = validate(&value).map_err(invalid)?;
            (
                Some(seconds(vacancy.posted_at)),
                vacancy.expires_at.map(seconds),
                None,
                kiosks,
            )
        }
        Kind::Rooms => {
            validate::<Room>(&value).map_err(invalid)?;
            if site_id.is_none() {
                return Err(IntakeError::new(
                    "site",
                    "a room belongs to a site; name it",
                ));
            }
            (None, None, None, kiosks)
        }
        Kind::Bookings => {
            let booking: Booking = validate(&value).map_err(invalid)?;
            let times = (
                Some(seconds(booking.starts_at)),
                Some(seconds(booking.ends_at)),
            );
            (times.0, times.1, Some(booking.room_id), kiosks)
        }
        Kind::Services => {
            validate::<Service>(&value).map_err(invalid)?;
            (None, None, None, kiosks)
        }
        Kind::Announcements => {
            let announcement: Announcement = validate(&value).map_err(invalid)?;
            (
                announcement.starts_at.map(seconds),
                announcement.ends_at.map(seconds),
                None,
                announcement.kiosks,
            )
        }
    };
    Ok(NewItem {
        feed: kind.key(),
        id,
        scope: Scope { site_id, kiosks },
        room_id,
        starts_at,
        ends_at,
        body: value.to_string(),
    })
}

fn take_site(map: &mut Map<String, Value>) -> Result<Option<String>, IntakeError> {
    match map.remove("site") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(site)) if !site.trim().is_empty() => Ok(Some(site)),
        Some(_) => Err(IntakeError::new(
            "site",
            "a site id, or null for the whole network",
        )),
    }
}

fn take_kiosks(map: &mut Map<String, Value>) -> Result<Option<Vec<String>>, IntakeError> {
    match map.remove("kiosks") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(list)) => list
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(IntakeError::new("kiosks", "kiosk ids")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(IntakeError::new("kiosks", "a list of kiosk ids, or null")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_announcement_gets_an_id_and_keeps_its_kiosks() {
        let item = intake(
            Kind::Announcements,
            json!({"text": {"it": "Sportello chiuso"}, "level": "urgent", "kiosks": ["k1"],
                   "ends_at": "2026-12-01T18:00:00+01:00", "site": "matera"}),
            None,
        )
        .unwrap();
        assert!(
            item.id.starts_with("a-") && item.id.len() == 14,
            "{}",
            item.id
        );
        assert_eq!(item.scope.site_id.as_deref(), Some("matera"));
        assert_eq!(item.scope.kiosks, Some(vec!["k1".to_string()]));
        let body: Value = serde_json::from_str(&item.body).unwrap();
        assert_eq!(body["kiosks"], json!(["k1"]));
        assert_eq!(body["id"], json!(item.id));
        assert!(
            body.get("site").is_none(),
            "the hub's own fields stay with the hub"
        );
        let six_pm_in_rome: jiff::Timestamp = "2026-12-01T17:00:00Z".parse().unwrap();
        assert_eq!(item.ends_at, Some(six_pm_in_rome.as_second()));
    }

    #[test]
    fn what_the_contract_forbids_is_refused_naming_the_field() {
        let err = intake(
            Kind::Announcements,
            json!({"text": "x", "level": "loud"}),
            None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("`level`"), "{err}");
        let err = intake(
            Kind::Bookings,
            json!({"id": "b", "room_id": "r", "starts_at": "2026-12-01T10:00:00+01:00",
                   "ends_at": "2026-12-01T09:00:00+01:00"}),
            None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("`ends_at`"), "{err}");
        let err = intake(
            Kind::News,
            json!({"title": "x", "published_at": "ieri"}),
            None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("`published_at`"), "{err}");
        let err = intake(Kind::Rooms, json!({"id": "r", "name": "Lab"}), None).unwrap_err();
        assert!(err.to_string().contains("`site`"), "{err}");
        let err = intake(
            Kind::News,
            json!({"id": "a", "title": "x",
            "published_at": "2026-12-01T10:00:00Z"}),
            Some("b"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("`id`"), "{err}");
    }

    #[test]
    fn news_takes_its_window_and_a_scope_of_kiosks() {
        let item = intake(
            Kind::News,
            json!({"title": "Career day", "published_at": "2026-12-01T10:00:00Z",
                   "expires_at": "2026-12-02T10:00:00Z", "kiosks": ["k2"]}),
            Some("n9"),
        )
        .unwrap();
        assert_eq!(item.id, "n9");
        assert_eq!(item.ends_at.unwrap() - item.starts_at.unwrap(), 86_400);
        assert_eq!(item.scope.kiosks, Some(vec!["k2".to_string()]));
        assert!(!item.body.contains("kiosks"));
    }
}
