//! Opening hours: per weekday, several ranges a day (a range may run past
//! midnight), and holidays by date. Pure: every question takes the moment
//! as a zoned date-time.

use std::collections::BTreeSet;

use jiff::Zoned;
use jiff::civil::{Date, Time, Weekday};

/// One opening range, in local wall-clock time. `end <= start` means it
/// closes the next day (e.g. 20:00–02:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: Time,
    pub end: Time,
}

impl Range {
    /// Parses `HH:MM-HH:MM`.
    pub fn parse(text: &str) -> Result<Range, String> {
        let (start, end) = text
            .split_once('-')
            .ok_or_else(|| format!("{text:?} is not HH:MM-HH:MM"))?;
        let time = |t: &str| {
            let t = t.trim();
            let (h, m) = t
                .split_once(':')
                .ok_or_else(|| format!("{t:?} is not HH:MM"))?;
            let (h, m): (i8, i8) = (
                h.parse().map_err(|_| format!("{t:?} is not HH:MM"))?,
                m.parse().map_err(|_| format!("{t:?} is not HH:MM"))?,
            );
            Time::new(h, m, 0, 0).map_err(|_| format!("{t:?} is not a time of day"))
        };
        let in_range = |err: String| format!("in {text:?}: {err}");
        let range = Range {
            start: time(start).map_err(in_range)?,
            end: time(end).map_err(in_range)?,
        };
        if range.start == range.end {
            return Err(format!("{text:?} opens and closes at the same time"));
        }
        Ok(range)
    }

    /// Whether the range holds `time` (a range past midnight holds the
    /// late evening and the early morning).
    pub fn contains(&self, time: Time) -> bool {
        if self.crosses_midnight() {
            time >= self.start || time < self.end
        } else {
            self.start <= time && time < self.end
        }
    }

    fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }
}

/// When a closed hub opens again: "today at 15:00", "tomorrow at 09:00",
/// "Monday at 09:00" within the week, else a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reopening {
    Today(Time),
    Tomorrow(Time),
    Weekday(Weekday, Time),
    Date(Date, Time),
}

/// When the kiosk's hub is open. The default is always open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpeningHours {
    /// Monday first. `None`: no `[hours]` given, always open.
    week: Option<[Vec<Range>; 7]>,
    holidays: BTreeSet<Date>,
}

fn day_index(weekday: Weekday) -> usize {
    weekday.to_monday_zero_offset() as usize
}

impl OpeningHours {
    pub fn always() -> OpeningHours {
        OpeningHours::default()
    }

    /// Ranges per weekday, Monday first, and closed dates.
    pub fn new(week: [Vec<Range>; 7], holidays: BTreeSet<Date>) -> OpeningHours {
        OpeningHours {
            week: Some(week),
            holidays,
        }
    }

    fn ranges(&self, date: Date) -> &[Range] {
        match &self.week {
            Some(_) if self.holidays.contains(&date) => &[],
            Some(week) => &week[day_index(date.weekday())],
            None => &[],
        }
    }

    pub fn is_open(&self, at: &Zoned) -> bool {
        if self.week.is_none() {
            return true;
        }
        let (date, time) = (at.date(), at.time());
        let today = self
            .ranges(date)
            .iter()
            .any(|r| time >= r.start && (r.crosses_midnight() || time < r.end));
        // A range that started yesterday and runs past midnight.
        let from_yesterday = date.yesterday().is_ok_and(|y| {
            self.ranges(y)
                .iter()
                .any(|r| r.crosses_midnight() && time < r.end)
        });
        today || from_yesterday
    }

    /// The next moment the hub opens after `at` (`None`: always open, or
    /// never again within a year).
    pub fn next_opening(&self, at: &Zoned) -> Option<Zoned> {
        self.week.as_ref()?;
        let tz = at.time_zone().clone();
        (0..=370).find_map(|offset| {
            let date = at.date().checked_add(jiff::Span::new().days(offset)).ok()?;
            self.ranges(date)
                .iter()
                .filter_map(|r| date.to_datetime(r.start).to_zoned(tz.clone()).ok())
                // A start that only continues an open period is no opening.
                .filter(|start| {
                    start > at
                        && start
                            .checked_sub(jiff::Span::new().minutes(1))
                            .map_or(true, |before| !self.is_open(&before))
                })
                .min()
        })
    }

    /// When the hub opens next, in the words a closed screen uses.
    pub fn reopening(&self, at: &Zoned) -> Option<Reopening> {
        let next = self.next_opening(at)?;
        let days = (next.date() - at.date()).get_days();
        let time = next.time();
        Some(match days {
            0 => Reopening::Today(time),
            1 => Reopening::Tomorrow(time),
            2..=6 => Reopening::Weekday(next.date().weekday(), time),
            _ => Reopening::Date(next.date(), time),
        })
    }

