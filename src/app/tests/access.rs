//! Languages and accessibility in the app, headless: right-to-left
//! mirroring, the settings page, extra time, the content fallback tag,
//! the long press that turns speech on, and the reset of everything with
//! the session.

use super::*;
use portalavoro_core::access::Setting;
use portalavoro_core::session::{Intent, Page};
use theme::{Palette, Theme};

fn theme(app: &App) -> Theme {
    app.world().resource::<Theme>().clone()
}

fn access(app: &App) -> portalavoro_core::access::Access {
    app.world().resource::<session::VisitorSession>().access
}

/// The node holding the control labelled `label` (its button's parent).
fn row_of(app: &mut App, label: &str) -> Node {
    let world = app.world_mut();
    let mut texts = world.query::<(Entity, &Text)>();
    let text = texts
        .iter(world)
        .find(|(_, t)| t.0 == label)
        .map(|(e, _)| e)
        .unwrap_or_else(|| panic!("no {label:?}"));
    let mut parents = world.query::<&ChildOf>();
    let button = parents.get(world, text).unwrap().parent();
    let row = parents.get(world, button).unwrap().parent();
    world.query::<&Node>().get(world, row).unwrap().clone()
}

fn justify_of(app: &mut App, label: &str) -> Justify {
    let world = app.world_mut();
    let mut texts = world.query::<(&Text, &TextLayout)>();
    texts
        .iter(world)
        .find(|(t, _)| t.0 == label)
        .map(|(_, layout)| layout.justify)
        .unwrap_or_else(|| panic!("no {label:?}"))
}

/// Taps the switch of the setting titled `title` (in its row).
fn toggle(app: &mut App, title: &str) {
    let world = app.world_mut();
    let mut texts = world.query::<(Entity, &Text)>();
    let text = texts
        .iter(world)
        .find(|(_, t)| t.0 == title)
        .map(|(e, _)| e)
        .unwrap_or_else(|| panic!("no {title:?}"));
    let mut parents = world.query::<&ChildOf>();
    let words = parents.get(world, text).unwrap().parent();
    let row = parents.get(world, words).unwrap().parent();
    let mut children = world.query::<&Children>();
    let mut actions = world.query::<&touch::Action>();
    let intent = children
        .get(world, row)
        .unwrap()
        .iter()
        .find_map(|child| actions.get(world, child).ok())
        .map(|action| action.0.clone())
        .unwrap_or_else(|| panic!("{title:?} has no switch"));
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

#[test]
fn arabic_mirrors_the_layout_and_italian_does_not() {
    let (mut app, _) = demo_app();
    assert!(!theme(&app).rtl);
    assert_eq!(
        row_of(&mut app, "‹ Indietro").flex_direction,
        FlexDirection::Row
    );
    assert_eq!(
        justify_of(&mut app, "Tocca un riquadro per iniziare"),
        Justify::Left
    );

    press(&mut app, "العربية");
    app.update();
    assert!(theme(&app).rtl);
    // Rows run right to left, text starts on the right, and "back"
    // points right.
    assert_eq!(
        row_of(&mut app, "\u{200E}رجوع ›").flex_direction,
        FlexDirection::RowReverse
    );
    assert_eq!(
        row_of(&mut app, "العربية").flex_direction,
        FlexDirection::RowReverse
    );
    assert_eq!(justify_of(&mut app, "المس مربعاً للبدء"), Justify::Right);
    // Numbers stay Western digits ("عدد العروض: 49").
    let open = app
        .world()
        .resource::<Content>()
        .open_vacancies(test_clock().now())
        .len();
    assert!(
        texts(&mut app).contains(&format!("عدد العروض: {open}")),
        "{:?}",
        texts(&mut app)
    );

    // Back to a left-to-right language: mirrored back.
    press(&mut app, "Українська");
    app.update();
    assert!(!theme(&app).rtl);
    assert_eq!(
        row_of(&mut app, "‹ Назад").flex_direction,
        FlexDirection::Row
    );
}

#[test]
fn the_language_switch_offers_each_language_in_its_own_name() {
    let (mut app, _) = demo_app();
    let shown = texts(&mut app);
    for name in [
        "Italiano",
        "English",
        "Français",
        "Español",
        "Română",
        "Українська",
        "العربية",
    ] {
        assert!(
            shown.contains(&name.to_string()),
            "{name} missing: {shown:?}"
        );
    }
    // kiosk.toml picks which appear, and in which order.
    let catalog = app.world().resource::<Content>().0.clone();
    let (mut app, _) = asleep(
        catalog,
        "[display]\nlanguages = [\"uk\", \"ar\"]\n",
        test_clock(),
    );
    app.update();
    touch(&mut app);
    app.update();
    let shown = texts(&mut app);
    assert!(shown.contains(&"Українська".to_string()));
    assert!(shown.contains(&"العربية".to_string()));
    assert!(
        shown.contains(&"Italiano".to_string()),
        "the kiosk's own language"
    );
    assert!(!shown.contains(&"English".to_string()), "{shown:?}");
}

#[test]
fn content_shown_in_another_language_says_so() {
    let (mut app, catalog) = demo_app();
    let now = test_clock().now();
    let italian_only = catalog
        .open_vacancies(now)
        .into_iter()
        .find(|v| {
            v.title
                .resolve(&Lang::new("fr"), &Lang::new("it"))
                .fallback
                .is_some()
        })
        .expect("the demo has a vacancy in Italian only");
    let title = italian_only
        .title
        .get(&Lang::new("it"), &Lang::new("it"))
        .to_string();
    let id = italian_only.id.clone();

    press(&mut app, "Français");
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Open(Page::Vacancy(id.clone())));
    app.update();
    let shown = texts(&mut app);
    assert!(shown.contains(&title), "{shown:?}");
    assert!(
        shown.contains(&"Seulement en Italiano".to_string()),
        "{shown:?}"
    );

    // In the kiosk's own language, no tag.
    press(&mut app, "‹ Retour");
    press(&mut app, "Italiano");
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Open(Page::Vacancy(id)));
    app.update();
    assert!(!texts(&mut app).iter().any(|t| t.starts_with("Solo in")));
}

