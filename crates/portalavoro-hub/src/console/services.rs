//! The services page: what the hub offers (each for the network or a
//! site), and for a service by appointment its calendar: the weekly hours,
//! the length of a slot, how many people a slot takes, closed days. One
//! form adds or edits a service with its calendar; what it sends passes
//! the same checks as the staff API.

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::session::CsrfOnly;
use super::words::ServiceWords;
use super::{Done, Page, Refused, Signed, changed_then, italian, localised, sent, web_link};
use crate::calendar::Calendar;
use crate::content;
use crate::db::{ItemRow, Site};
use crate::error::ApiError;
use crate::intake::{Kind, intake};
use crate::state::AppState;

/// The form: the service, and its calendar.
#[derive(Deserialize, Serialize, Default)]
pub struct ServiceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name_it: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    summary_it: String,
    #[serde(default)]
    summary_en: String,
    #[serde(default)]
    audience_it: String,
    #[serde(default)]
    audience_en: String,
    #[serde(default)]
    bring_it: String,
    #[serde(default)]
    bring_en: String,
    #[serde(default)]
    access: String,
    #[serde(default)]
    place_it: String,
    #[serde(default)]
    place_en: String,
    #[serde(default)]
    hours_it: String,
    #[serde(default)]
    hours_en: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    weekly: String,
    #[serde(default)]
    slot_minutes: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    notice_minutes: String,
    #[serde(default)]
    closed: String,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let flash = done.flash(signed.lang.words());
    render(&state, &signed, flash, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    flash: Option<&str>,
    refused: Option<Refused>,
) -> Response {
    let w = signed.lang.words();
    let s = signed.lang.services();
    let (rows, sites) = match async {
        Ok::<_, crate::db::DbError>((
            state.db.items("services", 1_000).await?,
            state.db.sites().await?,
        ))
    }
    .await
    {
        Ok(loaded) => loaded,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let mut listed = Vec::new();
    for row in &rows {
        let calendar = match state.db.calendar(&row.id).await {
            Ok(calendar) => calendar.and_then(|body| Calendar::from_json(&body).ok()),
            Err(err) => return ApiError::from(err).into_response(),
        };
        listed.push((row, calendar));
    }
    let body = html! {
        main id="main" class="content" {
            h1 { (s.services) }
            @if let Some(flash) = flash { p class="flash" role="status" { (flash) } }
            @if let Some(refused) = &refused { p class="error" role="alert" { strong { (w.error) ": " } (refused.why) } }
            ul class="items" {
                @for (row, calendar) in &listed {
                    @let item: Value = serde_json::from_str(&row.body).unwrap_or_default();
                    li class="item" {
                        p class="text" { (italian(&item["name"])) }
                        p class="meta" {
                            (site_name(&sites, row.scope.site_id.as_deref(), w.everywhere))
                            " · " (access_name(s, item["access"].as_str().unwrap_or("walk_in")))
                            @if item["place"].is_string() || item["place"].is_object() { " · " (italian(&item["place"])) }
                        }
                        @if item["access"] == "appointment" {
                            p class="meta" { (calendar_line(s, calendar.as_ref())) }
                        }
                        p {
                            a href=(format!("/console/services/{}", row.id)) { (s.edit) }
                        }
                        form method="post" action=(format!("/console/services/{}/delete", row.id)) {
                            input type="hidden" name="csrf" value=(signed.csrf);
                            button type="submit" aria-label=(format!("{} – {}", s.delete, italian(&item["name"]))) { (s.delete) }
                        }
                    }
                }
            }
            @if listed.is_empty() { p class="muted" { (w.none) } }
            h2 { (s.add_service) }
            (form(signed, s, &sites, "/console/services", &refused))
        }
    };
    Page::signed(signed, "/console/services", s.services, body).refused_if(refused.is_some())
}

fn site_name<'a>(sites: &'a [Site], id: Option<&'a str>, everywhere: &'a str) -> &'a str {
    match id {
        None => everywhere,
        Some(id) => sites
            .iter()
            .find(|site| site.id == id)
            .map_or(id, |site| site.name.as_str()),
    }
}

