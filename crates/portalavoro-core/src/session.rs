//! A visitor's session, and the idle timer that ends it. Pure: time comes in
//! as a `Duration` since start, so tests drive it second by second.
//!
//! Active ──(idle_timeout without a touch)──▶ Warning ──(warning time)──▶ Attract
//!   ▲                                          │ touch: "Continue"          │
//!   └──────────────────────────────────────────┘                            │
//!   └────────── touch (swallowed: it only wakes the kiosk) ◀────────────────┘

use std::collections::BTreeSet;
use std::time::Duration;

use crate::access::{Access, Setting};
use crate::appointment::{Appointment, Ask};
use crate::content::{Contract, Hours, Lang, VacancyQuery};

/// Where the idle timer is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// Nobody is using the kiosk: the attract loop runs.
    Attract,
    /// A visitor is using it; `last_touch` is their latest input.
    Active { last_touch: Duration },
    /// "Are you still there?": the session ends at `ends_at` unless touched.
    Warning { ends_at: Duration },
}

/// What a touch should do, beyond resetting the timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// Pass it on to the control under the finger.
    Use,
    /// Only wake (from attract) or dismiss the warning: the control under
    /// the finger must not be activated by it.
    Swallow,
}

/// What the timer decided on a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Show the "Are you still there?" prompt.
    Warn,
    /// The session is over: clear it and go back to the attract loop.
    Reset,
}

#[derive(Debug, Clone)]
pub struct IdleTimer {
    pub idle_timeout: Duration,
    /// How long the warning stays before the reset.
    pub warning: Duration,
    /// More time for a visitor using accessibility settings (see
    /// [`EXTRA_TIME`]).
    pub extra_time: bool,
    phase: Phase,
}

/// In accessibility mode the idle timeout and the warning are this many
/// times longer: reading with a screen magnified, or by ear, is slower.
pub const EXTRA_TIME: u32 = 3;

impl IdleTimer {
    pub fn new(idle_timeout: Duration, warning: Duration) -> IdleTimer {
        IdleTimer {
            idle_timeout,
            warning,
            extra_time: false,
            phase: Phase::Attract,
        }
    }

    /// The idle timeout and warning in force (longer with extra time).
    pub fn limits(&self) -> (Duration, Duration) {
        let factor = if self.extra_time { EXTRA_TIME } else { 1 };
        (self.idle_timeout * factor, self.warning * factor)
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Seconds left before the reset, while warning.
    pub fn countdown(&self, now: Duration) -> Option<Duration> {
        match self.phase {
            Phase::Warning { ends_at } => Some(ends_at.saturating_sub(now)),
            _ => None,
        }
    }

    /// A touch, click or key press at `now`.
    pub fn touch(&mut self, now: Duration) -> Touch {
        let outcome = match self.phase {
            Phase::Attract | Phase::Warning { .. } => Touch::Swallow,
            Phase::Active { .. } => Touch::Use,
        };
        self.phase = Phase::Active { last_touch: now };
        outcome
    }

    /// Ends a session at once, without the warning (the hub closed).
    pub fn end(&mut self) {
        self.phase = Phase::Attract;
    }

    /// Advances the timer to `now`.
    pub fn tick(&mut self, now: Duration) -> Option<Change> {
        let (idle_timeout, warning) = self.limits();
        match self.phase {
            Phase::Active { last_touch } if now.saturating_sub(last_touch) >= idle_timeout => {
                self.phase = Phase::Warning {
                    ends_at: now + warning,
                };
                Some(Change::Warn)
            }
            Phase::Warning { ends_at } if now >= ends_at => {
                self.phase = Phase::Attract;
                Some(Change::Reset)
            }
            _ => None,
        }
    }

    /// When the next tick can change something (to sleep until then).
    pub fn next_deadline(&self) -> Option<Duration> {
        match self.phase {
            Phase::Attract => None,
            Phase::Active { last_touch } => Some(last_touch + self.limits().0),
            Phase::Warning { ends_at } => Some(ends_at),
        }
    }
}

/// A screen of the touch interface, with what it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Page {
    #[default]
    Home,
    Vacancies,
    /// One vacancy, by id.
    Vacancy(String),
    News,
    /// One news item, by id.
    NewsItem(String),
    Rooms,
    /// What the hub offers.
    Services,
    /// One service, by id: what it is, what to bring, where; booking one
    /// by appointment.
    Service(String),
    /// The accessibility settings.
    Accessibility,
}

