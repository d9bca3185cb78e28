//! `[keypad]`: which key does what, for a keyboard or a USB keypad that
//! types as one (the AudioNav kind). Keys are named as the W3C's
//! `KeyboardEvent.code` names them ("ArrowDown", "Enter", "F1"): where the
//! key is, not what it types, so a keypad reads the same under any keyboard
//! layout.
//!
//! A list given in the file replaces that action's default keys, and a key
//! it takes leaves the defaults of the other actions; a key in two given
//! lists is an error that names its line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, Validator};

/// What a key asks the kiosk to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyAction {
    /// The next control (with Shift: the previous one).
    Next,
    Previous,
    /// Do what the control with the focus does, as a tap would.
    Activate,
    Back,
    Home,
    /// Say how to use the keypad.
    Help,
    /// Say again what was said last.
    Repeat,
    /// Pause the voice; again: go on.
    Pause,
    /// Stop the voice.
    Stop,
    /// The voice louder, or quieter.
    VolumeUp,
    VolumeDown,
    /// The next speech rate: normal, faster, slower.
    Rate,
}

impl KeyAction {
    pub const ALL: [KeyAction; 12] = [
        KeyAction::Next,
        KeyAction::Previous,
        KeyAction::Activate,
        KeyAction::Back,
        KeyAction::Home,
        KeyAction::Help,
        KeyAction::Repeat,
        KeyAction::Pause,
        KeyAction::Stop,
        KeyAction::VolumeUp,
        KeyAction::VolumeDown,
        KeyAction::Rate,
    ];

    /// Its key in `[keypad]`.
    pub fn name(self) -> &'static str {
        match self {
            KeyAction::Next => "next",
            KeyAction::Previous => "previous",
            KeyAction::Activate => "activate",
            KeyAction::Back => "back",
            KeyAction::Home => "home",
            KeyAction::Help => "help",
            KeyAction::Repeat => "repeat",
            KeyAction::Pause => "pause",
            KeyAction::Stop => "stop",
            KeyAction::VolumeUp => "volume_up",
            KeyAction::VolumeDown => "volume_down",
            KeyAction::Rate => "rate",
        }
    }

    /// The keys it has when `[keypad]` does not name them.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            KeyAction::Next => &["Tab", "ArrowDown", "ArrowRight"],
            KeyAction::Previous => &["ArrowUp", "ArrowLeft"],
            KeyAction::Activate => &["Enter", "NumpadEnter", "Space"],
            KeyAction::Back => &["Backspace", "Escape"],
            KeyAction::Home => &["Home"],
            KeyAction::Help => &["F1", "Help"],
            KeyAction::Repeat => &["F2"],
            KeyAction::Pause => &["F3", "Pause", "MediaPlayPause"],
            KeyAction::Stop => &["F4", "End", "MediaStop"],
            KeyAction::VolumeUp => &["Equal", "NumpadAdd", "AudioVolumeUp"],
            KeyAction::VolumeDown => &["Minus", "NumpadSubtract", "AudioVolumeDown"],
            KeyAction::Rate => &["F5"],
        }
    }
}

/// The keys `[keypad]` may name: `KeyboardEvent.code` names of the keys a
/// keyboard or a keypad has (the app maps each one; a test checks it).
pub const KEY_NAMES: &[&str] = &[
    "KeyA",
    "KeyB",
    "KeyC",
    "KeyD",
    "KeyE",
    "KeyF",
    "KeyG",
    "KeyH",
    "KeyI",
    "KeyJ",
    "KeyK",
    "KeyL",
    "KeyM",
    "KeyN",
    "KeyO",
    "KeyP",
    "KeyQ",
    "KeyR",
    "KeyS",
    "KeyT",
    "KeyU",
    "KeyV",
    "KeyW",
    "KeyX",
    "KeyY",
    "KeyZ",
    "Digit0",
    "Digit1",
    "Digit2",
    "Digit3",
    "Digit4",
    "Digit5",
    "Digit6",
    "Digit7",
    "Digit8",
    "Digit9",
    "Numpad0",
    "Numpad1",
    "Numpad2",
    "Numpad3",
    "Numpad4",
    "Numpad5",
    "Numpad6",
    "Numpad7",
    "Numpad8",
    "Numpad9",
    "NumpadAdd",
    "NumpadSubtract",
    "NumpadMultiply",
    "NumpadDivide",
    "NumpadDecimal",
    "NumpadEnter",
    "F1",
    "F2",
    "F3",
    "F4",
    "F5",
    "F6",
    "F7",
    "F8",
    "F9",
    "F10",
    "F11",
    "F12",
    "F13",
    "F14",
    "F15",
    "F16",
    "F17",
    "F18",
    "F19",
    "F20",
    "F21",
    "F22",
    "F23",
    "F24",
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "Enter",
    "Space",
    "Tab",
    "Backspace",
    "Escape",
    "Home",
    "End",
    "PageUp",
    "PageDown",
    "Insert",
    "Delete",
    "Help",
    "Pause",
    "Minus",
    "Equal",
    "Comma",
    "Period",
    "Slash",
    "Backslash",
    "Semicolon",
    "Quote",
    "BracketLeft",
    "BracketRight",
    "Backquote",
    "AudioVolumeUp",
    "AudioVolumeDown",
    "AudioVolumeMute",
    "MediaPlayPause",
    "MediaStop",
    "MediaTrackNext",
    "MediaTrackPrevious",
];

