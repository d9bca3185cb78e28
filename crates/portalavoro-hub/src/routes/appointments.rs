//! Appointments (docs/hub-api.md, "Services and appointments"): the free
//! slots kiosks read and hold, and the calendars staff set. (The services
//! themselves are a feed: routes/kiosk.rs.)

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use serde::Deserialize;
use serde_json::json;

use super::document;
use crate::appointments::{self, free_slots, slots_document};
use crate::auth::{Kiosk, Staff};
use crate::calendar::Calendar;
use crate::error::ApiError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/appointments/slots", get(slots))
        .route("/appointments/holds", post(hold))
        .route("/appointments/holds/{code}", delete(release))
        .route(
            "/services/{id}/calendar",
            put(put_calendar).get(get_calendar).delete(delete_calendar),
        )
}

#[derive(Deserialize)]
struct SlotsQuery {
    service: String,
    date: Option<String>,
}

/// One day's free slots with `date`; without it, those of the days ahead
/// (`appointments.days_ahead`) from today.
async fn slots(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Query(query): Query<SlotsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let bookable = appointments::bookable(&state, &kiosk.0, &query.service).await?;
    let (first, days) = match &query.date {
        Some(text) => (
            text.parse::<jiff::civil::Date>()
                .map_err(|_| ApiError::BadRequest(format!("date {text:?} is not YYYY-MM-DD")))?,
            1,
        ),
        None => (
            state.now().to_zoned(state.config.timezone.clone()).date(),
            state.config.appointments.days_ahead,
        ),
    };
    let slots = free_slots(&state, &query.service, &bookable.calendar, first, days).await?;
    Ok(document(
        slots_document(&query.service, &slots, &state),
        &headers,
    ))
}

#[derive(Deserialize)]
struct HoldBody {
    slot: String,
    lang: Option<String>,
}

/// `201 {"code", "url", "expires_at", "starts_at", "ends_at"}`.
async fn hold(
    State(state): State<AppState>,
    kiosk: Kiosk,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: HoldBody = serde_json::from_slice(&body)
        .map_err(|err| ApiError::BadRequest(format!("expected {{\"slot\": \"…\"}}: {err}")))?;
    let public = public_base(&state, &headers)?;
    let placed =
        appointments::hold(&state, &kiosk.0, &body.slot, body.lang.as_deref(), &public).await?;
    let time = |second: i64| appointments::wire_time(&state, second);
    let answer = json!({
        "code": placed.code,
        "url": placed.url,
        "expires_at": time(placed.held_until),
        "starts_at": time(placed.slot.starts_at),
        "ends_at": time(placed.slot.ends_at),
    });
    Ok((StatusCode::CREATED, axum::Json(answer)).into_response())
}

/// Where phones reach this hub: `appointments.public_url`, else the
/// address the kiosk asked on.
fn public_base(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    if let Some(url) = &state.config.appointments.public_url {
        return Ok(url.clone());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| !host.is_empty() && !host.contains(['/', ' ', '?', '#', '@']))
        .ok_or_else(|| {
            ApiError::Unavailable("no appointments.public_url and no Host header".into())
        })?;
    Ok(format!("http://{host}"))
}

/// The visitor changed their mind at the totem: the kiosk lets go.
async fn release(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    let now = state.now().as_second();
    match state.db.release_hold(&kiosk.0.id, &code, now).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(ApiError::NotFound(format!(
            "this kiosk holds no slot with code {code:?}"
        ))),
    }
}

async fn put_calendar(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadRequest("the calendar is not UTF-8".into()))?;
    let calendar = Calendar::from_json(text).map_err(|err| ApiError::Invalid(err.to_string()))?;
    appointments::set_calendar(&state, &staff.actor(), &id, &calendar).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn get_calendar(
    State(state): State<AppState>,
    _staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    match state.db.calendar(&id).await? {
        Some(body) => Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response()),
        None => Err(ApiError::NotFound(format!(
            "service {id:?} has no calendar"
        ))),
    }
}

async fn delete_calendar(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let now = state.now().as_second();
    state.db.delete_calendar(&id, &staff.actor(), now).await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT)
}
