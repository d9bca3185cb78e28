//! Spoken output for visitors who cannot read the screen: an offline
//! synthesizer (espeak-ng, or any program that reads text on stdin and
//! writes WAV with `--stdout`) runs as a separate process on a `speech`
//! thread; its audio goes to the sound thread, which plays it through the
//! kiosk's output (the headphone jack).
//!
//! A kiosk without the synthesizer, or without sound, says so once and
//! reports [`Voice::Unavailable`]: the accessibility page then shows that
//! reading aloud is not available, instead of a switch that does nothing.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use crate::audio::{Audio, Output};
use crate::content::Lang;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpeechError {
    #[error("the speech synthesizer {program:?} is not installed")]
    Missing { program: String },
    #[error("the speech synthesizer {program:?} failed: {detail}")]
    Failed { program: String, detail: String },
}

/// The longest text handed to the synthesizer at once (a vacancy title,
/// a screen title: never a whole page).
const MAX_CHARS: usize = 600;

/// The most WAV a synthesizer may write for one text (600 characters are
/// about a minute of speech: 2.6 MB at espeak-ng's 22 kHz).
const MAX_WAV_BYTES: u64 = 32 * 1024 * 1024;

/// How long a synthesizer may take for one text before it is killed.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A synthesizer program.
#[derive(Debug, Clone)]
pub struct Synthesizer {
    program: String,
    timeout: Duration,
}

impl Synthesizer {
    pub fn new(program: impl Into<String>) -> Synthesizer {
        Synthesizer {
            program: program.into(),
            timeout: TIMEOUT,
        }
    }

    /// The same program, killed after `timeout`.
    pub fn with_timeout(self, timeout: Duration) -> Synthesizer {
        Synthesizer { timeout, ..self }
    }

    /// Whether the program runs at all.
    pub fn check(&self) -> Result<(), SpeechError> {
        self.run(&["--version"], "").map(drop)
    }

    /// `text` spoken in `lang` at `words_per_minute`, as WAV bytes.
    pub fn synthesize(
        &self,
        text: &str,
        lang: &Lang,
        words_per_minute: u32,
    ) -> Result<Vec<u8>, SpeechError> {
        let text: String = text.chars().take(MAX_CHARS).collect();
        let rate = words_per_minute.to_string();
        let mut wav = self.run(&["-v", lang.primary(), "-s", &rate, "--stdout"], &text)?;
        fix_wav_lengths(&mut wav).map_err(|detail| SpeechError::Failed {
            program: self.program.clone(),
            detail: detail.into(),
        })?;
        Ok(wav)
    }

    /// Runs the program with `args`, `input` on stdin (never on the command
    /// line, where a text starting with "-" would be read as an option).
    /// A program that hangs is killed after the timeout, and every child is
    /// waited for, whatever went wrong: a hung synthesizer costs one text,
    /// not speech for the life of the kiosk, and leaves no zombie.
    fn run(&self, args: &[&str], input: &str) -> Result<Vec<u8>, SpeechError> {
        let failed = |detail: String| SpeechError::Failed {
            program: self.program.clone(),
            detail,
        };
        let mut child = Command::new(&self.program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => SpeechError::Missing {
                    program: self.program.clone(),
                },
                _ => failed(err.to_string()),
            })?;
        let result = self.talk(&mut child, input).map_err(failed);
        if result.is_err() {
            let _ = child.kill();
        }
        let _ = child.wait();
        result
    }

    /// Feeds `input`, collects what the child writes until it exits or the
    /// timeout passes.
    fn talk(&self, child: &mut Child, input: &str) -> Result<Vec<u8>, String> {
        let deadline = Instant::now() + self.timeout;
        if let Some(mut stdin) = child.stdin.take() {
            // A program that exits early closes its end: that shows below.
            let _ = stdin.write_all(input.as_bytes());
        }
        // Read on threads, so that a child that never closes its output
        // cannot hold this one past the deadline.
        let read = |pipe: Option<Box<dyn Read + Send>>, cap: u64| {
            let (sender, receiver) = crossbeam_channel::bounded(1);
            if let Some(pipe) = pipe {
                std::thread::spawn(move || {
                    let mut out = Vec::new();
                    let result = pipe.take(cap + 1).read_to_end(&mut out).map(|_| out);
                    let _ = sender.send(result);
                });
            }
            receiver
        };
        let stdout = read(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            MAX_WAV_BYTES,
        );
        let stderr = read(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            64 * 1024,
        );
        let timed_out = || format!("no answer within {} s: killed", self.timeout.as_secs_f32());
        let status = loop {
            match child.try_wait().map_err(|err| err.to_string())? {
                Some(status) => break status,
                None if Instant::now() >= deadline => return Err(timed_out()),
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        };
        let left = deadline.saturating_duration_since(Instant::now());
        let out = match stdout.recv_timeout(left) {
            Ok(result) => result.map_err(|err| err.to_string())?,
            Err(_) => return Err(timed_out()),
        };
        if out.len() as u64 > MAX_WAV_BYTES {
            return Err(format!(
                "more than {MAX_WAV_BYTES} bytes of sound for one text"
            ));
        }
        if !status.success() {
            let err = stderr
                .recv_timeout(Duration::from_millis(100))
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
            let err = String::from_utf8_lossy(&err);
            let detail = err.lines().next().unwrap_or("").trim().to_string();
            return Err(format!("{status}: {detail}"));
        }
        Ok(out)
    }
}

