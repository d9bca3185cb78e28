//! The bevy layer: a window that covers the screen, renders only when
//! something changes, and shows the catalog snapshots the sync thread sends.

mod announcements;
mod appointments;
mod attract;
mod closed;
mod config_mark;
mod diagnostics;
mod display;
mod feed;
mod headphones;
mod keypad;
mod memory;
mod pictures;
mod redraw;
mod screen_power;
mod screens;
mod service;
mod session;
mod shared;
mod shutdown;
mod sound;
mod speech;
mod stale;
mod technician;
mod theme;
mod touch;
mod tour;
mod warning;

use std::process::ExitCode;
use std::sync::Arc;

use bevy::app::TerminalCtrlCHandlerPlugin;
use bevy::log::LogPlugin;
use bevy::prelude::*;
use bevy::window::{ExitCondition, WindowPlugin};
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

use portalavoro_core::clock::Clock;
use portalavoro_core::config::Config;
use portalavoro_core::content::Catalog;
use portalavoro_core::hub::heartbeat::SharedVitals;
use portalavoro_core::hub::{SyncSettings, sync};
use portalavoro_core::i18n::Translations;

pub use feed::Content;
pub use shared::{AppSystems, DrawnMinute, KioskConfig, Strings, WallClock};
pub use theme::Look;

/// Runs the kiosk until it is told to stop (window closed, SIGTERM); with
/// `tour`, visits every screen, saving screenshots there, and stops.
/// `broken`: the configuration file's error when `config` is the last
/// valid copy instead (said in `systemctl status`). `clock`: the wall
/// clock, the system's or one started at a given moment (`--at`).
/// A mebibyte.
const MIB: u64 = 1024 * 1024;

pub fn run(
    config: Config,
    broken: Option<portalavoro_core::config::ConfigError>,
    tour: Option<std::path::PathBuf>,
    clock: Clock,
) -> ExitCode {
    memory::tune_allocator();
    memory::vulkan_drivers();
    let config = Arc::new(config);
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .build()
            // SIGTERM/SIGINT are handled by `shutdown`, which exits cleanly.
            .disable::<TerminalCtrlCHandlerPlugin>()
            // A frame is drawn on change, then the app sleeps: rendering it
            // while the next update runs overlaps nothing, and costs a
            // thread and a second copy of what is drawn.
            .disable::<bevy::render::pipelined_rendering::PipelinedRenderingPlugin>()
            // Textures of 4 MiB or more (the frame, the attract loop's
            // slide layers, large pictures) get memory of their own, given
            // back when they go; wgpu's default carves them from blocks of
            // 128 MiB, whose pages stay resident once touched (on lavapipe,
            // the slide layers kept 9 MB at Home after the loop; docs/PERFORMANCE.md).
            .set(bevy::render::RenderPlugin {
                render_creation: bevy::render::settings::WgpuSettings {
                    memory_hints: bevy::render::settings::MemoryHints::Manual {
                        suballocated_device_memory_block_size: 4 * MIB..4 * MIB,
                    },
                    ..default()
                }
                .into(),
                ..default()
            })
            .set(LogPlugin {
                filter: "info,wgpu=error,naga=warn,bevy_render=warn,bevy_winit=warn".into(),
                ..default()
            })
            .set(WindowPlugin {
                primary_window: Some(display::primary_window(&config.display)),
                primary_cursor_options: Some(display::cursor_options(&config.display)),
                exit_condition: ExitCondition::OnPrimaryClosed,
                // On the totem (fullscreen) nothing a visitor can press
                // closes the kiosk (Alt+F4 under a desktop's window
                // manager included); SIGTERM and Ctrl+C in a terminal still
                // stop it cleanly (see `shutdown`). A window closes.
                close_when_requested: !config.display.fullscreen,
            }),
    );

    // The logger exists from here on, and so does the event loop to wake.
    let proxy = app.world().resource::<EventLoopProxyWrapper>();
    let proxy = (**proxy).clone();
    let wake = move || {
        let _ = proxy.send_event(WinitUserEvent::WakeUp);
    };
    let vitals = SharedVitals::default();
    {
        let mut vitals = vitals.lock().unwrap_or_else(|e| e.into_inner());
        vitals.config_error = broken.as_ref().map(ToString::to_string);
        vitals.image = portalavoro_core::system_image::SystemImage::of_this_system();
    }
    let settings = match &config.hub {
        Some(hub) => SyncSettings::from_config(hub),
        None => SyncSettings::demo(),
    };
    let (initial, sync) = sync::start(
        &config,
        settings,
        clock.clone(),
        vitals.clone(),
        Box::new(wake.clone()),
    );

    let images = portalavoro_core::hub::images::ImageLoader::start(
        picture_source(&config),
        Some(config.cache_dir.join("images")),
        Box::new(wake.clone()),
    );
    // Slots are asked for and held at the hub; none without one.
    let appointments = config
        .hub
        .as_ref()
        .and_then(|hub| portalavoro_core::hub::HubClient::new(hub).ok())
        .map(|client| {
            portalavoro_core::hub::AppointmentsHandle::start(client, Box::new(wake.clone()))
        });
    let audio = portalavoro_core::audio::Audio::start(&config.audio);
    let speech = portalavoro_core::speech::Speech::start(
        config
            .audio
            .speech_synthesizer
            .as_ref()
            .map(portalavoro_core::speech::Synthesizer::new),
        audio.clone(),
    );
    // The screen is turned and switched on a totem only: never a
    // developer's monitor (a window), nor during a tour.
    let compositor = (config.display.fullscreen && tour.is_none())
        .then(portalavoro_core::screen::Compositor::of_this_session)
        .flatten();
    let screen = portalavoro_core::screen::Switch::start(
        compositor,
        config.display.rotation,
        Box::new(wake.clone()),
    );
    add_kiosk(
        &mut app,
        config,
        clock.clone(),
        initial,
        Workers {
            sync: feed::SyncLink::of(&sync),
            vitals,
            images: Some(images),
            appointments,
            audio,
            speech,
            screen,
            jack: portalavoro_core::jack::watch(Box::new(wake.clone())),
        },
    );
    app.add_plugins((
        redraw::plugin(clock, Box::new(wake.clone())),
        config_mark::plugin(broken.is_some()),
        service::plugin(
            portalavoro_core::systemd::Notifier::from_env(),
            portalavoro_core::systemd::watchdog_from_env(),
            broken.map(|err| err.to_string()),
            Box::new(wake.clone()),
        ),
        shutdown::plugin(Box::new(wake)),
    ));
    if let Some(dir) = tour {
        app.add_plugins(tour::plugin(dir));
    }
    let exit = app.run();
    // Not joined: a request in flight may take its full timeout, and the
    // cache is written atomically, so ending the process mid-sync is safe.
    sync.stop();
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// Where pictures come from: the hub (its token only to its own origin),
/// or the demo's bundled media; the pictures bundled for attract slides;
/// and the configured logo file, the one local file the kiosk reads this way.
fn picture_source(config: &Config) -> portalavoro_core::hub::images::Fetch {
    let logo = config
        .site
        .logo
        .as_ref()
        .map(|path| pictures::logo_url(path));
    let hub =
        config
            .hub
            .as_ref()
            .and_then(|hub| match portalavoro_core::hub::HubClient::new(hub) {
                Ok(client) => Some(client),
                Err(err) => {
                    warn!("pictures: {err}");
                    None
                }
            });
    Box::new(move |url: &str| {
        if logo.as_deref() == Some(url) {
            let path = &url["file:".len()..];
            return std::fs::read(path).map_err(|err| format!("{path}: {err}"));
        }
        if portalavoro_core::content::bundled::is_bundled(url) {
            return portalavoro_core::content::bundled::picture(url)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| "no such bundled picture".to_string());
        }
        match &hub {
            Some(client) => client.get_bytes(url).map_err(|err| err.to_string()),
            None => portalavoro_core::content::demo::media(url)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| "not in the demo content".to_string()),
        }
    })
}

