//! The visitor's screens. Each is a function that lays out the current
//! session's page from the catalog; the whole tree is rebuilt when anything
//! it shows changes (page, content, language, theme, a picture arriving, the
//! minute: `stale` says when), which keeps every screen a plain function of
//! its inputs. A keystroke in the search redraws only the page: the header,
//! the on-screen keyboard and the navigation stay.
//!
//! Every screen has the same frame: the site's header with the clock, the
//! info banner, the page (which scrolls by dragging), the on-screen keyboard
//! when it is up, and the Back and Home controls at the bottom, always in
//! the same place.

mod accessibility;
pub(super) mod fit;
pub(super) mod frame;
mod home;
mod keyboard;
pub mod motion;
mod news;
pub(super) mod rooms;
pub(super) mod services;
mod vacancies;

#[cfg(test)]
pub use vacancies::PAGE_SIZE;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::feed::Content;
use super::pictures::Pictures;
use super::session::{Mode, VisitorSession};
use super::shared::AppSystems;
use super::stale::{Drawing, Stale};
use super::theme::Look;
use super::theme::{Theme, size};
use super::touch::DragScroll;
use portalavoro_core::appointment::Appointment;
use portalavoro_core::config::{Config, Transition};
use portalavoro_core::content::{Catalog, Lang, Text as ContentText};
use portalavoro_core::i18n::Translations;
use portalavoro_core::session::{Page, Session};

/// The root of everything on screen but the urgent overlay.
#[derive(Component)]
pub struct ScreenRoot;

/// The page's scrolling area.
#[derive(Component)]
pub struct PageScroll;

/// The column the page is laid out in, inside the scrolling area.
#[derive(Component)]
pub struct PageColumn;

/// What a page must show without scrolling, whatever the text size, the
/// orientation and the language: Home's tiles, the first row of a list.
/// The frame gives way to it (the tour checks it on every screen).
#[derive(Component)]
pub struct PageLead;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, |mut commands: Commands| {
        // No multisampling: a UI of rectangles and glyphs has no edges to
        // smooth, and four samples a pixel cost memory and, on lavapipe,
        // CPU at every frame (docs/PERFORMANCE.md). Its frames are copied
        // to and from the attract loop's slide layers.
        commands.spawn((
            Camera2d,
            Msaa::Off,
            bevy::camera::CameraMainTextureUsages::default()
                .with(bevy::render::render_resource::TextureUsages::COPY_DST),
            Name::new("Camera"),
        ));
    })
    .add_systems(
        Update,
        rebuild
            .in_set(AppSystems::Render)
            .run_if(in_state(Mode::Visitor)),
    )
    .add_plugins((motion::plugin, fit::plugin));
}

/// The column a scrolling page is laid out in. Its width is definite, so
/// wrapped text is measured at the width it is drawn at (a scroll container
/// alone lets it measure as one long line).
pub fn page_column() -> Node {
    Node {
        width: percent(100),
        flex_direction: FlexDirection::Column,
        flex_shrink: 0.0,
        row_gap: Val::VMin(size::GAP),
        ..default()
    }
}

/// The root of a whole screen: the window, a column. It paints nothing:
/// the camera's clear colour, which follows the theme, is the background
/// (one whole-screen pass less a frame; on lavapipe a frame's cost is its
/// pixels). A screen on another colour adds its `BackgroundColor`.
pub fn whole_screen() -> impl Bundle {
    (
        Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            overflow: Overflow::clip(),
            ..default()
        },
        // Rounding could shrink a text box below the width its text was
        // measured at, wrapping a line the layout gave no room for.
        LayoutConfig {
            use_rounding: false,
        },
    )
}

/// Everything a screen is drawn with but the session: for the visitor's
/// pages, the attract loop and the closed screen alike.
#[derive(SystemParam)]
pub struct Canvas<'w, 's> {
    pub look: Look<'w>,
    pub content: Res<'w, Content>,
    pub pictures: ResMut<'w, Pictures>,
    pub images: ResMut<'w, Assets<Image>>,
    pub voice: Res<'w, super::speech::VoiceState>,
    window: Query<'w, 's, &'static Window, With<PrimaryWindow>>,
}

