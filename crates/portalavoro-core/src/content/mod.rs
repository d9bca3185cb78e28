//! The content the kiosk shows: the contract's items and localised text
//! (from `portalavoro-contract`, re-exported here), and the catalog with
//! its queries. Pure: no bevy, no I/O, time passed in.

pub mod bundled;
mod catalog;
pub mod demo;
mod feed;
pub mod playlist;
mod qr;
mod search;

pub use catalog::{Catalog, DayBookings, Feed, FeedStatus, Origin, RoomState};
pub use feed::{FeedData, move_bookings_to, parse_feed};
pub use portalavoro_contract::fold;
pub use portalavoro_contract::{
    Access, Announcement, Booking, BookingKind, Contract, FeedError, FeedItem, Fields, Hold, Hours,
    ItemError, Level, News, Parsed, Room, RoomKind, Service, Skipped, Slide, SlideKind, Slot,
    UrlBase, Vacancy, parse_items, parse_items_value,
};
pub use portalavoro_contract::{Lang, Resolved, Text};
pub use qr::QrMatrix;
pub use search::{Facets, Page, VacancyIndex, VacancyQuery};
