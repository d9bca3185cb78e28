//! The appointments page, for the desk: one day's appointments, in time
//! order, with the visitor's name and contact once they confirmed on
//! their phone, the code they were given at the totem, and holds still
//! waiting for a phone; staff cancel one when a visitor calls.

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use maud::html;
use serde::Deserialize;

use super::session::CsrfOnly;
use super::{Done, Page, Signed, italian};
use crate::db::Standing;
use crate::error::ApiError;
use crate::feeds::day_bounds;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct DayQuery {
    date: Option<String>,
    #[serde(flatten)]
    done: Done,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DayQuery>,
) -> Response {
    let w = signed.lang.words();
    let s = signed.lang.services();
    let tz = state.config.timezone.clone();
    let now = state.now();
    let today = now.to_zoned(tz.clone()).date();
    let day = query
        .date
        .as_deref()
        .and_then(|text| text.parse::<Date>().ok())
        .unwrap_or(today);
    let (start, end) = day_bounds(day, &tz);
    let (appointments, services) = match async {
        Ok::<_, crate::db::DbError>((
            state.db.appointments_between(start, end).await?,
            state.db.items("services", 1_000).await?,
        ))
    }
    .await
    {
        Ok(loaded) => loaded,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let service_name = |id: &str| {
        services
            .iter()
            .find(|row| row.id == id)
            .and_then(|row| serde_json::from_str::<serde_json::Value>(&row.body).ok())
            .map_or_else(|| id.to_string(), |item| italian(&item["name"]))
    };
    let time = |unix: i64| {
        jiff::Timestamp::from_second(unix)
            .map(|t| t.to_zoned(tz.clone()).strftime("%H:%M").to_string())
            .unwrap_or_default()
    };
    let at = now.as_second();
    let step = |date: Result<Date, jiff::Error>| {
        date.map_or_else(
            |_| String::new(),
            |d| format!("/console/appointments?date={d}"),
        )
    };
    let flash = query.done.flash(w);
    let body = html! {
        main id="main" class="content" {
            h1 { (s.appointments) }
            @if let Some(flash) = flash { p class="flash" role="status" { (flash) } }
            form method="get" action="/console/appointments" class="row" {
                div {
                    label for="date" { (s.day) }
                    input id="date" name="date" type="date" value=(day.to_string());
                }
                div { button type="submit" { (s.show) } }
            }
            p {
                a href=(step(day.yesterday())) { (s.previous_day) }
                " · "
                a href=(step(day.tomorrow())) { (s.next_day) }
            }
            @if appointments.is_empty() {
                p class="muted" { (s.no_appointments) }
            } @else {
                table {
                    caption class="visually-hidden" { (s.appointments) " " (day.to_string()) }
                    thead {
                        tr {
                            th scope="col" { (s.time) }
                            th scope="col" { (s.service) }
                            th scope="col" { (s.code) }
                            th scope="col" { (s.person) }
                            th scope="col" { (s.contact) }
                            th scope="col" { (s.status) }
                            th scope="col" { span class="visually-hidden" { (s.cancel) } }
                        }
                    }
                    tbody {
                        @for a in &appointments {
                            @let standing = a.standing(at);
                            tr {
                                td { (time(a.starts_at)) "–" (time(a.ends_at)) }
                                td { (service_name(&a.service_id)) }
                                td { code { (a.code) } }
                                td { (a.name.as_deref().unwrap_or("")) }
                                td { (a.contact.as_deref().unwrap_or("")) }
                                td {
                                    @match standing {
                                        Standing::Confirmed => { (s.confirmed) }
                                        Standing::Held => { (s.held_until) " " (time(a.held_until)) }
                                        Standing::Expired => { (s.expired) }
                                        Standing::Cancelled => { (s.cancelled) }
                                    }
                                    @if let Some(kiosk) = &a.kiosk_id { br; span class="muted" { (s.from_kiosk) " " (kiosk) } }
                                }
                                td {
                                    @if matches!(standing, Standing::Confirmed | Standing::Held) {
                                        form method="post" action=(format!("/console/appointments/{}/cancel?date={day}", a.token_hash)) {
                                            input type="hidden" name="csrf" value=(signed.csrf);
                                            button type="submit" aria-label=(format!("{} – {} {}", s.cancel, time(a.starts_at), a.code)) { (s.cancel) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Page::signed(&signed, "/console/appointments", s.appointments, body).into_response()
}

#[derive(Deserialize)]
pub struct Back {
    date: Option<String>,
}

/// `POST /console/appointments/{id}/cancel`: the desk cancels (written to
/// the audit log by code, never by name).
pub async fn cancel(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(back): Query<Back>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let now = state.now().as_second();
    match state
        .db
        .cancel_appointment(&id, Some(&signed.actor()), now)
        .await
    {
        Ok(_) => {
            let date = back
                .date
                .filter(|d| d.parse::<Date>().is_ok())
                .map_or_else(String::new, |d| format!("date={d}&"));
            Redirect::to(&format!("/console/appointments?{date}done=saved")).into_response()
        }
        Err(err) => ApiError::from(err).into_response(),
    }
}
