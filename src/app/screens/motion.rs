//! The one motion in the visitor's screens: a new page glides in from the
//! side it comes from (the next page from the end of the reading direction,
//! the previous one from its start), so a visitor sees where they went.
//! It is short and starts near its place, so the page can be read at once.
//!
//! None with *Reduce motion* on, nor on a totem whose attract loop cuts
//! (`attract.transition = "cut"`, for totems without a GPU).

use std::time::Duration;

use bevy::prelude::*;
use bevy::ui::Val2;

use crate::app::shared::AppSystems;
use crate::app::stale::Drawing;

/// How long a page takes to settle.
pub const PAGE_SLIDE: Duration = Duration::from_millis(250);

/// How far off its place a page starts, in % of its width.
const TRAVEL: f32 = 30.0;

/// A page gliding into place.
#[derive(Component, Clone, Debug)]
pub struct PageEnter {
    started: Duration,
    /// Where it starts, in % of its width (negative: from the left).
    from: f32,
}

impl PageEnter {
    /// A page shown at `now`: the next one (`forward`) or a previous one,
    /// in a right-to-left layout or not.
    pub fn new(now: Duration, forward: bool, rtl: bool) -> PageEnter {
        // Left to right, the next page comes from the right.
        let from_right = forward != rtl;
        PageEnter {
            started: now,
            from: if from_right { TRAVEL } else { -TRAVEL },
        }
    }

    /// Its place at `now`, in % of its width.
    fn offset(&self, now: Duration) -> f32 {
        let t = now.saturating_sub(self.started).as_secs_f32() / PAGE_SLIDE.as_secs_f32();
        self.from * (1.0 - ease_out(t.min(1.0)))
    }

    /// Where it is drawn first.
    pub fn transform(&self) -> UiTransform {
        UiTransform::from_translation(Val2::percent(self.from, 0.0))
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        glide.in_set(AppSystems::Render).after(super::rebuild),
    );
}

/// Moves each entering page, asking for frames until it is in place.
fn glide(
    mut commands: Commands,
    mut drawing: Drawing,
    mut pages: Query<(Entity, &PageEnter, &mut UiTransform)>,
) {
    for (entity, enter, mut transform) in &mut pages {
        let offset = enter.offset(drawing.uptime.now());
        transform.translation = Val2::percent(offset, 0.0);
        if offset == 0.0 {
            // In place: this frame draws it at rest, and it was the last.
            commands.entity(entity).remove::<PageEnter>();
        } else {
            drawing.keep_moving();
        }
    }
}

/// Fast, then settling: the page is near its place from the first frame.
fn ease_out(t: f32) -> f32 {
    1.0 - (1.0 - t).powi(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_comes_from_the_end_of_the_reading_direction() {
        let now = Duration::from_secs(5);
        assert!(
            PageEnter::new(now, true, false).from > 0.0,
            "from the right"
        );
        assert!(
            PageEnter::new(now, false, false).from < 0.0,
            "from the left"
        );
        assert!(PageEnter::new(now, true, true).from < 0.0, "Arabic: left");
        assert!(PageEnter::new(now, false, true).from > 0.0, "Arabic: right");
    }

    #[test]
    fn a_page_settles_in_its_place_and_never_overshoots() {
        let start = Duration::from_secs(5);
        let enter = PageEnter::new(start, true, false);
        let mut last = enter.offset(start);
        assert_eq!(last, TRAVEL);
        for ms in (10..=250).step_by(10) {
            let offset = enter.offset(start + Duration::from_millis(ms));
            assert!(
                (0.0..last).contains(&offset),
                "{ms} ms: {offset} after {last}"
            );
            last = offset;
        }
        assert_eq!(enter.offset(start + PAGE_SLIDE), 0.0);
        assert_eq!(enter.offset(start + Duration::from_secs(9)), 0.0);
    }
}
