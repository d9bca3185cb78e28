//! Staff announcements on the visitor's screens.

use super::*;

#[test]
fn an_urgent_announcement_is_closed_for_one_visitor_only() {
    let mut catalog = demo_catalog();
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