impl Canvas<'_, '_> {
    /// Calls `draw` with a screen context for `session` at `now`.
    pub fn draw<R>(
        &mut self,
        session: &Session,
        now: Timestamp,
        draw: impl FnOnce(&mut Cx) -> R,
    ) -> R {
        let (px_per_vmin, landscape, size_vmin) = match self.window.iter().next() {
            Some(w) => {
                let vmin = w.width().min(w.height()) / 100.0;
                (
                    w.physical_width().min(w.physical_height()) as f32 / 100.0,
                    w.width() > w.height(),
                    Vec2::new(w.width(), w.height()) / vmin.max(0.01),
                )
            }
            None => (10.8, false, Vec2::new(100.0, 177.8)),
        };
        let config = &self.look.config;
        let lang = session.language(&config.display.language).clone();
        let mut cx = Cx {
            theme: &self.look.theme,
            strings: &self.look.strings,
            lang: &lang,
            default_lang: &config.display.language,
            config,
            catalog: &self.content,
            session,
            now,
            pictures: &mut self.pictures,
            images: &mut self.images,
            px_per_vmin,
            landscape,
            size_vmin,
            voice: &self.voice.0,
        };
        draw(&mut cx)
    }
}

/// What a screen is drawn from.
pub struct Cx<'a> {
    pub theme: &'a Theme,
    pub strings: &'a Translations,
    /// The visitor's language, and the kiosk's (for content fallback).
    pub lang: &'a Lang,
    pub default_lang: &'a Lang,
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    pub session: &'a Session,
    pub now: Timestamp,
    pub pictures: &'a mut Pictures,
    pub images: &'a mut Assets<Image>,
    /// Physical pixels in 1 vmin: pictures are asked for at the size shown.
    pub px_per_vmin: f32,
    /// Whether the window is wider than tall.
    pub landscape: bool,
    /// The window's size in vmin (100 on its smaller side).
    pub size_vmin: Vec2,
    /// Whether the kiosk can read aloud.
    pub voice: &'a portalavoro_core::speech::Voice,
}

impl Cx<'_> {
    /// A UI string in the visitor's language.
    pub fn t(&self, key: &str) -> String {
        self.strings.get(self.lang, key).to_string()
    }

    /// A UI string with its placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.strings.format(self.lang, key, args)
    }

    /// A count in words: `{key}_one` for one, `key` for any other number.
    pub fn count(&self, key: &str, n: usize) -> String {
        self.strings.count(self.lang, key, n)
    }

    /// Content text in the visitor's language, by the contract's fallback.
    pub fn text<'t>(&self, text: &'t ContentText) -> &'t str {
        text.get(self.lang, self.default_lang)
    }

    /// "Solo in English": said next to content shown in another language
    /// than the visitor's (the contract's fallback), so they know why.
    pub fn fallback_note(&self, text: &ContentText) -> Option<String> {
        let shown_in = text.resolve(self.lang, self.default_lang).fallback?;
        let name = if self.strings.has(shown_in) {
            self.strings.get(shown_in, "language_name").to_string()
        } else {
            shown_in.as_str().to_uppercase()
        };
        Some(self.f("content_fallback", &[("language", &name)]))
    }

    pub fn tz(&self) -> &TimeZone {
        &self.config.display.timezone
    }

    /// "14:30", in the kiosk's time zone.
    pub fn time(&self, at: Timestamp) -> String {
        at.to_zoned(self.tz().clone()).strftime("%H:%M").to_string()
    }

    /// "22/11/2026".
    pub fn short_date(&self, at: Timestamp) -> String {
        at.to_zoned(self.tz().clone())
            .strftime("%d/%m/%Y")
            .to_string()
    }

    /// "domenica 22 novembre 2026", in the visitor's language.
    pub fn long_date(&self, at: Timestamp) -> String {
        let date = at.to_zoned(self.tz().clone()).date();
        let weekday = self.strings.weekday(self.lang, date.weekday());
        let month = self.strings.month(self.lang, date.month());
        self.f(
            "date_long",
            &[
                ("weekday", weekday),
                ("day", &date.day().to_string()),
                ("month", month),
                ("year", &date.year().to_string()),
            ],
        )
    }

    /// Physical pixels for `vmin` (at least 1).
    pub fn px(&self, vmin: f32) -> u32 {
        (vmin * self.px_per_vmin).round().max(1.0) as u32
    }
}

