//! Who may use the hub (admins only): console users, each with a password
//! made here and shown once (to reset, a new one), and staff API tokens,
//! shown once, each revocable. The command line does the same (docs/hub.md).

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::session::CsrfOnly;
use super::{Page, Signed, clock};
use crate::db::{Role, valid_id};
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;

/// What was just made, to show once: whose, and the secret.
enum Made {
    Password(String, String),
    Token(String, String),
}

pub async fn page(State(state): State<AppState>, signed: Signed) -> Response {
    if !signed.is_admin() {
        return ApiError::Forbidden("admins only".into()).into_response();
    }
    render(&state, &signed, None, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    made: Option<Made>,
    error: Option<String>,
) -> Response {
    let w = signed.lang.words();
    let loaded =
        async { Ok::<_, crate::db::DbError>((state.db.users().await?, state.db.tokens().await?)) };
    let (users, tokens) = match loaded.await {
        Ok(loaded) => loaded,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let now = state.now().as_second();
    let role_name = |role: Role| match role {
        Role::Staff => w.role_staff,
        Role::Admin => w.role_admin,
    };
    let role_select = |id: &str| {
        html! {
            select id=(id) name="role" {
                option value="staff" { (w.role_staff) }
                option value="admin" { (w.role_admin) }
            }
        }
    };
    let body = html! {
        main id="main" class="content" {
            h1 { (w.access) }
            @match &made {
                Some(Made::Password(user, password)) => div class="flash" role="status" {
                    p { strong { (user) } ": " (w.password_once) }
                    p { code class="token" { (password) } }
                },
                Some(Made::Token(name, token)) => div class="flash" role="status" {
                    p { strong { (name) } ": " (w.api_token_once) }
                    p { code class="token" { (token) } }
                },
                None => {}
            }
            @if let Some(error) = &error { p class="error" role="alert" { strong { (w.error) ": " } (error) } }
            h2 { (w.users) }
            table {
                thead { tr {
                    th scope="col" { (w.user) } th scope="col" { (w.role) } th scope="col" { (w.state) }
                    th scope="col" { span class="visually-hidden" { (w.actions) } }
                } }
                tbody {
                    @for user in &users {
                        tr {
                            th scope="row" { (user.name) }
                            td { (role_name(user.role)) }
                            td {
                                @match user.locked_until.filter(|until| *until > now) {
                                    Some(until) => { (w.locked_until) " " (clock(state, until)) }
                                    None => { (w.ok) }
                                }
                            }
                            td class="actions" {
                                form method="post" action=(format!("/console/access/users/{}/password", user.name)) {
                                    input type="hidden" name="csrf" value=(signed.csrf);
                                    button type="submit" aria-label=(format!("{} – {}", w.new_password, user.name)) { (w.new_password) }
                                }
                                @if user.name != signed.user {
                                    form method="post" action=(format!("/console/access/users/{}/remove", user.name)) {
                                        input type="hidden" name="csrf" value=(signed.csrf);
                                        button type="submit" class="danger" aria-label=(format!("{} – {}", w.remove, user.name)) { (w.remove) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h3 { (w.add_user) }
            form method="post" action="/console/access/users" class="row" {
                input type="hidden" name="csrf" value=(signed.csrf);
                div { label for="user-name" { (w.user) } input id="user-name" name="name" type="text" required maxlength="64" pattern="[A-Za-z0-9._\\-]{1,64}"; }
                div { label for="user-role" { (w.role) } (role_select("user-role")) }
                button type="submit" class="primary" { (w.add) }
            }
            h2 { (w.api_tokens) }
            p class="muted" { (w.api_tokens_help) }
            table {
                thead { tr {
                    th scope="col" { (w.name) } th scope="col" { (w.role) } th scope="col" { (w.created) } th scope="col" { (w.state) }
                    th scope="col" { span class="visually-hidden" { (w.revoke) } }
                } }
                tbody {
                    @for token in &tokens {
                        tr class=(if token.revoked_at.is_some() { "revoked" } else { "" }) {
                            th scope="row" { (token.name) }
                            td { (role_name(token.role)) }
                            td { (clock(state, token.created_at)) }
                            td {
                                @match token.revoked_at {
                                    Some(at) => { (w.revoked) " " (clock(state, at)) }
                                    None => { (w.in_use) }
                                }
                            }
                            td {
                                @if token.revoked_at.is_none() {
                                    form method="post" action=(format!("/console/access/tokens/{}/revoke", token.name)) {
                                        input type="hidden" name="csrf" value=(signed.csrf);
                                        button type="submit" class="danger" aria-label=(format!("{} – {}", w.revoke, token.name)) { (w.revoke) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h3 { (w.add_api_token) }
            form method="post" action="/console/access/tokens" class="row" {
                input type="hidden" name="csrf" value=(signed.csrf);
                div { label for="token-name" { (w.name) } input id="token-name" name="name" type="text" required maxlength="64" pattern="[A-Za-z0-9._\\-]{1,64}"; }
                div { label for="token-role" { (w.role) } (role_select("token-role")) }
                button type="submit" class="primary" { (w.add) }
            }
        }
    };
    Page::signed(signed, "/console/access", w.access, body).refused_if(error.is_some())
}

#[derive(Deserialize)]
pub struct Named {
    csrf: String,
    name: String,
    role: String,
}

/// A password to hand over: 80 random bits in groups of four.
fn new_password() -> Result<String, secrets::SecretError> {
    let hex = secrets::new_token()?;
    Ok(hex.as_bytes()[..20]
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Checks the form and the role of who sent it: the response to give
/// instead, if any.
fn refused(signed: &Signed, csrf: &str) -> Option<Response> {
    if let Err(stale) = signed.check(csrf) {
        return Some(stale.into_response());
    }
    (!signed.is_admin()).then(|| ApiError::Forbidden("admins only".into()).into_response())
}

/// `POST /console/access/users`: the password is shown once.
pub async fn add_user(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<Named>,
) -> Response {
    if let Some(response) = refused(&signed, &form.csrf) {
        return response;
    }
    let name = form.name.trim();
    let w = signed.lang.words();
    let (Some(role), true) = (Role::parse(&form.role), valid_id(name)) else {
        return render(
            &state,
            &signed,
            None,
            Some(format!("{name:?}: {}", w.name_rule)),
        )
        .await;
    };
    let result = async {
        let password = new_password().map_err(|e| e.to_string())?;
        let hash = secrets::hash_password(&password).map_err(|e| e.to_string())?;
        state
            .db
            .add_user(name, role, &hash, &signed.actor(), state.now().as_second())
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(password)
    };
    match result.await {
        Ok(password) => {
            render(
                &state,
                &signed,
                Some(Made::Password(name.into(), password)),
                None,
            )
            .await
        }
        Err(error) => render(&state, &signed, None, Some(error)).await,
    }
}

/// `POST /console/access/users/{name}/password`: a new password, shown
/// once; the user's lock is lifted and their sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    signed: Signed,
    Path(name): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Some(response) = refused(&signed, &form.csrf) {
        return response;
    }
    let result = async {
        let password = new_password().map_err(|e| e.to_string())?;
        let hash = secrets::hash_password(&password).map_err(|e| e.to_string())?;
        state
            .db
            .set_password(&name, &hash, &signed.actor(), state.now().as_second())
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(password)
    };
    match result.await {
        Ok(password) => render(&state, &signed, Some(Made::Password(name, password)), None).await,
        Err(error) => render(&state, &signed, None, Some(error)).await,
    }
}

/// `POST /console/access/users/{name}/remove`: never oneself, so a hub
/// cannot lose its last admin from the console.
pub async fn remove_user(
    State(state): State<AppState>,
    signed: Signed,
    Path(name): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Some(response) = refused(&signed, &form.csrf) {
        return response;
    }
    if name == signed.user {
        return render(
            &state,
            &signed,
            None,
            Some(signed.lang.words().not_yourself.into()),
        )
        .await;
    }
    match state
        .db
        .remove_user(&name, &signed.actor(), state.now().as_second())
        .await
    {
        Ok(()) => render(&state, &signed, None, None).await,
        Err(error) => render(&state, &signed, None, Some(error.to_string())).await,
    }
}

/// `POST /console/access/tokens`: the token is shown once.
pub async fn add_token(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<Named>,
) -> Response {
    if let Some(response) = refused(&signed, &form.csrf) {
        return response;
    }
    let name = form.name.trim();
    let w = signed.lang.words();
    let (Some(role), true) = (Role::parse(&form.role), valid_id(name)) else {
        return render(
            &state,
            &signed,
            None,
            Some(format!("{name:?}: {}", w.name_rule)),
        )
        .await;
    };
    let result = async {
        let token = secrets::new_token().map_err(|e| e.to_string())?;
        state
            .db
            .add_token(
                name,
                role,
                &secrets::hash_token(&token),
                &signed.actor(),
                state.now().as_second(),
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(token)
    };
    match result.await {
        Ok(token) => render(&state, &signed, Some(Made::Token(name.into(), token)), None).await,
        Err(error) => render(&state, &signed, None, Some(error)).await,
    }
}

/// `POST /console/access/tokens/{name}/revoke`: refused at its next use.
pub async fn revoke_token(
    State(state): State<AppState>,
    signed: Signed,
    Path(name): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Some(response) = refused(&signed, &form.csrf) {
        return response;
    }
    match state
        .db
        .revoke_token(&name, &signed.actor(), state.now().as_second())
        .await
    {
        Ok(()) => render(&state, &signed, None, None).await,
        Err(error) => render(&state, &signed, None, Some(error.to_string())).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_twenty_hex_digits_in_five_groups_and_names_are_checked() {
        let one = new_password().unwrap();
        assert_eq!(one.len(), 24, "{one}");
        assert_eq!(one.split('-').count(), 5);
        assert!(
            one.split('-')
                .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_hexdigit()))
        );
        assert_ne!(one, new_password().unwrap());
        assert!(
            valid_id("front-desk.1")
                && !valid_id("")
                && !valid_id("a b")
                && !valid_id(&"x".repeat(65))
        );
    }
}
