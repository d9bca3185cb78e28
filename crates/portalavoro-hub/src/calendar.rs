//! A service's calendar: when it sees people by appointment, and the slots
//! that follow from it. Pure: the free slots are the calendar's slots less
//! the ones taken, counted by the caller.
//!
//! Stored as JSON (`calendars.body`), written by staff through the API as
//! the same JSON, or through the console as lines of text:
//!
//! ```text
//! {"slot_minutes": 30, "capacity": 1, "notice_minutes": 60,
//!  "weekly": [{"day": 1, "from": "09:00", "to": "12:30"}],
//!  "closed": ["2026-12-24"]}
//! ```

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// Why a calendar was refused, in words for staff.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct CalendarError(pub String);

/// Opening hours for appointments, one row per day and span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// The length of one appointment.
    pub slot_minutes: u32,
    /// How many people one slot takes (desks working side by side).
    #[serde(default = "one")]
    pub capacity: u32,
    /// How long before a slot it can still be taken.
    #[serde(default = "an_hour")]
    pub notice_minutes: u32,
    pub weekly: Vec<Opening>,
    /// Days without appointments (holidays, closures).
    #[serde(default)]
    pub closed: Vec<Date>,
}

fn one() -> u32 {
    1
}

fn an_hour() -> u32 {
    60
}

/// One span of one weekday: Monday is 1, Sunday 7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    pub day: u8,
    pub from: Time,
    pub to: Time,
}

/// One slot of a calendar, as Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarSlot {
    pub starts_at: i64,
    pub ends_at: i64,
}

/// The day names staff write in the console, Italian and English.
const DAYS: [(&str, &str, u8); 7] = [
    ("lun", "mon", 1),
    ("mar", "tue", 2),
    ("mer", "wed", 3),
    ("gio", "thu", 4),
    ("ven", "fri", 5),
    ("sab", "sat", 6),
    ("dom", "sun", 7),
];

