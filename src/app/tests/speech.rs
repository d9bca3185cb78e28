//! The voice, heard as a visitor who cannot see the screen hears it: keys
//! only, and every text the kiosk asks its synthesizer to say.

use super::*;
use crossbeam_channel::Receiver;
use portalavoro_core::i18n::Translations;
use portalavoro_core::session::{Intent, Page};
use portalavoro_core::speech::{Request, Tune};

/// The kiosk on `catalog`, in its attract loop, with a voice that hands
/// the test what it is asked.
fn voiced(catalog: Catalog) -> (App, Receiver<Request>) {
    let (speech, heard) = portalavoro_core::speech::Speech::recording();
    let (mut app, _) = asleep_with_speech(Arc::new(catalog), "", test_clock(), speech);
    app.update();
    (app, heard)
}

/// What the voice was asked since the last look.
fn requests(heard: &Receiver<Request>) -> Vec<Request> {
    heard.try_iter().collect()
}

/// The texts said since the last look, with their language.
fn said(heard: &Receiver<Request>) -> Vec<(String, String)> {
    requests(heard)
        .into_iter()
        .filter_map(|request| match request {
            Request::Say(text, lang, _) => Some((text, lang.to_string())),
            _ => None,
        })
        .collect()
}

/// The last text said since the last look.
fn last_said(heard: &Receiver<Request>) -> String {
    said(heard)
        .pop()
        .map(|(text, _)| text)
        .expect("something said")
}

fn t(lang: &str, key: &str) -> String {
    Translations::bundled()
        .get(&Lang::new(lang), key)
        .to_string()
}

fn speech_on(app: &App) -> bool {
    app.world()
        .resource::<session::VisitorSession>()
        .access
        .speech
}

#[test]
fn a_key_on_the_attract_loop_turns_speech_on_and_says_how_to_use_the_keypad() {
    let (mut app, heard) = voiced(demo_catalog());
    assert_eq!(mode(&app), session::Mode::Attract);
    key(&mut app, KeyCode::ArrowDown);
    assert_eq!(mode(&app), session::Mode::Visitor);
    assert!(speech_on(&app));
    assert_eq!(focused(&app), None, "the waking key moves nothing");
    let said = said(&heard);
    assert_eq!(said.len(), 1, "{said:?}");
    let (text, lang) = &said[0];
    assert_eq!(lang, "it");
    let help = t("it", "speech_help");
    assert!(help.ends_with('.'), "{help}");
    let expected = format!(
        "{}. {help} {}. {}",
        t("it", "speech_started"),
        t("it", "home_welcome"),
        t("it", "home_prompt"),
    );
    assert_eq!(*text, expected);
    key(&mut app, KeyCode::ArrowUp);
    assert_eq!(
        last_said(&heard),
        format!("{}, pulsante", t("it", "speech_stop")),
        "the last control, the bar's, by its own name"
    );
}

