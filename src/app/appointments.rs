//! Booking at the totem, between the visitor's session and the hub: when
//! a visitor opens a service by appointment its free slots are asked for;
//! what the session's outbox holds goes to the appointments thread; its
//! answers come back into the session. Without a hub (the demo, or none
//! configured) nothing can be held: the page says to ask at the desk.

use bevy::prelude::*;

use super::feed::Content;
use super::session::VisitorSession;
use super::shared::{AppSystems, KioskConfig};
use portalavoro_core::appointment::{Answer, Ask};
use portalavoro_core::content::Access;
use portalavoro_core::hub::{AppointmentRequest, AppointmentsHandle};
use portalavoro_core::session::Page;

/// The app's end of the appointments thread; `None`: no hub to ask.
#[derive(Resource)]
pub struct Appointments(pub Option<AppointmentsHandle>);

pub(super) fn plugin(handle: Option<AppointmentsHandle>) -> impl Plugin {
    let handle = std::sync::Mutex::new(Some(handle));
    move |app: &mut App| {
        let handle = handle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("the appointments plugin is added once");
        app.insert_resource(Appointments(handle)).add_systems(
            Update,
            (answers, (start, send).chain())
                .chain()
                .in_set(AppSystems::Receive),
        );
    }
}

/// The hub's answers, into the session (an answer the visitor no longer
/// waits for is dropped there).
fn answers(
    appointments: Res<Appointments>,
    mut session: ResMut<VisitorSession>,
    config: Res<KioskConfig>,
) {
    let Some(handle) = &appointments.0 else {
        return;
    };
    while let Ok(answer) = handle.answers.try_recv() {
        let session = &mut **session;
        session
            .appointment
            .answered(answer, &config.display.timezone, &mut session.outbox);
    }
}

/// A service by appointment on screen with nothing asked yet: ask for its
/// free slots.
fn start(mut session: ResMut<VisitorSession>, content: Res<Content>) {
    let Page::Service(id) = &session.page else {
        return;
    };
    let by_appointment = content
        .service(id)
        .is_some_and(|service| service.access == Access::Appointment);
    if !by_appointment || session.appointment.service() == Some(id.as_str()) {
        return;
    }
    let id = id.clone();
    let session = &mut **session;
    session.appointment.start(&id, &mut session.outbox);
}

/// Sends what the outbox holds; without a hub, answers at once that
/// nothing can be had (the session says so on screen).
fn send(
    appointments: Res<Appointments>,
    mut session: ResMut<VisitorSession>,
    config: Res<KioskConfig>,
) {
    if session.outbox.is_empty() {
        return;
    }
    let lang = session.language(&config.display.language).clone();
    let session = &mut **session;
    for ask in std::mem::take(&mut session.outbox) {
        let sent = appointments.0.as_ref().is_some_and(|handle| {
            handle.ask(AppointmentRequest {
                ask: ask.clone(),
                lang: lang.clone(),
            })
        });
        if sent {
            continue;
        }
        let answer = match ask {
            Ask::Slots { service } => Answer::Slots {
                service,
                slots: None,
            },
            Ask::Hold { service, slot } => Answer::Hold {
                service,
                slot_id: slot.id,
                result: Err(portalavoro_core::appointment::Refusal::Unavailable),
            },
            Ask::Release { .. } => continue,
        };
        session
            .appointment
            .answered(answer, &config.display.timezone, &mut session.outbox);
    }
}
