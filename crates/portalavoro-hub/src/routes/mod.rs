//! The HTTP surface: the API under `/api/v1` (the kiosk's `hub.url` ends
//! there), the staff console under `/console`, the visitor's phone page
//! for an appointment under `/a`, and the totems' system
//! updates as plain files under `/api/v1/updates/` (from the state
//! folder's `updates/`, one folder per channel; docs/updates.md).
//! Handlers are thin: authenticate (extractors in auth.rs), call the
//! database layer or feeds.rs, answer. One file per kind of caller.

mod appointments;
mod fleet;
mod kiosk;
mod media;
mod staff;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::services::ServeDir;

use crate::state::AppState;

/// The API's base path.
pub const BASE: &str = "/api/v1";
/// The folder of update channels, in the hub's state folder.
pub const UPDATES: &str = "updates";
/// The largest request body, but for pictures and CSV imports.
pub const MOST_BODY: usize = 256 * 1024;

pub fn router(state: AppState) -> Router {
    // Public, as any web server's folder would be: systemd-sysupdate sends
    // no token, and an update is no secret (SHA256SUMS vouches for it).
    let updates = ServeDir::new(state.config.state_dir.join(UPDATES));
    let api = Router::new()
        .route("/health", get(health))
        .merge(kiosk::routes())
        .merge(appointments::routes())
        .merge(staff::routes())
        .merge(fleet::routes())
        .merge(media::routes())
        .layer(DefaultBodyLimit::max(MOST_BODY))
        .nest_service("/updates", updates);
    Router::new()
        .nest(BASE, api)
        .merge(crate::console::routes().layer(DefaultBodyLimit::max(MOST_BODY)))
        .merge(crate::phone::routes().layer(DefaultBodyLimit::max(16 * 1024)))
        .with_state(state)
}

/// For load balancers: 200 when the database answers.
async fn health(State(state): State<AppState>) -> Response {
    match state.db.revisions().await {
        Ok(_) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok"})),
        )
            .into_response(),
        Err(err) => crate::error::ApiError::from(err).into_response(),
    }
}

/// A JSON document with its ETag, or 304 when the kiosk has it already.
pub fn document(body: String, request: &HeaderMap) -> Response {
    let etag = portalavoro_contract::etag::of(body.as_bytes());
    let unchanged = request
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| portalavoro_contract::etag::matches(value, &etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
