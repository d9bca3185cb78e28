//! Portalavoro Kiosk: the lobby totem of a job-centre hub.
//!
//! This crate is the bevy layer: [`app`] turns the core's catalog
//! snapshots and sessions into pixels and touches into intents, and
//! [`cli`] reads the command line. Everything else, the contract and the
//! core without any UI, is in `crates/` (see `docs/architecture.md`).

pub mod app;
pub mod cli;
