//! Pictures: staff upload (re-encoded, pictures.rs), anyone reads (kiosks
//! fetch them by the URL an item names, `media/NAME`).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::auth::Staff;
use crate::error::ApiError;
use crate::pictures;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/media",
            post(upload).layer(DefaultBodyLimit::max(pictures::MOST_UPLOAD)),
        )
        .route("/media/{name}", get(read))
}

/// `POST /media` with the picture as the body: `201 {"url": "media/NAME"}`,
/// a URL relative to the API's base, for `image_url` and image slides.
async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let media = tokio::task::spawn_blocking(move || pictures::reencode(&body))
        .await
        .map_err(|err| ApiError::Unavailable(err.to_string()))?
        .map_err(|err| ApiError::Invalid(err.to_string()))?;
    state
        .db
        .put_media(&media, &staff.actor(), state.now().as_second())
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"url": format!("media/{}", media.name)})),
    ))
}

async fn read(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let media = state
        .db
        .media(&name)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no picture {name:?}")))?;
    // Named by content: the name is the ETag, and it never changes.
    let etag = format!("\"{}\"", media.name);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| portalavoro_contract::etag::matches(v, &etag))
    {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let mut response = media.bytes.into_response();
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&media.content_type) {
        h.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}
