//! The diagnostics screen, for hub diagnostics and technicians: a finger held
//! five seconds on the top-left corner opens a PIN pad (the PIN's argon2id
//! hash is `diagnostics.pin_hash` in kiosk.toml; wrong PINs lock the pad,
//! and the lock is kept in the state directory, so neither closing the pad
//! nor a restart lifts it), and the right PIN opens what a
//! technician needs on site in a minute: versions and ids, every feed's last
//! success and last error, cache age, network address, display, frames,
//! memory, uptime, sound; and actions: sync now, test sound, touch test,
//! reload the configuration, restart. It closes by itself after the idle
//! timeout like a visitor's session, and visitors cannot reach it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bevy::app::AppExit;
use bevy::ecs::system::SystemParam;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use bevy::window::{Monitor, PrimaryWindow};

use super::feed::{SyncLink, Vitals};
use super::redraw::Uptime;
use super::screens::{Canvas, PageScroll, page_column, whole_screen};
use super::session::{DiagnosticsOpen, HoldInput, Mode, Waking};
use super::shared::{AppSystems, KioskConfig, WallClock};
use super::sound::Sounds;
use super::stale::Drawing;
use super::theme::size;
use super::touch::{DragScroll, Style, button_face};
use portalavoro_core::content::{Feed, Origin};
use portalavoro_core::diagnostics::{Lockout, PinPad, Verdict};
use portalavoro_core::hub::SyncCommand;

/// What a diagnostics control does.
#[derive(Component, Message, Clone, Debug, PartialEq)]
pub enum DiagnosticsAction {
    Digit(char),
    Erase,
    Submit,
    Close,
    SyncNow,
    TestSound,
    /// Start or end the touch test.
    TouchTest(bool),
    ReloadConfig,
    Restart,
}

/// The diagnostics side of the kiosk.
#[derive(Resource, Default)]
pub struct Diagnostics {
    /// The right PIN was typed.
    pub unlocked: bool,
    pad: PinPad,
    /// The last action's outcome, shown on screen.
    message: Option<String>,
    /// Touch test: where fingers landed, in logical pixels.
    dots: Option<Vec<Vec2>>,
}

impl Diagnostics {
    /// Forgets what was typed, unlocked and shown (the screen closed); the
    /// pad's lock stays.
    fn reset(&mut self) {
        let lockout = std::mem::take(&mut self.pad.lockout);
        *self = Diagnostics::default();
        self.pad.lockout = lockout;
    }
}

/// Keeps the lock in the state directory, off the frame thread.
fn keep_lockout(config: &portalavoro_core::config::Config, lockout: &Lockout) {
    let Some(dir) = config.state_dir.clone() else {
        return;
    };
    let lockout = lockout.clone();
    std::thread::spawn(move || {
        if let Err(err) = lockout.keep(&dir) {
            warn!(
                "diagnostics: cannot keep the PIN lock in {}: {err}",
                dir.display()
            );
        }
    });
}

/// The hidden gesture under way. Apart from [`Diagnostics`], which the screen
/// redraws on: every touch moves this.
#[derive(Resource, Deref, DerefMut)]
struct Hold(portalavoro_core::gesture::Hold);

impl Default for Hold {
    fn default() -> Hold {
        Hold(portalavoro_core::gesture::Hold::corner())
    }
}

/// When frames began in the last minute, for the frame count shown.
#[derive(Resource, Default)]
struct FrameLog(std::collections::VecDeque<Duration>);

#[derive(Component)]
struct DiagnosticsRoot;

/// How often the figures refresh while the diagnostics are up.
const REFRESH: Duration = Duration::from_secs(2);

