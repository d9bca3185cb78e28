//! The attract loop's slides, filled from the catalog at a moment. A slide
//! with nothing to show (no vacancies yet, no events today, every room
//! busy) is left out, so the loop never shows an empty slide.

use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::catalog::{Catalog, RoomState};
use super::model::{Booking, News, Room, SlideKind, Vacancy};
use super::text::Text;

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
}

/// The catalog's playlist at `now`, empty slides left out, each with how
/// long it stays on screen.
pub fn fill<'a>(
    catalog: &'a Catalog,
    now: Timestamp,
    tz: &TimeZone,
) -> Vec<(Filled<'a>, Duration)> {
    catalog
        .playlist
        .iter()
        .filter_map(|slide| {
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
                            RoomState::Busy { .. } => None,
                        })
                        .collect();
                    (!free.is_empty()).then_some(Filled::FreeRooms(free))?
                }
            };
            Some((filled, Duration::from_secs(u64::from(slide.duration_s))))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Feed, FeedData, Slide, demo};

    fn rome() -> TimeZone {
        crate::config::default_timezone()
    }

    fn kinds(filled: &[(Filled<'_>, Duration)]) -> Vec<&'static str> {
        filled
            .iter()
            .map(|(f, _)| match f {
                Filled::Image { .. } => "image",
                Filled::Vacancies(_) => "vacancies",
                Filled::News(_) => "news",
                Filled::Events(_) => "events",
                Filled::FreeRooms(_) => "rooms",
                Filled::Text(_) => "text",
            })
            .collect()
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
        let filled = fill(&catalog, now, &rome());
        assert_eq!(
            kinds(&filled),
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
            kinds(&fill(&catalog, now, &rome())),
            ["text", "image"],
            "an empty catalog"
        );

        // Late evening: every event is over, so the events slide goes.
        let late: Timestamp = "2026-11-23T22:00:00+01:00".parse().unwrap();
        let mut catalog = demo::catalog(late, &rome());
        catalog.apply(FeedData::Playlist(every_kind()));
        assert!(!kinds(&fill(&catalog, late, &rome())).contains(&"events"));
        assert!(catalog.status(Feed::Bookings).items > 0);
    }
}
