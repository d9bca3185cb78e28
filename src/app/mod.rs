//! The bevy layer: a window that covers the screen, renders only when
//! something changes, and shows the catalog snapshots the sync thread sends.

mod announcements;
mod display;
mod feed;
mod pictures;
mod redraw;
mod screens;
mod service;
mod session;
mod shutdown;
mod theme;
mod touch;
mod tour;

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
/// and the theme.
#[derive(SystemParam)]
pub struct Look<'w> {
    pub config: Res<'w, KioskConfig>,
    pub clock: Res<'w, WallClock>,
    pub strings: Res<'w, Strings>,
    pub theme: Res<'w, theme::Theme>,
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

/// Runs the kiosk until it is told to stop (window closed, SIGTERM); with
/// `tour`, visits every screen, saving screenshots there, and stops.
pub fn run(config: Config, tour: Option<std::path::PathBuf>) -> ExitCode {
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

    let images = crate::hub::images::ImageLoader::start(
        picture_source(&config),
        Some(config.cache_dir.join("images")),
        Box::new(wake.clone()),
    );
    add_kiosk(
        &mut app,
        config,
        clock.clone(),
        initial,
        feed::SyncLink::of(&sync),
        vitals,
        Some(images),
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
/// or the demo's bundled media; and the configured logo file, the one local
/// file the kiosk reads this way.
fn picture_source(config: &Config) -> crate::hub::images::Fetch {
    let logo = config
        .site
        .logo
        .as_ref()
        .map(|path| format!("file:{}", path.display()));
    let hub = config
        .hub
        .as_ref()
        .and_then(|hub| match crate::hub::HubClient::new(hub) {
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
        match &hub {
            Some(client) => client.get_bytes(url).map_err(|err| err.to_string()),
            None => crate::content::demo::media(url)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| "not in the demo content".to_string()),
        }
    })
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
    images: Option<crate::hub::images::ImageLoader>,
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
            pictures::plugin(images),
            touch::plugin,
            screens::plugin,
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
    use crate::content::{Announcement, FeedData, Lang, Level, Text as ContentText, demo};
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
        .init_asset::<Image>()
        .add_message::<bevy::window::WindowResized>()
        .insert_resource(redraw::RedrawBurst::at_start());
        let link = feed::SyncLink::new(snapshots_rx);
        add_kiosk(
            &mut app,
            Arc::new(config),
            Clock::system(),
            catalog,
            link,
            Default::default(),
            None,
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

    /// What a tap on the control labelled `label` does: the visitor's
    /// touch (for the idle timer) and the control's intent, as the click
    /// observer applies it (real clicks are the smoke test's job).
    fn press(app: &mut App, label: &str) {
        let world = app.world_mut();
        let mut texts = world.query::<(Entity, &Text)>();
        let found: Vec<Entity> = texts
            .iter(world)
            .filter(|(_, t)| t.0 == label)
            .map(|(e, _)| e)
            .collect();
        assert!(
            !found.is_empty(),
            "no {label:?} on screen: {:?}",
            texts_of(world)
        );
        let mut parents = world.query::<&ChildOf>();
        let mut actions = world.query::<&touch::Action>();
        let mut intent = None;
        let mut at = Some(found[0]);
        while let Some(entity) = at {
            if let Ok(action) = actions.get(world, entity) {
                intent = Some(action.0.clone());
                break;
            }
            at = parents.get(world, entity).ok().map(ChildOf::parent);
        }
        let intent = intent.unwrap_or_else(|| panic!("{label:?} is not a control"));
        world.write_message(bevy::input::mouse::MouseButtonInput {
            button: MouseButton::Left,
            state: bevy::input::ButtonState::Pressed,
            window: Entity::PLACEHOLDER,
        });
        world
            .resource_mut::<session::VisitorSession>()
            .apply(intent);
        app.update();
    }

    fn texts_of(world: &mut World) -> Vec<String> {
        let mut query = world.query::<&Text>();
        query.iter(world).map(|t| t.0.clone()).collect()
    }

    fn demo_app() -> (App, Arc<Catalog>) {
        let now = Clock::system().now();
        let catalog = Arc::new(demo::catalog(now, &crate::config::default_timezone()));
        let (mut app, _snapshots) = headless(catalog.clone());
        app.update();
        (app, catalog)
    }

    fn page(app: &App) -> crate::session::Page {
        app.world()
            .resource::<session::VisitorSession>()
            .page
            .clone()
    }

    #[test]
    fn a_snapshot_reaches_the_screen() {
        let now = Clock::system().now();
        let catalog = Arc::new(demo::catalog(now, &crate::config::default_timezone()));
        let (mut app, snapshots_tx) = headless(catalog.clone());
        app.update();
        let shown = texts(&mut app);
        let open = format!("{} offerte", catalog.open_vacancies(now).len());
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
        assert!(shown.contains(&"URGENTE".to_string()));
        assert!(
            !shown.contains(&"Lo sportello chiude alle 13:00 il venerdì.".to_string()),
            "the old banner is gone"
        );
    }

    #[test]
    fn every_screen_is_two_touches_from_home_and_back_retraces_them() {
        use crate::session::Page;
        let (mut app, catalog) = demo_app();
        let now = Clock::system().now();

        press(&mut app, "Offerte di lavoro");
        assert_eq!(page(&app), Page::Vacancies);
        let first = catalog.open_vacancies(now)[0];
        let title = first
            .title
            .get(&Lang::new("it"), &Lang::new("it"))
            .to_string();
        press(&mut app, &title);
        assert_eq!(page(&app), Page::Vacancy(first.id.clone()));
        let shown = texts(&mut app);
        assert!(shown.contains(&"Codice offerta".to_string()), "{shown:?}");
        assert!(
            shown.contains(first.reference.as_ref().unwrap()),
            "{shown:?}"
        );
        assert!(shown.contains(&"Comunica questo codice allo sportello".to_string()));
        press(&mut app, "‹ Indietro");
        assert_eq!(page(&app), Page::Vacancies);
        press(&mut app, "Inizio");
        assert_eq!(page(&app), Page::Home);

        press(&mut app, "Notizie");
        let item = catalog.visible_news(now)[0];
        press(&mut app, item.title.get(&Lang::new("it"), &Lang::new("it")));
        assert_eq!(page(&app), Page::NewsItem(item.id.clone()));
        let body = item
            .body
            .as_ref()
            .unwrap()
            .get(&Lang::new("it"), &Lang::new("it"));
        assert!(texts(&mut app).contains(&body.to_string()));
        press(&mut app, "Inizio");

        press(&mut app, "Sale ed eventi");
        assert_eq!(page(&app), Page::Rooms);
        let shown = texts(&mut app);
        assert!(shown.contains(&"Eventi di oggi".to_string()), "{shown:?}");
        for (room, _) in catalog.room_states(now, &crate::config::default_timezone()) {
            let name = room.name.get(&Lang::new("it"), &Lang::new("it"));
            assert!(shown.contains(&name.to_string()), "{name} missing");
        }
        // A private booking shows only "booked", never its title.
        let private: Vec<_> = catalog
            .todays_bookings(now, &crate::config::default_timezone())
            .into_iter()
            .filter(|b| !b.public)
            .collect();
        assert!(!private.is_empty(), "the demo has private bookings");
        for booking in private {
            if let Some(title) = &booking.title {
                let title = title.get(&Lang::new("it"), &Lang::new("it"));
                assert!(!shown.iter().any(|t| t.contains(title)), "{title} shown");
            }
        }
        assert!(shown.iter().any(|t| t.ends_with("Prenotata")), "{shown:?}");
    }

    #[test]
    fn filters_search_and_pages_narrow_the_list_and_clear_again() {
        use crate::content::VacancyIndex;
        let (mut app, catalog) = demo_app();
        let now = Clock::system().now();
        let open = catalog.open_vacancies(now);
        press(&mut app, "Offerte di lavoro");
        let pages = open.len().div_ceil(screens::PAGE_SIZE);
        assert!(pages > 1, "the demo fills more than a page");
        assert!(texts(&mut app).contains(&format!("Pagina 1 di {pages}")));
        press(&mut app, "Successiva ›");
        assert!(texts(&mut app).contains(&format!("Pagina 2 di {pages}")));

        // A sector chip, with the count it promises.
        press(&mut app, "Settore");
        let index = VacancyIndex::new(open.clone());
        let (sector, count) = index.facets(&Default::default()).sectors[0].clone();
        press(&mut app, &format!("{sector} · {count}"));
        let shown = texts(&mut app);
        let expected = if count == 1 {
            "1 offerta".to_string()
        } else {
            format!("{count} offerte")
        };
        assert!(shown.contains(&expected), "{expected} in {shown:?}");
        assert!(shown.contains(&"Settore (1)".to_string()));
        assert!(
            !shown.iter().any(|t| t.starts_with("Pagina")),
            "one page, from its start"
        );

        // Typing on the on-screen keyboard: accents and case do not matter.
        press(&mut app, "Cancella filtri");
        press(&mut app, "Cerca: mestiere, azienda, comune…");
        assert!(
            texts(&mut app).contains(&"Fatto".to_string()),
            "the keyboard is up"
        );
        let word = open[0].title.get(&Lang::new("it"), &Lang::new("it"));
        let typed: String = crate::content::fold(word).chars().take(5).collect();
        for key in typed.chars() {
            press(&mut app, &key.to_string());
        }
        let query = crate::content::VacancyQuery {
            text: typed.clone(),
            ..Default::default()
        };
        let matching = index.search(&query).len();
        assert!(matching >= 1);
        let shown = texts(&mut app);
        assert!(
            shown.contains(&typed),
            "the field shows {typed:?}: {shown:?}"
        );
        let expected = if matching == 1 {
            "1 offerta".to_string()
        } else {
            format!("{matching} offerte")
        };
        assert!(shown.contains(&expected), "{expected} in {shown:?}");
        press(&mut app, "Cancella");
        press(&mut app, "Fatto");
        assert!(!texts(&mut app).contains(&"Fatto".to_string()));
        press(&mut app, "Cancella filtri");
        assert!(texts(&mut app).contains(&format!("{} offerte", open.len())));
    }

    #[test]
    fn the_language_choice_lasts_for_the_session_only() {
        let (mut app, _) = demo_app();
        press(&mut app, "English");
        let shown = texts(&mut app);
        assert!(shown.contains(&"Job vacancies".to_string()), "{shown:?}");
        assert!(shown.contains(&"Home".to_string()));
        press(&mut app, "Job vacancies");
        assert!(texts(&mut app).contains(&"Sector".to_string()));
        // Nobody touches it (90 s idle, 20 s warning; 10 s a frame).
        for _ in 0..13 {
            app.update();
        }
        assert_eq!(page(&app), crate::session::Page::Home);
        assert!(texts(&mut app).contains(&"Offerte di lavoro".to_string()));
    }

    #[test]
    fn ten_thousand_vacancies_spawn_one_page_of_rows() {
        let now = Clock::system().now();
        let mut catalog = demo::catalog(now, &crate::config::default_timezone());
        let template = catalog.vacancies[0].clone();
        let many: Vec<_> = (0..10_000)
            .map(|i| {
                let mut v = template.clone();
                v.id = format!("v{i}");
                v
            })
            .collect();
        catalog.apply(FeedData::Vacancies(many));
        let (mut app, _snapshots) = headless(Arc::new(catalog));
        app.update();
        press(&mut app, "Offerte di lavoro");
        let world = app.world_mut();
        let nodes = world.query::<&Node>().iter(world).count();
        assert!(nodes < 400, "{nodes} nodes for a page of rows");
        assert!(texts(&mut app).contains(&"Pagina 1 di 1000".to_string()));
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

        // A visitor closes it.
        press(&mut app, "Chiudi");
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
                .any(|m| m.starts_with("STATUS=showing home; demo content")),
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
