//! Touch handling shared by every screen: controls carry an [`Action`] (what
//! a tap asks for), lists scroll by dragging, and a pressed control shows it.
//!
//! A tap counts only when the finger did not travel (a drag scrolls, it does
//! not open the row it started on), when no other finger or a palm is on
//! the glass at the same time, and when the press did not just wake the
//! kiosk from its attract loop or answer "Are you still there?".
//!
//! A tap is a press on a control and a release still on it. bevy's own
//! `Click` judges the release by where the pointer was the frame before, so
//! a touch panel that reports as an absolute pointer (the jump, the press
//! and the release in one frame) would never click: [`taps`] judges it by
//! where the pointer is now.

use std::collections::{HashMap, HashSet};

use bevy::ecs::system::SystemParam;
use bevy::input::touch::Touches;
use bevy::picking::hover::HoverMap;
use bevy::picking::pointer::{PointerAction, PointerButton, PointerId, PointerInput};
use bevy::prelude::*;

use super::session::{VisitorSession, Waking};
use super::sound::Sounds;
use super::theme::Theme;
use portalavoro_core::session::{Intent, Tap};

/// What a tap on this control asks for.
#[derive(Component, Clone, Debug)]
pub struct Action(pub Intent);

/// A control's colours at rest and while pressed.
#[derive(Component, Clone, Copy)]
pub struct PressColors {
    pub normal: Color,
    pub pressed: Color,
}

/// A node that scrolls vertically when dragged.
#[derive(Component, Default)]
pub struct DragScroll {
    /// The scroll offset when the current drag began.
    start: f32,
}

/// How far a finger may travel, in logical pixels, and still tap.
const TAP_SLOP: f32 = 24.0;

/// The farthest each pointer travelled since it was pressed.
#[derive(Resource, Default)]
struct Travel(HashMap<PointerId, f32>);

/// The control each pointer pressed, until it is released.
#[derive(Resource, Default)]
struct Pressed(HashMap<PointerId, Entity>);

/// Pointers whose press woke the kiosk: their click does nothing.
#[derive(Resource, Default)]
struct Swallowed(HashSet<PointerId>);

impl Swallowed {
    /// A press: remembered as waking or not, until the next press.
    fn press(&mut self, pointer: PointerId, waking: bool) {
        if waking {
            self.0.insert(pointer);
        } else {
            self.0.remove(&pointer);
        }
    }

    /// Whether this pointer's click is to be ignored.
    fn swallows(&mut self, pointer: PointerId) -> bool {
        self.0.remove(&pointer)
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Travel>()
        .init_resource::<Swallowed>()
        .init_resource::<Pressed>()
        .add_observer(on_press)
        .add_observer(on_drag)
        // (Headless tests have no picking: they press controls directly.)
        .add_systems(
            Update,
            (taps.run_if(resource_exists::<HoverMap>), show_presses),
        );
}

/// A press: on the control it landed on (it bubbles up from a label), or
/// on nothing that acts.
fn on_press(
    mut press: On<Pointer<Press>>,
    actions: Query<(), With<Action>>,
    mut travel: ResMut<Travel>,
    mut swallowed: ResMut<Swallowed>,
    mut pressed: ResMut<Pressed>,
    waking: Res<Waking>,
) {
    if press.button != PointerButton::Primary {
        return;
    }
    travel.0.insert(press.pointer_id, 0.0);
    swallowed.press(press.pointer_id, waking.0);
    if actions.contains(press.entity) {
        pressed.0.insert(press.pointer_id, press.entity);
        press.propagate(false);
    } else if press.original_event_target() == press.entity {
        // The first entity of a new press: forget an older one.
        pressed.0.remove(&press.pointer_id);
    }
}

fn on_drag(
    mut drag: On<Pointer<Drag>>,
    mut travel: ResMut<Travel>,
    mut scrollers: Query<(&mut ScrollPosition, &mut DragScroll, &ComputedNode)>,
) {
    let moved = travel.0.entry(drag.pointer_id).or_default();
    *moved = moved.max(drag.distance.length());
    let Ok((mut position, mut scroll, node)) = scrollers.get_mut(drag.entity) else {
        return; // not a scroller: let it bubble up to one
    };
    drag.propagate(false);
    if drag.distance == drag.delta {
        // The first move of this drag.
        scroll.start = position.y;
    }
    // Dragging up shows what is below; layout clamps the far end.
    let max = (node.content_size.y - node.size.y).max(0.0) * node.inverse_scale_factor;
    position.y = (scroll.start - drag.distance.y).clamp(0.0, max);
}

/// Whether the pointer, where it is now, is over `control` (or a label in
/// it).
fn over(hover: &HoverMap, pointer: PointerId, control: Entity, parents: &Query<&ChildOf>) -> bool {
    hover.get(&pointer).is_some_and(|hits| {
        hits.keys().any(|hit| {
            *hit == control || parents.iter_ancestors(*hit).any(|above| above == control)
        })
    })
}

/// Where each pointer stands: the control it pressed, how far it
/// travelled, whether its press only woke the kiosk; and the fingers on
/// the glass.
#[derive(SystemParam)]
struct Pointers<'w> {
    pressed: ResMut<'w, Pressed>,
    travel: Res<'w, Travel>,
    swallowed: ResMut<'w, Swallowed>,
    touches: Res<'w, Touches>,
}

/// What a tap does: a click, then to the session or aloud.
#[derive(SystemParam)]
pub struct TapEffects<'w> {
    session: ResMut<'w, VisitorSession>,
    tapped: ResMut<'w, super::speech::Tapped>,
    sounds: Res<'w, Sounds>,
    speaker: Res<'w, super::speech::Speaker>,
    words: super::speech::Words<'w>,
}

