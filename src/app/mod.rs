//! The bevy layer: a window that covers the screen, renders only when
//! something changes, and shows the catalog snapshots the sync thread sends.

mod announcements;
mod attract;
mod closed;
mod config_mark;
mod diagnostics;
mod display;
mod feed;
mod pictures;
mod redraw;
mod screens;
mod service;
mod session;
mod shutdown;
mod sound;
mod speech;
mod theme;
mod touch;
mod tour;
mod warning;

use std::process::ExitCode;
use std::sync::Arc;

use bevy::app::TerminalCtrlCHandlerPlugin;
use bevy::ecs::system::SystemParam;
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
    /// Set the look (theme) for what is drawn next.
    Theme,
    /// Rebuild what is on screen.
    Render,
    /// Decide when the next frame is needed.
    Schedule,
}

/// Runs the kiosk until it is told to stop (window closed, SIGTERM); with
/// `tour`, visits every screen, saving screenshots there, and stops.
/// `broken`: the configuration file's error when `config` is the last
/// valid copy instead (said in `systemctl status`). `clock`: the wall
/// clock, the system's or one started at a given moment (`--at`).
pub fn run(
    config: Config,
    broken: Option<portalavoro_core::config::ConfigError>,
    tour: Option<std::path::PathBuf>,
    clock: Clock,
) -> ExitCode {
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
    vitals
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .config_error = broken.as_ref().map(ToString::to_string);
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
    let audio = portalavoro_core::audio::Audio::start(&config.audio);
    let speech = portalavoro_core::speech::Speech::start(
        config
            .audio
            .speech_synthesizer
            .as_ref()
            .map(portalavoro_core::speech::Synthesizer::new),
        audio.clone(),
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
            audio,
            speech,
        },
    );
    app.add_plugins((
        redraw::plugin(clock, Box::new(wake.clone())),
        display::plugin,
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
        .map(|path| format!("file:{}", path.display()));
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
    audio: portalavoro_core::audio::Audio,
    speech: portalavoro_core::speech::Speech,
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
        audio,
        speech,
    } = workers;
    app.insert_resource(KioskConfig(config))
        .init_resource::<redraw::WakeAt>()
        .insert_resource(redraw::Uptime::manual())
        .add_systems(First, redraw::read_uptime.after(bevy::time::TimeSystems))
        .insert_resource(WallClock(clock))
        .insert_resource(Strings(Translations::bundled()))
        .configure_sets(
            Update,
            (
                AppSystems::Receive,
                AppSystems::Theme,
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
            screens::plugin,
            attract::plugin,
            closed::plugin,
            warning::plugin,
            diagnostics::plugin,
            announcements::plugin,
        ));
}

#[cfg(test)]
mod tests {
    //! The app without a window: `MinimalPlugins`, snapshots sent by hand,
    //! the UI tree read back.
    use super::*;
    use bevy::asset::AssetPlugin;
    use bevy::text::Font;
    use portalavoro_core::config::Env;
    use portalavoro_core::content::{
        Announcement, FeedData, Lang, Level, Text as ContentText, demo,
    };

    /// The moment every headless test runs at (a Tuesday morning in
    /// Rome), whatever the hour the suite runs at; the clock runs on.
    fn test_clock() -> Clock {
        Clock::starting_at("2026-11-24T10:00:00+01:00".parse().unwrap())
    }

    fn texts(app: &mut App) -> Vec<String> {
        let mut query = app.world_mut().query::<&Text>();
        query.iter(app.world()).map(|t| t.0.clone()).collect()
    }

    /// The app's plugins without a window, on `catalog`, ten seconds a
    /// frame, woken from its attract loop by a first touch.
    fn headless(catalog: Arc<Catalog>) -> (App, crossbeam_channel::Sender<Arc<Catalog>>) {
        let (mut app, snapshots) = asleep(catalog, "", test_clock());
        app.update();
        touch(&mut app);
        assert_eq!(mode(&app), session::Mode::Visitor, "a touch wakes it");
        (app, snapshots)
    }

