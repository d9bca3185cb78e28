//! Console users: a name, a role and an argon2id password hash.

use super::{Db, DbError, Result, audit, is_unique_violation};
use crate::db::Role;

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
}
