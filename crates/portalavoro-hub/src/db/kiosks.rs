//! Kiosks: which site each belongs to, its token (hashed), its heartbeats.

use sqlx::Row;

use super::{Db, DbError, Result, audit, is_unique_violation, revisions};

/// The kiosk a request's token belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskIdentity {
    pub id: String,
    pub site_id: String,
    /// The hub of the kiosk's site, when the site is a spoke.
    pub hub_id: Option<String>,
}

/// One kiosk as the fleet list shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FleetEntry {
    pub kiosk_id: String,
    pub site_id: String,
    pub revoked: bool,
    /// Unix seconds of the last heartbeat.
    pub last_seen_at: Option<i64>,
    pub last_heartbeat: Option<serde_json::Value>,
}

impl Db {
    pub async fn add_kiosk(
        &self,
        id: &str,
        site_id: &str,
        token_hash: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        if sqlx::query("SELECT id FROM sites WHERE id = $1")
            .bind(site_id)
            .fetch_optional(&mut *tx)
            .await?
            .is_none()
        {
            return Err(DbError::NotFound(format!("no site {site_id:?}")));
        }
        sqlx::query(
            "INSERT INTO kiosks (id, site_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(site_id)
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|err| match is_unique_violation(&err) {
            true => DbError::Conflict(format!("kiosk {id:?} exists already")),
            false => err.into(),
        })?;
        audit::record(&mut tx, now, actor, "kiosk add", id, site_id).await?;
        revisions::bump(&mut tx, "kiosks").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Locks the kiosk out at its next request.
    pub async fn revoke_kiosk(&self, id: &str, actor: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE kiosks SET revoked_at = $1, token_hash = NULL WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(format!("no kiosk {id:?} in service")));
        }
        audit::record(&mut tx, now, actor, "kiosk revoke", id, "").await?;
        revisions::bump(&mut tx, "kiosks").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn kiosk_by_token(&self, token_hash: &str) -> Result<Option<KioskIdentity>> {
        let row = sqlx::query(
            "SELECT k.id, k.site_id, s.hub_id FROM kiosks k JOIN sites s ON s.id = k.site_id \
             WHERE k.token_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| KioskIdentity {
            id: row.get(0),
            site_id: row.get(1),
            hub_id: row.get(2),
        }))
    }

    pub async fn kiosk_ids(&self) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT id, site_id FROM kiosks WHERE revoked_at IS NULL ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    /// Keeps a heartbeat: as the kiosk's latest, and in the history.
    pub async fn record_heartbeat(&self, kiosk_id: &str, body: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE kiosks SET last_seen_at = $1, last_heartbeat = $2 WHERE id = $3")
            .bind(now)
            .bind(body)
            .bind(kiosk_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO heartbeats (kiosk_id, received_at, body) VALUES ($1, $2, $3)")
            .bind(kiosk_id)
            .bind(now)
            .bind(body)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets heartbeats older than `before` (Unix seconds).
    pub async fn prune_heartbeats(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM heartbeats WHERE received_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn heartbeat_count(&self, kiosk_id: &str) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM heartbeats WHERE kiosk_id = $1")
            .bind(kiosk_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get(0))
    }

    pub async fn fleet(&self) -> Result<Vec<FleetEntry>> {
        let rows = sqlx::query(
            "SELECT id, site_id, revoked_at, last_seen_at, last_heartbeat FROM kiosks ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| FleetEntry {
                kiosk_id: row.get(0),
                site_id: row.get(1),
                revoked: row.get::<Option<i64>, _>(2).is_some(),
                last_seen_at: row.get(3),
                last_heartbeat: row
                    .get::<Option<String>, _>(4)
                    .and_then(|text| serde_json::from_str(&text).ok()),
            })
            .collect())
    }
}
