//! Spoken output in the app: with "read aloud" on, each new screen's title
//! (and the item it shows, or that the list is empty) is said in the
//! visitor's language, and so is each control they touch or reach from
//! the keypad, with its role, its state and its place in a list; turning
//! it off, or the session ending, stops the voice at once.
//!
//! A visitor who cannot see the screen turns it on with a long press
//! anywhere on the attract loop, or with any key of a keypad (`keypad`):
//! two rising notes say it is on (two falling ones that this kiosk cannot
//! speak); a key also hears how to use the keypad. The keypad's voice keys
//! repeat, pause, stop, and change the voice's own volume and rate, which
//! go back to the site's at the session's end. Clicks are left out while
//! the voice is on.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::feed::Content;
use super::session::{HoldInput, Mode, VisitorSession};
use super::shared::AppSystems;
use super::sound::Sounds;
use super::theme::Look;
use portalavoro_core::access::{Setting, SpeechRate, SpeechVolume, TextSize};
use portalavoro_core::appointment::{Appointment, Refusal};
use portalavoro_core::audio::Tone;
use portalavoro_core::config::KeyAction;
use portalavoro_core::content::{Access, Lang, VacancyIndex};
use portalavoro_core::gesture;
use portalavoro_core::i18n::Translations;
use portalavoro_core::session::{Intent, Page, Session};
use portalavoro_core::speech::{Speech, Tune, Voice};

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

/// A keypad key for the voice (help, repeat, pause, stop, volume, rate).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoiceKey(pub KeyAction);

/// Set when a visitor asked how to use the keypad: said with the next words.
#[derive(Resource, Default)]
pub struct HelpAsked(pub bool);

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
            .init_resource::<HelpAsked>()
            .init_resource::<Hold>()
            .add_message::<VoiceKey>()
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
                    (voice_keys, speak).chain().in_set(AppSystems::Schedule),
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
        turn_on(&mut session, &sounds, &voice, "a long press");
    }
}

/// Turns speech on for a visitor who may not see the screen, with two
/// rising notes, or two falling ones when this kiosk cannot speak.
/// Whether it is on.
pub fn turn_on(session: &mut Session, sounds: &Sounds, voice: &Voice, by: &str) -> bool {
    if matches!(voice, Voice::Unavailable(_)) {
        info!("speech: asked for by {by}, but not available");
        sounds.tone(Tone::Unavailable);
        return false;
    }
    if !session.access.speech {
        info!("speech: on, by {by}");
        sounds.tone(Tone::SpeechOn);
        session.apply(Intent::Access(Setting::Speech));
    }
    true
}

/// The keypad's voice keys. With speech off, any of them turns it on and
/// says how to use the keypad.
fn voice_keys(
    mut keys: MessageReader<VoiceKey>,
    mut session: ResMut<VisitorSession>,
    mut help: ResMut<HelpAsked>,
    speaker: Res<Speaker>,
    sounds: Res<Sounds>,
    voice: Res<VoiceState>,
    words: Words,
) {
    for VoiceKey(action) in keys.read() {
        if !session.access.speech {
            help.0 = turn_on(&mut session, &sounds, &voice, "a keypad key");
            continue;
        }
        let said = match action {
            KeyAction::Help => {
                help.0 = true;
                None
            }
            KeyAction::Repeat => {
                speaker.repeat();
                None
            }
            KeyAction::Pause => {
                speaker.pause();
                None
            }
            KeyAction::Stop => {
                speaker.stop();
                None
            }
            KeyAction::VolumeUp | KeyAction::VolumeDown => {
                let volume = session.access.speech_volume;
                let step = if *action == KeyAction::VolumeUp {
                    volume.louder()
                } else {
                    volume.quieter()
                };
                session.access.speech_volume = step.unwrap_or(volume);
                Some(words.volume(session.access.speech_volume, &session))
            }
            KeyAction::Rate => {
                session.access.speech_rate = session.access.speech_rate.next();
                Some(words.rate(session.access.speech_rate, &session))
            }
            _ => None,
        };
        if let Some(text) = said {
            // Said as it now sounds.
            speaker.set_tune(Tune::of(&session.access));
            speaker.say(text, &words.lang(&session));
        }
    }
}