fn access_name(s: &'static ServiceWords, access: &str) -> &'static str {
    match access {
        "appointment" => s.by_appointment,
        "online" => s.online,
        _ => s.walk_in,
    }
}

/// "lun 09:00-12:30, … · turni di 30 min · 2 persone per turno".
fn calendar_line(s: &ServiceWords, calendar: Option<&Calendar>) -> String {
    match calendar {
        None => s.no_calendar.to_string(),
        Some(c) => format!(
            "{} · {} {} min · {} {}",
            c.weekly_text().replace('\n', ", "),
            s.slot_of,
            c.slot_minutes,
            c.capacity,
            if c.capacity == 1 {
                s.person_per_slot
            } else {
                s.people_per_slot
            }
        ),
    }
}

/// The service form, empty or as a service stands (`refused` keeps what
/// was typed).
fn form(
    signed: &Signed,
    s: &ServiceWords,
    sites: &[Site],
    action: &str,
    refused: &Option<Refused>,
) -> Markup {
    let w = signed.lang.words();
    let field = |key: &str| sent(refused, key).to_string();
    let access = field("access");
    html! {
        form method="post" action=(action) {
            input type="hidden" name="csrf" value=(signed.csrf);
            (pair("name", [s.name_it, s.name_en], 200, true, &field))
            label for="summary_it" { (s.summary_it) }
            textarea id="summary_it" name="summary_it" lang="it" rows="3" maxlength="2000" required { (field("summary_it")) }
            label for="summary_en" { (s.summary_en) }
            textarea id="summary_en" name="summary_en" lang="en" rows="3" maxlength="2000" { (field("summary_en")) }
            (pair("audience", [s.audience_it, s.audience_en], 400, false, &field))
            div class="row" {
                div {
                    label for="bring_it" { (s.bring_it) }
                    textarea id="bring_it" name="bring_it" lang="it" rows="4" maxlength="2000" aria-describedby="bring-help" { (field("bring_it")) }
                }
                div {
                    label for="bring_en" { (s.bring_en) }
                    textarea id="bring_en" name="bring_en" lang="en" rows="4" maxlength="2000" aria-describedby="bring-help" { (field("bring_en")) }
                }
            }
            p class="muted" id="bring-help" { (s.one_per_line) }
            div class="row" {
                div {
                    label for="access" { (s.access) }
                    select id="access" name="access" {
                        @for (value, name) in [("walk_in", s.walk_in), ("appointment", s.by_appointment), ("online", s.online)] {
                            option value=(value) selected[access == value] { (name) }
                        }
                    }
                }
                div {
                    label for="site" { (w.target) }
                    select id="site" name="site" {
                        option value="" { (w.whole_network) }
                        @for site in sites { option value=(site.id) selected[field("site") == site.id] { (site.name) } }
                    }
                }
            }
            (pair("place", [s.place_it, s.place_en], 200, false, &field))
            (pair("hours", [s.hours_it, s.hours_en], 200, false, &field))
            label for="link" { (s.link) }
            input id="link" name="link" type="text" inputmode="url" placeholder="https://" value=(field("link"));
            fieldset {
                legend { (s.calendar) }
                p class="muted" { (s.calendar_help) }
                label for="weekly" { (s.weekly) }
                textarea id="weekly" name="weekly" rows="4" maxlength="2000" aria-describedby="weekly-help" { (field("weekly")) }
                p class="muted" id="weekly-help" { (s.weekly_help) }
                div class="row" {
                    div {
                        label for="slot_minutes" { (s.slot_minutes) }
                        input id="slot_minutes" name="slot_minutes" type="number" min="5" max="480" value=(or(field("slot_minutes"), "30"));
                    }
                    div {
                        label for="capacity" { (s.per_slot) }
                        input id="capacity" name="capacity" type="number" min="1" max="50" value=(or(field("capacity"), "1"));
                    }
                    div {
                        label for="notice_minutes" { (s.notice_minutes) }
                        input id="notice_minutes" name="notice_minutes" type="number" min="0" max="10080" value=(or(field("notice_minutes"), "60"));
                    }
                }
                label for="closed" { (s.closed_days) }
                textarea id="closed" name="closed" rows="2" maxlength="4000" aria-describedby="closed-help" { (field("closed")) }
                p class="muted" id="closed-help" { (s.closed_help) }
            }
            button type="submit" class="primary" { (w.save) }
        }
    }
}

/// One text in Italian and English side by side: the fields `{key}_it`
/// and `{key}_en`, the Italian one `required` or not.
fn pair(
    key: &str,
    labels: [&str; 2],
    max: u32,
    required: bool,
    field: &dyn Fn(&str) -> String,
) -> Markup {
    html! {
        div class="row" {
            @for (lang, label) in [("it", labels[0]), ("en", labels[1])] {
                @let name = format!("{key}_{lang}");
                div {
                    label for=(name) { (label) }
                    input id=(name) name=(name) type="text" lang=(lang) maxlength=(max) required[required && lang == "it"] value=(field(&name));
                }
            }
        }
    }
}

fn or(value: String, default: &str) -> String {
    if value.trim().is_empty() {
        default.to_string()
    } else {
        value
    }
}

/// `GET /console/services/{id}`: the form filled in as the service stands.
pub async fn edit(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Response {
    match state.db.item("services", &id).await {
        Ok(Some(row)) => {
            let calendar = state.db.calendar(&id).await.ok().flatten();
            let filled = Refused::of("", &as_form(&row, calendar.as_deref()));
            render_edit(&state, &signed, &id, Some(filled), false).await
        }
        Ok(None) => Page::message(signed.lang, &format!("no service {id:?}")).into_response(),
        Err(err) => ApiError::from(err).into_response(),
    }
}

async fn render_edit(
    state: &AppState,
    signed: &Signed,
    id: &str,
    filled: Option<Refused>,
    refused: bool,
) -> Response {
    let w = signed.lang.words();
    let s = signed.lang.services();
    let sites = match state.db.sites().await {
        Ok(sites) => sites,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let name = filled
        .as_ref()
        .map(|f| f.sent("name_it").to_string())
        .unwrap_or_default();
    let body = html! {
        main id="main" class="content" {
            p { a href="/console/services" { "‹ " (s.services) } }
            h1 { (name) }
            @if refused {
                @if let Some(filled) = &filled { p class="error" role="alert" { strong { (w.error) ": " } (filled.why) } }
            }
            (form(signed, s, &sites, &format!("/console/services/{id}"), &filled))
        }
    };
    Page::signed(signed, "/console/services", s.services, body).refused_if(refused)
}

/// A stored service (and its calendar) as the form shows it.
fn as_form(row: &ItemRow, calendar: Option<&str>) -> ServiceForm {
    let item: Value = serde_json::from_str(&row.body).unwrap_or_default();
    let text = |field: &str, lang: &str| match &item[field] {
        Value::String(text) if lang == "it" => text.clone(),
        Value::Object(map) => map
            .get(lang)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    };
    let bring = |lang: &str| {
        item["bring"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|entry| match entry {
                        Value::String(text) if lang == "it" => text.clone(),
                        Value::Object(map) => map
                            .get(lang)
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        _ => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let calendar = calendar.and_then(|body| Calendar::from_json(body).ok());
    ServiceForm {
        csrf: String::new(),
        name_it: text("name", "it"),
        name_en: text("name", "en"),
        summary_it: text("summary", "it"),
        summary_en: text("summary", "en"),
        audience_it: text("audience", "it"),
        audience_en: text("audience", "en"),
        bring_it: bring("it"),
        bring_en: bring("en"),
        access: item["access"].as_str().unwrap_or("walk_in").to_string(),
        place_it: text("place", "it"),
        place_en: text("place", "en"),
        hours_it: text("hours", "it"),
        hours_en: text("hours", "en"),
        link: item["link"].as_str().unwrap_or("").to_string(),
        site: row.scope.site_id.clone().unwrap_or_default(),
        weekly: calendar
            .as_ref()
            .map(Calendar::weekly_text)
            .unwrap_or_default(),
        slot_minutes: calendar
            .as_ref()
            .map_or(String::new(), |c| c.slot_minutes.to_string()),
        capacity: calendar
            .as_ref()
            .map_or(String::new(), |c| c.capacity.to_string()),
        notice_minutes: calendar
            .as_ref()
            .map_or(String::new(), |c| c.notice_minutes.to_string()),
        closed: calendar
            .as_ref()
            .map(|c| {
                c.closed
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
    }
}

/// `POST /console/services`: a new service.
pub async fn add(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<ServiceForm>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    match save_service(&state, &signed, None, &form).await {
        Ok(()) => Redirect::to("/console/services?done=saved").into_response(),
        Err(error) => render(&state, &signed, None, Some(Refused::of(error, &form))).await,
    }
}

/// `POST /console/services/{id}`: the service changed.
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<ServiceForm>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    match save_service(&state, &signed, Some(&id), &form).await {
        Ok(()) => Redirect::to("/console/services?done=saved").into_response(),
        Err(error) => {
            render_edit(&state, &signed, &id, Some(Refused::of(error, &form)), true).await
        }
    }
}

/// Checks the calendar first (nothing is written if it is wrong), then
/// stores the service and sets or removes its calendar.
async fn save_service(
    state: &AppState,
    signed: &Signed,
    id: Option<&str>,
    form: &ServiceForm,
) -> Result<(), String> {
    let w = signed.lang.words();
    let by_appointment = form.access == "appointment";
    let calendar = if by_appointment && !form.weekly.trim().is_empty() {
        Some(calendar_of(form).map_err(|e| format!("{}: {e}", signed.lang.services().calendar))?)
    } else {
        None
    };
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(String::from)
            .collect()
    };
    let (bring_it, bring_en) = (lines(&form.bring_it), lines(&form.bring_en));
    let bring: Vec<Value> = bring_it
        .iter()
        .enumerate()
        .map(|(n, it)| {
            localised(&[
                ("it", it),
                ("en", bring_en.get(n).map_or("", String::as_str)),
            ])
            .unwrap_or_default()
        })
        .collect();
    let mut item = json!({
        "name": localised(&[("it", &form.name_it), ("en", &form.name_en)]),
        "summary": localised(&[("it", &form.summary_it), ("en", &form.summary_en)]),
        "access": form.access,
        "bring": bring,
    });
    for (field, it, en) in [
        ("audience", &form.audience_it, &form.audience_en),
        ("place", &form.place_it, &form.place_en),
        ("hours", &form.hours_it, &form.hours_en),
    ] {
        if let Some(text) = localised(&[("it", it), ("en", en)]) {
            item[field] = text;
        }
    }
    if let Some(link) = web_link(w, "link", &form.link)? {
        item["link"] = link.into();
    }
    if !form.site.is_empty() {
        item["site"] = form.site.clone().into();
    }
    let item = intake(Kind::Services, item, id).map_err(|e| e.to_string())?;
    let (id, _) = content::store(state, &signed.actor(), item)
        .await
        .map_err(|e| e.to_string())?;
    match calendar {
        Some(calendar) => {
            crate::appointments::set_calendar(state, &signed.actor(), &id, &calendar)
                .await
                .map_err(|e| e.to_string())?;
        }
        None => {
            let had = state.db.calendar(&id).await.map_err(|e| e.to_string())?;
            if had.is_some() {
                state
                    .db
                    .delete_calendar(&id, &signed.actor(), state.now().as_second())
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

fn calendar_of(form: &ServiceForm) -> Result<Calendar, String> {
    let number = |text: &str, default: u32| -> Result<u32, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(default);
        }
        text.parse()
            .map_err(|_| format!("{text:?} is not a whole number"))
    };
    let closed = form
        .closed
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            line.parse::<jiff::civil::Date>()
                .map_err(|_| format!("{line:?} is not a date (2026-12-24)"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Calendar {
        slot_minutes: number(&form.slot_minutes, 30)?,
        capacity: number(&form.capacity, 1)?,
        notice_minutes: number(&form.notice_minutes, 60)?,
        weekly: Calendar::parse_weekly(&form.weekly).map_err(|e| e.to_string())?,
        closed,
    }
    .checked()
    .map_err(|e| e.to_string())
}

/// `POST /console/services/{id}/delete`: the service and its calendar go;
/// appointments already made stay on the Appointments page.
pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let now = state.now().as_second();
    let written = async {
        state.db.delete_calendar(&id, &signed.actor(), now).await?;
        state
            .db
            .delete_item("services", &id, &signed.actor(), now)
            .await
    }
    .await;
    changed_then(&state, written, "/console/services?done=deleted")
}
