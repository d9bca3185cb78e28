//! What the hub offers and how to get it (docs/hub-api.md, "Services and
//! appointments"): the services, an appointment's free slots, and a slot
//! held from a kiosk for the visitor to finish on their own phone.

use jiff::Timestamp;
use serde_json::Value;

use crate::items::{FeedError, FeedItem, Fields, ItemError, UrlBase};
use crate::text::Text;

/// How a visitor gets a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// At a desk, in its hours, without booking.
    WalkIn,
    /// By appointment: the hub offers free slots and holds them.
    Appointment,
    /// Online, at the service's link.
    Online,
}

impl Access {
    pub const ALL: [(&'static str, Access); 3] = [
        ("walk_in", Access::WalkIn),
        ("appointment", Access::Appointment),
        ("online", Access::Online),
    ];

    /// The wire name, also the translation key suffix.
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("walk_in", |(name, _)| name)
    }
}

/// A service of the hub: registering as available for work, orientation,
/// help with a CV, a lab.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: String,
    pub name: Text,
    /// What it is, in plain words.
    pub summary: Text,
    /// Who it is for.
    pub audience: Option<Text>,
    /// What to bring, one thing per entry.
    pub bring: Vec<Text>,
    pub access: Access,
    /// Where in the building: the desk or room, the floor.
    pub place: Option<Text>,
    /// When, as staff write it ("Mon–Fri 9:00–12:30").
    pub hours: Option<Text>,
    /// Where to do it online, or to read more (a QR code).
    pub link: Option<String>,
}

impl FeedItem for Service {
    const MOST: usize = 100;

    fn parse(f: &Fields<'_>, urls: &UrlBase) -> Result<Self, ItemError> {
        let access = f
            .choice_opt("access", &Access::ALL, None)?
            .unwrap_or(Access::WalkIn);
        let link = f.url_opt("link", urls)?;
        if access == Access::Online && link.is_none() {
            return f.fail("link", "an online service needs its link");
        }
        Ok(Service {
            id: f.id()?,
            name: f.text("name")?,
            summary: f.text("summary")?,
            audience: f.text_opt("audience")?,
            bring: f.text_list("bring")?,
            access,
            place: f.text_opt("place")?,
            hours: f.text_opt("hours")?,
            link,
        })
    }
}

/// A free appointment slot. Its id is the hub's, opaque to the kiosk.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub id: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

impl FeedItem for Slot {
    const MOST: usize = 1_000;

    fn parse(f: &Fields<'_>, _urls: &UrlBase) -> Result<Self, ItemError> {
        let starts_at = f.time("starts_at")?;
        let ends_at = f.time("ends_at")?;
        if starts_at >= ends_at {
            return f.fail("ends_at", "must be after starts_at");
        }
        Ok(Slot {
            id: f.id()?,
            starts_at,
            ends_at,
        })
    }
}

/// A slot held for a visitor: they finish the booking at `url` on their
/// phone before `expires_at`; `code` is what they read or type.
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    pub code: String,
    pub url: String,
    pub expires_at: Timestamp,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

impl Hold {
    /// The longest code a kiosk shows.
    const MOST_CODE: usize = 16;

    /// Parses `POST /appointments/holds`'s answer.
    pub fn parse(body: &[u8], urls: &UrlBase) -> Result<Hold, FeedError> {
        let value: Value =
            serde_json::from_slice(body).map_err(|err| FeedError::NotJson(err.to_string()))?;
        let Some(map) = value.as_object() else {
            return Err(FeedError::NotJson("not an object".into()));
        };
        let f = Fields::new(map);
        let field = |err: ItemError| FeedError::NotJson(err.to_string());
        let code = f.string("code").map_err(field)?;
        if code.len() > Self::MOST_CODE || code.chars().any(char::is_control) {
            return Err(FeedError::NotJson(format!(
                "field `code`: at most {} characters, printable",
                Self::MOST_CODE
            )));
        }
        let url = f
            .url_opt("url", urls)
            .map_err(field)?
            .ok_or_else(|| FeedError::NotJson("field `url`: missing".into()))?;
        Ok(Hold {
            code,
            url,
            expires_at: f.time("expires_at").map_err(field)?,
            starts_at: f.time("starts_at").map_err(field)?,
            ends_at: f.time("ends_at").map_err(field)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::items::validate;
    use serde_json::json;

    #[test]
    fn a_service_needs_a_name_a_summary_and_a_known_way_in() {
        let service: Service = validate(&json!({
            "id": "cv", "name": {"it": "Aiuto con il CV", "en": "Help with your CV"},
            "summary": "Un operatore ti aiuta a scrivere il curriculum.",
            "bring": ["Documento d'identità", {"it": "Codice fiscale"}],
            "access": "appointment", "place": "Sportello 2, piano terra"
        }))
        .unwrap();
        assert_eq!(service.access, Access::Appointment);
        assert_eq!(service.bring.len(), 2);
        assert!(service.hours.is_none());

        let no_summary = validate::<Service>(&json!({"id": "x", "name": "X"})).unwrap_err();
        assert_eq!(no_summary.field, "summary");
        let unknown = validate::<Service>(
            &json!({"id": "x", "name": "X", "summary": "Y", "access": "by_fax"}),
        )
        .unwrap_err();
        assert_eq!(unknown.field, "access");
        let online = validate::<Service>(
            &json!({"id": "x", "name": "X", "summary": "Y", "access": "online"}),
        )
        .unwrap_err();
        assert_eq!(
            (online.field, online.reason.as_str()),
            ("link", "an online service needs its link")
        );
    }

    #[test]
    fn without_a_way_in_a_service_is_walk_in() {
        let service: Service =
            validate(&json!({"id": "info", "name": "Info", "summary": "Chiedi"})).unwrap();
        assert_eq!(service.access, Access::WalkIn);
    }

    #[test]
    fn a_slot_ends_after_it_starts() {
        let slot: Slot = validate(&json!({"id": "s1",
            "starts_at": "2026-12-04T09:00:00+01:00", "ends_at": "2026-12-04T09:30:00+01:00"}))
        .unwrap();
        assert_eq!(slot.id, "s1");
        let backwards = validate::<Slot>(&json!({"id": "s1",
            "starts_at": "2026-12-04T09:30:00+01:00", "ends_at": "2026-12-04T09:00:00+01:00"}))
        .unwrap_err();
        assert_eq!(backwards.field, "ends_at");
    }

    #[test]
    fn a_hold_resolves_its_url_and_refuses_a_code_no_one_could_read() {
        let body =
            br#"{"code": "K7P-M3X", "url": "/a/abc", "expires_at": "2026-12-04T09:10:00+01:00",
            "starts_at": "2026-12-04T10:00:00+01:00", "ends_at": "2026-12-04T10:30:00+01:00"}"#;
        let hold = Hold::parse(body, &UrlBase::hub("https://hub.example.org/api/v1")).unwrap();
        assert_eq!(hold.code, "K7P-M3X");
        assert_eq!(hold.url, "https://hub.example.org/a/abc");
        let long = br#"{"code": "0123456789abcdefXYZ", "url": "https://x/a", "expires_at": "2026-12-04T09:10:00Z",
            "starts_at": "2026-12-04T10:00:00Z", "ends_at": "2026-12-04T10:30:00Z"}"#;
        assert!(Hold::parse(long, &UrlBase::default()).is_err());
        assert!(Hold::parse(b"[]", &UrlBase::default()).is_err());
    }
}
