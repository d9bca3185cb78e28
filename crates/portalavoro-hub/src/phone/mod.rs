//! The visitor's phone page: where a slot held at the totem becomes an
//! appointment. The QR code on the totem opens `/a/{secret}`; a visitor
//! without a camera types the totem's short code at `/a`. The page asks
//! for a name, a contact and consent (never at the totem), confirms, and
//! afterwards can cancel. In the visitor's language (`?lang=`, carried from
//! the totem), plain HTML without scripts, for any phone.

mod words;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use portalavoro_contract::{Lang, Service};
use serde::Deserialize;

use crate::appointments::{normalise_code, service_of};
use crate::calendar::Calendar;
use crate::db::{Appointment, DbError, Standing};
use crate::secrets;
use crate::state::AppState;
use words::Words;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/a", get(code_form).post(code_enter))
        .route("/a/phone.css", get(css))
        .route("/a/{token}", get(page).post(confirm))
        .route("/a/{token}/cancel", axum::routing::post(cancel))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    consent: Option<String>,
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

/// What the visitor typed, and what is wrong with it.
#[derive(Default)]
struct Typed<'a> {
    name: &'a str,
    contact: &'a str,
    errors: Vec<&'static str>,
}

async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    show(&state, &token, query.lang.as_deref(), Typed::default()).await
}

async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let hash = secrets::hash_token(&token);
    let Some(appointment) = found(&state, &hash).await else {
        return not_found(query.lang.as_deref());
    };
    let lang = query.lang.as_deref().or(appointment.lang.as_deref());
    let w = words::of(lang);
    let (name, contact) = (form.name.trim(), form.contact.trim());
    let mut errors = Vec::new();
    if !(2..=100).contains(&name.chars().count()) {
        errors.push(w.missing_name);
    }
    if !is_contact(contact) {
        errors.push(w.missing_contact);
    }
    if form.consent.as_deref() != Some("yes") {
        errors.push(w.missing_consent);
    }
    if !errors.is_empty() {
        let typed = Typed {
            name,
            contact,
            errors,
        };
        return show(&state, &token, lang, typed).await;
    }
    let capacity = capacity(&state, &appointment.service_id).await;
    let now = state.now().as_second();
    match state.db.confirm(&hash, name, contact, capacity, now).await {
        // Taken meanwhile, or cancelled: the page says which.
        Ok(()) | Err(DbError::Conflict(_)) => back_to(&token, lang),
        Err(err) => crate::error::ApiError::from(err).into_response(),
    }
}

async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let hash = secrets::hash_token(&token);
    let now = state.now().as_second();
    match state.db.cancel_appointment(&hash, None, now).await {
        Ok(_) => back_to(&token, query.lang.as_deref()),
        Err(err) => crate::error::ApiError::from(err).into_response(),
    }
}

/// After a form: the page again, by GET (a reload posts nothing twice).
fn back_to(token: &str, lang: Option<&str>) -> Response {
    let lang = words::of(lang).tag;
    Redirect::to(&format!("/a/{token}?lang={lang}")).into_response()
}

async fn found(state: &AppState, hash: &str) -> Option<Appointment> {
    state.db.appointment(hash).await.ok().flatten()
}

/// Places per slot of a service's calendar (1 when it has none any more).
async fn capacity(state: &AppState, service_id: &str) -> i64 {
    state
        .db
        .calendar(service_id)
        .await
        .ok()
        .flatten()
        .and_then(|body| Calendar::from_json(&body).ok())
        .map_or(1, |calendar| i64::from(calendar.capacity))
}

/// A phone number (six digits or more) or an email address.
fn is_contact(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let email = text
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    (5..=100).contains(&text.chars().count()) && (digits >= 6 || email)
}

