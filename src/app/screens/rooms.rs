//! Rooms and events: every room with its state now and today's timeline,
//! and today's public events with their time and room. Private bookings
//! show only "booked", never their title. The rooms come first (a handful,
//! where a busy day has dozens of events), and the first room leads the
//! page; in landscape at normal text the two stand side by side, so the
//! first event shows without scrolling too. Both are paged, and a room's
//! timeline shows what is left of its day, up to [`TIMELINE`] bookings:
//! a hub with hundreds of rooms or thousands of bookings spawns a page.

use bevy::prelude::*;

use super::frame::{pager, qr_card, section, text_column};
use super::{Cx, PageLead};
use crate::app::theme::size;
use portalavoro_core::content::{Booking, Page as ListPage, RoomState};
use portalavoro_core::session::List;

/// Rooms and events on one page of their list.
pub const ROOMS_PAGE: usize = 8;
pub const EVENTS_PAGE: usize = 10;
/// Bookings on a room's timeline.
pub const TIMELINE: usize = 6;

pub fn build(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    if !cx.landscape || cx.theme.text_scale > 1.0 {
        rooms(ui, cx, true);
        events(ui, cx, false);
        return;
    }
    let column = || Node {
        flex_direction: FlexDirection::Column,
        flex_grow: 1.0,
        flex_basis: Val::Px(0.0),
        min_width: Val::Px(0.0),
        row_gap: Val::VMin(size::GAP),
        ..default()
    };
    ui.spawn(Node {
        flex_direction: cx.theme.row(),
        align_items: AlignItems::FlexStart,
        column_gap: Val::VMin(size::GAP * 1.5),
        width: percent(100),
        ..default()
    })
    .with_children(|columns| {
        columns
            .spawn(column())
            .with_children(|events_column| events(events_column, cx, true));
        columns
            .spawn(column())
            .with_children(|rooms_column| rooms(rooms_column, cx, true));
    });
}

/// Today's public events; with `lead`, the first leads the page.
fn events(ui: &mut ChildSpawnerCommands, cx: &mut Cx, lead: bool) {
    let theme = cx.theme;
    let p = theme.palette;
    let catalog = cx.catalog;
    let now = cx.now;
    let tz = cx.tz().clone();

    section(ui, cx, cx.t("events_heading"));
    let events = catalog.todays_public_events(now, &tz);
    if events.is_empty() {
        ui.spawn(theme.text(cx.t("events_none"), size::BODY, p.text_muted));
    }
    let mut lead = lead;
    let page = ListPage::of(events.len(), EVENTS_PAGE, cx.session.pages.events);
    for event in &events[page.start..page.end] {
        let room = catalog
            .rooms
            .iter()
            .find(|r| r.id == event.room_id)
            .map(|r| cx.text(&r.name).to_string())
            .unwrap_or_default();
        let first = std::mem::take(&mut lead);
        card(ui, cx).with_children(|card| {
            card.spawn(text_column()).with_children(|text| {
                // When, what and where: what must show unscrolled.
                heading_block(text, first).with_children(|heading| {
                    heading.spawn(theme.strong(span(cx, event), size::HEADING, p.accent));
                    heading.spawn(theme.strong(title(cx, event), size::HEADING * 0.9, p.text));
                    heading.spawn(theme.text(
                        format!(
                            "{room} · {}",
                            cx.t(&format!("booking_kind_{}", event.kind.key()))
                        ),
                        size::BODY,
                        p.text_muted,
                    ));
                });
                if let Some(description) = &event.description {
                    text.spawn(theme.text(cx.text(description), size::BODY, p.text));
                }
            });
            if let Some(link) = &event.link {
                qr_card(card, cx, link, cx.t("qr_event"), 18.0);
            }
        });
    }
    if page.count > 1 {
        pager(ui, cx, List::Events, page);
    }
}

