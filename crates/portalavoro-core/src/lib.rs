//! The Portalavoro kiosk without its UI, read top-down: [`config`] (the
//! validated kiosk.toml) → [`hub`] (client, cache, sync thread, heartbeat,
//! pictures) → [`content`] (the catalog and its queries, over the contract's
//! items) → [`session`] (one visitor's place, choices and settings). Beside
//! them: [`hours`], [`access`], [`audio`], [`speech`], [`jack`]
//! (headphones in or out), [`diagnostics`]
//! (the staff PIN and its lock), [`gesture`] (a finger held still),
//! [`screen`] (turned as mounted, dark when closed), [`i18n`],
//! [`last_valid`] (the last good kiosk.toml), [`systemd`] (readiness,
//! status, watchdog) and [`clock`].
//!
//! No bevy: time is passed in, and what blocks runs on threads of its own.

pub mod access;
pub mod appointment;
pub mod audio;
pub mod clock;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod durable;
pub mod gesture;
pub mod hours;
pub mod hub;
pub mod i18n;
pub mod jack;
pub mod last_valid;
pub mod screen;
pub mod session;
pub mod speech;
pub mod system_image;
pub mod systemd;
pub mod technician;