#[test]
fn the_keypad_reaches_a_vacancy_and_hears_its_place_title_and_code() {
    let catalog = demo_catalog();
    let now = test_clock().now();
    let open = catalog.open_vacancies(now).len();
    assert!(open > 2, "the demo has vacancies to count");
    let (mut app, heard) = voiced(catalog.clone());
    key(&mut app, KeyCode::ArrowDown);
    requests(&heard);

    tab_to(&mut app, |i| *i == Intent::Open(Page::Vacancies));
    let tile = last_said(&heard);
    assert!(
        tile.starts_with(&t("it", "title_vacancies")) && tile.ends_with(", pulsante"),
        "name and role: {tile}"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(page(&app), Page::Vacancies);
    assert_eq!(
        last_said(&heard),
        format!("{}. {open} offerte", t("it", "title_vacancies"))
    );

    let Intent::Open(Page::Vacancy(id)) =
        tab_to(&mut app, |i| matches!(i, Intent::Open(Page::Vacancy(_))))
    else {
        unreachable!()
    };
    let row = last_said(&heard);
    assert!(
        row.ends_with(&format!(", pulsante, offerta 1 di {open}")),
        "its place in the list: {row}"
    );
    key(&mut app, KeyCode::ArrowDown);
    assert!(
        last_said(&heard).ends_with(&format!("offerta 2 di {open}")),
        "the next one"
    );
    key(&mut app, KeyCode::ArrowUp);
    requests(&heard);
    key(&mut app, KeyCode::Enter);
    assert_eq!(page(&app), Page::Vacancy(id.clone()));
    let vacancy = catalog
        .open_vacancies(now)
        .into_iter()
        .find(|v| v.id == id)
        .unwrap()
        .clone();
    let detail = last_said(&heard);
    let title = vacancy.title.get(&Lang::new("it"), &Lang::new("it"));
    let code = vacancy
        .reference
        .as_deref()
        .expect("demo vacancies have codes");
    let spelled: Vec<String> = code.chars().map(String::from).collect();
    for part in [
        title.to_string(),
        format!("Codice offerta {}", spelled.join(" ")),
        t("it", "reference_hint"),
    ] {
        assert!(detail.contains(&part), "{part:?} in {detail:?}");
    }
    assert!(
        detail.contains(&t("it", "qr_apply")) || detail.contains(&t("it", "apply_at_desk")),
        "how to apply: {detail}"
    );

    key(&mut app, KeyCode::Backspace);
    assert_eq!(page(&app), Page::Vacancies);
    key(&mut app, KeyCode::Home);
    assert_eq!(page(&app), Page::Home);
    assert!(last_said(&heard).starts_with(&t("it", "home_welcome")));
}

#[test]
fn a_language_is_said_in_itself_and_choosing_it_says_the_help_in_it() {
    let (mut app, heard) = voiced(demo_catalog());
    key(&mut app, KeyCode::ArrowDown);
    requests(&heard);
    tab_to(&mut app, |i| *i == Intent::Language(Lang::new("en")));
    assert_eq!(
        said(&heard).pop(),
        Some(("English".to_string(), "en".to_string()))
    );
    key(&mut app, KeyCode::Enter);
    let (text, lang) = said(&heard).pop().expect("said");
    assert_eq!(lang, "en");
    assert!(text.starts_with(&t("en", "speech_help")), "{text}");
    assert!(text.contains(&t("en", "home_welcome")), "{text}");
}

#[test]
fn the_voice_keys_repeat_pause_stop_and_tune_it_for_this_visit_only() {
    let (mut app, heard) = voiced(demo_catalog());
    key(&mut app, KeyCode::ArrowDown);
    requests(&heard);

    key(&mut app, KeyCode::Equal);
    let Some(Request::Say(text, _, louder)) = requests(&heard).pop() else {
        panic!("volume up says the volume")
    };
    assert_eq!(text, "Volume 4 di 5");
    assert_eq!(louder.gain, 1.35, "said at the new volume");
    key(&mut app, KeyCode::F5);
    let Some(Request::Say(text, _, faster)) = requests(&heard).pop() else {
        panic!("the rate key says the rate")
    };
    assert_eq!(text, "Velocità della voce: veloce");
    assert_eq!((faster.gain, faster.words_per_minute), (1.35, 240));
    key(&mut app, KeyCode::F2);
    assert_eq!(requests(&heard), [Request::Repeat(faster)]);
    key(&mut app, KeyCode::F3);
    assert_eq!(requests(&heard), [Request::Pause]);
    key(&mut app, KeyCode::F4);
    assert_eq!(requests(&heard), [Request::Stop]);
    key(&mut app, KeyCode::F1);
    assert_eq!(last_said(&heard), t("it", "speech_help"));

    // Nobody answers: the session ends, and the next visitor's voice is
    // the site's.
    for _ in 0..100 {
        if mode(&app) == session::Mode::Attract {
            break;
        }
        app.update();
    }
    assert_eq!(mode(&app), session::Mode::Attract);
    assert!(
        requests(&heard).contains(&Request::Hush),
        "stopped at the end"
    );
    key(&mut app, KeyCode::Enter);
    let Some(Request::Say(_, _, tune)) = requests(&heard).pop() else {
        panic!("the next visitor hears the help")
    };
    assert_eq!(tune, Tune::default());
}

#[test]
fn a_list_says_its_length_or_that_it_is_empty_and_a_gone_item_says_so() {
    let mut catalog = demo_catalog();
    catalog.news = Arc::from(Vec::new());
    let (mut app, heard) = voiced(catalog);
    key(&mut app, KeyCode::ArrowDown);
    tab_to(&mut app, |i| *i == Intent::Open(Page::News));
    requests(&heard);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        last_said(&heard),
        format!("{}. {}", t("it", "title_news"), t("it", "news_none"))
    );
    key(&mut app, KeyCode::Home);
    tab_to(&mut app, |i| *i == Intent::Open(Page::Rooms));
    requests(&heard);
    key(&mut app, KeyCode::Enter);
    let now = app
        .world()
        .resource::<crate::app::shared::WallClock>()
        .now();
    let events = demo_catalog()
        .todays_public_events(now, &portalavoro_core::config::default_timezone())
        .len();
    assert!(events > 1, "the demo has events today");
    assert_eq!(
        last_said(&heard),
        format!("{}. {events} eventi oggi", t("it", "title_rooms")),
        "a list that is not empty says how long it is"
    );
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Open(Page::Vacancy("no-such-vacancy".into())));
    app.update();
    assert_eq!(
        last_said(&heard),
        format!(
            "{}. {}",
            t("it", "title_vacancies"),
            t("it", "vacancy_gone")
        )
    );
}

