//! The kiosks page: every kiosk with its site, last heartbeat, version
//! (and on the totem's image, its system version and an update that was
//! rolled back), screen and feeds, red when silent, "screen off (closed)"
//! when dark on purpose outside opening hours; admins add a kiosk (its
//! token shown once) and revoke one. Below, the network's sites; admins
//! add one.

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use serde_json::Value;

use super::session::CsrfOnly;
use super::{Page, Signed, clock};
use crate::db::{Site, valid_id};
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;

pub async fn page(State(state): State<AppState>, signed: Signed) -> Response {
    render(&state, &signed, None, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    token: Option<(String, String)>,
    error: Option<String>,
) -> Response {
    let w = signed.lang.words();
    let (fleet, sites) = match async {
        Ok::<_, crate::db::DbError>((state.db.fleet().await?, state.db.sites().await?))
    }
    .await
    {
        Ok(loaded) => loaded,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let now = state.now().as_second();
    let silent_after = 3 * state.config.heartbeat.as_secs() as i64;
    let site_name = |id: &str| {
        sites
            .iter()
            .find(|s| s.id == id)
            .map_or(id.to_string(), |s| s.name.clone())
    };
    let body = html! {
        main id="main" class="fleet" {
            h1 { (w.fleet) }
            @if let Some((kiosk, token)) = &token {
                div class="flash" role="status" {
                    p { strong { (kiosk) } ": " (w.token_once) }
                    p { code class="token" { (token) } }
                }
            }
            @if let Some(error) = &error {
                p class="error" role="alert" { (error) }
            }
            table {
                thead { tr {
                    th scope="col" { (w.kiosk) } th scope="col" { (w.site) } th scope="col" { (w.state) }
                    th scope="col" { (w.last_heartbeat) } th scope="col" { (w.version) } th scope="col" { (w.screen) }
                    th scope="col" { (w.feeds) }
                    @if signed.is_admin() { th scope="col" { span class="visually-hidden" { (w.revoke) } } }
                } }
                tbody {
                    @for kiosk in &fleet {
                        @let silent = !kiosk.revoked && kiosk.last_seen_at.is_none_or(|at| now - at > silent_after);
                        @let beat = kiosk.last_heartbeat.clone().unwrap_or(Value::Null);
                        @let errors = beat["feeds"].as_object().map_or(0, |f| f.values().filter(|v| !v["last_error"].is_null()).count());
                        tr class=(if silent { "silent" } else if kiosk.revoked { "revoked" } else { "" }) {
                            th scope="row" { (kiosk.kiosk_id) }
                            td { (site_name(&kiosk.site_id)) }
                            @let dark = beat["display"]["power"] == "off" && beat["display"]["off_reason"] == "closed";
                            td { (if kiosk.revoked { w.revoked } else if silent { w.silent } else if dark { w.dark_closed } else { w.ok }) }
                            td { (kiosk.last_seen_at.map_or(w.never.to_string(), |at| clock(state, at))) }
                            td {
                                (beat["version"].as_str().unwrap_or("–"))
                                @if let Some(system) = beat["image"]["version"].as_str() {
                                    br; small { (w.system) " " (system) }
                                }
                                @if let Some(failed) = beat["image"]["rolled_back"].as_object() {
                                    p class="error" {
                                        (failed.get("version").and_then(Value::as_str).unwrap_or("?")) ": " (w.rolled_back)
                                        @if let Some(reason) = failed.get("reason").and_then(Value::as_str) { " (" (reason) ")" }
                                    }
                                }
                            }
                            td { (beat["screen"].as_str().unwrap_or("–")) }
                            td { @if errors > 0 { (errors) " " (w.feed_errors) } @else { "–" } }
                            @if signed.is_admin() {
                                td {
                                    @if !kiosk.revoked {
                                        form method="post" action=(format!("/console/kiosks/{}/revoke", kiosk.kiosk_id)) {
                                            input type="hidden" name="csrf" value=(signed.csrf);
                                            button type="submit" class="danger" aria-label=(format!("{} {}", w.revoke, kiosk.kiosk_id)) { (w.revoke) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if signed.is_admin() {
                h2 { (w.add_kiosk) }
                form method="post" action="/console/kiosks" class="row" {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    div {
                        label for="kiosk-id" { (w.kiosk) }
                        input id="kiosk-id" name="id" type="text" required pattern="[A-Za-z0-9._\\-]{1,64}";
                    }
                    div {
                        label for="kiosk-site" { (w.site) }
                        select id="kiosk-site" name="site" required {
                            @for site in &sites { option value=(site.id) { (site.name) } }
                        }
                    }
                    button type="submit" class="primary" { (w.add) }
                }
            }
            h2 { (w.sites) }
            table {
                thead { tr { th scope="col" { (w.site_id) } th scope="col" { (w.site_name) } th scope="col" { (w.spoke_of) } } }
                tbody {
                    @for site in &sites {
                        tr {
                            th scope="row" { (site.id) }
                            td { (site.name) }
                            td { (site.hub_id.as_deref().map_or(String::from("–"), site_name)) }
                        }
                    }
                }
            }
            @if signed.is_admin() {
                h3 { (w.add_site) }
                form method="post" action="/console/sites" class="row" {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    div {
                        label for="site-id" { (w.site_id) }
                        input id="site-id" name="id" type="text" required pattern="[A-Za-z0-9._\\-]{1,64}";
                    }
                    div {
                        label for="site-name" { (w.site_name) }
                        input id="site-name" name="name" type="text" required maxlength="120";
                    }
                    div {
                        label for="site-hub" { (w.spoke_of) }
                        select id="site-hub" name="hub" {
                            option value="" { (w.none_hub) }
                            @for hub in sites.iter().filter(|s| s.hub_id.is_none()) { option value=(hub.id) { (hub.name) } }
                        }
                    }
                    button type="submit" class="primary" { (w.add) }
                }
            }
        }
    };
    Page::signed(signed, "/console/kiosks", w.fleet, body).into_response()
}

#[derive(Deserialize)]
pub struct AddKiosk {
    csrf: String,
    id: String,
    site: String,
}

/// `POST /console/kiosks` (admins): the token is shown on the page, once.
pub async fn add(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<AddKiosk>,
) -> Response {
    if let Err(response) = signed.check(&form.csrf) {
        return response.into_response();
    }
    if !signed.is_admin() {
        return ApiError::Forbidden("admins only".into()).into_response();
    }
    let id = form.id.trim();
    if !valid_id(id) {
        return render(
            &state,
            &signed,
            None,
            Some(format!("{id:?}: 1-64 letters, digits, - _ .")),
        )
        .await;
    }
    let Ok(token) = secrets::new_token() else {
        return ApiError::Unavailable("no random numbers".into()).into_response();
    };
    let now = state.now().as_second();
    match state
        .db
        .add_kiosk(
            id,
            &form.site,
            &secrets::hash_token(&token),
            &signed.actor(),
            now,
        )
        .await
    {
        Ok(()) => render(&state, &signed, Some((id.to_string(), token)), None).await,
        Err(err) => render(&state, &signed, None, Some(err.to_string())).await,
    }
}

#[derive(Deserialize)]
pub struct AddSite {
    csrf: String,
    id: String,
    name: String,
    #[serde(default)]
    hub: String,
}

/// `POST /console/sites` (admins): a hub, or a spoke of one.
pub async fn add_site(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<AddSite>,
) -> Response {
    if let Err(response) = signed.check(&form.csrf) {
        return response.into_response();
    }
    if !signed.is_admin() {
        return ApiError::Forbidden("admins only".into()).into_response();
    }
    let id = form.id.trim();
    if !valid_id(id) || form.name.trim().is_empty() {
        return render(
            &state,
            &signed,
            None,
            Some(format!("{id:?}: 1-64 letters, digits, - _ .")),
        )
        .await;
    }
    let site = Site {
        id: id.into(),
        name: form.name.trim().into(),
        hub_id: Some(form.hub.trim())
            .filter(|hub| !hub.is_empty())
            .map(String::from),
    };
    match state
        .db
        .add_site(&site, &signed.actor(), state.now().as_second())
        .await
    {
        Ok(()) => Redirect::to("/console/kiosks").into_response(),
        Err(err) => render(&state, &signed, None, Some(err.to_string())).await,
    }
}

/// `POST /console/kiosks/{id}/revoke` (admins).
pub async fn revoke(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(response) = signed.check(&form.csrf) {
        return response.into_response();
    }
    if !signed.is_admin() {
        return ApiError::Forbidden("admins only".into()).into_response();
    }
    match state
        .db
        .revoke_kiosk(&id, &signed.actor(), state.now().as_second())
        .await
    {
        Ok(()) => Redirect::to("/console/kiosks").into_response(),
        Err(err) => render(&state, &signed, None, Some(err.to_string())).await,
    }
}
