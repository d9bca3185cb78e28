//! The kiosk without its touch screen: a keyboard, or a USB keypad that
//! types as one, reaches every control of the visitor's screens.
//!
//! - Tab, ↓ or → moves a focus ring to the next control, Shift+Tab, ↑ or
//!   ← to the previous one (← and → swap right to left), round in a loop.
//!   The order is the one the screen is built in, which is the reading
//!   order, mirrored rows included.
//! - Enter or Space does what the focused control does, as a tap would.
//! - Backspace or Escape goes back, Home goes to the Home screen.
//!
//! The ring is drawn outside the control in the accent colour, so a
//! sighted helper can follow it in every theme. With speech on, each
//! control reached is said aloud, as a first tap says it. An urgent
//! announcement over the screen takes the focus to its own controls.
//!
//! A key also counts as a visitor's press (`session`): the first one wakes
//! the kiosk from its attract loop, and any one answers "Are you still
//! there?"; neither moves the focus.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::announcements::UrgentOverlay;
use super::screens::ScreenRoot;
use super::session::{Mode, Waking};
use super::shared::AppSystems;
use super::theme::{Theme, size};
use super::touch::{Action, DragScroll, Labels, TapEffects, label};
use super::warning::Prompt;
use portalavoro_core::session::Intent;

/// The control with the focus ring, by what it does: a screen drawn anew
/// (every change redraws it) finds it again.
#[derive(Resource, Default)]
pub struct Focus {
    pub intent: Option<Intent>,
    /// The focus moved this frame: the ring is brought into view.
    moved: bool,
}

/// The control the ring is drawn round.
#[derive(Component)]
pub struct Ring;

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Next,
    Previous,
    Activate,
    Back,
    Home,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Focus>()
        .add_systems(OnExit(Mode::Visitor), |mut focus: ResMut<Focus>| {
            *focus = Focus::default();
        })
        .add_systems(
            Update,
            (
                keys.in_set(AppSystems::Receive),
                ring.in_set(AppSystems::Schedule),
            )
                .run_if(in_state(Mode::Visitor)),
        );
}

/// The key's meaning, in a layout read left to right or not.
fn meaning(key: KeyCode, shift: bool, rtl: bool) -> Option<Key> {
    let (forward, backward) = if rtl {
        (KeyCode::ArrowLeft, KeyCode::ArrowRight)
    } else {
        (KeyCode::ArrowRight, KeyCode::ArrowLeft)
    };
    match key {
        KeyCode::Tab if shift => Some(Key::Previous),
        KeyCode::Tab | KeyCode::ArrowDown => Some(Key::Next),
        KeyCode::ArrowUp => Some(Key::Previous),
        k if k == forward => Some(Key::Next),
        k if k == backward => Some(Key::Previous),
        KeyCode::Enter | KeyCode::NumpadEnter | KeyCode::Space => Some(Key::Activate),
        KeyCode::Backspace | KeyCode::Escape => Some(Key::Back),
        KeyCode::Home => Some(Key::Home),
        _ => None,
    }
}

/// The controls a visitor can reach now, in reading order.
#[derive(SystemParam)]
pub struct Controls<'w, 's> {
    urgent: Query<'w, 's, Entity, With<UrgentOverlay>>,
    screens: Query<'w, 's, Entity, With<ScreenRoot>>,
    prompt: Query<'w, 's, (), With<Prompt>>,
    children: Query<'w, 's, &'static Children>,
    nodes: Query<'w, 's, (Option<&'static Node>, Option<&'static Visibility>)>,
    actions: Query<'w, 's, &'static Action>,
}

impl Controls<'_, '_> {
    /// Depth first from the top layer: the urgent announcement if one is
    /// up, else the screen. Hidden controls (a list's rows that did not
    /// fit) are skipped. None while "Are you still there?" asks.
    fn in_order(&self) -> Vec<(Entity, Intent)> {
        let mut found = Vec::new();
        if !self.prompt.is_empty() {
            return found;
        }
        let roots: Vec<Entity> = if self.urgent.is_empty() {
            self.screens.iter().collect()
        } else {
            self.urgent.iter().collect()
        };
        for root in roots {
            self.walk(root, &mut found);
        }
        found
    }

    fn walk(&self, entity: Entity, found: &mut Vec<(Entity, Intent)>) {
        if let Ok((node, visibility)) = self.nodes.get(entity)
            && (node.is_some_and(|n| n.display == Display::None)
                || visibility == Some(&Visibility::Hidden))
        {
            return;
        }
        if let Ok(Action(intent)) = self.actions.get(entity) {
            found.push((entity, intent.clone()));
            return; // a control's label is not another control
        }
        for child in self.children.get(entity).into_iter().flatten() {
            self.walk(*child, found);
        }
    }
}

