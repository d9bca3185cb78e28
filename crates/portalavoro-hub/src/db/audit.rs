//! The audit log: who wrote what, when. Written in the transaction of the
//! write it records.

use sqlx::{Any, Row, Transaction};

use super::{Db, Result};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditLine {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub(super) async fn record(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Db {
    /// The newest `limit` lines, newest first.
    pub async fn audit(&self, limit: i64) -> Result<Vec<AuditLine>> {
        let rows = sqlx::query(
            "SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| AuditLine {
                at: row.get(0),
                actor: row.get(1),
                action: row.get(2),
                target: row.get(3),
                detail: row.get(4),
            })
            .collect())
    }
}