/// What was said last: the page and language its title was said for,
/// and whether speech was on.
#[derive(Default)]
struct Said {
    heard: Option<(Page, Lang)>,
    on: bool,
    /// The booking's state as last said (said again when it changes).
    appointment: Option<String>,
}

/// What changed since the last frame decides what is said.
fn speak(
    session: Res<VisitorSession>,
    mut tapped: ResMut<Tapped>,
    mut help: ResMut<HelpAsked>,
    speaker: Res<Speaker>,
    words: Words,
    mut said: Local<Said>,
) {
    let tap = tapped.0.take();
    let help = std::mem::take(&mut help.0);
    if !session.is_changed() && tap.is_none() && !help {
        return;
    }
    if session.is_changed() {
        // The session's end brings the site's volume and rate back.
        speaker.set_tune(Tune::of(&session.access));
    }
    if !session.access.speech {
        if said.on {
            speaker.hush();
        }
        *said = Said::default();
        return;
    }
    let lang = words.lang(&session);
    let place = (session.page.clone(), lang.clone());
    let t = |key: &str| words.t(&lang, key);
    // A new language hears the help again, in it.
    let new_language = said.heard.as_ref().is_some_and(|(_, heard)| *heard != lang);
    let mut parts = Vec::new();
    if !said.on {
        parts.push(t("speech_started"));
    }
    if help || new_language {
        parts.push(t("speech_help"));
    }
    let appointment = words.appointment(&session);
    if said.heard.as_ref() != Some(&place) || !said.on {
        parts.push(words.screen(&session));
    } else if appointment.is_some() && appointment != said.appointment {
        // The hub answered (the times, the code held, a refusal), or the
        // visitor chose another day: said as it comes.
        parts.extend(appointment.clone());
    } else if let Some((intent, label)) = tap {
        // What the control is now: "Ristorazione, pulsante, selezionato".
        parts.push(match intent {
            Intent::Access(setting) => words.setting(setting, &session),
            _ if session.shows_on(&intent).is_some() => words.control(&intent, &label, &session).0,
            _ => label,
        });
    }
    said.on = true;
    said.heard = Some(place);
    said.appointment = appointment;
    let text = sentences(&parts);
    if !text.trim().is_empty() {
        speaker.say(text, &lang);
    }
}

/// What the kiosk says, in the visitor's language.
#[derive(SystemParam)]
pub struct Words<'w> {
    look: Look<'w>,
    content: Res<'w, Content>,
}

