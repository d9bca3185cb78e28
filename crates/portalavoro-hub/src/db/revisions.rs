//! One counter per feed, bumped with every write to it.

use std::collections::BTreeMap;

use sqlx::{Any, Row, Transaction};

use super::{Db, Result};

/// Each feed's revision, as last read.
pub type Revisions = BTreeMap<String, i64>;

impl Db {
    pub async fn revisions(&self) -> Result<Revisions> {
        let rows = sqlx::query("SELECT feed, value FROM revisions")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|row| (row.get::<String, _>(0), row.get::<i64, _>(1)))
            .collect())
    }
}

pub(super) async fn bump(tx: &mut Transaction<'static, Any>, feed: &str) -> Result<()> {
    sqlx::query("UPDATE revisions SET value = value + 1 WHERE feed = $1")
        .bind(feed)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
