//! The content the kiosk shows: the contract's items, localised text, and
//! the catalog with its queries. Pure: no bevy, no I/O, time passed in.

pub mod bundled;
mod catalog;
pub mod demo;
mod feed;
mod model;
pub mod playlist;
mod qr;
mod search;
mod text;

pub use catalog::{Catalog, DayBookings, Feed, FeedStatus, Origin, RoomState};
pub use feed::{FeedData, move_bookings_to, parse_feed};
pub use model::{
    Announcement, Booking, BookingKind, Contract, FeedError, FeedItem, Fields, Hours, ItemError,
    Level, News, Parsed, Room, RoomKind, Skipped, Slide, SlideKind, UrlBase, Vacancy, parse_items,
    parse_items_value,
};
pub use qr::QrMatrix;
pub use search::{Facets, Page, VacancyIndex, VacancyQuery, fold};
pub use text::{Lang, Resolved, Text};
