//! The visitor's session and the idle timer.

use super::*;

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

#[test]
fn the_glyph_atlases_of_a_visit_go_when_it_ends() {
    use bevy::text::{FontAtlas, FontAtlasKey, FontAtlasSet};
    let (mut app, _) = demo_app();
    let world = app.world_mut();
    let atlas = world.resource_scope(|_, mut images: Mut<Assets<Image>>| {
        FontAtlas::new(&mut images, UVec2::splat(64), default())
    });
    let key = FontAtlasKey {
        id: 0,
        index: 0,
        font_size_bits: 96f32.to_bits(),
        variations_hash: 0,
        hinting: default(),
        font_smoothing: default(),
    };
    world
        .resource_mut::<FontAtlasSet>()
        .insert(key, vec![atlas]);
    // Screens come and go during the visit: the atlases stay.
    press(&mut app, "Offerte di lavoro");
    let trims = heap_trims(&app);
    press(&mut app, "Inizio");
    assert_eq!(app.world().resource::<FontAtlasSet>().len(), 1);
    // Nobody touches it: 90 s, the question, 20 s more.
    for _ in 0..20 {
        if mode(&app) == session::Mode::Attract {
            break;
        }
        app.update();
    }
    assert_eq!(mode(&app), session::Mode::Attract);
    assert!(app.world().resource::<FontAtlasSet>().is_empty());
    assert_eq!(
        heap_trims(&app),
        trims,
        "not before the render world freed them"
    );
    app.update();
    assert_eq!(
        app.world().resource::<Assets<Image>>().len(),
        0,
        "its texture too"
    );
    // The heap pages freed with them go back to the system, once.
    assert_eq!(heap_trims(&app), trims + 1);
    app.update();
    assert_eq!(heap_trims(&app), trims + 1);
}

fn heap_trims(app: &App) -> u32 {
    app.world().resource::<crate::app::memory::HeapTrim>().done
}
