//! Who is asking: a kiosk (its token names it) or staff (an API token with
//! a role). Failed tokens are counted per address and slowed down.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::db::{KioskIdentity, Role};
use crate::error::ApiError;
use crate::secrets::hash_token;
use crate::state::AppState;

/// A request made with a kiosk's token.
pub struct Kiosk(pub KioskIdentity);

/// A request made with a staff token.
pub struct Staff {
    pub name: String,
    pub role: Role,
}

impl Staff {
    /// Who the audit log names.
    pub fn actor(&self) -> String {
        format!("token:{}", self.name)
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Staff => Err(ApiError::Forbidden("this needs an admin token".into())),
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

fn client_ip(parts: &Parts) -> std::net::IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]))
}

/// Looks the token up with `find`; a missing or unknown one counts as a
/// failure of the caller's address.
async fn authenticate<T, F, Fut>(parts: &Parts, state: &AppState, find: F) -> Result<T, ApiError>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<Option<T>, crate::db::DbError>>,
{
    let ip = client_ip(parts);
    state.may_try(ip).map_err(ApiError::TooMany)?;
    let Some(token) = bearer(parts) else {
        state.failed(ip);
        return Err(ApiError::Unauthorized);
    };
    match find(hash_token(token)).await? {
        Some(found) => Ok(found),
        None => {
            state.failed(ip);
            Err(ApiError::Unauthorized)
        }
    }
}

impl FromRequestParts<AppState> for Kiosk {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let db = state.db.clone();
        authenticate(parts, state, |hash| async move {
            db.kiosk_by_token(&hash).await
        })
        .await
        .map(Kiosk)
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let db = state.db.clone();
        let (name, role) = authenticate(
            parts,
            state,
            |hash| async move { db.staff_token(&hash).await },
        )
        .await?;
        Ok(Staff { name, role })
    }
}
