//! An appointment booked at the totem, as far as the totem goes: the free
//! slots of a service, grouped by day, one chosen in two touches (a day, a
//! time), held at the hub, and shown as a QR code and a short code for the
//! visitor to finish on their own phone. The totem never asks for a name
//! or any personal data (docs/hub-api.md, "Services and appointments").
//!
//! Pure: part of the visitor's [`Session`](crate::session::Session), so it
//! ends with the session. What must reach the hub goes into the outbox;
//! the app hands it to the appointments thread (`hub::appointments`) and
//! brings the answers back with [`Appointment::answered`].

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::content::{Hold, Slot};

/// The most days a visitor chooses from, and times a day shows: a page,
/// whatever the hub offers.
pub const MOST_DAYS: usize = 7;
pub const MOST_TIMES: usize = 24;

/// One day's free slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: Date,
    pub slots: Vec<Slot>,
}

/// Why a hold was not placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Someone took the slot first: choose another.
    Taken,
    /// This totem holds the most slots a hub allows at once; one frees
    /// within the minutes.
    Limit { minutes: u64 },
    /// The hub could not be asked, or said no otherwise.
    Unavailable,
}

/// Where the visitor's booking stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Appointment {
    /// Nothing asked yet.
    #[default]
    Idle,
    /// The free slots of the service are being asked for; `refused`: why
    /// the hold before failed, to say with them, and `day` the day the
    /// visitor was choosing on, to show again.
    Loading {
        service: String,
        refused: Option<Refusal>,
        day: Option<Date>,
    },
    /// The days with free slots; `day` is the one shown. `refused` says
    /// why the last hold failed, if it did.
    Slots {
        service: String,
        days: Vec<Day>,
        day: usize,
        refused: Option<Refusal>,
    },
    /// No slot can be offered: none free, or the hub could not be asked.
    Unavailable { service: String, none_free: bool },
    /// The hub is asked to hold `slot`.
    Holding { service: String, slot: Slot },
    /// Held: the visitor finishes on their phone.
    Held { service: String, hold: Hold },
}

/// What the totem must ask the hub.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    Slots { service: String },
    Hold { service: String, slot: Slot },
    Release { code: String },
}

/// The hub's answer to an [`Ask`].
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The free slots, or `None` when they could not be read.
    Slots {
        service: String,
        slots: Option<Vec<Slot>>,
    },
    Hold {
        service: String,
        slot_id: String,
        result: Result<Hold, Refusal>,
    },
}

impl Appointment {
    /// The service this booking is for.
    pub fn service(&self) -> Option<&str> {
        match self {
            Appointment::Idle => None,
            Appointment::Loading { service, .. }
            | Appointment::Slots { service, .. }
            | Appointment::Unavailable { service, .. }
            | Appointment::Holding { service, .. }
            | Appointment::Held { service, .. } => Some(service),
        }
    }

    /// Starts over for `service`: its free slots are asked for.
    pub fn start(&mut self, service: &str, outbox: &mut Vec<Ask>) {
        *self = Appointment::Loading {
            service: service.to_string(),
            refused: None,
            day: None,
        };
        outbox.push(Ask::Slots {
            service: service.to_string(),
        });
    }

    /// Shows another day's times.
    pub fn choose_day(&mut self, index: usize) {
        if let Appointment::Slots { days, day, .. } = self
            && index < days.len()
        {
            *day = index;
        }
    }

    /// Holds the slot with this id, if it is one shown.
    pub fn hold(&mut self, slot_id: &str, outbox: &mut Vec<Ask>) {
        let Appointment::Slots { service, days, .. } = self else {
            return;
        };
        let Some(slot) = days
            .iter()
            .flat_map(|day| &day.slots)
            .find(|slot| slot.id == slot_id)
            .cloned()
        else {
            return;
        };
        let service = service.clone();
        outbox.push(Ask::Hold {
            service: service.clone(),
            slot: slot.clone(),
        });
        *self = Appointment::Holding { service, slot };
    }

    /// The visitor changed their mind: the hold is let go, and the free
    /// slots are shown again.
    pub fn release(&mut self, outbox: &mut Vec<Ask>) {
        if let Appointment::Held { service, hold } = self {
            outbox.push(Ask::Release {
                code: hold.code.clone(),
            });
            let service = service.clone();
            self.start(&service, outbox);
        }
    }