async fn show(state: &AppState, token: &str, lang: Option<&str>, typed: Typed<'_>) -> Response {
    let hash = secrets::hash_token(token);
    let Some(appointment) = found(state, &hash).await else {
        return not_found(lang);
    };
    let lang = lang.or(appointment.lang.as_deref());
    let w = words::of(lang);
    let service = match state.db.item("services", &appointment.service_id).await {
        Ok(Some(row)) => service_of(&row.body),
        _ => None,
    };
    let now = state.now().as_second();
    let standing = appointment.standing(now);
    let still_free = match standing {
        Standing::Expired => {
            let capacity = capacity(state, &appointment.service_id).await;
            let taken = state
                .db
                .taken(
                    &appointment.service_id,
                    appointment.starts_at,
                    appointment.starts_at + 1,
                    now,
                )
                .await
                .ok()
                .and_then(|t| t.first().map(|(_, n)| *n))
                .unwrap_or(0);
            taken < capacity
        }
        _ => false,
    };
    let form = matches!(standing, Standing::Held) || still_free;
    let (status, message, kind) = match standing {
        Standing::Held => (
            StatusCode::OK,
            w.held_until
                .replace("{time}", &clock(state, appointment.held_until)),
            "note",
        ),
        Standing::Expired if still_free => (StatusCode::OK, w.expired_free.to_string(), "note"),
        Standing::Expired => (StatusCode::GONE, w.expired_taken.to_string(), "error"),
        Standing::Confirmed => (StatusCode::OK, w.confirmed.to_string(), "done"),
        Standing::Cancelled => (StatusCode::GONE, w.cancelled.to_string(), "error"),
    };
    let status = if typed.errors.is_empty() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let action = format!("/a/{token}?lang={}", w.tag);
    let body = html! {
        p class=(kind) role=(if kind == "error" { "alert" } else { "status" }) { (message) }
        (details(state, w, &appointment, service.as_ref()))
        @if form {
            h2 { (w.finish) }
            @if !typed.errors.is_empty() {
                ul class="error" role="alert" id="errors" {
                    @for error in &typed.errors { li { (error) } }
                }
            }
            form method="post" action=(action) {
                label for="name" { (w.name) }
                input id="name" name="name" autocomplete="name" required maxlength="100" value=(typed.name);
                label for="contact" { (w.contact) }
                input id="contact" name="contact" autocomplete="tel" required maxlength="100"
                    aria-describedby="contact-hint" value=(typed.contact);
                p class="hint" id="contact-hint" { (w.contact_hint) }
                p class="consent" {
                    input type="checkbox" id="consent" name="consent" value="yes" required;
                    label for="consent" { (w.consent) }
                }
                button type="submit" { (w.confirm) }
            }
        }
        @if standing == Standing::Confirmed {
            @if let Some(name) = &appointment.name {
                p { (w.booked_for) ": " strong { (name) } }
            }
            p { (w.keep_page) }
            form method="post" action=(format!("/a/{token}/cancel?lang={}", w.tag)) {
                button type="submit" class="quiet" { (w.cancel) }
            }
        }
    };
    render(w, &format!("/a/{token}"), body, status)
}

/// The appointment's facts: service, when, where, what to bring, code.
fn details(
    state: &AppState,
    w: &Words,
    appointment: &Appointment,
    service: Option<&Service>,
) -> Markup {
    let visitor = Lang::parse(w.tag).unwrap_or_else(|| Lang::new("it"));
    let italian = Lang::new("it");
    let text = |t: &portalavoro_contract::Text| t.get(&visitor, &italian).to_string();
    html! {
        dl {
            @if let Some(service) = service {
                dt { (w.service) } dd { (text(&service.name)) }
            }
            dt { (w.when) } dd { (when(state, w, appointment)) }
            @if let Some(place) = service.and_then(|s| s.place.as_ref()) {
                dt { (w.place) } dd { (text(place)) }
            }
            dt { (w.code) } dd class="code" { (appointment.code) }
        }
        @if let Some(service) = service.filter(|s| !s.bring.is_empty()) {
            h2 { (w.bring) }
            ul class="bring" {
                @for thing in &service.bring { li { (text(thing)) } }
            }
        }
    }
}