/// A WAV written to a pipe cannot say how long it is: espeak-ng leaves the
/// RIFF and data lengths at their maximum. Set them from what arrived.
pub fn fix_wav_lengths(wav: &mut [u8]) -> Result<(), &'static str> {
    if wav.len() < 12 || &wav[0..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return Err("not a WAV file");
    }
    let riff = (wav.len() - 8) as u32;
    wav[4..8].copy_from_slice(&riff.to_le_bytes());
    let mut at = 12;
    while at + 8 <= wav.len() {
        let id = &wav[at..at + 4];
        let size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().expect("4 bytes")) as usize;
        if id == b"data" {
            let data = (wav.len() - at - 8) as u32;
            wav[at + 4..at + 8].copy_from_slice(&data.to_le_bytes());
            return Ok(());
        }
        at += 8 + size + size % 2;
    }
    Err("a WAV file without sound data")
}

/// Whether the kiosk can speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Voice {
    /// Still finding out (the first second).
    Checking,
    Ready,
    /// Why not: no synthesizer, no sound, turned off in kiosk.toml.
    Unavailable(String),
}

/// How the voice sounds: the visitor's volume and rate, used for every
/// text said after it is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tune {
    /// Times the kiosk's volume (capped at full).
    pub gain: f32,
    pub words_per_minute: u32,
}

impl Tune {
    pub fn of(access: &crate::access::Access) -> Tune {
        Tune {
            gain: access.speech_volume.gain(),
            words_per_minute: access.speech_rate.words_per_minute(),
        }
    }
}

impl Default for Tune {
    fn default() -> Tune {
        Tune::of(&crate::access::Access::default())
    }
}

/// What the app asks of the voice.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Say(String, Lang, Tune),
    /// The last text again, as the voice is tuned now.
    Repeat(Tune),
    Pause,
    /// Stop; the last text can still be repeated.
    Stop,
    /// Stop, and forget the last text.
    Hush,
}

/// The app's handle on the speech thread; requests never block.
#[derive(Clone)]
pub struct Speech {
    requests: Option<Sender<Request>>,
    voice: Arc<Mutex<Voice>>,
    tune: Arc<Mutex<Tune>>,
}

impl Speech {
    /// Starts the speech thread, speaking through `audio`; `None`: spoken
    /// output is turned off.
    pub fn start(synthesizer: Option<Synthesizer>, audio: Audio) -> Speech {
        let Some(synthesizer) = synthesizer else {
            return Speech::unavailable("spoken output is off in kiosk.toml");
        };
        let voice = Arc::new(Mutex::new(Voice::Checking));
        let (requests, receive) = crossbeam_channel::unbounded();
        let shared = voice.clone();
        let spawned = std::thread::Builder::new()
            .name("speech".into())
            .spawn(move || speak(synthesizer, audio, receive, shared));
        match spawned {
            Ok(_) => Speech {
                requests: Some(requests),
                voice,
                tune: Arc::default(),
            },
            Err(err) => Speech::unavailable(&format!("no speech thread ({err})")),
        }
    }

