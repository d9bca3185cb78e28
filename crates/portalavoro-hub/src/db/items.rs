//! The contract's items (news, vacancies, rooms, bookings, announcements),
//! each kept as the JSON a kiosk receives, with the columns that select it:
//! scope, room, time window.

use sqlx::Row;

use super::{Db, DbError, Result, audit, revisions};

/// Who an item is for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// `None`: the whole network.
    pub site_id: Option<String>,
    /// `None`: every kiosk of the scope; else only these.
    pub kiosks: Option<Vec<String>>,
}

/// An item to store (validated by the caller against the contract).
#[derive(Debug, Clone)]
pub struct NewItem {
    pub feed: &'static str,
    pub id: String,
    pub scope: Scope,
    pub room_id: Option<String>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub body: String,
}

/// A stored item, as selected for a kiosk or listed for staff.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: String,
    pub scope: Scope,
    pub room_id: Option<String>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub body: String,
    pub updated_at: i64,
    pub updated_by: String,
}

/// Which items a kiosk's feed takes.
#[derive(Debug, Clone, Copy)]
pub enum Window {
    /// Not ended at this time (`ends_at` NULL or later).
    Current(i64),
    /// Overlapping [start, end).
    Between(i64, i64),
    /// All of them.
    All,
}

const COLUMNS: &str =
    "id, site_id, kiosks, room_id, starts_at, ends_at, body, updated_at, updated_by";

fn row_to_item(row: &sqlx::any::AnyRow) -> ItemRow {
    ItemRow {
        id: row.get(0),
        scope: Scope {
            site_id: row.get(1),
            kiosks: row
                .get::<Option<String>, _>(2)
                .and_then(|text| serde_json::from_str(&text).ok()),
        },
        room_id: row.get(3),
        starts_at: row.get(4),
        ends_at: row.get(5),
        body: row.get(6),
        updated_at: row.get(7),
        updated_by: row.get(8),
    }
}

