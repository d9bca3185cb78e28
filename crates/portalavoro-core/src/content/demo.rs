//! The bundled demo hub (a Matera job centre), in the contract's format,
//! embedded in the binary: what the kiosk shows when no hub is configured.
//! Bookings are moved to today so the demo never looks stale.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::catalog::{Catalog, Feed, FeedStatus, Origin};
use super::feed::{move_bookings_to, parse_feed};
use portalavoro_contract::UrlBase;

/// The demo files, as the dev hub also serves them from `assets/demo/`.
pub const FILES: [(Feed, &str, &[u8]); 7] = [
    (
        Feed::News,
        "news.json",
        include_bytes!("../../../../assets/demo/news.json"),
    ),
    (
        Feed::Vacancies,
        "vacancies.json",
        include_bytes!("../../../../assets/demo/vacancies.json"),
    ),
    (
        Feed::Rooms,
        "rooms.json",
        include_bytes!("../../../../assets/demo/rooms.json"),
    ),
    (
        Feed::Bookings,
        "bookings.json",
        include_bytes!("../../../../assets/demo/bookings.json"),
    ),
    (
        Feed::Announcements,
        "announcements.json",
        include_bytes!("../../../../assets/demo/announcements.json"),
    ),
    (
        Feed::Playlist,
        "playlist.json",
        include_bytes!("../../../../assets/demo/playlist.json"),
    ),
    (
        Feed::Services,
        "services.json",
        include_bytes!("../../../../assets/demo/services.json"),
    ),
];

/// The demo's pictures, as the dev hub serves them under `/media/`.
const MEDIA: [(&str, &[u8]); 3] = [
    (
        "media/career-day.jpg",
        include_bytes!("../../../../assets/demo/media/career-day.jpg"),
    ),
    (
        "media/workshop.jpg",
        include_bytes!("../../../../assets/demo/media/workshop.jpg"),
    ),
    (
        "media/open-day.jpg",
        include_bytes!("../../../../assets/demo/media/open-day.jpg"),
    ),
];

/// A demo picture by the URL the demo content gives it.
pub fn media(url: &str) -> Option<&'static [u8]> {
    MEDIA
        .iter()
        .find(|(name, _)| *name == url)
        .map(|(_, bytes)| *bytes)
}

/// The demo catalog, with today's bookings in `tz`.
pub fn catalog(now: Timestamp, tz: &TimeZone) -> Catalog {
    let today = now.to_zoned(tz.clone()).date();
    let mut catalog = Catalog::default();
    for (feed, name, bytes) in FILES {
        let body = if feed == Feed::Bookings {
            let doc: serde_json::Value =
                serde_json::from_slice(bytes).expect("demo bookings are valid JSON");
            serde_json::to_vec(&move_bookings_to(&doc, today, tz)).expect("JSON serialises")
        } else {
            bytes.to_vec()
        };
        let (data, skipped) = parse_feed(feed, &body, &UrlBase::default())
            .unwrap_or_else(|err| panic!("demo {name}: {err}"));
        assert!(
            skipped.is_empty(),
            "demo {name} has invalid items: {skipped:?}"
        );
        let status = FeedStatus {
            origin: Some(Origin::Demo),
            items: data.len(),
            ..FeedStatus::EMPTY
        };
        catalog.apply(data);
        catalog.status.insert(feed, status);
    }
    catalog
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Lang, RoomState, Text};
    use std::collections::BTreeSet;

    #[test]
    fn demo_is_a_full_hub_day_whatever_the_date() {
        let tz = crate::config::default_timezone();
        for now in ["2026-11-23T10:15:00+01:00", "2031-07-02T10:15:00+02:00"] {
            let now: Timestamp = now.parse().unwrap();
            let catalog = catalog(now, &tz);
            let vacancies = catalog.open_vacancies(now);
            assert!(vacancies.len() >= 40, "{} vacancies", vacancies.len());
            assert!(catalog.visible_news(now).len() >= 8);
            assert!(catalog.rooms.len() >= 6);
            assert!(catalog.todays_bookings(now, &tz).len() >= 10);
            assert!(catalog.todays_public_events(now, &tz).len() >= 3);
            assert_eq!(catalog.active_announcements("any-kiosk", now).len(), 2);
            assert!(!catalog.playlist.is_empty());
            let busy = catalog
                .room_states(now, &tz)
                .iter()
                .filter(|(_, s)| matches!(s, RoomState::Busy { .. }))
                .count();
            assert!(busy >= 1, "mid-morning some room is busy");
        }
    }

    #[test]
    fn demo_spans_sectors_and_towns_in_italian_and_english() {
        let now: Timestamp = "2026-11-23T10:00:00+01:00".parse().unwrap();
        let catalog = catalog(now, &crate::config::default_timezone());
        let sectors: BTreeSet<_> = catalog
            .vacancies
            .iter()
            .filter_map(|v| v.sector.clone())
            .collect();
        let towns: BTreeSet<_> = catalog
            .vacancies
            .iter()
            .filter_map(|v| v.municipality.clone())
            .collect();
        assert!(sectors.len() >= 8, "{sectors:?}");
        assert!(towns.len() >= 8, "{towns:?}");
        let bilingual = |t: &Text| {
            t.resolve(&Lang::new("en"), &Lang::new("it"))
                .fallback
                .is_none()
                && t.resolve(&Lang::new("it"), &Lang::new("en"))
                    .fallback
                    .is_none()
        };
        assert!(catalog.vacancies.iter().all(|v| bilingual(&v.title)));
        assert!(catalog.news.iter().all(|n| bilingual(&n.title)));
        assert!(catalog.rooms.iter().all(|r| bilingual(&r.name)));
        assert!(catalog.services.len() >= 4);
        assert!(
            catalog
                .services
                .iter()
                .all(|s| bilingual(&s.name) && bilingual(&s.summary))
        );
    }
}
