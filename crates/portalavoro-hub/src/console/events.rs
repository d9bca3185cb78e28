//! Events and room bookings: today's and the week's, per site, and a form
//! to add one (a public event is listed among the day's events on the
//! kiosks; a private booking shows only as "booked").

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::session::CsrfOnly;
use super::words::Words;
use super::{Done, Page, Refused, Signed, changed_then, clock, italian, localised, sent};
use crate::content;
use crate::error::ApiError;
use crate::feeds::day_bounds;
use crate::intake::{Kind, intake};
use crate::state::AppState;

const KINDS: [&str; 6] = [
    "event",
    "workshop",
    "course",
    "meeting",
    "interview",
    "other",
];

const ROOM_KINDS: [&str; 6] = [
    "interview",
    "lab",
    "classroom",
    "coworking",
    "meeting",
    "other",
];

/// A booking's or a room's kind as staff read it.
fn kind_name(w: &Words, kind: &str) -> &'static str {
    match kind {
        "event" => w.k_event,
        "workshop" => w.k_workshop,
        "course" => w.k_course,
        "meeting" => w.k_meeting,
        "interview" => w.k_interview,
        "lab" => w.k_lab,
        "classroom" => w.k_classroom,
        "coworking" => w.k_coworking,
        _ => w.k_other,
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let flash = done.flash(signed.lang.words());
    render(&state, &signed, flash, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    flash: Option<&str>,
    refused: Option<Refused>,
) -> Response {
    let w = signed.lang.words();
    let loaded = async {
        Ok::<_, crate::db::DbError>((
            state.db.items("bookings", 10_000).await?,
            state.db.items("rooms", 1_000).await?,
            state.db.sites().await?,
        ))
    };
    let (bookings, rooms, sites) = match loaded.await {
        Ok(loaded) => loaded,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let tz = state.config.timezone.clone();
    let today = state.now().to_zoned(tz.clone()).date();
    let (start, _) = day_bounds(today, &tz);
    let (_, end) = day_bounds(
        today.checked_add(jiff::ToSpan::days(6)).unwrap_or(today),
        &tz,
    );
    let mut week: Vec<_> = bookings
        .iter()
        .filter(|b| b.starts_at.is_some_and(|s| s < end) && b.ends_at.is_some_and(|e| e > start))
        .collect();
    week.sort_by_key(|b| b.starts_at);
    let room_name = |id: &str| {
        rooms
            .iter()
            .find(|r| r.id == id)
            .map(|r| {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let site = r
                    .scope
                    .site_id
                    .as_deref()
                    .and_then(|s| sites.iter().find(|x| x.id == s))
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                format!("{} · {site}", italian(&body["name"]))
            })
            .unwrap_or_else(|| id.to_string())
    };
    let body = html! {
        main id="main" class="content" {
            h1 { (w.events) }
            @if let Some(flash) = flash { p class="flash" role="status" { (flash) } }
            @if let Some(refused) = &refused { p class="error" role="alert" { strong { (w.error) ": " } (refused.why) } }
            h2 { (w.this_week) }
            @if week.is_empty() { p class="muted" { (w.none) } }
            ul class="items" {
                @for booking in &week {
                    @let item: Value = serde_json::from_str(&booking.body).unwrap_or_default();
                    @let title = if item["title"].is_null() { w.private_booking.split(':').next().unwrap_or("").to_string() } else { italian(&item["title"]) };
                    li class="item" {
                        p class="text" { (title) }
                        p class="meta" {
                            (clock(state, booking.starts_at.unwrap_or(0))) "–" (clock(state, booking.ends_at.unwrap_or(0)))
                            " · " (room_name(booking.room_id.as_deref().unwrap_or("")))
                            @if item["public"] == Value::Bool(true) { " · " (w.public_event.split(" (").next().unwrap_or("")) }
                        }
                        form method="post" action=(format!("/console/events/{}/delete", booking.id)) {
                            input type="hidden" name="csrf" value=(signed.csrf);
                            button type="submit" aria-label=(format!("{} – {title}", w.delete)) { (w.delete) }
                        }
                    }
                }
            }
            h2 { (w.add_event) }
            @if rooms.is_empty() {
                p class="muted" { (w.no_rooms) }
            } @else {
                form method="post" action="/console/events" {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    label for="room" { (w.room) }
                    select id="room" name="room" required {
                        @for room in &rooms { option value=(room.id) selected[sent(&refused, "room") == room.id] { (room_name(&room.id)) } }
                    }
                    label for="title_it" { (w.title_it) }
                    input id="title_it" name="title_it" type="text" lang="it" maxlength="200" value=(sent(&refused, "title_it"));
                    label for="title_en" { (w.title_en) }
                    input id="title_en" name="title_en" type="text" lang="en" maxlength="200" value=(sent(&refused, "title_en"));
                    div class="row" {
                        div { label for="date" { (w.date) } input id="date" name="date" type="date" value=(Some(sent(&refused, "date")).filter(|d| !d.is_empty()).map_or(today.to_string(), String::from)) required; }
                        div { label for="from" { (w.from_time) } input id="from" name="from" type="time" required value=(sent(&refused, "from")); }
                        div { label for="to" { (w.to_time) } input id="to" name="to" type="time" required value=(sent(&refused, "to")); }
                    }
                    label for="kind" { (w.kind) }
                    select id="kind" name="kind" { @for kind in KINDS { option value=(kind) selected[sent(&refused, "kind") == kind] { (kind_name(w, kind)) } } }
                    label class="choice" { input type="checkbox" name="public" value="yes" checked[refused.is_none() || sent(&refused, "public") == "yes"]; (w.public_event) }
                    p class="muted" { (w.private_booking) }
                    button type="submit" class="primary" { (w.add) }
                }
            }
            h2 { (w.add_room) }
            form method="post" action="/console/rooms" {
                input type="hidden" name="csrf" value=(signed.csrf);
                label for="room_name" { (w.room_name) }
                input id="room_name" name="room_name" type="text" lang="it" maxlength="120" required value=(sent(&refused, "room_name"));
                div class="row" {
                    div {
                        label for="room_site" { (w.site) }
                        select id="room_site" name="room_site" required {
                            @for site in &sites { option value=(site.id) selected[sent(&refused, "room_site") == site.id] { (site.name) } }
                        }
                    }
                    div {
                        label for="room_kind" { (w.kind) }
                        select id="room_kind" name="room_kind" { @for kind in ROOM_KINDS { option value=(kind) selected[sent(&refused, "room_kind") == kind] { (kind_name(w, kind)) } } }
                    }
                }
                div class="row" {
                    div { label for="floor" { (w.floor) } input id="floor" name="floor" type="text" maxlength="40" value=(sent(&refused, "floor")); }
                    div { label for="capacity" { (w.capacity) } input id="capacity" name="capacity" type="text" inputmode="numeric" maxlength="6" value=(sent(&refused, "capacity")); }
                }
                button type="submit" { (w.add_room) }
            }
        }
    };
    Page::signed(signed, "/console/events", w.events, body).refused_if(refused.is_some())
}

#[derive(Deserialize, Serialize)]
pub struct NewEvent {
    csrf: String,
    room: String,
    #[serde(default)]
    title_it: String,
    #[serde(default)]
    title_en: String,
    date: String,
    from: String,
    to: String,
    kind: String,
    public: Option<String>,
}

pub async fn add(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NewEvent>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let w = signed.lang.words();
    let tz = state.config.timezone.clone();
    let at = |time: &str| -> Result<String, String> {
        let civil: jiff::civil::DateTime = format!("{}T{}", form.date, time)
            .parse()
            .map_err(|_| w.bad_time.to_string())?;
        Ok(civil
            .to_zoned(tz.clone())
            .map_err(|e| e.to_string())?
            .timestamp()
            .to_string())
    };
    let result = async {
        let public = form.public.is_some();
        let title = localised(&[("it", &form.title_it), ("en", &form.title_en)]);
        if public && title.is_none() {
            return Err(w.title_it.to_string());
        }
        let item = json!({
            "room_id": form.room,
            "starts_at": at(&form.from)?,
            "ends_at": at(&form.to)?,
            "title": title,
            "kind": form.kind,
            "public": public,
        });
        let item = intake(Kind::Bookings, item, None).map_err(|e| e.to_string())?;
        content::store(&state, &signed.actor(), item)
            .await
            .map_err(|e| e.to_string())
    };
    match result.await {
        Ok(_) => Redirect::to("/console/events?done=saved").into_response(),
        Err(error) => render(&state, &signed, None, Some(Refused::of(error, &form))).await,
    }
}

pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let written = state
        .db
        .delete_item("bookings", &id, &signed.actor(), state.now().as_second())
        .await;
    changed_then(&state, written, "/console/events?done=deleted")
}

#[derive(Deserialize, Serialize)]
pub struct NewRoom {
    csrf: String,
    room_name: String,
    room_site: String,
    room_kind: String,
    #[serde(default)]
    floor: String,
    #[serde(default)]
    capacity: String,
}

/// `POST /console/rooms`: a room of a site, so its bookings can be added.
pub async fn add_room(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NewRoom>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let result = async {
        let mut room = json!({"name": {"it": form.room_name.trim()}, "kind": form.room_kind, "site": form.room_site});
        if !form.floor.trim().is_empty() {
            room["floor"] = form.floor.trim().into();
        }
        if !form.capacity.trim().is_empty() {
            room["capacity"] = form
                .capacity
                .trim()
                .parse::<u64>()
                .map_or_else(|_| Value::from(form.capacity.trim()), Value::from);
        }
        let item = intake(Kind::Rooms, room, None).map_err(|e| e.to_string())?;
        content::store(&state, &signed.actor(), item)
            .await
            .map_err(|e| e.to_string())
    };
    match result.await {
        Ok(_) => Redirect::to("/console/events?done=saved").into_response(),
        Err(error) => render(&state, &signed, None, Some(Refused::of(error, &form))).await,
    }
}