#[test]
fn the_accessibility_page_changes_the_theme_and_every_setting_resets_with_the_session() {
    let (mut app, _) = demo_app();
    let normal = theme(&app);
    assert_eq!(normal.palette, Palette::NORMAL);

    press(&mut app, "العربية");
    press(&mut app, "إمكانية الوصول"); // on every screen, in the nav bar
    assert_eq!(page(&app), Page::Accessibility);
    press(&mut app, "كبير جداً"); // very large
    toggle(&mut app, "تباين عالٍ");
    toggle(&mut app, "الأزرار في متناول اليد");
    toggle(&mut app, "تقليل الحركة");
    // Speech is not available headless: the page says so instead of
    // offering a switch that does nothing.
    assert!(
        texts(&mut app).contains(&"القراءة بصوت عالٍ غير متاحة على هذا الجهاز".to_string()),
        "{:?}",
        texts(&mut app)
    );
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Access(Setting::Speech));
    app.update();
    let on = access(&app);
    assert!(
        on.high_contrast && on.reach && on.reduced_motion && on.speech,
        "{on:?}"
    );
    assert_eq!(on.text_size, portalavoro_core::access::TextSize::Largest);

    let look = theme(&app);
    assert_eq!(look.palette, Palette::HIGH_CONTRAST);
    assert_eq!(look.text_scale, 2.0);
    assert!(look.rtl);
    assert_eq!(app.world().resource::<ClearColor>().0, Color::BLACK);
    // Speech asked for (by a long press while the voice was still being
    // checked, say) but unavailable: nothing to stop, so no button for it.
    let shown = texts(&mut app);
    assert!(
        !shown.contains(&"إيقاف الصوت".to_string()),
        "stop the voice: {shown:?}"
    );

    // Accessibility mode: three times the idle time (90 s → 270 s), and
    // a minute to answer, which the question says.
    for frame in 0..25 {
        app.update();
        assert!(
            !texts(&mut app).contains(&"هل ما زلت هنا؟".to_string()),
            "asked after {} s",
            (frame + 2) * 10
        );
    }
    app.update();
    let shown = texts(&mut app);
    assert!(shown.contains(&"هل ما زلت هنا؟".to_string()), "{shown:?}");
    assert!(shown.contains(&"60".to_string()), "{shown:?}");
    assert!(shown.contains(&"وضع إمكانية الوصول: لديك وقت أطول.".to_string()));

    // Nobody answers: language, settings, theme, all back to the start.
    for _ in 0..6 {
        app.update();
    }
    assert_eq!(mode(&app), session::Mode::Attract);
    assert_eq!(
        app.world().resource::<session::VisitorSession>().0,
        portalavoro_core::session::Session::default()
    );
    assert!(
        theme(&app).looks_like(&normal),
        "the theme is the normal one again"
    );
    assert_eq!(
        app.world().resource::<ClearColor>().0,
        Palette::NORMAL.background
    );
    touch(&mut app);
    assert!(texts(&mut app).contains(&"Tocca un riquadro per iniziare".to_string()));
    assert!(!access(&app).any());
}

