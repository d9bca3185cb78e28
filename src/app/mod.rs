//! The bevy layer: a window that covers the screen, renders only when
//! something changes, and shows the catalog snapshots the sync thread sends.

mod announcements;
mod display;
mod feed;
mod redraw;
mod service;
mod session;
mod shutdown;
mod summary;
mod theme;

use std::process::ExitCode;
use std::sync::Arc;

use bevy::app::TerminalCtrlCHandlerPlugin;
use bevy::ecs::system::SystemParam;
use bevy::log::LogPlugin;
use bevy::prelude::*;
use bevy::window::{ExitCondition, WindowPlugin};
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

use crate::config::Config;
use crate::content::Catalog;
use crate::hub::heartbeat::SharedVitals;
use crate::hub::{Clock, SyncSettings, sync};
use crate::i18n::Translations;

pub use feed::Content;

/// The validated configuration, for every system that needs it.
#[derive(Resource, Deref)]
pub struct KioskConfig(pub Arc<Config>);

/// Wall-clock time (shared with the sync thread, so both agree on "today").
#[derive(Resource, Deref)]
pub struct WallClock(pub Clock);

/// The UI strings of every language.
#[derive(Resource, Deref)]
pub struct Strings(pub Translations);

/// What every screen reads to draw itself: configuration, time, strings
/// and fonts.
#[derive(SystemParam)]
pub struct Look<'w> {
    pub config: Res<'w, KioskConfig>,
    pub clock: Res<'w, WallClock>,
    pub strings: Res<'w, Strings>,
    pub fonts: Res<'w, theme::Fonts>,
}

/// Remembers the wall-clock minute a screen last drew, for what changes
/// with time alone (the clock, "today", announcement windows).
#[derive(Default)]
pub struct DrawnMinute(Option<i64>);

impl DrawnMinute {
    /// Whether `now` is in another minute than last time; remembers it.
    pub fn moved(&mut self, now: jiff::Timestamp) -> bool {
        let minute = now.as_second().div_euclid(60);
        self.0.replace(minute) != Some(minute)
    }
}

/// The order of the app's own systems within `Update`.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Take in new snapshots, signals, window changes.
    Receive,
    /// Rebuild what is on screen.
    Render,
    /// Decide when the next frame is needed.
    Schedule,
}

/// Runs the kiosk until it is told to stop (window closed, SIGTERM).
pub fn run(config: Config) -> ExitCode {
    let config = Arc::new(config);
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .build()
            // SIGTERM/SIGINT are handled by `shutdown`, which exits cleanly.
            .disable::<TerminalCtrlCHandlerPlugin>()
            .set(LogPlugin {
                filter: "info,wgpu=error,naga=warn,bevy_render=warn,bevy_winit=warn".into(),
                ..default()
            })
            .set(WindowPlugin {
                primary_window: Some(display::primary_window(&config.display)),
                primary_cursor_options: Some(display::cursor_options(&config.display)),
                exit_condition: ExitCondition::OnPrimaryClosed,
                close_when_requested: true,
            }),
    );

    // The logger exists from here on, and so does the event loop to wake.
    let proxy = app.world().resource::<EventLoopProxyWrapper>();
    let proxy = (**proxy).clone();
    let wake = move || {
        let _ = proxy.send_event(WinitUserEvent::WakeUp);
    };
    let clock = Clock::system();
    let vitals = SharedVitals::default();
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

    add_kiosk(
        &mut app,
        config,
        clock.clone(),
        initial,
        feed::SyncLink::of(&sync),
        vitals,
    );
    app.add_plugins((
        redraw::plugin(clock, Box::new(wake.clone())),
        display::plugin,
        service::plugin(
            crate::systemd::Notifier::from_env(),
            crate::systemd::watchdog_from_env(),
            Box::new(wake.clone()),
        ),
        shutdown::plugin(Box::new(wake)),
    ));
    let exit = app.run();
    // Not joined: a request in flight may take its full timeout, and the
    // cache is written atomically, so ending the process mid-sync is safe.
    sync.stop();
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// The kiosk's resources and screens: everything but the window, the event
/// loop and the signals, so headless tests run exactly this.
fn add_kiosk(
    app: &mut App,
    config: Arc<Config>,
    clock: Clock,
    initial: Arc<Catalog>,
    link: feed::SyncLink,
    vitals: SharedVitals,
) {
    app.insert_resource(KioskConfig(config))
        .insert_resource(WallClock(clock))
        .insert_resource(Strings(Translations::bundled()))
        .configure_sets(
            Update,
            (
                AppSystems::Receive,
                AppSystems::Render,
                AppSystems::Schedule,
            )
                .chain(),
        )
        .add_plugins((
            theme::plugin,
            feed::plugin(initial, link, vitals),
            summary::plugin,
            session::plugin,
            announcements::plugin,
        ));
}

#[cfg(test)]
mod tests {
    //! The app without a window: `MinimalPlugins`, snapshots sent by hand,
    //! the UI tree read back.
    use super::*;
    use crate::config::Env;
    use crate::content::{Announcement, FeedData, Level, Text as ContentText, demo};
    use bevy::asset::AssetPlugin;
    use bevy::text::Font;

    fn texts(app: &mut App) -> Vec<String> {
        let mut query = app.world_mut().query::<&Text>();
        query.iter(app.world()).map(|t| t.0.clone()).collect()
    }

