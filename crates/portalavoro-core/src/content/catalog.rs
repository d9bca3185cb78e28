//! The catalog: one immutable snapshot of everything the kiosk shows, with
//! the queries the screens need. Every query takes `now` as a value.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use portalavoro_contract::{
    Announcement, Booking, Level, News, Room, Service, Slide, SlideKind, Vacancy,
};

/// The feeds of the hub contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feed {
    News,
    Vacancies,
    Rooms,
    Bookings,
    Announcements,
    Playlist,
    /// What the hub offers (a hub without it answers 404: no Services).
    Services,
}

impl Feed {
    pub const ALL: [Feed; 7] = [
        Feed::News,
        Feed::Vacancies,
        Feed::Rooms,
        Feed::Bookings,
        Feed::Announcements,
        Feed::Playlist,
        Feed::Services,
    ];

    /// The order the sync thread polls due feeds in: what staff push
    /// (announcements) first, then what changes during the day.
    pub const BY_URGENCY: [Feed; 7] = [
        Feed::Announcements,
        Feed::Bookings,
        Feed::Rooms,
        Feed::News,
        Feed::Vacancies,
        Feed::Services,
        Feed::Playlist,
    ];

    /// The name used in logs, heartbeats and cache file names.
    pub fn name(self) -> &'static str {
        match self {
            Feed::News => "news",
            Feed::Vacancies => "vacancies",
            Feed::Rooms => "rooms",
            Feed::Bookings => "bookings",
            Feed::Announcements => "announcements",
            Feed::Playlist => "playlist",
            Feed::Services => "services",
        }
    }
}

/// Where the content on screen came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The bundled demo hub (no `hub.url` configured).
    Demo,
    /// The disk cache, before the hub answered.
    Cache,
    /// The hub, in this run.
    Hub,
    /// Not from the hub: the playlist of kiosk.toml or the built-in one.
    Local,
}

/// How one feed is doing, for the diagnostics screen and the heartbeat.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedStatus {
    pub origin: Option<Origin>,
    /// When the content shown was fetched from the hub (also from cache).
    pub fetched_at: Option<Timestamp>,
    pub last_success: Option<Timestamp>,
    pub last_error: Option<String>,
    pub items: usize,
    /// Items of the last good response that failed validation.
    pub skipped: usize,
}

impl FeedStatus {
    pub const EMPTY: FeedStatus = FeedStatus {
        origin: None,
        fetched_at: None,
        last_success: None,
        last_error: None,
        items: 0,
        skipped: 0,
    };
}

/// One room's state at a moment.
#[derive(Debug, Clone, PartialEq)]
pub enum RoomState {
    /// Free now; `next` is today's next booking, if any.
    Free { next: Option<Booking> },
    /// Busy until `until` (back-to-back bookings merged).
    Busy { current: Booking, until: Timestamp },
    /// Not known: the bookings held are another day's (offline past
    /// midnight, or started on yesterday's cache). Never shown as free.
    Unknown,
}

/// Today's bookings, tied to the date they were asked for.
#[derive(Debug, Clone, Default)]
pub struct DayBookings {
    pub date: Option<Date>,
    pub items: Arc<[Booking]>,
}

/// Everything the kiosk shows, as one immutable value; cloning is cheap.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub news: Arc<[News]>,
    pub vacancies: Arc<[Vacancy]>,
    pub rooms: Arc<[Room]>,
    pub bookings: DayBookings,
    pub announcements: Arc<[Announcement]>,
    pub playlist: Arc<[Slide]>,
    pub services: Arc<[Service]>,
    pub status: BTreeMap<Feed, FeedStatus>,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog {
            news: Arc::from([]),
            vacancies: Arc::from([]),
            rooms: Arc::from([]),
            bookings: DayBookings::default(),
            announcements: Arc::from([]),
            playlist: Arc::from([]),
            services: Arc::from([]),
            status: Feed::ALL.iter().map(|f| (*f, FeedStatus::EMPTY)).collect(),
        }
    }
}

