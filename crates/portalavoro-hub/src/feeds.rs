//! What each kiosk receives: the contract's documents, built from the
//! items for its network, its site and itself.
//!
//! Who sees what: news, vacancies and announcements for the network, the
//! kiosk's site, or the kiosk itself; a spoke's kiosk also gets its hub's
//! news and vacancies, and its hub's rooms with their *public* bookings (a
//! spoke spreads what the hub offers), each such room named with the hub's
//! name so the visitor knows where it is. Announcements stay with the site
//! they were written for (a desk that moved in Matera is not news in
//! Policoro). Services are offered like rooms: a spoke's kiosk also shows
//! its hub's, each with the hub's name in its place.

use jiff::civil::Date;
use portalavoro_contract::{Announcement, Booking, FeedItem, News, Room, Service, Vacancy};
use serde_json::Value;

use crate::db::{Db, DbError, ItemRow, KioskIdentity, Window};

/// A kiosk feed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Feed {
    News,
    Vacancies,
    Rooms,
    Bookings(Date),
    Announcements,
    Services,
}

impl Feed {
    pub fn key(self) -> &'static str {
        match self {
            Feed::News => "news",
            Feed::Vacancies => "vacancies",
            Feed::Rooms => "rooms",
            Feed::Bookings(_) => "bookings",
            Feed::Announcements => "announcements",
            Feed::Services => "services",
        }
    }
}

/// The JSON body of `feed` for `kiosk` at `now` (Unix seconds).
pub async fn body(
    db: &Db,
    kiosk: &KioskIdentity,
    feed: Feed,
    now: i64,
    timezone: &jiff::tz::TimeZone,
) -> Result<String, DbError> {
    let own = kiosk.site_id.as_str();
    let with_hub: Vec<&str> = std::iter::once(own)
        .chain(kiosk.hub_id.as_deref())
        .collect();
    let key = feed.key();
    let rows = match feed {
        Feed::News => {
            db.items_for(key, &with_hub, true, Window::Current(now), true, News::MOST)
                .await?
        }
        Feed::Vacancies => {
            db.items_for(
                key,
                &with_hub,
                true,
                Window::Current(now),
                true,
                Vacancy::MOST,
            )
            .await?
        }
        Feed::Announcements => {
            db.items_for(
                key,
                &[own],
                true,
                Window::Current(now),
                false,
                Announcement::MOST,
            )
            .await?
        }
        Feed::Rooms => {
            db.items_for(key, &with_hub, false, Window::All, false, Room::MOST)
                .await?
        }
        Feed::Services => {
            db.items_for(key, &with_hub, true, Window::All, false, Service::MOST)
                .await?
        }
        Feed::Bookings(date) => {
            let (start, end) = day_bounds(date, timezone);
            db.items_for(
                key,
                &with_hub,
                false,
                Window::Between(start, end),
                false,
                Booking::MOST,
            )
            .await?
        }
    };
    let rows = rows.into_iter().filter(|row| for_kiosk(row, &kiosk.id));
    let items: Vec<String> = match feed {
        Feed::Rooms | Feed::Services => {
            let field = if feed == Feed::Rooms { "name" } else { "place" };
            let hub_name = hub_name(db, kiosk).await?;
            rows.map(|row| match (&hub_name, row.scope.site_id.as_deref()) {
                (Some(name), Some(site)) if site != own => with_place(&row.body, field, name),
                _ => row.body,
            })
            .collect()
        }
        Feed::Bookings(_) => rows
            .filter(|row| row.scope.site_id.as_deref() == Some(own) || is_public(&row.body))
            .map(|row| row.body)
            .collect(),
        _ => rows.map(|row| row.body).collect(),
    };
    let items = items.join(",");
    Ok(match feed {
        Feed::Bookings(date) => format!("{{\"date\":\"{date}\",\"items\":[{items}]}}"),
        _ => format!("{{\"items\":[{items}]}}"),
    })
}

/// Whether `kiosk` receives `row` (a network item, its site's, its hub's,
/// and not restricted to other kiosks).
pub fn reaches(row: &ItemRow, kiosk: &KioskIdentity) -> bool {
    let site_ok = match row.scope.site_id.as_deref() {
        None => true,
        Some(site) => site == kiosk.site_id || Some(site) == kiosk.hub_id.as_deref(),
    };
    site_ok && for_kiosk(row, &kiosk.id)
}

fn for_kiosk(row: &ItemRow, kiosk_id: &str) -> bool {
    row.scope
        .kiosks
        .as_ref()
        .is_none_or(|list| list.iter().any(|k| k == kiosk_id))
}

fn is_public(body: &str) -> bool {
    serde_json::from_str::<Value>(body).is_ok_and(|v| v["public"] == Value::Bool(true))
}

async fn hub_name(db: &Db, kiosk: &KioskIdentity) -> Result<Option<String>, DbError> {
    Ok(match &kiosk.hub_id {
        Some(hub) => db.site(hub).await?.map(|site| site.name),
        None => None,
    })
}

/// An item of another site, its `field` (a room's name, a service's
/// place) followed by where it is, in every language it has.
fn with_place(body: &str, field: &str, place: &str) -> String {
    let Ok(mut item) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    let value = &mut item[field];
    match value {
        Value::Null => *value = Value::String(place.to_string()),
        Value::String(name) => *name = format!("{name} · {place}"),
        Value::Object(names) => {
            for name in names.values_mut() {
                if let Value::String(text) = name {
                    *text = format!("{text} · {place}");
                }
            }
        }
        _ => {}
    }
    item.to_string()
}

/// The day's first and last second (Unix), in the hub's time zone.
pub fn day_bounds(date: Date, timezone: &jiff::tz::TimeZone) -> (i64, i64) {
    let start = date
        .to_zoned(timezone.clone())
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    let end = date
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(timezone.clone()).ok())
        .map(|z| z.timestamp().as_second())
        .unwrap_or(i64::MAX);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_elsewhere_says_where_in_each_language() {
        let body = r#"{"id":"r1","name":{"it":"Sala Convegni","en":"Conference room"}}"#;
        let named: Value =
            serde_json::from_str(&with_place(body, "name", "Portalavoro Matera")).unwrap();
        assert_eq!(named["name"]["it"], "Sala Convegni · Portalavoro Matera");
        assert_eq!(named["name"]["en"], "Conference room · Portalavoro Matera");
        let plain: Value =
            serde_json::from_str(&with_place(r#"{"id":"r","name":"Lab"}"#, "name", "Hub")).unwrap();
        assert_eq!(plain["name"], "Lab · Hub");
    }

    #[test]
    fn a_day_is_counted_in_the_hub_time_zone_even_across_a_clock_change() {
        let rome = jiff::tz::TimeZone::get("Europe/Rome").unwrap();
        let (start, end) = day_bounds(jiff::civil::date(2026, 10, 25), &rome);
        assert_eq!(
            end - start,
            25 * 3600,
            "the day summer time ends has 25 hours"
        );
        assert_eq!(
            jiff::Timestamp::from_second(start).unwrap().to_string(),
            "2026-10-24T22:00:00Z"
        );
    }
}
