//! Staff API tokens: kept as SHA-256 hashes (a token is 256 random bits,
//! so a fast hash is enough; passwords get argon2id, in users.rs).

use sqlx::Row;

use super::{Db, DbError, Result, audit, is_unique_violation};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Content: announcements, news, vacancies, rooms, playlists.
    Staff,
    /// Content, and sites, kiosks, users, tokens.
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "staff" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }
}

/// A staff API token as the console lists it (never its hash).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRow {
    pub name: String,
    pub role: Role,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Db {
    /// Every staff API token, in use first, then by name.
    pub async fn tokens(&self) -> Result<Vec<TokenRow>> {
        let rows = sqlx::query(
            "SELECT name, role, created_at, revoked_at FROM api_tokens \
             ORDER BY revoked_at IS NOT NULL, name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(TokenRow {
                    name: row.get(0),
                    role: Role::parse(&row.get::<String, _>(1))?,
                    created_at: row.get(2),
                    revoked_at: row.get(3),
                })
            })
            .collect())
    }

    pub async fn add_token(
        &self,
        name: &str,
        role: Role,
        token_hash: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(name)
        .bind(role.key())
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|err| match is_unique_violation(&err) {
            true => DbError::Conflict(format!("token {name:?} exists already")),
            false => err.into(),
        })?;
        audit::record(&mut tx, now, actor, "token add", name, role.key()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn revoke_token(&self, name: &str, actor: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(format!("no token {name:?} in use")));
        }
        audit::record(&mut tx, now, actor, "token revoke", name, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// The token's name and role, if it is in use.
    pub async fn staff_token(&self, token_hash: &str) -> Result<Option<(String, Role)>> {
        let row = sqlx::query(
            "SELECT name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.and_then(|row| {
                Role::parse(&row.get::<String, _>(1)).map(|role| (row.get(0), role))
            }),
        )
    }
}