pub(super) fn plugin(app: &mut App) {
    let config = app.world().resource::<KioskConfig>().0.clone();
    let now = app.world().resource::<WallClock>().0.now();
    let mut diagnostics = Diagnostics::default();
    diagnostics.pad.lockout = config
        .state_dir
        .as_deref()
        .map_or_else(Lockout::default, |dir| Lockout::read(dir, now));
    if let Some(weakness) = config
        .diagnostics_pin
        .as_ref()
        .and_then(|pin| pin.weakness())
    {
        warn!("diagnostics: {weakness}");
    }
    app.insert_resource(NetworkProbe::start(move || local_address(&config)))
        .insert_resource(diagnostics)
        .init_resource::<Hold>()
        .init_resource::<FrameLog>()
        .add_message::<DiagnosticsAction>()
        .add_observer(on_click)
        .add_observer(on_press)
        .add_systems(PreUpdate, watch_corner.after(super::session::track_visitor))
        .add_systems(
            Update,
            (pin_keys.run_if(in_state(Mode::Diagnostics)), act)
                .chain()
                .in_set(AppSystems::Receive),
        )
        .add_systems(
            Update,
            draw.in_set(AppSystems::Render)
                .run_if(in_state(Mode::Diagnostics)),
        )
        .add_systems(OnExit(Mode::Diagnostics), forget)
        .add_systems(Last, log_frame);
}

/// The screen closed (Close, the idle reset, closing time): what was
/// typed and shown goes, the pad's lock stays.
fn forget(mut diagnostics: ResMut<Diagnostics>) {
    diagnostics.reset();
}

fn log_frame(uptime: Res<Uptime>, mut log: ResMut<FrameLog>) {
    let now = uptime.now();
    log.0.push_back(now);
    while log
        .0
        .front()
        .is_some_and(|t| now.saturating_sub(*t) > Duration::from_secs(60))
    {
        log.0.pop_front();
    }
}

/// The hidden gesture: five seconds on the top-left corner, then the PIN
/// pad (while a visitor could be at the screen, never over it).
fn watch_corner(
    mut diagnostics: ResMut<Diagnostics>,
    mut open: ResMut<DiagnosticsOpen>,
    mut hold: ResMut<Hold>,
    mut input: HoldInput,
    mode: Res<State<Mode>>,
    config: Res<KioskConfig>,
    clock: Res<WallClock>,
) {
    let fired = input.fired(&mut hold, true);
    let reachable = matches!(mode.get(), Mode::Attract | Mode::Visitor);
    if fired && reachable && !open.0 {
        if config.diagnostics_pin.is_none() {
            warn!("diagnostics: asked for, but kiosk.toml has no diagnostics.pin_hash");
            return;
        }
        info!("diagnostics: PIN asked for");
        diagnostics.reset();
        open.0 = true;
        let now = clock.0.now();
        if let Some(until) = diagnostics.pad.lockout.locked(now) {
            diagnostics.message = Some(locked(until, now));
        }
    }
}

/// What the pad says while locked: the whole seconds left, at least one.
fn locked(until: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let left = until.duration_since(now);
    let seconds = (left.as_secs() + i64::from(left.subsec_nanos() > 0)).max(1);
    format!("Bloccato per {seconds} s · Locked")
}

/// A technician's USB keyboard works on the PIN pad too: digits,
/// Backspace, Enter, Escape.
fn pin_keys(
    mut keys: MessageReader<KeyboardInput>,
    diagnostics: Res<Diagnostics>,
    mut sent: MessageWriter<DiagnosticsAction>,
) {
    for key in keys.read() {
        if !key.state.is_pressed() || diagnostics.unlocked {
            continue;
        }
        let action = match &key.logical_key {
            Key::Character(text) => match text.chars().next() {
                Some(digit) if digit.is_ascii_digit() => DiagnosticsAction::Digit(digit),
                _ => continue,
            },
            Key::Backspace => DiagnosticsAction::Erase,
            Key::Enter => DiagnosticsAction::Submit,
            Key::Escape => DiagnosticsAction::Close,
            _ => continue,
        };
        sent.write(action);
    }
}

fn on_click(
    mut click: On<Pointer<Click>>,
    actions: Query<&DiagnosticsAction>,
    mut sent: MessageWriter<DiagnosticsAction>,
    waking: Res<Waking>,
) {
    let Ok(action) = actions.get(click.entity) else {
        return;
    };
    click.propagate(false);
    if !waking.0 {
        sent.write(action.clone());
    }
}

/// During the touch test, every press leaves a dot.
fn on_press(
    press: On<Pointer<Press>>,
    mut diagnostics: ResMut<Diagnostics>,
    roots: Query<(), With<DiagnosticsRoot>>,
) {
    // Looked at before touching `diagnostics` mutably: marking it changed would
    // redraw the screen under the finger and lose the click.
    if !roots.contains(press.entity) || diagnostics.dots.is_none() {
        return;
    }
    if let Some(dots) = &mut diagnostics.dots {
        dots.push(press.pointer_location.position);
        if dots.len() > 200 {
            dots.remove(0);
        }
    }
}