#[test]
fn reach_mode_puts_the_page_and_every_control_in_the_lower_half() {
    let (mut app, _) = demo_app();
    press(&mut app, "Accessibilità");
    toggle(&mut app, "Comandi a portata di mano");
    assert!(
        access(&app).reach && !access(&app).high_contrast,
        "{:?}",
        access(&app)
    );
    let world = app.world_mut();
    let mut roots = world.query_filtered::<&Children, With<screens::ScreenRoot>>();
    let halves: Vec<Entity> = roots.single(world).unwrap().iter().collect();
    assert_eq!(halves.len(), 2, "a top half and a bottom half");
    let mut nodes = world.query::<&Node>();
    assert_eq!(nodes.get(world, halves[0]).unwrap().min_height, percent(50));
    assert_eq!(nodes.get(world, halves[1]).unwrap().max_height, percent(50));
    // Every control is in the bottom half.
    let mut controls = world.query_filtered::<Entity, With<touch::Action>>();
    let mut parents = world.query::<&ChildOf>();
    let controls: Vec<Entity> = controls.iter(world).collect();
    assert!(controls.len() > 5);
    for control in controls {
        let mut at = Some(control);
        let mut in_bottom = false;
        while let Some(entity) = at {
            in_bottom |= entity == halves[1];
            at = parents.get(world, entity).ok().map(ChildOf::parent);
        }
        assert!(in_bottom, "a control outside the lower half");
    }
}

#[test]
fn a_long_press_on_the_attract_loop_turns_speech_on() {
    let mut app = speaking_app();
    assert_eq!(mode(&app), session::Mode::Attract);
    let cursor = |world: &mut World| {
        world.write_message(bevy::window::CursorMoved {
            window: Entity::PLACEHOLDER,
            position: Vec2::new(400.0, 900.0),
            delta: None,
        });
    };
    let button = |world: &mut World, pressed: bool| {
        world.write_message(bevy::input::mouse::MouseButtonInput {
            button: MouseButton::Left,
            state: if pressed {
                bevy::input::ButtonState::Pressed
            } else {
                bevy::input::ButtonState::Released
            },
            window: Entity::PLACEHOLDER,
        });
    };

    // A short tap only wakes it.
    cursor(app.world_mut());
    button(app.world_mut(), true);
    button(app.world_mut(), false);
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Visitor);
    assert!(!access(&app).speech);

    // Held on a visitor's screen: nothing either (it may be a drag).
    button(app.world_mut(), true);
    app.update();
    app.update();
    assert!(!access(&app).speech);
    button(app.world_mut(), false);
    app.update();

    // Back to the loop; held there, the finger turns speech on.
    app.world_mut().resource_mut::<session::Idle>().end();
    app.update();
    app.update();
    assert_eq!(mode(&app), session::Mode::Attract);
    cursor(app.world_mut());
    button(app.world_mut(), true);
    app.update();
    assert_eq!(mode(&app), session::Mode::Visitor, "the press woke it");
    app.update(); // ten seconds later, still held
    assert!(access(&app).speech, "speech is on");
    let shown = texts(&mut app);
    assert!(shown.contains(&"Ferma la voce".to_string()), "{shown:?}");

    // And off again from the nav bar, at any time.
    button(app.world_mut(), false);
    app.update();
    press(&mut app, "Ferma la voce");
    assert!(!access(&app).speech);
}

