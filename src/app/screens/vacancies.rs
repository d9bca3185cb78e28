//! Vacancies: search and filters over the open vacancies, one page of large
//! rows at a time (a hub with 10,000 vacancies spawns a page, not 10,000
//! rows); and one vacancy in full, with its reference code for the desk and
//! a QR code of where to apply.

use bevy::prelude::*;

use super::frame::{fallback_tag, pager, qr_card, section};
use super::{Cx, PageLead};
use crate::app::theme::size;
use crate::app::touch::{Style, button, tappable};
use portalavoro_core::access::TextSize;
use portalavoro_core::content::{Page as ListPage, Vacancy, VacancyIndex};
use portalavoro_core::session::{Facet, Filter, Intent, List, Page};

/// Rows on one page of the list.
pub const PAGE_SIZE: usize = 10;

pub fn list(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    let query = &cx.session.vacancy_query;
    let index = VacancyIndex::new(cx.catalog.open_vacancies(cx.now));
    let found = index.search(query);

    // With large text, or in the lower half of a landscape screen.
    if theme.text_scale > 1.0 || (cx.session.access.reach && cx.landscape) {
        return compact_list(ui, cx, &index, &found);
    }

    // The search field: a touch brings up the on-screen keyboard.
    ui.spawn(Node {
        flex_direction: theme.row(),
        column_gap: Val::VMin(size::GAP),
        ..default()
    })
    .with_children(|row| {
        let (shown, color) = if query.text.is_empty() {
            (cx.t("search_placeholder"), p.text_muted)
        } else {
            (query.text.clone(), p.text)
        };
        row.spawn((theme.card(), tappable(theme, Intent::Keyboard(true))))
            .insert(Node {
                flex_grow: 1.0,
                flex_shrink: 1.0,
                min_width: Val::Px(0.0),
                min_height: Val::VMin(size::TOUCH_TARGET * 1.2),
                justify_content: JustifyContent::Center,
                padding: UiRect::axes(Val::VMin(size::GAP), Val::VMin(size::GAP / 2.0)),
                border: UiRect::all(Val::VMin(0.4)),
                border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                ..default()
            })
            .insert(BorderColor::all(if cx.session.keyboard {
                p.accent
            } else {
                p.text_muted
            }))
            .with_child((theme.text(shown, size::BODY, color), Pickable::IGNORE));
        if !query.text.is_empty() {
            row.spawn(button(theme, "×", Intent::ClearText, Style::Plain));
        }
    });

    // Filter groups; the open one shows its choices with their counts.
    // Hidden while typing: the keyboard needs the room (landscape).
    if cx.session.keyboard {
        results(ui, cx, &found);
        return;
    }
    facets_and_choices(ui, cx, &index);
    results(ui, cx, &found);
}

/// With large text (or little height): search and filters as two buttons
/// on one row with the count, so the first vacancy shows without
/// scrolling; "Filtri" opens the filter groups.
fn compact_list(
    ui: &mut ChildSpawnerCommands,
    cx: &mut Cx,
    index: &VacancyIndex,
    found: &[&Vacancy],
) {
    let theme = cx.theme;
    let query = &cx.session.vacancy_query;
    ui.spawn(theme.wrap_row(size::GAP)).with_children(|row| {
        let search = if query.text.is_empty() {
            cx.t("search_button")
        } else {
            format!("{}: {}", cx.t("search_button"), query.text)
        };
        let style = if cx.session.keyboard || !query.text.is_empty() {
            Style::Chosen
        } else {
            Style::Plain
        };
        row.spawn(button(theme, search, Intent::Keyboard(true), style));
        if !query.text.is_empty() {
            row.spawn(button(theme, "×", Intent::ClearText, Style::Plain));
        }
        let chosen =
            query.sectors.len() + query.towns.len() + query.contracts.len() + query.hours.len();
        let mut label = cx.t("filters_button");
        if chosen > 0 {
            label = format!("{label} ({chosen})");
        }
        let (intent, style) = match cx.session.open_facet {
            // Closes the open group.
            Some(open) => (Intent::ShowFacet(open), Style::Chosen),
            None if chosen > 0 => (Intent::ShowFacet(Facet::Sector), Style::Chosen),
            None => (Intent::ShowFacet(Facet::Sector), Style::Plain),
        };
        row.spawn(button(theme, label, intent, style));
        count_and_clear(row, cx, found.len());
    });
    if cx.session.open_facet.is_some() && !cx.session.keyboard {
        facets_and_choices(ui, cx, index);
    }
    rows(ui, cx, found);
}

