//! Services by appointment: the free slots a kiosk offers, a slot held
//! from a kiosk with its short code and the link for the visitor's phone,
//! and the codes themselves. Shared by the kiosk routes, the phone page
//! and the console. The SQL is in `db/appointments.rs`, the calendar's
//! arithmetic in `calendar.rs`.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use portalavoro_contract::{Access, Service, validate};
use serde_json::{Value, json};

use crate::calendar::{Calendar, CalendarSlot, parse_slot_id, slot_id};
use crate::db::{KioskIdentity, NewHold, Refused};
use crate::error::ApiError;
use crate::feeds;
use crate::secrets;
use crate::state::AppState;

/// The letters of a hold's code: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B, that a
/// visitor could read one for the other.
const CODE_LETTERS: &[u8] = b"ACDEFHJKMNPRTUVWXY3479";

/// A service by appointment as a kiosk may book it.
pub struct Bookable {
    pub service: Service,
    pub calendar: Calendar,
}

/// The service `id` as `kiosk` sees it, if it is by appointment and has a
/// calendar.
pub async fn bookable(
    state: &AppState,
    kiosk: &KioskIdentity,
    id: &str,
) -> Result<Bookable, ApiError> {
    let missing = || ApiError::NotFound(format!("no service {id:?} by appointment"));
    let row = state.db.item("services", id).await?.ok_or_else(missing)?;
    if !feeds::reaches(&row, kiosk) {
        return Err(missing());
    }
    let service = service_of(&row.body).ok_or_else(missing)?;
    if service.access != Access::Appointment {
        return Err(missing());
    }
    let calendar = state
        .db
        .calendar(id)
        .await?
        .and_then(|body| Calendar::from_json(&body).ok())
        .ok_or_else(missing)?;
    Ok(Bookable { service, calendar })
}

/// A stored service's body, read as kiosks read it.
pub fn service_of(body: &str) -> Option<Service> {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|value| validate::<Service>(&value).ok())
}

/// The free slots of `days` days from `first`, in order, not before the
/// calendar's notice from now.
pub async fn free_slots(
    state: &AppState,
    service_id: &str,
    calendar: &Calendar,
    first: Date,
    days: u32,
) -> Result<Vec<CalendarSlot>, ApiError> {
    let timezone = &state.config.timezone;
    let now = state.now();
    let earliest = calendar.earliest(now);
    let mut slots = Vec::new();
    let mut date = first;
    for _ in 0..days {
        slots.extend(calendar.slots_on(date, timezone));
        let Ok(next) = date.tomorrow() else { break };
        date = next;
    }
    slots.retain(|slot| slot.starts_at >= earliest);
    let (Some(from), Some(to)) = (slots.first(), slots.last()) else {
        return Ok(slots);
    };
    let taken = state
        .db
        .taken(
            service_id,
            from.starts_at,
            to.starts_at + 1,
            now.as_second(),
        )
        .await?;
    let capacity = i64::from(calendar.capacity);
    slots.retain(|slot| {
        taken
            .iter()
            .find(|(start, _)| *start == slot.starts_at)
            .is_none_or(|(_, count)| *count < capacity)
    });
    Ok(slots)
}

