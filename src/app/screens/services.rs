//! Services: what the hub offers, a page at a time; one service in plain
//! words (who it is for, what to bring as a checklist, where and when),
//! and how to get it: come to the desk, go online (a QR code), or book an
//! appointment in two touches (a day, a time), held at the hub and
//! finished on the visitor's own phone from a QR code and a short code.
//! The totem never asks for a name or any personal data.

use bevy::prelude::*;
use jiff::Timestamp;

use super::frame::{fallback_tag, pager, qr_card, section, text_column};
use super::{Cx, PageLead};
use crate::app::theme::size;
use crate::app::touch::{Style, button, tappable};
use portalavoro_core::appointment::{self, Appointment, Day, Refusal};
use portalavoro_core::content::{Access, Hold, Page as ListPage, Service};
use portalavoro_core::session::{Intent, List, Page};

/// Services on one page of the list.
pub const PAGE_SIZE: usize = 8;

pub fn list(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    let services = &cx.catalog.services;
    if services.is_empty() {
        ui.spawn((
            theme.text(cx.t("services_none"), size::HEADING, p.text),
            PageLead,
        ));
        return;
    }
    let page = ListPage::of(services.len(), PAGE_SIZE, cx.session.pages.services);
    for (index, service) in services[page.start..page.end].iter().enumerate() {
        ui.spawn((
            theme.card(),
            tappable(theme, Intent::Open(Page::Service(service.id.clone()))),
        ))
        .insert(Node {
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(Val::VMin(size::GAP)),
            row_gap: Val::VMin(size::GAP / 3.0),
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        })
        .with_children(|card| {
            card.spawn((text_column(), Pickable::IGNORE))
                .with_children(|text| {
                    let mut title = text.spawn((
                        theme.strong(cx.text(&service.name), size::HEADING * 0.85, p.text),
                        Pickable::IGNORE,
                    ));
                    if index == 0 {
                        title.insert(PageLead);
                    }
                    fallback_tag(text, cx, &service.name);
                    text.spawn((
                        theme.strong(access_line(cx, service), size::BODY, p.accent),
                        Pickable::IGNORE,
                    ));
                    text.spawn((
                        theme.text(cx.text(&service.summary), size::BODY, p.text_muted),
                        Pickable::IGNORE,
                    ));
                });
        });
    }
    if page.count > 1 {
        pager(ui, cx, List::Services, page);
    }
}

/// How one gets the service, in a few words.
pub fn access_line(cx: &Cx, service: &Service) -> String {
    cx.t(&format!("service_access_{}", service.access.key()))
}

pub fn detail(ui: &mut ChildSpawnerCommands, cx: &mut Cx, id: &str) {
    let theme = cx.theme;
    let p = theme.palette;
    let catalog = cx.catalog;
    let Some(service) = catalog.service(id) else {
        ui.spawn(theme.text(cx.t("services_gone"), size::HEADING, p.text));
        return;
    };
    ui.spawn((
        theme.strong(cx.text(&service.name), size::TITLE * 0.85, p.text),
        PageLead,
    ));
    fallback_tag(ui, cx, &service.name);
    ui.spawn(theme.strong(access_line(cx, service), size::BODY, p.accent));
    // A slot held is what the visitor needs now: its QR code comes first,
    // where the page starts (the times they touched were further down).
    let held_here = match &cx.session.appointment {
        Appointment::Held { service: s, hold } if *s == service.id => Some(hold.clone()),
        _ => None,
    };
    if let Some(hold) = &held_here {
        section(ui, cx, cx.t("appointment_title"));
        held(ui, cx, hold);
    }
    ui.spawn(theme.text(cx.text(&service.summary), size::BODY, p.text));
    if let Some(audience) = &service.audience {
        section(ui, cx, cx.t("service_audience"));
        ui.spawn(theme.text(cx.text(audience), size::BODY, p.text));
    }
    if !service.bring.is_empty() {
        section(ui, cx, cx.t("service_bring"));
        for thing in &service.bring {
            checklist_row(ui, cx, cx.text(thing));
        }
    }
    if let Some(place) = &service.place {
        section(ui, cx, cx.t("service_place"));
        ui.spawn(theme.text(cx.text(place), size::BODY, p.text));
    }
    if let Some(hours) = &service.hours {
        section(ui, cx, cx.t("service_hours"));
        ui.spawn(theme.text(cx.text(hours), size::BODY, p.text));
    }
    match service.access {
        Access::WalkIn => {
            section(ui, cx, cx.t("service_how"));
            ui.spawn(theme.text(cx.t("service_walk_in"), size::BODY, p.text));
        }
        Access::Online => {
            if let Some(link) = &service.link {
                qr_card(ui, cx, link, cx.t("qr_service_online"), 26.0);
            }
        }
        Access::Appointment if held_here.is_none() => booking(ui, cx, service),
        Access::Appointment => {}
    }
    if service.access != Access::Online
        && let Some(link) = &service.link
    {
        qr_card(ui, cx, link, cx.t("qr_service_more"), 22.0);
    }
}