/// What staff actions reach beyond the screen: the sync thread, the
/// loudspeaker, the process.
#[derive(SystemParam)]
struct Beyond<'w> {
    link: Res<'w, SyncLink>,
    sounds: Res<'w, Sounds>,
    exit: MessageWriter<'w, AppExit>,
}

fn act(
    mut actions: MessageReader<DiagnosticsAction>,
    mut diagnostics: ResMut<Diagnostics>,
    mut open: ResMut<DiagnosticsOpen>,
    config: Res<KioskConfig>,
    clock: Res<WallClock>,
    beyond: Beyond,
) {
    let Beyond {
        link,
        sounds,
        mut exit,
    } = beyond;
    for action in actions.read() {
        match action.clone() {
            DiagnosticsAction::Digit(digit) => diagnostics.pad.type_digit(digit),
            DiagnosticsAction::Erase => diagnostics.pad.erase(),
            DiagnosticsAction::Submit => {
                let Some(expected) = &config.diagnostics_pin else {
                    continue;
                };
                let now = clock.0.now();
                let before = diagnostics.pad.lockout.clone();
                let verdict = diagnostics.pad.submit(expected, now);
                if diagnostics.pad.lockout != before {
                    keep_lockout(&config, &diagnostics.pad.lockout);
                }
                diagnostics.message = match verdict {
                    Verdict::Open => {
                        info!("diagnostics: opened");
                        diagnostics.unlocked = true;
                        None
                    }
                    Verdict::Wrong { attempts_left } => {
                        warn!("diagnostics: wrong PIN");
                        Some(format!("PIN errato ({attempts_left}) · Wrong PIN"))
                    }
                    Verdict::Locked { until } => {
                        warn!("diagnostics: PIN pad locked");
                        Some(locked(until, now))
                    }
                };
            }
            DiagnosticsAction::Close => {
                info!("diagnostics: closed");
                open.0 = false;
            }
            DiagnosticsAction::SyncNow if diagnostics.unlocked => {
                let sent = link.command(SyncCommand::SyncNow);
                diagnostics.message = Some(if sent {
                    "Sincronizzazione avviata · Sync started".into()
                } else {
                    "Sincronizzazione non disponibile · No sync thread".into()
                });
            }
            DiagnosticsAction::TestSound if diagnostics.unlocked => {
                sounds.click();
                diagnostics.message = Some(format!("Suono · Sound: {:?}", sounds.output()));
            }
            DiagnosticsAction::TouchTest(on) if diagnostics.unlocked => {
                diagnostics.dots = on.then(Vec::new);
            }
            DiagnosticsAction::ReloadConfig if diagnostics.unlocked => {
                match portalavoro_core::config::load(
                    &config.source,
                    &portalavoro_core::config::Env::from_process(),
                ) {
                    Ok(_) => {
                        info!("diagnostics: the configuration is valid; restarting to apply it");
                        exit.write(AppExit::Success);
                    }
                    Err(err) => diagnostics.message = Some(err.to_string()),
                }
            }
            DiagnosticsAction::Restart if diagnostics.unlocked => {
                info!("diagnostics: restart asked for");
                exit.write(AppExit::Success);
            }
            _ => {}
        }
    }
}

/// A diagnostics control.
fn control(
    theme: &super::theme::Theme,
    label: impl Into<String>,
    action: DiagnosticsAction,
) -> impl Bundle {
    sized(theme, label, action, size::TOUCH_TARGET * 1.5)
}

/// A PIN pad key: large, for a finger at arm's length.
fn key(
    theme: &super::theme::Theme,
    label: impl Into<String>,
    action: DiagnosticsAction,
) -> impl Bundle {
    sized(theme, label, action, 20.0)
}