    /// Takes the hub's answer, if it is still wanted (the visitor may have
    /// moved on, or left). Days and times are grouped in `tz`.
    pub fn answered(&mut self, answer: Answer, tz: &TimeZone, outbox: &mut Vec<Ask>) {
        match answer {
            Answer::Slots { service, slots } => {
                let (refused, was_on) = match self {
                    Appointment::Loading {
                        service: s,
                        refused,
                        day,
                    } if *s == service => (*refused, *day),
                    _ => return,
                };
                *self = match slots {
                    None => Appointment::Unavailable {
                        service,
                        none_free: false,
                    },
                    Some(slots) => {
                        let days = by_day(slots, tz);
                        if days.is_empty() {
                            Appointment::Unavailable {
                                service,
                                none_free: true,
                            }
                        } else {
                            let day = days
                                .iter()
                                .position(|d| Some(d.date) == was_on)
                                .unwrap_or(0);
                            Appointment::Slots {
                                service,
                                days,
                                day,
                                refused,
                            }
                        }
                    }
                };
            }
            Answer::Hold {
                service,
                slot_id,
                result,
            } => {
                let was_on = match self {
                    Appointment::Holding { service: s, slot }
                        if *s == service && slot.id == slot_id =>
                    {
                        slot.starts_at.to_zoned(tz.clone()).date()
                    }
                    _ => return,
                };
                match result {
                    Ok(hold) => *self = Appointment::Held { service, hold },
                    Err(why) => {
                        // The slots again, fresh (the one chosen may be
                        // gone), on the same day, and why it did not work.
                        self.start(&service, outbox);
                        *self = Appointment::Loading {
                            service,
                            refused: Some(why),
                            day: Some(was_on),
                        };
                    }
                }
            }
        }
    }
}

/// Slots grouped by their day in `tz`, in order: at most [`MOST_DAYS`]
/// days of at most [`MOST_TIMES`] times.
pub fn by_day(mut slots: Vec<Slot>, tz: &TimeZone) -> Vec<Day> {
    slots.sort_by_key(|slot| slot.starts_at);
    let mut days: Vec<Day> = Vec::new();
    for slot in slots {
        let date = slot.starts_at.to_zoned(tz.clone()).date();
        if days.last().is_none_or(|day| day.date != date) {
            if days.len() == MOST_DAYS {
                break;
            }
            days.push(Day {
                date,
                slots: Vec::new(),
            });
        }
        let Some(day) = days.last_mut() else { break };
        // Two desks at the same time are one choice for a visitor.
        if day.slots.len() < MOST_TIMES
            && day
                .slots
                .last()
                .is_none_or(|last| last.starts_at != slot.starts_at)
        {
            day.slots.push(slot);
        }
    }
    days
}