impl TapEffects<'_> {
    /// A tap on a control labelled `label`: said first with speech on
    /// (a second tap does it), else done. No click over the voice.
    fn tap(&mut self, intent: Intent, label: String) {
        if !self.session.access.speech {
            self.sounds.click();
        }
        match self.session.tap(intent.clone()) {
            Tap::Say => self.say(&intent, &label),
            Tap::Do if self.session.access.speech => self.tapped.0 = Some((intent, label)),
            Tap::Do => {}
        }
    }

    /// A control reached from the keypad: said aloud with speech on, as a
    /// first tap says it.
    pub fn focus(&mut self, intent: Intent, label: String) {
        if self.session.access.speech {
            self.session.selected = Some(intent.clone());
            self.say(&intent, &label);
        }
    }

    /// A control's name, role and state or place, in the visitor's
    /// language.
    fn say(&self, intent: &Intent, label: &str) {
        let (text, lang) = self.words.control(intent, label, &self.session);
        self.speaker.say(text, &lang);
    }

    /// A control done from the keypad: done at once (reaching it said it).
    pub fn activate(&mut self, intent: Intent, label: String) {
        self.session.selected = Some(intent.clone());
        self.tap(intent, label);
    }
}

/// Each release of a pointer that pressed a control and is still on it is
/// a tap on that control, if it counts (see the module's notes).
fn taps(
    mut inputs: MessageReader<PointerInput>,
    hover: Res<HoverMap>,
    parents: Query<&ChildOf>,
    actions: Query<&Action>,
    labels: Labels,
    mut pointers: Pointers,
    mut effects: TapEffects,
) {
    for input in inputs.read() {
        if !matches!(input.action, PointerAction::Release(PointerButton::Primary)) {
            continue;
        }
        let pointer = input.pointer_id;
        let Some(control) = pointers.pressed.0.remove(&pointer) else {
            continue; // pressed on nothing that acts
        };
        if pointers.swallowed.swallows(pointer) {
            continue; // the touch that woke the kiosk
        }
        let Ok(Action(intent)) = actions.get(control) else {
            continue; // the screen was redrawn under the finger
        };
        if !over(&hover, pointer, control, &parents) {
            continue; // released elsewhere
        }
        if pointers.travel.0.get(&pointer).copied().unwrap_or(0.0) > TAP_SLOP {
            continue; // it was a drag
        }
        if pointers.touches.iter().next().is_some() {
            continue; // another finger or a palm is still down
        }
        effects.tap(intent.clone(), label(control, &labels));
    }
}

/// What [`label`] reads a control's label from.
pub type Labels<'w, 's> = Query<'w, 's, (Option<&'static Text>, Option<&'static Children>)>;

/// The first text inside a control, depth first: its label, to say aloud.
pub fn label(entity: Entity, nodes: &Labels) -> String {
    let Ok((text, children)) = nodes.get(entity) else {
        return String::new();
    };
    if let Some(text) = text {
        return text.0.clone();
    }
    children
        .into_iter()
        .flatten()
        .map(|child| label(*child, nodes))
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

fn show_presses(
    mut controls: Query<(&Interaction, &PressColors, &mut BackgroundColor), Changed<Interaction>>,
) {
    for (interaction, colors, mut background) in &mut controls {
        background.0 = match interaction {
            Interaction::Pressed => colors.pressed,
            _ => colors.normal,
        };
    }
}

/// How a button looks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// On the background: a surface-coloured control.
    Plain,
    /// The main or chosen one: accent-coloured.
    Chosen,
}

/// A button: a touch target of at least the minimum size, with a label.
pub fn button(
    theme: &Theme,
    label: impl Into<String>,
    intent: Intent,
    style: Style,
) -> impl Bundle {
    use super::theme::size;
    (
        Action(intent),
        Node {
            min_width: Val::VMin(size::TOUCH_TARGET * 1.5),
            min_height: Val::VMin(size::TOUCH_TARGET),
            padding: UiRect::axes(Val::VMin(size::GAP), Val::VMin(size::GAP / 3.0)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        },
        button_face(theme, label, style),
    )
}

/// What makes a node look and feel like a button, but its size and what it
/// does: its colours, pressed and not, and its label.
pub fn button_face(theme: &Theme, label: impl Into<String>, style: Style) -> impl Bundle {
    use super::theme::size;
    let p = &theme.palette;
    let (normal, text) = match style {
        Style::Plain => (p.surface, p.text),
        Style::Chosen => (p.accent, p.on_accent),
    };
    (
        Button,
        BackgroundColor(normal),
        PressColors {
            normal,
            pressed: p.pressed,
        },
        children![(
            theme.strong_at(label, size::BODY, text, Justify::Center),
            Pickable::IGNORE,
        )],
    )
}

/// Makes a card or row a control: tapping anywhere on it does `intent`.
pub fn tappable(theme: &Theme, intent: Intent) -> impl Bundle {
    (
        Action(intent),
        Button,
        PressColors {
            normal: theme.palette.surface,
            pressed: theme.palette.pressed,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waking_press_is_swallowed_and_only_it() {
        let mut swallowed = Swallowed::default();
        let finger = PointerId::Touch(3);
        swallowed.press(finger, true);
        swallowed.press(PointerId::Mouse, false);
        assert!(swallowed.swallows(finger), "the waking tap does nothing");
        assert!(!swallowed.swallows(PointerId::Mouse));
        assert!(!swallowed.swallows(finger), "only once");
        // The same finger id, pressed again later, is a normal tap.
        swallowed.press(finger, true);
        swallowed.press(finger, false);
        assert!(!swallowed.swallows(finger));
    }
}