/// A moment on the wire: RFC 3339 with the hub's offset at that moment.
pub fn wire_time(state: &AppState, second: i64) -> String {
    Timestamp::from_second(second)
        .map(|t| {
            t.to_zoned(state.config.timezone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        })
        .unwrap_or_default()
}

/// The slots document: `{"service": ID, "items": [{"id", "starts_at", "ends_at"}]}`.
pub fn slots_document(service_id: &str, slots: &[CalendarSlot], state: &AppState) -> String {
    let time = |second: i64| wire_time(state, second);
    let items: Vec<Value> = slots
        .iter()
        .map(|slot| {
            json!({
                "id": slot_id(service_id, slot.starts_at),
                "starts_at": time(slot.starts_at),
                "ends_at": time(slot.ends_at),
            })
        })
        .collect();
    json!({"service": service_id, "items": items}).to_string()
}

/// A hold placed: what the kiosk shows.
pub struct Placed {
    pub code: String,
    pub url: String,
    pub held_until: i64,
    pub slot: CalendarSlot,
}

/// Holds `slot` for `kiosk`'s visitor; `public` is where phones reach this
/// hub, `lang` the visitor's language, carried into the link.
pub async fn hold(
    state: &AppState,
    kiosk: &KioskIdentity,
    slot: &str,
    lang: Option<&str>,
    public: &str,
) -> Result<Placed, ApiError> {
    let (service_id, starts_at) =
        parse_slot_id(slot).ok_or_else(|| ApiError::NotFound(format!("no slot {slot:?}")))?;
    let bookable = bookable(state, kiosk, service_id).await?;
    let now = state.now();
    let timezone = &state.config.timezone;
    let slot = bookable
        .calendar
        .offers(starts_at, now, timezone)
        .ok_or_else(|| {
            ApiError::Conflict("that slot is not free any more: choose another".into())
        })?;
    let settings = &state.config.appointments;
    let held_until = held_until(now, settings.hold);
    let token = secrets::new_token().map_err(|err| ApiError::Unavailable(err.to_string()))?;
    let token_hash = secrets::hash_token(&token);
    let lang = lang.and_then(portalavoro_contract::Lang::parse);
    for _ in 0..8 {
        let code = new_code()?;
        let placed = state
            .db
            .hold(
                &NewHold {
                    token_hash: &token_hash,
                    code: &code,
                    service_id,
                    starts_at: slot.starts_at,
                    ends_at: slot.ends_at,
                    kiosk_id: &kiosk.id,
                    lang: lang.as_ref().map(|l| l.as_str()),
                    held_until,
                },
                i64::from(bookable.calendar.capacity),
                i64::from(settings.holds_per_kiosk),
                now.as_second(),
            )
            .await?;
        match placed {
            Ok(()) => {
                let mut url = format!("{public}/a/{token}");
                if let Some(lang) = &lang {
                    url.push_str(&format!("?lang={lang}"));
                }
                return Ok(Placed {
                    code,
                    url,
                    held_until,
                    slot,
                });
            }
            Err(Refused::CodeInUse) => continue,
            Err(Refused::Taken) => {
                return Err(ApiError::Conflict(
                    "that slot was just taken: choose another".into(),
                ));
            }
            Err(Refused::KioskLimit { first_ends }) => {
                return Err(ApiError::HoldLimit {
                    most: settings.holds_per_kiosk,
                    // Never longer than a hold, whatever the rounding.
                    retry_after: (first_ends - now.as_second())
                        .clamp(1, (settings.hold.as_secs() as i64).max(1))
                        as u64,
                });
            }
        }
    }
    Err(ApiError::Unavailable(
        "no free hold code after 8 draws".into(),
    ))
}

/// When a hold placed at `now` ends, in whole seconds as stored: the
/// visitor gets `hold` at least.
fn held_until(now: Timestamp, hold: std::time::Duration) -> i64 {
    let until = now + (hold.as_secs() as i64).seconds();
    until.as_second() + i64::from(until.subsec_nanosecond() > 0)
}

/// A new code: six of [`CODE_LETTERS`], read in two halves (`K7P-M3X`).
fn new_code() -> Result<String, ApiError> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).map_err(|err| ApiError::Unavailable(err.to_string()))?;
    let letters: String = bytes
        .iter()
        .map(|b| CODE_LETTERS[usize::from(*b) % CODE_LETTERS.len()] as char)
        .collect();
    Ok(format!("{}-{}", &letters[..3], &letters[3..]))
}

/// A code as a visitor may type it (`k7p m3x`, `K7PM3X`), in the stored
/// form; `None` if it cannot be one.
pub fn normalise_code(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (letters.len() == 6 && letters.bytes().all(|b| CODE_LETTERS.contains(&b)))
        .then(|| format!("{}-{}", &letters[..3], &letters[3..]))
}

/// Stores a calendar for an existing service by appointment (the staff
/// API and the console).
pub async fn set_calendar(
    state: &AppState,
    actor: &str,
    id: &str,
    calendar: &Calendar,
) -> Result<(), ApiError> {
    let row = state
        .db
        .item("services", id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no service {id:?}")))?;
    if service_of(&row.body).is_none_or(|s| s.access != portalavoro_contract::Access::Appointment) {
        return Err(ApiError::Invalid(format!(
            "service {id:?} is not by appointment: set its `access` first"
        )));
    }
    let now = state.now().as_second();
    state
        .db
        .put_calendar(id, &calendar.to_json(), actor, now)
        .await?;
    state.changed();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_letters_no_one_misreads() {
        for _ in 0..200 {
            let code = new_code().unwrap();
            assert_eq!(code.len(), 7);
            assert_eq!(normalise_code(&code).as_deref(), Some(code.as_str()));
        }
        assert_eq!(normalise_code(" k7p m3x ").as_deref(), Some("K7P-M3X"));
        assert_eq!(normalise_code("K7PM3X").as_deref(), Some("K7P-M3X"));
        assert_eq!(normalise_code("K0PM3X"), None, "0 is never drawn");
        assert_eq!(normalise_code("K7PM3"), None);
    }

    #[test]
    fn a_hold_lasts_at_least_what_the_hub_promises() {
        let hold = std::time::Duration::from_secs(600);
        for now in ["2026-12-04T10:00:00Z", "2026-12-04T10:00:00.999Z"] {
            let now: Timestamp = now.parse().unwrap();
            let until = Timestamp::from_second(held_until(now, hold)).unwrap();
            let lasts = now.duration_until(until);
            assert!(lasts >= hold.try_into().unwrap(), "{now}: {lasts:?}");
            let most = hold + std::time::Duration::from_secs(1);
            assert!(lasts < most.try_into().unwrap(), "{now}: {lasts:?}");
        }
    }
}
