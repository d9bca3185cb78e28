//! `--tour DIR`: visits every screen in every offered language (and every
//! attract slide, the idle question and the closed screen), checks that
//! no text overflows its box, its parent or the window, saves a screenshot
//! of each, and exits 0 when the layout is clean (1 otherwise). For the
//! screenshot tests, for the README's pictures, and for a technician who
//! wants to see a new display or a new hub's content before opening time.
//!
//! The screens are picked from whatever content the kiosk has (the longest
//! vacancy title, a news item with a picture), never from known data.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::text::TextLayoutInfo;
use bevy::ui::UiGlobalTransform;
use bevy::window::PrimaryWindow;
use bevy::winit::WinitSettings;

use super::attract::Slideshow;
use super::diagnostics::Diagnostics;
use super::feed::Content;
use super::memory::HeapTrim;
use super::pictures::Pictures;
use super::screens::motion::PageEnter;
use super::screens::{PageLead, PageScroll};
use super::session::{Mode, PinnedMode, Problems, VisitorSession};
use super::shared::{AppSystems, KioskConfig, Strings, WallClock};
use portalavoro_core::access::{Access, TextSize};
use portalavoro_core::appointment::{self, Appointment};
use portalavoro_core::content::{
    Announcement, Catalog, FeedData, Level, Slide, SlideKind, Text as ContentText, VacancyIndex,
    playlist,
};
use portalavoro_core::content::{Hold, Slot};
use portalavoro_core::session::{Facet, Page, Session};

/// The longest wait for the hub's content before the visit starts.
const CONTENT_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
/// Frames to draw before a screen counts as settled.
const SETTLE_FRAMES: u32 = 6;
/// The longest wait for pictures, in frames.
const MAX_FRAMES: u32 = 240;

struct Step {
    name: String,
    session: Session,
    /// Content shown for this step (an urgent announcement added).
    content: Option<Arc<Catalog>>,
    show: Show,
}

/// What a step shows besides the visitor's page.
#[derive(Clone, Copy, PartialEq)]
enum Show {
    Page,
    /// The page, under "Are you still there?".
    Question,
    /// The attract loop, on its slide of this index.
    Slide(usize),
    Closed,
    /// The diagnostics's diagnostics screen, unlocked.
    Diagnostics,
    /// The technician card, as a totem with no hub shows it.
    Technician,
}

#[derive(Resource)]
struct Tour {
    dir: PathBuf,
    steps: Vec<Step>,
    index: usize,
    frames: u32,
    /// A screenshot was asked for and has not been saved yet.
    shooting: bool,
    original: Option<Arc<Catalog>>,
    problems: Vec<String>,
    /// Resident memory when the last visitor screen was done.
    visitor_rss: Option<String>,
}

/// "VmRSS: 409700 kB", this process's resident memory (as the heartbeat
/// reads it).
fn vm_rss() -> String {
    portalavoro_core::hub::heartbeat::resident_memory_bytes().map_or_else(
        || "VmRSS: ?".into(),
        |bytes| format!("VmRSS: {} kB", bytes / 1024),
    )
}

pub(super) fn plugin(dir: PathBuf) -> impl Plugin {
    move |app: &mut App| {
        app.insert_resource(WinitSettings::continuous())
            .insert_resource(Tour {
                dir: dir.clone(),
                steps: Vec::new(),
                index: 0,
                frames: 0,
                shooting: false,
                original: None,
                problems: Vec::new(),
                visitor_rss: None,
            })
            .add_systems(
                Update,
                (plan, drive)
                    .chain()
                    .after(AppSystems::Receive)
                    .before(AppSystems::Theme),
            )
            // After layout, so what is checked is what is drawn.
            .add_systems(Last, check_and_shoot);
    }
}

