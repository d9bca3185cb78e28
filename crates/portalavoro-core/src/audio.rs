//! Sound: a short click on each touch, optional soft music while the
//! attract loop runs, tones and synthesized speech (see `speech`). One thread owns the output device for the life of
//! the app (opening it again and again is slow and clicks on some cards);
//! the app sends it commands over a channel and never waits on it.
//!
//! A kiosk without a sound card (most test machines, some mini-PCs) runs
//! silently: the first failure is logged once, every later command is
//! dropped without a word.

use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use rodio::Source;

use crate::config::AudioConfig;

/// The bundled sounds, made for this project (`scripts/make-assets.sh`).
pub const CLICK_WAV: &[u8] = include_bytes!("../../../assets/audio/click.wav");
pub const MUSIC_WAV: &[u8] = include_bytes!("../../../assets/audio/attract-music.wav");

/// How long music takes to fade in or out.
const FADE: Duration = Duration::from_millis(1200);
const FADE_STEP: Duration = Duration::from_millis(50);
/// Music sits under the click and speech.
const MUSIC_LEVEL: f32 = 0.5;

/// What the output is doing, for logs and the diagnostics screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Still opening the device.
    Opening,
    /// Sound is on: the device's name.
    Playing(String),
    /// No sound: why.
    Silent(String),
}

/// What the app asks of the sound thread.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Click,
    Music(bool),
    Tone(Tone),
    /// A WAV to say at a gain of the volume, cutting off what was being
    /// said.
    Speak(Vec<u8>, f32),
    /// Pause what is being said; again: go on.
    Pause,
    Hush,
}

/// Short signals for a visitor who may not see the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Two rising notes: spoken output is now on.
    SpeechOn,
    /// Two falling notes: it cannot be (no synthesizer).
    Unavailable,
}

impl Tone {
    fn notes(self) -> [f32; 2] {
        match self {
            Tone::SpeechOn => [660.0, 880.0],
            Tone::Unavailable => [440.0, 330.0],
        }
    }
}

/// Each note of a tone.
const NOTE: Duration = Duration::from_millis(160);

/// The app's handle on the sound thread. Cheap to clone; commands never
/// block and never fail.
#[derive(Clone)]
pub struct Audio {
    commands: Option<Sender<Command>>,
    output: Arc<Mutex<Output>>,
    click: bool,
}

/// An open output: the mixer sounds are added to, what keeps the device
/// open (dropped with it), and the device's name.
struct Opened {
    mixer: rodio::mixer::Mixer,
    _device: Box<dyn std::any::Any>,
    name: String,
}

/// Opens the output, on the sound thread.
type Open = Box<dyn FnOnce() -> Result<Opened, String> + Send>;

impl Audio {
    /// Starts the sound thread on the default output device.
    pub fn start(config: &AudioConfig) -> Audio {
        // (spoken output needs the thread even with clicks and music off)
        Audio::start_with(config, Box::new(open_default_device))
    }

    /// A sound thread that plays nothing but hands every command to the
    /// test that holds the receiver (clicks on).
    #[cfg(any(test, feature = "test-support"))]
    pub fn recording() -> (Audio, Receiver<Command>) {
        let (commands, heard) = crossbeam_channel::unbounded();
        let audio = Audio {
            commands: Some(commands),
            output: Arc::new(Mutex::new(Output::Playing("recording".into()))),
            click: true,
        };
        (audio, heard)
    }

    /// No sound at all (volume 0, headless tests).
    pub fn silent(why: &str) -> Audio {
        Audio {
            commands: None,
            output: Arc::new(Mutex::new(Output::Silent(why.to_string()))),
            click: false,
        }
    }

    fn start_with(config: &AudioConfig, open: Open) -> Audio {
        let speech = config.speech_synthesizer.is_some();
        if config.volume <= 0.0 || !(config.click || config.music || speech) {
            return Audio::silent("sound is off in kiosk.toml");
        }
        let (commands, receive) = crossbeam_channel::unbounded();
        let output = Arc::new(Mutex::new(Output::Opening));
        let shared = output.clone();
        let volume = config.volume;
        let spawned = std::thread::Builder::new()
            .name("audio".into())
            .spawn(move || play(open, volume, receive, shared));
        if let Err(err) = spawned {
            tracing::warn!("sound: no thread ({err}); running silently");
            return Audio::silent("no sound thread");
        }
        Audio {
            commands: Some(commands),
            output,
            click: config.click,
        }
    }

