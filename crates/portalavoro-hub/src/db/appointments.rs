//! Services' calendars and their appointments: held from a kiosk,
//! confirmed on the visitor's phone, cancelled by the visitor or the desk.
//!
//! A slot is taken by every appointment at its start that is confirmed, or
//! held and not yet expired; an expired hold frees its slot without any
//! write. Holding and confirming check the count inside their
//! transaction (on PostgreSQL, after locking the service's calendar row),
//! so two kiosks cannot both take the last place.

use sqlx::{Any, Row, Transaction};

use super::{Db, DbError, Result, audit, revisions};

/// An appointment as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    pub token_hash: String,
    pub code: String,
    pub service_id: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub kiosk_id: Option<String>,
    pub lang: Option<String>,
    pub held_until: i64,
    pub confirmed_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub name: Option<String>,
    pub contact: Option<String>,
}

/// Where an appointment stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Held for the visitor to confirm.
    Held,
    /// The hold ran out before the visitor confirmed.
    Expired,
    Confirmed,
    Cancelled,
}

impl Appointment {
    pub fn standing(&self, now: i64) -> Standing {
        match (self.cancelled_at, self.confirmed_at) {
            (Some(_), _) => Standing::Cancelled,
            (None, Some(_)) => Standing::Confirmed,
            (None, None) if self.held_until > now => Standing::Held,
            (None, None) => Standing::Expired,
        }
    }
}

/// A hold to place.
#[derive(Debug, Clone)]
pub struct NewHold<'a> {
    pub token_hash: &'a str,
    pub code: &'a str,
    pub service_id: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub kiosk_id: &'a str,
    pub lang: Option<&'a str>,
    pub held_until: i64,
}

/// Why a hold was not placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Every place of the slot is taken.
    Taken,
    /// The kiosk holds its most already; the first of them ends then.
    KioskLimit { first_ends: i64 },
    /// The code is in use by a live appointment (draw another).
    CodeInUse,
}

const COLUMNS: &str = "token_hash, code, service_id, starts_at, ends_at, kiosk_id, lang, \
     held_until, confirmed_at, cancelled_at, name, contact";

/// Counts as taking a place at `$now`.
const LIVE: &str = "cancelled_at IS NULL AND (confirmed_at IS NOT NULL OR held_until > $2)";

fn row_to_appointment(row: &sqlx::any::AnyRow) -> Appointment {
    Appointment {
        token_hash: row.get(0),
        code: row.get(1),
        service_id: row.get(2),
        starts_at: row.get(3),
        ends_at: row.get(4),
        kiosk_id: row.get(5),
        lang: row.get(6),
        held_until: row.get(7),
        confirmed_at: row.get(8),
        cancelled_at: row.get(9),
        name: row.get(10),
        contact: row.get(11),
    }
}

