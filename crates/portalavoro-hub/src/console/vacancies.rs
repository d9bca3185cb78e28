//! Job vacancies: the current ones (each can be edited or withdrawn), and
//! the import of the regional system's CSV export with its per-row report,
//! or a check of it that saves nothing.

use axum::extract::{Form, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::session::CsrfOnly;
use super::{Done, Page, Refused, Signed, changed_then, clock, italian, localised, web_link};
use crate::content;
use crate::error::ApiError;
use crate::import::{self, Report};
use crate::intake::{Kind, intake};
use crate::state::AppState;

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let flash = done.flash(signed.lang.words());
    render(&state, &signed, flash, None, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    flash: Option<&str>,
    report: Option<Report>,
    error: Option<String>,
) -> Response {
    let w = signed.lang.words();
    let rows = match state.db.items("vacancies", 20_000).await {
        Ok(rows) => rows,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let now = state.now().as_second();
    let current: Vec<_> = rows
        .iter()
        .filter(|r| r.ends_at.is_none_or(|end| end > now))
        .collect();
    let body = html! {
        main id="main" class="content" {
            h1 { (w.vacancies) }
            @if let Some(flash) = flash { p class="flash" role="status" { (flash) } }
            @if let Some(error) = &error { p class="error" role="alert" { (error) } }
            @if let Some(report) = &report {
                div class=(if report.errors.is_empty() { "flash" } else { "error" }) role="status" {
                    p {
                        (w.rows_read) ": " (report.rows) " · "
                        (if report.dry_run { w.rows_checked } else { w.rows_imported }) ": " (report.imported)
                    }
                }
                @if !report.errors.is_empty() {
                    table {
                        thead { tr { th scope="col" { (w.row) } th scope="col" { (w.field) } th scope="col" { (w.problem) } } }
                        tbody {
                            @for error in &report.errors {
                                tr { td { (error.row) } td { (error.field) } td { (error.message) } }
                            }
                        }
                    }
                }
            }
            h2 { (w.import_csv) }
            form method="post" action="/console/vacancies/import" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(signed.csrf);
                label for="csv" { (w.csv_file) }
                input id="csv" name="csv" type="file" accept=".csv,text/csv" required aria-describedby="csv-help";
                p class="muted" id="csv-help" { (w.csv_help) }
                label class="choice" { input type="checkbox" name="dry_run" value="yes" checked; (w.dry_run) }
                button type="submit" class="primary" { (w.import) }
            }
            h2 { (w.current_vacancies) " (" (current.len()) ")" }
            table {
                thead { tr {
                    th scope="col" { (w.title_it.split(" (").next().unwrap_or("")) }
                    th scope="col" { (w.employer) }
                    th scope="col" { (w.published_on) }
                    th scope="col" { (w.until) }
                    th scope="col" { span class="visually-hidden" { (w.expire) } }
                } }
                tbody {
                    @for row in current.iter().take(500) {
                        @let item: Value = serde_json::from_str(&row.body).unwrap_or_default();
                        tr {
                            th scope="row" {
                                a href=(format!("/console/vacancies/{}", row.id)) { (italian(&item["title"])) }
                                " " span class="muted" { (item["reference"].as_str().unwrap_or("")) }
                            }
                            td { (item["employer"].as_str().unwrap_or("")) }
                            td { (row.starts_at.map(|s| clock(state, s)).unwrap_or_default()) }
                            td { (row.ends_at.map(|s| clock(state, s)).unwrap_or_default()) }
                            td {
                                form method="post" action=(format!("/console/vacancies/{}/expire", row.id)) {
                                    input type="hidden" name="csrf" value=(signed.csrf);
                                    button type="submit" aria-label=(format!("{} – {}", w.withdraw, italian(&item["title"]))) { (w.withdraw) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Page::signed(signed, "/console/vacancies", w.vacancies, body).into_response()
}

/// `POST /console/vacancies/import` (multipart: the CSV file, the dry-run box).
pub async fn import(
    State(state): State<AppState>,
    signed: Signed,
    mut form: Multipart,
) -> Response {
    let (mut csrf, mut csv, mut dry_run) = (String::new(), Vec::new(), false);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "csv" => csv = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            "dry_run" => dry_run = true,
            _ => {}
        }
    }
    if let Err(stale) = signed.check(&csrf) {
        return stale.into_response();
    }
    match import::vacancies(&state, &signed.actor(), &csv, dry_run).await {
        Ok(report) => render(&state, &signed, None, Some(report), None).await,
        Err(err) => render(&state, &signed, None, None, Some(err.to_string())).await,
    }
}

pub async fn expire(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let written = state
        .db
        .end_item("vacancies", &id, &signed.actor(), state.now().as_second())
        .await;
    changed_then(&state, written, "/console/vacancies?done=expired")
}

/// The fields the edit form changes; the rest of the vacancy (as the
/// regional system sent it) is kept.
#[derive(Deserialize, Serialize)]
pub struct Edited {
    csrf: String,
    title_it: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    positions: String,
    #[serde(default)]
    description_it: String,
    #[serde(default)]
    apply_url: String,
    #[serde(default)]
    expires: String,
}

/// `GET /console/vacancies/{id}`: one vacancy's form.
pub async fn edit(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Response {
    edit_form(&state, &signed, &id, None).await
}

/// `refused`: the form as sent, shown again instead of what is stored.
async fn edit_form(
    state: &AppState,
    signed: &Signed,
    id: &str,
    refused: Option<Refused>,
) -> Response {
    let w = signed.lang.words();
    let row = match state.db.item("vacancies", id).await {
        Ok(Some(row)) => row,
        Ok(None) => return ApiError::NotFound(format!("no vacancy {id:?}")).into_response(),
        Err(err) => return ApiError::from(err).into_response(),
    };
    let item: Value = serde_json::from_str(&row.body).unwrap_or_default();
    // Each field: as sent when the form was refused, else as stored.
    let shown = |field: &str, stored: String| match &refused {
        Some(refused) => refused.sent(field).to_string(),
        None => stored,
    };
    let text = |key: &str| shown(key, item[key].as_str().unwrap_or("").to_string());
    let lang = |field: &str, key: &str, tag: &str| {
        let stored = match &item[key] {
            Value::String(text) if tag == "it" => text.clone(),
            value => value[tag].as_str().unwrap_or("").to_string(),
        };
        shown(field, stored)
    };
    let tz = state.config.timezone.clone();
    // The form's date is the last day shown: the stored end is the start of the next.
    let expires = shown(
        "expires",
        row.ends_at
            .and_then(|end| jiff::Timestamp::from_second(end - 1).ok())
            .map(|end| end.to_zoned(tz).date().to_string())
            .unwrap_or_default(),
    );
    let positions = shown(
        "positions",
        item["positions"].as_u64().unwrap_or(1).to_string(),
    );
    let body = html! {
        main id="main" class="content" {
            p { a href="/console/vacancies" { "← " (w.vacancies) } }
            h1 { (italian(&item["title"])) " " span class="muted" { (item["reference"].as_str().unwrap_or("")) } }
            @if let Some(refused) = &refused { p class="error" role="alert" { strong { (w.error) ": " } (refused.why) } }
            form method="post" action=(format!("/console/vacancies/{id}")) {
                input type="hidden" name="csrf" value=(signed.csrf);
                label for="title_it" { (w.title_it) }
                input id="title_it" name="title_it" type="text" lang="it" maxlength="200" required value=(lang("title_it", "title", "it"));
                label for="title_en" { (w.title_en) }
                input id="title_en" name="title_en" type="text" lang="en" maxlength="200" value=(lang("title_en", "title", "en"));
                div class="row" {
                    div { label for="employer" { (w.employer) } input id="employer" name="employer" type="text" maxlength="200" value=(text("employer")); }
                    div { label for="municipality" { (w.municipality) } input id="municipality" name="municipality" type="text" maxlength="120" value=(text("municipality")); }
                }
                label for="description_it" { (w.description_it) }
                textarea id="description_it" name="description_it" lang="it" rows="5" maxlength="4000" { (lang("description_it", "description", "it")) }
                label for="apply_url" { (w.apply_url) }
                input id="apply_url" name="apply_url" type="text" inputmode="url" placeholder="https://" value=(text("apply_url"));
                div class="row" {
                    div { label for="positions" { (w.positions) } input id="positions" name="positions" type="text" inputmode="numeric" maxlength="6" value=(positions); }
                    div { label for="expires" { (w.expires) } input id="expires" name="expires" type="date" value=(expires); }
                }
                button type="submit" class="primary" { (w.save) }
            }
        }
    };
    Page::signed(signed, "/console/vacancies", w.vacancies, body).refused_if(refused.is_some())
}

/// `POST /console/vacancies/{id}`: the form over the stored vacancy,
/// checked as any vacancy is.
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<Edited>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let row = match state.db.item("vacancies", &id).await {
        Ok(Some(row)) => row,
        Ok(None) => return ApiError::NotFound(format!("no vacancy {id:?}")).into_response(),
        Err(err) => return ApiError::from(err).into_response(),
    };
    let result = async {
        let mut item: Value = serde_json::from_str(&row.body).map_err(|e| e.to_string())?;
        let mut description = row_description(&item);
        let mut set = |key: &str, value: Option<Value>| match value {
            Some(value) => item[key] = value,
            None => {
                if let Some(map) = item.as_object_mut() {
                    map.remove(key);
                }
            }
        };
        let plain = |text: &str| (!text.trim().is_empty()).then(|| Value::from(text.trim()));
        set(
            "title",
            localised(&[("it", &form.title_it), ("en", &form.title_en)]),
        );
        set("employer", plain(&form.employer));
        set("municipality", plain(&form.municipality));
        let apply_url = web_link(signed.lang.words(), "apply_url", &form.apply_url)?;
        set("apply_url", apply_url.map(Value::from));
        set(
            "positions",
            plain(&form.positions).map(|p| {
                p.as_str()
                    .and_then(|p| p.parse::<u64>().ok())
                    .map_or(p, Value::from)
            }),
        );
        if form.description_it.trim().is_empty() {
            description.remove("it");
        } else {
            description.insert("it".into(), form.description_it.trim().into());
        }
        set(
            "description",
            (!description.is_empty()).then_some(Value::Object(description)),
        );
        let expires = if form.expires.is_empty() {
            None
        } else {
            let date: jiff::civil::Date = form
                .expires
                .parse()
                .map_err(|_| signed.lang.words().bad_time.to_string())?;
            let end = date
                .tomorrow()
                .map_err(|e| e.to_string())?
                .to_zoned(state.config.timezone.clone())
                .map_err(|e| e.to_string())?;
            Some(Value::from(end.timestamp().to_string()))
        };
        set("expires_at", expires);
        set("site", row.scope.site_id.clone().map(Value::from));
        set("kiosks", row.scope.kiosks.clone().map(Value::from));
        let item = intake(Kind::Vacancies, item, Some(&id)).map_err(|e| e.to_string())?;
        content::store(&state, &signed.actor(), item)
            .await
            .map_err(|e| e.to_string())
    };
    match result.await {
        Ok(_) => Redirect::to("/console/vacancies?done=saved").into_response(),
        Err(error) => edit_form(&state, &signed, &id, Some(Refused::of(error, &form))).await,
    }
}

/// A vacancy's description as a map of languages (a plain string is Italian).
fn row_description(item: &Value) -> serde_json::Map<String, Value> {
    match &item["description"] {
        Value::String(text) => [("it".to_string(), Value::from(text.as_str()))]
            .into_iter()
            .collect(),
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    }
}