/// What the visitor's screen is made of, to redraw all of it or a part.
#[derive(SystemParam)]
struct OnScreen<'w, 's> {
    roots: Query<'w, 's, Entity, With<ScreenRoot>>,
    columns: Query<'w, 's, Entity, With<PageColumn>>,
    scrolls: Query<'w, 's, &'static ScrollPosition, With<PageScroll>>,
    entering: Query<'w, 's, &'static motion::PageEnter>,
}

/// Draws the session's page whenever something it shows changes: the
/// whole screen, or, for a keystroke in the search, only the page (the
/// header, the keyboard and the navigation stay as they are).
fn rebuild(
    mut commands: Commands,
    session: Res<VisitorSession>,
    mut canvas: Canvas,
    drawing: Drawing,
    on_screen: OnScreen,
    mut shown: Local<Option<Shown>>,
) {
    let roots = &on_screen.roots;
    if !drawing.stale.visitor_page() && !roots.is_empty() {
        return;
    }
    let now = canvas.look.clock.now();

    // The same page keeps its scroll position (a picture arrived, the
    // minute changed); another page, or a new visit, starts at the top,
    // and glides in when the visitor went there from a page on screen.
    let place = Shown::of(&session);
    let before = shown.replace(place.clone());
    let typed = *drawing.stale
        == (Stale {
            session: true,
            ..default()
        })
        && before
            .as_ref()
            .is_some_and(|before| before.typed_into(&place));
    if typed && let Some(column) = on_screen.columns.iter().next() {
        commands.entity(column).despawn_related::<Children>();
        canvas.draw(&session, now, |cx| {
            commands
                .entity(column)
                .with_children(|page| page_content(page, cx));
        });
        return;
    }
    let scroll = match &before {
        Some(before) if before.same_place(&place) => {
            on_screen.scrolls.iter().next().map_or(0.0, |s| s.y)
        }
        _ => 0.0,
    };
    let moves = !session.access.reduced_motion
        && canvas.look.config.attract.transition == Transition::Slide;
    let enter = match &before {
        _ if !moves || roots.is_empty() => None,
        Some(before) if !before.same_place(&place) => Some(motion::PageEnter::new(
            drawing.uptime.now(),
            place.follows(before),
            canvas.look.theme.rtl,
        )),
        // Redrawn while it glides in (a picture arrived): it glides on.
        Some(_) => on_screen.entering.iter().next().cloned(),
        None => None,
    };
    for root in roots {
        commands.entity(root).despawn();
    }

    let root = commands
        .spawn((
            ScreenRoot,
            Name::new("Visitor screen"),
            DespawnOnExit(Mode::Visitor),
            whole_screen(),
        ))
        .id();
    canvas.draw(&session, now, |cx| {
        commands.entity(root).with_children(|ui| {
            if session.access.reach {
                // Reach mode: what is read stays on top; everything touched
                // is in the lower half (a seated visitor reaches no
                // higher), where the page scrolls down to it.
                ui.spawn(half_screen(true)).with_children(|top| {
                    frame::header(top, cx);
                    frame::banner(top, cx);
                    frame::reach_title(top, cx);
                    // Inset as it is in the nav bar.
                    top.spawn(Node {
                        flex_direction: FlexDirection::Column,
                        padding: UiRect::horizontal(Val::VMin(size::GAP)),
                        ..default()
                    })
                    .with_children(|line| frame::source(line, cx));
                });
                ui.spawn(half_screen(false))
                    .with_children(|bottom| page_and_controls(bottom, cx, scroll, enter));
            } else {
                frame::header(ui, cx);
                frame::banner(ui, cx);
                page_and_controls(ui, cx, scroll, enter);
            }
        });
    });
}

/// The session a screen was drawn for: which page, which page of each
/// list, how deep the visitor is.
#[derive(Clone)]
struct Shown(Session);

