//! The hub API contract (`docs/hub-api.md`), as Rust: the wire types of
//! every feed, their validation item by item, localised text, URL origins,
//! and the ETag rules. Shared by the kiosk, which reads it, and the hub
//! server, which writes it. Pure: no I/O, no clock, no UI.

pub mod etag;
mod items;
mod origin;
mod services;
mod text;

pub use items::{
    Announcement, BUNDLED_SCHEME, Booking, BookingKind, Contract, FeedError, FeedItem, Fields,
    Hours, ItemError, Level, MAX_TEXT_BYTES, News, Parsed, Room, RoomKind, Skipped, Slide,
    SlideKind, UrlBase, Vacancy, is_bundled, parse_items, parse_items_value, validate,
};
pub use origin::UrlOrigin;
pub use services::{Access, Hold, Service, Slot};
pub use text::{Lang, Resolved, Text, fold};