/// The app's ends of the threads that work for it.
struct Workers {
    sync: feed::SyncLink,
    /// Shared with the heartbeat.
    vitals: SharedVitals,
    /// `None` where pictures cannot be fetched (headless tests).
    images: Option<portalavoro_core::hub::images::ImageLoader>,
    /// `None` without a hub (the demo), and in headless tests.
    appointments: Option<portalavoro_core::hub::AppointmentsHandle>,
    audio: portalavoro_core::audio::Audio,
    speech: portalavoro_core::speech::Speech,
    /// Turns the picture and switches the screen.
    screen: portalavoro_core::screen::Switch,
    /// Headphones going in or out of the jack.
    jack: crossbeam_channel::Receiver<bool>,
}

/// The kiosk's resources and screens: everything but the window, the event
/// loop and the signals, so headless tests run exactly this.
fn add_kiosk(
    app: &mut App,
    config: Arc<Config>,
    clock: Clock,
    initial: Arc<Catalog>,
    workers: Workers,
) {
    let Workers {
        sync,
        vitals,
        images,
        appointments,
        audio,
        speech,
        screen,
        jack,
    } = workers;
    app.insert_resource(KioskConfig(config))
        .init_resource::<redraw::WakeAt>()
        .init_resource::<redraw::MotionPace>()
        .insert_resource(redraw::Uptime::manual())
        .add_systems(First, redraw::read_uptime.after(bevy::time::TimeSystems))
        .insert_resource(WallClock(clock))
        .insert_resource(Strings(Translations::bundled()))
        .configure_sets(
            Update,
            (
                AppSystems::Receive,
                AppSystems::Theme,
                AppSystems::Notice,
                AppSystems::Render,
                AppSystems::Schedule,
            )
                .chain(),
        )
        .add_plugins((
            theme::plugin,
            feed::plugin(initial, sync, vitals),
            pictures::plugin(images),
            sound::plugin(audio),
            speech::plugin(speech),
            touch::plugin,
            session::plugin,
            stale::plugin,
            screens::plugin,
            attract::plugin,
            closed::plugin,
            warning::plugin,
            diagnostics::plugin,
            announcements::plugin,
            memory::plugin,
        ))
        .add_plugins((
            keypad::plugin,
            headphones::plugin(jack),
            technician::plugin,
            display::plugin,
            screen_power::plugin(screen),
            appointments::plugin(appointments),
        ));
}

#[cfg(test)]
mod tests;