/// Plans the visit once every feed has come in (from the hub, the cache or
/// the demo), or after [`CONTENT_WAIT`] with what there is.
fn plan(
    mut tour: ResMut<Tour>,
    content: Res<Content>,
    config: Res<KioskConfig>,
    strings: Res<Strings>,
    clock: Res<WallClock>,
    time: Res<Time<Real>>,
) {
    if tour.original.is_some() {
        return;
    }
    if !content.all_in() && time.elapsed() < CONTENT_WAIT {
        return;
    }
    let now = clock.now();
    let catalog = &content.0;
    let open = catalog.open_vacancies(now);
    let longest = open
        .iter()
        .max_by_key(|v| {
            v.title
                .get(&config.display.language, &config.display.language)
                .len()
        })
        .map(|v| v.id.clone());
    let news = catalog.visible_news(now);
    let news_item = news
        .iter()
        .find(|n| n.image_url.is_some())
        .or(news.first())
        .map(|n| n.id.clone());
    let index = VacancyIndex::new(open.clone());
    let facets = index.facets(&Default::default());
    let first_word = open
        .first()
        .and_then(|v| {
            v.title
                .get(&config.display.language, &config.display.language)
                .split_whitespace()
                .next()
        })
        .map(|w| w.chars().take(4).collect::<String>().to_lowercase());

    // The service with the most to say (by appointment first: its page
    // holds the booking), shown choosing a time and holding one.
    let service = catalog
        .services
        .iter()
        .max_by_key(|s| {
            let lang = &config.display.language;
            let words = s.summary.get(lang, lang).len()
                + s.bring
                    .iter()
                    .map(|b| b.get(lang, lang).len())
                    .sum::<usize>();
            (
                s.access == portalavoro_core::content::Access::Appointment,
                words,
            )
        })
        .map(|s| s.id.clone());
    let booking = service
        .as_ref()
        .map(|id| sample_booking(id, now, &config.display.timezone));

    let mut steps = Vec::new();
    for lang in &config.display.languages {
        let visitor = Session {
            language: Some(lang.clone()),
            ..Session::default()
        };
        let at = |page: Page| Session {
            page,
            ..visitor.clone()
        };
        let mut add = |name: &str, session: Session| {
            steps.push(Step {
                name: format!("{name}-{lang}", lang = lang.as_str()),
                session,
                content: None,
                show: Show::Page,
            });
        };
        add("home", visitor.clone());
        add("vacancies", at(Page::Vacancies));
        let mut filtered = at(Page::Vacancies);
        filtered.open_facet = Some(Facet::Sector);
        if let Some((sector, _)) = facets.sectors.first() {
            filtered.vacancy_query.sectors.insert(sector.clone());
        }
        add("vacancies-filters", filtered);
        let mut searching = at(Page::Vacancies);
        searching.keyboard = true;
        searching.vacancy_query.text = first_word.clone().unwrap_or_default();
        add("vacancies-search", searching);
        if let Some(id) = &longest {
            add("vacancy", at(Page::Vacancy(id.clone())));
        }
        add("news", at(Page::News));
        if let Some(id) = &news_item {
            add("news-item", at(Page::NewsItem(id.clone())));
        }
        add("rooms", at(Page::Rooms));
        if !catalog.services.is_empty() {
            add("services", at(Page::Services));
        }
        if let (Some(id), Some((choosing, held))) = (&service, &booking) {
            let mut slots = at(Page::Service(id.clone()));
            slots.appointment = choosing.clone();
            add("service", slots);
            let mut holding = at(Page::Service(id.clone()));
            holding.appointment = held.clone();
            add("service-held", holding);
        }
        add("accessibility", at(Page::Accessibility));
        let mut urgent = (**catalog).clone();
        let mut announcements = urgent.announcements.to_vec();
        announcements.push(Announcement {
            id: "tour-urgent".into(),
            text: ContentText::Plain(strings.get(lang, "tour_urgent_sample").to_string()),
            level: Level::Urgent,
            starts_at: None,
            ends_at: None,
            kiosks: None,
        });
        urgent.apply(FeedData::Announcements(announcements));
        steps.push(Step {
            name: format!("urgent-{}", lang.as_str()),
            session: visitor.clone(),
            content: Some(Arc::new(urgent)),
            show: Show::Page,
        });
        steps.push(Step {
            name: format!("question-{}", lang.as_str()),
            session: Session {
                page: Page::Vacancies,
                ..visitor.clone()
            },
            content: None,
            show: Show::Question,
        });
    }

    // Home, the vacancy list and one vacancy with each accessibility
    // setting that changes the layout, in the kiosk's language (Arabic's
    // are above), and the idle question with its extra time.
    let settings = [
        (
            "text15x",
            Access {
                text_size: TextSize::Large,
                ..Access::default()
            },
        ),
        (
            "text2x",
            Access {
                text_size: TextSize::Largest,
                ..Access::default()
            },
        ),
        (
            "contrast",
            Access {
                high_contrast: true,
                ..Access::default()
            },
        ),
        (
            "reach",
            Access {
                reach: true,
                ..Access::default()
            },
        ),
        (
            "all",
            Access {
                text_size: TextSize::Largest,
                high_contrast: true,
                reach: true,
                reduced_motion: true,
                speech: true,
                ..Access::default()
            },
        ),
    ];
    for (name, access) in settings {
        let mut pages = vec![
            ("home", Page::Home),
            ("vacancies", Page::Vacancies),
            ("accessibility", Page::Accessibility),
        ];
        if let Some(id) = &longest {
            pages.push(("vacancy", Page::Vacancy(id.clone())));
        }
        // Every list a visitor with large text must see the start of.
        // (Not in reach mode: its lower half of a landscape screen is
        // shorter than one event's heading at 2×; the page scrolls there.)
        if access.text_size != TextSize::Normal && !access.reach {
            pages.extend([("news", Page::News), ("rooms", Page::Rooms)]);
            if !catalog.services.is_empty() {
                pages.push(("services", Page::Services));
            }
        }
        for (page_name, page) in pages {
            steps.push(Step {
                name: format!("{page_name}-{name}"),
                session: Session {
                    page,
                    access,
                    ..Session::default()
                },
                content: None,
                show: Show::Page,
            });
        }
        if let (Some(id), Some((choosing, held))) = (&service, &booking) {
            for (page_name, appointment) in [("service", choosing), ("service-held", held)] {
                steps.push(Step {
                    name: format!("{page_name}-{name}"),
                    session: Session {
                        page: Page::Service(id.clone()),
                        access,
                        appointment: appointment.clone(),
                        ..Session::default()
                    },
                    content: None,
                    show: Show::Page,
                });
            }
        }
    }
    steps.push(Step {
        name: "question-all".into(),
        session: Session {
            page: Page::Vacancies,
            access: settings[4].1,
            ..Session::default()
        },
        content: None,
        show: Show::Question,
    });

    // The attract loop with a slide of every kind the content allows, and
    // an info announcement; then the closed screen.
    let mut attract = (**catalog).clone();
    let slide = |kind| Slide {
        kind,
        duration_s: Slide::DEFAULT_DURATION_S,
    };
    attract.apply(FeedData::Playlist(vec![
        slide(SlideKind::Text {
            text: ContentText::Plain(config.site.name.clone()),
        }),
        slide(SlideKind::Image {
            url: "bundled:welcome".into(),
            caption: Some(ContentText::Plain(
                strings
                    .get(&config.display.language, "attract_welcome")
                    .into(),
            )),
        }),
        slide(SlideKind::Vacancies { count: 5 }),
        slide(SlideKind::News { count: 3 }),
        slide(SlideKind::Events),
        slide(SlideKind::Rooms),
    ]));
    let mut announcements = attract.announcements.to_vec();
    announcements.push(Announcement {
        id: "tour-info".into(),
        text: ContentText::Plain(
            strings
                .get(&config.display.language, "tour_urgent_sample")
                .to_string(),
        ),
        level: Level::Info,
        starts_at: None,
        ends_at: None,
        kiosks: None,
    });
    attract.apply(FeedData::Announcements(announcements));
    let slides = playlist::fill(&attract, &config.kiosk_id, now, &config.display.timezone);
    let mut kinds_seen = std::collections::BTreeSet::new();
    let firsts: Vec<(usize, &str)> = slides
        .iter()
        .enumerate()
        // One of each kind (the hub may send several announcements).
        .filter(|(_, (filled, _))| kinds_seen.insert(filled.kind()))
        .map(|(index, (filled, _))| (index, filled.kind()))
        .collect();
    drop(slides);
    let attract = Arc::new(attract);
    for (index, kind) in firsts {
        steps.push(Step {
            name: format!("attract-{kind}"),
            session: Session::default(),
            content: Some(attract.clone()),
            show: Show::Slide(index),
        });
    }
    steps.push(Step {
        name: "technician".into(),
        session: Session::default(),
        content: None,
        show: Show::Technician,
    });
    steps.push(Step {
        name: "closed".into(),
        session: Session::default(),
        content: None,
        show: Show::Closed,
    });
    steps.push(Step {
        name: "diagnostics".into(),
        session: Session::default(),
        content: None,
        show: Show::Diagnostics,
    });
    info!("tour: {} screens to {}", steps.len(), tour.dir.display());
    tour.original = Some(content.0.clone());
    tour.steps = steps;
}

