//! One feed's response body → typed items, and how they replace the
//! catalog's copy.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::Value;

use super::catalog::{Catalog, Feed};
use portalavoro_contract::{
    Announcement, Booking, FeedError, News, Room, Service, Skipped, Slide, UrlBase, Vacancy,
    parse_items_value,
};

/// The items of one feed, ready to go into a [`Catalog`].
#[derive(Debug, Clone)]
pub enum FeedData {
    News(Vec<News>),
    Vacancies(Vec<Vacancy>),
    Rooms(Vec<Room>),
    Bookings {
        date: Option<Date>,
        items: Vec<Booking>,
    },
    Announcements(Vec<Announcement>),
    Playlist(Vec<Slide>),
    Services(Vec<Service>),
}

impl FeedData {
    pub fn len(&self) -> usize {
        match self {
            FeedData::News(v) => v.len(),
            FeedData::Vacancies(v) => v.len(),
            FeedData::Rooms(v) => v.len(),
            FeedData::Bookings { items, .. } => items.len(),
            FeedData::Announcements(v) => v.len(),
            FeedData::Playlist(v) => v.len(),
            FeedData::Services(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Parses a feed body. A body that is not the feed's shape is an error; bad
/// items are returned beside the good ones.
pub fn parse_feed(
    feed: Feed,
    body: &[u8],
    urls: &UrlBase,
) -> Result<(FeedData, Skipped), FeedError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|err| FeedError::NotJson(err.to_string()))?;
    macro_rules! items {
        ($variant:ident) => {{
            let parsed = parse_items_value(&value, urls)?;
            (FeedData::$variant(parsed.items), parsed.skipped)
        }};
    }
    Ok(match feed {
        Feed::News => items!(News),
        Feed::Vacancies => items!(Vacancies),
        Feed::Rooms => items!(Rooms),
        Feed::Announcements => items!(Announcements),
        Feed::Playlist => items!(Playlist),
        Feed::Services => items!(Services),
        Feed::Bookings => {
            let parsed = parse_items_value(&value, urls)?;
            let date = value
                .get("date")
                .and_then(Value::as_str)
                .and_then(|d| d.parse().ok());
            (
                FeedData::Bookings {
                    date,
                    items: parsed.items,
                },
                parsed.skipped,
            )
        }
    })
}

impl Catalog {
    /// Replaces one feed's items.
    pub fn apply(&mut self, data: FeedData) {
        match data {
            FeedData::News(items) => self.news = items.into(),
            FeedData::Vacancies(items) => self.vacancies = items.into(),
            FeedData::Rooms(items) => self.rooms = items.into(),
            FeedData::Bookings { date, items } => {
                self.bookings = super::DayBookings {
                    date,
                    items: items.into(),
                }
            }
            FeedData::Announcements(items) => self.announcements = items.into(),
            FeedData::Playlist(items) => self.playlist = items.into(),
            FeedData::Services(items) => self.services = items.into(),
        }
    }
}

/// Moves a bookings document to another day, keeping each booking's local
/// wall-clock time in `tz` (so 09:30 stays 09:30 across a DST change). The
/// demo content and the dev hub use it so a day of bookings is always today.
pub fn move_bookings_to(doc: &Value, date: Date, tz: &TimeZone) -> Value {
    let mut doc = doc.clone();
    let Some(from) = doc
        .get("date")
        .and_then(Value::as_str)
        .and_then(|d| d.parse::<Date>().ok())
    else {
        return doc;
    };
    let days = (date - from).get_days();
    let shift = |value: &mut Value| {
        let Some(ts) = value
            .as_str()
            .and_then(|s| s.parse::<jiff::Timestamp>().ok())
        else {
            return;
        };
        let local = ts.to_zoned(tz.clone()).datetime();
        let moved = local
            .checked_add(jiff::Span::new().days(days))
            .ok()
            .and_then(|dt| dt.to_zoned(tz.clone()).ok());
        if let Some(moved) = moved {
            *value = Value::String(moved.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string());
        }
    };
    if let Some(items) = doc.get_mut("items").and_then(Value::as_array_mut) {
        for item in items {
            for field in ["starts_at", "ends_at"] {
                if let Some(value) = item.get_mut(field) {
                    shift(value);
                }
            }
        }
    }
    doc["date"] = Value::String(date.to_string());
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bookings_move_to_another_day_keeping_local_time_across_dst() {
        let tz = crate::config::default_timezone();
        let doc = json!({"date": "2026-10-24", "items": [
            {"id": "b1", "starts_at": "2026-10-24T09:30:00+02:00", "ends_at": "2026-10-24T11:00:00+02:00"}
        ]});
        // Summer time ends on 2026-10-25 in Rome.
        let moved = move_bookings_to(&doc, "2026-10-26".parse().unwrap(), &tz);
        assert_eq!(moved["date"], "2026-10-26");
        assert_eq!(moved["items"][0]["starts_at"], "2026-10-26T09:30:00+01:00");
        assert_eq!(moved["items"][0]["ends_at"], "2026-10-26T11:00:00+01:00");
    }

    #[test]
    fn bookings_feed_keeps_its_date() {
        let body = br#"{"date": "2026-11-23", "items": []}"#;
        let (data, _) = parse_feed(Feed::Bookings, body, &UrlBase::default()).unwrap();
        match data {
            FeedData::Bookings { date, .. } => {
                assert_eq!(date, Some("2026-11-23".parse().unwrap()))
            }
            other => panic!("{other:?}"),
        }
    }
}