impl Calendar {
    /// Reads and checks the stored or posted JSON.
    pub fn from_json(text: &str) -> Result<Calendar, CalendarError> {
        let calendar: Calendar =
            serde_json::from_str(text).map_err(|err| CalendarError(err.to_string()))?;
        calendar.checked()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether it makes sense: slots of 5 minutes to 8 hours, 1 to 50
    /// people each, spans that end after they start and fit one slot.
    pub fn checked(self) -> Result<Calendar, CalendarError> {
        if !(5..=480).contains(&self.slot_minutes) {
            return Err(CalendarError(
                "slot_minutes: between 5 and 480 minutes".into(),
            ));
        }
        if !(1..=50).contains(&self.capacity) {
            return Err(CalendarError("capacity: between 1 and 50 people".into()));
        }
        if self.notice_minutes > 7 * 24 * 60 {
            return Err(CalendarError("notice_minutes: at most a week".into()));
        }
        if self.weekly.len() > 70 || self.closed.len() > 366 {
            return Err(CalendarError(
                "at most 70 weekly spans and 366 closed days".into(),
            ));
        }
        for opening in &self.weekly {
            if !(1..=7).contains(&opening.day) {
                return Err(CalendarError(format!(
                    "day {}: 1 (Monday) to 7 (Sunday)",
                    opening.day
                )));
            }
            let length = opening.from.until(opening.to).map_or(0, |span| {
                span.total(jiff::Unit::Minute).unwrap_or(0.0) as i64
            });
            if length < i64::from(self.slot_minutes) {
                return Err(CalendarError(format!(
                    "{} {}-{}: ends before one slot of {} minutes fits",
                    DAYS[usize::from(opening.day - 1)].0,
                    hm(opening.from),
                    hm(opening.to),
                    self.slot_minutes
                )));
            }
        }
        Ok(self)
    }

    /// The weekly spans as the console shows them, one per line:
    /// `lun-ven 09:00-12:30`, each day on its own (`lun 09:00-12:30`).
    pub fn weekly_text(&self) -> String {
        self.weekly
            .iter()
            .map(|o| {
                format!(
                    "{} {}-{}",
                    DAYS[usize::from(o.day.clamp(1, 7) - 1)].0,
                    hm(o.from),
                    hm(o.to)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads the console's lines: `lun-ven 09:00-12:30`, `gio 15:00-17:00`,
    /// days in Italian or English, a range or a comma list.
    pub fn parse_weekly(text: &str) -> Result<Vec<Opening>, CalendarError> {
        let mut weekly = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let bad = |why: &str| CalendarError(format!("line {}: {line:?}: {why}", n + 1));
            let (days, times) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| bad("write the days, then the hours: lun-ven 09:00-12:30"))?;
            let (from, to) = times
                .trim()
                .split_once('-')
                .ok_or_else(|| bad("hours as 09:00-12:30"))?;
            let time = |t: &str| {
                t.trim()
                    .parse::<Time>()
                    .map_err(|_| bad("hours as 09:00-12:30"))
            };
            let (from, to) = (time(from)?, time(to)?);
            for day in parse_days(days).ok_or_else(|| bad("days as lun-ven, or sab, or lun,mer"))? {
                weekly.push(Opening { day, from, to });
            }
        }
        Ok(weekly)
    }

    /// Every slot of `date` in `timezone`, in order, free or not.
    pub fn slots_on(&self, date: Date, timezone: &TimeZone) -> Vec<CalendarSlot> {
        if self.closed.contains(&date) {
            return Vec::new();
        }
        let day = date.weekday().to_monday_one_offset() as u8;
        let step = i64::from(self.slot_minutes).minutes();
        let mut slots = Vec::new();
        let mut spans: Vec<&Opening> = self.weekly.iter().filter(|o| o.day == day).collect();
        spans.sort_by_key(|o| o.from);
        for opening in spans {
            let mut start = date.to_datetime(opening.from);
            let end = date.to_datetime(opening.to);
            while let Ok(next) = start.checked_add(step) {
                if next > end {
                    break;
                }
                if let (Ok(s), Ok(e)) = (
                    start.to_zoned(timezone.clone()),
                    next.to_zoned(timezone.clone()),
                ) {
                    let slot = CalendarSlot {
                        starts_at: s.timestamp().as_second(),
                        ends_at: e.timestamp().as_second(),
                    };
                    if slots
                        .last()
                        .is_none_or(|last: &CalendarSlot| last.starts_at < slot.starts_at)
                    {
                        slots.push(slot);
                    }
                }
                start = next;
            }
        }
        slots
    }

    /// Whether a slot starting then is one of this calendar's and far
    /// enough ahead of `now` to be taken.
    pub fn offers(
        &self,
        starts_at: i64,
        now: Timestamp,
        timezone: &TimeZone,
    ) -> Option<CalendarSlot> {
        if starts_at < self.earliest(now) {
            return None;
        }
        let date = Timestamp::from_second(starts_at)
            .ok()?
            .to_zoned(timezone.clone())
            .date();
        self.slots_on(date, timezone)
            .into_iter()
            .find(|slot| slot.starts_at == starts_at)
    }

    /// The first moment a slot may start, seen at `now`.
    pub fn earliest(&self, now: Timestamp) -> i64 {
        now.as_second() + i64::from(self.notice_minutes) * 60
    }
}

fn parse_days(text: &str) -> Option<Vec<u8>> {
    let day = |name: &str| {
        let name = name.trim().to_lowercase();
        let short: String = name.chars().take(3).collect();
        DAYS.iter()
            .find(|(it, en, _)| *it == short || *en == short)
            .map(|(_, _, n)| *n)
    };
    let mut days = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day(from)?, day(to)?);
                if from > to {
                    return None;
                }
                days.extend(from..=to);
            }
            None => days.push(day(part)?),
        }
    }
    Some(days)
}