fn sized(
    theme: &super::theme::Theme,
    label: impl Into<String>,
    action: DiagnosticsAction,
    min_width: f32,
) -> impl Bundle {
    (
        action,
        Node {
            align_self: AlignSelf::FlexStart,
            min_width: Val::VMin(min_width),
            min_height: Val::VMin(size::TOUCH_TARGET * 1.4),
            padding: UiRect::axes(Val::VMin(size::GAP), Val::VMin(size::GAP / 3.0)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        },
        button_face(theme, label, Style::Plain),
    )
}

/// What the report reads besides the catalog and the configuration.
#[derive(SystemParam)]
struct Readings<'w, 's> {
    frames: Res<'w, FrameLog>,
    vitals: Res<'w, Vitals>,
    window: Query<'w, 's, &'static Window, With<PrimaryWindow>>,
    monitors: Query<'w, 's, &'static Monitor>,
    probe: Res<'w, NetworkProbe>,
}

fn draw(
    mut commands: Commands,
    diagnostics: Res<Diagnostics>,
    canvas: Canvas,
    roots: Query<Entity, With<DiagnosticsRoot>>,
    readings: Readings,
    drawing: Drawing,
    mut drawn_at: Local<Duration>,
) {
    let now = drawing.uptime.now();
    let due = diagnostics.unlocked && diagnostics.dots.is_none() && now >= *drawn_at + REFRESH;
    if !roots.is_empty() && !diagnostics.is_changed() && !due && !drawing.stale.diagnostics() {
        return;
    }
    *drawn_at = now;
    if diagnostics.unlocked {
        drawing.wake_after(REFRESH);
    }
    for root in &roots {
        commands.entity(root).despawn();
    }
    let theme = canvas.look.theme.clone();
    let p = theme.palette;
    let lines = if diagnostics.unlocked && diagnostics.dots.is_none() {
        report(&canvas, &drawing.uptime, &readings)
    } else {
        Vec::new()
    };
    let mut root = commands.spawn((
        DiagnosticsRoot,
        Name::new("Diagnostics"),
        DespawnOnExit(Mode::Diagnostics),
        whole_screen(),
        BackgroundColor(p.background),
        GlobalZIndex(60),
    ));
    root.with_children(|screen| {
        let column = (
            PageScroll,
            DragScroll::default(),
            Node {
                flex_direction: FlexDirection::Column,
                row_gap: Val::VMin(size::GAP),
                padding: UiRect::all(Val::VMin(size::GAP * 1.5)),
                flex_grow: 1.0,
                min_height: Val::Px(0.0),
                overflow: Overflow::scroll_y(),
                ..default()
            },
        );
        screen.spawn(column).with_children(|scroller| {
            scroller.spawn(page_column()).with_children(|page| {
                if !diagnostics.unlocked {
                    pin_pad(page, &theme, &diagnostics);
                } else if let Some(dots) = &diagnostics.dots {
                    page.spawn(theme.strong("Prova del tocco · Touch test", size::HEADING, p.text));
                    page.spawn(theme.text(
                        format!("{} tocchi · touches", dots.len()),
                        size::BODY,
                        p.text_muted,
                    ));
                    page.spawn(control(
                        &theme,
                        "Fine · Done",
                        DiagnosticsAction::TouchTest(false),
                    ));
                } else {
                    page.spawn(theme.strong("Diagnostica · Diagnostics", size::TITLE, p.accent));
                    for (heading, value) in &lines {
                        page.spawn(Node {
                            flex_direction: FlexDirection::Row,
                            column_gap: Val::VMin(size::GAP),
                            ..default()
                        })
                        .with_children(|line| {
                            line.spawn((
                                Node {
                                    width: Val::VMin(28.0),
                                    flex_shrink: 0.0,
                                    ..default()
                                },
                                children![theme.strong(heading.clone(), size::SMALL, p.text_muted)],
                            ));
                            line.spawn((
                                Node {
                                    flex_grow: 1.0,
                                    flex_shrink: 1.0,
                                    min_width: Val::Px(0.0),
                                    ..default()
                                },
                                children![theme.text(value.clone(), size::SMALL, p.text)],
                            ));
                        });
                    }
                    page.spawn(theme.wrap_row(size::GAP)).with_children(|row| {
                        row.spawn(control(
                            &theme,
                            "Sincronizza · Sync now",
                            DiagnosticsAction::SyncNow,
                        ));
                        row.spawn(control(
                            &theme,
                            "Prova suono · Test sound",
                            DiagnosticsAction::TestSound,
                        ));
                        row.spawn(control(
                            &theme,
                            "Prova tocco · Touch test",
                            DiagnosticsAction::TouchTest(true),
                        ));
                        row.spawn(control(
                            &theme,
                            "Ricarica config · Reload config",
                            DiagnosticsAction::ReloadConfig,
                        ));
                        row.spawn(control(
                            &theme,
                            "Riavvia · Restart",
                            DiagnosticsAction::Restart,
                        ));
                    });
                }
                if let Some(message) = &diagnostics.message {
                    page.spawn(theme.text(message.clone(), size::BODY, p.accent));
                }
                page.spawn(control(&theme, "Chiudi · Close", DiagnosticsAction::Close));
            });
        });
        if let Some(dots) = &diagnostics.dots {
            for dot in dots {
                screen.spawn((
                    Node {
                        position_type: PositionType::Absolute,
                        left: Val::Px(dot.x - 12.0),
                        top: Val::Px(dot.y - 12.0),
                        width: Val::Px(24.0),
                        height: Val::Px(24.0),
                        border_radius: BorderRadius::MAX,
                        ..default()
                    },
                    BackgroundColor(p.accent),
                    Pickable::IGNORE,
                ));
            }
        }
    });
}

fn pin_pad(
    page: &mut ChildSpawnerCommands,
    theme: &super::theme::Theme,
    diagnostics: &Diagnostics,
) {
    let p = theme.palette;
    page.spawn(theme.strong("Diagnostica · PIN", size::TITLE, p.accent));
    let shown: String = "●".repeat(diagnostics.pad.digits.len());
    page.spawn(theme.strong(
        if shown.is_empty() {
            "–".to_string()
        } else {
            shown
        },
        size::TITLE,
        p.text,
    ));
    for row in [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]] {
        page.spawn(theme.wrap_row(size::GAP)).with_children(|keys| {
            for label in row {
                let digit = label.chars().next().expect("one digit");
                keys.spawn(key(theme, label, DiagnosticsAction::Digit(digit)));
            }
        });
    }
    page.spawn(theme.wrap_row(size::GAP)).with_children(|keys| {
        keys.spawn(key(theme, "Canc · Del", DiagnosticsAction::Erase));
        keys.spawn(key(theme, "0", DiagnosticsAction::Digit('0')));
        keys.spawn(key(theme, "OK", DiagnosticsAction::Submit));
    });
}

