//! What kiosks call (docs/hub-api.md, "Kiosk endpoints"): the feeds (the
//! services among them), the playlist, the heartbeat, and announcements
//! that can wait for a change.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::document;
use crate::auth::Kiosk;
use crate::db::playlists::Owner;
use crate::error::ApiError;
use crate::feeds::{self, Feed};
use crate::state::AppState;

/// The header that offers waiting announcements: the longest `wait`, in
/// seconds, this hub honours.
pub const WAIT_HEADER: &str = "portalavoro-wait";
/// The largest heartbeat taken.
const MOST_HEARTBEAT: usize = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/news", get(news))
        .route("/vacancies", get(vacancies))
        .route("/rooms", get(rooms))
        .route("/bookings", get(bookings))
        .route("/announcements", get(announcements))
        .route("/services", get(services))
        .route("/kiosks/{id}/playlist", get(playlist))
        .route("/kiosks/{id}/heartbeat", post(heartbeat))
}

async fn serve(
    state: &AppState,
    kiosk: &Kiosk,
    feed: Feed,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let now = state.now().as_second();
    let body = feeds::body(&state.db, &kiosk.0, feed, now, &state.config.timezone).await?;
    Ok(document(body, headers))
}

async fn news(
    State(state): State<AppState>,
    kiosk: Kiosk,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    serve(&state, &kiosk, Feed::News, &headers).await
}

async fn vacancies(
    State(state): State<AppState>,
    kiosk: Kiosk,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    serve(&state, &kiosk, Feed::Vacancies, &headers).await
}

async fn rooms(
    State(state): State<AppState>,
    kiosk: Kiosk,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    serve(&state, &kiosk, Feed::Rooms, &headers).await
}

async fn services(
    State(state): State<AppState>,
    kiosk: Kiosk,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    serve(&state, &kiosk, Feed::Services, &headers).await
}

#[derive(Deserialize)]
struct DateQuery {
    date: Option<String>,
}

async fn bookings(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Query(query): Query<DateQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let date = match query.date {
        Some(text) => text
            .parse::<jiff::civil::Date>()
            .map_err(|_| ApiError::BadRequest(format!("date {text:?} is not YYYY-MM-DD")))?,
        None => state.now().to_zoned(state.config.timezone.clone()).date(),
    };
    serve(&state, &kiosk, Feed::Bookings(date), &headers).await
}

#[derive(Deserialize)]
struct AnnouncementsQuery {
    kiosk: Option<String>,
    wait: Option<u64>,
}

/// Announcements; with `wait=N` and the kiosk's current ETag, the answer
/// waits up to N seconds (at most `server.max_wait_s`) for a change, then
/// says 304. Every answer offers the wait in the `Portalavoro-Wait` header.
async fn announcements(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Query(query): Query<AnnouncementsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(asked) = &query.kiosk
        && *asked != kiosk.0.id
    {
        return Err(ApiError::Forbidden(format!(
            "this token belongs to kiosk {:?}, not {asked:?}",
            kiosk.0.id
        )));
    }
    let max_wait = state.config.max_wait;
    let wait = Duration::from_secs(query.wait.unwrap_or(0)).min(max_wait);
    let deadline = tokio::time::Instant::now() + wait;
    let mut revisions = state.watch();
    let mut response = loop {
        revisions.mark_unchanged();
        let response = serve(&state, &kiosk, Feed::Announcements, &headers).await?;
        if response.status() != StatusCode::NOT_MODIFIED || wait.is_zero() {
            break response;
        }
        // Ask again when something changes, and at least every few
        // seconds (an announcement that reaches its end changes the
        // document without a write).
        let step = tokio::time::Instant::now() + Duration::from_secs(5);
        match tokio::time::timeout_at(deadline.min(step), revisions.changed()).await {
            Ok(Ok(())) => continue,
            Ok(Err(_)) => break response,
            Err(_) if tokio::time::Instant::now() >= deadline => break response,
            Err(_) => continue,
        }
    };
    response
        .headers_mut()
        .insert(WAIT_HEADER, HeaderValue::from(max_wait.as_secs()));
    Ok(response)
}

async fn playlist(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let me = &kiosk.0;
    if id != me.id {
        return Err(ApiError::Forbidden(format!(
            "this token belongs to kiosk {:?}",
            me.id
        )));
    }
    let mut owners = vec![Owner::Kiosk(&me.id), Owner::Site(&me.site_id)];
    if let Some(hub) = &me.hub_id {
        owners.push(Owner::Site(hub));
    }
    match state.db.playlist(&owners).await? {
        Some(body) => Ok(document(body, &headers)),
        None => Err(ApiError::NotFound(
            "no playlist for this kiosk: use the one in kiosk.toml".into(),
        )),
    }
}

async fn heartbeat(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    if id != kiosk.0.id {
        return Err(ApiError::Forbidden(format!(
            "this token belongs to kiosk {:?}",
            kiosk.0.id
        )));
    }
    if body.len() > MOST_HEARTBEAT {
        return Err(ApiError::BadRequest(format!(
            "a heartbeat is at most {MOST_HEARTBEAT} bytes"
        )));
    }
    let value: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|err| ApiError::BadRequest(format!("not JSON: {err}")))?;
    if !value.is_object() {
        return Err(ApiError::BadRequest("a heartbeat is a JSON object".into()));
    }
    let now = state.now().as_second();
    state
        .db
        .record_heartbeat(&id, &value.to_string(), now)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