/// One thing to bring: an empty box to tick in one's head, and the thing.
fn checklist_row(ui: &mut ChildSpawnerCommands, cx: &Cx, text: &str) {
    let theme = cx.theme;
    let p = theme.palette;
    ui.spawn(Node {
        flex_direction: theme.row(),
        column_gap: Val::VMin(size::GAP),
        align_items: AlignItems::FlexStart,
        ..default()
    })
    .with_children(|row| {
        let side = theme.scaled(size::BODY) * 0.9;
        row.spawn((
            Node {
                width: Val::VMin(side),
                height: Val::VMin(side),
                flex_shrink: 0.0,
                margin: UiRect::top(Val::VMin(side * 0.2)),
                border: UiRect::all(Val::VMin(0.4)),
                border_radius: BorderRadius::all(Val::VMin(0.5)),
                ..default()
            },
            BorderColor::all(p.accent),
        ));
        row.spawn((text_column(), Pickable::IGNORE))
            .with_child(theme.text(text.to_string(), size::BODY, p.text));
    });
}

/// Booking a service by appointment: where the visitor's booking stands.
fn booking(ui: &mut ChildSpawnerCommands, cx: &mut Cx, service: &Service) {
    let theme = cx.theme;
    let p = theme.palette;
    section(ui, cx, cx.t("appointment_title"));
    let appointment = &cx.session.appointment;
    let ours = appointment.service() == Some(service.id.as_str());
    match appointment {
        Appointment::Slots {
            days, day, refused, ..
        } if ours => {
            if let Some(why) = refused {
                alert(ui, cx, refusal(cx, *why));
            }
            choose(ui, cx, days, *day);
        }
        Appointment::Unavailable { none_free, .. } if ours => {
            let key = if *none_free {
                "appointment_none_free"
            } else {
                "appointment_unavailable"
            };
            ui.spawn(theme.text(cx.t(key), size::BODY, p.text));
            ui.spawn(button(
                theme,
                cx.t("appointment_retry"),
                Intent::Retry,
                Style::Plain,
            ));
        }
        Appointment::Holding { .. } if ours => {
            ui.spawn(theme.text(cx.t("appointment_holding"), size::BODY, p.text));
        }
        // Asking, or about to.
        _ => {
            ui.spawn(theme.text(cx.t("appointment_loading"), size::BODY, p.text_muted));
        }
    }
    ui.spawn(theme.text(cx.t("appointment_private"), size::SMALL, p.text_muted));
}

/// Two touches: a day, then a time.
fn choose(ui: &mut ChildSpawnerCommands, cx: &Cx, days: &[Day], chosen: usize) {
    let theme = cx.theme;
    let p = theme.palette;
    ui.spawn(theme.text(cx.t("appointment_choose_day"), size::BODY, p.text));
    ui.spawn(theme.wrap_row(size::GAP)).with_children(|row| {
        for (index, day) in days.iter().enumerate() {
            let style = if index == chosen {
                Style::Chosen
            } else {
                Style::Plain
            };
            row.spawn(button(theme, day_label(cx, day), Intent::Day(index), style));
        }
    });
    let Some(day) = days.get(chosen) else { return };
    ui.spawn(theme.text(cx.t("appointment_choose_time"), size::BODY, p.text));
    ui.spawn(theme.wrap_row(size::GAP)).with_children(|row| {
        for slot in &day.slots {
            row.spawn(button(
                theme,
                cx.time(slot.starts_at),
                Intent::HoldSlot(slot.id.clone()),
                Style::Plain,
            ));
        }
    });
}

