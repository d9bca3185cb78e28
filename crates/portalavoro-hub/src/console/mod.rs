//! The staff console: server-rendered pages under `/console`, for front-desk
//! staff (announcements first) and admins (kiosks). No JavaScript framework;
//! a small script only updates the live preview as one types. Nothing is
//! fetched from outside: the styles, the script and the kiosk's fonts are
//! served by the hub itself.

mod access;
mod announcements;
mod appointments;
mod audit;
mod events;
mod fleet;
mod news;
mod playlists;
mod services;
mod session;
mod vacancies;
mod words;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, html};

pub use session::Signed;
use words::UiLang;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console", get(|| async { Redirect::to("/console/") }))
        .route("/console/", get(announcements::page))
        .route("/console/login", get(session::form).post(session::sign_in))
        .route("/console/logout", post(session::sign_out))
        .route("/console/announcements", post(announcements::publish))
        .route("/console/announcements/{id}/end", post(announcements::end))
        .route(
            "/console/announcements/end-urgent",
            post(announcements::end_urgent),
        )
        .route("/console/kiosks", get(fleet::page).post(fleet::add))
        .route("/console/kiosks/{id}/revoke", post(fleet::revoke))
        .route(
            "/console/news",
            get(news::page)
                .post(news::add)
                .layer(DefaultBodyLimit::max(crate::pictures::MOST_UPLOAD + 65_536)),
        )
        .route("/console/news/{id}/withdraw", post(news::withdraw))
        .route("/console/events", get(events::page).post(events::add))
        .route("/console/events/{id}/delete", post(events::delete))
        .route("/console/rooms", post(events::add_room))
        .route("/console/services", get(services::page).post(services::add))
        .route(
            "/console/services/{id}",
            get(services::edit).post(services::save),
        )
        .route("/console/services/{id}/delete", post(services::delete))
        .route("/console/appointments", get(appointments::page))
        .route(
            "/console/appointments/{id}/cancel",
            post(appointments::cancel),
        )
        .route("/console/vacancies", get(vacancies::page))
        .route(
            "/console/vacancies/import",
            post(vacancies::import).layer(DefaultBodyLimit::max(crate::import::MOST_CSV)),
        )
        .route(
            "/console/vacancies/{id}",
            get(vacancies::edit).post(vacancies::save),
        )
        .route("/console/vacancies/{id}/expire", post(vacancies::expire))
        .route("/console/playlists", get(playlists::page))
        .route("/console/playlists/{site}", post(playlists::save))
        .route("/console/playlists/{site}/delete", post(playlists::delete))
        .route("/console/sites", post(fleet::add_site))
        .route("/console/access", get(access::page))
        .route("/console/access/users", post(access::add_user))
        .route(
            "/console/access/users/{name}/password",
            post(access::reset_password),
        )
        .route(
            "/console/access/users/{name}/remove",
            post(access::remove_user),
        )
        .route("/console/access/tokens", post(access::add_token))
        .route(
            "/console/access/tokens/{name}/revoke",
            post(access::revoke_token),
        )
        .route("/console/audit", get(audit::page))
        .route("/console/lang/{tag}", get(choose_lang))
        .route("/console/static/{name}", get(static_file))
}

/// `?done=…` after a form went through: what the page says about it.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

impl Done {
    pub fn flash(&self, w: &'static words::Words) -> Option<&'static str> {
        match self.done.as_deref()? {
            "saved" => Some(w.saved),
            "deleted" => Some(w.deleted),
            "withdrawn" => Some(w.withdrawn),
            "expired" => Some(w.expired_done),
            _ => None,
        }
    }
}

/// A form that was refused: why, and what was sent, so the page shows it
/// again as it was typed (nothing is lost to a mistake).
pub struct Refused {
    pub why: String,
    sent: std::collections::HashMap<String, String>,
}

impl Refused {
    pub fn new(why: impl Into<String>, sent: std::collections::HashMap<String, String>) -> Refused {
        Refused {
            why: why.into(),
            sent,
        }
    }

    /// A refused form of named fields (its struct, serialised).
    pub fn of(why: impl Into<String>, form: &impl serde::Serialize) -> Refused {
        let sent = match serde_json::to_value(form) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter_map(|(key, value)| Some((key, value.as_str()?.to_string())))
                .collect(),
            _ => Default::default(),
        };
        Refused::new(why, sent)
    }

    /// What was sent in the field `key` ("" if nothing).
    pub fn sent(&self, key: &str) -> &str {
        self.sent.get(key).map_or("", String::as_str)
    }
}

/// What a refused form sent in `key`, or "" on a fresh form.
pub fn sent<'a>(refused: &'a Option<Refused>, key: &str) -> &'a str {
    refused.as_ref().map_or("", |r| r.sent(key))
}

/// A link staff typed (shown on kiosks as a QR code): a full web address,
/// or nothing. `field`: the contract's name for it, for the message.
pub fn web_link(w: &words::Words, field: &str, text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !text.contains(char::is_whitespace) => {
            Ok(Some(text.into()))
        }
        _ => Err(format!("field `{field}`: {}", w.full_address)),
    }
}

/// After a write that kiosks must hear of: tell them, and go back to `to`.
pub fn changed_then(
    state: &AppState,
    written: Result<(), crate::db::DbError>,
    to: &str,
) -> Response {
    match written {
        Ok(()) => {
            state.changed();
            Redirect::to(to).into_response()
        }
        Err(err) => crate::error::ApiError::from(err).into_response(),
    }
}

