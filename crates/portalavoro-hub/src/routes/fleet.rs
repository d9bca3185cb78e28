//! The fleet for staff: every kiosk, its last heartbeat, whether it is
//! silent; and the audit log for admins.

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Staff;
use crate::error::ApiError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kiosks", get(kiosks))
        .route("/audit", get(audit))
}

/// `GET /kiosks`: `{"items": [{"kiosk_id", "site_id", "last_heartbeat",
/// "last_seen_at", "silent", "revoked"}]}`; silent: no heartbeat for three
/// intervals (or never).
async fn kiosks(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<axum::Json<Value>, ApiError> {
    let now = state.now().as_second();
    let silent_after = 3 * state.config.heartbeat.as_secs() as i64;
    let items: Vec<Value> = state
        .db
        .fleet()
        .await?
        .into_iter()
        .map(|kiosk| {
            let silent = kiosk.last_seen_at.is_none_or(|at| now - at > silent_after);
            json!({
                "kiosk_id": kiosk.kiosk_id,
                "site_id": kiosk.site_id,
                "last_heartbeat": kiosk.last_heartbeat,
                "last_seen_at": kiosk.last_seen_at
                    .and_then(|s| jiff::Timestamp::from_second(s).ok())
                    .map(|t| t.to_string()),
                "silent": silent && !kiosk.revoked,
                "revoked": kiosk.revoked,
            })
        })
        .collect();
    Ok(axum::Json(json!({"items": items})))
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<AuditQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    staff.require_admin()?;
    let lines = state
        .db
        .audit(query.limit.unwrap_or(100).clamp(1, 10_000))
        .await?;
    Ok(axum::Json(json!({"items": lines})))
}