/// Which key does what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeypadConfig {
    actions: BTreeMap<String, KeyAction>,
}

impl Default for KeypadConfig {
    fn default() -> KeypadConfig {
        let mut actions = BTreeMap::new();
        for action in KeyAction::ALL {
            for key in action.default_keys() {
                actions.insert(key.to_string(), action);
            }
        }
        KeypadConfig { actions }
    }
}

impl KeypadConfig {
    /// What the key named `code` does, if anything.
    pub fn action(&self, code: &str) -> Option<KeyAction> {
        self.actions.get(code).copied()
    }

    /// The keys that do `action`, in name order.
    pub fn keys(&self, action: KeyAction) -> Vec<&str> {
        self.actions
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(key, _)| key.as_str())
            .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKeypad {
    next: Option<Spanned<Vec<Spanned<String>>>>,
    previous: Option<Spanned<Vec<Spanned<String>>>>,
    activate: Option<Spanned<Vec<Spanned<String>>>>,
    back: Option<Spanned<Vec<Spanned<String>>>>,
    home: Option<Spanned<Vec<Spanned<String>>>>,
    help: Option<Spanned<Vec<Spanned<String>>>>,
    repeat: Option<Spanned<Vec<Spanned<String>>>>,
    pause: Option<Spanned<Vec<Spanned<String>>>>,
    stop: Option<Spanned<Vec<Spanned<String>>>>,
    volume_up: Option<Spanned<Vec<Spanned<String>>>>,
    volume_down: Option<Spanned<Vec<Spanned<String>>>>,
    rate: Option<Spanned<Vec<Spanned<String>>>>,
}

impl RawKeypad {
    fn given(&self, action: KeyAction) -> Option<&Spanned<Vec<Spanned<String>>>> {
        match action {
            KeyAction::Next => self.next.as_ref(),
            KeyAction::Previous => self.previous.as_ref(),
            KeyAction::Activate => self.activate.as_ref(),
            KeyAction::Back => self.back.as_ref(),
            KeyAction::Home => self.home.as_ref(),
            KeyAction::Help => self.help.as_ref(),
            KeyAction::Repeat => self.repeat.as_ref(),
            KeyAction::Pause => self.pause.as_ref(),
            KeyAction::Stop => self.stop.as_ref(),
            KeyAction::VolumeUp => self.volume_up.as_ref(),
            KeyAction::VolumeDown => self.volume_down.as_ref(),
            KeyAction::Rate => self.rate.as_ref(),
        }
    }
}

impl Validator<'_> {
    pub(super) fn validate_keypad(&self, raw: &RawKeypad) -> Result<KeypadConfig, ConfigError> {
        let mut given: BTreeMap<String, KeyAction> = BTreeMap::new();
        for action in KeyAction::ALL {
            let Some(list) = raw.given(action) else {
                continue;
            };
            let key = format!("keypad.{}", action.name());
            if list.get_ref().is_empty() && matches!(action, KeyAction::Next | KeyAction::Activate)
            {
                return Err(self.error(
                    list,
                    &key,
                    "at least one key: without it a visitor who cannot see the screen is stuck",
                ));
            }
            for name in list.get_ref() {
                let code = name.get_ref();
                if !KEY_NAMES.contains(&code.as_str()) {
                    return Err(self.error(
                        name,
                        &key,
                        format!(
                            "{code:?} is not a key name: use the KeyboardEvent.code name, \
                             such as \"ArrowDown\", \"Enter\", \"F1\" or \"Numpad5\" (the \
                             kiosk logs the name of every key it does not know)"
                        ),
                    ));
                }
                if let Some(other) = given.insert(code.clone(), action) {
                    let twice = if other == action {
                        "is listed twice".to_string()
                    } else {
                        format!("is already keypad.{}: one key, one action", other.name())
                    };
                    return Err(self.error(name, &key, format!("{code:?} {twice}")));
                }
            }
        }
        let mut actions = given.clone();
        for action in KeyAction::ALL {
            if raw.given(action).is_some() {
                continue;
            }
            for code in action.default_keys() {
                if !given.contains_key(*code) {
                    actions.insert(code.to_string(), action);
                }
            }
        }
        Ok(KeypadConfig { actions })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_str;
    use super::*;

    #[test]
    fn the_defaults_give_every_action_a_key_and_no_key_two_actions() {
        let keypad = parse_str("").unwrap().keypad;
        assert_eq!(keypad, KeypadConfig::default());
        for action in KeyAction::ALL {
            assert!(!keypad.keys(action).is_empty(), "{action:?}");
            for key in action.default_keys() {
                assert!(KEY_NAMES.contains(key), "{key}");
                assert_eq!(keypad.action(key), Some(action), "{key}");
            }
        }
        let all: usize = KeyAction::ALL.iter().map(|a| a.default_keys().len()).sum();
        assert_eq!(keypad.actions.len(), all, "no key in two defaults");
        assert_eq!(keypad.action("KeyQ"), None);
    }

    #[test]
    fn the_defaults_kiosk_toml_shows_are_the_defaults() {
        let shipped = include_str!("../../../../kiosk.toml");
        let section = shipped
            .split("\n[keypad]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .expect("kiosk.toml has a [keypad] section");
        let shown: String = section
            .lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| line.contains(" = ["))
            .map(|line| format!("{line}\n"))
            .collect();
        let keypad = parse_str(&format!("[keypad]\n{shown}")).unwrap().keypad;
        assert_eq!(shown.lines().count(), KeyAction::ALL.len(), "{shown}");
        assert_eq!(keypad, KeypadConfig::default());
    }

    #[test]
    fn a_given_list_replaces_its_default_and_takes_its_keys_from_the_others() {
        let keypad = parse_str("[keypad]\nhelp = [\"F13\", \"Enter\"]\nnext = [\"F14\"]\n")
            .unwrap()
            .keypad;
        assert_eq!(keypad.keys(KeyAction::Help), ["Enter", "F13"]);
        assert_eq!(keypad.action("F1"), None, "help's default is replaced");
        assert_eq!(keypad.keys(KeyAction::Next), ["F14"]);
        assert_eq!(keypad.action("Tab"), None);
        assert_eq!(
            keypad.keys(KeyAction::Activate),
            ["NumpadEnter", "Space"],
            "Enter went to help"
        );
        assert_eq!(keypad.action("ArrowUp"), Some(KeyAction::Previous));
        // An empty list turns an action off, but not the two a visitor needs.
        let off = parse_str("[keypad]\nrate = []\n").unwrap().keypad;
        assert!(off.keys(KeyAction::Rate).is_empty());
        let err = parse_str("[keypad]\nactivate = []\n").unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (2, "keypad.activate"));
    }

    #[test]
    fn a_key_in_two_lists_or_an_unknown_name_names_its_line() {
        let err = parse_str("[keypad]\nnext = [\"F13\"]\n\nback = [\n  \"F14\",\n  \"F13\",\n]\n")
            .unwrap_err();
        assert_eq!((err.line, err.column), (6, 3), "{err}");
        assert_eq!(err.key, "keypad.back");
        assert!(err.message.contains("keypad.next"), "{err}");
        let err = parse_str("[keypad]\nhome = [\"F13\", \"F13\"]\n").unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
        let err = parse_str("[keypad]\nhome = [\"Casa\"]\n").unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (2, "keypad.home"));
        assert!(err.message.contains("\"Casa\" is not a key name"), "{err}");
        let err = parse_str("[keypad]\nhoem = [\"Home\"]\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }
}