impl Page {
    /// For logs, the heartbeat and `systemctl status`.
    pub fn name(&self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Vacancies => "vacancies",
            Page::Vacancy(_) => "vacancy",
            Page::News => "news",
            Page::NewsItem(_) => "news item",
            Page::Rooms => "rooms",
            Page::Services => "services",
            Page::Service(_) => "service",
            Page::Accessibility => "accessibility",
        }
    }
}

/// A filter group of the vacancy list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Facet {
    Sector,
    Town,
    Contract,
    Hours,
}

impl Facet {
    pub const ALL: [Facet; 4] = [Facet::Sector, Facet::Town, Facet::Contract, Facet::Hours];
}

/// One value of a filter group, as a visitor toggles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Sector(String),
    Town(String),
    Contract(Contract),
    Hours(Hours),
}

/// What a visitor's touch asks for. Every control of the interface carries
/// one; [`Session::apply`] is the only place that changes a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Open(Page),
    Back,
    Home,
    Language(Lang),
    /// Show one filter group's choices (again: hide them).
    ShowFacet(Facet),
    Toggle(Filter),
    ClearFilters,
    /// Go to a page of a list.
    ListPage(List, usize),
    /// Open or close the on-screen keyboard.
    Keyboard(bool),
    Type(char),
    Erase,
    ClearText,
    /// Close an urgent announcement for this session.
    Dismiss(String),
    /// Change an accessibility setting.
    Access(Setting),
    /// Show another day's free times of the service on screen.
    Day(usize),
    /// Hold the slot with this id for the visitor.
    HoldSlot(String),
    /// Let go of the slot held (the visitor changed their mind).
    Release,
    /// Ask for the service's free slots again.
    Retry,
}

/// How many screens "Back" remembers.
const HISTORY: usize = 16;
/// The longest search text (a keyboard can be held down).
const MAX_SEARCH_CHARS: usize = 60;

/// Everything a visitor's session holds; none of it outlives the session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    pub page: Page,
    /// The pages "Back" returns to, latest last.
    pub history: Vec<Page>,
    /// The visitor's language choice; `None`: the kiosk's default.
    pub language: Option<Lang>,
    pub vacancy_query: VacancyQuery,
    /// The page shown of each list.
    pub pages: ListPages,
    /// The filter group whose choices are shown.
    pub open_facet: Option<Facet>,
    /// Whether the on-screen keyboard is up.
    pub keyboard: bool,
    /// Urgent announcements this visitor dismissed, by id.
    pub dismissed: BTreeSet<String>,
    /// Text size, contrast, reach, motion and speech.
    pub access: Access,
    /// With speech on: the control last touched once, said aloud and not
    /// yet done (see [`Session::tap`]).
    pub selected: Option<Intent>,
    /// An appointment being booked.
    pub appointment: Appointment,
    /// What must be asked of the hub for it, not yet sent.
    pub outbox: Vec<Ask>,
}

/// A list the visitor pages through: none spawns more than a page of
/// items, whatever the hub sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Vacancies,
    News,
    Rooms,
    Events,
    Services,
}

/// The page shown of each list (0-based). Ordered field by field: one
/// step of the visitor moves one list, so "greater" is "further on".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ListPages {
    pub vacancies: usize,
    pub news: usize,
    pub rooms: usize,
    pub events: usize,
    pub services: usize,
}

impl ListPages {
    pub fn get(&self, list: List) -> usize {
        match list {
            List::Vacancies => self.vacancies,
            List::News => self.news,
            List::Rooms => self.rooms,
            List::Events => self.events,
            List::Services => self.services,
        }
    }

    fn set(&mut self, list: List, index: usize) {
        *match list {
            List::Vacancies => &mut self.vacancies,
            List::News => &mut self.news,
            List::Rooms => &mut self.rooms,
            List::Events => &mut self.events,
            List::Services => &mut self.services,
        } = index;
    }
}

/// What a tap on a control does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tap {
    /// Say what the control is (speech on, first tap).
    Say,
    /// Do what it asks.
    Do,
}

