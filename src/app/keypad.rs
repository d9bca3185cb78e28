//! The kiosk without its touch screen: a keyboard, or a USB keypad that
//! types as one, reaches every control of the visitor's screens. Which key
//! does what is `[keypad]` in `kiosk.toml` (`config::KeypadConfig`); by
//! default:
//!
//! - Tab, ↓ or → moves a focus ring to the next control, Shift+Tab, ↑ or
//!   ← to the previous one (← and → swap right to left), round in a loop.
//!   Shift with any "next" key goes back. The order is the one the screen
//!   is built in, which is the reading order, mirrored rows included.
//! - Enter or Space does what the focused control does, as a tap would.
//! - Backspace or Escape goes back, Home goes to the Home screen.
//! - The voice's keys (help, repeat, pause, stop, volume, rate) go to
//!   `speech`.
//!
//! The ring is drawn outside the control in the accent colour, so a
//! sighted helper can follow it in every theme. With speech on, each
//! control reached is said aloud, as a first tap says it. An urgent
//! announcement over the screen takes the focus to its own controls.
//!
//! A key also counts as a visitor's press (`session`): the first one wakes
//! the kiosk from its attract loop and turns speech on, with how to use the
//! keypad (a keypad is there for visitors who cannot see the screen); any
//! one answers "Are you still there?"; neither moves the focus. A key that
//! does nothing is logged by name, so that a technician can map a keypad
//! by pressing its keys.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::announcements::UrgentOverlay;
use super::screens::ScreenRoot;
use super::session::{Mode, VisitorSession, Waking};
use super::shared::{AppSystems, KioskConfig};
use super::sound::Sounds;
use super::speech::{HelpAsked, VoiceKey, VoiceState, turn_on};
use super::theme::{Theme, size};
use super::touch::{Action, DragScroll, Labels, TapEffects, label};
use super::warning::Prompt;
use portalavoro_core::config::{KeyAction, KeypadConfig};
use portalavoro_core::session::Intent;

/// The control with the focus ring, by what it does: a screen drawn anew
/// (every change redraws it) finds it again. Two controls may do the same
/// (the accessibility page's speech switch and the bar's "stop the
/// voice"): `nth` tells which of them, in reading order.
#[derive(Resource, Default)]
pub struct Focus {
    pub intent: Option<Intent>,
    nth: usize,
    /// The focus moved this frame: the ring is brought into view.
    moved: bool,
}

impl Focus {
    /// Where the focused control is in `order`, if it is there.
    fn position(&self, order: &[(Entity, Intent)]) -> Option<usize> {
        let intent = self.intent.as_ref()?;
        let same = || {
            order
                .iter()
                .enumerate()
                .filter(move |(_, (_, i))| i == intent)
                .map(|(at, _)| at)
        };
        // A redrawn screen with fewer of them: the first.
        same().nth(self.nth).or_else(|| same().next())
    }

    /// The focus on `order[at]`.
    fn set(&mut self, order: &[(Entity, Intent)], at: usize) {
        let intent = &order[at].1;
        self.nth = order[..at].iter().filter(|(_, i)| i == intent).count();
        self.intent = Some(intent.clone());
        self.moved = true;
    }
}

/// The control the ring is drawn round.
#[derive(Component)]
pub struct Ring;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Focus>()
        .add_systems(OnExit(Mode::Visitor), |mut focus: ResMut<Focus>| {
            *focus = Focus::default();
        })
        .add_systems(
            OnTransition {
                exited: Mode::Attract,
                entered: Mode::Visitor,
            },
            key_wakes_speech,
        )
        .add_systems(
            Update,
            (
                keys.in_set(AppSystems::Receive),
                ring.in_set(AppSystems::Schedule),
            )
                .run_if(in_state(Mode::Visitor)),
        );
}

/// Names every key `[keypad]` may name, as bevy knows it; a test checks
/// the list against the configuration's.
macro_rules! key_names {
    ($($key:ident),* $(,)?) => {
        /// The `KeyboardEvent.code` name of a key, if `[keypad]` may name it.
        fn key_name(key: KeyCode) -> Option<&'static str> {
            match key {
                $(KeyCode::$key => Some(stringify!($key)),)*
                _ => None,
            }
        }

        #[cfg(test)]
        pub(super) const KEY_NAMES: &[&str] = &[$(stringify!($key)),*];
    };
}

#[rustfmt::skip]
key_names!(
    KeyA, KeyB, KeyC, KeyD, KeyE, KeyF, KeyG, KeyH, KeyI, KeyJ, KeyK, KeyL, KeyM, KeyN, KeyO,
    KeyP, KeyQ, KeyR, KeyS, KeyT, KeyU, KeyV, KeyW, KeyX, KeyY, KeyZ, Digit0, Digit1, Digit2,
    Digit3, Digit4, Digit5, Digit6, Digit7, Digit8, Digit9, Numpad0, Numpad1, Numpad2, Numpad3,
    Numpad4, Numpad5, Numpad6, Numpad7, Numpad8, Numpad9, NumpadAdd, NumpadSubtract,
    NumpadMultiply, NumpadDivide, NumpadDecimal, NumpadEnter, F1, F2, F3, F4, F5, F6, F7, F8, F9,
    F10, F11, F12, F13, F14, F15, F16, F17, F18, F19, F20, F21, F22, F23, F24, ArrowUp, ArrowDown,
    ArrowLeft, ArrowRight, Enter, Space, Tab, Backspace, Escape, Home, End, PageUp, PageDown,
    Insert, Delete, Help, Pause, Minus, Equal, Comma, Period, Slash, Backslash, Semicolon, Quote,
    BracketLeft, BracketRight, Backquote, AudioVolumeUp, AudioVolumeDown, AudioVolumeMute,
    MediaPlayPause, MediaStop, MediaTrackNext, MediaTrackPrevious,
);

