//! Headphones in the jack. Where the sound card senses its jack (every
//! Intel HDA codec of a mini-PC does), ALSA reports it as a boolean control
//! on the card's interface, named "Headphone Jack", "Front Headphone Jack"
//! or "Headphone Mic Jack". A `jack` thread looks at them twice a second
//! and tells the app when headphones go in or come out; the app turns
//! reading aloud on or off (`app::headphones`).
//!
//! A machine whose cards report no jack (a USB sound card, a test machine)
//! is told nothing, ever: speech then starts with a key or a long press.
//! The loudspeaker going quiet while headphones are in is the codec's own
//! auto-mute, not the kiosk's.

use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

/// How often the jacks are looked at.
pub const POLL: Duration = Duration::from_millis(500);

/// Whether an ALSA card control of this name is a jack headphones go in
/// and that senses them ("Headphone Phantom Jack" is one that cannot: it
/// always reads "in").
pub fn is_headphone_jack(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(" jack")
        && (name.contains("headphone") || name.contains("headset"))
        && !name.contains("phantom")
}

/// Whether headphones are in a jack of any card; `None` when no card
/// reports a headphone jack.
pub fn headphones_in() -> Option<bool> {
    let mut jacks = Vec::new();
    for card in alsa::card::Iter::new().flatten() {
        let Ok(hctl) = alsa::hctl::HCtl::from_card(&card, false) else {
            continue;
        };
        if hctl.load().is_err() {
            continue;
        }
        for elem in hctl.elem_iter() {
            let Ok(id) = elem.get_id() else {
                continue;
            };
            let named = id.get_name().is_ok_and(is_headphone_jack);
            if id.get_interface() != alsa::ctl::ElemIface::Card || !named {
                continue;
            }
            if let Some(plugged) = elem.read().ok().and_then(|value| value.get_boolean(0)) {
                jacks.push(plugged);
            }
        }
    }
    any_in(&jacks)
}

/// In when any jack is; `None` without jacks.
fn any_in(jacks: &[bool]) -> Option<bool> {
    (!jacks.is_empty()).then(|| jacks.contains(&true))
}

/// Starts the `jack` thread: the receiver gets `true` when headphones go
/// in, `false` when they come out (never the state at start: headphones
/// left in a jack turn nothing on), and `wake` is called after each.
pub fn watch(wake: Box<dyn Fn() + Send>) -> Receiver<bool> {
    let (sender, receiver) = crossbeam_channel::bounded(8);
    let spawned = std::thread::Builder::new()
        .name("jack".into())
        .spawn(move || follow(headphones_in, POLL, sender, wake));
    if let Err(err) = spawned {
        tracing::warn!("headphones: no thread ({err}); the jack is not watched");
    }
    receiver
}

/// Reads `read` every `every`, sending each change, until the app is gone.
fn follow(
    read: impl Fn() -> Option<bool>,
    every: Duration,
    changes: Sender<bool>,
    wake: Box<dyn Fn() + Send>,
) {
    let mut was = read();
    match was {
        None => {
            tracing::info!("headphones: no sound card reports a headphone jack");
            return;
        }
        Some(plugged) => tracing::info!("headphones: jack found, headphones in: {plugged}"),
    }
    loop {
        std::thread::sleep(every);
        let now = read();
        if now != was {
            if let Some(plugged) = now {
                tracing::info!("headphones: {}", if plugged { "in" } else { "out" });
                if changes.send(plugged).is_err() {
                    return;
                }
                wake();
            }
            was = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn headphone_jacks_are_told_from_the_other_controls() {
        for name in [
            "Headphone Jack",
            "Front Headphone Jack",
            "Headphone Mic Jack",
            "Headset Jack",
        ] {
            assert!(is_headphone_jack(name), "{name}");
        }
        for name in [
            "Mic Jack",
            "Line Out Jack",
            "Speaker Phantom Jack",
            "Headphone Phantom Jack",
            "HDMI/DP,pcm=3 Jack",
            "Headphone Playback Switch",
        ] {
            assert!(!is_headphone_jack(name), "{name}");
        }
        assert_eq!(any_in(&[]), None);
        assert_eq!(any_in(&[false, false]), Some(false));
        assert_eq!(any_in(&[false, true]), Some(true));
    }

    #[test]
    fn only_changes_are_told_and_without_a_jack_nothing_ever_is() {
        let states = Arc::new(Mutex::new(vec![
            Some(true), // at start: headphones left in, nothing told
            Some(true),
            Some(false),
            Some(false),
            None, // the card went away for a moment
            Some(true),
        ]));
        let (sender, receiver) = crossbeam_channel::unbounded();
        let read = {
            let states = states.clone();
            move || {
                let mut states = states.lock().unwrap();
                if states.len() > 1 {
                    states.remove(0)
                } else {
                    states[0]
                }
            }
        };
        std::thread::spawn(move || follow(read, Duration::from_millis(1), sender, Box::new(|| {})));
        let told: Vec<bool> = (0..2)
            .map(|_| receiver.recv_timeout(Duration::from_secs(5)).unwrap())
            .collect();
        assert_eq!(told, [false, true]);
        assert!(
            receiver.recv_timeout(Duration::from_millis(50)).is_err(),
            "no change, nothing told"
        );

        let (sender, receiver) = crossbeam_channel::unbounded();
        follow(|| None, Duration::from_millis(1), sender, Box::new(|| {}));
        assert!(receiver.try_recv().is_err(), "no jack: the thread ends");
    }
}