impl Session {
    /// The visitor's language, else the kiosk's.
    pub fn language<'a>(&'a self, kiosk_default: &'a Lang) -> &'a Lang {
        self.language.as_ref().unwrap_or(kiosk_default)
    }

    /// Whether a control that is on or off is on, as its look shows it: a
    /// filter chosen, a filter group open, a setting in force; `None` for
    /// a control without such a state (what a voice says after its name).
    pub fn shows_on(&self, intent: &Intent) -> Option<bool> {
        let q = &self.vacancy_query;
        match intent {
            Intent::Toggle(Filter::Sector(v)) => Some(q.sectors.contains(v)),
            Intent::Toggle(Filter::Town(v)) => Some(q.towns.contains(v)),
            Intent::Toggle(Filter::Contract(v)) => Some(q.contracts.contains(v)),
            Intent::Toggle(Filter::Hours(v)) => Some(q.hours.contains(v)),
            Intent::ShowFacet(facet) => Some(self.open_facet == Some(*facet)),
            Intent::Access(setting) => Some(self.access.is_on(*setting)),
            _ => None,
        }
    }

    /// Whether `other` is this session with other text typed into the
    /// search, and nothing else changed (a screen redraws only its page).
    pub fn differs_only_in_search_text(&self, other: &Session) -> bool {
        if self.vacancy_query.text == other.vacancy_query.text {
            return false;
        }
        let mut same = other.clone();
        same.vacancy_query.text.clone_from(&self.vacancy_query.text);
        same == *self
    }

    /// Ends the session: nothing of it remains for the next visitor.
    pub fn reset(&mut self) {
        *self = Session::default();
    }

    /// A visitor's tap on a control. With speech on, a first tap only says
    /// what the control is, and a second tap on it does it, as screen
    /// readers on phones do: a visitor who cannot see finds their way by
    /// touch without setting anything off. Turning speech off takes one.
    pub fn tap(&mut self, intent: Intent) -> Tap {
        let speech_off = intent == Intent::Access(Setting::Speech);
        if self.access.speech && !speech_off && self.selected.as_ref() != Some(&intent) {
            self.selected = Some(intent);
            return Tap::Say;
        }
        self.selected = None;
        self.apply(intent);
        Tap::Do
    }

    /// Does what a control asks.
    pub fn apply(&mut self, intent: Intent) {
        match intent {
            Intent::Open(page) => {
                // A list opened afresh starts at its first page (Back
                // returns to the page left).
                match &page {
                    Page::News => self.pages.news = 0,
                    Page::Rooms => (self.pages.rooms, self.pages.events) = (0, 0),
                    Page::Services => self.pages.services = 0,
                    // Another service: its own booking (the app starts it
                    // if the service is by appointment).
                    Page::Service(id) if self.appointment.service() != Some(id) => {
                        self.appointment = Appointment::Idle;
                    }
                    _ => {}
                }
                if page != self.page {
                    let from = std::mem::replace(&mut self.page, page);
                    self.history.push(from);
                    if self.history.len() > HISTORY {
                        self.history.remove(0);
                    }
                }
                self.keyboard = false;
            }
            Intent::Back => {
                self.page = self.history.pop().unwrap_or_default();
                self.keyboard = false;
            }
            Intent::Home => {
                self.page = Page::Home;
                self.history.clear();
                self.keyboard = false;
            }
            Intent::Language(lang) => self.language = Some(lang),
            Intent::ShowFacet(facet) => {
                self.open_facet = (self.open_facet != Some(facet)).then_some(facet);
                self.keyboard = false;
            }
            Intent::Toggle(filter) => {
                let q = &mut self.vacancy_query;
                match filter {
                    Filter::Sector(v) => toggle(&mut q.sectors, v),
                    Filter::Town(v) => toggle(&mut q.towns, v),
                    Filter::Contract(v) => toggle(&mut q.contracts, v),
                    Filter::Hours(v) => toggle(&mut q.hours, v),
                }
                self.pages.vacancies = 0;
            }
            Intent::ClearFilters => {
                self.vacancy_query = VacancyQuery::default();
                self.pages.vacancies = 0;
                self.open_facet = None;
            }
            Intent::ListPage(list, index) => self.pages.set(list, index),
            Intent::Keyboard(open) => {
                self.keyboard = open;
                if open {
                    self.open_facet = None;
                }
            }
            Intent::Type(c) => {
                if self.vacancy_query.text.chars().count() < MAX_SEARCH_CHARS {
                    self.vacancy_query.text.push(c);
                    self.pages.vacancies = 0;
                }
            }
            Intent::Erase => {
                self.vacancy_query.text.pop();
                self.pages.vacancies = 0;
            }
            Intent::ClearText => {
                self.vacancy_query.text.clear();
                self.pages.vacancies = 0;
            }
            Intent::Dismiss(id) => {
                self.dismissed.insert(id);
            }
            Intent::Access(setting) => self.access.apply(setting),
            Intent::Day(index) => self.appointment.choose_day(index),
            Intent::HoldSlot(id) => self.appointment.hold(&id, &mut self.outbox),
            Intent::Release => self.appointment.release(&mut self.outbox),
            Intent::Retry => {
                if let Some(service) = self.appointment.service().map(str::to_string) {
                    self.appointment.start(&service, &mut self.outbox);
                }
            }
        }
    }
}