/// The figures, as heading and value.
fn report(canvas: &Canvas, uptime: &Uptime, readings: &Readings) -> Vec<(String, String)> {
    let Readings {
        frames,
        vitals,
        window,
        monitors,
        probe,
    } = readings;
    let config = &canvas.look.config;
    let catalog = &canvas.content;
    let now = canvas.look.clock.now();
    let shared = vitals.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let ago = |at: jiff::Timestamp| {
        let secs = now.duration_since(at).as_secs().max(0);
        format!("{}s fa / ago", secs)
    };
    let mut lines = vec![
        ("Versione".into(), env!("CARGO_PKG_VERSION").to_string()),
        ("Kiosk id".into(), config.kiosk_id.clone()),
        (
            "Hub".into(),
            config
                .hub
                .as_ref()
                .map_or("— (demo)".to_string(), |hub| hub.url.clone()),
        ),
        ("Config".into(), config.source.display().to_string()),
    ];
    if let Some(err) = &shared.config_error {
        lines.push(("CONFIG ERROR".into(), err.clone()));
    }
    for feed in Feed::ALL {
        let status = catalog.status(feed);
        let origin = match status.origin {
            Some(Origin::Hub) => "hub",
            Some(Origin::Cache) => "cache",
            Some(Origin::Demo) => "demo",
            Some(Origin::Local) => "kiosk.toml",
            None => "—",
        };
        let mut value = format!("{origin}, {} items", status.items);
        if let Some(at) = status.last_success {
            value.push_str(&format!(", ok {}", ago(at)));
        }
        if let Some(err) = &status.last_error {
            value.push_str(&format!(", ERROR: {err}"));
        }
        lines.push((feed.name().to_string(), value));
    }
    let oldest = Feed::ALL
        .iter()
        .filter_map(|f| catalog.status(*f).last_success)
        .min();
    lines.push((
        "Cache".into(),
        format!(
            "{}{}",
            config.cache_dir.display(),
            oldest.map_or(String::new(), |at| format!(", oldest {}", ago(at)))
        ),
    ));
    lines.push(("Rete · Network".into(), probe.read()));
    if let Some(w) = window.iter().next() {
        let refresh = monitors
            .iter()
            .find_map(|m| m.refresh_rate_millihertz)
            .map_or("?".to_string(), |mhz| {
                format!("{:.0} Hz", mhz as f32 / 1000.0)
            });
        lines.push((
            "Schermo · Display".into(),
            format!(
                "{}×{} px, scale {}, {refresh}",
                w.physical_width(),
                w.physical_height(),
                w.scale_factor()
            ),
        ));
    }
    lines.push((
        "Frame".into(),
        format!(
            "{} in the last minute (drawn only on change)",
            frames.0.len()
        ),
    ));
    lines.push((
        "Memoria · Memory".into(),
        portalavoro_core::hub::heartbeat::resident_memory_bytes()
            .map_or("?".into(), |b| format!("{} MB", b / 1_000_000)),
    ));
    let up = uptime.now().as_secs();
    lines.push((
        "Uptime".into(),
        format!("{}h {:02}m {:02}s", up / 3600, up / 60 % 60, up % 60),
    ));
    lines.push(("Suono · Sound".into(), shared.sound.clone()));
    lines
}