/// Puts the current step's session and content on screen.
fn drive(
    mut commands: Commands,
    tour: Res<Tour>,
    mut session: ResMut<VisitorSession>,
    mut content: ResMut<Content>,
    mut slideshow: ResMut<Slideshow>,
    // The screens that show no content: what they are drawn from.
    (mut diagnostics, mut problems): (ResMut<Diagnostics>, ResMut<Problems>),
    pinned: Option<Res<PinnedMode>>,
) {
    let Some(step) = tour.steps.get(tour.index) else {
        return; // not planned yet, or done
    };
    let pin = PinnedMode {
        mode: match step.show {
            Show::Page | Show::Question => Mode::Visitor,
            Show::Slide(_) => Mode::Attract,
            Show::Closed => Mode::Closed,
            Show::Diagnostics => Mode::Diagnostics,
            Show::Technician => Mode::Technician,
        },
        warning: step.show == Show::Question,
    };
    if pinned.as_deref() != Some(&pin) {
        commands.insert_resource(pin);
    }
    let slide = match step.show {
        Show::Slide(index) => Some(index),
        _ => None,
    };
    if slideshow.pinned != slide {
        slideshow.pinned = slide;
    }
    // The card as a totem with no hub shows it (the tour's content is the
    // demo's, which needs no card).
    if step.show == Show::Technician && problems.0.is_empty() {
        problems.0 = vec![portalavoro_core::technician::Problem::NoHub];
    }
    let shown = step.show == Show::Diagnostics;
    if diagnostics.unlocked != shown {
        diagnostics.unlocked = shown;
    }
    if session.0 != step.session {
        session.0 = step.session.clone();
    }
    let wanted = step
        .content
        .clone()
        .or_else(|| tour.original.clone())
        .expect("planned");
    if !Arc::ptr_eq(&content.0, &wanted) {
        content.0 = wanted;
    }
}