    /// The app's plugins without a window, on `catalog`, ten seconds a frame.
    fn headless(catalog: Arc<Catalog>) -> (App, crossbeam_channel::Sender<Arc<Catalog>>) {
        let config =
            crate::config::parse(std::path::Path::new("k.toml"), "", &Env::default()).unwrap();
        let (snapshots_tx, snapshots_rx) = crossbeam_channel::unbounded();
        let mut app = App::new();
        app.add_plugins((
            MinimalPlugins,
            AssetPlugin::default(),
            bevy::input::InputPlugin,
        ))
        .insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
            std::time::Duration::from_secs(10),
        ))
        .init_asset::<Font>()
        .insert_resource(redraw::RedrawBurst::at_start());
        let link = feed::SyncLink::new(snapshots_rx);
        add_kiosk(
            &mut app,
            Arc::new(config),
            Clock::system(),
            catalog,
            link,
            Default::default(),
        );
        (app, snapshots_tx)
    }

    fn urgent(id: &str, text: &str) -> Announcement {
        Announcement {
            id: id.into(),
            text: ContentText::Plain(text.into()),
            level: Level::Urgent,
            starts_at: None,
            ends_at: None,
            kiosks: None,
        }
    }

    #[test]
    fn a_snapshot_reaches_the_screen() {
        let now = Clock::system().now();
        let catalog = Arc::new(demo::catalog(now, &crate::config::default_timezone()));
        let (mut app, snapshots_tx) = headless(catalog.clone());
        app.update();
        let shown = texts(&mut app);
        let open = catalog.open_vacancies(now).len().to_string();
        assert!(
            shown.contains(&"Offerte di lavoro".to_string()),
            "{shown:?}"
        );
        assert!(shown.contains(&open), "{shown:?}");
        assert!(shown.contains(&"Contenuti dimostrativi: nessun hub configurato".to_string()));

        // A new snapshot with an urgent announcement is on the next frame.
        let mut next = (*catalog).clone();
        next.apply(FeedData::Announcements(vec![urgent(
            "urgent-1",
            "Evacuare l'edificio",
        )]));
        snapshots_tx.send(Arc::new(next)).unwrap();
        app.update();
        let shown = texts(&mut app);
        assert!(
            shown.contains(&"Evacuare l'edificio".to_string()),
            "{shown:?}"
        );
        assert!(shown.contains(&"Urgente".to_string()));
        assert!(
            !shown.contains(&"Lo sportello chiude alle 13:00 il venerdì.".to_string()),
            "the old list is gone"
        );
    }

    #[test]
    fn an_urgent_announcement_is_closed_for_one_visitor_only() {
        let mut catalog = demo::catalog(Clock::system().now(), &crate::config::default_timezone());
        catalog.apply(FeedData::Announcements(vec![urgent(
            "u1",
            "Uscire dall'edificio",
        )]));
        let (mut app, _snapshots) = headless(Arc::new(catalog));
        app.update();
        let overlay_shown = |app: &mut App| texts(app).contains(&"Chiudi".to_string());
        assert!(overlay_shown(&mut app), "it takes over the screen");

        // A visitor touches the kiosk and closes it.
        app.world_mut()
            .write_message(bevy::input::mouse::MouseButtonInput {
                button: MouseButton::Left,
                state: bevy::input::ButtonState::Pressed,
                window: Entity::PLACEHOLDER,
            });
        app.world_mut()
            .resource_mut::<session::VisitorSession>()
            .dismissed
            .insert("u1".into());
        app.update();
        assert!(!overlay_shown(&mut app), "closed for this visitor");
        assert!(
            texts(&mut app).contains(&"Uscire dall'edificio".to_string()),
            "still listed"
        );

        // Nobody touches it for the idle timeout (90 s) and the warning
        // (20 s), ten seconds a frame: the next visitor sees it again.
        for _ in 0..9 {
            app.update();
            assert!(!overlay_shown(&mut app));
        }
        for _ in 0..4 {
            app.update();
        }
        assert!(
            app.world()
                .resource::<session::VisitorSession>()
                .dismissed
                .is_empty()
        );
        assert!(overlay_shown(&mut app), "back for the next visitor");
    }

    #[test]
    fn systemd_hears_ready_and_status_and_pings_only_while_frames_run() {
        let systemd = crate::systemd::FakeSystemd::listen("service");
        let received = || systemd.received();

        let catalog = Arc::new(demo::catalog(
            Clock::system().now(),
            &crate::config::default_timezone(),
        ));
        let (mut app, _snapshots) = headless(catalog);
        let notifier = systemd.notifier();
        let watchdog = std::time::Duration::from_millis(400);
        app.add_plugins(service::plugin(
            Some(notifier),
            Some(watchdog),
            Box::new(|| {}),
        ));
        for _ in 0..3 {
            app.update();
        }
        let messages = received();
        assert!(messages.contains(&"READY=1\n".to_string()), "{messages:?}");
        assert!(
            messages.contains(&"WATCHDOG=1\n".to_string()),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("STATUS=showing summary; demo content")),
            "{messages:?}"
        );

        // The frame loop stops (as if frozen): the wake thread runs on, but
        // nothing pings, so systemd would restart the kiosk.
        std::thread::sleep(watchdog * 2);
        let messages = received();
        assert!(
            !messages.contains(&"WATCHDOG=1\n".to_string()),
            "{messages:?}"
        );
        // Frames again: pings again.
        app.update();
        assert!(received().contains(&"WATCHDOG=1\n".to_string()));
    }
}
