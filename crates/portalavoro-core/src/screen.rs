//! The screen itself: which way it is mounted, and whether it is lit.
//!
//! A totem's panel is often a landscape monitor stood on its side. The
//! compositor turns the picture (`wlr-randr --transform`, see [`Switch`]);
//! the touch panel does not turn with it, so udev hands libinput a
//! calibration matrix that turns each touch the same way ([`touch_rule`],
//! installed by root before the compositor opens the panel).
//!
//! Outside opening hours the screen goes dark once the closed notice has
//! been up for a while with nobody touching the kiosk ([`Lighting`]); a key
//! or a touch lights it for as long again, and opening time lights it for
//! good. The compositor switches the output off (the monitor's own power
//! saving follows: no signal), and an HDMI-CEC screen is put on standby
//! where the machine has a CEC adapter. The heartbeat reports a dark screen
//! as off on purpose ([`ScreenState`]), not as a fault.

use std::fmt;
use std::process::Command;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How far the screen is turned from its native orientation, clockwise as
/// the technician faces it: `90` is a landscape monitor stood on its
/// right-hand side (its native top edge now on the right).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rotation {
    #[default]
    Upright,
    Quarter,
    Half,
    ThreeQuarters,
}

impl Rotation {
    pub fn from_degrees(degrees: u64) -> Option<Rotation> {
        match degrees {
            0 => Some(Rotation::Upright),
            90 => Some(Rotation::Quarter),
            180 => Some(Rotation::Half),
            270 => Some(Rotation::ThreeQuarters),
            _ => None,
        }
    }

    pub fn degrees(self) -> u16 {
        match self {
            Rotation::Upright => 0,
            Rotation::Quarter => 90,
            Rotation::Half => 180,
            Rotation::ThreeQuarters => 270,
        }
    }

    /// The output transform (`wlr-randr --transform`) that stands the
    /// picture upright on a screen turned this way. Wayland's transforms
    /// turn the picture counter-clockwise; the screen turned clockwise
    /// needs the picture turned back as far.
    pub fn transform(self) -> &'static str {
        match self {
            Rotation::Upright => "normal",
            Rotation::Quarter => "90",
            Rotation::Half => "180",
            Rotation::ThreeQuarters => "270",
        }
    }

    /// libinput's calibration matrix (row-major, the first two rows) that
    /// maps the panel's native coordinates, 0 to 1 on each axis, to the
    /// turned picture's: for a quarter turn, x' = 1 − y, y' = x.
    pub fn touch_matrix(self) -> Option<&'static str> {
        match self {
            Rotation::Upright => None,
            Rotation::Quarter => Some("0 -1 1 1 0 0"),
            Rotation::Half => Some("-1 0 1 0 -1 1"),
            Rotation::ThreeQuarters => Some("0 1 0 -1 0 1"),
        }
    }
}

/// Where [`touch_rule`] goes: udev's runtime rules, gone at the next boot
/// (the service writes it again before each start).
pub const TOUCH_RULE_PATH: &str = "/run/udev/rules.d/61-portalavoro-touch.rules";

/// The udev rule that turns touches with the picture: every touch panel,
/// pen tablet and absolute pointer (a touch panel that reports as a mouse:
/// libinput applies a calibration only to absolute devices). `None`: the
/// screen stands as built, nothing to turn.
pub fn touch_rule(rotation: Rotation) -> Option<String> {
    let matrix = rotation.touch_matrix()?;
    let mut rule = format!(
        "# Written by portalavoro-kiosk --touch-rule: display.rotation = {} in kiosk.toml.\n",
        rotation.degrees()
    );
    for kind in ["ID_INPUT_TOUCHSCREEN", "ID_INPUT_TABLET", "ID_INPUT_MOUSE"] {
        rule.push_str(&format!(
            "ACTION==\"add|change\", SUBSYSTEM==\"input\", KERNEL==\"event*\", \
             ENV{{{kind}}}==\"1\", ENV{{LIBINPUT_CALIBRATION_MATRIX}}=\"{matrix}\"\n"
        ));
    }
    Some(rule)
}