impl Words<'_> {
    fn strings(&self) -> &Translations {
        &self.look.strings
    }

    fn t(&self, lang: &Lang, key: &str) -> String {
        self.strings().get(lang, key).to_string()
    }

    /// The language the visitor hears.
    pub fn lang(&self, session: &Session) -> Lang {
        session.language(&self.look.config.display.language).clone()
    }

    /// A control reached or touched a first time, and the language to say
    /// it in: its name, then its role, state or place ("Cuoco/a, pulsante,
    /// offerta 3 di 49"; "Alto contrasto, Attivo"). A language is said in
    /// itself, so that its speakers know it.
    pub fn control(&self, intent: &Intent, label: &str, session: &Session) -> (String, Lang) {
        let lang = self.lang(session);
        let t = |key: &str| self.t(&lang, key);
        let text = match intent {
            Intent::Language(other) => {
                return (self.t(other, "language_name"), other.clone());
            }
            // The bar's "stop the voice" does what the speech switch does,
            // and is said by its own name.
            Intent::Access(Setting::Speech) if label == t("speech_stop") => {
                format!("{label}, {}", t("role_button"))
            }
            Intent::Access(setting) => self.setting(*setting, session),
            Intent::Open(Page::Vacancy(id)) => {
                let now = self.look.clock.now();
                let index = VacancyIndex::new(self.content.open_vacancies(now));
                let found = index.search(&session.vacancy_query);
                let place = found.iter().position(|v| &v.id == id);
                self.placed(label, place, found.len(), "position_vacancy", &lang)
            }
            Intent::Open(Page::NewsItem(id)) => {
                let news = self.content.visible_news(self.look.clock.now());
                let place = news.iter().position(|n| &n.id == id);
                self.placed(label, place, news.len(), "position_news", &lang)
            }
            _ => {
                let state = match (intent, session.shows_on(intent)) {
                    (Intent::ShowFacet(_), Some(true)) => format!(", {}", t("state_open")),
                    (Intent::ShowFacet(_), Some(false)) => format!(", {}", t("state_closed")),
                    (_, Some(true)) => format!(", {}", t("state_selected")),
                    (_, Some(false)) => format!(", {}", t("state_not_selected")),
                    (_, None) => String::new(),
                };
                format!("{label}, {}{state}", t("role_button"))
            }
        };
        (text, lang)
    }

    fn placed(
        &self,
        label: &str,
        place: Option<usize>,
        of: usize,
        key: &str,
        lang: &Lang,
    ) -> String {
        let role = self.t(lang, "role_button");
        match place {
            Some(at) => format!("{label}, {role}, {}", self.n_of(lang, key, at + 1, of)),
            None => format!("{label}, {role}"),
        }
    }

    /// "offerta 3 di 49", "Volume 4 di 5": `key` with `{n}` and `{count}`.
    fn n_of(&self, lang: &Lang, key: &str, n: usize, count: usize) -> String {
        let (n, count) = (n.to_string(), count.to_string());
        self.strings()
            .format(lang, key, &[("n", &n), ("count", &count)])
    }

    /// "Alto contrasto, Attivo"; "Dimensione del testo: Grande, Spento".
    pub fn setting(&self, setting: Setting, session: &Session) -> String {
        let lang = self.lang(session);
        let t = |key: &str| self.t(&lang, key);
        let name = match setting {
            Setting::TextSize(size) => {
                format!("{}: {}", t("access_text_size"), t(text_size_key(size)))
            }
            Setting::HighContrast => t("access_contrast"),
            Setting::Reach => t("access_reach"),
            Setting::ReducedMotion => t("access_motion"),
            Setting::Speech => t("access_speech"),
        };
        let on = session.access.is_on(setting);
        format!("{name}, {}", t(if on { "access_on" } else { "access_off" }))
    }

    /// "Volume 4 di 5".
    fn volume(&self, volume: SpeechVolume, session: &Session) -> String {
        let (n, count) = (volume.step().into(), SpeechVolume::STEPS.into());
        self.n_of(&self.lang(session), "speech_volume", n, count)
    }

    /// "Velocità della voce: veloce".
    fn rate(&self, rate: SpeechRate, session: &Session) -> String {
        let lang = self.lang(session);
        let key = match rate {
            SpeechRate::Normal => "rate_normal",
            SpeechRate::Faster => "rate_faster",
            SpeechRate::Slower => "rate_slower",
        };
        format!("{}: {}", self.t(&lang, "speech_rate"), self.t(&lang, key))
    }

    /// What a screen is called, and what it shows: "Offerte di lavoro.
    /// Cuoco/a. Hotel Sassi. Matera. Codice offerta V 1. …", or that a list
    /// is empty, or that an item is gone.
    pub fn screen(&self, session: &Session) -> String {
        let lang = self.lang(session);
        let default = &self.look.config.display.language;
        let t = |key: &str| self.t(&lang, key);
        let now = self.look.clock.now();
        let count = |key: &str, n: usize| self.strings().count(&lang, key, n);
        let mut words = match &session.page {
            Page::Home => vec![t("home_welcome"), t("home_prompt")],
            Page::Vacancies | Page::Vacancy(_) => vec![t("title_vacancies")],
            Page::News | Page::NewsItem(_) => vec![t("title_news")],
            Page::Rooms => vec![t("title_rooms")],
            Page::Services | Page::Service(_) => vec![t("title_services")],
            Page::Accessibility => vec![t("title_access"), t("access_intro")],
        };
        match &session.page {
            Page::Vacancies => {
                let index = VacancyIndex::new(self.content.open_vacancies(now));
                let found = index.search(&session.vacancy_query).len();
                words.push(match found {
                    0 => t("results_none"),
                    n => count("results_count", n),
                });
            }
            Page::News if self.content.visible_news(now).is_empty() => words.push(t("news_none")),
            Page::Rooms => {
                let tz = &self.look.config.display.timezone;
                words.push(match self.content.todays_public_events(now, tz).len() {
                    0 => t("events_none"),
                    n => count("tile_rooms_count", n),
                });
                if self.content.room_states(now, tz).is_empty() {
                    words.push(t("rooms_none"));
                }
            }
            Page::Vacancy(id) => {
                let open = self.content.open_vacancies(now);
                let Some(vacancy) = open.into_iter().find(|v| &v.id == id) else {
                    words.push(t("vacancy_gone"));
                    return sentences(&words);
                };
                words.push(vacancy.title.get(&lang, default).to_string());
                words.extend(vacancy.employer.iter().cloned());
                words.extend(vacancy.municipality.iter().cloned());
                if let Some(code) = &vacancy.reference {
                    // Spelled out, as it is to be repeated at the desk.
                    let spelled: Vec<String> = code.chars().map(String::from).collect();
                    words.push(format!("{} {}", t("reference_label"), spelled.join(" ")));
                    words.push(t("reference_hint"));
                }
                words.push(match &vacancy.apply_url {
                    Some(_) => format!("{}: {}", t("qr_spoken"), t("qr_apply")),
                    None => t("apply_at_desk"),
                });
                if let Some(description) = &vacancy.description {
                    words.push(description.get(&lang, default).to_string());
                }
            }
            Page::NewsItem(id) => {
                let news = self.content.visible_news(now);
                let Some(item) = news.into_iter().find(|n| &n.id == id) else {
                    words.push(t("news_gone"));
                    return sentences(&words);
                };
                words.push(item.title.get(&lang, default).to_string());
                words.extend(
                    item.summary
                        .iter()
                        .map(|s| s.get(&lang, default).to_string()),
                );
                if item.link.is_some() {
                    words.push(format!("{}: {}", t("qr_spoken"), t("qr_news")));
                }
            }
            Page::Services => words.push(match self.content.services.len() {
                0 => t("services_none"),
                n => count("tile_services_count", n),
            }),
            Page::Service(id) => {
                let Some(service) = self.content.service(id) else {
                    words.push(t("services_gone"));
                    return sentences(&words);
                };
                let text =
                    |text: &portalavoro_core::content::Text| text.get(&lang, default).to_string();
                words.push(text(&service.name));
                words.push(t(&format!("service_access_{}", service.access.key())));
                words.push(text(&service.summary));
                if let Some(audience) = &service.audience {
                    words.push(format!("{}: {}", t("service_audience"), text(audience)));
                }
                if !service.bring.is_empty() {
                    let things: Vec<String> = service.bring.iter().map(text).collect();
                    words.push(format!("{}: {}", t("service_bring"), things.join(", ")));
                }
                if let Some(place) = &service.place {
                    words.push(format!("{}: {}", t("service_place"), text(place)));
                }
                if let Some(hours) = &service.hours {
                    words.push(format!("{}: {}", t("service_hours"), text(hours)));
                }
                match service.access {
                    Access::WalkIn => words.push(t("service_walk_in")),
                    Access::Online => {
                        words.push(format!("{}: {}", t("qr_spoken"), t("qr_service_online")))
                    }
                    Access::Appointment => words.push(t("appointment_title")),
                }
                words.extend(self.appointment(session));
            }
            _ => {}
        }
        sentences(&words)
    }

    /// Where the visitor's booking stands, said when it changes: the day's
    /// free times, the code held (spelled, to be typed), or why not.
    pub fn appointment(&self, session: &Session) -> Option<String> {
        let lang = self.lang(session);
        let t = |key: &str| self.t(&lang, key);
        let tz = &self.look.config.display.timezone;
        let time = |at: jiff::Timestamp| at.to_zoned(tz.clone()).strftime("%H:%M").to_string();
        let Page::Service(id) = &session.page else {
            return None;
        };
        if session.appointment.service() != Some(id.as_str()) {
            return None;
        }
        let mut words = Vec::new();
        match &session.appointment {
            Appointment::Idle | Appointment::Loading { .. } => return None,
            Appointment::Holding { .. } => words.push(t("appointment_holding")),
            Appointment::Unavailable { none_free, .. } => words.push(t(if *none_free {
                "appointment_none_free"
            } else {
                "appointment_unavailable"
            })),
            Appointment::Slots {
                days, day, refused, ..
            } => {
                if let Some(why) = refused {
                    words.push(match why {
                        Refusal::Taken => t("appointment_taken"),
                        Refusal::Limit { minutes } => {
                            self.strings()
                                .count(&lang, "appointment_limit", *minutes as usize)
                        }
                        Refusal::Unavailable => t("appointment_refused"),
                    });
                }
                if let Some(shown) = days.get(*day) {
                    let weekday = self.strings().weekday(&lang, shown.date.weekday());
                    let times: Vec<String> =
                        shown.slots.iter().map(|s| time(s.starts_at)).collect();
                    words.push(format!(
                        "{weekday} {}: {}",
                        shown.date.day(),
                        times.join(", ")
                    ));
                    words.push(t("appointment_choose_time"));
                }
            }
            Appointment::Held { hold, .. } => {
                if portalavoro_core::appointment::expired(hold, self.look.clock.now()) {
                    words.push(t("appointment_expired"));
                } else {
                    let spelled: Vec<String> = hold
                        .code
                        .chars()
                        .filter(|c| c.is_alphanumeric())
                        .map(String::from)
                        .collect();
                    words.push(self.strings().format(
                        &lang,
                        "appointment_held",
                        &[
                            ("when", &time(hold.starts_at)),
                            ("until", &time(hold.expires_at)),
                        ],
                    ));
                    words.push(format!("{} {}", t("appointment_code"), spelled.join(" ")));
                    words.push(format!("{}: {}", t("qr_spoken"), t("appointment_scan")));
                }
            }
        }
        Some(sentences(&words))
    }
}

/// Parts said one after another, each a sentence: a full stop between
/// them where a part does not end with its own ("S.r.l.", "…?").
fn sentences(parts: &[String]) -> String {
    let mut text = String::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !text.is_empty() {
            let ended = text.ends_with(['.', '!', '?', ':', '…', '؟']);
            text.push_str(if ended { " " } else { ". " });
        }
        text.push_str(part);
    }
    text
}

/// The string key naming a text size.
pub fn text_size_key(size: TextSize) -> &'static str {
    match size {
        TextSize::Normal => "text_normal",
        TextSize::Large => "text_large",
        TextSize::Largest => "text_largest",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_become_sentences_with_one_full_stop_between() {
        let parts = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            super::sentences(&parts(&[
                "Offerte di lavoro",
                "Cuoco",
                "Hotel S.r.l.",
                "Matera"
            ])),
            "Offerte di lavoro. Cuoco. Hotel S.r.l. Matera"
        );
        assert_eq!(
            super::sentences(&parts(&["Ci sei ancora?", "", " Tocca "])),
            "Ci sei ancora? Tocca"
        );
        assert_eq!(super::sentences(&[]), "");
    }
}