/// Where the page is drawn off its place, in % of its width, while it
/// glides in; `None` when it is at rest.
fn page_offset(app: &mut App) -> Option<f32> {
    let world = app.world_mut();
    let mut entering = world.query_filtered::<&UiTransform, With<screens::motion::PageEnter>>();
    let offset = entering.iter(world).map(|t| t.translation.x).next()?;
    match offset {
        Val::Percent(p) => Some(p),
        other => panic!("a page offset in {other:?}"),
    }
}

#[test]
fn pages_glide_in_from_where_they_come_unless_motion_is_reduced() {
    let (mut app, _) = demo_app();
    app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
        std::time::Duration::from_millis(50),
    ));
    app.update();
    assert_eq!(page_offset(&mut app), None, "Home at rest");

    // Forward: the next page comes from the right, and settles in place
    // within the slide's time, drawing a frame at each step.
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Open(Page::News));
    app.update();
    let mut offsets = vec![page_offset(&mut app).expect("gliding")];
    while let Some(offset) = page_offset(&mut app) {
        assert!(offsets.len() < 10, "still moving: {offsets:?}");
        offsets.push(offset);
        app.update();
    }
    assert!(offsets[0] > 0.0, "from the right: {offsets:?}");
    assert!(offsets.len() >= 4, "seen moving: {offsets:?}");
    assert!(
        offsets.windows(2).all(|w| w[1] <= w[0]),
        "towards its place: {offsets:?}"
    );
    let world = app.world_mut();
    let mut columns = world.query_filtered::<&Children, With<screens::PageScroll>>();
    let column = columns.single(world).unwrap()[0];
    let mut transforms = world.query::<&UiTransform>();
    assert_eq!(
        transforms.get(world, column).unwrap().translation,
        bevy::ui::Val2::ZERO,
        "at rest in its place"
    );

    // Back: from the left. In Arabic, mirrored.
    press(&mut app, "‹ Indietro");
    assert!(
        page_offset(&mut app).expect("gliding") < 0.0,
        "from the left"
    );
    press(&mut app, "العربية");
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Open(Page::News));
    app.update();
    assert!(
        page_offset(&mut app).expect("gliding") < 0.0,
        "Arabic: from the left"
    );
    for _ in 0..10 {
        app.update();
    }

    // Reduce motion: the next page is in place from its first frame.
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Access(Setting::ReducedMotion));
    app.update();
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Open(Page::Rooms));
    app.update();
    assert_eq!(page(&app), Page::Rooms);
    assert_eq!(page_offset(&mut app), None, "no motion");
}

#[test]
fn with_speech_on_a_first_tap_says_the_control_and_a_second_does_it() {
    let mut app = speaking_app();
    touch(&mut app);
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Access(Setting::Speech));
    app.update();
    press(&mut app, "Offerte di lavoro");
    assert_eq!(page(&app), Page::Home, "the first tap only says it");
    press(&mut app, "Notizie");
    assert_eq!(page(&app), Page::Home, "another control: said, not done");
    press(&mut app, "Notizie");
    assert_eq!(page(&app), Page::News, "the second tap on it does it");
}

/// The demo kiosk in its attract loop, with a voice that is ready (and
/// silent).
fn speaking_app() -> App {
    let catalog = Arc::new(demo::catalog(
        test_clock().now(),
        &portalavoro_core::config::default_timezone(),
    ));
    let (mut app, _) = asleep_with_speech(
        catalog,
        "",
        test_clock(),
        portalavoro_core::speech::Speech::ready_but_silent(),
    );
    app.update();
    app
}
