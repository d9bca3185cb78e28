//! Everything that talks to the hub: the HTTP client, the offline cache, the
//! sync thread and the heartbeat. Pure: no bevy.

pub mod cache;
pub mod client;
pub mod heartbeat;
pub mod images;
pub mod sync;

pub use cache::{Cache, CachedBody};
pub use client::{Fetched, HubClient, HubError};
pub use heartbeat::Vitals;
pub use sync::{SyncCommand, SyncHandle, SyncSettings};

pub use portalavoro_contract::UrlOrigin;
