//! The appointments thread: asks the hub for a service's free slots, holds
//! one, lets one go (docs/hub-api.md, "Services and appointments"), on a
//! thread of its own so that a slow hub never stalls a frame. Asks come
//! from the visitor's session ([`crate::appointment`]); answers go back on
//! a channel, and the waker tells a sleeping app.

use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use serde_json::json;
use tracing::{info, warn};

use super::client::{Fetched, HubClient, HubError};
use crate::appointment::{Answer, Ask, Refusal};
use crate::content::{Hold, Lang, Slot, UrlBase, parse_items};

/// An ask, with the visitor's language (carried into the phone's link).
#[derive(Debug, Clone)]
pub struct Request {
    pub ask: Ask,
    pub lang: Lang,
}

/// The app's end of the appointments thread.
pub struct AppointmentsHandle {
    requests: Sender<Request>,
    pub answers: Receiver<Answer>,
    _thread: JoinHandle<()>,
}

impl AppointmentsHandle {
    /// Starts the thread; `wake` is called after each answer.
    pub fn start(client: HubClient, wake: Box<dyn Fn() + Send>) -> AppointmentsHandle {
        let (request_tx, request_rx) = crossbeam_channel::unbounded::<Request>();
        let (answer_tx, answer_rx) = crossbeam_channel::unbounded();
        let urls = UrlBase::hub(client.base_url());
        let thread = std::thread::Builder::new()
            .name("appointments".into())
            .spawn(move || {
                for request in request_rx {
                    let Some(answer) = serve(&client, &urls, request) else {
                        continue;
                    };
                    if answer_tx.send(answer).is_err() {
                        return;
                    }
                    wake();
                }
            })
            .expect("spawn the appointments thread");
        AppointmentsHandle {
            requests: request_tx,
            answers: answer_rx,
            _thread: thread,
        }
    }

    /// Sends an ask; whether the thread is there to take it.
    pub fn ask(&self, request: Request) -> bool {
        self.requests.send(request).is_ok()
    }
}

/// One ask, answered (a release has no answer: the hold runs out anyway).
pub fn serve(client: &HubClient, urls: &UrlBase, request: Request) -> Option<Answer> {
    match request.ask {
        Ask::Slots { service } => {
            let path = format!("/appointments/slots?service={}", encode(&service));
            let slots = match client.get(&path, None) {
                Ok(Fetched::Body { body, .. }) => match parse_items::<Slot>(&body, urls) {
                    Ok(parsed) => {
                        if !parsed.skipped.is_empty() {
                            warn!("slots of {service}: {}", parsed.skipped.summary());
                        }
                        Some(parsed.items)
                    }
                    Err(err) => {
                        warn!("slots of {service}: {err}");
                        None
                    }
                },
                Ok(Fetched::NotModified) => None,
                Err(err) => {
                    warn!("slots of {service}: {err}");
                    None
                }
            };
            Some(Answer::Slots { service, slots })
        }
        Ask::Hold { service, slot } => {
            let document = json!({"slot": slot.id, "lang": request.lang.as_str()});
            let result = match client.post_for("/appointments/holds", &document) {
                Ok(body) => Hold::parse(&body, urls).map_err(|err| {
                    warn!("hold of {}: the hub's answer: {err}", slot.id);
                    Refusal::Unavailable
                }),
                Err(err) => Err(refusal(&err)),
            };
            match &result {
                Ok(hold) => info!("slot held until {} (code not logged)", hold.expires_at),
                Err(why) => info!("hold refused: {why:?}"),
            }
            Some(Answer::Hold {
                service,
                slot_id: slot.id,
                result,
            })
        }
        Ask::Release { code } => {
            if let Err(err) = client.delete(&format!("/appointments/holds/{}", encode(&code))) {
                warn!("releasing a hold: {err}");
            }
            None
        }
    }
}

/// What a refusal means to the visitor.
fn refusal(err: &HubError) -> Refusal {
    match err {
        HubError::Status { status: 409, .. } => Refusal::Taken,
        HubError::Status {
            status: 429,
            retry_after,
            ..
        } => Refusal::Limit {
            minutes: retry_after.map_or(10, |d| d.as_secs().div_ceil(60).max(1)),
        },
        other => {
            warn!("hold: {other}");
            Refusal::Unavailable
        }
    }
}

/// A path segment or query value, percent-encoded.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_travel_percent_encoded() {
        assert_eq!(
            encode("orientamento@1765353600"),
            "orientamento%401765353600"
        );
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn a_refusal_says_what_the_visitor_can_do() {
        let status = |status, secs: Option<u64>| HubError::Status {
            status,
            retry_after: secs.map(std::time::Duration::from_secs),
            message: None,
        };
        assert_eq!(refusal(&status(409, None)), Refusal::Taken);
        assert_eq!(
            refusal(&status(429, Some(61))),
            Refusal::Limit { minutes: 2 }
        );
        assert_eq!(refusal(&status(503, None)), Refusal::Unavailable);
        assert_eq!(refusal(&HubError::Timeout), Refusal::Unavailable);
    }
}