/// Writes [`touch_rule`] at `path` (or removes an old one there when the
/// screen stands upright). Returns whether the file changed.
pub fn write_touch_rule(path: &std::path::Path, rotation: Rotation) -> std::io::Result<bool> {
    let old = std::fs::read_to_string(path).ok();
    let new = touch_rule(rotation);
    if old == new {
        return Ok(false);
    }
    match new {
        Some(rule) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, rule)?;
        }
        None => std::fs::remove_file(path)?,
    }
    Ok(true)
}

/// Installs the touch rule for `rotation` and has udev apply it to the
/// input devices already there (root only: the service's `ExecStartPre=+`).
/// Returns what was done, in a line.
pub fn install_touch_rule(rotation: Rotation) -> Result<String, SwitchError> {
    let path = std::path::Path::new(TOUCH_RULE_PATH);
    let changed = write_touch_rule(path, rotation).map_err(SwitchError::Rule)?;
    if !changed {
        return Ok(format!(
            "touch rule for {}° already in place",
            rotation.degrees()
        ));
    }
    run("udevadm", &["control", "--reload"])?;
    run(
        "udevadm",
        &["trigger", "--action=change", "--subsystem-match=input"],
    )?;
    run("udevadm", &["settle", "--timeout=5"])?;
    Ok(match rotation {
        Rotation::Upright => "touch rule removed: the screen stands as built".to_string(),
        turned => format!("touches turned {}° ({TOUCH_RULE_PATH})", turned.degrees()),
    })
}

/// Whether the screen is lit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Power {
    #[default]
    On,
    /// Dark on purpose: the hub is closed and nobody is at the kiosk.
    Off,
}

impl Power {
    pub fn name(self) -> &'static str {
        match self {
            Power::On => "on",
            Power::Off => "off",
        }
    }
}

/// When the screen is lit. Pure: time comes in as a `Duration` since start.
///
/// Open: always lit. Closed: lit for `linger` after closing time (or after
/// the kiosk started), and for `linger` after each touch or key; dark in
/// between.
#[derive(Debug, Clone)]
pub struct Lighting {
    /// `display.off_when_closed`; false: always lit.
    enabled: bool,
    linger: Duration,
    /// While closed: lit until then.
    lit_until: Option<Duration>,
}

impl Lighting {
    pub fn new(enabled: bool, linger: Duration) -> Lighting {
        Lighting {
            enabled,
            linger,
            lit_until: None,
        }
    }

    /// What the screen should be at `now`: `closed` outside opening hours,
    /// `touched` when a visitor pressed anything since the last tick.
    pub fn tick(&mut self, closed: bool, touched: bool, now: Duration) -> Power {
        if !self.enabled || !closed {
            self.lit_until = None;
            return Power::On;
        }
        if touched || self.lit_until.is_none() {
            self.lit_until = Some(now + self.linger);
        }
        match self.lit_until {
            Some(until) if now < until => Power::On,
            _ => Power::Off,
        }
    }

    /// When the screen goes dark, if it is lit and will.
    pub fn next_change(&self, now: Duration) -> Option<Duration> {
        self.lit_until.filter(|until| *until > now)
    }
}

/// What the heartbeat and the diagnostics say about the screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScreenState {
    pub power: Power,
    /// Why it is off ("closed"); `None` while on.
    pub reason: Option<&'static str>,
    /// What the last switch did, in a line: "wlr-randr: output HDMI-A-1 off;
    /// HDMI-CEC: no adapter".
    pub note: String,
}

/// Shared between the switch's thread (writer) and the heartbeat (reader).
pub type SharedScreen = Arc<Mutex<ScreenState>>;

/// How this session's compositor is told to turn or switch its outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositor {
    /// A wlroots compositor (cage): `wlr-randr`.
    Wlroots,
    /// An X server: `xset dpms` (a development machine; turning is left to
    /// the X server's own configuration).
    X11,
}