/// A text as laid out: what it says, its box, its glyphs, whether shown.
type LaidText = (
    Entity,
    &'static Text,
    &'static ComputedNode,
    &'static UiGlobalTransform,
    &'static TextLayoutInfo,
    &'static InheritedVisibility,
);

/// The screen as laid out, for the checks.
#[derive(SystemParam)]
struct Laid<'w, 's> {
    texts: Query<'w, 's, LaidText>,
    nodes: Query<'w, 's, (&'static ComputedNode, &'static UiGlobalTransform)>,
    controls: Query<
        'w,
        's,
        (
            &'static ComputedNode,
            &'static UiGlobalTransform,
            &'static ViewVisibility,
        ),
        With<Button>,
    >,
    parents: Query<'w, 's, &'static ChildOf>,
    scrolls: Query<'w, 's, (), With<PageScroll>>,
    page: Query<'w, 's, (&'static ComputedNode, &'static UiGlobalTransform), With<PageScroll>>,
    leads: Query<'w, 's, (&'static ComputedNode, &'static UiGlobalTransform), With<PageLead>>,
    entering: Query<'w, 's, (), With<PageEnter>>,
}

fn check_and_shoot(
    mut commands: Commands,
    mut tour: ResMut<Tour>,
    pictures: Res<Pictures>,
    heap: Res<HeapTrim>,
    window: Query<&Window, With<PrimaryWindow>>,
    laid: Laid,
    mut exit: MessageWriter<AppExit>,
) {
    let Laid {
        texts,
        nodes,
        controls,
        parents,
        scrolls,
        page,
        leads,
        entering,
    } = laid;
    if tour.shooting || tour.original.is_none() {
        return;
    }
    if tour.index >= tour.steps.len() {
        if heap.pending() {
            // Measured as a lobby would see it: after the visit's end
            // gave its memory back (`memory`).
            return;
        }
        // Memory after every screen was drawn (pictures, QR codes, glyphs),
        // and the visit's glyph atlases and heap let go by the attract loop.
        let rss = format!(
            "{}\nafter the visitor's screens, before the attract loop: {}",
            vm_rss(),
            tour.visitor_rss.as_deref().unwrap_or("?")
        );
        info!("tour: {rss}");
        let report = if tour.problems.is_empty() {
            format!("layout: OK\n{rss}\n")
        } else {
            format!(
                "layout: {} problems\n{}\n",
                tour.problems.len(),
                tour.problems.join("\n")
            )
        };
        if let Err(err) = std::fs::write(tour.dir.join("layout.txt"), &report) {
            error!("tour: {}: {err}", tour.dir.display());
        }
        info!("tour done: {}", report.lines().next().unwrap_or(""));
        exit.write(if tour.problems.is_empty() {
            AppExit::Success
        } else {
            AppExit::error()
        });
        tour.index += 1;
        return;
    }
    if tour.visitor_rss.is_none() && matches!(tour.steps[tour.index].show, Show::Slide(_)) {
        tour.visitor_rss = Some(vm_rss());
    }
    tour.frames += 1;
    let settled = tour.frames >= SETTLE_FRAMES && pictures.pending() == 0 && entering.is_empty();
    if !settled && tour.frames < MAX_FRAMES {
        return;
    }
    let Some(window) = window.iter().next() else {
        return;
    };
    let name = tour.steps[tour.index].name.clone();
    let size = Vec2::new(
        window.physical_width() as f32,
        window.physical_height() as f32,
    );
    let rect = |node: &ComputedNode, at: &UiGlobalTransform| {
        Rect::from_center_size(at.translation, node.size)
    };
    let screen = Rect::from_corners(Vec2::ZERO, size);
    let slack = 0.003 * size.x.min(size.y);
    let mut problems = Vec::new();
    for (entity, text, node, at, layout, visible) in &texts {
        // A list's items that do not fit are hidden and out of the layout.
        if !visible.get() || node.size == Vec2::ZERO {
            continue;
        }
        let own = rect(node, at);
        let label: String = text.0.chars().take(40).collect();
        // The ink, not the line: a wrapped line's width counts the space
        // it broke at. Some glyphs overhang their advance a little (a bold
        // "f"): 0.3 vmin of slack.
        let ink = layout
            .glyphs
            .iter()
            .map(|g| g.position.x + g.atlas_info.rect.width() / 2.0)
            .fold(0.0f32, f32::max);
        let content = node.content_box().size();
        if ink > content.x + slack || layout.size.y > content.y + 1.0 {
            problems.push(format!(
                "{name}: {label:?} needs {ink}×{} in a box of {content:?}",
                layout.size.y
            ));
        }
        let inside = |outer: Rect, vertical: bool| {
            own.min.x >= outer.min.x - 1.0
                && own.max.x <= outer.max.x + 1.0
                && (!vertical || (own.min.y >= outer.min.y - 1.0 && own.max.y <= outer.max.y + 1.0))
        };
        // Below the fold of a scrolling page is fine; sideways never is.
        let scrolled = parents
            .iter_ancestors(entity)
            .any(|ancestor| scrolls.contains(ancestor));
        if !inside(screen, !scrolled) {
            problems.push(format!(
                "{name}: {label:?} at {own:?} is outside the window"
            ));
        }
        if let Ok(parent) = parents.get(entity)
            && let Ok((parent_node, parent_at)) = nodes.get(parent.parent())
            && !inside(rect(parent_node, parent_at), true)
        {
            problems.push(format!(
                "{name}: {label:?} at {own:?} sticks out of its parent"
            ));
        }
    }
    let step = &tour.steps[tour.index];
    // The frame gives way to the page: the page keeps 40 % of the height
    // (of the lower half in reach mode), and what it leads with (Home's
    // tiles, a list's first row) shows whole without scrolling.
    if step.show == Show::Page
        && let Some((page_node, page_at)) = page.iter().next()
    {
        let area = rect(page_node, page_at);
        let region = if step.session.access.reach {
            size.y / 2.0
        } else {
            size.y
        };
        if !step.session.keyboard && area.height() < 0.4 * region {
            problems.push(format!(
                "{name}: the page has {:.0} px of {region:.0}: the frame takes the rest",
                area.height()
            ));
        }
        for (lead_node, lead_at) in &leads {
            let lead = rect(lead_node, lead_at);
            let whole = lead.min.y >= area.min.y - 1.0 && lead.max.y <= area.max.y + 1.0;
            if !whole {
                problems.push(format!(
                    "{name}: the page's first item at {lead:?} is not whole in its visible area {area:?}"
                ));
            }
        }
    }
    // Reach mode: nothing to touch above the middle of the window.
    if step.session.access.reach && step.show == Show::Page {
        let middle = size.y / 2.0;
        for (node, at, visible) in &controls {
            let own = rect(node, at);
            if visible.get() && own.max.y > 0.0 && own.min.y < middle - 1.0 && node.size.y > 0.0 {
                problems.push(format!(
                    "{name}: a control at {own:?} is above the middle ({middle})"
                ));
            }
        }
    }
    if !problems.is_empty() {
        warn!("tour: {}", problems.join("; "));
    }
    tour.problems.extend(problems);
    tour.shooting = true;
    let path = tour.dir.join(format!("{name}.png"));
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut tour: ResMut<Tour>| {
            let saved = captured
                .image
                .clone()
                .try_into_dynamic()
                .map_err(|err| err.to_string())
                .and_then(|image| image.to_rgb8().save(&path).map_err(|err| err.to_string()));
            if let Err(err) = saved {
                tour.problems
                    .push(format!("{}: not saved: {err}", path.display()));
            }
            tour.shooting = false;
            tour.frames = 0;
            tour.index += 1;
        },
    );
}

