//! The announcements page, the first after signing in: what is on the
//! kiosks now, what is scheduled, what ended (each with "End now"), and
//! the form to publish one, with templates and a live preview in portrait
//! and landscape. What staff type is kept when something is refused.

use std::collections::BTreeMap;

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::DateTime;
use jiff::{Timestamp, ToSpan};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::session::CsrfOnly;
use super::words::Words;
use super::{Page, Signed, changed_then, clock};
use crate::content;
use crate::db::{FleetEntry, ItemRow, Site};
use crate::intake::{Kind, intake};
use crate::state::AppState;

/// The kiosk's languages, Italian first (as in kiosk.toml's default list).
pub const LANGS: [(&str, &str); 7] = [
    ("it", "Italiano"),
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ro", "Română"),
    ("uk", "Українська"),
    ("ar", "العربية"),
];

/// The usual notices: (key, Italian, English).
const TEMPLATES: [(&str, &str, &str, &str); 3] = [
    (
        "closed",
        "Ufficio chiuso",
        "Oggi l'ufficio è chiuso. Ci scusiamo per il disagio.",
        "The office is closed today. We apologise for the inconvenience.",
    ),
    (
        "moved",
        "Sportello spostato",
        "Lo sportello si è spostato: chiedi all'accoglienza.",
        "The desk has moved: please ask at reception.",
    ),
    (
        "down",
        "Servizio non disponibile",
        "Il servizio è momentaneamente non disponibile. Riprova più tardi.",
        "The service is temporarily unavailable. Please try again later.",
    ),
];

/// What the form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    level: String,
    texts: BTreeMap<String, String>,
    starts: String,
    ends_preset: String,
    ends_at: String,
    target: String,
    site: String,
    kiosks: Vec<String>,
}

impl Draft {
    fn from_pairs(pairs: &[(String, String)]) -> Draft {
        let mut draft = Draft::default();
        for (key, value) in pairs {
            match key.as_str() {
                "level" => draft.level = value.clone(),
                "starts" => draft.starts = value.clone(),
                "ends_preset" => draft.ends_preset = value.clone(),
                "ends_at" => draft.ends_at = value.clone(),
                "target" => draft.target = value.clone(),
                "site" => draft.site = value.clone(),
                "kiosk" => draft.kiosks.push(value.clone()),
                _ => {
                    if let Some(lang) = key.strip_prefix("text_") {
                        draft.texts.insert(lang.to_string(), value.clone());
                    }
                }
            }
        }
        draft
    }

