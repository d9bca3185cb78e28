//! What every feature of the app reads and none owns: the configuration,
//! the wall clock, the UI strings, and the order of the app's systems. A
//! leaf: it imports nothing from the app, so features depend on it and not
//! on each other for these.

use std::sync::Arc;

use bevy::prelude::*;

use portalavoro_core::clock::Clock;
use portalavoro_core::config::Config;
use portalavoro_core::i18n::Translations;

/// The validated configuration, for every system that needs it.
#[derive(Resource, Deref)]
pub struct KioskConfig(pub Arc<Config>);

/// Wall-clock time (shared with the sync thread, so both agree on "today").
#[derive(Resource, Deref)]
pub struct WallClock(pub Clock);

/// The UI strings of every language.
#[derive(Resource, Deref)]
pub struct Strings(pub Translations);

/// Remembers the wall-clock minute a screen last drew, for what changes
/// with time alone (the clock, "today", announcement windows).
#[derive(Default)]
pub struct DrawnMinute(Option<i64>);

impl DrawnMinute {
    /// Whether `now` is in another minute than last time; remembers it.
    pub fn moved(&mut self, now: jiff::Timestamp) -> bool {
        let minute = now.as_second().div_euclid(60);
        self.0.replace(minute) != Some(minute)
    }
}

/// The order of the app's own systems within `Update`.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Take in new snapshots, signals, window changes.
    Receive,
    /// Set the look (theme) for what is drawn next.
    Theme,
    /// Note what changed since the last frame (`stale`).
    Notice,
    /// Rebuild what is on screen.
    Render,
    /// Decide when the next frame is needed.
    Schedule,
}
