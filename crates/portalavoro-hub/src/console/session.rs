//! Signing in and out of the console: argon2id passwords, a session cookie
//! (HttpOnly, SameSite=Strict, Secure behind TLS), a CSRF token in every
//! form, a lock after repeated failures (db/users.rs), and the failed
//! attempts of an address slowed like the API's.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::words::UiLang;
use super::{Page, page_lang};
use crate::db::Role;
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "portalavoro_session";
const LOGIN_COOKIE: &str = "portalavoro_login";
/// A session lasts a working day.
const SESSION_S: i64 = 12 * 3600;

/// A signed-in user, read from the session cookie; pages without one send
/// the browser to the sign-in form.
pub struct Signed {
    pub user: String,
    pub role: Role,
    pub csrf: String,
    pub lang: UiLang,
    id_hash: String,
}

impl Signed {
    pub fn actor(&self) -> String {
        format!("user:{}", self.user)
    }

    /// A form's CSRF token must be the session's.
    pub fn check(&self, csrf: &str) -> Result<(), StaleForm> {
        if secrets::same(csrf, &self.csrf) {
            Ok(())
        } else {
            Err(StaleForm(self.lang))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A form whose CSRF token is not the session's: refused, with a page that
/// says to reload.
pub struct StaleForm(UiLang);

impl IntoResponse for StaleForm {
    fn into_response(self) -> Response {
        let page = Page::message(self.0, self.0.words().session_expired);
        (axum::http::StatusCode::FORBIDDEN, page).into_response()
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// Whether the browser reached the hub over TLS (directly or through a
/// proxy that says so): then cookies are `Secure`.
fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if over_tls(headers) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = page_lang(&parts.headers);
        let to_sign_in = || Redirect::to("/console/login").into_response();
        let Some(id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in());
        };
        let id_hash = secrets::hash_token(&id);
        match state.db.session(&id_hash, state.now().as_second()).await {
            Ok(Some(session)) => Ok(Signed {
                user: session.user,
                role: session.role,
                csrf: session.csrf,
                lang,
                id_hash,
            }),
            Ok(None) => Err(to_sign_in()),
            Err(err) => Err(ApiError::from(err).into_response()),
        }
    }
}

/// `GET /console/login`: the form, with a fresh token for its CSRF check.
pub async fn form(headers: HeaderMap) -> Response {
    sign_in_page(&headers, None)
}

fn sign_in_page(headers: &HeaderMap, error: Option<String>) -> Response {
    let lang = page_lang(headers);
    let w = lang.words();
    let token = secrets::new_token().unwrap_or_default();
    let body = html! {
        main id="main" class="sign-in" {
            h1 { (w.console) }
            @if let Some(error) = &error {
                p class="error" role="alert" { (error) }
            }
            form method="post" action="/console/login" {
                input type="hidden" name="csrf" value=(token);
                label for="user" { (w.user) }
                input id="user" name="user" type="text" autocomplete="username" required autofocus;
                label for="password" { (w.password) }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                button type="submit" class="primary" { (w.sign_in) }
            }
        }
    };
    let mut response = Page::bare(lang, w.sign_in, body).into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie(headers, LOGIN_COOKIE, &token, 3600));
    response
}

#[derive(Deserialize)]
pub struct SignIn {
    csrf: String,
    user: String,
    password: String,
}

/// `POST /console/login`.
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let lang = page_lang(&headers);
    let w = lang.words();
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|c| secrets::same(&c, &form.csrf)) {
        return sign_in_page(&headers, Some(w.session_expired.into()));
    }
    let ip = peer.ip();
    if state.may_try(ip).is_err() {
        return sign_in_page(&headers, Some(w.too_many.into()));
    }
    let now = state.now().as_second();
    let user = match state.db.user(form.user.trim()).await {
        Ok(user) => user,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let Some(user) = user else {
        state.failed(ip);
        // The same work and answer as a wrong password: whether a name
        // exists is not told.
        let _ =
            tokio::task::spawn_blocking(move || secrets::verify_password(&form.password, &DUMMY))
                .await;
        return sign_in_page(&headers, Some(w.wrong_credentials.into()));
    };
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        return sign_in_page(
            &headers,
            Some(format!("{} {}.", w.locked, super::clock(&state, until))),
        );
    }
    let (password, hash) = (form.password, user.password_hash.clone());
    let right = tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !right {
        state.failed(ip);
        let message = match state.db.sign_in_failed(&user.name, now).await {
            Ok(Some(until)) => format!("{} {}.", w.locked, super::clock(&state, until)),
            _ => w.wrong_credentials.into(),
        };
        return sign_in_page(&headers, Some(message));
    }
    let (Ok(id), Ok(csrf)) = (secrets::new_token(), secrets::new_token()) else {
        return ApiError::Unavailable("no random numbers".into()).into_response();
    };
    if let Err(err) = state
        .db
        .sign_in(
            &user.name,
            &secrets::hash_token(&id),
            &csrf,
            now,
            now + SESSION_S,
        )
        .await
    {
        return ApiError::from(err).into_response();
    }
    let mut response = Redirect::to("/console/").into_response();
    let h = response.headers_mut();
    h.append(
        SET_COOKIE,
        set_cookie(&headers, SESSION_COOKIE, &id, SESSION_S),
    );
    h.append(SET_COOKIE, set_cookie(&headers, LOGIN_COOKIE, "", 0));
    response
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    pub csrf: String,
}

/// `POST /console/logout`.
pub async fn sign_out(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(response) = signed.check(&form.csrf) {
        return response.into_response();
    }
    if let Err(err) = state
        .db
        .sign_out(&signed.id_hash, state.now().as_second())
        .await
    {
        return ApiError::from(err).into_response();
    }
    let mut response = Redirect::to("/console/login").into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, "", 0));
    response
}

/// An argon2id hash of a password nobody knows, to spend the same time on
/// an unknown name as on a known one.
static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let unknown = secrets::new_token().unwrap_or_default();
    secrets::hash_password(&unknown).unwrap_or_default()
});
