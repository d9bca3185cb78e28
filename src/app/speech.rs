//! Spoken output in the app: with "read aloud" on, each new screen's title
//! (and the item it shows) is said in the visitor's language, and so is
//! each control they touch; turning it off, or the session ending, stops
//! the voice at once.
//!
//! A visitor who cannot see the screen turns it on with a long press
//! anywhere on the attract loop: two rising notes say it is on (two
//! falling ones that this kiosk cannot speak), then the Home screen is
//! read out.

use bevy::prelude::*;

use super::feed::Content;
use super::session::{HoldInput, Mode, VisitorSession};
use super::shared::AppSystems;
use super::sound::Sounds;
use super::theme::Look;
use portalavoro_core::access::{Setting, TextSize};
use portalavoro_core::audio::Tone;
use portalavoro_core::content::Lang;
use portalavoro_core::gesture;
use portalavoro_core::session::{Intent, Page, Session};
use portalavoro_core::speech::{Speech, Voice};

/// The speech thread's handle.
#[derive(Resource, Clone, Deref)]
pub struct Speaker(pub Speech);

/// Whether the kiosk can speak, as last seen (the accessibility page says
/// when it cannot).
#[derive(Resource, Debug, Clone, PartialEq, Eq, Deref)]
pub struct VoiceState(pub Voice);

/// The control a visitor just touched, and its label: said aloud unless
/// the touch opened another screen (whose title is said instead).
#[derive(Resource, Default)]
pub struct Tapped(pub Option<(Intent, String)>);

/// The long press on the attract loop.
#[derive(Resource)]
struct Hold(gesture::Hold);

impl Default for Hold {
    fn default() -> Hold {
        Hold(gesture::Hold::long_press())
    }
}

pub(super) fn plugin(speech: Speech) -> impl Plugin {
    move |app: &mut App| {
        let voice = speech.voice();
        app.insert_resource(Speaker(speech.clone()))
            .insert_resource(VoiceState(voice))
            .init_resource::<Tapped>()
            .init_resource::<Hold>()
            .add_systems(
                PreUpdate,
                long_press
                    .before(super::session::track_visitor)
                    .before(bevy::picking::PickingSystems::Input),
            )
            .add_systems(
                Update,
                (
                    watch_voice.in_set(AppSystems::Receive),
                    speak.in_set(AppSystems::Schedule),
                ),
            );
    }
}

/// Notices when the speech thread has found out whether it can speak.
fn watch_voice(speaker: Res<Speaker>, mut state: ResMut<VoiceState>) {
    let voice = speaker.voice();
    if state.0 != voice {
        state.0 = voice;
    }
}

/// A finger held [`LONG_PRESS`](portalavoro_core::gesture::LONG_PRESS) on the attract
/// loop (it woke the kiosk when it went down) turns speech on.
fn long_press(
    mut hold: ResMut<Hold>,
    mut input: HoldInput,
    mode: Res<State<Mode>>,
    mut session: ResMut<VisitorSession>,
    sounds: Res<Sounds>,
    voice: Res<VoiceState>,
) {
    let asleep = *mode.get() == Mode::Attract;
    if input.fired(&mut hold.0, asleep) {
        if matches!(voice.0, Voice::Unavailable(_)) {
            info!("speech: asked for by a long press, but not available");
            sounds.tone(Tone::Unavailable);
        } else if !session.access.speech {
            info!("speech: on, by a long press");
            sounds.tone(Tone::SpeechOn);
            session.apply(Intent::Access(Setting::Speech));
        }
    }
}

/// What was said last: the page and language its title was said for,
/// and whether speech was on.
#[derive(Default)]
struct Said {
    heard: Option<(Page, Lang)>,
    on: bool,
}

