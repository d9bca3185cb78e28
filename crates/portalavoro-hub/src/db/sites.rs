//! Sites: the hub (collector) and its spokes.

use sqlx::Row;

use super::{Db, DbError, Result, audit, is_unique_violation};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// The hub a spoke belongs to; `None` for a hub.
    pub hub_id: Option<String>,
}

impl Db {
    pub async fn add_site(&self, site: &Site, actor: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        if let Some(hub) = &site.hub_id {
            let parent = sqlx::query("SELECT hub_id FROM sites WHERE id = $1")
                .bind(hub)
                .fetch_optional(&mut *tx)
                .await?;
            match parent {
                None => return Err(DbError::NotFound(format!("no site {hub:?}"))),
                Some(row) if row.get::<Option<String>, _>(0).is_some() => {
                    return Err(DbError::Conflict(format!(
                        "{hub:?} is itself a spoke: a spoke's --hub must be a hub"
                    )));
                }
                Some(_) => {}
            }
        }
        sqlx::query("INSERT INTO sites (id, name, hub_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&site.id)
            .bind(&site.name)
            .bind(&site.hub_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|err| match is_unique_violation(&err) {
                true => DbError::Conflict(format!("site {:?} exists already", site.id)),
                false => err.into(),
            })?;
        audit::record(&mut tx, now, actor, "site add", &site.id, &site.name).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn sites(&self) -> Result<Vec<Site>> {
        let rows = sqlx::query("SELECT id, name, hub_id FROM sites ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|row| Site {
                id: row.get(0),
                name: row.get(1),
                hub_id: row.get(2),
            })
            .collect())
    }

    pub async fn site(&self, id: &str) -> Result<Option<Site>> {
        let row = sqlx::query("SELECT id, name, hub_id FROM sites WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| Site {
            id: row.get(0),
            name: row.get(1),
            hub_id: row.get(2),
        }))
    }
}