    fn text(&self, lang: &str) -> &str {
        self.texts.get(lang).map(String::as_str).unwrap_or("")
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    template: Option<String>,
    done: Option<String>,
}

/// `GET /console/`.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<PageQuery>,
) -> Response {
    let mut draft = Draft {
        level: "info".into(),
        ends_preset: "day".into(),
        target: "network".into(),
        ..Draft::default()
    };
    if let Some((_, _, it, en)) = TEMPLATES
        .iter()
        .find(|t| Some(t.0) == query.template.as_deref())
    {
        draft.texts.insert("it".into(), (*it).into());
        draft.texts.insert("en".into(), (*en).into());
    }
    let w = signed.lang.words();
    let flash = match query.done.as_deref() {
        Some("published") => Some(w.published),
        Some("ended") => Some(w.ended_done),
        _ => None,
    };
    render(&state, &signed, &draft, flash, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    draft: &Draft,
    flash: Option<&str>,
    error: Option<String>,
) -> Response {
    let loaded = async {
        Ok::<_, crate::db::DbError>((
            state.db.items("announcements", 500).await?,
            state.db.sites().await?,
            state.db.fleet().await?,
        ))
    };
    let (rows, sites, fleet) = match loaded.await {
        Ok(loaded) => loaded,
        Err(err) => return crate::error::ApiError::from(err).into_response(),
    };
    let now = state.now().as_second();
    let w = signed.lang.words();
    let (mut active, mut scheduled, mut ended) = (Vec::new(), Vec::new(), Vec::new());
    for row in &rows {
        match (row.starts_at, row.ends_at) {
            (_, Some(end)) if end <= now => ended.push(row),
            (Some(start), _) if start > now => scheduled.push(row),
            _ => active.push(row),
        }
    }
    ended.truncate(20);
    let any_urgent = active.iter().any(|row| level(row) == "urgent");
    let silent_after = 3 * state.config.heartbeat.as_secs() as i64;
    let body = html! {
        main id="main" class="announcements" {
            @if let Some(flash) = flash {
                p class="flash" role="status" { (flash) }
            }
            section aria-labelledby="lists" class="lists" {
                h1 id="lists" { (w.announcements) }
                @if any_urgent {
                    form method="post" action="/console/announcements/end-urgent" {
                        input type="hidden" name="csrf" value=(signed.csrf);
                        button type="submit" class="danger" { (w.end_all_urgent) }
                    }
                }
                (list(state, signed, w.active, "active", &active, &sites, true))
                (list(state, signed, w.scheduled, "scheduled", &scheduled, &sites, true))
                (list(state, signed, w.ended, "ended", &ended, &sites, false))
            }
            section aria-labelledby="new" class="compose" {
                h2 id="new" { (w.new_announcement) }
                @if let Some(error) = &error {
                    p class="error" role="alert" { strong { (w.error) ": " } (error) }
                }
                (form(signed, draft, &sites, &fleet, now, silent_after))
                (preview(w, draft))
            }
        }
    };
    Page::signed(signed, "/console/", w.announcements, body).refused_if(error.is_some())
}

fn level(row: &ItemRow) -> String {
    serde_json::from_str::<Value>(&row.body)
        .ok()
        .and_then(|v| v["level"].as_str().map(String::from))
        .unwrap_or_default()
}

/// The Italian text (else the first) of a stored announcement.
fn text_of(row: &ItemRow) -> String {
    let body: Value = serde_json::from_str(&row.body).unwrap_or_default();
    match &body["text"] {
        Value::String(text) => text.clone(),
        Value::Object(map) => map
            .get("it")
            .or_else(|| map.values().next())
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

fn list(
    state: &AppState,
    signed: &Signed,
    title: &str,
    id: &str,
    rows: &[&ItemRow],
    sites: &[Site],
    can_end: bool,
) -> Markup {
    let w = signed.lang.words();
    html! {
        h2 id=(id) { (title) " (" (rows.len()) ")" }
        @if rows.is_empty() {
            p class="muted" { (w.none) }
        } @else {
            ul class="items" aria-labelledby=(id) {
                @for row in rows {
                    @let urgent = level(row) == "urgent";
                    li class=(if urgent { "item urgent" } else { "item" }) {
                        span class="badge" { (if urgent { w.urgent } else { w.info }) }
                        p class="text" { (text_of(row)) }
                        p class="meta" {
                            (target_label(w, row, sites))
                            " · "
                            @if let Some(start) = row.starts_at { (w.from) " " (clock(state, start)) " " }
                            @if let Some(end) = row.ends_at { (w.until) " " (clock(state, end)) }
                            " · " (row.updated_by.trim_start_matches("user:").trim_start_matches("token:"))
                        }
                        @if can_end {
                            form method="post" action=(format!("/console/announcements/{}/end", row.id)) {
                                input type="hidden" name="csrf" value=(signed.csrf);
                                button type="submit" aria-label=(format!("{} – {}", w.end_now, text_of(row))) { (w.end_now) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn target_label(w: &Words, row: &ItemRow, sites: &[Site]) -> String {
    match (&row.scope.site_id, &row.scope.kiosks) {
        (_, Some(kiosks)) => kiosks.join(", "),
        (Some(site), None) => sites
            .iter()
            .find(|s| &s.id == site)
            .map_or(site.clone(), |s| s.name.clone()),
        (None, None) => w.everywhere.into(),
    }
}

fn form(
    signed: &Signed,
    draft: &Draft,
    sites: &[Site],
    fleet: &[FleetEntry],
    now: i64,
    silent_after: i64,
) -> Markup {
    let w = signed.lang.words();
    let checked = |a: &str, b: &str| a == b;
    html! {
        p class="templates" {
            (w.templates) ": "
            @for (key, label, _, _) in TEMPLATES {
                a href=(format!("/console/?template={key}")) { (label) }
            }
        }
        form method="post" action="/console/announcements" id="compose" {
            input type="hidden" name="csrf" value=(signed.csrf);
            fieldset {
                legend { (w.level) }
                label class="choice" {
                    input type="radio" name="level" value="info" checked[checked(&draft.level, "info")];
                    strong { (w.info) } " – " (w.info_hint)
                }
                label class="choice urgent" {
                    input type="radio" name="level" value="urgent" checked[checked(&draft.level, "urgent")];
                    strong { (w.urgent) } " – " (w.urgent_hint)
                }
            }
            label for="text_it" { (w.text_it) }
            textarea id="text_it" name="text_it" lang="it" rows="3" maxlength="500" required { (draft.text("it")) }
            details open[LANGS[1..].iter().any(|(l, _)| !draft.text(l).is_empty())] {
                summary { (w.other_languages) }
                p class="muted" id="fallback" { (w.fallback_note) }
                @for (lang, name) in &LANGS[1..] {
                    label for=(format!("text_{lang}")) { (name) }
                    textarea id=(format!("text_{lang}")) name=(format!("text_{lang}")) lang=(lang)
                        dir=(if *lang == "ar" { "rtl" } else { "auto" }) rows="2" maxlength="500"
                        aria-describedby="fallback" { (draft.text(lang)) }
                }
            }
            div class="row" {
                div {
                    label for="starts" { (w.starts) }
                    input id="starts" name="starts" type="datetime-local" value=(draft.starts) aria-describedby="starts-hint";
                    p class="muted" id="starts-hint" { (w.starts_hint) }
                }
                fieldset {
                    legend { (w.ends) }
                    label class="choice" { input type="radio" name="ends_preset" value="hour" checked[checked(&draft.ends_preset, "hour")]; (w.in_one_hour) }
                    label class="choice" { input type="radio" name="ends_preset" value="day" checked[checked(&draft.ends_preset, "day")]; (w.end_of_day) }
                    label class="choice" { input type="radio" name="ends_preset" value="date" checked[checked(&draft.ends_preset, "date")]; (w.at_date) }
                    label for="ends_at" class="visually-hidden" { (w.at_date) }
                    input id="ends_at" name="ends_at" type="datetime-local" value=(draft.ends_at);
                }
            }
            fieldset {
                legend { (w.target) }
                label class="choice" { input type="radio" name="target" value="network" checked[checked(&draft.target, "network")]; (w.whole_network) }
                label class="choice" {
                    input type="radio" name="target" value="site" checked[checked(&draft.target, "site")];
                    (w.one_site)
                }
                label for="site" class="visually-hidden" { (w.site) }
                select id="site" name="site" {
                    option value="" { "—" }
                    @for site in sites {
                        option value=(site.id) selected[site.id == draft.site] { (site.name) }
                    }
                }
                label class="choice" { input type="radio" name="target" value="kiosks" checked[checked(&draft.target, "kiosks")]; (w.chosen_kiosks) }
                ul class="kiosks" {
                    @for kiosk in fleet.iter().filter(|k| !k.revoked) {
                        @let silent = kiosk.last_seen_at.is_none_or(|at| now - at > silent_after);
                        li {
                            label {
                                input type="checkbox" name="kiosk" value=(kiosk.kiosk_id) checked[draft.kiosks.contains(&kiosk.kiosk_id)];
                                (kiosk.kiosk_id) " (" (kiosk.site_id) ") "
                                span class=(if silent { "health silent" } else { "health ok" }) {
                                    (if silent { w.silent } else { w.ok })
                                }
                            }
                        }
                    }
                }
            }
            button type="submit" class="primary" { (w.publish) }
        }
    }
}

/// The kiosk's own words for the urgent screen, per language.
fn kiosk_words(lang: &str) -> (String, String) {
    let file = match lang {
        "en" => include_str!("../../../../assets/i18n/en.toml"),
        "fr" => include_str!("../../../../assets/i18n/fr.toml"),
        "es" => include_str!("../../../../assets/i18n/es.toml"),
        "ro" => include_str!("../../../../assets/i18n/ro.toml"),
        "uk" => include_str!("../../../../assets/i18n/uk.toml"),
        "ar" => include_str!("../../../../assets/i18n/ar.toml"),
        _ => include_str!("../../../../assets/i18n/it.toml"),
    };
    let table: toml::Table = toml::from_str(file).unwrap_or_default();
    let word = |key: &str| {
        table
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    (word("urgent_title"), word("urgent_dismiss"))
}

/// How the announcement will look on a kiosk, portrait and landscape; the
/// script (static/preview.js) keeps it in step with the form.
fn preview(w: &Words, draft: &Draft) -> Markup {
    let (title, dismiss) = kiosk_words("it");
    let urgent = draft.level == "urgent";
    html! {
        section class="preview" aria-labelledby="preview-title" {
            h3 id="preview-title" { (w.preview) }
            fieldset class="preview-langs" {
                @for (lang, name) in LANGS {
                    @let (t, d) = kiosk_words(lang);
                    label class="choice" {
                        input type="radio" name="preview_lang" value=(lang) checked[lang == "it"]
                            data-title=(t) data-dismiss=(d);
                        (name)
                    }
                }
            }
            div class="screens" {
                @for (shape, label) in [("portrait", w.portrait), ("landscape", w.landscape)] {
                    figure class=(format!("kiosk {shape}")) {
                        div class=(if urgent { "screen urgent" } else { "screen info" }) dir="ltr" lang="it" {
                            div class="bar" { span { "Portalavoro" } span class="clock" { "10:30" } }
                            div class="banner" { span class="ptext" { (draft.text("it")) } }
                            div class="takeover" {
                                p class="ptitle" { (title) }
                                p class="ptext" { (draft.text("it")) }
                                span class="pclose" { (dismiss) }
                            }
                        }
                        figcaption { (label) }
                    }
                }
            }
            p class="muted" id="preview-fallback" hidden { (w.fallback_note) }
            script src="/console/static/preview.js" {}
        }
    }
}

fn local(text: &str, state: &AppState) -> Option<Timestamp> {
    let civil: DateTime = text.parse().ok()?;
    civil
        .to_zoned(state.config.timezone.clone())
        .ok()
        .map(|z| z.timestamp())
}

/// Turns the draft into the contract's announcement; an error in the
/// console's words.
fn announcement(state: &AppState, w: &Words, draft: &Draft) -> Result<Value, String> {
    let now = state.now();
    let starts = match draft.starts.trim() {
        "" => None,
        text => Some(local(text, state).ok_or(w.bad_time)?),
    };
    let ends = match draft.ends_preset.as_str() {
        "hour" => starts
            .unwrap_or(now)
            .checked_add(1.hour())
            .map_err(|e| e.to_string())?,
        "date" => local(draft.ends_at.trim(), state).ok_or(w.bad_time)?,
        _ => {
            let day = starts
                .unwrap_or(now)
                .to_zoned(state.config.timezone.clone())
                .date();
            let next = day.tomorrow().map_err(|e| e.to_string())?;
            next.to_zoned(state.config.timezone.clone())
                .map_err(|e| e.to_string())?
                .timestamp()
        }
    };
    if ends <= now || starts.is_some_and(|s| ends <= s) {
        return Err(w.end_in_past.into());
    }
    let texts: serde_json::Map<String, Value> = LANGS
        .iter()
        .filter_map(|(lang, _)| {
            let text = draft.text(lang).trim();
            (!text.is_empty()).then(|| (lang.to_string(), Value::String(text.into())))
        })
        .collect();
    let mut item = json!({
        "text": texts,
        "level": if draft.level == "urgent" { "urgent" } else { "info" },
        "starts_at": starts.map(|t| t.to_string()),
        "ends_at": ends.to_string(),
    });
    match draft.target.as_str() {
        "site" if draft.site.is_empty() => return Err(w.choose_site.into()),
        "site" => item["site"] = draft.site.clone().into(),
        "kiosks" if draft.kiosks.is_empty() => return Err(w.choose_kiosks.into()),
        "kiosks" => item["kiosks"] = json!(draft.kiosks),
        _ => {}
    }
    Ok(item)
}

/// `POST /console/announcements`.
pub async fn publish(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if let Err(response) = signed.check(csrf) {
        return response.into_response();
    }
    let draft = Draft::from_pairs(&pairs);
    let w = signed.lang.words();
    let stored = async {
        let value = announcement(&state, w, &draft)?;
        let item = intake(Kind::Announcements, value, None).map_err(|e| e.to_string())?;
        content::store(&state, &signed.actor(), item)
            .await
            .map_err(|e| e.to_string())
    };
    match stored.await {
        Ok(_) => Redirect::to("/console/?done=published").into_response(),
        Err(error) => render(&state, &signed, &draft, None, Some(error)).await,
    }
}

/// `POST /console/announcements/{id}/end`.
pub async fn end(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(response) = signed.check(&form.csrf) {
        return response.into_response();
    }
    let written = state
        .db
        .end_item(
            "announcements",
            &id,
            &signed.actor(),
            state.now().as_second(),
        )
        .await;
    changed_then(&state, written, "/console/?done=ended")
}

/// `POST /console/announcements/end-urgent`: every active urgent one.
pub async fn end_urgent(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(response) = signed.check(&form.csrf) {
        return response.into_response();
    }
    let now = state.now().as_second();
    let result = async {
        for row in state.db.items("announcements", 500).await? {
            let current = row.ends_at.is_none_or(|end| end > now);
            if current && level(&row) == "urgent" {
                state
                    .db
                    .end_item("announcements", &row.id, &signed.actor(), now)
                    .await?;
            }
        }
        Ok::<_, crate::db::DbError>(())
    };
    changed_then(&state, result.await, "/console/?done=ended")
}
