//! The database layer: every SQL statement of the hub lives under this
//! folder, one file per table group. One pool (`sqlx::AnyPool`) serves
//! SQLite and PostgreSQL; statements are written in the dialect both speak
//! (`$1` placeholders, `ON CONFLICT`, Unix seconds for times). Migrations
//! are applied at start, from `migrations/sqlite` or `migrations/postgres`.
//!
//! Every write runs in one transaction with its audit line and the bump of
//! its feed's revision, so no instance can see one without the other.

mod appointments;
mod audit;
mod items;
mod kiosks;
mod media;
pub mod playlists;
mod revisions;
mod sites;
mod tokens;
mod users;

pub use appointments::{Appointment, NewHold, Refused, Standing};
pub use audit::AuditLine;
pub use items::{ItemRow, NewItem, Scope, Window};
pub use kiosks::{FleetEntry, KioskIdentity};
pub use media::Media;
pub use revisions::Revisions;
pub use sites::Site;
pub use tokens::{Role, TokenRow};
pub use users::{SessionRow, User};

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Transaction};

use crate::config::Database;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    NotFound(String),
}

pub type Result<T> = std::result::Result<T, DbError>;

static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The hub's database: a pool and the dialect it speaks.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    postgres: bool,
}

impl Db {
    /// Connects (creating a SQLite file and its folder when missing) and
    /// applies the migrations not yet applied.
    pub async fn open(config: &Database) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let postgres = config.is_postgres();
        if !postgres {
            create_sqlite_folder(&config.url)?;
        }
        let options = AnyConnectOptions::from_str(&config.url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(config.max_connections)
            .connect_with(options)
            .await?;
        if !postgres {
            // Write-ahead logging: readers never wait for the writer, and the
            // mode is kept in the file, so this is a no-op after the first start.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        let db = Db { pool, postgres };
        if postgres { &POSTGRES } else { &SQLITE }
            .run(&db.pool)
            .await?;
        Ok(db)
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// A write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a second writer, in this instance or another,
    /// waits its turn (busy timeout, 5 s) instead of failing when its first
    /// read would turn into a write.
    async fn begin(&self) -> Result<Transaction<'static, Any>> {
        Ok(if self.postgres {
            self.pool.begin().await?
        } else {
            self.pool.begin_with("BEGIN IMMEDIATE").await?
        })
    }

    /// A consistent copy of a SQLite database (`VACUUM INTO`), taken while
    /// the hub runs. PostgreSQL is backed up with its own tools (pg_dump).
    pub async fn backup_sqlite(&self, to: &std::path::Path) -> Result<()> {
        if self.postgres {
            return Err(DbError::Conflict(
                "this hub runs on PostgreSQL: back it up with pg_dump (docs/hub.md)".into(),
            ));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(to.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn create_sqlite_folder(url: &str) -> Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(folder) = std::path::Path::new(path).parent()
        && !folder.as_os_str().is_empty()
    {
        std::fs::create_dir_all(folder).map_err(|source| DbError::Folder {
            path: folder.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// The ids of sites, kiosks, users and tokens, wherever they are made
/// (command line, console): 1-64 ASCII letters, digits, `-`, `_`, `.`.
pub fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// Whether an error is a broken unique or primary key.
fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|db| db.is_unique_violation())
}