impl Catalog {
    pub fn status(&self, feed: Feed) -> &FeedStatus {
        self.status.get(&feed).unwrap_or(&FeedStatus::EMPTY)
    }

    /// Whether every feed has come in: content from the hub, the cache or
    /// the demo, or the hub's answer that it has none (a 404 the contract
    /// allows, as for services).
    pub fn all_in(&self) -> bool {
        Feed::ALL.iter().all(|feed| {
            let status = self.status(*feed);
            status.origin.is_some() || status.last_success.is_some()
        })
    }

    /// Whether there is anything at all to show.
    pub fn is_empty(&self) -> bool {
        self.news.is_empty()
            && self.vacancies.is_empty()
            && self.rooms.is_empty()
            && self.bookings.items.is_empty()
    }

    /// Every picture the content names: the news' pictures and the
    /// playlist's (what the picture cache keeps; the rest may go).
    pub fn picture_urls(&self) -> impl Iterator<Item = &str> {
        let news = self.news.iter().filter_map(|n| n.image_url.as_deref());
        let slides = self.playlist.iter().filter_map(|slide| match &slide.kind {
            SlideKind::Image { url, .. } => Some(url.as_str()),
            _ => None,
        });
        news.chain(slides)
    }

    /// A service by its id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// News visible at `now`, newest first.
    pub fn visible_news(&self, now: Timestamp) -> Vec<&News> {
        let mut news: Vec<&News> = self
            .news
            .iter()
            .filter(|n| n.published_at <= now && n.expires_at.is_none_or(|end| now < end))
            .collect();
        news.sort_by(|a, b| {
            b.published_at
                .cmp(&a.published_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        news
    }

    /// Vacancies not expired at `now`, newest first.
    pub fn open_vacancies(&self, now: Timestamp) -> Vec<&Vacancy> {
        let mut open: Vec<&Vacancy> = self
            .vacancies
            .iter()
            .filter(|v| v.expires_at.is_none_or(|end| now < end))
            .collect();
        open.sort_by(|a, b| b.posted_at.cmp(&a.posted_at).then_with(|| a.id.cmp(&b.id)));
        open
    }

    /// Today's bookings (in `tz`) of known rooms, by start time. Empty when
    /// the bookings held are for another day.
    pub fn todays_bookings(&self, now: Timestamp, tz: &TimeZone) -> Vec<&Booking> {
        let today = now.to_zoned(tz.clone()).date();
        if self.bookings.date != Some(today) {
            return Vec::new();
        }
        let mut items: Vec<&Booking> = self
            .bookings
            .items
            .iter()
            .filter(|b| self.rooms.iter().any(|r| r.id == b.room_id))
            .collect();
        items.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
        items
    }

    /// Today's public events (career days, seminars, courses), by start time.
    pub fn todays_public_events(&self, now: Timestamp, tz: &TimeZone) -> Vec<&Booking> {
        self.todays_bookings(now, tz)
            .into_iter()
            .filter(|b| b.public)
            .collect()
    }

    /// Each room with its state at `now`, in the hub's order; `Unknown`
    /// while the bookings held are not today's.
    pub fn room_states(&self, now: Timestamp, tz: &TimeZone) -> Vec<(&Room, RoomState)> {
        if self.bookings.date != Some(now.to_zoned(tz.clone()).date()) {
            return self
                .rooms
                .iter()
                .map(|room| (room, RoomState::Unknown))
                .collect();
        }
        let today = self.todays_bookings(now, tz);
        self.rooms
            .iter()
            .map(|room| {
                let mine: Vec<&Booking> = today
                    .iter()
                    .copied()
                    .filter(|b| b.room_id == room.id)
                    .collect();
                (room, room_state(&mine, now))
            })
            .collect()
    }

    /// Announcements for `kiosk_id` active at `now`: urgent first, then
    /// newest window first.
    pub fn active_announcements(&self, kiosk_id: &str, now: Timestamp) -> Vec<&Announcement> {
        let mut active: Vec<&Announcement> = self
            .announcements
            .iter()
            .filter(|a| a.is_active(kiosk_id, now))
            .collect();
        active.sort_by(|a, b| {
            (b.level == Level::Urgent)
                .cmp(&(a.level == Level::Urgent))
                .then_with(|| b.starts_at.cmp(&a.starts_at))
                .then_with(|| a.id.cmp(&b.id))
        });
        active
    }
}

/// The state of one room from its bookings (sorted by start), in one
/// pass over them (a hub may send thousands).
fn room_state(bookings: &[&Booking], now: Timestamp) -> RoomState {
    match bookings
        .iter()
        .position(|b| b.starts_at <= now && now < b.ends_at)
    {
        Some(index) => {
            // Back-to-back (or overlapping) bookings keep the room busy:
            // follow the chain, in start order.
            let current = bookings[index];
            let mut until = current.ends_at;
            for next in &bookings[index + 1..] {
                if next.starts_at > until {
                    break;
                }
                until = until.max(next.ends_at);
            }
            RoomState::Busy {
                current: current.clone(),
                until,
            }
        }
        None => RoomState::Free {
            next: bookings
                .iter()
                .find(|b| b.starts_at > now)
                .map(|b| (*b).clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feed_is_in_once_each_has_content_or_the_hubs_answer_of_none() {
        let mut catalog = Catalog::default();
        assert!(!catalog.all_in());
        for feed in Feed::ALL {
            if feed != Feed::Services {
                catalog.status.insert(
                    feed,
                    FeedStatus {
                        origin: Some(Origin::Hub),
                        ..FeedStatus::EMPTY
                    },
                );
            }
        }
        assert!(!catalog.all_in(), "services not yet answered");
        catalog.status.insert(
            Feed::Services,
            FeedStatus {
                last_success: Some(t("2026-11-24T09:00:00Z")),
                ..FeedStatus::EMPTY
            },
        );
        assert!(catalog.all_in(), "a hub without services has answered");
    }
    use crate::content::Text;
    use portalavoro_contract::{BookingKind, RoomKind};

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn rome() -> TimeZone {
        crate::config::default_timezone()
    }

    fn booking(id: &str, room: &str, start: &str, end: &str, public: bool) -> Booking {
        Booking {
            id: id.into(),
            room_id: room.into(),
            starts_at: t(start),
            ends_at: t(end),
            title: public.then(|| Text::Plain(format!("Event {id}"))),
            kind: BookingKind::Event,
            public,
            description: None,
            link: None,
        }
    }

    fn room(id: &str) -> Room {
        Room {
            id: id.into(),
            name: Text::Plain(id.into()),
            kind: RoomKind::Interview,
            floor: None,
            capacity: None,
            booking_url: None,
        }
    }

    fn catalog_with_day() -> Catalog {
        Catalog {
            rooms: Arc::from(vec![room("r1"), room("r2"), room("r3")]),
            bookings: DayBookings {
                date: Some("2026-11-23".parse().unwrap()),
                items: Arc::from(vec![
                    booking(
                        "b1",
                        "r1",
                        "2026-11-23T09:00:00+01:00",
                        "2026-11-23T10:00:00+01:00",
                        false,
                    ),
                    booking(
                        "b2",
                        "r1",
                        "2026-11-23T10:00:00+01:00",
                        "2026-11-23T11:30:00+01:00",
                        true,
                    ),
                    booking(
                        "b3",
                        "r1",
                        "2026-11-23T14:00:00+01:00",
                        "2026-11-23T15:00:00+01:00",
                        false,
                    ),
                    booking(
                        "b4",
                        "r2",
                        "2026-11-23T16:00:00+01:00",
                        "2026-11-23T17:00:00+01:00",
                        true,
                    ),
                    booking(
                        "b5",
                        "ghost",
                        "2026-11-23T09:00:00+01:00",
                        "2026-11-23T17:00:00+01:00",
                        true,
                    ),
                ]),
            },
            ..Catalog::default()
        }
    }

    #[test]
    fn room_is_busy_until_the_end_of_back_to_back_bookings() {
        let catalog = catalog_with_day();
        let states = catalog.room_states(t("2026-11-23T09:15:00+01:00"), &rome());
        match &states[0].1 {
            RoomState::Busy { current, until } => {
                assert_eq!(current.id, "b1");
                assert_eq!(*until, t("2026-11-23T11:30:00+01:00"));
            }
            other => panic!("expected busy, got {other:?}"),
        }
        match &states[1].1 {
            RoomState::Free { next: Some(next) } => assert_eq!(next.id, "b4"),
            other => panic!("expected free with a next booking, got {other:?}"),
        }
        assert_eq!(states[2].1, RoomState::Free { next: None });
    }

    #[test]
    fn room_is_free_between_bookings_and_at_the_end_instant() {
        let catalog = catalog_with_day();
        let states = catalog.room_states(t("2026-11-23T11:30:00+01:00"), &rome());
        match &states[0].1 {
            RoomState::Free { next: Some(next) } => assert_eq!(next.id, "b3"),
            other => panic!("expected free, got {other:?}"),
        }
    }

    #[test]
    fn public_events_are_todays_for_known_rooms_only() {
        let catalog = catalog_with_day();
        let events = catalog.todays_public_events(t("2026-11-23T08:00:00+01:00"), &rome());
        let ids: Vec<&str> = events.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["b2", "b4"], "b5's room is unknown");
    }

    #[test]
    fn yesterdays_bookings_are_not_today() {
        let catalog = catalog_with_day();
        // 00:30 in Rome on the 24th is still the 23rd in UTC: the zone decides.
        let next_day = t("2026-11-24T00:30:00+01:00");
        assert!(catalog.todays_bookings(next_day, &rome()).is_empty());
        // Offline past midnight: not "free all day", but not known.
        assert!(
            catalog
                .room_states(next_day, &rome())
                .iter()
                .all(|(_, s)| *s == RoomState::Unknown)
        );
        assert_eq!(
            catalog
                .todays_bookings(t("2026-11-23T23:30:00+01:00"), &rome())
                .len(),
            4
        );
    }

    #[test]
    fn eighty_thousand_back_to_back_bookings_are_followed_in_one_pass() {
        // A minute each, a whole day and more, in one room.
        let start = t("2026-11-23T00:00:00+01:00");
        let minute = jiff::SignedDuration::from_secs(60);
        let items: Vec<Booking> = (0..80_000i64)
            .map(|n| Booking {
                id: format!("b{n}"),
                room_id: "r1".into(),
                starts_at: start + minute * (n as i32),
                ends_at: start + minute * (n as i32 + 1),
                title: None,
                kind: BookingKind::Interview,
                public: false,
                description: None,
                link: None,
            })
            .collect();
        let last_end = items.last().unwrap().ends_at;
        let catalog = Catalog {
            rooms: Arc::from(vec![room("r1")]),
            bookings: DayBookings {
                date: Some("2026-11-23".parse().unwrap()),
                items: Arc::from(items),
            },
            ..Catalog::default()
        };
        let states = catalog.room_states(t("2026-11-23T09:00:30+01:00"), &rome());
        match &states[0].1 {
            RoomState::Busy { current, until } => {
                assert_eq!(current.id, "b540");
                assert_eq!(*until, last_end, "the whole chain");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn news_and_vacancies_follow_their_windows() {
        let news = |id: &str, published: &str, expires: Option<&str>| News {
            id: id.into(),
            title: Text::Plain(id.into()),
            summary: None,
            body: None,
            image_url: None,
            published_at: t(published),
            expires_at: expires.map(t),
            link: None,
        };
        let catalog = Catalog {
            news: Arc::from(vec![
                news("old", "2026-11-01T00:00:00Z", None),
                news("future", "2026-12-01T00:00:00Z", None),
                news(
                    "expired",
                    "2026-11-02T00:00:00Z",
                    Some("2026-11-10T00:00:00Z"),
                ),
                news("new", "2026-11-20T00:00:00Z", Some("2026-11-30T00:00:00Z")),
            ]),
            ..Catalog::default()
        };
        let ids: Vec<&str> = catalog
            .visible_news(t("2026-11-22T12:00:00Z"))
            .iter()
            .map(|n| n.id.as_str())
            .collect();
        assert_eq!(ids, ["new", "old"]);
        let at_expiry = catalog.visible_news(t("2026-11-30T00:00:00Z"));
        assert_eq!(at_expiry.len(), 1, "hidden from expires_at on");
    }

    #[test]
    fn the_pictures_named_are_the_news_and_the_playlist_ones() {
        let news = |id: &str, image: Option<&str>| News {
            id: id.into(),
            title: Text::Plain(id.into()),
            summary: None,
            body: None,
            image_url: image.map(str::to_string),
            published_at: t("2026-11-01T00:00:00Z"),
            expires_at: None,
            link: None,
        };
        let slide = |kind: SlideKind| Slide {
            kind,
            duration_s: Slide::DEFAULT_DURATION_S,
        };
        let catalog = Catalog {
            news: Arc::from(vec![news("a", Some("https://hub/a.jpg")), news("b", None)]),
            playlist: Arc::from(vec![
                slide(SlideKind::Events),
                slide(SlideKind::Image {
                    url: "https://hub/slide.png".into(),
                    caption: None,
                }),
            ]),
            ..Catalog::default()
        };
        let urls: Vec<&str> = catalog.picture_urls().collect();
        assert_eq!(urls, ["https://hub/a.jpg", "https://hub/slide.png"]);
    }

    #[test]
    fn open_vacancies_are_newest_first_and_not_expired() {
        let vacancy = |id: &str, posted: &str, expires: Option<&str>| Vacancy {
            id: id.into(),
            reference: None,
            title: Text::Plain(id.into()),
            employer: None,
            sector: None,
            municipality: None,
            contract: None,
            hours: None,
            positions: 1,
            description: None,
            requirements: vec![],
            apply_url: None,
            posted_at: t(posted),
            expires_at: expires.map(t),
            folded: Default::default(),
        };
        let catalog = Catalog {
            vacancies: Arc::from(vec![
                vacancy("a", "2026-11-01T00:00:00Z", None),
                vacancy("b", "2026-11-10T00:00:00Z", Some("2026-11-15T00:00:00Z")),
                vacancy("c", "2026-11-12T00:00:00Z", Some("2026-12-15T00:00:00Z")),
            ]),
            ..Catalog::default()
        };
        let ids: Vec<&str> = catalog
            .open_vacancies(t("2026-11-22T00:00:00Z"))
            .iter()
            .map(|v| v.id.as_str())
            .collect();
        assert_eq!(ids, ["c", "a"]);
    }

    #[test]
    fn active_announcements_put_urgent_first() {
        let ann =
            |id: &str, level, kiosks: Option<Vec<&str>>, window: (Option<&str>, Option<&str>)| {
                Announcement {
                    id: id.into(),
                    text: Text::Plain(id.into()),
                    level,
                    starts_at: window.0.map(t),
                    ends_at: window.1.map(t),
                    kiosks: kiosks.map(|k| k.into_iter().map(String::from).collect()),
                }
            };
        let catalog = Catalog {
            announcements: Arc::from(vec![
                ann("info", Level::Info, None, (None, None)),
                ann(
                    "urgent",
                    Level::Urgent,
                    Some(vec!["mt-1"]),
                    (Some("2026-11-22T08:00:00Z"), None),
                ),
                ann(
                    "other-kiosk",
                    Level::Urgent,
                    Some(vec!["pz-1"]),
                    (None, None),
                ),
                ann(
                    "later",
                    Level::Info,
                    None,
                    (Some("2026-11-23T08:00:00Z"), None),
                ),
                ann(
                    "over",
                    Level::Info,
                    None,
                    (None, Some("2026-11-22T09:00:00Z")),
                ),
            ]),
            ..Catalog::default()
        };
        let ids: Vec<&str> = catalog
            .active_announcements("mt-1", t("2026-11-22T10:00:00Z"))
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["urgent", "info"]);
    }
}
