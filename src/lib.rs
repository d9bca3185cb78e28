//! Portalavoro Kiosk: the lobby totem of a job-centre hub.
//!
//! The pure core (no bevy) reads top-down: [`config`] → [`hub`] (client,
//! cache, sync thread) → [`content`] (the catalog and its queries). [`app`]
//! is the bevy layer that turns catalog snapshots into pixels.

pub mod access;
pub mod app;
pub mod audio;
pub mod cli;
pub mod config;
pub mod content;
pub mod hours;
pub mod hub;
pub mod i18n;
pub mod last_valid;
pub mod session;
pub mod speech;
pub mod staff;
pub mod systemd;