/// What changed since the last frame decides what is said.
fn speak(
    session: Res<VisitorSession>,
    mut tapped: ResMut<Tapped>,
    speaker: Res<Speaker>,
    look: Look,
    content: Res<Content>,
    mut said: Local<Said>,
) {
    let tap = tapped.0.take();
    if !session.is_changed() && tap.is_none() {
        return;
    }
    if !session.access.speech {
        if said.on {
            speaker.hush();
        }
        *said = Said::default();
        return;
    }
    let (config, strings) = (&look.config, &look.strings);
    let lang = session.language(&config.display.language).clone();
    let place = (session.page.clone(), lang.clone());
    let t = |key: &str| strings.get(&lang, key).to_string();
    let text = if said.heard.as_ref() != Some(&place) || !said.on {
        let title = screen_words(
            &session,
            strings,
            &lang,
            &config.display.language,
            &content,
            look.clock.now(),
        );
        if said.on {
            title
        } else {
            format!("{}. {title}", t("speech_started"))
        }
    } else if let Some((intent, label)) = tap {
        match intent {
            Intent::Access(setting) => setting_words(setting, &session, strings, &lang),
            _ => label,
        }
    } else {
        return;
    };
    said.on = true;
    said.heard = Some(place);
    if !text.trim().is_empty() {
        speaker.say(text, &lang);
    }
}

/// What a screen is called, and the item it shows: "Offerte di lavoro.
/// Cuoco/a. Hotel Sassi, Matera. Codice offerta V-1".
fn screen_words(
    session: &Session,
    strings: &portalavoro_core::i18n::Translations,
    lang: &Lang,
    default: &Lang,
    content: &Content,
    now: jiff::Timestamp,
) -> String {
    let t = |key: &str| strings.get(lang, key).to_string();
    let mut words = match &session.page {
        Page::Home => vec![t("home_welcome"), t("home_prompt")],
        Page::Vacancies => vec![t("title_vacancies")],
        Page::Vacancy(_) => vec![t("title_vacancies")],
        Page::News | Page::NewsItem(_) => vec![t("title_news")],
        Page::Rooms => vec![t("title_rooms")],
        Page::Accessibility => vec![t("title_access"), t("access_intro")],
    };
    match &session.page {
        Page::Vacancy(id) => {
            if let Some(vacancy) = content
                .open_vacancies(now)
                .into_iter()
                .find(|v| &v.id == id)
            {
                words.push(vacancy.title.get(lang, default).to_string());
                words.extend(vacancy.employer.iter().cloned());
                words.extend(vacancy.municipality.iter().cloned());
                if let Some(code) = &vacancy.reference {
                    // Spelled out, as it is to be repeated at the desk.
                    let spelled: Vec<String> = code.chars().map(String::from).collect();
                    words.push(format!("{} {}", t("reference_label"), spelled.join(" ")));
                }
            }
        }
        Page::NewsItem(id) => {
            if let Some(item) = content.visible_news(now).into_iter().find(|n| &n.id == id) {
                words.push(item.title.get(lang, default).to_string());
                words.extend(
                    item.summary
                        .iter()
                        .map(|s| s.get(lang, default).to_string()),
                );
            }
        }
        _ => {}
    }
    words.join(". ")
}

/// "Alto contrasto: Attivo".
fn setting_words(
    setting: Setting,
    session: &Session,
    strings: &portalavoro_core::i18n::Translations,
    lang: &Lang,
) -> String {
    let t = |key: &str| strings.get(lang, key).to_string();
    let state = |on: bool| t(if on { "access_on" } else { "access_off" });
    let access = &session.access;
    match setting {
        Setting::TextSize(size) => format!("{}: {}", t("access_text_size"), t(text_size_key(size))),
        Setting::HighContrast => {
            format!("{}: {}", t("access_contrast"), state(access.high_contrast))
        }
        Setting::Reach => format!("{}: {}", t("access_reach"), state(access.reach)),
        Setting::ReducedMotion => {
            format!("{}: {}", t("access_motion"), state(access.reduced_motion))
        }
        Setting::Speech => format!("{}: {}", t("access_speech"), state(access.speech)),
    }
}

/// The string key naming a text size.
pub fn text_size_key(size: TextSize) -> &'static str {
    match size {
        TextSize::Normal => "text_normal",
        TextSize::Large => "text_large",
        TextSize::Largest => "text_largest",
    }
}