    /// A touch landed on a control.
    pub fn click(&self) {
        if self.click {
            self.send(Command::Click);
        }
    }

    /// Music on (fading in) or off (fading out).
    pub fn music(&self, on: bool) {
        self.send(Command::Music(on));
    }

    pub fn tone(&self, tone: Tone) {
        self.send(Command::Tone(tone));
    }

    /// Plays `wav` (speech) at `gain` times the volume (capped at full),
    /// stopping the speech before it.
    pub fn speak(&self, wav: Vec<u8>, gain: f32) {
        self.send(Command::Speak(wav, gain));
    }

    /// Pauses the speech being played, or plays on if it was paused.
    pub fn pause(&self) {
        self.send(Command::Pause);
    }

    /// Stops speech at once.
    pub fn hush(&self) {
        self.send(Command::Hush);
    }

    pub fn output(&self) -> Output {
        self.output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn send(&self, command: Command) {
        if let Some(commands) = &self.commands {
            // The thread is gone when there is no device: nothing to do.
            let _ = commands.send(command);
        }
    }
}

/// A sound thread whose output is a mixer the test reads, as a sound card
/// would (22,050 Hz, mono).
#[cfg(test)]
pub(crate) fn start_on_test_output(config: &AudioConfig) -> (Audio, rodio::mixer::MixerSource) {
    let (sender, receiver) = crossbeam_channel::bounded(1);
    let open: Open = Box::new(move || {
        let (mixer, source) = rodio::mixer::mixer(
            std::num::NonZero::new(1).expect("1"),
            std::num::NonZero::new(TEST_RATE).expect("rate"),
        );
        sender.send(source).map_err(|e| e.to_string())?;
        Ok(Opened {
            mixer,
            _device: Box::new(()),
            name: "test output".into(),
        })
    });
    let audio = Audio::start_with(config, open);
    let source = receiver.recv().expect("the sound thread opens its output");
    (audio, source)
}

/// The test output's sample rate.
#[cfg(test)]
pub(crate) const TEST_RATE: u32 = 22_050;

/// Loudest sample among the next `seconds` of what a test output plays.
#[cfg(test)]
pub(crate) fn loudest(source: &mut rodio::mixer::MixerSource, seconds: f32) -> f32 {
    let count = (TEST_RATE as f32 * seconds) as usize;
    source
        .by_ref()
        .take(count)
        .map(f32::abs)
        .fold(0.0, f32::max)
}

fn open_default_device() -> Result<Opened, String> {
    use rodio::cpal::traits::DeviceTrait;
    let device =
        rodio::cpal::traits::HostTrait::default_output_device(&rodio::cpal::default_host())
            .ok_or("no audio output device")?;
    let name = device
        .description()
        .map(|d| d.name().to_string())
        .unwrap_or_else(|_| "default".to_string());
    // Errors after opening (a device unplugged) are logged once, not per
    // buffer.
    let mut told = false;
    let mut sink = rodio::DeviceSinkBuilder::from_device(device)
        .map_err(|err| err.to_string())?
        .with_error_callback(move |err| {
            if !told {
                tracing::warn!("sound: output error ({err}); further errors are not logged");
                told = true;
            }
        })
        .open_stream()
        .map_err(|err| err.to_string())?;
    sink.log_on_drop(false);
    Ok(Opened {
        mixer: sink.mixer().clone(),
        _device: Box::new(sink),
        name,
    })
}

/// A bundled sound, decoded once.
fn decode(wav: &'static [u8]) -> Result<rodio::source::Buffered<impl Source>, String> {
    rodio::Decoder::new(Cursor::new(wav))
        .map(Source::buffered)
        .map_err(|err| err.to_string())
}

/// The sound thread: holds the device until the app ends (the channel
/// closes).
fn play(open: Open, volume: f32, commands: Receiver<Command>, output: Arc<Mutex<Output>>) {
    let set = |state: Output| *output.lock().unwrap_or_else(|e| e.into_inner()) = state;
    let Opened {
        mixer,
        _device,
        name,
    } = match open() {
        Ok(opened) => opened,
        Err(why) => {
            tracing::warn!("sound: {why}; the kiosk runs silently");
            set(Output::Silent(why));
            return;
        }
    };
    let (click, music) = match (decode(CLICK_WAV), decode(MUSIC_WAV)) {
        (Ok(click), Ok(music)) => (click, music),
        (Err(why), _) | (_, Err(why)) => {
            tracing::warn!("sound: a bundled sound does not decode ({why}); running silently");
            set(Output::Silent(why));
            return;
        }
    };
    tracing::info!("sound: playing on {name}");
    set(Output::Playing(name));
    let player = rodio::Player::connect_new(&mixer);
    player.append(music.repeat_infinite());
    player.pause();
    let full = volume * MUSIC_LEVEL;
    // Dropping a player stops what it plays: one per utterance.
    let mut _voice: Option<rodio::Player> = None;
    let mut level = 0.0f32;
    let mut wanted = 0.0f32;
    loop {
        // While fading, wake every step; otherwise sleep until told.
        let fading = level != wanted;
        let command = if fading {
            commands.recv_timeout(FADE_STEP)
        } else {
            commands.recv().map_err(|_| RecvTimeoutError::Disconnected)
        };
        match command {
            Ok(Command::Click) => mixer.add(click.clone().amplify(volume)),
            Ok(Command::Tone(tone)) => {
                for (index, freq) in tone.notes().into_iter().enumerate() {
                    mixer.add(
                        rodio::source::SineWave::new(freq)
                            .take_duration(NOTE)
                            .fade_in(Duration::from_millis(10))
                            .amplify(volume * 0.4)
                            .delay(NOTE * index as u32),
                    );
                }
            }
            Ok(Command::Speak(wav, gain)) => {
                _voice = None;
                match rodio::Decoder::new(Cursor::new(wav)) {
                    Ok(said) => {
                        let player = rodio::Player::connect_new(&mixer);
                        player.append(said.amplify((volume * gain).min(1.0)));
                        _voice = Some(player);
                    }
                    Err(err) => tracing::warn!("speech: the synthesizer's sound: {err}"),
                }
            }
            Ok(Command::Pause) => {
                if let Some(voice) = &_voice {
                    if voice.is_paused() {
                        voice.play();
                    } else {
                        voice.pause();
                    }
                }
            }
            Ok(Command::Hush) => _voice = None,
            Ok(Command::Music(on)) => {
                wanted = if on { full } else { 0.0 };
                if on {
                    player.play();
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if level != wanted {
            let step = full * FADE_STEP.as_secs_f32() / FADE.as_secs_f32();
            level = if wanted > level {
                (level + step).min(wanted)
            } else {
                (level - step).max(wanted)
            };
            player.set_volume(level);
            if level == 0.0 {
                player.pause();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AudioConfig {
        AudioConfig {
            volume: 0.6,
            click: true,
            music: true,
            quiet_hours: Vec::new(),
            speech_synthesizer: None,
        }
    }

    #[test]
    fn the_bundled_sounds_decode_to_what_they_should_be() {
        let click = decode(CLICK_WAV).unwrap();
        let length = click.total_duration().unwrap();
        assert!(
            length < Duration::from_millis(100),
            "a click, not a beep: {length:?}"
        );
        let music = decode(MUSIC_WAV).unwrap();
        let length = music.total_duration().unwrap();
        assert!((20..=60).contains(&length.as_secs()), "a loop: {length:?}");
        // Not silence, and no clipping.
        let peak = music.clone().map(f32::abs).fold(0.0f32, f32::max);
        assert!((0.05..1.0).contains(&peak), "peak {peak}");
    }

    const RATE: u32 = TEST_RATE;

    fn wait_for_output(audio: &Audio) -> Output {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while audio.output() == Output::Opening && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        audio.output()
    }

    #[test]
    fn a_click_and_the_music_reach_the_output_and_silence_is_silent() {
        let (audio, mut output) = start_on_test_output(&config());
        assert_eq!(
            wait_for_output(&audio),
            Output::Playing("test output".into())
        );
        assert!(
            loudest(&mut output, 0.2) < 1e-4,
            "nothing asked, nothing heard"
        );

        audio.click();
        std::thread::sleep(Duration::from_millis(100));
        let click = loudest(&mut output, 0.2);
        assert!(click > 0.05, "the click peaks at {click}");
        assert!(loudest(&mut output, 0.2) < 1e-4, "and is short");

        audio.music(true);
        std::thread::sleep(FADE + Duration::from_millis(300));
        let music = loudest(&mut output, 1.0);
        assert!(music > 0.02, "the music peaks at {music}");

        audio.music(false);
        std::thread::sleep(FADE + Duration::from_millis(300));
        // The player takes in new settings every few milliseconds of
        // output, and this output was not being read meanwhile.
        loudest(&mut output, 0.02);
        assert!(loudest(&mut output, 0.5) < 1e-4, "silent after the fade");

        audio.tone(Tone::SpeechOn);
        std::thread::sleep(Duration::from_millis(100));
        let tone = loudest(&mut output, 0.4);
        assert!(tone > 0.1, "the tone peaks at {tone}");
        assert!(loudest(&mut output, 0.3) < 1e-4, "two short notes");

        // Speech: a second of sound, cut off by a hush.
        let rate = RATE as usize;
        let mut wav = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
        for field in [16u32, 0x0001_0001, RATE, RATE * 2, 0x0010_0002] {
            wav.extend_from_slice(&field.to_le_bytes());
        }
        wav.extend_from_slice(b"data");
        wav.extend_from_slice(&((rate * 2) as u32).to_le_bytes());
        for i in 0..rate {
            let sample = ((i as f32 * 0.05).sin() * 12000.0) as i16;
            wav.extend_from_slice(&sample.to_le_bytes());
        }
        crate::speech::fix_wav_lengths(&mut wav).unwrap();
        audio.speak(wav.clone(), 1.0);
        std::thread::sleep(Duration::from_millis(100));
        let said = loudest(&mut output, 0.2);
        assert!(said > 0.1, "speech peaks at {said}");
        // Paused, then on again, then cut off by a hush.
        audio.pause();
        std::thread::sleep(Duration::from_millis(100));
        loudest(&mut output, 0.02);
        assert!(loudest(&mut output, 0.2) < 1e-4, "paused");
        audio.pause();
        std::thread::sleep(Duration::from_millis(100));
        loudest(&mut output, 0.02);
        assert!(loudest(&mut output, 0.1) > 0.1, "going on");
        // Its own volume: a visitor's quieter voice is quieter.
        audio.speak(wav, 0.35);
        std::thread::sleep(Duration::from_millis(100));
        loudest(&mut output, 0.02);
        let quiet = loudest(&mut output, 0.2);
        assert!(
            quiet > 0.01 && quiet < said * 0.5,
            "a voice at 0.35 peaks at {quiet}, at 1.0 at {said}"
        );
        audio.hush();
        std::thread::sleep(Duration::from_millis(100));
        loudest(&mut output, 0.02);
        assert!(loudest(&mut output, 0.3) < 1e-4, "hushed before its end");
    }

    #[test]
    fn without_a_device_the_kiosk_is_silent_and_commands_are_harmless() {
        let audio = Audio::start_with(
            &config(),
            Box::new(|| Err("no audio output device".to_string())),
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while audio.output() == Output::Opening && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(
            audio.output(),
            Output::Silent("no audio output device".into())
        );
        // The thread has ended: sending is a no-op, never a panic or a block.
        for _ in 0..1000 {
            audio.click();
            audio.music(true);
            audio.tone(Tone::SpeechOn);
            audio.speak(Vec::new(), 1.0);
            audio.pause();
            audio.hush();
        }
    }

    #[test]
    fn volume_zero_opens_nothing() {
        let muted = AudioConfig {
            volume: 0.0,
            ..config()
        };
        let audio = Audio::start_with(&muted, Box::new(|| panic!("must not open a device")));
        assert!(matches!(audio.output(), Output::Silent(_)));
    }

    #[test]
    fn the_default_device_opens_or_says_why_not() {
        // Whatever this machine has: a device or a clear reason, in time.
        let audio = Audio::start(&config());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while audio.output() == Output::Opening && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        match audio.output() {
            Output::Playing(name) => assert!(!name.is_empty()),
            Output::Silent(why) => assert!(!why.is_empty()),
            Output::Opening => panic!("still opening after 10 s"),
        }
        audio.click();
        audio.music(true);
        audio.music(false);
    }
}
