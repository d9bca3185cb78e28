//! What a visit leaves behind in memory goes when the visit ends (the
//! attract loop, or closing time):
//! - glyph atlases: bevy rasterises each glyph once per font and size into
//!   textures it keeps for the life of the process, and a visitor who tried
//!   three languages at the largest text size leaves atlases nobody else
//!   needs. They go; the next screen's glyphs are drawn anew in its first
//!   frame.
//! - the heap pages freed with them: glibc keeps freed memory for the next
//!   allocation, so resident memory after a visit stayed at its peak. A few
//!   seconds later (the atlases' textures are freed by the render world a
//!   frame or two after the atlases), the heap is trimmed back.
//!
//! Without a GPU, the Vulkan loader is told to load the software driver
//! alone (`vulkan_drivers`).
//!
//! And from the start, glibc is told two things (docs/PERFORMANCE.md):
//! - two heaps (arenas) instead of one per thread and core: less memory
//!   held by threads that allocate now and then ("after every screen");
//! - a block of 128 KB or more (a glyph atlas, a decoded picture, a
//!   snapshot's list) is mapped on its own and unmapped when freed. By
//!   default glibc raises that threshold to the largest block freed so
//!   far, up to 32 MB, and then keeps such blocks in the heap, where what
//!   they leave when freed stays resident (5 MB less at Home).

use std::path::Path;
use std::time::Duration;

use bevy::prelude::*;
use bevy::text::FontAtlasSet;

use super::redraw::{Uptime, WakeAt};
use super::session::Mode;
use super::shared::AppSystems;

/// How long after a visit ends its freed memory goes back to the system.
const TRIM_AFTER: Duration = Duration::from_secs(5);

/// When the heap is trimmed next, and how often it has been.
#[derive(Resource, Default)]
pub struct HeapTrim {
    due: Option<Duration>,
    /// Trims so far (the log and the tests read it).
    pub done: u32,
}

impl HeapTrim {
    /// A trim is due and has not happened yet.
    pub fn pending(&self) -> bool {
        self.due.is_some()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<HeapTrim>()
        .add_systems(OnEnter(Mode::Attract), (let_go, schedule_trim))
        .add_systems(OnEnter(Mode::Closed), (let_go, schedule_trim))
        .add_systems(Update, trim.in_set(AppSystems::Receive));
}

/// At most two malloc arenas, and large blocks mapped on their own. Called
/// before any thread starts (glibc reads it when a thread first allocates).
pub(super) fn tune_allocator() {
    // SAFETY: mallopt only sets parameters of the allocator: M_ARENA_MAX
    // takes any positive count, M_MMAP_THRESHOLD any size up to 32 MB.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Variables that choose Vulkan drivers: where the environment sets one,
/// its choice stands.
const DRIVER_CHOICES: [&str; 4] = [
    "VK_LOADER_DRIVERS_SELECT",
    "VK_LOADER_DRIVERS_DISABLE",
    "VK_DRIVER_FILES",
    "VK_ICD_FILENAMES",
];

/// On a machine without a GPU (no render node under /dev/dri) the only
/// Vulkan driver that can draw is Mesa's software one, lavapipe; the
/// Vulkan loader still loads every driver installed (Intel's two, AMD's:
/// 5.5 MB resident) to ask each for a device. It is told to load
/// lavapipe alone. Called before any thread starts (the environment is
/// the process's).
pub(super) fn vulkan_drivers() {
    let Some(select) = software_only(Path::new("/dev/dri"), |name| {
        std::env::var_os(name).is_some()
    }) else {
        return;
    };
    // SAFETY: no other thread runs yet (see `run`), so none reads the
    // environment while it changes.
    unsafe {
        std::env::set_var("VK_LOADER_DRIVERS_SELECT", select);
    }
}

/// The loader's driver filter where `dri` has no render node and the
/// environment (`is_set`) chooses no drivers of its own.
fn software_only(dri: &Path, is_set: impl Fn(&str) -> bool) -> Option<&'static str> {
    if DRIVER_CHOICES.iter().any(|name| is_set(name)) {
        return None;
    }
    let render_node = std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    });
    // Matched against the driver's manifest, `lvp_icd.x86_64.json`.
    (!render_node).then_some("*lvp*")
}

/// Drops every atlas, and has the text still on screen (an urgent
/// announcement, say) laid out again, so it takes its glyphs anew.
fn let_go(mut atlases: ResMut<FontAtlasSet>, mut texts: Query<&mut Text>) {
    if atlases.is_empty() {
        return;
    }
    let count: usize = atlases.values().map(Vec::len).sum();
    atlases.clear();
    for mut text in &mut texts {
        text.set_changed();
    }
    debug!("glyph atlases: {count} let go");
}

fn schedule_trim(mut heap: ResMut<HeapTrim>, uptime: Res<Uptime>, wake: Res<WakeAt>) {
    let due = uptime.now() + TRIM_AFTER;
    heap.due = Some(due);
    wake.at(uptime.instant(due));
}

/// The heap's free pages go back to the system [`TRIM_AFTER`] the visit
/// ended.
fn trim(mut heap: ResMut<HeapTrim>, uptime: Res<Uptime>) {
    if heap.due.is_none_or(|due| uptime.now() < due) {
        return;
    }
    heap.due = None;
    heap.done += 1;
    let before = portalavoro_core::hub::heartbeat::resident_memory_bytes();
    // SAFETY: malloc_trim only returns free memory of glibc's heaps to the
    // system; it takes the allocator's own locks.
    unsafe {
        libc::malloc_trim(0);
    }
    let after = portalavoro_core::hub::heartbeat::resident_memory_bytes();
    if let (Some(before), Some(after)) = (before, after) {
        debug!(
            "heap trimmed: resident {} → {} MB",
            before / 1_000_000,
            after / 1_000_000
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_render_node_only_the_software_driver_is_loaded() {
        let dri = std::env::temp_dir().join(format!("kiosk-dri-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dri);
        let nothing_set = |_: &str| false;
        // No /dev/dri at all (a VM, Xvfb), then a display without a GPU
        // (simpledrm: a card, no render node).
        assert_eq!(software_only(&dri, nothing_set), Some("*lvp*"));
        std::fs::create_dir_all(&dri).unwrap();
        std::fs::write(dri.join("card0"), "").unwrap();
        assert_eq!(software_only(&dri, nothing_set), Some("*lvp*"));
        // The technician's choice stands.
        assert_eq!(software_only(&dri, |name| name == "VK_ICD_FILENAMES"), None);
        // A GPU: every driver is asked.
        std::fs::write(dri.join("renderD128"), "").unwrap();
        assert_eq!(software_only(&dri, nothing_set), None);
        std::fs::remove_dir_all(&dri).unwrap();
    }
}