    pub fn unavailable(why: &str) -> Speech {
        Speech {
            requests: None,
            voice: Arc::new(Mutex::new(Voice::Unavailable(why.to_string()))),
            tune: Arc::default(),
        }
    }

    /// A voice that says it is ready and says nothing: for tests of what
    /// the app does when speech is available.
    #[cfg(any(test, feature = "test-support"))]
    pub fn ready_but_silent() -> Speech {
        Speech {
            requests: None,
            voice: Arc::new(Mutex::new(Voice::Ready)),
            tune: Arc::default(),
        }
    }

    /// Says `text` in `lang`, cutting off whatever was being said.
    /// A voice that is ready and says nothing, but hands every request
    /// to the test that holds the receiver.
    #[cfg(any(test, feature = "test-support"))]
    pub fn recording() -> (Speech, Receiver<Request>) {
        let (requests, heard) = crossbeam_channel::unbounded();
        let speech = Speech {
            requests: Some(requests),
            voice: Arc::new(Mutex::new(Voice::Ready)),
            tune: Arc::default(),
        };
        (speech, heard)
    }

    pub fn say(&self, text: impl Into<String>, lang: &Lang) {
        self.send(Request::Say(text.into(), lang.clone(), self.tune()));
    }

    /// Says the last text again (nothing after a hush).
    pub fn repeat(&self) {
        self.send(Request::Repeat(self.tune()));
    }

    /// Pauses the voice; again: it goes on.
    pub fn pause(&self) {
        self.send(Request::Pause);
    }

    /// Stops speaking at once; "repeat" says it again.
    pub fn stop(&self) {
        self.send(Request::Stop);
    }

    /// Stops speaking at once, and forgets what was said.
    pub fn hush(&self) {
        self.send(Request::Hush);
    }

    /// How every text said from now on sounds.
    pub fn set_tune(&self, tune: Tune) {
        *self.tune.lock().unwrap_or_else(|e| e.into_inner()) = tune;
    }

    pub fn tune(&self) -> Tune {
        *self.tune.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn voice(&self) -> Voice {
        self.voice.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn send(&self, request: Request) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(request);
        }
    }
}