/// Whether a hold has run out at `now`.
pub fn expired(hold: &Hold, now: Timestamp) -> bool {
    now >= hold.expires_at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rome() -> TimeZone {
        TimeZone::get("Europe/Rome").unwrap()
    }

    fn slot(id: &str, at: &str) -> Slot {
        let starts_at: Timestamp = at.parse().unwrap();
        Slot {
            id: id.into(),
            starts_at,
            ends_at: starts_at + jiff::SignedDuration::from_mins(30),
        }
    }

    fn hold(code: &str) -> Hold {
        let at: Timestamp = "2026-12-10T09:00:00+01:00".parse().unwrap();
        Hold {
            code: code.into(),
            url: "https://hub.example.org/a/x".into(),
            expires_at: "2026-12-03T10:10:00+01:00".parse().unwrap(),
            starts_at: at,
            ends_at: at + jiff::SignedDuration::from_mins(30),
        }
    }

    fn free() -> Vec<Slot> {
        vec![
            slot("c", "2026-12-11T09:00:00+01:00"),
            slot("a", "2026-12-10T09:00:00+01:00"),
            slot("b", "2026-12-10T09:30:00+01:00"),
            // Late evening in Rome is still the 11th, though the 12th in UTC+8.
            slot("d", "2026-12-11T23:30:00+01:00"),
        ]
    }

    #[test]
    fn slots_are_grouped_by_their_local_day_in_order() {
        let days = by_day(free(), &rome());
        let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(dates, ["2026-12-10", "2026-12-11"]);
        let ids: Vec<&str> = days[1].slots.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["c", "d"]);
        let many: Vec<Slot> = (0..40)
            .map(|n| {
                slot(
                    &n.to_string(),
                    &format!("2026-12-{:02}T09:00:00+01:00", 1 + n % 20),
                )
            })
            .collect();
        assert_eq!(by_day(many, &rome()).len(), MOST_DAYS);
    }

    #[test]
    fn a_day_then_a_time_holds_the_slot_and_the_answer_shows_the_code() {
        let mut outbox = Vec::new();
        let mut appointment = Appointment::default();
        appointment.start("orientamento", &mut outbox);
        assert_eq!(
            std::mem::take(&mut outbox),
            [Ask::Slots {
                service: "orientamento".into()
            }]
        );
        // An answer for another service is not this visitor's.
        appointment.answered(
            Answer::Slots {
                service: "cv".into(),
                slots: Some(free()),
            },
            &rome(),
            &mut outbox,
        );
        assert!(matches!(appointment, Appointment::Loading { .. }));
        appointment.answered(
            Answer::Slots {
                service: "orientamento".into(),
                slots: Some(free()),
            },
            &rome(),
            &mut outbox,
        );
        appointment.choose_day(1);
        appointment.hold("d", &mut outbox);
        assert!(matches!(&appointment, Appointment::Holding { slot, .. } if slot.id == "d"));
        assert!(matches!(&outbox[..], [Ask::Hold { slot, .. }] if slot.id == "d"));
        outbox.clear();
        appointment.answered(
            Answer::Hold {
                service: "orientamento".into(),
                slot_id: "d".into(),
                result: Ok(hold("K7P-M3X")),
            },
            &rome(),
            &mut outbox,
        );
        assert!(matches!(&appointment, Appointment::Held { hold, .. } if hold.code == "K7P-M3X"));

        // Changing their mind lets the hold go and asks for the slots again.
        appointment.release(&mut outbox);
        assert_eq!(
            outbox,
            [
                Ask::Release {
                    code: "K7P-M3X".into()
                },
                Ask::Slots {
                    service: "orientamento".into()
                }
            ]
        );
    }

    #[test]
    fn a_refused_hold_shows_the_slots_again_with_why() {
        let mut outbox = Vec::new();
        let mut appointment = Appointment::default();
        appointment.start("orientamento", &mut outbox);
        let answer = |slots| Answer::Slots {
            service: "orientamento".into(),
            slots,
        };
        appointment.answered(answer(Some(free())), &rome(), &mut outbox);
        appointment.hold("a", &mut outbox);
        outbox.clear();
        appointment.answered(
            Answer::Hold {
                service: "orientamento".into(),
                slot_id: "a".into(),
                result: Err(Refusal::Limit { minutes: 7 }),
            },
            &rome(),
            &mut outbox,
        );
        assert_eq!(outbox.len(), 1, "the slots again");
        appointment.answered(answer(Some(free()[1..].to_vec())), &rome(), &mut outbox);
        assert!(matches!(
            appointment,
            Appointment::Slots {
                refused: Some(Refusal::Limit { minutes: 7 }),
                day: 0,
                ..
            }
        ));
        // Refused on the second day: the second day is shown again.
        appointment.choose_day(1);
        appointment.hold("d", &mut outbox);
        appointment.answered(
            Answer::Hold {
                service: "orientamento".into(),
                slot_id: "d".into(),
                result: Err(Refusal::Taken),
            },
            &rome(),
            &mut outbox,
        );
        appointment.answered(answer(Some(free())), &rome(), &mut outbox);
        assert!(matches!(
            appointment,
            Appointment::Slots {
                refused: Some(Refusal::Taken),
                day: 1,
                ..
            }
        ));
        // A slot not shown cannot be held.
        appointment.hold("zzz", &mut outbox);
        assert!(matches!(appointment, Appointment::Slots { .. }));

        let mut none = Appointment::default();
        none.start("orientamento", &mut outbox);
        none.answered(answer(Some(Vec::new())), &rome(), &mut outbox);
        assert!(matches!(
            none,
            Appointment::Unavailable {
                none_free: true,
                ..
            }
        ));
        none.start("orientamento", &mut outbox);
        none.answered(answer(None), &rome(), &mut outbox);
        assert!(matches!(
            none,
            Appointment::Unavailable {
                none_free: false,
                ..
            }
        ));
    }
}
