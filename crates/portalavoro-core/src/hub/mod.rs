//! Everything that talks to the hub: the HTTP client, the offline cache, the
//! sync thread, the heartbeat and the appointments thread. Pure: no bevy.

pub mod appointments;
pub mod cache;
pub mod client;
pub mod heartbeat;
pub mod images;
pub mod sync;

pub use appointments::{AppointmentsHandle, Request as AppointmentRequest};
pub use cache::{Cache, CachedBody};
pub use client::{Fetched, HubClient, HubError};
pub use heartbeat::Vitals;
pub use sync::{SyncCommand, SyncHandle, SyncSettings};

pub use portalavoro_contract::UrlOrigin;