/// The filter groups; the open one shows its choices with their counts,
/// and is then what the page leads with.
fn facets_and_choices(ui: &mut ChildSpawnerCommands, cx: &Cx, index: &VacancyIndex) {
    let theme = cx.theme;
    let p = theme.palette;
    let query = &cx.session.vacancy_query;
    let facets = index.facets(query);
    ui.spawn(theme.wrap_row(size::GAP)).with_children(|row| {
        for facet in Facet::ALL {
            let chosen = match facet {
                Facet::Sector => query.sectors.len(),
                Facet::Town => query.towns.len(),
                Facet::Contract => query.contracts.len(),
                Facet::Hours => query.hours.len(),
            };
            let mut label = cx.t(facet_key(facet));
            if chosen > 0 {
                label = format!("{label} ({chosen})");
            }
            let style = if cx.session.open_facet == Some(facet) || chosen > 0 {
                Style::Chosen
            } else {
                Style::Plain
            };
            row.spawn(button(theme, label, Intent::ShowFacet(facet), style));
        }
    });
    if let Some(facet) = cx.session.open_facet {
        let choices: Vec<(String, usize, Filter, bool)> = match facet {
            Facet::Sector => facets
                .sectors
                .iter()
                .map(|(v, n)| {
                    (
                        v.clone(),
                        *n,
                        Filter::Sector(v.clone()),
                        query.sectors.contains(v),
                    )
                })
                .collect(),
            Facet::Town => facets
                .towns
                .iter()
                .map(|(v, n)| {
                    (
                        v.clone(),
                        *n,
                        Filter::Town(v.clone()),
                        query.towns.contains(v),
                    )
                })
                .collect(),
            Facet::Contract => facets
                .contracts
                .iter()
                .map(|(v, n)| {
                    let name = cx.t(&format!("contract_{}", v.key()));
                    (name, *n, Filter::Contract(*v), query.contracts.contains(v))
                })
                .collect(),
            Facet::Hours => facets
                .hours
                .iter()
                .map(|(v, n)| {
                    let name = cx.t(&format!("hours_{}", v.key()));
                    (name, *n, Filter::Hours(*v), query.hours.contains(v))
                })
                .collect(),
        };
        ui.spawn((
            theme.wrap_row(size::GAP / 1.5),
            BackgroundColor(p.surface),
            PageLead,
        ))
        .insert(Node {
            flex_direction: theme.row(),
            flex_wrap: FlexWrap::Wrap,
            column_gap: Val::VMin(size::GAP / 1.5),
            row_gap: Val::VMin(size::GAP / 1.5),
            padding: UiRect::all(Val::VMin(size::GAP)),
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        })
        .with_children(|chips| {
            for (name, count, filter, on) in choices {
                let style = if on { Style::Chosen } else { Style::Plain };
                chips.spawn(button(
                    theme,
                    format!("{name} · {count}"),
                    Intent::Toggle(filter),
                    style,
                ));
            }
        });
    }
}

/// How many, the way back to everything, and one page of rows.
fn results(ui: &mut ChildSpawnerCommands, cx: &Cx, found: &[&Vacancy]) {
    let theme = cx.theme;
    ui.spawn(Node {
        flex_direction: theme.row(),
        justify_content: JustifyContent::SpaceBetween,
        align_items: AlignItems::Center,
        column_gap: Val::VMin(size::GAP),
        ..default()
    })
    .with_children(|row| count_and_clear(row, cx, found.len()));
    rows(ui, cx, found);
}

/// "49 offerte", and "Cancella filtri" while any is set.
fn count_and_clear(row: &mut ChildSpawnerCommands, cx: &Cx, found: usize) {
    let theme = cx.theme;
    row.spawn((
        theme.strong(
            cx.count("results_count", found),
            size::HEADING,
            theme.palette.accent,
        ),
        Node {
            flex_grow: 1.0,
            ..default()
        },
    ));
    if !cx.session.vacancy_query.is_empty() {
        row.spawn(button(
            theme,
            cx.t("clear_filters"),
            Intent::ClearFilters,
            Style::Plain,
        ));
    }
}

