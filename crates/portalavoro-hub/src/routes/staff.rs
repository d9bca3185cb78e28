//! What staff call with an API token: write items (checked on the way in),
//! end announcements, set playlists, import vacancies.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Staff;
use crate::content::{self, store};
use crate::db::playlists::Owner;
use crate::error::ApiError;
use crate::import;
use crate::intake::{Kind, intake};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/announcements", post(add))
        .route(
            "/announcements/{id}",
            put(put_item).delete(end_announcement),
        )
        .route("/items/{kind}", post(add_kind))
        .route("/items/{kind}/{id}", put(put_item_kind).delete(delete_item))
        .route(
            "/sites/{id}/playlist",
            put(put_site_playlist).delete(delete_site_playlist),
        )
        .route(
            "/kiosks/{id}/playlist",
            put(put_kiosk_playlist).delete(delete_kiosk_playlist),
        )
        .route(
            "/vacancies/import",
            post(import_vacancies).layer(DefaultBodyLimit::max(import::MOST_CSV)),
        )
}

fn kind(segment: &str) -> Result<Kind, ApiError> {
    Kind::from_path(segment).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no item kind {segment:?}: news, vacancies, rooms, bookings, announcements, services"
        ))
    })
}

fn json_body(body: &Bytes) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|err| ApiError::BadRequest(format!("not JSON: {err}")))
}

/// `POST /announcements` (the contract's): `201 {"id": …}`.
async fn add(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let item = intake(Kind::Announcements, json_body(&body)?, None)?;
    let (id, _) = store(&state, &staff.actor(), item).await?;
    Ok((StatusCode::CREATED, axum::Json(json!({"id": id}))))
}

async fn put_item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let item = intake(Kind::Announcements, json_body(&body)?, Some(&id))?;
    let (id, created) = store(&state, &staff.actor(), item).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(json!({"id": id}))))
}

/// `DELETE /announcements/{id}` (the contract's): ends it now; it stays
/// in the history.
async fn end_announcement(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let now = state.now().as_second();
    state
        .db
        .end_item("announcements", &id, &staff.actor(), now)
        .await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT)
}

async fn add_kind(
    State(state): State<AppState>,
    staff: Staff,
    Path(segment): Path<String>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let item = intake(kind(&segment)?, json_body(&body)?, None)?;
    let (id, _) = store(&state, &staff.actor(), item).await?;
    Ok((StatusCode::CREATED, axum::Json(json!({"id": id}))))
}

async fn put_item_kind(
    State(state): State<AppState>,
    staff: Staff,
    Path((segment, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let item = intake(kind(&segment)?, json_body(&body)?, Some(&id))?;
    let (id, created) = store(&state, &staff.actor(), item).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(json!({"id": id}))))
}

async fn delete_item(
    State(state): State<AppState>,
    staff: Staff,
    Path((segment, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let kind = kind(&segment)?;
    let now = state.now().as_second();
    state
        .db
        .delete_item(kind.key(), &id, &staff.actor(), now)
        .await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT)
}

async fn set_playlist(
    state: &AppState,
    staff: &Staff,
    owner: Owner<'_>,
    body: &Bytes,
) -> Result<StatusCode, ApiError> {
    content::set_playlist(state, &staff.actor(), owner, &json_body(body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn put_site_playlist(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    set_playlist(&state, &staff, Owner::Site(&id), &body).await
}

async fn put_kiosk_playlist(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    set_playlist(&state, &staff, Owner::Kiosk(&id), &body).await
}

async fn delete_site_playlist(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .db
        .delete_playlist(Owner::Site(&id), &staff.actor(), state.now().as_second())
        .await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_kiosk_playlist(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .db
        .delete_playlist(Owner::Kiosk(&id), &staff.actor(), state.now().as_second())
        .await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
}

/// `POST /vacancies/import[?dry_run=true]`, a CSV body (docs/hub.md):
/// every row checked, the report names each bad row and field; without
/// `dry_run` the good rows are stored in one transaction.
async fn import_vacancies(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let report = import::vacancies(&state, &staff.actor(), &body, query.dry_run).await?;
    Ok(axum::Json(report))
}
