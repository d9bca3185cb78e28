//! The summary screen: what the kiosk holds (counts of news, vacancies,
//! rooms, today's bookings and events), where it came from, and the active
//! announcements. Rebuilt when a snapshot arrives and at each new minute.

use bevy::prelude::*;
use jiff::Timestamp;

use super::redraw::RedrawBurst;
use super::theme::{label, palette, size, strong};
use super::{AppSystems, Content, DrawnMinute, KioskConfig, Look, Strings};
use crate::content::{Catalog, Feed, Level, Origin};

/// The root node of the summary, replaced on each rebuild.
#[derive(Component)]
struct SummaryRoot;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, rebuild.in_set(AppSystems::Render));
    app.add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    });
}

fn rebuild(
    mut commands: Commands,
    content: Res<Content>,
    look: Look,
    mut burst: ResMut<RedrawBurst>,
    roots: Query<Entity, With<SummaryRoot>>,
    mut drawn: Local<DrawnMinute>,
) {
    let fonts = &look.fonts;
    let now = look.clock.now();
    if !drawn.moved(now) && !content.is_changed() {
        return;
    }
    burst.changed();
    for root in &roots {
        commands.entity(root).despawn();
    }
    let view = SummaryView::new(&content, &look.config, &look.strings, now);
    let root = commands
        .spawn((
            SummaryRoot,
            Node {
                width: percent(100),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                padding: UiRect::all(Val::VMin(size::GAP * 2.0)),
                row_gap: Val::VMin(size::GAP),
                // Never draw outside the window, however much there is.
                overflow: Overflow::clip(),
                ..default()
            },
        ))
        .id();
    commands.entity(root).with_children(|ui| {
        ui.spawn(Node {
            flex_direction: FlexDirection::Row,
            justify_content: JustifyContent::SpaceBetween,
            align_items: AlignItems::Baseline,
            ..default()
        })
        .with_children(|row| {
            row.spawn(strong(fonts, view.title, size::TITLE, palette::TEXT));
            row.spawn(strong(fonts, view.clock, size::HEADING, palette::ACCENT));
        });
        ui.spawn(label(view.date, size::SMALL, palette::TEXT_MUTED));
        ui.spawn(label(view.source, size::SMALL, palette::TEXT_MUTED));
        if let Some(problem) = view.problem {
            ui.spawn(label(problem, size::SMALL, palette::ACCENT));
        }
        // Two columns side by side in landscape; stacked in portrait, where
        // the window is too narrow for two of them.
        let column = || Node {
            flex_direction: FlexDirection::Column,
            flex_grow: 1.0,
            flex_basis: Val::Px(0.0),
            min_width: Val::VMin(75.0),
            row_gap: Val::VMin(size::GAP / 2.0),
            ..default()
        };
        ui.spawn(Node {
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::Wrap,
            column_gap: Val::VMin(size::GAP * 2.0),
            row_gap: Val::VMin(size::GAP),
            ..default()
        })
        .with_children(|body| {
            body.spawn(column()).with_children(|col| {
                col.spawn(strong(fonts, view.heading, size::HEADING, palette::TEXT));
                for (name, count) in view.counts {
                    col.spawn((
                        Node {
                            flex_direction: FlexDirection::Row,
                            justify_content: JustifyContent::SpaceBetween,
                            padding: UiRect::axes(Val::VMin(size::GAP), Val::VMin(size::GAP / 2.0)),
                            border_radius: BorderRadius::all(Val::VMin(1.0)),
                            ..default()
                        },
                        BackgroundColor(palette::SURFACE),
                    ))
                    .with_children(|row| {
                        row.spawn(label(name, size::BODY, palette::TEXT));
                        row.spawn(strong(
                            fonts,
                            count.to_string(),
                            size::BODY,
                            palette::ACCENT,
                        ));
                    });
                }
            });
            body.spawn(column()).with_children(|col| {
                col.spawn(strong(
                    fonts,
                    view.announcements_heading,
                    size::HEADING,
                    palette::TEXT,
                ));
                if view.announcements.is_empty() {
                    col.spawn(label(
                        view.no_announcements,
                        size::BODY,
                        palette::TEXT_MUTED,
                    ));
                }
                for (level, text, urgent) in view.announcements {
                    col.spawn((
                        Node {
                            flex_direction: FlexDirection::Column,
                            padding: UiRect::all(Val::VMin(size::GAP)),
                            row_gap: Val::VMin(size::GAP / 3.0),
                            border_radius: BorderRadius::all(Val::VMin(1.0)),
                            ..default()
                        },
                        BackgroundColor(if urgent {
                            palette::URGENT
                        } else {
                            palette::SURFACE
                        }),
                    ))
                    .with_children(|card| {
                        card.spawn(strong(fonts, level, size::SMALL, palette::ACCENT));
                        card.spawn(label(text, size::BODY, palette::TEXT));
                    });
                }
            });
        });
    });
}