/// The console's language: the `portalavoro_lang` cookie, else Italian.
pub fn page_lang(headers: &HeaderMap) -> UiLang {
    session::cookie(headers, "portalavoro_lang").map_or(UiLang::It, |tag| UiLang::parse(&tag))
}

async fn choose_lang(
    axum::extract::Path(tag): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = UiLang::parse(&tag);
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/console").map(|i| r[i..].to_string()))
        .unwrap_or_else(|| "/console/".into());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "portalavoro_lang={}; Path=/console; SameSite=Strict; Max-Age=31536000",
        lang.tag()
    )) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The text of a localised field (a string, or language → string): the
/// Italian, else the first.
pub fn italian(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Object(map) => map
            .get("it")
            .or_else(|| map.values().next())
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

/// `{"it": …, "en": …}` of the non-empty texts given.
pub fn localised(texts: &[(&str, &str)]) -> Option<serde_json::Value> {
    let map: serde_json::Map<String, serde_json::Value> = texts
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(lang, text)| {
            (
                lang.to_string(),
                serde_json::Value::String(text.trim().into()),
            )
        })
        .collect();
    (!map.is_empty()).then_some(serde_json::Value::Object(map))
}

/// A time as the hub's people read it: `HH:MM`, with the date when it is
/// not today, in the hub's time zone.
pub fn clock(state: &AppState, unix: i64) -> String {
    let tz = state.config.timezone.clone();
    let Ok(at) = jiff::Timestamp::from_second(unix) else {
        return String::new();
    };
    let at = at.to_zoned(tz.clone());
    let today = state.now().to_zoned(tz).date();
    if at.date() == today {
        at.strftime("%H:%M").to_string()
    } else {
        at.strftime("%d/%m/%Y %H:%M").to_string()
    }
}

/// A whole page: the frame (skip link, name, navigation, sign-out,
/// language) around `body`.
pub struct Page {
    lang: UiLang,
    title: String,
    nav: Option<Nav>,
    body: Markup,
}

/// The signed-in part of the frame: whose session, which page.
struct Nav {
    user: String,
    current: &'static str,
    csrf: String,
    admin: bool,
}

impl Page {
    /// `current`: the path of the page, for the navigation.
    pub fn signed(signed: &Signed, current: &'static str, title: &str, body: Markup) -> Page {
        Page {
            lang: signed.lang,
            title: title.into(),
            nav: Some(Nav {
                user: signed.user.clone(),
                current,
                csrf: signed.csrf.clone(),
                admin: signed.is_admin(),
            }),
            body,
        }
    }

    pub fn bare(lang: UiLang, title: &str, body: Markup) -> Page {
        Page {
            lang,
            title: title.into(),
            nav: None,
            body,
        }
    }

    /// The page, answered `422` when it comes back with a form that was
    /// refused (`200` otherwise).
    pub fn refused_if(self, refused: bool) -> Response {
        let status = if refused {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            axum::http::StatusCode::OK
        };
        (status, self).into_response()
    }

    pub fn message(lang: UiLang, text: &str) -> Page {
        let body = html! { main id="main" { p class="error" role="alert" { (text) } p { a href="/console/" { (lang.words().announcements) } } } };
        Page::bare(lang, lang.words().error, body)
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let w = self.lang.words();
        let markup = html! {
            (DOCTYPE)
            html lang=(self.lang.tag()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (self.title) " · " (w.console) }
                    link rel="stylesheet" href="/console/static/console.css";
                }
                body {
                    a class="skip" href="#main" { (w.skip) }
                    header class="top" {
                        span class="mark" { "Portalavoro" }
                        @if let Some(nav) = &self.nav {
                            nav aria-label=(w.console) {
                                @for (path, label) in [("/console/", w.announcements), ("/console/news", w.news), ("/console/events", w.events), ("/console/services", self.lang.services().services), ("/console/appointments", self.lang.services().appointments), ("/console/vacancies", w.vacancies), ("/console/playlists", w.playlists), ("/console/kiosks", w.fleet), ("/console/access", w.access), ("/console/audit", w.audit)].into_iter().filter(|(path, _)| nav.admin || *path != "/console/access") {
                                    @if path == nav.current {
                                        a href=(path) aria-current="page" { (label) }
                                    } @else {
                                        a href=(path) { (label) }
                                    }
                                }
                            }
                            form method="post" action="/console/logout" class="out" {
                                input type="hidden" name="csrf" value=(nav.csrf);
                                span { (nav.user) }
                                button type="submit" { (w.sign_out) }
                            }
                        }
                        span class="langs" {
                            a href="/console/lang/it" lang="it" { "Italiano" }
                            a href="/console/lang/en" lang="en" { "English" }
                        }
                    }
                    (self.body)
                }
            }
        };
        let mut response = Html(markup.into_string()).into_response();
        let h = response.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            ),
        );
        h.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        response
    }
}

const CSS: &str = include_str!("static/console.css");
const PREVIEW_JS: &str = include_str!("static/preview.js");
const FONT_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf");
const FONT_ARABIC: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansArabic-Regular.ttf");

async fn static_file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let (kind, bytes): (&str, &[u8]) = match name.as_str() {
        "console.css" => ("text/css; charset=utf-8", CSS.as_bytes()),
        "preview.js" => ("text/javascript; charset=utf-8", PREVIEW_JS.as_bytes()),
        "NotoSans-Regular.ttf" => ("font/ttf", FONT_REGULAR),
        "NotoSans-Bold.ttf" => ("font/ttf", FONT_BOLD),
        "NotoSansArabic-Regular.ttf" => ("font/ttf", FONT_ARABIC),
        _ => return axum::http::StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
    )
        .into_response()
}