    /// The next moment the hub closes after `at`, if it is open.
    pub fn next_closing(&self, at: &Zoned) -> Option<Zoned> {
        self.week.as_ref()?;
        if !self.is_open(at) {
            return None;
        }
        // Walk minute boundaries of the ranges around `at`; ranges are few.
        let tz = at.time_zone().clone();
        let mut candidates = Vec::new();
        for offset in -1..=8 {
            let Ok(date) = at.date().checked_add(jiff::Span::new().days(offset)) else {
                continue;
            };
            for r in self.ranges(date) {
                let end_date = if r.crosses_midnight() {
                    date.tomorrow().ok()
                } else {
                    Some(date)
                };
                if let Some(end) =
                    end_date.and_then(|d| d.to_datetime(r.end).to_zoned(tz.clone()).ok())
                {
                    candidates.push(end);
                }
            }
        }
        candidates.sort();
        candidates
            .into_iter()
            .find(|end| end > at && !self.is_open(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        format!("{text}[Europe/Rome]").parse().unwrap()
    }

    fn ranges(list: &[&str]) -> Vec<Range> {
        list.iter().map(|r| Range::parse(r).unwrap()).collect()
    }

    /// Mon–Fri 09:00–13:00 and 15:00–18:00, Saturday 09:00–12:00, Sunday
    /// closed; a night shift Friday 20:00–02:00; Christmas closed.
    fn hub() -> OpeningHours {
        let weekday = ranges(&["09:00-13:00", "15:00-18:00"]);
        let friday = ranges(&["09:00-13:00", "15:00-18:00", "20:00-02:00"]);
        OpeningHours::new(
            [
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                friday,
                ranges(&["09:00-12:00"]),
                vec![],
            ],
            ["2026-12-25".parse().unwrap()].into(),
        )
    }

    #[test]
    fn open_inside_ranges_closed_between_them() {
        let hours = hub();
        // 2026-11-23 is a Monday.
        assert!(!hours.is_open(&at("2026-11-23T08:59")));
        assert!(hours.is_open(&at("2026-11-23T09:00")));
        assert!(
            !hours.is_open(&at("2026-11-23T13:00")),
            "closed from the end minute"
        );
        assert!(hours.is_open(&at("2026-11-23T15:30")));
        assert!(!hours.is_open(&at("2026-11-23T18:00")));
    }

    #[test]
    fn a_range_runs_past_midnight_into_the_next_day() {
        let hours = hub();
        // Friday 2026-11-27 20:00 to Saturday 02:00.
        assert!(hours.is_open(&at("2026-11-27T23:59")));
        assert!(
            hours.is_open(&at("2026-11-28T01:59")),
            "Saturday night belongs to Friday's range"
        );
        assert!(!hours.is_open(&at("2026-11-28T02:00")));
        assert_eq!(
            hours.next_closing(&at("2026-11-27T21:00")),
            Some(at("2026-11-28T02:00"))
        );
        assert_eq!(
            hours.next_opening(&at("2026-11-28T02:00")),
            Some(at("2026-11-28T09:00"))
        );
    }

    #[test]
    fn weekends_and_holidays_reopen_on_the_next_working_day() {
        let hours = hub();
        // Saturday after closing → Monday 09:00.
        assert_eq!(
            hours.next_opening(&at("2026-11-28T12:30")),
            Some(at("2026-11-30T09:00"))
        );
        // Christmas 2026 is a Friday: closed all day, no night shift either.
        assert!(!hours.is_open(&at("2026-12-25T10:00")));
        assert!(!hours.is_open(&at("2026-12-25T21:00")));
        assert_eq!(
            hours.next_opening(&at("2026-12-24T18:30")),
            Some(at("2026-12-26T09:00"))
        );
        // Lunch break.
        assert_eq!(
            hours.next_opening(&at("2026-11-23T13:10")),
            Some(at("2026-11-23T15:00"))
        );
        assert_eq!(
            hours.next_closing(&at("2026-11-23T10:00")),
            Some(at("2026-11-23T13:00"))
        );
    }

    #[test]
    fn reopening_is_said_in_days_from_now() {
        let hours = hub();
        let time = |t: &str| t.parse::<Time>().unwrap();
        assert_eq!(
            hours.reopening(&at("2026-11-23T13:10")),
            Some(Reopening::Today(time("15:00")))
        );
        assert_eq!(
            hours.reopening(&at("2026-11-23T19:00")),
            Some(Reopening::Tomorrow(time("09:00")))
        );
        // Just after midnight, Tuesday's opening is "today".
        assert_eq!(
            hours.reopening(&at("2026-11-24T00:10")),
            Some(Reopening::Today(time("09:00")))
        );
        assert_eq!(
            hours.reopening(&at("2026-11-28T12:30")),
            Some(Reopening::Weekday(Weekday::Monday, time("09:00")))
        );
        // A fortnight's holiday: a date.
        let closed: BTreeSet<Date> = (0..14)
            .map(|d| "2026-12-21".parse::<Date>().unwrap() + jiff::Span::new().days(d))
            .collect();
        let mut week = hub().week.unwrap();
        week[6] = vec![];
        let holidays = OpeningHours::new(week, closed);
        assert_eq!(
            holidays.reopening(&at("2026-12-19T12:30")),
            Some(Reopening::Date(
                "2027-01-04".parse().unwrap(),
                time("09:00")
            ))
        );
        assert_eq!(
            OpeningHours::always().reopening(&at("2026-12-19T12:30")),
            None
        );
    }

    #[test]
    fn opening_times_survive_the_change_to_summer_time() {
        // 2027-03-28 is a Sunday: clocks go forward; Monday opens at 09:00 local.
        let hours = hub();
        let opening = hours.next_opening(&at("2027-03-27T13:00")).unwrap();
        assert_eq!(opening, at("2027-03-29T09:00"));
        assert_eq!(opening.offset().seconds(), 7200);
    }

    #[test]
    fn no_hours_means_always_open() {
        let hours = OpeningHours::always();
        assert!(hours.is_open(&at("2026-12-25T03:00")));
        assert_eq!(hours.next_opening(&at("2026-12-25T03:00")), None);
        assert_eq!(hours.next_closing(&at("2026-12-25T03:00")), None);
    }

    #[test]
    fn ranges_are_checked() {
        assert!(Range::parse("09:00-13:00").is_ok());
        assert!(Range::parse("9:00-13:00").is_ok());
        assert!(Range::parse("09:00").is_err());
        assert!(Range::parse("25:00-26:00").is_err());
        assert!(Range::parse("09:00-09:00").is_err());
        assert!(Range::parse("nine-ten").is_err());
    }
}