/// The speech thread: checks the synthesizer and the sound, then turns each
/// request into sound; only the newest of several waiting requests counts.
fn speak(
    synthesizer: Synthesizer,
    audio: Audio,
    requests: Receiver<Request>,
    voice: Arc<Mutex<Voice>>,
) {
    let set = |state: Voice| *voice.lock().unwrap_or_else(|e| e.into_inner()) = state;
    if let Err(err) = synthesizer.check() {
        tracing::warn!("speech: {err}; spoken output is not available");
        set(Voice::Unavailable(err.to_string()));
        return;
    }
    // The sound thread opens the device on its own; wait for its verdict.
    let started = std::time::Instant::now();
    loop {
        match audio.output() {
            Output::Playing(_) => break,
            Output::Silent(why) => {
                tracing::warn!("speech: no sound ({why}); spoken output is not available");
                set(Voice::Unavailable(format!("no sound: {why}")));
                return;
            }
            Output::Opening if started.elapsed() > std::time::Duration::from_secs(10) => {
                set(Voice::Unavailable("the sound output did not open".into()));
                return;
            }
            Output::Opening => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    tracing::info!("speech: ready");
    set(Voice::Ready);
    // What was said last, for `repeat`; forgotten on a hush.
    let mut last: Option<(String, Lang)> = None;
    while let Ok(first) = requests.recv() {
        // Requests that came while the last text was being made are taken
        // in order, but only the newest text is said: a visitor moving fast
        // hears where they are, not where they were.
        let mut utterance = None;
        for request in std::iter::once(first).chain(requests.try_iter()) {
            match request {
                Request::Hush => {
                    last = None;
                    utterance = None;
                    audio.hush();
                }
                Request::Pause => audio.pause(),
                Request::Stop => {
                    utterance = None;
                    audio.hush();
                }
                Request::Say(text, lang, tune) => {
                    last = Some((text.clone(), lang.clone()));
                    utterance = Some((text, lang, tune));
                }
                Request::Repeat(tune) => {
                    if let Some((text, lang)) = &last {
                        utterance = Some((text.clone(), lang.clone(), tune));
                    }
                }
            }
        }
        let Some((text, lang, tune)) = utterance else {
            continue;
        };
        match synthesizer.synthesize(&text, &lang, tune.words_per_minute) {
            Ok(wav) => audio.speak(wav, tune.gain),
            Err(err) => tracing::warn!("speech: {err}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(samples: &[i16], data_len: u32) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&u32::MAX.to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes()); // PCM
        out.extend_from_slice(&1u16.to_le_bytes()); // mono
        out.extend_from_slice(&22050u32.to_le_bytes());
        out.extend_from_slice(&44100u32.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_len.to_le_bytes());
        for s in samples {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out
    }

    #[test]
    fn a_piped_wav_gets_its_real_lengths() {
        let mut piped = wav(&[1, -1, 300, -300], 0x7fff_ffff);
        fix_wav_lengths(&mut piped).unwrap();
        assert_eq!(
            u32::from_le_bytes(piped[4..8].try_into().unwrap()),
            44 - 8 + 8
        );
        assert_eq!(u32::from_le_bytes(piped[40..44].try_into().unwrap()), 8);
        let decoder = rodio::Decoder::new(std::io::Cursor::new(piped)).unwrap();
        assert_eq!(decoder.count(), 4);
        assert_eq!(
            fix_wav_lengths(&mut b"not a wav at all".to_vec()),
            Err("not a WAV file")
        );
    }

    #[test]
    fn a_missing_synthesizer_is_named_and_the_kiosk_says_so() {
        let missing = Synthesizer::new("/nonexistent/espeak-ng");
        assert_eq!(
            missing.check(),
            Err(SpeechError::Missing {
                program: "/nonexistent/espeak-ng".into()
            })
        );
        let speech = Speech::start(Some(missing), Audio::silent("test"));
        let voice = wait_for_verdict(&speech);
        assert!(
            matches!(&voice, Voice::Unavailable(why) if why.contains("not installed")),
            "{voice:?}"
        );
        speech.say("niente", &Lang::new("it")); // dropped, without a panic
        let off = Speech::start(None, Audio::silent("test"));
        assert!(matches!(off.voice(), Voice::Unavailable(_)));
    }

    #[test]
    fn a_failing_synthesizer_is_an_error_not_a_silence() {
        // `false` runs and fails, as a broken synthesizer would.
        let broken = Synthesizer::new("false");
        assert!(matches!(
            broken.synthesize("ciao", &Lang::new("it"), 175),
            Err(SpeechError::Failed { .. })
        ));
    }

    #[test]
    fn a_hung_synthesizer_is_killed_at_its_timeout_and_reaped() {
        let dir = std::env::temp_dir().join(format!("hung-synth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pid_file = dir.join("pid");
        let script = dir.join("hung-espeak");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho $$ > {}\nexec sleep 60\n",
                pid_file.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let hung =
            Synthesizer::new(script.to_str().unwrap()).with_timeout(Duration::from_millis(500));
        let started = Instant::now();
        let err = hung.synthesize("ciao", &Lang::new("it"), 175).unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(&err, SpeechError::Failed { detail, .. } if detail.contains("killed")),
            "{err:?}"
        );
        assert!(took < Duration::from_secs(5), "took {took:?}");
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let proc_dir = format!("/proc/{}", pid.trim());
        assert!(
            !std::path::Path::new(&proc_dir).exists(),
            "{proc_dir}: killed and waited for, not left a zombie"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The whole path, with espeak-ng installed: a visitor's text becomes
    /// sound on the kiosk's output, and a hush stops it mid-sentence.
    #[test]
    fn speech_reaches_the_output_and_stops_when_told() {
        if Synthesizer::new("espeak-ng").check().is_err() {
            assert!(std::env::var_os("CI").is_none(), "CI installs espeak-ng");
            eprintln!("espeak-ng is not installed: skipped");
            return;
        }
        let config = crate::config::AudioConfig {
            volume: 0.8,
            click: false,
            music: false,
            quiet_hours: Vec::new(),
            speech_synthesizer: Some("espeak-ng".into()),
        };
        let (audio, mut output) = crate::audio::start_on_test_output(&config);
        let speech = Speech::start(Some(Synthesizer::new("espeak-ng")), audio);
        assert_eq!(wait_for_verdict(&speech), Voice::Ready);
        assert!(
            crate::audio::loudest(&mut output, 0.2) < 1e-4,
            "silent until asked"
        );
        speech.say(
            "Offerte di lavoro. Installatore di impianti fotovoltaici, Bernalda.",
            &Lang::new("it"),
        );
        std::thread::sleep(std::time::Duration::from_millis(400));
        let said = crate::audio::loudest(&mut output, 1.0);
        assert!(said > 0.05, "speech peaks at {said}");
        speech.hush();
        std::thread::sleep(std::time::Duration::from_millis(100));
        crate::audio::loudest(&mut output, 0.02);
        assert!(
            crate::audio::loudest(&mut output, 1.0) < 1e-4,
            "a sentence of several seconds stops at once"
        );
    }

    /// `scripts/stand-in-speech.sh`, copied to a folder of its own: it
    /// writes what it is asked to say to `said.log` there.
    fn stand_in(name: &str) -> (Synthesizer, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("espeak-ng");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../scripts/stand-in-speech.sh"
            ),
            &script,
        )
        .unwrap();
        (
            Synthesizer::new(script.to_str().unwrap()),
            dir.join("said.log"),
        )
    }

    fn said(log: &std::path::Path, lines: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let said: Vec<String> = text.lines().map(str::to_string).collect();
            if said.len() >= lines || Instant::now() > deadline {
                return said;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn the_voice_takes_the_visitors_rate_repeats_its_last_text_after_a_stop_and_forgets_it_on_a_hush()
     {
        let (synthesizer, log) = stand_in("tuned-speech");
        let config = crate::config::AudioConfig {
            volume: 0.6,
            click: false,
            music: false,
            quiet_hours: Vec::new(),
            speech_synthesizer: Some("stand-in".into()),
        };
        let (audio, _output) = crate::audio::start_on_test_output(&config);
        let speech = Speech::start(Some(synthesizer), audio);
        assert_eq!(wait_for_verdict(&speech), Voice::Ready);
        speech.repeat(); // nothing said yet: nothing to repeat
        speech.say("Offerte di lavoro", &Lang::new("it"));
        assert_eq!(said(&log, 1), ["it 175 Offerte di lavoro"]);
        let access = crate::access::Access {
            speech_rate: crate::access::SpeechRate::Faster,
            ..Default::default()
        };
        speech.set_tune(Tune::of(&access));
        speech.repeat();
        assert_eq!(said(&log, 2)[1], "it 240 Offerte di lavoro");
        speech.stop();
        speech.repeat();
        assert_eq!(
            said(&log, 3)[2],
            "it 240 Offerte di lavoro",
            "stopped, not forgotten"
        );
        speech.hush();
        speech.repeat();
        speech.say("Jobs", &Lang::new("en"));
        assert_eq!(said(&log, 4)[3], "en 240 Jobs");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(said(&log, 5).len(), 4, "the hush forgot the first text");
    }

    fn wait_for_verdict(speech: &Speech) -> Voice {
        for _ in 0..500 {
            let voice = speech.voice();
            if voice != Voice::Checking {
                return voice;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        speech.voice()
    }

    /// With espeak-ng installed (it is on CI: scripts/common.sh), every
    /// offered language is spoken: a WAV that decodes to a second or so of
    /// sound that is not silence.
    #[test]
    fn espeak_ng_speaks_every_language_when_installed() {
        let synthesizer = Synthesizer::new("espeak-ng");
        if synthesizer.check().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI installs espeak-ng: the speech path must be tested there"
            );
            eprintln!("espeak-ng is not installed: skipped");
            return;
        }
        let t = crate::i18n::Translations::bundled();
        for lang in crate::i18n::shipped() {
            let lang = Lang::new(lang);
            let wav = synthesizer
                .synthesize(t.get(&lang, "title_vacancies"), &lang, 175)
                .unwrap_or_else(|err| panic!("{lang}: {err}"));
            let decoder = rodio::Decoder::new(std::io::Cursor::new(wav)).unwrap();
            let rate = rodio::Source::sample_rate(&decoder).get() as f32;
            let samples: Vec<f32> = decoder.collect();
            let seconds = samples.len() as f32 / rate;
            let loudest = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
            assert!((0.3..10.0).contains(&seconds), "{lang}: {seconds} s");
            assert!(loudest > 0.05, "{lang}: silent ({loudest})");
        }
    }
}