impl Db {
    /// Creates or replaces an item; `created` says which.
    pub async fn put_item(&self, item: &NewItem, actor: &str, now: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let kiosks = item
            .scope
            .kiosks
            .as_ref()
            .map(|list| serde_json::to_string(list).unwrap_or_default());
        let existed = sqlx::query("SELECT id FROM items WHERE feed = $1 AND id = $2")
            .bind(item.feed)
            .bind(&item.id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        sqlx::query(
            "INSERT INTO items (feed, id, site_id, kiosks, room_id, starts_at, ends_at, body, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (feed, id) DO UPDATE SET site_id = excluded.site_id, kiosks = excluded.kiosks, \
             room_id = excluded.room_id, starts_at = excluded.starts_at, ends_at = excluded.ends_at, \
             body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(item.feed)
        .bind(&item.id)
        .bind(&item.scope.site_id)
        .bind(kiosks)
        .bind(&item.room_id)
        .bind(item.starts_at)
        .bind(item.ends_at)
        .bind(&item.body)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        let action = format!("{} {}", item.feed, if existed { "edit" } else { "add" });
        audit::record(&mut tx, now, actor, &action, &item.id, &item.body).await?;
        revisions::bump(&mut tx, item.feed).await?;
        tx.commit().await?;
        Ok(!existed)
    }

    /// Creates or replaces many items of one feed in one transaction, with
    /// one audit line (a CSV import).
    pub async fn put_items(
        &self,
        feed: &'static str,
        items: &[NewItem],
        actor: &str,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for item in items {
            let kiosks = item
                .scope
                .kiosks
                .as_ref()
                .map(|list| serde_json::to_string(list).unwrap_or_default());
            sqlx::query(
                "INSERT INTO items (feed, id, site_id, kiosks, room_id, starts_at, ends_at, body, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (feed, id) DO UPDATE SET site_id = excluded.site_id, kiosks = excluded.kiosks, \
                 room_id = excluded.room_id, starts_at = excluded.starts_at, ends_at = excluded.ends_at, \
                 body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(feed)
            .bind(&item.id)
            .bind(&item.scope.site_id)
            .bind(kiosks)
            .bind(&item.room_id)
            .bind(item.starts_at)
            .bind(item.ends_at)
            .bind(&item.body)
            .bind(now)
            .bind(actor)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            now,
            actor,
            &format!("{feed} import"),
            &format!("{} items", items.len()),
            detail,
        )
        .await?;
        revisions::bump(&mut tx, feed).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends an item now: its `ends_at` column and its end in the JSON
    /// (`expires_at` for news and vacancies) become `now`.
    pub async fn end_item(
        &self,
        feed: &'static str,
        id: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT body, ends_at FROM items WHERE feed = $1 AND id = $2")
            .bind(feed)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("no {feed} item {id:?}")))?;
        let ends_at: Option<i64> = row.get(1);
        if ends_at.is_some_and(|end| end <= now) {
            return Ok(()); // already ended: ending again changes nothing
        }
        let mut body: serde_json::Value =
            serde_json::from_str(&row.get::<String, _>(0)).unwrap_or_default();
        if let Some(map) = body.as_object_mut() {
            let stamp = jiff::Timestamp::from_second(now).unwrap_or_default();
            // The contract's name for the end: news and vacancies expire.
            let field = match feed {
                "news" | "vacancies" => "expires_at",
                _ => "ends_at",
            };
            map.insert(field.into(), stamp.to_string().into());
        }
        sqlx::query(
            "UPDATE items SET ends_at = $1, body = $2, updated_at = $1, updated_by = $3 \
             WHERE feed = $4 AND id = $5",
        )
        .bind(now)
        .bind(body.to_string())
        .bind(actor)
        .bind(feed)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, now, actor, &format!("{feed} end"), id, "").await?;
        revisions::bump(&mut tx, feed).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_item(
        &self,
        feed: &'static str,
        id: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("DELETE FROM items WHERE feed = $1 AND id = $2")
            .bind(feed)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(format!("no {feed} item {id:?}")));
        }
        audit::record(&mut tx, now, actor, &format!("{feed} delete"), id, "").await?;
        revisions::bump(&mut tx, feed).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The feed's items for `sites` (and, with `network`, those for the
    /// whole network) in `window`, oldest first by `starts_at` or newest
    /// first, at most `limit`.
    pub async fn items_for(
        &self,
        feed: &str,
        sites: &[&str],
        network: bool,
        window: Window,
        newest_first: bool,
        limit: usize,
    ) -> Result<Vec<ItemRow>> {
        let (own, hub) = match sites {
            [] => ("", ""),
            [one] => (*one, *one),
            [one, two, ..] => (*one, *two),
        };
        let network = if network { "site_id IS NULL OR " } else { "" };
        let (window_sql, a, b) = match window {
            Window::Current(now) => ("(ends_at IS NULL OR ends_at > $4) AND $5 = $5", now, 0),
            Window::Between(start, end) => ("(starts_at < $5 AND ends_at > $4)", start, end),
            Window::All => ("($4 = $4 AND $5 = $5)", 0, 0),
        };
        let order = if newest_first { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {COLUMNS} FROM items WHERE feed = $1 AND ({network}site_id = $2 OR site_id = $3) \
             AND {window_sql} ORDER BY starts_at {order}, id LIMIT $6"
        );
        let rows = sqlx::query(&sql)
            .bind(feed)
            .bind(own)
            .bind(hub)
            .bind(a)
            .bind(b)
            .bind(limit as i64)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(row_to_item).collect())
    }

    /// Every item of a feed, newest change first (for staff).
    pub async fn items(&self, feed: &str, limit: i64) -> Result<Vec<ItemRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM items WHERE feed = $1 ORDER BY updated_at DESC, id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(feed)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(row_to_item).collect())
    }

    pub async fn item(&self, feed: &str, id: &str) -> Result<Option<ItemRow>> {
        let sql = format!("SELECT {COLUMNS} FROM items WHERE feed = $1 AND id = $2");
        let row = sqlx::query(&sql)
            .bind(feed)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(row_to_item))
    }

    /// How many items of a feed are not ended at `now`.
    pub async fn current_count(&self, feed: &str, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM items WHERE feed = $1 AND (ends_at IS NULL OR ends_at > $2)",
        )
        .bind(feed)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.get(0))
    }
}
