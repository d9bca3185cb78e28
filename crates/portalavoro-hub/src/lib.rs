//! Portalavoro Hub: the server Portalavoro kiosks pull from. It serves the
//! hub API v1 (docs/hub-api.md) from SQLite or PostgreSQL, checks every
//! item on its way in with the contract crate the kiosk reads with, and
//! keeps sites, kiosks, tokens, heartbeats and an audit log.
//!
//! Arrows point one way: `main` → `cli`/`admin`/`server` → `routes` and
//! `console` → `auth`, `feeds`, `content`, `intake`, `import`, `pictures`
//! → `db` → SQL.

pub mod admin;
pub mod appointments;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod console;
pub mod content;
pub mod db;
pub mod demo;
pub mod error;
pub mod feeds;
pub mod import;
pub mod intake;
pub mod phone;
pub mod pictures;
pub mod routes;
pub mod secrets;
pub mod server;
pub mod state;