/// The strings of the summary, computed from the catalog (kept apart from
/// the spawning so it reads as data).
struct SummaryView {
    title: String,
    clock: String,
    date: String,
    source: String,
    problem: Option<String>,
    heading: String,
    counts: Vec<(String, usize)>,
    announcements_heading: String,
    no_announcements: String,
    announcements: Vec<(String, String, bool)>,
}

impl SummaryView {
    fn new(
        catalog: &Catalog,
        config: &KioskConfig,
        strings: &Strings,
        now: Timestamp,
    ) -> SummaryView {
        let lang = &config.display.language;
        let tz = &config.display.timezone;
        let local = now.to_zoned(tz.clone());
        let t = |key| strings.get(lang, key).to_string();
        let counts = vec![
            (t("count_news"), catalog.visible_news(now).len()),
            (t("count_vacancies"), catalog.open_vacancies(now).len()),
            (t("count_rooms"), catalog.rooms.len()),
            (
                t("count_bookings_today"),
                catalog.todays_bookings(now, tz).len(),
            ),
            (
                t("count_events_today"),
                catalog.todays_public_events(now, tz).len(),
            ),
        ];
        let announcements = catalog
            .active_announcements(&config.kiosk_id, now)
            .into_iter()
            .map(|a| {
                let urgent = a.level == Level::Urgent;
                let level = t(if urgent { "level_urgent" } else { "level_info" });
                (level, a.text.get(lang, lang).to_string(), urgent)
            })
            .collect();
        SummaryView {
            title: t("app_title"),
            clock: local.strftime("%H:%M").to_string(),
            date: local.strftime("%d/%m/%Y").to_string(),
            source: source_line(catalog, config, strings),
            problem: catalog
                .status(Feed::Vacancies)
                .last_error
                .as_ref()
                .map(|err| strings.format(lang, "hub_unreachable", &[("error", err)])),
            heading: t("summary_heading"),
            counts,
            announcements_heading: t("announcements_heading"),
            no_announcements: t("announcements_none"),
            announcements,
        }
    }
}

/// Where the content on screen comes from, and how fresh it is.
fn source_line(catalog: &Catalog, config: &KioskConfig, strings: &Strings) -> String {
    let lang = &config.display.language;
    let status = catalog.status(Feed::Vacancies);
    let local = |t: Timestamp| t.to_zoned(config.display.timezone.clone());
    match (status.origin, status.fetched_at) {
        (Some(Origin::Demo), _) => strings.get(lang, "source_demo").to_string(),
        (Some(Origin::Hub), Some(at)) => strings.format(
            lang,
            "source_hub",
            &[("time", &local(at).strftime("%H:%M").to_string())],
        ),
        (Some(Origin::Cache), Some(at)) => strings.format(
            lang,
            "source_cache",
            &[
                ("date", &local(at).strftime("%d/%m/%Y").to_string()),
                ("time", &local(at).strftime("%H:%M").to_string()),
            ],
        ),
        _ => strings.get(lang, "source_waiting").to_string(),
    }
}
