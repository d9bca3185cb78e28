//! Attract playlists, for a site or for one kiosk.

use sqlx::Row;

use super::{Db, DbError, Result, audit, revisions};

/// Whose playlist: a site's, or one kiosk's (which wins over its site's).
#[derive(Debug, Clone, PartialEq)]
pub enum Owner<'a> {
    Site(&'a str),
    Kiosk(&'a str),
}

impl Owner<'_> {
    fn key(&self) -> String {
        match self {
            Owner::Site(id) => format!("site:{id}"),
            Owner::Kiosk(id) => format!("kiosk:{id}"),
        }
    }
}

impl Db {
    pub async fn put_playlist(
        &self,
        owner: Owner<'_>,
        body: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO playlists (owner, body, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (owner) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(owner.key())
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, now, actor, "playlist set", &owner.key(), body).await?;
        revisions::bump(&mut tx, "playlists").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_playlist(&self, owner: Owner<'_>, actor: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("DELETE FROM playlists WHERE owner = $1")
            .bind(owner.key())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(format!(
                "no playlist for {}",
                owner.key()
            )));
        }
        audit::record(&mut tx, now, actor, "playlist delete", &owner.key(), "").await?;
        revisions::bump(&mut tx, "playlists").await?;
        tx.commit().await?;
        Ok(())
    }

    /// The first of `owners` that has a playlist.
    pub async fn playlist(&self, owners: &[Owner<'_>]) -> Result<Option<String>> {
        for owner in owners {
            let row = sqlx::query("SELECT body FROM playlists WHERE owner = $1")
                .bind(owner.key())
                .fetch_optional(&self.pool)
                .await?;
            if let Some(row) = row {
                return Ok(Some(row.get(0)));
            }
        }
        Ok(None)
    }
}