/// The address this machine reaches the hub from, found on a thread of its
/// own: finding it may ask DNS for the hub's name, which can hang for the
/// resolver's whole timeout, and the frame loop (and systemd's watchdog
/// with it) must never wait for that. The screen shows the last answer.
#[derive(Resource, Clone)]
pub struct NetworkProbe {
    ask: crossbeam_channel::Sender<()>,
    last: Arc<Mutex<Option<String>>>,
}

impl NetworkProbe {
    pub fn start(find: impl Fn() -> String + Send + 'static) -> NetworkProbe {
        // One question waiting at most: a hung look is not queued behind.
        let (ask, asked) = crossbeam_channel::bounded::<()>(1);
        let last: Arc<Mutex<Option<String>>> = Arc::default();
        let answers = last.clone();
        std::thread::Builder::new()
            .name("network-probe".into())
            .spawn(move || {
                for () in asked {
                    let found = find();
                    *answers.lock().unwrap_or_else(|e| e.into_inner()) = Some(found);
                }
            })
            .expect("spawn the network probe");
        NetworkProbe { ask, last }
    }

    /// The last address found ("…" before the first); asks for a new look,
    /// never waits for it.
    pub fn read(&self) -> String {
        let _ = self.ask.try_send(());
        self.last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_else(|| "…".to_string())
    }
}

/// The address this machine would reach the hub from (no packet is sent:
/// connecting a UDP socket only picks the route). May block on DNS: only
/// [`NetworkProbe`]'s thread calls it.
fn local_address(config: &portalavoro_core::config::Config) -> String {
    let target = config
        .hub
        .as_ref()
        .and_then(|hub| portalavoro_core::hub::UrlOrigin::of(&hub.url).ok())
        .map_or(("192.0.2.1".to_string(), 9), |origin| {
            (origin.host, origin.port)
        });
    let any = if target.0.contains(':') {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    let socket = std::net::UdpSocket::bind(any).and_then(|socket| {
        socket
            .connect((target.0.as_str(), target.1))
            .map(|()| socket)
    });
    match socket.and_then(|s| s.local_addr()) {
        Ok(addr) => addr.ip().to_string(),
        Err(err) => format!("no route ({err})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_hanging_resolver_never_holds_a_frame() {
        // A lookup that hangs as a dead resolver does, for three seconds.
        let probe = NetworkProbe::start(|| {
            std::thread::sleep(Duration::from_secs(3));
            "192.0.2.7".to_string()
        });
        let asked = Instant::now();
        assert_eq!(probe.read(), "…");
        // Every refresh of the screen while it hangs answers at once.
        for _ in 0..10 {
            assert_eq!(probe.read(), "…");
        }
        assert!(
            asked.elapsed() < Duration::from_millis(100),
            "the frame waited {:?}",
            asked.elapsed()
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while probe.read() == "…" {
            assert!(
                Instant::now() < deadline,
                "no answer after the lookup ended"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(probe.read(), "192.0.2.7");
    }
}
