//! The visitor's screens: navigation, the vacancy list, languages, lists the hub sizes.

use super::*;

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
fn a_keystroke_redraws_the_page_and_leaves_the_keyboard_and_the_header() {
    let (mut app, _) = demo_app();
    press(&mut app, "Offerte di lavoro");
    press(&mut app, "Cerca: mestiere, azienda, comune…");
    let key = labelled(app.world_mut(), "q");
    let home = labelled(app.world_mut(), "Inizio");
    let none = "Nessuna offerta con questi criteri. Prova a togliere un filtro.".to_string();
    assert!(!texts(&mut app).contains(&none));
    // No vacancy has "qz" in it.
    press(&mut app, "q");
    press(&mut app, "z");
    let shown = texts(&mut app);
    assert!(
        shown.contains(&"qz".to_string()),
        "the field shows it: {shown:?}"
    );
    assert!(shown.contains(&none), "the results follow: {shown:?}");
    let world = app.world_mut();
    assert_eq!(labelled(world, "q"), key, "the same keyboard");
    assert_eq!(labelled(world, "Inizio"), home, "the same navigation");

    // Anything else redraws the whole screen.
    press(&mut app, "Fatto");
    press(&mut app, "qz");
    assert_ne!(labelled(app.world_mut(), "q"), key, "a new keyboard");
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