/// One page of rows (the first leads the page), and the pager.
fn rows(ui: &mut ChildSpawnerCommands, cx: &Cx, found: &[&Vacancy]) {
    let theme = cx.theme;
    let p = theme.palette;
    if found.is_empty() {
        let mut none = ui.spawn(theme.text(cx.t("results_none"), size::BODY, p.text));
        if cx.session.open_facet.is_none() {
            none.insert(PageLead);
        }
        return;
    }
    let page = ListPage::of(found.len(), PAGE_SIZE, cx.session.pages.vacancies);
    for (index, vacancy) in found[page.start..page.end].iter().enumerate() {
        let row = row(ui, cx, vacancy);
        if index == 0 && cx.session.open_facet.is_none() {
            ui.commands().entity(row).insert(PageLead);
        }
    }
    if page.count > 1 {
        pager(ui, cx, List::Vacancies, page);
    }
}

/// One vacancy in the list: what a visitor scans for.
fn row(ui: &mut ChildSpawnerCommands, cx: &Cx, vacancy: &Vacancy) -> Entity {
    let theme = cx.theme;
    let p = theme.palette;
    let place: Vec<&str> = [vacancy.employer.as_deref(), vacancy.municipality.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let terms = terms(cx, vacancy);
    ui.spawn((
        theme.card(),
        tappable(theme, Intent::Open(Page::Vacancy(vacancy.id.clone()))),
    ))
    .with_children(|card| {
        card.spawn((
            theme.strong(cx.text(&vacancy.title), size::HEADING * 0.9, p.text),
            Pickable::IGNORE,
        ));
        fallback_tag(card, cx, &vacancy.title);
        // Where and on what terms: a line each in portrait; in landscape
        // (short and wide) side by side, wrapping only when they must, and
        // with large text no larger than the frame's (the title, and the
        // vacancy's own page, stay large).
        let landscape = cx.landscape;
        let chrome = cx.theme.chrome();
        let facts_theme = if landscape { &chrome } else { theme };
        let mut facts = card.spawn((
            if landscape {
                Node {
                    flex_direction: theme.row(),
                    flex_wrap: FlexWrap::Wrap,
                    column_gap: Val::VMin(size::GAP * 1.5),
                    align_items: AlignItems::Baseline,
                    ..default()
                }
            } else {
                Node {
                    flex_direction: FlexDirection::Column,
                    ..default()
                }
            },
            Pickable::IGNORE,
        ));
        facts.with_children(|facts| {
            if !place.is_empty() {
                facts.spawn((
                    facts_theme.text(place.join(" · "), size::BODY, p.text_muted),
                    Pickable::IGNORE,
                ));
            }
            facts.spawn((
                facts_theme.text(terms, size::SMALL, p.accent),
                Pickable::IGNORE,
            ));
        });
    })
    .id()
}

/// "Tempo determinato · Part-time · Pubblicata il 20/11/2026".
fn terms(cx: &Cx, vacancy: &Vacancy) -> String {
    let mut parts = Vec::new();
    if let Some(contract) = vacancy.contract {
        parts.push(cx.t(&format!("contract_{}", contract.key())));
    }
    if let Some(hours) = vacancy.hours {
        parts.push(cx.t(&format!("hours_{}", hours.key())));
    }
    parts.push(cx.f("posted_on", &[("date", &cx.short_date(vacancy.posted_at))]));
    parts.join(" · ")
}

/// One vacancy in full. What the visitor takes away (the code for the
/// desk, the QR code to apply) stays in view: beside the text in
/// landscape, right under the title and terms in portrait (and in
/// landscape at the largest text, where a column beside the card would
/// leave the title a word a line).
pub fn detail(ui: &mut ChildSpawnerCommands, cx: &mut Cx, id: &str) {
    let theme = cx.theme;
    let p = theme.palette;
    let catalog = cx.catalog;
    let Some(vacancy) = catalog
        .open_vacancies(cx.now)
        .into_iter()
        .find(|v| v.id == id)
    else {
        // Withdrawn or expired while it was open.
        ui.spawn(theme.text(cx.t("vacancy_gone"), size::HEADING, p.text));
        return;
    };
    if !cx.landscape || theme.text_scale >= TextSize::Largest.scale() {
        summary(ui, cx, vacancy);
        // The QR code under the code: beside it, the code's card could
        // not be measured at the width it is drawn at (and a code in large
        // text leaves no room beside it).
        takeaway(ui, cx, vacancy, true);
        body(ui, cx, vacancy);
        return;
    }
    ui.spawn(Node {
        flex_direction: theme.row(),
        column_gap: Val::VMin(size::GAP * 2.0),
        ..default()
    })
    .with_children(|row| {
        row.spawn(Node {
            flex_direction: FlexDirection::Column,
            flex_grow: 1.0,
            flex_basis: Val::Px(0.0),
            row_gap: Val::VMin(size::GAP),
            ..default()
        })
        .with_children(|text| {
            summary(text, cx, vacancy);
            body(text, cx, vacancy);
        });
        row.spawn(Node {
            flex_direction: FlexDirection::Column,
            // As wide as the code needs (it never breaks), at least 55.
            min_width: Val::VMin(55.0),
            max_width: Val::Percent(60.0),
            flex_shrink: 0.0,
            row_gap: Val::VMin(size::GAP * 1.5),
            ..default()
        })
        .with_children(|side| takeaway(side, cx, vacancy, true));
    });
}

/// Title, employer and place, contract and dates.
fn summary(ui: &mut ChildSpawnerCommands, cx: &mut Cx, vacancy: &Vacancy) {
    let theme = cx.theme;
    let p = theme.palette;
    ui.spawn(theme.strong(cx.text(&vacancy.title), size::TITLE * 0.85, p.text));
    fallback_tag(ui, cx, &vacancy.title);
    let place: Vec<&str> = [
        vacancy.employer.as_deref(),
        vacancy.municipality.as_deref(),
        vacancy.sector.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !place.is_empty() {
        ui.spawn(theme.text(place.join(" · "), size::HEADING * 0.85, p.text_muted));
    }
    let mut terms = terms(cx, vacancy);
    if vacancy.positions > 1 {
        terms = format!(
            "{terms} · {}",
            cx.f("positions", &[("count", &vacancy.positions.to_string())])
        );
    }
    ui.spawn(theme.text(terms, size::BODY, p.accent));
    if let Some(expires) = vacancy.expires_at {
        ui.spawn(theme.text(
            cx.f("expires_on", &[("date", &cx.short_date(expires))]),
            size::BODY,
            p.text_muted,
        ));
    }
}

/// The code to quote at the desk, and the QR code to apply from a phone,
/// side by side when there is room.
fn takeaway(ui: &mut ChildSpawnerCommands, cx: &mut Cx, vacancy: &Vacancy, stacked: bool) {
    let theme = cx.theme;
    let p = theme.palette;
    let code = vacancy
        .reference
        .clone()
        .unwrap_or_else(|| vacancy.id.clone());
    ui.spawn(Node {
        flex_direction: if stacked {
            FlexDirection::Column
        } else {
            theme.row()
        },
        align_items: if stacked {
            AlignItems::Center
        } else {
            AlignItems::Stretch
        },
        column_gap: Val::VMin(size::GAP * 1.5),
        row_gap: Val::VMin(size::GAP * 1.5),
        ..default()
    })
    .with_children(|row| {
        row.spawn(theme.card())
            .insert(Node {
                flex_direction: FlexDirection::Column,
                flex_grow: 1.0,
                align_self: AlignSelf::Stretch,
                justify_content: JustifyContent::Center,
                padding: UiRect::all(Val::VMin(size::GAP * 1.5)),
                row_gap: Val::VMin(size::GAP / 2.0),
                border: UiRect::all(Val::VMin(0.5)),
                border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
                ..default()
            })
            .insert(BorderColor::all(p.accent))
            .with_children(|card| {
                card.spawn(theme.text(cx.t("reference_label"), size::BODY, p.text_muted));
                card.spawn(theme.code(code, size::CODE, p.accent));
                card.spawn(theme.strong(cx.t("reference_hint"), size::BODY, p.text));
            });
        match &vacancy.apply_url {
            Some(url) => qr_card(row, cx, url, cx.t("qr_apply"), 26.0),
            None => {
                row.spawn(theme.card()).with_child(theme.text(
                    cx.t("apply_at_desk"),
                    size::BODY,
                    p.text,
                ));
            }
        }
    });
}

/// Description and requirements.
fn body(ui: &mut ChildSpawnerCommands, cx: &mut Cx, vacancy: &Vacancy) {
    let theme = cx.theme;
    let p = theme.palette;
    if let Some(description) = &vacancy.description {
        section(ui, cx, cx.t("description_heading"));
        ui.spawn(theme.text(cx.text(description), size::BODY, p.text));
    }
    if !vacancy.requirements.is_empty() {
        section(ui, cx, cx.t("requirements_heading"));
        for requirement in &vacancy.requirements {
            ui.spawn(theme.text(format!("• {}", cx.text(requirement)), size::BODY, p.text));
        }
    }
}

fn facet_key(facet: Facet) -> &'static str {
    match facet {
        Facet::Sector => "facet_sector",
        Facet::Town => "facet_town",
        Facet::Contract => "facet_contract",
        Facet::Hours => "facet_hours",
    }
}