#[test]
fn without_a_voice_a_key_on_the_attract_loop_only_wakes_the_kiosk() {
    let (mut app, _) = asleep(Arc::new(demo_catalog()), "", test_clock());
    app.update();
    key(&mut app, KeyCode::ArrowDown);
    assert_eq!(mode(&app), session::Mode::Visitor);
    assert!(
        !speech_on(&app),
        "two falling notes, and no switch that does nothing"
    );
}

#[test]
fn headphones_in_the_jack_turn_speech_on_and_out_turn_it_off() {
    let (mut app, heard) = voiced(demo_catalog());
    let (plug, jack) = crossbeam_channel::unbounded();
    app.insert_resource(crate::app::headphones::Jack(jack));
    plug.send(true).unwrap();
    app.update();
    assert_eq!(mode(&app), session::Mode::Visitor, "headphones wake it");
    assert!(speech_on(&app));
    let (text, _) = said(&heard).pop().expect("said");
    let opening = format!("{}. {}", t("it", "speech_started"), t("it", "speech_help"));
    assert!(text.starts_with(&opening), "{text}");
    plug.send(false).unwrap();
    app.update();
    assert!(!speech_on(&app), "out: off");
    assert!(
        requests(&heard).contains(&Request::Hush),
        "and quiet at once"
    );
    assert_eq!(mode(&app), session::Mode::Visitor, "the visit goes on");
}

#[test]
fn with_speech_on_the_idle_question_is_spoken_and_any_key_answers_it() {
    let (mut app, heard) = voiced(demo_catalog());
    key(&mut app, KeyCode::ArrowDown);
    requests(&heard);
    let mut question = None;
    for _ in 0..60 {
        app.update();
        if let Some((text, _)) = said(&heard)
            .into_iter()
            .find(|(text, _)| text.starts_with(&t("it", "idle_title")))
        {
            question = Some(text);
            break;
        }
    }
    let question = question.expect("the idle question is said");
    assert!(question.contains(&t("it", "idle_extra_time")), "{question}");
    let prompts = |app: &mut App| {
        app.world_mut()
            .query::<&crate::app::warning::Prompt>()
            .iter(app.world())
            .count()
    };
    assert_eq!(prompts(&mut app), 1);
    key(&mut app, KeyCode::F13); // a key that does nothing else
    app.update();
    assert_eq!(prompts(&mut app), 0, "any key answers it");
    assert_eq!(mode(&app), session::Mode::Visitor);
    assert!(speech_on(&app), "and the visit goes on as it was");
}

#[test]
fn no_click_is_played_over_the_voice() {
    use portalavoro_core::audio::{Audio, Command};
    let (mut app, heard) = voiced(demo_catalog());
    let (audio, sounds) = Audio::recording();
    app.insert_resource(crate::app::sound::Sounds(audio));
    touch(&mut app);
    app.update();
    press(&mut app, &t("it", "title_news"));
    assert_eq!(page(&app), Page::News);
    let clicks =
        |sounds: &Receiver<Command>| sounds.try_iter().filter(|c| *c == Command::Click).count();
    assert_eq!(clicks(&sounds), 1, "a tap clicks");
    app.world_mut()
        .resource_mut::<session::VisitorSession>()
        .apply(Intent::Access(portalavoro_core::access::Setting::Speech));
    app.update();
    requests(&heard);
    press(&mut app, &t("it", "nav_home"));
    assert!(
        last_said(&heard).starts_with(&t("it", "nav_home")),
        "the tap is said"
    );
    assert_eq!(clicks(&sounds), 0, "and no click over it");
}

#[test]
fn a_filter_says_whether_it_is_open_or_chosen_before_and_after_a_key() {
    let (mut app, heard) = voiced(demo_catalog());
    key(&mut app, KeyCode::ArrowDown);
    tab_to(&mut app, |i| *i == Intent::Open(Page::Vacancies));
    key(&mut app, KeyCode::Enter);
    tab_to(&mut app, |i| {
        *i == Intent::ShowFacet(portalavoro_core::session::Facet::Sector)
    });
    let sector = t("it", "facet_sector");
    assert_eq!(last_said(&heard), format!("{sector}, pulsante, chiuso"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(last_said(&heard), format!("{sector}, pulsante, aperto"));
    let Intent::Toggle(filter) = tab_to(&mut app, |i| matches!(i, Intent::Toggle(_))) else {
        unreachable!()
    };
    let reached = last_said(&heard);
    assert!(
        reached.ends_with(", pulsante, non selezionato"),
        "{reached}"
    );
    key(&mut app, KeyCode::Enter);
    let chosen = last_said(&heard);
    assert!(chosen.ends_with(", pulsante, selezionato"), "{chosen}");
    assert_eq!(
        app.world()
            .resource::<session::VisitorSession>()
            .shows_on(&Intent::Toggle(filter)),
        Some(true)
    );
}
