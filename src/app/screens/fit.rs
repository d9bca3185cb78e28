//! Lists whose length comes from the hub, shown in a space of their own
//! (an attract slide's events, rooms and news, the announcements banner):
//! as many whole items as fit, then "+N" for the rest. Never an item cut in
//! half, hidden under the frame, or pushing the frame off the screen,
//! whatever the count, the text size or the language.
//!
//! What fits is known only after layout, so [`fit_lists`] runs after it, in
//! the same frame: it takes the items that do not fit whole out of the
//! layout (`Display::None`), from the first such to the last, and the list
//! shrinks to what it shows; the list clips, so nothing spills meanwhile.
//! The "+N" line then takes its room, and if that leaves the last shown
//! item cut, the next frame hides it too. An item once hidden stays hidden
//! until the screen is drawn anew, so the decision only ever grows and
//! settles within a frame or two.

use bevy::camera::visibility::VisibilitySystems;
use bevy::prelude::*;
use bevy::ui::{UiGlobalTransform, UiSystems};

use bevy::window::RequestRedraw;

/// A list showing as many of its children (the items) as fit in its own
/// box, which clips them. `total` counts the items the content has, also
/// those not spawned (a slide spawns only as many as could ever fit).
#[derive(Component)]
pub struct FitList {
    pub total: usize,
    /// The "+N" line, if the list has one.
    pub more: Option<MoreLine>,
}

/// A text node, spawned with `Display::None`: shown with `many` (or `one`,
/// for one) with `{count}` filled in when items are left out.
pub struct MoreLine {
    pub entity: Entity,
    pub one: String,
    pub many: String,
}

impl MoreLine {
    fn text(&self, count: usize) -> String {
        let template = if count == 1 { &self.one } else { &self.many };
        template.replace("{count}", &count.to_string())
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        PostUpdate,
        fit_lists
            .after(UiSystems::Layout)
            .before(VisibilitySystems::VisibilityPropagate),
    );
}

/// How many of `items` (in order, those still shown) lie wholly inside
/// `list`: the rest, from the first that does not, are hidden, so what
/// shows is a run from the top.
pub fn fitting(list: Rect, items: &[Rect]) -> usize {
    // Half a pixel of slack: layout positions are not rounded.
    let inside = |item: &Rect| {
        item.min.x >= list.min.x - 0.5
            && item.max.x <= list.max.x + 0.5
            && item.min.y >= list.min.y - 0.5
            && item.max.y <= list.max.y + 0.5
    };
    items.iter().take_while(|item| inside(item)).count()
}

fn rect(node: &ComputedNode, at: &UiGlobalTransform) -> Rect {
    Rect::from_center_size(at.translation, node.size)
}

fn fit_lists(
    lists: Query<(&FitList, &ComputedNode, &UiGlobalTransform, &Children)>,
    mut items: Query<
        (
            &mut Node,
            &mut Visibility,
            &ComputedNode,
            &UiGlobalTransform,
        ),
        Without<Text>,
    >,
    mut texts: Query<(&mut Text, &mut Node)>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    for (list, node, at, children) in &lists {
        // Not laid out yet (no size): decide nothing.
        if node.size.y <= 0.0 {
            continue;
        }
        // The items still shown, in order.
        let shown: Vec<(Entity, Rect)> = children
            .iter()
            .filter_map(|child| {
                let (item, _, computed, at) = items.get(child).ok()?;
                (item.display != Display::None).then(|| (child, rect(computed, at)))
            })
            .collect();
        let rects: Vec<Rect> = shown.iter().map(|(_, r)| *r).collect();
        let fit = fitting(rect(node, at), &rects);
        let mut changed = false;
        for (item, _) in &shown[fit..] {
            if let Ok((mut item, mut visibility, _, _)) = items.get_mut(*item) {
                // Out of the layout from the next frame; not drawn in this one.
                item.display = Display::None;
                *visibility = Visibility::Hidden;
                changed = true;
            }
        }
        if let Some(more) = &list.more {
            let rest = list.total.saturating_sub(fit);
            if let Ok((mut text, mut node)) = texts.get_mut(more.entity) {
                let (wanted, display) = if rest > 0 {
                    (more.text(rest), Display::Flex)
                } else {
                    (String::new(), Display::None)
                };
                if text.0 != wanted {
                    text.0 = wanted;
                    changed = true;
                }
                if node.display != display {
                    node.display = display;
                    changed = true;
                }
            }
        }
        if changed {
            // Changed after layout: one frame more lays it out.
            redraw.write(RequestRedraw);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(count: usize, height: f32) -> Vec<Rect> {
        (0..count)
            .map(|i| Rect::new(0.0, i as f32 * height, 100.0, (i + 1) as f32 * height))
            .collect()
    }

    #[test]
    fn as_many_whole_items_as_the_list_holds() {
        let list = Rect::new(0.0, 0.0, 100.0, 250.0);
        assert_eq!(fitting(list, &rows(0, 100.0)), 0);
        assert_eq!(fitting(list, &rows(1, 100.0)), 1);
        // The third would be cut in half: two.
        assert_eq!(fitting(list, &rows(50, 100.0)), 2);
        // Exactly full.
        assert_eq!(
            fitting(Rect::new(0.0, 0.0, 100.0, 300.0), &rows(50, 100.0)),
            3
        );
    }

    #[test]
    fn an_item_taller_than_the_list_shows_nothing_after_it() {
        let list = Rect::new(0.0, 0.0, 100.0, 250.0);
        let mut items = rows(3, 100.0);
        items[0].max.y = 400.0;
        assert_eq!(fitting(list, &items), 0);
        // Sideways too: a card wider than the list does not fit.
        let wide = [Rect::new(-20.0, 0.0, 100.0, 50.0)];
        assert_eq!(fitting(list, &wide), 0);
    }

    #[test]
    fn the_more_line_counts_in_words() {
        let more = MoreLine {
            entity: Entity::PLACEHOLDER,
            one: "+1 altro".into(),
            many: "+{count} altri".into(),
        };
        assert_eq!(more.text(1), "+1 altro");
        assert_eq!(more.text(48), "+48 altri");
    }
}