impl Db {
    /// Sets a service's calendar (JSON checked by the caller).
    pub async fn put_calendar(
        &self,
        service_id: &str,
        body: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO calendars (service_id, body, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (service_id) DO UPDATE SET body = $2, updated_at = $3, updated_by = $4",
        )
        .bind(service_id)
        .bind(body)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, now, actor, "calendar set", service_id, body).await?;
        revisions::bump(&mut tx, "services").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_calendar(&self, service_id: &str, actor: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM calendars WHERE service_id = $1")
            .bind(service_id)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, now, actor, "calendar delete", service_id, "").await?;
        revisions::bump(&mut tx, "services").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn calendar(&self, service_id: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query("SELECT body FROM calendars WHERE service_id = $1")
                .bind(service_id)
                .fetch_optional(&self.pool)
                .await?
                .map(|row| row.get(0)),
        )
    }

    /// How many places are taken at each start in [from, to), at `now`.
    pub async fn taken(
        &self,
        service_id: &str,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(&format!(
            "SELECT starts_at, COUNT(*) FROM appointments \
             WHERE service_id = $1 AND {LIVE} AND starts_at >= $3 AND starts_at < $4 \
             GROUP BY starts_at"
        ))
        .bind(service_id)
        .bind(now)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| (row.get::<i64, _>(0), row.get::<i64, _>(1)))
            .collect())
    }

    /// Places a hold if the slot has a free place, the kiosk is under
    /// `most_per_kiosk` live holds, and the code is free.
    pub async fn hold(
        &self,
        hold: &NewHold<'_>,
        capacity: i64,
        most_per_kiosk: i64,
        now: i64,
    ) -> Result<std::result::Result<(), Refused>> {
        let mut tx = self.begin().await?;
        self.lock_calendar(&mut tx, hold.service_id).await?;
        let mine = sqlx::query(
            "SELECT COUNT(*), MIN(held_until) FROM appointments \
             WHERE kiosk_id = $1 AND cancelled_at IS NULL AND confirmed_at IS NULL AND held_until > $2",
        )
        .bind(hold.kiosk_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if mine.get::<i64, _>(0) >= most_per_kiosk {
            let first_ends = mine.get::<Option<i64>, _>(1).unwrap_or(now);
            return Ok(Err(Refused::KioskLimit { first_ends }));
        }
        if taken_at(&mut tx, hold.service_id, hold.starts_at, now, None).await? >= capacity {
            return Ok(Err(Refused::Taken));
        }
        let code_used = sqlx::query(&format!(
            "SELECT COUNT(*) FROM appointments WHERE code = $1 AND {LIVE}"
        ))
        .bind(hold.code)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if code_used.get::<i64, _>(0) > 0 {
            return Ok(Err(Refused::CodeInUse));
        }
        sqlx::query(
            "INSERT INTO appointments (token_hash, code, service_id, starts_at, ends_at, kiosk_id, \
             lang, held_until, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(hold.token_hash)
        .bind(hold.code)
        .bind(hold.service_id)
        .bind(hold.starts_at)
        .bind(hold.ends_at)
        .bind(hold.kiosk_id)
        .bind(hold.lang)
        .bind(hold.held_until)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// On PostgreSQL, holds the service's calendar row until the
    /// transaction ends: holds and confirmations of one service take
    /// turns. (SQLite's write transactions take turns already.)
    async fn lock_calendar(
        &self,
        tx: &mut Transaction<'static, Any>,
        service_id: &str,
    ) -> Result<()> {
        if self.postgres {
            sqlx::query("SELECT service_id FROM calendars WHERE service_id = $1 FOR UPDATE")
                .bind(service_id)
                .fetch_optional(&mut **tx)
                .await?;
        }
        Ok(())
    }

    pub async fn appointment(&self, token_hash: &str) -> Result<Option<Appointment>> {
        Ok(sqlx::query(&format!(
            "SELECT {COLUMNS} FROM appointments WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(row_to_appointment))
    }

    /// The live hold or appointment with this short code.
    pub async fn live_by_code(&self, code: &str, now: i64) -> Result<Option<Appointment>> {
        Ok(sqlx::query(&format!(
            "SELECT {COLUMNS} FROM appointments WHERE code = $1 AND {LIVE}"
        ))
        .bind(code)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(row_to_appointment))
    }

    /// Gives an appointment a new secret (the visitor came in by its code:
    /// the old link, if anyone saw it, stops working).
    pub async fn rekey(&self, old_hash: &str, new_hash: &str) -> Result<()> {
        sqlx::query("UPDATE appointments SET token_hash = $1 WHERE token_hash = $2")
            .bind(new_hash)
            .bind(old_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Confirms a hold with the visitor's name and contact. A hold that ran
    /// out is confirmed still if its slot has a free place.
    pub async fn confirm(
        &self,
        token_hash: &str,
        name: &str,
        contact: &str,
        capacity: i64,
        now: i64,
    ) -> Result<()> {
        let Some(appointment) = self.appointment(token_hash).await? else {
            return Err(DbError::NotFound("no such appointment".into()));
        };
        let mut tx = self.begin().await?;
        self.lock_calendar(&mut tx, &appointment.service_id).await?;
        let current = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM appointments WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_one(&mut *tx)
        .await?;
        let current = row_to_appointment(&current);
        match current.standing(now) {
            Standing::Cancelled => return Err(DbError::Conflict("cancelled".into())),
            Standing::Confirmed => return Ok(()),
            Standing::Expired => {
                let others = taken_at(
                    &mut tx,
                    &current.service_id,
                    current.starts_at,
                    now,
                    Some(token_hash),
                )
                .await?;
                if others >= capacity {
                    return Err(DbError::Conflict("taken".into()));
                }
            }
            Standing::Held => {}
        }
        sqlx::query(
            "UPDATE appointments SET confirmed_at = $1, name = $2, contact = $3 WHERE token_hash = $4",
        )
        .bind(now)
        .bind(name)
        .bind(contact)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cancels an appointment; `actor` is written to the audit log when
    /// staff cancel (a visitor's own cancellation is not theirs to log).
    pub async fn cancel_appointment(
        &self,
        token_hash: &str,
        actor: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE appointments SET cancelled_at = $1 WHERE token_hash = $2 AND cancelled_at IS NULL",
        )
        .bind(now)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if done && let Some(actor) = actor {
            let code = sqlx::query("SELECT code FROM appointments WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_one(&mut *tx)
                .await?
                .get::<String, _>(0);
            audit::record(&mut tx, now, actor, "appointment cancel", &code, "").await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// A kiosk lets go of its own live hold (the visitor changed their
    /// mind at the totem).
    pub async fn release_hold(&self, kiosk_id: &str, code: &str, now: i64) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE appointments SET cancelled_at = $1 WHERE kiosk_id = $2 AND code = $3 \
             AND cancelled_at IS NULL AND confirmed_at IS NULL AND held_until > $1",
        )
        .bind(now)
        .bind(kiosk_id)
        .bind(code)
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0)
    }

    /// Every appointment starting in [from, to), in order: for the desk.
    pub async fn appointments_between(&self, from: i64, to: i64) -> Result<Vec<Appointment>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM appointments WHERE starts_at >= $1 AND starts_at < $2 \
             ORDER BY starts_at, service_id, code"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(row_to_appointment).collect())
    }

    /// Forgets appointments (names and contacts with them) that ended
    /// before `before`, and holds that ran out unconfirmed before it.
    pub async fn prune_appointments(&self, before: i64) -> Result<u64> {
        Ok(sqlx::query(
            "DELETE FROM appointments WHERE ends_at < $1 \
             OR (confirmed_at IS NULL AND held_until < $1)",
        )
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}

/// Places taken at one start, at `now`, leaving out `except`.
async fn taken_at(
    tx: &mut Transaction<'static, Any>,
    service_id: &str,
    starts_at: i64,
    now: i64,
    except: Option<&str>,
) -> Result<i64> {
    let row = sqlx::query(&format!(
        "SELECT COUNT(*) FROM appointments WHERE service_id = $1 AND {LIVE} \
         AND starts_at = $3 AND token_hash <> $4"
    ))
    .bind(service_id)
    .bind(now)
    .bind(starts_at)
    .bind(except.unwrap_or(""))
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.get(0))
}