/// `giovedì 10/12/2026, 09:00–09:30`, in the hub's time zone.
fn when(state: &AppState, w: &Words, appointment: &Appointment) -> String {
    let tz = state.config.timezone.clone();
    let (Ok(start), Ok(end)) = (
        jiff::Timestamp::from_second(appointment.starts_at),
        jiff::Timestamp::from_second(appointment.ends_at),
    ) else {
        return String::new();
    };
    let (start, end) = (start.to_zoned(tz.clone()), end.to_zoned(tz));
    let day = w.weekdays[usize::from(start.weekday().to_monday_zero_offset() as u8)];
    format!(
        "{day} {}, {}–{}",
        start.strftime("%d/%m/%Y"),
        start.strftime("%H:%M"),
        end.strftime("%H:%M")
    )
}

fn clock(state: &AppState, unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| {
            t.to_zoned(state.config.timezone.clone())
                .strftime("%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

fn not_found(lang: Option<&str>) -> Response {
    let w = words::of(lang);
    let body = html! {
        p class="error" role="alert" { (w.not_found) }
        p { a href=(format!("/a?lang={}", w.tag)) { (w.have_code) } }
    };
    render(w, "/a", body, StatusCode::NOT_FOUND)
}

async fn code_form(Query(query): Query<LangQuery>) -> Response {
    let w = words::of(query.lang.as_deref());
    render(w, "/a", code_body(w, "", None), StatusCode::OK)
}

fn code_body(w: &Words, typed: &str, error: Option<&str>) -> Markup {
    html! {
        h2 { (w.have_code) }
        @if let Some(error) = error {
            p class="error" role="alert" id="code-error" { (error) }
        }
        form method="post" action=(format!("/a?lang={}", w.tag)) {
            label for="code" { (w.code_label) }
            input id="code" name="code" class="code" autocomplete="off" autocapitalize="characters"
                required maxlength="16" value=(typed);
            button type="submit" { (w.go_on) }
        }
    }
}

/// A code typed: a live hold's gets a new secret (the old link stops
/// working) and the visitor goes on to its page. Wrong codes count against
/// the address, as wrong tokens do.
async fn code_enter(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<LangQuery>,
    Form(form): Form<CodeForm>,
) -> Response {
    let w = words::of(query.lang.as_deref());
    let ip = peer.ip();
    if state.may_try(ip).is_err() {
        return render(
            w,
            "/a",
            code_body(w, &form.code, Some(w.too_many)),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let now = state.now().as_second();
    let held = match normalise_code(&form.code) {
        Some(code) => state.db.live_by_code(&code, now).await.ok().flatten(),
        None => None,
    }
    .filter(|a| a.standing(now) == Standing::Held);
    let Some(held) = held else {
        state.failed(ip);
        return render(
            w,
            "/a",
            code_body(w, &form.code, Some(w.code_wrong)),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let Ok(token) = secrets::new_token() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match state
        .db
        .rekey(&held.token_hash, &secrets::hash_token(&token))
        .await
    {
        Ok(()) => back_to(&token, Some(w.tag)),
        Err(err) => crate::error::ApiError::from(err).into_response(),
    }
}

/// The page around `body`: the language switcher (links to `path` in each
/// language), the title, no scripts, nothing from elsewhere.
fn render(w: &Words, path: &str, body: Markup, status: StatusCode) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang=(w.tag) dir=(if w.rtl { "rtl" } else { "ltr" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (w.title) " · Portalavoro" }
                link rel="stylesheet" href="/a/phone.css";
            }
            body {
                header {
                    span class="mark" { "Portalavoro" }
                    nav class="langs" {
                        @for other in words::ALL {
                            @if other.tag == w.tag {
                                span lang=(other.tag) aria-current="true" { (other.own_name) }
                            } @else {
                                a href=(format!("{path}?lang={}", other.tag)) lang=(other.tag) hreflang=(other.tag) { (other.own_name) }
                            }
                        }
                    }
                }
                main {
                    h1 { (w.title) }
                    (body)
                }
            }
        }
    };
    let mut response = (status, Html(markup.into_string())).into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

const CSS: &str = include_str!("phone.css");

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_is_a_phone_number_or_an_email() {
        assert!(is_contact("+39 333 123 4567"));
        assert!(is_contact("maria.rossi@example.org"));
        assert!(!is_contact("Maria"));
        assert!(!is_contact("12345"));
        assert!(!is_contact("maria@"));
    }
}