    /// The app as it starts, in its attract loop, with `kiosk_toml`.
    fn asleep(
        catalog: Arc<Catalog>,
        kiosk_toml: &str,
        clock: Clock,
    ) -> (App, crossbeam_channel::Sender<Arc<Catalog>>) {
        asleep_with_speech(
            catalog,
            kiosk_toml,
            clock,
            portalavoro_core::speech::Speech::unavailable("headless test"),
        )
    }

    fn asleep_with_speech(
        catalog: Arc<Catalog>,
        kiosk_toml: &str,
        clock: Clock,
        speech: portalavoro_core::speech::Speech,
    ) -> (App, crossbeam_channel::Sender<Arc<Catalog>>) {
        asleep_with(catalog, kiosk_toml, clock, speech, &Env::default())
    }

    /// The app as it starts, in `env` (its state directory).
    fn asleep_with(
        catalog: Arc<Catalog>,
        kiosk_toml: &str,
        clock: Clock,
        speech: portalavoro_core::speech::Speech,
        env: &Env,
    ) -> (App, crossbeam_channel::Sender<Arc<Catalog>>) {
        let config =
            portalavoro_core::config::parse(std::path::Path::new("k.toml"), kiosk_toml, env)
                .unwrap();
        let (snapshots_tx, snapshots_rx) = crossbeam_channel::unbounded();
        let mut app = App::new();
        app.add_plugins((
            MinimalPlugins,
            AssetPlugin::default(),
            bevy::input::InputPlugin,
            bevy::state::app::StatesPlugin,
        ))
        .insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
            std::time::Duration::from_secs(10),
        ))
        .init_asset::<Font>()
        .init_asset::<Image>()
        .add_message::<bevy::window::WindowResized>()
        .add_message::<bevy::window::RequestRedraw>()
        .add_message::<bevy::window::CursorMoved>()
        .insert_resource(redraw::RedrawBurst::at_start());
        let link = feed::SyncLink::new(snapshots_rx);
        add_kiosk(
            &mut app,
            Arc::new(config),
            clock,
            catalog,
            Workers {
                sync: link,
                vitals: Default::default(),
                images: None,
                audio: portalavoro_core::audio::Audio::silent("headless test"),
                speech,
            },
        );
        (app, snapshots_tx)
    }

    mod access;

    /// A touch anywhere (not on a control), and the frame it lands in.
    fn touch(app: &mut App) {
        app.world_mut()
            .write_message(bevy::input::mouse::MouseButtonInput {
                button: MouseButton::Left,
                state: bevy::input::ButtonState::Pressed,
                window: Entity::PLACEHOLDER,
            });
        app.update();
    }

    fn mode(app: &App) -> session::Mode {
        *app.world().resource::<State<session::Mode>>().get()
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
        let now = test_clock().now();
        let catalog = Arc::new(demo::catalog(
            now,
            &portalavoro_core::config::default_timezone(),
        ));
        let (mut app, _snapshots) = headless(catalog.clone());
        app.update();
        (app, catalog)
    }

    fn page(app: &App) -> portalavoro_core::session::Page {
        app.world()
            .resource::<session::VisitorSession>()
            .page
            .clone()
    }

    #[test]
    fn a_snapshot_reaches_the_screen() {
        let now = test_clock().now();
        let catalog = Arc::new(demo::catalog(
            now,
            &portalavoro_core::config::default_timezone(),
        ));
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
        use portalavoro_core::session::Page;
        let (mut app, catalog) = demo_app();
        let now = test_clock().now();

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
        for (room, _) in catalog.room_states(now, &portalavoro_core::config::default_timezone()) {
            let name = room.name.get(&Lang::new("it"), &Lang::new("it"));
            assert!(shown.contains(&name.to_string()), "{name} missing");
        }
        // A private booking shows only "booked", never its title.
        let private: Vec<_> = catalog
            .todays_bookings(now, &portalavoro_core::config::default_timezone())
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
        use portalavoro_core::content::VacancyIndex;
        let (mut app, catalog) = demo_app();
        let now = test_clock().now();
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
        let typed: String = portalavoro_core::content::fold(word)
            .chars()
            .take(5)
            .collect();
        for key in typed.chars() {
            press(&mut app, &key.to_string());
        }
        let query = portalavoro_core::content::VacancyQuery {
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
        assert_eq!(page(&app), portalavoro_core::session::Page::Home);
        assert_eq!(mode(&app), session::Mode::Attract);
        touch(&mut app);
        assert!(texts(&mut app).contains(&"Offerte di lavoro".to_string()));
    }

    #[test]
    fn ten_thousand_vacancies_spawn_one_page_of_rows() {
        let now = test_clock().now();
        let mut catalog = demo::catalog(now, &portalavoro_core::config::default_timezone());
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
    fn news_rooms_and_events_spawn_a_page_whatever_the_hub_sends() {
        use portalavoro_core::content::{Booking, News, Room};
        let now = test_clock().now();
        let tz = portalavoro_core::config::default_timezone();
        let mut catalog = demo::catalog(now, &tz);
        // As many news items as a feed may hold, none expiring, each with
        // its picture; 200 rooms; a day of back-to-back bookings in one
        // room and 300 public events.
        let news: &News = &catalog.news[0];
        let news: Vec<News> = (0..<News as portalavoro_core::content::FeedItem>::MOST)
            .map(|i| News {
                id: format!("n{i}"),
                image_url: Some(format!("https://hub.example.org/n{i}.jpg")),
                expires_at: None,
                ..news.clone()
            })
            .collect();
        let room: &Room = &catalog.rooms[0];
        let rooms: Vec<Room> = (0..200)
            .map(|i| Room {
                id: format!("r{i}"),
                ..room.clone()
            })
            .collect();
        let booking: &Booking = &catalog.bookings.items[0];
        let midnight = now.to_zoned(tz.clone()).start_of_day().unwrap().timestamp();
        let bookings: Vec<Booking> = (0..288)
            .map(|i| Booking {
                id: format!("b{i}"),
                room_id: "r0".into(),
                starts_at: midnight + jiff::SignedDuration::from_mins(5 * i),
                ends_at: midnight + jiff::SignedDuration::from_mins(5 * i + 5),
                public: true,
                ..booking.clone()
            })
            .chain((0..300).map(|i| Booking {
                id: format!("e{i}"),
                room_id: "r1".into(),
                starts_at: now + jiff::SignedDuration::from_mins(60),
                ends_at: now + jiff::SignedDuration::from_mins(120),
                public: true,
                ..booking.clone()
            }))
            .collect();
        catalog.apply(FeedData::News(news));
        catalog.apply(FeedData::Rooms(rooms));
        catalog.apply(FeedData::Bookings {
            date: Some(now.to_zoned(tz.clone()).date()),
            items: bookings,
        });
        let (mut app, _snapshots) = headless(Arc::new(catalog));
        app.update();
        let nodes = |app: &mut App| {
            let world = app.world_mut();
            world.query::<&Node>().iter(world).count()
        };

        press(&mut app, "Notizie");
        assert!(
            nodes(&mut app) < 400,
            "{} nodes for a page of news",
            nodes(&mut app)
        );
        assert!(texts(&mut app).contains(&"Pagina 1 di 63".to_string()));
        press(&mut app, "Successiva ›");
        assert!(texts(&mut app).contains(&"Pagina 2 di 63".to_string()));
        // Two pages seen, eight pictures each (and the demo's others).
        let (asked, _) = app.world().resource::<pictures::Pictures>().kept();
        assert!(asked <= 20, "{asked} pictures asked for");

        press(&mut app, "Inizio");
        press(&mut app, "Sale ed eventi");
        assert!(
            nodes(&mut app) < 700,
            "{} nodes for the rooms page",
            nodes(&mut app)
        );
        let shown = texts(&mut app);
        assert!(
            shown.contains(&"Pagina 1 di 25".to_string()),
            "rooms: {shown:?}"
        );
        assert!(
            shown.contains(&"Pagina 1 di 59".to_string()),
            "588 events: {shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|t| t.starts_with('+') && t.ends_with("altri")),
            "the rest of room r0's day, counted: {shown:?}"
        );
    }

    #[test]
    fn an_urgent_announcement_is_closed_for_one_visitor_only() {
        let mut catalog = demo::catalog(
            test_clock().now(),
            &portalavoro_core::config::default_timezone(),
        );
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
        let systemd = portalavoro_core::systemd::FakeSystemd::listen("service");
        let received = || systemd.received();

        let catalog = Arc::new(demo::catalog(
            test_clock().now(),
            &portalavoro_core::config::default_timezone(),
        ));
        let (mut app, _snapshots) = headless(catalog);
        let notifier = systemd.notifier();
        let watchdog = std::time::Duration::from_millis(400);
        app.add_plugins(service::plugin(
            Some(notifier),
            Some(watchdog),
            None,
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

    /// Kinds of attract slide → a text each draws (its heading).
    fn slide_heading(kind: &str, catalog: &Catalog) -> String {
        match kind {
            "vacancies" => "Nuove offerte di lavoro".into(),
            "news" => "Ultime notizie".into(),
            "events" => "Oggi in sede".into(),
            "rooms" => "Sale libere adesso".into(),
            "announcement" => "Avviso".into(),
            // Text slides and captions: as the playlist gives them.
            "text" | "image" => catalog
                .playlist
                .iter()
                .find_map(|slide| match (&slide.kind, kind) {
                    (portalavoro_core::content::SlideKind::Text { text }, "text")
                    | (
                        portalavoro_core::content::SlideKind::Image {
                            caption: Some(text),
                            ..
                        },
                        "image",
                    ) => Some(text.get(&Lang::new("it"), &Lang::new("it")).to_string()),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("the demo has a {kind} slide with text")),
            other => panic!("the demo has no {other} slide"),
        }
    }

    #[test]
    fn idle_warns_then_resets_every_piece_of_the_session_and_a_touch_wakes_it() {
        let (mut app, _) = demo_app();
        press(&mut app, "English");
        press(&mut app, "Job vacancies");
        press(&mut app, "Sector");
        {
            let mut session = app.world_mut().resource_mut::<session::VisitorSession>();
            session.vacancy_query.text = "cuoco".into();
            session.keyboard = true;
            session.pages.vacancies = 1;
            session.dismissed.insert("a1".into());
        }
        app.update();
        let visited = app.world().resource::<session::VisitorSession>().0.clone();
        let asking = |app: &mut App| texts(app).contains(&"Are you still there?".to_string());

        // 90 s without a touch, ten seconds a frame (one went by above):
        // the question.
        for _ in 0..7 {
            app.update();
            assert!(!asking(&mut app));
        }
        app.update();
        assert!(asking(&mut app), "{:?}", texts(&mut app));
        let shown = texts(&mut app);
        assert!(shown.contains(&"Continue".to_string()));
        assert!(
            shown.contains(&"20".to_string()),
            "the countdown: {shown:?}"
        );
        assert_eq!(mode(&app), session::Mode::Visitor);
        app.update();
        assert!(texts(&mut app).contains(&"10".to_string()));
        assert_eq!(
            app.world().resource::<session::VisitorSession>().0,
            visited,
            "nothing is lost while asking"
        );

        // Nobody answers: everything goes.
        app.update();
        assert_eq!(
            app.world().resource::<session::VisitorSession>().0,
            portalavoro_core::session::Session::default()
        );
        assert_eq!(mode(&app), session::Mode::Attract);
        let shown = texts(&mut app);
        assert!(!asking(&mut app));
        assert!(
            shown.contains(&"Tocca lo schermo per iniziare".to_string()),
            "{shown:?}"
        );
        assert!(shown.contains(&"Touch the screen to start".to_string()));
        let world = app.world_mut();
        let pages = world
            .query_filtered::<(), With<screens::ScreenRoot>>()
            .iter(world)
            .count();
        assert_eq!(pages, 0, "the visitor's screen is gone, scroll and all");

        // A touch wakes it, in Italian, at Home.
        touch(&mut app);
        assert_eq!(mode(&app), session::Mode::Visitor);
        assert_eq!(page(&app), portalavoro_core::session::Page::Home);
        assert!(texts(&mut app).contains(&"Offerte di lavoro".to_string()));
    }

    #[test]
    fn a_touch_during_the_question_keeps_the_session() {
        let (mut app, _) = demo_app();
        press(&mut app, "Notizie");
        for _ in 0..10 {
            app.update();
        }
        assert!(texts(&mut app).contains(&"Ci sei ancora?".to_string()));
        touch(&mut app);
        assert!(!texts(&mut app).contains(&"Ci sei ancora?".to_string()));
        assert_eq!(page(&app), portalavoro_core::session::Page::News);
        assert_eq!(mode(&app), session::Mode::Visitor);
        // And the timer starts again from that touch.
        for _ in 0..8 {
            app.update();
        }
        assert_eq!(page(&app), portalavoro_core::session::Page::News);
    }

    /// Runs the attract loop for two rounds of its playlist, four frames a
    /// second; returns the app, what it should show, and the round's length
    /// in frames. `most_slides`: the most slides ever on screen at once.
    fn run_the_loop(
        kiosk_toml: &str,
        most_slides: usize,
    ) -> (
        App,
        crossbeam_channel::Sender<Arc<Catalog>>,
        Arc<Catalog>,
        std::collections::BTreeSet<String>,
        u64,
    ) {
        let now = test_clock().now();
        let tz = portalavoro_core::config::default_timezone();
        let catalog = Arc::new(demo::catalog(now, &tz));
        let expected: std::collections::BTreeSet<String> =
            portalavoro_core::content::playlist::fill(&catalog, "kiosk", now, &tz)
                .iter()
                .map(|(slide, _)| slide_heading(slide.kind(), &catalog))
                .collect();
        assert!(expected.len() >= 3, "{expected:?}");
        let (mut app, snapshots) = asleep(catalog.clone(), kiosk_toml, test_clock());
        app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
            std::time::Duration::from_millis(250),
        ));
        let round: u64 = portalavoro_core::content::playlist::fill(&catalog, "kiosk", now, &tz)
            .iter()
            .map(|(_, d)| d.as_millis() as u64)
            .sum::<u64>()
            / 250;
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2 * round {
            app.update();
            let world = app.world_mut();
            let slides = world
                .query_filtered::<(), With<attract::SlideNode>>()
                .iter(world)
                .count();
            assert!(slides <= most_slides, "{slides} slides at once");
            for text in texts(&mut app) {
                if expected.contains(&text) {
                    seen.insert(text);
                }
            }
        }
        assert_eq!(seen, expected);
        assert_eq!(mode(&app), session::Mode::Attract, "nobody touched it");
        (app, snapshots, catalog, expected, round)
    }

    #[test]
    fn cut_transitions_show_every_slide_one_at_a_time() {
        let _ = run_the_loop("[attract]\ntransition = \"cut\"\n", 1);
    }

    #[test]
    fn the_attract_loop_shows_every_slide_with_content_and_an_urgent_holds_it() {
        // Two slides at once while one pushes the other out.
        let (mut app, snapshots, catalog, expected, total) = run_the_loop("", 2);
        let total = total * 250;

        // An urgent announcement: over the loop, which stops where it is.
        let mut next = (*catalog).clone();
        next.apply(FeedData::Announcements(vec![urgent("u", "Evacuare")]));
        snapshots.send(Arc::new(next)).unwrap();
        app.update();
        let on_screen = |app: &mut App| {
            texts(app)
                .into_iter()
                .filter(|t| expected.contains(t))
                .collect::<Vec<_>>()
        };
        let held = on_screen(&mut app);
        assert!(texts(&mut app).contains(&"Evacuare".to_string()));
        for _ in 0..(total / 250) {
            app.update();
            assert_eq!(on_screen(&mut app), held);
        }
        // The waking touch only wakes: the urgent announcement stays up.
        touch(&mut app);
        assert_eq!(mode(&app), session::Mode::Visitor);
        assert!(texts(&mut app).contains(&"Evacuare".to_string()));
    }

    #[test]
    fn closed_outside_opening_hours_and_open_again_by_itself() {
        let tz = portalavoro_core::config::default_timezone();
        // Sunday 22 November 2026, 10:00 in Rome.
        let sunday: jiff::Timestamp = "2026-11-22T10:00:00+01:00".parse().unwrap();
        let clock = test_clock();
        let shift = |clock: &Clock, to: jiff::Timestamp| {
            clock.set_offset(to.duration_since(jiff::Timestamp::now()));
        };
        shift(&clock, sunday);
        let hours = "[hours]\nmonday = [\"09:00-13:00\"]\ntuesday = [\"09:00-13:00\"]\n";
        let (mut app, _) = asleep(Arc::new(demo::catalog(sunday, &tz)), hours, clock.clone());
        app.update();
        app.update();
        assert_eq!(mode(&app), session::Mode::Closed);
        let shown = texts(&mut app);
        assert!(shown.contains(&"Chiuso".to_string()), "{shown:?}");
        assert!(shown.contains(&"Riapriamo domani alle 09:00".to_string()));
        assert!(shown.contains(&"We reopen tomorrow at 09:00".to_string()));

        // Touching a closed kiosk does nothing.
        touch(&mut app);
        assert_eq!(mode(&app), session::Mode::Closed);

        // Monday 09:00: it opens by itself, to its attract loop.
        shift(&clock, "2026-11-23T09:00:05+01:00".parse().unwrap());
        app.update();
        app.update();
        assert_eq!(mode(&app), session::Mode::Attract);
        assert!(texts(&mut app).contains(&"Tocca lo schermo per iniziare".to_string()));

        // Monday 13:00 with a visitor at the screen: closed, session ended.
        touch(&mut app);
        press(&mut app, "Offerte di lavoro");
        shift(&clock, "2026-11-23T13:00:00+01:00".parse().unwrap());
        app.update();
        app.update();
        assert_eq!(mode(&app), session::Mode::Closed);
        assert_eq!(page(&app), portalavoro_core::session::Page::Home);
        assert!(texts(&mut app).contains(&"Riapriamo domani alle 09:00".to_string()));
    }

    fn finger(app: &mut App, phase: bevy::input::touch::TouchPhase, at: Vec2) {
        app.world_mut()
            .write_message(bevy::input::touch::TouchInput {
                phase,
                position: at,
                window: Entity::PLACEHOLDER,
                force: None,
                id: 7,
            });
    }

    /// A finger held at `at` for two frames (20 s), then lifted.
    fn hold(app: &mut App, at: Vec2) {
        use bevy::input::touch::TouchPhase;
        finger(app, TouchPhase::Started, at);
        app.update();
        app.update();
        finger(app, TouchPhase::Ended, at);
        app.update();
    }

    /// Taps on diagnostics controls: the touch (for the idle timer) and what
    /// the control's click observer sends.
    fn diagnostics(app: &mut App, actions: &[diagnostics::DiagnosticsAction]) {
        for action in actions {
            app.world_mut()
                .write_message(bevy::input::mouse::MouseButtonInput {
                    button: MouseButton::Left,
                    state: bevy::input::ButtonState::Pressed,
                    window: Entity::PLACEHOLDER,
                });
            app.world_mut().write_message(action.clone());
            app.update();
        }
    }

    #[test]
    fn five_seconds_on_the_corner_and_the_pin_open_the_diagnostics() {
        use diagnostics::DiagnosticsAction::{Close, Digit, Submit};
        let catalog = Arc::new(demo::catalog(
            test_clock().now(),
            &portalavoro_core::config::default_timezone(),
        ));
        let pin = portalavoro_core::diagnostics::hash_pin("2468").unwrap();
        let toml = format!("[diagnostics]\npin_hash = \"{pin}\"\n");
        let (mut app, _) = asleep(catalog.clone(), &toml, test_clock());
        app.update();

        // A finger anywhere else, held: nothing.
        hold(&mut app, Vec2::new(540.0, 900.0));
        assert_eq!(mode(&app), session::Mode::Visitor);

        // On the top-left corner, ten seconds a frame: the PIN pad.
        hold(&mut app, Vec2::new(20.0, 20.0));
        assert_eq!(mode(&app), session::Mode::Diagnostics);
        assert!(texts(&mut app).contains(&"Diagnostica · PIN".to_string()));

        // A wrong PIN says so; the right one opens the diagnostics.
        diagnostics(&mut app, &[Digit('1'), Digit('3'), Submit]);
        let shown = texts(&mut app);
        assert!(
            shown.contains(&"PIN errato (2) · Wrong PIN".to_string()),
            "{shown:?}"
        );
        assert!(!shown.contains(&"Versione".to_string()));
        diagnostics(
            &mut app,
            &[Digit('2'), Digit('4'), Digit('6'), Digit('8'), Submit],
        );
        let shown = texts(&mut app);
        for expected in [
            "Diagnostica · Diagnostics",
            "Versione",
            env!("CARGO_PKG_VERSION"),
        ] {
            assert!(
                shown.contains(&expected.to_string()),
                "{expected}: {shown:?}"
            );
        }
        assert!(
            shown
                .iter()
                .any(|t| t.starts_with("demo, ") && t.contains("items")),
            "feeds with their origin: {shown:?}"
        );

        // Closing returns to the visitor's Home.
        diagnostics(&mut app, &[Close]);
        app.update();
        assert_eq!(mode(&app), session::Mode::Visitor);
        assert!(texts(&mut app).contains(&"Offerte di lavoro".to_string()));

        // Left open, it closes with the idle timeout like any session.
        hold(&mut app, Vec2::new(20.0, 20.0));
        assert_eq!(mode(&app), session::Mode::Diagnostics);
        for _ in 0..12 {
            app.update();
        }
        assert_eq!(mode(&app), session::Mode::Attract);
    }

    #[test]
    fn the_pin_lock_holds_across_closing_the_pad_an_idle_reset_and_a_restart() {
        use diagnostics::DiagnosticsAction::{Close, Digit, Submit};
        let state = std::env::temp_dir().join(format!("pin-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&state);
        std::fs::create_dir_all(&state).unwrap();
        let env = Env {
            state_directory: Some(state.clone()),
            ..Env::default()
        };
        let catalog = Arc::new(demo::catalog(
            test_clock().now(),
            &portalavoro_core::config::default_timezone(),
        ));
        let pin = portalavoro_core::diagnostics::hash_pin("2468").unwrap();
        let toml = format!("[diagnostics]\npin_hash = \"{pin}\"\n");
        let start = || {
            let speech = portalavoro_core::speech::Speech::unavailable("headless test");
            let (mut app, _) = asleep_with(catalog.clone(), &toml, test_clock(), speech, &env);
            app.update();
            app
        };
        let wrong = [Digit('1'), Submit];
        let mut app = start();

        // Two wrong PINs, Close, the corner again: the count goes on.
        hold(&mut app, Vec2::new(20.0, 20.0));
        diagnostics(&mut app, &[Digit('1'), Submit, Digit('1'), Submit, Close]);
        hold(&mut app, Vec2::new(20.0, 20.0));
        diagnostics(&mut app, &wrong);
        assert!(
            texts(&mut app)
                .iter()
                .any(|t| t.starts_with("Bloccato per 60 s")),
            "the third wrong PIN locks: {:?}",
            texts(&mut app)
        );

        // Left to the idle reset, then asked for again: still locked, and
        // the right PIN is not even looked at.
        for _ in 0..12 {
            app.update();
        }
        assert_eq!(mode(&app), session::Mode::Attract);
        touch(&mut app);
        hold(&mut app, Vec2::new(20.0, 20.0));
        assert_eq!(mode(&app), session::Mode::Diagnostics);
        assert!(
            texts(&mut app)
                .iter()
                .any(|t| t.starts_with("Bloccato per"))
        );
        diagnostics(
            &mut app,
            &[Digit('2'), Digit('4'), Digit('6'), Digit('8'), Submit],
        );
        assert!(!texts(&mut app).contains(&"Versione".to_string()));

        // A restart (a new app on the same state directory, a moment
        // later) finds the pad locked.
        drop(app);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !state.join("pin-lockout").exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let kept = std::fs::read_to_string(state.join("pin-lockout")).unwrap();
        assert!(kept.contains("strikes=1"), "{kept}");
        let mut app = start();
        hold(&mut app, Vec2::new(20.0, 20.0));
        assert!(
            texts(&mut app)
                .iter()
                .any(|t| t.starts_with("Bloccato per")),
            "{:?}",
            texts(&mut app)
        );
        std::fs::remove_dir_all(&state).unwrap();
    }

    #[test]
    fn without_a_pin_in_kiosk_toml_the_corner_opens_nothing() {
        use bevy::input::touch::TouchPhase;
        let (mut app, _) = demo_app();
        finger(&mut app, TouchPhase::Started, Vec2::new(20.0, 20.0));
        app.update();
        app.update();
        app.update();
        assert_eq!(mode(&app), session::Mode::Visitor);
    }
}