impl Shown {
    fn of(session: &Session) -> Shown {
        Shown(session.clone())
    }

    /// Whether `now` differs from this only by what was typed into the
    /// search, on the same page of results: only the page needs drawing.
    fn typed_into(&self, now: &Shown) -> bool {
        self.same_place(now) && self.0.differs_only_in_search_text(&now.0)
    }

    /// The same page, at the same page of its lists; a slot held (or let
    /// go) is another place: its QR code shows at the top of the page.
    fn same_place(&self, other: &Shown) -> bool {
        let held = |s: &Session| matches!(s.appointment, Appointment::Held { .. });
        self.0.page == other.0.page
            && self.0.pages == other.0.pages
            && held(&self.0) == held(&other.0)
    }

    /// Whether this place is a step forward from `before` (a page opened,
    /// the list's next page) rather than back (Back, Home, the previous
    /// page of the list).
    fn follows(&self, before: &Shown) -> bool {
        if self.0.page == before.0.page {
            self.0.pages > before.0.pages
        } else {
            self.0.history.len() >= before.0.history.len()
        }
    }
}

/// The top (what is read) or bottom (what is touched) part of the
/// window in reach mode.
fn half_screen(top: bool) -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        overflow: Overflow::clip(),
        ..if top {
            // At least half; more when large text needs it (the lower
            // part, with every control, then starts lower still).
            Node {
                min_height: percent(50),
                flex_shrink: 0.0,
                ..default()
            }
        } else {
            Node {
                flex_grow: 1.0,
                flex_basis: Val::Px(0.0),
                min_height: Val::Px(0.0),
                max_height: percent(50),
                ..default()
            }
        }
    }
}

/// The page (scrolling), the keyboard when it is up (under the page; in
/// landscape beside it, where the height is short), and the navigation.
fn page_and_controls(
    ui: &mut ChildSpawnerCommands,
    cx: &mut Cx,
    scroll: f32,
    enter: Option<motion::PageEnter>,
) {
    let session = cx.session;
    let keyboard = session.keyboard && session.page == Page::Vacancies;
    if keyboard && cx.landscape {
        ui.spawn(Node {
            flex_direction: cx.theme.row(),
            flex_grow: 1.0,
            flex_basis: Val::Px(0.0),
            min_height: Val::Px(0.0),
            ..default()
        })
        .with_children(|row| {
            page(row, cx, scroll, enter);
            keyboard::build(row, cx);
        });
    } else {
        page(ui, cx, scroll, enter);
        if keyboard {
            keyboard::build(ui, cx);
        }
    }
    frame::nav_bar(ui, cx);
}

/// The page's scrolling area, with the session's page in it.
fn page(ui: &mut ChildSpawnerCommands, cx: &mut Cx, scroll: f32, enter: Option<motion::PageEnter>) {
    ui.spawn((
        PageScroll,
        DragScroll::default(),
        Node {
            flex_grow: 1.0,
            flex_basis: Val::Px(0.0),
            min_height: Val::Px(0.0),
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(Val::VMin(size::GAP * 1.5)),
            overflow: Overflow::scroll_y(),
            ..default()
        },
        ScrollPosition(Vec2::new(0.0, scroll)),
    ))
    .with_children(|scroller| {
        let mut column = scroller.spawn((PageColumn, page_column()));
        if let Some(enter) = enter {
            column.insert((enter.transform(), enter));
        }
        column.with_children(|page| page_content(page, cx));
    });
}

/// What is in the page's column: the session's page.
fn page_content(page: &mut ChildSpawnerCommands, cx: &mut Cx) {
    match &cx.session.page {
        Page::Home => home::build(page, cx),
        Page::Vacancies => vacancies::list(page, cx),
        Page::Vacancy(id) => vacancies::detail(page, cx, id),
        Page::News => news::list(page, cx),
        Page::NewsItem(id) => news::detail(page, cx, id),
        Page::Rooms => rooms::build(page, cx),
        Page::Services => services::list(page, cx),
        Page::Service(id) => services::detail(page, cx, id),
        Page::Accessibility => accessibility::build(page, cx),
    }
}
