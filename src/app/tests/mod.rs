//! The app without a window: `MinimalPlugins`, snapshots sent by hand,
//! the UI tree read back.

use super::*;
use bevy::asset::AssetPlugin;
use bevy::text::Font;
use portalavoro_core::config::Env;
use portalavoro_core::content::{Announcement, FeedData, Lang, Level, Text as ContentText, demo};

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
    asleep_with(catalog, kiosk_toml, clock, speech, None, &Env::default())
}

/// The app as it starts, in `env` (its state directory); `images`: the
/// picture worker (`None`: pictures cannot be fetched).
fn asleep_with(
    catalog: Arc<Catalog>,
    kiosk_toml: &str,
    clock: Clock,
    speech: portalavoro_core::speech::Speech,
    images: Option<portalavoro_core::hub::images::ImageLoader>,
    env: &Env,
) -> (App, crossbeam_channel::Sender<Arc<Catalog>>) {
    let config =
        portalavoro_core::config::parse(std::path::Path::new("k.toml"), kiosk_toml, env).unwrap();
    let (snapshots_tx, snapshots_rx) = crossbeam_channel::unbounded();
    // No compositor: the switch records what it is asked.
    let screen =
        portalavoro_core::screen::Switch::start(None, config.display.rotation, Box::new(|| {}));
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
    .init_resource::<bevy::text::FontAtlasSet>()
    .add_message::<bevy::window::WindowResized>()
    .add_message::<bevy::window::RequestRedraw>()
    .add_message::<bevy::window::CursorMoved>()
    // What picking would give the touch module: taps go through it.
    .add_message::<bevy::picking::pointer::PointerInput>()
    .init_resource::<bevy::picking::hover::HoverMap>()
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
            images,
            appointments: None,
            audio: portalavoro_core::audio::Audio::silent("headless test"),
            speech,
            screen,
            // Tests plug headphones in by replacing `headphones::Jack`.
            jack: crossbeam_channel::never(),
        },
    );
    (app, snapshots_tx)
}

// One file per feature, named as the feature's own file; the modules get
// a suffix so that `session`, `touch`… still name the app's.
#[path = "access.rs"]
mod access_tests;
#[path = "announcements.rs"]
mod announcements_tests;
#[path = "appointments.rs"]
mod appointments_tests;
#[path = "attract.rs"]
mod attract_tests;
#[path = "closed.rs"]
mod closed_tests;
#[path = "diagnostics.rs"]
mod diagnostics_tests;
#[path = "keypad.rs"]
mod keypad_tests;
#[path = "pictures.rs"]
mod pictures_tests;
#[path = "screen_power.rs"]
mod screen_power_tests;
#[path = "screens.rs"]
mod screens_tests;
#[path = "service.rs"]
mod service_tests;
#[path = "session.rs"]
mod session_tests;
#[path = "speech.rs"]
mod speech_tests;
#[path = "technician.rs"]
mod technician_tests;
#[path = "touch.rs"]
mod touch_tests;

/// A key pressed and let go, and the frame it lands in.
fn key(app: &mut App, code: KeyCode) {
    use bevy::input::ButtonState;
    use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: code,
            logical_key: Key::Unidentified(NativeKey::Unidentified),
            state,
            text: None,
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
    }
    app.update();
}

/// What the keypad's focus is on.
fn focused(app: &App) -> Option<portalavoro_core::session::Intent> {
    app.world().resource::<keypad::Focus>().intent.clone()
}

/// Tab until the focus is on a control doing what `wanted` accepts (at
/// most 60 keys).
fn tab_to(
    app: &mut App,
    wanted: impl Fn(&portalavoro_core::session::Intent) -> bool,
) -> portalavoro_core::session::Intent {
    for _ in 0..60 {
        key(app, KeyCode::Tab);
        if let Some(intent) = focused(app).filter(|i| wanted(i)) {
            return intent;
        }
    }
    panic!("never reached; focus at {:?}", focused(app));
}

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

/// A tap on the control labelled `label`, as a finger makes it: the
/// press goes through the same observer, the release through the same
/// system that judges taps on the glass (where the pointer is now, how
/// far it travelled, whether another finger is down).
fn press(app: &mut App, label: &str) {
    let target = labelled(app.world_mut(), label);
    tap_on(app, target, Vec2::ZERO);
}

/// The entity showing `label`.
fn labelled(world: &mut World, label: &str) -> Entity {
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
    found[0]
}

/// Where a headless pointer is: a window nobody draws.
fn location() -> bevy::picking::pointer::Location {
    bevy::picking::pointer::Location {
        target: bevy::camera::NormalizedRenderTarget::None {
            width: 1080,
            height: 1920,
        },
        position: Vec2::new(540.0, 960.0),
    }
}

/// Presses `target`, drags the finger by `dragged`, and lifts it over
/// `target` again; then the frame it lands in.
fn tap_on(app: &mut App, target: Entity, dragged: Vec2) {
    use bevy::picking::events::{Drag, Pointer, Press};
    use bevy::picking::hover::HoverMap;
    use bevy::picking::pointer::{PointerAction, PointerButton, PointerId, PointerInput};
    let pointer = PointerId::Mouse;
    let hit = bevy::picking::backend::HitData::new(Entity::PLACEHOLDER, 0.0, None, None);
    let world = app.world_mut();
    world.write_message(bevy::input::mouse::MouseButtonInput {
        button: MouseButton::Left,
        state: bevy::input::ButtonState::Pressed,
        window: Entity::PLACEHOLDER,
    });
    world.trigger(Pointer::new(
        pointer,
        location(),
        Press {
            button: PointerButton::Primary,
            hit: hit.clone(),
            count: 1,
        },
        target,
    ));
    if dragged != Vec2::ZERO {
        world.trigger(Pointer::new(
            pointer,
            location(),
            Drag {
                button: PointerButton::Primary,
                distance: dragged,
                delta: dragged,
            },
            target,
        ));
    }
    world
        .resource_mut::<HoverMap>()
        .0
        .insert(pointer, [(target, hit)].into_iter().collect());
    world.write_message(PointerInput::new(
        pointer,
        location(),
        PointerAction::Release(PointerButton::Primary),
    ));
    app.update();
}

fn texts_of(world: &mut World) -> Vec<String> {
    let mut query = world.query::<&Text>();
    query.iter(world).map(|t| t.0.clone()).collect()
}

/// The bundled demo content at the tests' moment.
fn demo_catalog() -> Catalog {
    demo::catalog(
        test_clock().now(),
        &portalavoro_core::config::default_timezone(),
    )
}

fn demo_app() -> (App, Arc<Catalog>) {
    let catalog = Arc::new(demo_catalog());
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