fn toggle<T: Ord>(set: &mut BTreeSet<T>, value: T) {
    if !set.remove(&value) {
        set.insert(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn idle_warning_reset_attract_wake() {
        let mut timer = IdleTimer::new(s(90), s(20));
        assert_eq!(timer.phase(), Phase::Attract);
        assert_eq!(timer.tick(s(1000)), None, "attract waits for a touch");

        assert_eq!(
            timer.touch(s(1000)),
            Touch::Swallow,
            "the waking touch activates nothing"
        );
        assert_eq!(timer.touch(s(1010)), Touch::Use);
        assert_eq!(timer.tick(s(1099)), None, "89 s idle");
        assert_eq!(timer.next_deadline(), Some(s(1100)));
        assert_eq!(timer.tick(s(1100)), Some(Change::Warn));
        assert_eq!(timer.countdown(s(1105)), Some(s(15)));
        assert_eq!(timer.tick(s(1119)), None);
        assert_eq!(timer.tick(s(1120)), Some(Change::Reset));
        assert_eq!(timer.phase(), Phase::Attract);
        assert_eq!(timer.tick(s(5000)), None);
    }

    #[test]
    fn accessibility_mode_gives_three_times_the_time() {
        let mut timer = IdleTimer::new(s(60), s(20));
        timer.extra_time = true;
        timer.touch(s(0));
        assert_eq!(timer.tick(s(179)), None);
        assert_eq!(timer.next_deadline(), Some(s(180)));
        assert_eq!(timer.tick(s(180)), Some(Change::Warn));
        assert_eq!(timer.countdown(s(180)), Some(s(60)), "a minute to answer");
        assert_eq!(timer.tick(s(239)), None);
        assert_eq!(timer.tick(s(240)), Some(Change::Reset));
        timer.extra_time = false;
        assert_eq!(timer.limits(), (s(60), s(20)));
    }

    #[test]
    fn continue_during_the_warning_extends_the_session() {
        let mut timer = IdleTimer::new(s(60), s(20));
        timer.touch(s(0));
        assert_eq!(timer.tick(s(60)), Some(Change::Warn));
        assert_eq!(
            timer.touch(s(70)),
            Touch::Swallow,
            "the touch answers the prompt only"
        );
        assert_eq!(timer.tick(s(90)), None, "the session goes on");
        assert_eq!(
            timer.tick(s(130)),
            Some(Change::Warn),
            "60 s after the last touch"
        );
    }

    #[test]
    fn a_late_tick_still_warns_before_it_resets() {
        let mut timer = IdleTimer::new(s(60), s(20));
        timer.touch(s(0));
        // The app slept (no frames) far past both deadlines.
        assert_eq!(timer.tick(s(500)), Some(Change::Warn));
        assert_eq!(
            timer.tick(s(510)),
            None,
            "the visitor still gets the whole warning"
        );
        assert_eq!(timer.tick(s(520)), Some(Change::Reset));
    }

    #[test]
    fn reset_clears_every_piece_of_the_session() {
        let mut session = Session::default();
        for intent in [
            Intent::Language(Lang::new("en")),
            Intent::Open(Page::Vacancies),
            Intent::Keyboard(true),
            Intent::Type('s'),
            Intent::Toggle(Filter::Town("Matera".into())),
            Intent::ListPage(List::Vacancies, 3),
            Intent::ShowFacet(Facet::Sector),
            Intent::Open(Page::Vacancy("v101".into())),
            Intent::Dismiss("a1".into()),
            Intent::Access(Setting::TextSize(crate::access::TextSize::Largest)),
            Intent::Access(Setting::HighContrast),
            Intent::Access(Setting::Reach),
            Intent::Access(Setting::ReducedMotion),
            Intent::Access(Setting::Speech),
        ] {
            session.apply(intent);
        }
        assert_eq!(session.language(&Lang::new("it")), &Lang::new("en"));
        assert_eq!(session.page, Page::Vacancy("v101".into()));
        assert_eq!(session.vacancy_query.text, "s");
        assert_eq!(session.pages.vacancies, 3);
        assert!(!session.dismissed.is_empty());
        assert!(session.access.any());
        session.reset();
        assert_eq!(session, Session::default());
        assert_eq!(session.page, Page::Home);
        assert!(session.history.is_empty());
        assert_eq!(session.language(&Lang::new("it")), &Lang::new("it"));
    }

    #[test]
    fn with_speech_a_first_tap_says_and_a_second_does() {
        let mut session = Session::default();
        let news = Intent::Open(Page::News);
        assert_eq!(session.tap(news.clone()), Tap::Do, "speech off: one tap");
        assert_eq!(session.page, Page::News);
        session.apply(Intent::Home);
        session.apply(Intent::Access(Setting::Speech));

        assert_eq!(session.tap(news.clone()), Tap::Say);
        assert_eq!(session.page, Page::Home, "only said");
        let rooms = Intent::Open(Page::Rooms);
        assert_eq!(
            session.tap(rooms.clone()),
            Tap::Say,
            "another control: said"
        );
        assert_eq!(session.tap(rooms), Tap::Do);
        assert_eq!(session.page, Page::Rooms);
        assert_eq!(session.selected, None);
        assert_eq!(session.tap(news), Tap::Say, "after doing, a new first tap");

        // Stopping the voice never needs a second tap.
        assert_eq!(session.tap(Intent::Access(Setting::Speech)), Tap::Do);
        assert!(!session.access.speech);
        session.apply(Intent::Access(Setting::Speech));
        session.tap(Intent::Back);
        session.reset();
        assert_eq!(session.selected, None, "nothing selected survives a visit");
    }

    #[test]
    fn back_retraces_the_visit_and_home_forgets_it() {
        let mut session = Session::default();
        session.apply(Intent::Open(Page::News));
        session.apply(Intent::Open(Page::NewsItem("n1".into())));
        session.apply(Intent::Open(Page::NewsItem("n1".into())));
        assert_eq!(
            session.history,
            [Page::Home, Page::News],
            "a double tap opens once"
        );
        session.apply(Intent::Back);
        assert_eq!(session.page, Page::News);
        session.apply(Intent::Back);
        assert_eq!(session.page, Page::Home);
        session.apply(Intent::Back);
        assert_eq!(session.page, Page::Home, "back from home stays home");

        session.apply(Intent::Open(Page::Rooms));
        session.apply(Intent::Home);
        assert_eq!(session.page, Page::Home);
        assert!(session.history.is_empty());
        for i in 0..100 {
            session.apply(Intent::Open(Page::Vacancy(i.to_string())));
        }
        assert_eq!(session.history.len(), HISTORY);
    }

    #[test]
    fn each_list_keeps_its_page_until_it_is_opened_afresh() {
        let mut session = Session::default();
        session.apply(Intent::Open(Page::News));
        session.apply(Intent::ListPage(List::News, 3));
        session.apply(Intent::Open(Page::NewsItem("n40".into())));
        session.apply(Intent::Back);
        assert_eq!(session.pages.news, 3, "back to the page left");
        session.apply(Intent::Home);
        session.apply(Intent::Open(Page::Rooms));
        session.apply(Intent::ListPage(List::Rooms, 1));
        session.apply(Intent::ListPage(List::Events, 2));
        assert_eq!((session.pages.rooms, session.pages.events), (1, 2));
        session.apply(Intent::Home);
        session.apply(Intent::Open(Page::News));
        assert_eq!(session.pages.news, 0, "opened afresh: the first page");
        session.apply(Intent::Home);
        session.apply(Intent::Open(Page::Rooms));
        assert_eq!((session.pages.rooms, session.pages.events), (0, 0));
        assert_eq!(session.pages.vacancies, 0);
    }

    #[test]
    fn only_a_keystroke_differs_only_in_search_text() {
        let mut before = Session::default();
        before.apply(Intent::Open(Page::Vacancies));
        before.apply(Intent::Keyboard(true));
        let mut typed = before.clone();
        typed.apply(Intent::Type('a'));
        assert!(before.differs_only_in_search_text(&typed));
        let mut erased = typed.clone();
        erased.apply(Intent::Erase);
        assert!(typed.differs_only_in_search_text(&erased));
        assert!(
            !before.differs_only_in_search_text(&before.clone()),
            "nothing typed"
        );
        let mut closed = typed.clone();
        closed.apply(Intent::Keyboard(false));
        assert!(!typed.differs_only_in_search_text(&closed));
        let mut both = before.clone();
        both.apply(Intent::Type('b'));
        both.apply(Intent::Toggle(Filter::Hours(Hours::PartTime)));
        assert!(
            !before.differs_only_in_search_text(&both),
            "a filter changed too"
        );
    }

    #[test]
    fn filters_and_typing_start_the_list_again_from_its_first_page() {
        let mut session = Session::default();
        session.apply(Intent::ListPage(List::Vacancies, 4));
        session.apply(Intent::Toggle(Filter::Contract(Contract::Permanent)));
        assert_eq!(session.pages.vacancies, 0);
        assert!(
            session
                .vacancy_query
                .contracts
                .contains(&Contract::Permanent)
        );
        session.apply(Intent::Toggle(Filter::Contract(Contract::Permanent)));
        assert!(
            session.vacancy_query.contracts.is_empty(),
            "a second touch removes it"
        );

        session.apply(Intent::ListPage(List::Vacancies, 2));
        for c in "Perché".chars() {
            session.apply(Intent::Type(c));
        }
        assert_eq!(session.vacancy_query.text, "Perché");
        assert_eq!(session.pages.vacancies, 0);
        session.apply(Intent::Erase);
        assert_eq!(session.vacancy_query.text, "Perch");
        for _ in 0..200 {
            session.apply(Intent::Type('a'));
        }
        assert_eq!(session.vacancy_query.text.chars().count(), MAX_SEARCH_CHARS);
        session.apply(Intent::ClearText);
        assert!(session.vacancy_query.text.is_empty());

        session.apply(Intent::Toggle(Filter::Hours(Hours::PartTime)));
        session.apply(Intent::ShowFacet(Facet::Hours));
        assert_eq!(session.open_facet, Some(Facet::Hours));
        session.apply(Intent::Keyboard(true));
        assert_eq!(
            session.open_facet, None,
            "the keyboard replaces the choices"
        );
        session.apply(Intent::ShowFacet(Facet::Hours));
        assert!(!session.keyboard, "and the other way round");
        session.apply(Intent::ShowFacet(Facet::Hours));
        assert_eq!(session.open_facet, None, "a second touch hides them");
        session.apply(Intent::ClearFilters);
        assert!(session.vacancy_query.is_empty());
    }

    #[test]
    fn a_control_shows_whether_it_is_on() {
        let mut session = Session::default();
        let town = Intent::Toggle(Filter::Town("Matera".into()));
        let group = Intent::ShowFacet(Facet::Town);
        let contrast = Intent::Access(Setting::HighContrast);
        for intent in [&town, &group, &contrast] {
            assert_eq!(session.shows_on(intent), Some(false), "{intent:?}");
            session.apply(intent.clone());
            assert_eq!(session.shows_on(intent), Some(true), "{intent:?}");
        }
        assert_eq!(session.shows_on(&Intent::Home), None);
        assert_eq!(session.shows_on(&Intent::Open(Page::News)), None);
    }
}