/// Every room with its state now and today's timeline; with `lead`, the
/// first leads the page.
fn rooms(ui: &mut ChildSpawnerCommands, cx: &mut Cx, lead: bool) {
    let theme = cx.theme;
    let p = theme.palette;
    let catalog = cx.catalog;
    let now = cx.now;
    let tz = cx.tz().clone();

    section(ui, cx, cx.t("rooms_heading"));
    let mut lead = lead;
    let rooms = catalog.room_states(now, &tz);
    if rooms.is_empty() {
        ui.spawn(theme.text(cx.t("rooms_none"), size::BODY, p.text_muted));
    }
    let today = catalog.todays_bookings(now, &tz);
    let page = ListPage::of(rooms.len(), ROOMS_PAGE, cx.session.pages.rooms);
    let more_rooms = page.count > 1;
    for (room, state) in rooms
        .into_iter()
        .skip(page.start)
        .take(page.end - page.start)
    {
        let (state_text, free) = match &state {
            RoomState::Free { next: None } => (cx.t("room_free_all_day"), true),
            RoomState::Free { next: Some(next) } => (
                format!(
                    "{} · {}",
                    cx.t("room_free"),
                    cx.f("room_next", &[("time", &cx.time(next.starts_at))])
                ),
                true,
            ),
            RoomState::Busy { until, .. } => (
                cx.f("room_busy_until", &[("time", &cx.time(*until))]),
                false,
            ),
            RoomState::Unknown => (cx.t("room_unknown"), false),
        };
        let mut facts = vec![cx.t(&format!("room_kind_{}", room.kind.key()))];
        if let Some(floor) = &room.floor {
            facts.push(cx.f("room_floor", &[("floor", floor)]));
        }
        if let Some(capacity) = room.capacity {
            facts.push(cx.f("room_capacity", &[("count", &capacity.to_string())]));
        }
        // What is left of the day (and the last booking that ended, for
        // context), up to the timeline's length, then how many more.
        let mine: Vec<&Booking> = today
            .iter()
            .copied()
            .filter(|b| b.room_id == room.id)
            .collect();
        let first_left = mine
            .iter()
            .position(|b| b.ends_at > now)
            .unwrap_or(mine.len());
        let from = first_left.saturating_sub(1);
        let shown = &mine[from..(from + TIMELINE).min(mine.len())];
        let hidden = mine.len() - from - shown.len();
        let first = std::mem::take(&mut lead);
        card(ui, cx).with_children(|card| {
            card.spawn(text_column()).with_children(|text| {
                // Which room and whether it is free: what must show
                // unscrolled; the day's timeline follows.
                heading_block(text, first).with_children(|heading| {
                    heading.spawn(theme.strong(cx.text(&room.name), size::HEADING, p.text));
                    heading.spawn(theme.text(facts.join(" · "), size::BODY, p.text_muted));
                    // Free in the accent colour, busy in plain text, each
                    // with its word: colour is never the only sign.
                    heading.spawn(theme.strong(
                        state_text,
                        size::BODY,
                        if free { p.accent } else { p.text },
                    ));
                });
                for booking in shown {
                    let past = booking.ends_at <= now;
                    text.spawn(theme.text(
                        format!("{}  {}", span(cx, booking), title(cx, booking)),
                        size::BODY,
                        if past { p.text_muted } else { p.text },
                    ));
                }
                if hidden > 0 {
                    let more = cx.count("more_items", hidden);
                    text.spawn(theme.text(more, size::BODY, p.text_muted));
                }
            });
            if let Some(url) = &room.booking_url {
                qr_card(card, cx, url, cx.t("qr_booking"), 18.0);
            }
        });
    }
    if more_rooms {
        pager(ui, cx, List::Rooms, page);
    }
}

/// "09:30–11:00".
pub fn span(cx: &Cx, booking: &Booking) -> String {
    format!(
        "{}–{}",
        cx.time(booking.starts_at),
        cx.time(booking.ends_at)
    )
}

/// A public booking's title; a private one is only "booked".
pub fn title(cx: &Cx, booking: &Booking) -> String {
    match (&booking.title, booking.public) {
        (Some(title), true) => cx.text(title).to_string(),
        _ => cx.t("booking_private"),
    }
}

/// A card of the page: a row (text, and a QR code beside it); with large
/// text the QR code goes under the text, which needs the width.
fn card<'a>(ui: &'a mut ChildSpawnerCommands, cx: &Cx) -> EntityCommands<'a> {
    let theme = cx.theme;
    let mut card = ui.spawn(theme.card());
    card.insert(Node {
        flex_direction: if theme.text_scale > 1.0 {
            FlexDirection::Column
        } else {
            theme.row()
        },
        column_gap: Val::VMin(size::GAP * 1.5),
        padding: UiRect::all(Val::VMin(size::GAP)),
        border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
        ..default()
    });
    card
}

/// What names a card's item; in the column's first card (`lead`), what
/// the page leads with.
fn heading_block<'a>(text: &'a mut ChildSpawnerCommands, lead: bool) -> EntityCommands<'a> {
    let mut heading = text.spawn(Node {
        flex_direction: FlexDirection::Column,
        row_gap: Val::VMin(size::GAP / 3.0),
        ..default()
    });
    if lead {
        heading.insert(PageLead);
    }
    heading
}