/// "giovedì 10/12".
pub fn day_label(cx: &Cx, day: &Day) -> String {
    let weekday = cx.strings.weekday(cx.lang, day.date.weekday());
    format!("{weekday} {:02}/{:02}", day.date.day(), day.date.month())
}

/// The slot held: the QR code of the phone's page, the code in large type,
/// until when, and a way to let it go.
fn held(ui: &mut ChildSpawnerCommands, cx: &mut Cx, hold: &Hold) {
    let theme = cx.theme;
    let p = theme.palette;
    if appointment::expired(hold, cx.now) {
        ui.spawn(theme.text(cx.t("appointment_expired"), size::BODY, p.text));
        ui.spawn(button(
            theme,
            cx.t("appointment_retry"),
            Intent::Retry,
            Style::Plain,
        ));
        return;
    }
    let held_line = cx.f(
        "appointment_held",
        &[
            ("when", &when(cx, hold.starts_at)),
            ("until", &cx.time(hold.expires_at)),
        ],
    );
    let no_camera = cx.f(
        "appointment_no_camera",
        &[("address", &page_address(&hold.url))],
    );
    // In portrait one column; in landscape, short, the QR code beside the
    // rest, so it shows where the page starts.
    let landscape = cx.landscape;
    ui.spawn(Node {
        flex_direction: if landscape {
            theme.row()
        } else {
            FlexDirection::Column
        },
        column_gap: Val::VMin(size::GAP * 1.5),
        row_gap: Val::VMin(size::GAP),
        // (A column's text takes the column's width, and wraps in it.)
        align_items: if landscape {
            AlignItems::FlexStart
        } else {
            AlignItems::Stretch
        },
        ..default()
    })
    .with_children(|block| {
        if landscape {
            qr_card(block, cx, &hold.url, cx.t("appointment_scan"), 30.0);
        }
        block.spawn(text_column()).with_children(|text| {
            text.spawn(theme.strong(held_line, size::BODY, p.accent));
            if !landscape {
                qr_card(text, cx, &hold.url, cx.t("appointment_scan"), 30.0);
            }
            text.spawn(theme.text(cx.t("appointment_code"), size::BODY, p.text));
            text.spawn(theme.code(hold.code.clone(), size::TITLE * 1.2, p.accent));
            text.spawn(theme.text(no_camera, size::BODY, p.text_muted));
            text.spawn(button(
                theme,
                cx.t("appointment_release"),
                Intent::Release,
                Style::Plain,
            ));
        });
    });
}

/// "giovedì 10 dicembre 2026, 09:30".
fn when(cx: &Cx, at: Timestamp) -> String {
    format!("{}, {}", cx.long_date(at), cx.time(at))
}

/// Where a visitor without a camera types the code: the phone page's
/// origin and `/a`, without the scheme.
pub fn page_address(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{host}/a")
}

fn refusal(cx: &Cx, why: Refusal) -> String {
    match why {
        Refusal::Taken => cx.t("appointment_taken"),
        Refusal::Limit { minutes } => cx.count("appointment_limit", minutes as usize),
        Refusal::Unavailable => cx.t("appointment_refused"),
    }
}

/// A message the visitor must not miss, in the alert colour.
fn alert(ui: &mut ChildSpawnerCommands, cx: &Cx, text: String) {
    let theme = cx.theme;
    ui.spawn(theme.card_in(theme.palette.urgent))
        .with_child(theme.text(text, size::BODY, Color::WHITE));
}

#[cfg(test)]
mod tests {
    use super::page_address;

    #[test]
    fn the_address_to_type_is_the_host_and_a() {
        assert_eq!(
            page_address("https://lavoro.example.org/a/0123?lang=ar"),
            "lavoro.example.org/a"
        );
        assert_eq!(
            page_address("http://127.0.0.1:8080/a/x"),
            "127.0.0.1:8080/a"
        );
    }
}