impl Compositor {
    /// The one the kiosk's window will use: Wayland when a Wayland display
    /// is set, unless told to use X11 (as winit decides).
    pub fn of_this_session() -> Option<Compositor> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let x11_forced = std::env::var("WINIT_UNIX_BACKEND").is_ok_and(|b| b == "x11");
        if var("WAYLAND_DISPLAY").is_some() && !x11_forced {
            Some(Compositor::Wlroots)
        } else if var("DISPLAY").is_some() {
            Some(Compositor::X11)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SwitchError {
    #[error("{program}: cannot run it: {source}")]
    Spawn {
        program: &'static str,
        source: std::io::Error,
    },
    #[error("{program}: {message}")]
    Failed {
        program: &'static str,
        message: String,
    },
    #[error("wlr-randr: the compositor lists no output")]
    NoOutput,
    #[error("{TOUCH_RULE_PATH}: {0}")]
    Rule(std::io::Error),
}

/// Runs `program` and returns its standard output, or what it said when it
/// failed.
fn run(program: &'static str, args: &[&str]) -> Result<String, SwitchError> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|source| SwitchError::Spawn { program, source })?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.lines().last().unwrap_or("").trim();
        Err(SwitchError::Failed {
            program,
            message: if said.is_empty() {
                output.status.to_string()
            } else {
                said.to_string()
            },
        })
    }
}

/// The outputs `wlr-randr` lists: each is a line that does not start with
/// a space, its first word the connector's name.
pub fn wlr_outputs(listing: &str) -> Vec<String> {
    listing
        .lines()
        .filter(|line| !line.starts_with(char::is_whitespace))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The `wlr-randr` arguments that set every output in `outputs`.
pub fn wlr_arguments(outputs: &[String], setting: &[&str]) -> Vec<String> {
    let mut args = Vec::new();
    for output in outputs {
        args.push("--output".to_string());
        args.push(output.clone());
        args.extend(setting.iter().map(|s| s.to_string()));
    }
    args
}

/// The thread that turns and switches the screen: processes that may
/// block (a compositor that answers slowly, a CEC bus) never hold a frame.
/// The app sends what it wants; the thread applies each change once and
/// writes the outcome into the shared state, then wakes the app.
#[derive(Clone)]
pub struct Switch {
    wanted: Sender<(Power, Option<&'static str>)>,
    pub state: SharedScreen,
}

impl Switch {
    /// Turns the outputs when `rotation` is not upright, then starts the
    /// thread. The turn is done here, before the caller opens its window:
    /// a window already on screen when its output turns under it was seen
    /// to stop drawing under cage (QEMU, `scripts/check-image.sh`). `None`
    /// compositor: a window without one (tests): the state records what was
    /// wanted and nothing runs. `wake` is called after each change of the
    /// state.
    pub fn start(
        compositor: Option<Compositor>,
        rotation: Rotation,
        wake: Box<dyn Fn() + Send>,
    ) -> Switch {
        let state = SharedScreen::default();
        if rotation != Rotation::Upright {
            lock(&state).note = turned(compositor, rotation);
        }
        let (wanted, receive) = channel();
        let shared = state.clone();
        let spawned = std::thread::Builder::new()
            .name("screen".into())
            .spawn(move || switch_thread(compositor, receive, shared, wake));
        if let Err(err) = spawned {
            tracing::warn!("screen: cannot start its thread: {err}");
        }
        Switch { wanted, state }
    }

    /// Asks for `power` (`reason` says why it is off).
    pub fn set(&self, power: Power, reason: Option<&'static str>) {
        let _ = self.wanted.send((power, reason));
    }
}

fn switch_thread(
    compositor: Option<Compositor>,
    wanted: Receiver<(Power, Option<&'static str>)>,
    state: SharedScreen,
    wake: Box<dyn Fn() + Send>,
) {
    let mut current = Power::On;
    for (power, reason) in wanted {
        if power == current {
            continue;
        }
        current = power;
        let outcome = apply(compositor, power);
        match &outcome {
            Ok(done) => tracing::info!("screen {}: {done}", power.name()),
            Err(err) => tracing::warn!("screen {}: {err}", power.name()),
        }
        {
            let mut shown = lock(&state);
            shown.power = power;
            shown.reason = reason.filter(|_| power == Power::Off);
            shown.note = match outcome {
                Ok(done) => done,
                Err(err) => err,
            };
        }
        wake();
    }
}

/// Turns the picture; says what was done, for the heartbeat.
fn turned(compositor: Option<Compositor>, rotation: Rotation) -> String {
    if compositor != Some(Compositor::Wlroots) {
        return "not turned: display.rotation needs a wlroots compositor (cage)".to_string();
    }
    match turn(rotation) {
        Ok(outputs) => {
            let line = format!("turned {}° ({})", rotation.degrees(), outputs.join(", "));
            tracing::info!("screen: {line}");
            line
        }
        Err(err) => {
            tracing::error!("screen: cannot turn the picture: {err}");
            format!("not turned: {err}")
        }
    }
}

fn lock(state: &SharedScreen) -> std::sync::MutexGuard<'_, ScreenState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Sets `setting` on every output of the wlroots compositor; returns their
/// names.
fn set_every_output(setting: &[&str]) -> Result<Vec<String>, SwitchError> {
    let outputs = wlr_outputs(&run("wlr-randr", &[])?);
    if outputs.is_empty() {
        return Err(SwitchError::NoOutput);
    }
    let args = wlr_arguments(&outputs, setting);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run("wlr-randr", &args)?;
    Ok(outputs)
}

/// Turns every output of the wlroots compositor; returns their names.
fn turn(rotation: Rotation) -> Result<Vec<String>, SwitchError> {
    set_every_output(&["--transform", rotation.transform()])
}

/// Switches the screen: the compositor's outputs, then HDMI-CEC. Returns
/// what was done, or why the picture is still on (`Err`).
fn apply(compositor: Option<Compositor>, power: Power) -> Result<String, String> {
    let picture = match compositor {
        None => Ok("no compositor: nothing to switch".to_string()),
        Some(Compositor::X11) => run("xset", &["dpms", "force", power.name()])
            .map(|_| format!("xset dpms {}", power.name())),
        Some(Compositor::Wlroots) => switch_outputs(power),
    };
    let cec = cec(power);
    match picture {
        Ok(done) => Ok(format!("{done}; HDMI-CEC: {cec}")),
        Err(err) => Err(format!("{err}; HDMI-CEC: {cec}")),
    }
}

/// Turns every output of the wlroots compositor on or off.
fn switch_outputs(power: Power) -> Result<String, SwitchError> {
    let flag = match power {
        Power::On => "--on",
        Power::Off => "--off",
    };
    let outputs = set_every_output(&[flag])?;
    Ok(format!(
        "wlr-randr: {} {}",
        outputs.join(", "),
        power.name()
    ))
}

/// The kernel's CEC adapter, where the machine has one.
const CEC_DEVICE: &str = "/dev/cec0";

/// Asks an HDMI-CEC screen to go to standby or to wake (`cec-ctl`, from
/// v4l-utils), as a playback device talking to the TV (address 0).
fn cec(power: Power) -> String {
    if !std::path::Path::new(CEC_DEVICE).exists() {
        return "no adapter".to_string();
    }
    let message = match power {
        Power::On => "--image-view-on",
        Power::Off => "--standby",
    };
    match run(
        "cec-ctl",
        &["--device", CEC_DEVICE, "--playback", "--to", "0", message],
    ) {
        Ok(_) => format!("{} sent", &message[2..]),
        Err(err) => err.to_string(),
    }
}

impl fmt::Display for ScreenState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.power.name())?;
        if let Some(reason) = self.reason {
            write!(f, " ({reason})")?;
        }
        if !self.note.is_empty() {
            write!(f, ": {}", self.note)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn open_hours_keep_the_screen_lit() {
        let mut lighting = Lighting::new(true, S(60));
        for second in 0..600 {
            assert_eq!(lighting.tick(false, false, S(second)), Power::On);
        }
        assert_eq!(lighting.next_change(S(600)), None);
    }

    #[test]
    fn closed_it_goes_dark_after_the_linger_and_a_touch_lights_it_again() {
        let mut lighting = Lighting::new(true, S(60));
        assert_eq!(lighting.tick(false, false, S(0)), Power::On);
        // Closing time at 100 s: the notice stays up for a minute.
        assert_eq!(lighting.tick(true, false, S(100)), Power::On);
        assert_eq!(lighting.next_change(S(100)), Some(S(160)));
        assert_eq!(lighting.tick(true, false, S(159)), Power::On);
        assert_eq!(lighting.tick(true, false, S(160)), Power::Off);
        assert_eq!(lighting.next_change(S(160)), None);
        assert_eq!(lighting.tick(true, false, S(1000)), Power::Off);
        // A touch in the dark: lit for another minute.
        assert_eq!(lighting.tick(true, true, S(1000)), Power::On);
        assert_eq!(lighting.tick(true, false, S(1059)), Power::On);
        assert_eq!(lighting.tick(true, false, S(1060)), Power::Off);
        // Opening time: lit, and closing again starts a new minute.
        assert_eq!(lighting.tick(false, false, S(5000)), Power::On);
        assert_eq!(lighting.tick(true, false, S(9000)), Power::On);
        assert_eq!(lighting.tick(true, false, S(9060)), Power::Off);
    }

    #[test]
    fn without_off_when_closed_the_screen_stays_lit() {
        let mut lighting = Lighting::new(false, S(60));
        assert_eq!(lighting.tick(true, false, S(0)), Power::On);
        assert_eq!(lighting.tick(true, false, S(100_000)), Power::On);
    }

    #[test]
    fn a_kiosk_started_at_night_shows_the_notice_before_going_dark() {
        // A technician who restarts it after hours sees it working first.
        let mut lighting = Lighting::new(true, S(60));
        assert_eq!(lighting.tick(true, false, S(3)), Power::On);
        assert_eq!(lighting.tick(true, false, S(62)), Power::On);
        assert_eq!(lighting.tick(true, false, S(63)), Power::Off);
    }

    /// Where a point of the panel lands once the matrix is applied.
    fn through(matrix: &str, x: f64, y: f64) -> (f64, f64) {
        let m: Vec<f64> = matrix.split(' ').map(|v| v.parse().unwrap()).collect();
        (m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5])
    }

    #[test]
    fn touch_turns_as_the_screen_is_turned() {
        // A landscape panel stood on its right-hand side: its native top
        // edge is on the right; what the visitor sees as the top left is
        // the panel's native bottom left (x 0, y 1).
        let quarter = Rotation::Quarter.touch_matrix().unwrap();
        assert_eq!(through(quarter, 0.0, 1.0), (0.0, 0.0));
        assert_eq!(through(quarter, 0.0, 0.0), (1.0, 0.0));
        assert_eq!(through(quarter, 1.0, 1.0), (0.0, 1.0));
        // Upside down: the native bottom right is the visitor's top left.
        let half = Rotation::Half.touch_matrix().unwrap();
        assert_eq!(through(half, 1.0, 1.0), (0.0, 0.0));
        // Stood on its left-hand side: the native top right.
        let three = Rotation::ThreeQuarters.touch_matrix().unwrap();
        assert_eq!(through(three, 1.0, 0.0), (0.0, 0.0));
        assert_eq!(through(three, 0.0, 0.0), (0.0, 1.0));
        // A quarter turn and three more come back where they started.
        let (x, y) = through(quarter, 0.3, 0.8);
        let (x, y) = through(three, x, y);
        assert!((x - 0.3).abs() < 1e-9 && (y - 0.8).abs() < 1e-9);
    }

    #[test]
    fn the_touch_rule_names_every_absolute_device_and_the_matrix() {
        assert_eq!(touch_rule(Rotation::Upright), None);
        let rule = touch_rule(Rotation::Quarter).unwrap();
        assert!(rule.starts_with('#'));
        let lines: Vec<&str> = rule.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.len(), 3);
        for (line, kind) in
            lines
                .iter()
                .zip(["ID_INPUT_TOUCHSCREEN", "ID_INPUT_TABLET", "ID_INPUT_MOUSE"])
        {
            assert!(line.contains(&format!("ENV{{{kind}}}==\"1\"")), "{line}");
            assert!(
                line.ends_with("ENV{LIBINPUT_CALIBRATION_MATRIX}=\"0 -1 1 1 0 0\""),
                "{line}"
            );
        }
    }

    #[test]
    fn the_touch_rule_file_is_written_changed_and_removed() {
        let dir = std::env::temp_dir().join(format!("touch-rule-{}", std::process::id()));
        let path = dir.join("rules.d/61-portalavoro-touch.rules");
        assert!(write_touch_rule(&path, Rotation::Quarter).unwrap());
        assert!(
            !write_touch_rule(&path, Rotation::Quarter).unwrap(),
            "already there"
        );
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("\"0 -1 1 1 0 0\"")
        );
        assert!(write_touch_rule(&path, Rotation::ThreeQuarters).unwrap());
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("\"0 1 0 -1 0 1\"")
        );
        assert!(write_touch_rule(&path, Rotation::Upright).unwrap());
        assert!(!path.exists());
        assert!(!write_touch_rule(&path, Rotation::Upright).unwrap());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn degrees_read_back_and_only_quarter_turns_exist() {
        for degrees in [0, 90, 180, 270] {
            assert_eq!(
                u64::from(Rotation::from_degrees(degrees).unwrap().degrees()),
                degrees
            );
        }
        for wrong in [45, 360, 1] {
            assert_eq!(Rotation::from_degrees(wrong), None);
        }
    }