/// A week of free times (09:00 to 12:30 every half hour) and a slot held,
/// for the tour to lay out a service's booking: no hub is asked, nothing
/// is held.
fn sample_booking(
    service: &str,
    now: jiff::Timestamp,
    tz: &jiff::tz::TimeZone,
) -> (Appointment, Appointment) {
    let today = now.to_zoned(tz.clone()).date();
    let slots: Vec<Slot> = (1..=7)
        .filter_map(|days| today.checked_add(jiff::Span::new().days(days)).ok())
        .flat_map(|date| (0..8).map(move |half| (date, half)))
        .filter_map(|(date, half)| {
            let starts_at = date
                .at(9 + half / 2, (half % 2) * 30, 0, 0)
                .to_zoned(tz.clone())
                .ok()?
                .timestamp();
            Some(Slot {
                id: format!("tour-{}", starts_at.as_second()),
                starts_at,
                ends_at: starts_at + jiff::SignedDuration::from_mins(30),
            })
        })
        .collect();
    let first = slots.first().cloned();
    let choosing = Appointment::Slots {
        service: service.to_string(),
        days: appointment::by_day(slots, tz),
        day: 0,
        refused: None,
    };
    let held = match first {
        Some(slot) => Appointment::Held {
            service: service.to_string(),
            hold: Hold {
                code: "K7P-M3X".into(),
                url: "https://lavoro.example.org/a/0123456789abcdef0123456789abcdef?lang=it".into(),
                expires_at: now + jiff::SignedDuration::from_mins(10),
                starts_at: slot.starts_at,
                ends_at: slot.ends_at,
            },
        },
        None => choosing.clone(),
    };
    (choosing, held)
}