fn keys(
    input: Res<ButtonInput<KeyCode>>,
    waking: Res<Waking>,
    theme: Res<Theme>,
    mut focus: ResMut<Focus>,
    controls: Controls,
    labels: Labels,
    mut effects: TapEffects,
) {
    if waking.0 {
        return; // the key that woke the kiosk or answered the prompt
    }
    let shift = input.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    for key in input.get_just_pressed() {
        let Some(key) = meaning(*key, shift, theme.rtl) else {
            continue;
        };
        let order = controls.in_order();
        let at = focus
            .intent
            .as_ref()
            .and_then(|intent| order.iter().position(|(_, i)| i == intent));
        let step = |forward: bool| -> Option<usize> {
            let len = order.len();
            (len > 0).then(|| match (at, forward) {
                (None, true) => 0,
                (None, false) => len - 1,
                (Some(i), true) => (i + 1) % len,
                (Some(i), false) => (i + len - 1) % len,
            })
        };
        let reach = match key {
            Key::Next => step(true),
            Key::Previous => step(false),
            // Enter with nothing focused starts at the first control.
            Key::Activate => match at {
                Some(i) => {
                    let (entity, intent) = order[i].clone();
                    effects.activate(intent, label(entity, &labels));
                    None
                }
                None => step(true),
            },
            Key::Back => {
                effects.activate(Intent::Back, String::new());
                None
            }
            Key::Home => {
                effects.activate(Intent::Home, String::new());
                None
            }
        };
        if let Some(i) = reach {
            let (entity, intent) = order[i].clone();
            let label = label(entity, &labels);
            debug!("keypad: focus on {label:?}, {} of {}", i + 1, order.len());
            focus.intent = Some(intent.clone());
            focus.moved = true;
            effects.focus(intent, label);
        }
    }
}

/// The ring round the focused control, and the control in view.
fn ring(
    mut commands: Commands,
    mut focus: ResMut<Focus>,
    theme: Res<Theme>,
    controls: Controls,
    ringed: Query<Entity, With<Ring>>,
    mut view: InView,
) {
    let target = focus.intent.as_ref().and_then(|intent| {
        controls
            .in_order()
            .into_iter()
            .find(|(_, i)| i == intent)
            .map(|(entity, _)| entity)
    });
    for old in &ringed {
        if Some(old) != target {
            commands.entity(old).remove::<(Ring, Outline)>();
        }
    }
    let Some(target) = target else {
        return;
    };
    if !ringed.contains(target) {
        commands.entity(target).insert((
            Ring,
            Outline::new(
                Val::VMin(size::GAP / 2.5),
                Val::VMin(size::GAP / 4.0),
                theme.palette.accent,
            ),
        ));
    }
    if std::mem::take(&mut focus.moved) {
        view.bring(target);
    }
}

/// Scrolls the page a control is on (the node a finger drags) so that the
/// control is in view.
#[derive(SystemParam)]
struct InView<'w, 's> {
    parents: Query<'w, 's, &'static ChildOf>,
    placed: Query<'w, 's, (&'static ComputedNode, &'static UiGlobalTransform)>,
    scrolls: Query<'w, 's, &'static mut ScrollPosition, With<DragScroll>>,
}

impl InView<'_, '_> {
    fn bring(&mut self, control: Entity) {
        let Some(scroller) = self
            .parents
            .iter_ancestors(control)
            .find(|above| self.scrolls.contains(*above))
        else {
            return;
        };
        let (Ok((item, item_at)), Ok((frame, frame_at))) =
            (self.placed.get(control), self.placed.get(scroller))
        else {
            return; // not laid out (yet)
        };
        let top =
            |node: &ComputedNode, at: &UiGlobalTransform| at.translation.y - node.size.y / 2.0;
        let bottom =
            |node: &ComputedNode, at: &UiGlobalTransform| at.translation.y + node.size.y / 2.0;
        // In physical pixels; the scroll position is in logical ones.
        let below = bottom(item, item_at) - bottom(frame, frame_at);
        let above = top(frame, frame_at) - top(item, item_at);
        // The ring too, drawn outside the control, and a little air.
        let margin = 2.0 * (item.outline_width() + item.outline_offset());
        let (below, above) = (below + margin, above + margin);
        let shift = if above > 0.0 {
            -above
        } else if below > 0.0 {
            below.min(-above)
        } else {
            return;
        };
        let scale = frame.inverse_scale_factor;
        if let Ok(mut position) = self.scrolls.get_mut(scroller) {
            position.y = (position.y + shift * scale).max(0.0);
        }
    }
}
