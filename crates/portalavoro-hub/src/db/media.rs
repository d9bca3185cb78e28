//! Pictures uploaded by staff, already re-encoded (pictures.rs), named by
//! their content.

use sqlx::Row;

use super::{Db, Result, audit};

#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Db {
    pub async fn put_media(&self, media: &Media, actor: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO media (name, content_type, bytes, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&media.name)
        .bind(&media.content_type)
        .bind(&media.bytes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = format!("{} bytes", media.bytes.len());
        audit::record(&mut tx, now, actor, "media add", &media.name, &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn media(&self, name: &str) -> Result<Option<Media>> {
        let row = sqlx::query("SELECT name, content_type, bytes FROM media WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| Media {
            name: row.get(0),
            content_type: row.get(1),
            bytes: row.get(2),
        }))
    }
}
