//! Console users (a name, a role, an argon2id password hash, the count of
//! failed sign-ins and the lock they lead to) and their sessions.

use sqlx::Row;

use super::{Db, DbError, Result, audit, is_unique_violation};
use crate::db::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub user: String,
    pub role: Role,
    pub csrf: String,
}

/// Failed sign-ins before a lock.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// The first lock; each further failure doubles it, up to a day.
pub const FIRST_LOCK_S: i64 = 15 * 60;

impl Db {
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(name)
        .bind(role.key())
        .bind(password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|err| match is_unique_violation(&err) {
            true => DbError::Conflict(format!("user {name:?} exists already")),
            false => err.into(),
        })?;
        audit::record(&mut tx, now, actor, "user add", name, role.key()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "SELECT name, role, password_hash, failed_logins, locked_until FROM users ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(User {
                    name: row.get(0),
                    role: Role::parse(&row.get::<String, _>(1))?,
                    password_hash: row.get(2),
                    failed_logins: row.get(3),
                    locked_until: row.get(4),
                })
            })
            .collect())
    }

    /// Removes a user and ends their sessions at once.
    pub async fn remove_user(&self, name: &str, actor: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE user_name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM users WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(format!("no user {name:?}")));
        }
        audit::record(&mut tx, now, actor, "user remove", name, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password (an admin's reset): the lock is lifted and the
    /// user's sessions end.
    pub async fn set_password(
        &self,
        name: &str,
        password_hash: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE name = $2",
        )
        .bind(password_hash)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(format!("no user {name:?}")));
        }
        sqlx::query("DELETE FROM sessions WHERE user_name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, now, actor, "user password", name, "").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user(&self, name: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT name, role, password_hash, failed_logins, locked_until FROM users WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|row| {
            Some(User {
                name: row.get(0),
                role: Role::parse(&row.get::<String, _>(1))?,
                password_hash: row.get(2),
                failed_logins: row.get(3),
                locked_until: row.get(4),
            })
        }))
    }

    /// Counts a failed sign-in; from the fifth in a row the user is locked,
    /// 15 minutes, doubling with each further failure, at most a day.
    /// Returns the lock's end, if any.
    pub async fn sign_in_failed(&self, name: &str, now: i64) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT failed_logins FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let failed: i64 = row.get::<i64, _>(0) + 1;
        let locked_until = (failed >= FAILURES_BEFORE_LOCK).then(|| {
            let doublings = (failed - FAILURES_BEFORE_LOCK).min(7) as u32;
            now + (FIRST_LOCK_S << doublings).min(86_400)
        });
        sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE name = $3")
            .bind(failed)
            .bind(locked_until)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        let detail = format!("{failed} in a row");
        audit::record(
            &mut tx,
            now,
            &format!("user:{name}"),
            "sign-in failed",
            name,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(locked_until)
    }

    /// A signed-in session: the failures forgotten, the session kept
    /// (by the hash of its cookie).
    pub async fn sign_in(
        &self,
        name: &str,
        id_hash: &str,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_name, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(name)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, now, &format!("user:{name}"), "sign in", name, "").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str, now: i64) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT s.user_name, u.role, s.csrf FROM sessions s JOIN users u ON u.name = s.user_name \
             WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|row| {
            Some(SessionRow {
                user: row.get(0),
                role: Role::parse(&row.get::<String, _>(1))?,
                csrf: row.get(2),
            })
        }))
    }

    pub async fn sign_out(&self, id_hash: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("DELETE FROM sessions WHERE id_hash = $1 RETURNING user_name")
            .bind(id_hash)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = row {
            let name: String = row.get(0);
            audit::record(&mut tx, now, &format!("user:{name}"), "sign out", &name, "").await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
