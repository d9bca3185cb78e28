//! Taps as a finger makes them on the glass: drags and palms are not taps.

use super::*;

#[test]
fn a_drag_or_a_palm_on_the_glass_is_not_a_tap() {
    use bevy::input::touch::TouchPhase;
    use portalavoro_core::session::Page;
    let (mut app, _) = demo_app();
    let tile = labelled(app.world_mut(), "Offerte di lavoro");

    // Dragged further than the slop: a scroll, not a tap.
    tap_on(&mut app, tile, Vec2::new(0.0, 40.0));
    assert_eq!(page(&app), Page::Home, "a drag opened the tile");

    // A palm resting on the glass (another touch still down).
    finger(&mut app, TouchPhase::Started, Vec2::new(900.0, 1800.0));
    app.update();
    tap_on(&mut app, tile, Vec2::ZERO);
    assert_eq!(page(&app), Page::Home, "a tap with a palm down counted");
    finger(&mut app, TouchPhase::Ended, Vec2::new(900.0, 1800.0));
    app.update();

    // Released somewhere else: not a tap on the tile either.
    let elsewhere = labelled(app.world_mut(), "Accessibilità");
    {
        use bevy::picking::events::{Pointer, Press};
        use bevy::picking::pointer::{PointerAction, PointerButton, PointerId, PointerInput};
        let hit = bevy::picking::backend::HitData::new(Entity::PLACEHOLDER, 0.0, None, None);
        let world = app.world_mut();
        world.trigger(Pointer::new(
            PointerId::Mouse,
            location(),
            Press {
                button: PointerButton::Primary,
                hit: hit.clone(),
                count: 1,
            },
            tile,
        ));
        world
            .resource_mut::<bevy::picking::hover::HoverMap>()
            .0
            .insert(PointerId::Mouse, [(elsewhere, hit)].into_iter().collect());
        world.write_message(PointerInput::new(
            PointerId::Mouse,
            location(),
            PointerAction::Release(PointerButton::Primary),
        ));
        app.update();
    }
    assert_eq!(page(&app), Page::Home, "released off the tile");

    // A finger that wanders a little still taps.
    tap_on(&mut app, tile, Vec2::new(10.0, 12.0));
    assert_eq!(page(&app), Page::Vacancies);
}