    #[test]
    fn wlr_randr_outputs_are_the_unindented_lines() {
        let listing = "Virtual-1 \"QEMU Monitor (Virtual-1)\"\n  Enabled: yes\n  Modes:\n    1920x1080 px, 60.000000 Hz (preferred, current)\n  Transform: normal\nHDMI-A-1 \"Dell\"\n  Enabled: no\n";
        assert_eq!(wlr_outputs(listing), ["Virtual-1", "HDMI-A-1"]);
        assert_eq!(
            wlr_arguments(&wlr_outputs(listing), &["--off"]),
            [
                "--output",
                "Virtual-1",
                "--off",
                "--output",
                "HDMI-A-1",
                "--off"
            ]
        );
        assert!(wlr_outputs("").is_empty());
    }

    #[test]
    fn a_switch_without_a_compositor_records_what_was_asked() {
        let woken = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = woken.clone();
        let switch = Switch::start(
            None,
            Rotation::Upright,
            Box::new(move || {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }),
        );
        switch.set(Power::Off, Some("closed"));
        switch.set(Power::Off, Some("closed"));
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while lock(&switch.state).power != Power::Off {
            assert!(
                std::time::Instant::now() < deadline,
                "the thread never switched"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let state = lock(&switch.state).clone();
        assert_eq!(state.reason, Some("closed"));
        assert!(state.note.contains("no compositor"), "{}", state.note);
        assert!(state.to_string().starts_with("off (closed): "));
        // Woken once per change: the same wish twice is one change.
        switch.set(Power::On, None);
        let woken = || woken.load(std::sync::atomic::Ordering::SeqCst);
        while lock(&switch.state).power != Power::On || woken() < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "the thread never lit it"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(woken(), 2);
        assert_eq!(lock(&switch.state).reason, None);
    }
}