/// What a key does: as `[keypad]` says, with ← and → swapped in a layout
/// read right to left, and Shift turning "next" into "previous".
fn meaning(keypad: &KeypadConfig, key: KeyCode, shift: bool, rtl: bool) -> Option<KeyAction> {
    let name = match key_name(key)? {
        "ArrowLeft" if rtl => "ArrowRight",
        "ArrowRight" if rtl => "ArrowLeft",
        name => name,
    };
    match keypad.action(name)? {
        KeyAction::Next if shift => Some(KeyAction::Previous),
        action => Some(action),
    }
}

fn is_modifier(key: KeyCode) -> bool {
    matches!(
        key,
        KeyCode::ShiftLeft
            | KeyCode::ShiftRight
            | KeyCode::ControlLeft
            | KeyCode::ControlRight
            | KeyCode::AltLeft
            | KeyCode::AltRight
            | KeyCode::SuperLeft
            | KeyCode::SuperRight
    )
}

/// A key that wakes the kiosk from its attract loop is a visitor who may
/// not see the screen: speech comes on, and says how to use the keypad.
fn key_wakes_speech(
    input: Res<ButtonInput<KeyCode>>,
    mut session: ResMut<VisitorSession>,
    mut help: ResMut<HelpAsked>,
    sounds: Res<Sounds>,
    voice: Res<VoiceState>,
) {
    if input.get_just_pressed().any(|key| !is_modifier(*key)) {
        help.0 = turn_on(&mut session, &sounds, &voice, "a keypad key");
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

/// What the keys pressed this frame do, in the order pressed.
#[derive(SystemParam)]
struct Pressed<'w> {
    input: Res<'w, ButtonInput<KeyCode>>,
    theme: Res<'w, Theme>,
    config: Res<'w, KioskConfig>,
}

impl Pressed<'_> {
    fn actions(&self) -> Vec<KeyAction> {
        let shift = self
            .input
            .any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
        let mut actions = Vec::new();
        for key in self.input.get_just_pressed() {
            match meaning(&self.config.keypad, *key, shift, self.theme.rtl) {
                Some(action) => actions.push(action),
                None if is_modifier(*key) => {}
                None => info!("keypad: key {key:?} does nothing (see [keypad] in kiosk.toml)"),
            }
        }
        actions
    }
}

fn keys(
    pressed: Pressed,
    waking: Res<Waking>,
    mut focus: ResMut<Focus>,
    controls: Controls,
    labels: Labels,
    mut effects: TapEffects,
    mut voice: MessageWriter<VoiceKey>,
) {
    if waking.0 {
        return; // the key that woke the kiosk or answered the prompt
    }
    for action in pressed.actions() {
        let order = controls.in_order();
        let at = focus.position(&order);
        let step = |forward: bool| -> Option<usize> {
            let len = order.len();
            (len > 0).then(|| match (at, forward) {
                (None, true) => 0,
                (None, false) => len - 1,
                (Some(i), true) => (i + 1) % len,
                (Some(i), false) => (i + len - 1) % len,
            })
        };
        let reach = match action {
            KeyAction::Next => step(true),
            KeyAction::Previous => step(false),
            // Enter with nothing focused starts at the first control.
            KeyAction::Activate => match at {
                Some(i) => {
                    let (entity, intent) = order[i].clone();
                    effects.activate(intent, label(entity, &labels));
                    None
                }
                None => step(true),
            },
            KeyAction::Back => {
                effects.activate(Intent::Back, String::new());
                None
            }
            KeyAction::Home => {
                effects.activate(Intent::Home, String::new());
                None
            }
            KeyAction::Help
            | KeyAction::Repeat
            | KeyAction::Pause
            | KeyAction::Stop
            | KeyAction::VolumeUp
            | KeyAction::VolumeDown
            | KeyAction::Rate => {
                voice.write(VoiceKey(action));
                None
            }
        };
        if let Some(i) = reach {
            let (entity, intent) = order[i].clone();
            let label = label(entity, &labels);
            debug!("keypad: focus on {label:?}, {} of {}", i + 1, order.len());
            focus.set(&order, i);
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
    let order = controls.in_order();
    let target = focus.position(&order).map(|at| order[at].0);
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
    // (With speech on, the focus redraws the page: the control is new,
    // and is brought into view once it is laid out.)
    if focus.moved && view.bring(target) {
        focus.moved = false;
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
    /// Whether the control could be judged: false until it is laid out.
    fn bring(&mut self, control: Entity) -> bool {
        let Some(scroller) = self
            .parents
            .iter_ancestors(control)
            .find(|above| self.scrolls.contains(*above))
        else {
            return true; // not on a page that scrolls
        };
        let (Ok((item, item_at)), Ok((frame, frame_at))) =
            (self.placed.get(control), self.placed.get(scroller))
        else {
            return false;
        };
        if item.size == Vec2::ZERO || frame.size == Vec2::ZERO {
            return false; // not laid out yet
        }
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
            return true;
        };
        let scale = frame.inverse_scale_factor;
        if let Ok(mut position) = self.scrolls.get_mut(scroller) {
            position.y = (position.y + shift * scale).max(0.0);
        }
        true
    }
}
