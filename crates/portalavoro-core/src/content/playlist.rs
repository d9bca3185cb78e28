//! The attract loop's slides, filled from the catalog at a moment. A slide
//! with nothing to show (no vacancies yet, no events today, every room
//! busy) is left out, so the loop never shows an empty slide; active info
//! announcements join the loop; and when nothing at all is left, a welcome
//! slide (the site's name) stands in.

use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::catalog::{Catalog, RoomState};
use portalavoro_contract::Text;
use portalavoro_contract::{Announcement, Booking, Level, News, Room, Slide, SlideKind, Vacancy};

/// A slide ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Filled<'a> {
    Image {
        url: &'a str,
        caption: Option<&'a Text>,
    },
    Vacancies(Vec<&'a Vacancy>),
    News(Vec<&'a News>),
    Events(Vec<&'a Booking>),
    /// Rooms free now, each with its next booking (free until then).
    FreeRooms(Vec<(&'a Room, Option<Booking>)>),
    Text(&'a Text),
    /// An info announcement from the hub's staff.
    Announcement(&'a Announcement),
    /// The site's name and a welcome: when nothing else has content.
    Welcome,
}

impl Filled<'_> {
    /// For logs and screenshot names.
    pub fn kind(&self) -> &'static str {
        match self {
            Filled::Image { .. } => "image",
            Filled::Vacancies(_) => "vacancies",
            Filled::News(_) => "news",
            Filled::Events(_) => "events",
            Filled::FreeRooms(_) => "rooms",
            Filled::Text(_) => "text",
            Filled::Announcement(_) => "announcement",
            Filled::Welcome => "welcome",
        }
    }
}

/// How long an announcement or the welcome slide stays.
pub const EXTRA_SLIDE: Duration = Duration::from_secs(Slide::DEFAULT_DURATION_S as u64);

/// The catalog's playlist at `now` for kiosk `kiosk_id`: empty slides left
/// out, then the active info announcements; never empty.
pub fn fill<'a>(
    catalog: &'a Catalog,
    kiosk_id: &str,
    now: Timestamp,
    tz: &TimeZone,
) -> Vec<(Filled<'a>, Duration)> {
    let mut slides: Vec<(Filled<'a>, Duration)> = catalog
        .playlist
        .iter()
        .filter_map(|slide| {
            let duration = Duration::from_secs(u64::from(slide.duration_s));
            Some((fill_one(catalog, slide, now, tz)?, duration))
        })
        .collect();
    slides.extend(
        catalog
            .active_announcements(kiosk_id, now)
            .into_iter()
            .filter(|a| a.level == Level::Info)
            .map(|a| (Filled::Announcement(a), EXTRA_SLIDE)),
    );
    if slides.is_empty() {
        slides.push((Filled::Welcome, EXTRA_SLIDE));
    }
    slides
}

fn fill_one<'a>(
    catalog: &'a Catalog,
    slide: &'a Slide,
    now: Timestamp,
    tz: &TimeZone,
) -> Option<Filled<'a>> {
    let filled = match &slide.kind {
        SlideKind::Image { url, caption } => Filled::Image {
            url,
            caption: caption.as_ref(),
        },
        SlideKind::Text { text } => Filled::Text(text),
        SlideKind::Vacancies { count } => {
            let mut list = catalog.open_vacancies(now);
            list.truncate(*count as usize);
            (!list.is_empty()).then_some(Filled::Vacancies(list))?
        }
        SlideKind::News { count } => {
            let mut list = catalog.visible_news(now);
            list.truncate(*count as usize);
            (!list.is_empty()).then_some(Filled::News(list))?
        }
        SlideKind::Events => {
            // Events still to come or running, not those over.
            let list: Vec<&Booking> = catalog
                .todays_public_events(now, tz)
                .into_iter()
                .filter(|b| b.ends_at > now)
                .collect();
            (!list.is_empty()).then_some(Filled::Events(list))?
        }
        SlideKind::Rooms => {
            let free: Vec<(&Room, Option<Booking>)> = catalog
                .room_states(now, tz)
                .into_iter()
                .filter_map(|(room, state)| match state {
                    RoomState::Free { next } => Some((room, next)),
                    RoomState::Busy { .. } | RoomState::Unknown => None,
                })
                .collect();
            (!free.is_empty()).then_some(Filled::FreeRooms(free))?
        }
    };
    Some(filled)
}

/// Where the loop is: which slide shows, and when the next one is due.
/// The slides are filled afresh at each step (content and the time of day
/// change what there is), so the loop moves by position and wraps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Index into the last `fill`, of the slide on screen.
    pub position: usize,
}

impl Cursor {
    /// The index of the slide after the current one among `len` slides.
    pub fn advance(&mut self, len: usize) -> usize {
        self.position = if len == 0 {
            0
        } else {
            (self.position + 1) % len
        };
        self.position
    }

    /// Back to the first slide (the loop starts over after a visitor).
    pub fn restart(&mut self) {
        self.position = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Feed, FeedData, Slide, demo};

    fn rome() -> TimeZone {
        crate::config::default_timezone()
    }

    fn kinds(filled: &[(Filled<'_>, Duration)]) -> Vec<&'static str> {
        filled.iter().map(|(f, _)| f.kind()).collect()
    }

    fn every_kind() -> Vec<Slide> {
        let slide = |kind| Slide {
            kind,
            duration_s: 8,
        };
        vec![
            slide(SlideKind::Text {
                text: Text::Plain("Benvenuti".into()),
            }),
            slide(SlideKind::Image {
                url: "https://hub.example/media/a.jpg".into(),
                caption: None,
            }),
            slide(SlideKind::Vacancies { count: 3 }),
            slide(SlideKind::News { count: 2 }),
            slide(SlideKind::Events),
            slide(SlideKind::Rooms),
        ]
    }

    #[test]
    fn every_kind_is_filled_from_the_catalog() {
        let now: Timestamp = "2026-11-23T10:15:00+01:00".parse().unwrap();
        let mut catalog = demo::catalog(now, &rome());
        catalog.apply(FeedData::Playlist(every_kind()));
        let filled = fill(&catalog, "k", now, &rome());
        assert_eq!(
            kinds(&filled)[..6],
            ["text", "image", "vacancies", "news", "events", "rooms"]
        );
        match &filled[2].0 {
            Filled::Vacancies(list) => assert_eq!(list.len(), 3, "count is honoured"),
            other => panic!("{other:?}"),
        }
        assert_eq!(filled[0].1, Duration::from_secs(8));
    }

    #[test]
    fn slides_with_nothing_to_show_are_left_out() {
        let mut catalog = Catalog::default();
        catalog.apply(FeedData::Playlist(every_kind()));
        let now: Timestamp = "2026-11-23T10:15:00+01:00".parse().unwrap();
        assert_eq!(
            kinds(&fill(&catalog, "k", now, &rome())),
            ["text", "image"],
            "an empty catalog"
        );
        // Only slides that need content: the welcome slide stands in.
        catalog.apply(FeedData::Playlist(every_kind().split_off(2)));
        assert_eq!(kinds(&fill(&catalog, "k", now, &rome())), ["welcome"]);
        catalog.apply(FeedData::Playlist(Vec::new()));
        assert_eq!(kinds(&fill(&catalog, "k", now, &rome())), ["welcome"]);

        // Late evening: every event is over, so the events slide goes.
        let late: Timestamp = "2026-11-23T22:00:00+01:00".parse().unwrap();
        let mut catalog = demo::catalog(late, &rome());
        catalog.apply(FeedData::Playlist(every_kind()));
        assert!(!kinds(&fill(&catalog, "k", late, &rome())).contains(&"events"));
        assert!(catalog.status(Feed::Bookings).items > 0);
    }

    fn announcement(id: &str, level: Level, kiosks: Option<Vec<String>>) -> Announcement {
        Announcement {
            id: id.into(),
            text: Text::Plain(format!("announcement {id}")),
            level,
            starts_at: None,
            ends_at: Some("2026-11-23T12:00:00+01:00".parse().unwrap()),
            kiosks,
        }
    }

    #[test]
    fn info_announcements_for_this_kiosk_join_the_loop_and_urgent_ones_do_not() {
        let mut catalog = Catalog::default();
        catalog.apply(FeedData::Playlist(every_kind()[..1].to_vec()));
        catalog.apply(FeedData::Announcements(vec![
            announcement("info", Level::Info, None),
            announcement("urgent", Level::Urgent, None),
            announcement("elsewhere", Level::Info, Some(vec!["other".into()])),
        ]));
        let morning: Timestamp = "2026-11-23T10:15:00+01:00".parse().unwrap();
        let filled = fill(&catalog, "k", morning, &rome());
        assert_eq!(kinds(&filled), ["text", "announcement"]);
        match &filled[1].0 {
            Filled::Announcement(a) => assert_eq!(a.id, "info"),
            other => panic!("{other:?}"),
        }
        // After it ends, it leaves the loop.
        let afternoon: Timestamp = "2026-11-23T12:00:00+01:00".parse().unwrap();
        assert_eq!(kinds(&fill(&catalog, "k", afternoon, &rome())), ["text"]);
    }

    #[test]
    fn todays_events_change_with_the_date() {
        // Demo bookings moved to the 23rd; at 00:05 on the 24th none of them
        // is "today" any more, though none has a later end.
        let evening: Timestamp = "2026-11-23T08:00:00+01:00".parse().unwrap();
        let mut catalog = demo::catalog(evening, &rome());
        catalog.apply(FeedData::Playlist(vec![Slide {
            kind: SlideKind::Events,
            duration_s: 8,
        }]));
        catalog.apply(FeedData::Announcements(Vec::new()));
        assert_eq!(kinds(&fill(&catalog, "k", evening, &rome()))[0], "events");
        let next_day: Timestamp = "2026-11-24T00:05:00+01:00".parse().unwrap();
        assert_eq!(kinds(&fill(&catalog, "k", next_day, &rome()))[0], "welcome");
    }

    #[test]
    fn the_cursor_wraps_and_survives_a_shorter_loop() {
        let mut cursor = Cursor::default();
        assert_eq!(
            [cursor.advance(3), cursor.advance(3), cursor.advance(3)],
            [1, 2, 0]
        );
        cursor.advance(3);
        cursor.advance(3);
        assert_eq!(cursor.position, 2);
        // Two slides dropped out meanwhile: the loop goes on, in range.
        assert_eq!(cursor.advance(1), 0);
        assert_eq!(cursor.advance(0), 0);
        cursor.advance(5);
        cursor.restart();
        assert_eq!(cursor.position, 0);
    }
}