/// `09:00`.
pub fn hm(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// A slot's id on the wire: the service and the start, opaque to kiosks.
pub fn slot_id(service_id: &str, starts_at: i64) -> String {
    format!("{service_id}@{starts_at}")
}

/// The service and the start named by a slot id.
pub fn parse_slot_id(id: &str) -> Option<(&str, i64)> {
    let (service, start) = id.rsplit_once('@')?;
    Some((service, start.parse().ok()?)).filter(|(service, _)| !service.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn rome() -> TimeZone {
        TimeZone::get("Europe/Rome").unwrap()
    }

    fn mornings() -> Calendar {
        Calendar {
            slot_minutes: 30,
            capacity: 2,
            notice_minutes: 60,
            weekly: Calendar::parse_weekly("lun-ven 09:00-10:30\ngio 15:00-16:00").unwrap(),
            closed: vec![date(2026, 12, 8)],
        }
    }

    #[test]
    fn the_console_lines_read_as_weekly_spans_and_back() {
        let calendar = mornings();
        assert_eq!(calendar.weekly.len(), 6);
        assert_eq!(
            calendar.weekly[0],
            Opening {
                day: 1,
                from: time(9, 0, 0, 0),
                to: time(10, 30, 0, 0)
            }
        );
        assert_eq!(
            Calendar::parse_weekly(&calendar.weekly_text()).unwrap(),
            calendar.weekly
        );
        assert_eq!(
            Calendar::parse_weekly("Mon,Wed 14:00-15:00").unwrap().len(),
            2
        );
        let bad = Calendar::parse_weekly("lun 9-12\nfoo 09:00-10:00").unwrap_err();
        assert!(bad.0.starts_with("line 1:"), "{bad}");
        let bad = Calendar::parse_weekly("\nfoo 09:00-10:00").unwrap_err();
        assert!(bad.0.starts_with("line 2:"), "{bad}");
        assert!(Calendar::parse_weekly("ven-lun 09:00-10:00").is_err());
    }

    #[test]
    fn a_day_has_the_slots_that_fit_its_spans() {
        let calendar = mornings();
        // Thursday 3 December 2026: three in the morning, two after lunch.
        let slots = calendar.slots_on(date(2026, 12, 3), &rome());
        let starts: Vec<String> = slots
            .iter()
            .map(|s| {
                Timestamp::from_second(s.starts_at)
                    .unwrap()
                    .to_zoned(rome())
                    .strftime("%H:%M")
                    .to_string()
            })
            .collect();
        assert_eq!(starts, ["09:00", "09:30", "10:00", "15:00", "15:30"]);
        assert_eq!(slots[0].ends_at - slots[0].starts_at, 1800);
        assert!(
            calendar.slots_on(date(2026, 12, 5), &rome()).is_empty(),
            "Saturday"
        );
        assert!(
            calendar.slots_on(date(2026, 12, 8), &rome()).is_empty(),
            "closed"
        );
    }

    #[test]
    fn a_slot_is_offered_only_if_it_is_the_calendars_and_far_enough_ahead() {
        let calendar = mornings();
        let nine = date(2026, 12, 3)
            .at(9, 0, 0, 0)
            .to_zoned(rome())
            .unwrap()
            .timestamp();
        let before = nine - 2.hours();
        assert!(calendar.offers(nine.as_second(), before, &rome()).is_some());
        assert!(
            calendar
                .offers(nine.as_second() + 60, before, &rome())
                .is_none(),
            "not on the grid"
        );
        assert!(
            calendar
                .offers(nine.as_second(), nine - 30.minutes(), &rome())
                .is_none(),
            "inside the notice"
        );
    }

    #[test]
    fn nonsense_is_refused_with_its_reason() {
        let mut calendar = mornings();
        calendar.slot_minutes = 120;
        let err = calendar.checked().unwrap_err();
        assert_eq!(
            err.0,
            "lun 09:00-10:30: ends before one slot of 120 minutes fits"
        );
        assert!(
            Calendar::from_json(
                r#"{"slot_minutes": 30, "weekly": [{"day": 8, "from": "09:00", "to": "10:00"}]}"#
            )
            .is_err()
        );
        let ok = Calendar::from_json(
            r#"{"slot_minutes": 30, "weekly": [{"day": 1, "from": "09:00", "to": "10:00"}]}"#,
        )
        .unwrap();
        assert_eq!((ok.capacity, ok.notice_minutes), (1, 60));
        assert_eq!(Calendar::from_json(&ok.to_json()).unwrap(), ok);
    }

    #[test]
    fn slot_ids_carry_the_service_and_the_start() {
        assert_eq!(
            parse_slot_id(&slot_id("cv@desk", 42)),
            Some(("cv@desk", 42))
        );
        assert_eq!(parse_slot_id("cv"), None);
        assert_eq!(parse_slot_id("@42"), None);
        assert_eq!(parse_slot_id("cv@x"), None);
    }
}
