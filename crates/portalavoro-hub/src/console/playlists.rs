//! Each site's attract playlist: what its kiosks show when nobody touches
//! them. A site without one lets its kiosks use their own (kiosk.toml).
//! The form is a fixed list of rows, so it works without a script; the
//! slides go through the same check as the staff API (content::set_playlist).

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::{Value, json};

use super::session::CsrfOnly;
use super::words::Words;
use super::{Done, Page, Signed, changed_then, italian};
use crate::content;
use crate::db::playlists::Owner;
use crate::error::ApiError;
use crate::state::AppState;

/// How many rows the form offers: more than a loop of 8-second slides
/// that a visitor would sit through.
const ROWS: usize = 10;

const KINDS: [&str; 6] = ["vacancies", "news", "events", "rooms", "text", "image"];

fn kind_name(w: &Words, kind: &str) -> &'static str {
    match kind {
        "vacancies" => w.vacancies,
        "news" => w.news,
        "events" => w.slide_events,
        "rooms" => w.slide_rooms,
        "text" => w.slide_text,
        _ => w.slide_image,
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let flash = done.flash(signed.lang.words());
    render(&state, &signed, flash, None).await
}

/// `error`: the site whose form was refused, what was sent, and why.
async fn render(
    state: &AppState,
    signed: &Signed,
    flash: Option<&str>,
    error: Option<(String, Vec<Value>, String)>,
) -> Response {
    let w = signed.lang.words();
    let sites = match state.db.sites().await {
        Ok(sites) => sites,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let mut sections = Vec::new();
    for site in &sites {
        let stored = match state.db.playlist(&[Owner::Site(&site.id)]).await {
            Ok(stored) => stored,
            Err(err) => return ApiError::from(err).into_response(),
        };
        let stored: Option<Vec<Value>> = stored
            .and_then(|body| serde_json::from_str::<Value>(&body).ok())
            .and_then(|value| value["items"].as_array().cloned());
        let refused = error.as_ref().filter(|(id, _, _)| *id == site.id);
        let rows = refused
            .map(|(_, sent, _)| sent.clone())
            .or_else(|| stored.clone())
            .unwrap_or_default();
        sections.push(html! {
            section aria-labelledby=(format!("site-{}", site.id)) {
                h2 id=(format!("site-{}", site.id)) { (site.name) }
                @if let Some((_, _, why)) = refused { p class="error" role="alert" { strong { (w.error) ": " } (why) } }
                @match &stored {
                    Some(slides) => {
                        ol class="items" {
                            @for slide in slides { li { (describe(w, slide)) } }
                        }
                        form method="post" action=(format!("/console/playlists/{}/delete", site.id)) {
                            input type="hidden" name="csrf" value=(signed.csrf);
                            button type="submit" { (w.use_kiosks_own) }
                        }
                    }
                    None => p class="muted" { (w.kiosks_own) }
                }
                (editor(w, signed, &site.id, &rows))
            }
        });
    }
    let body = html! {
        main id="main" class="content" {
            h1 { (w.playlists) }
            @if let Some(flash) = flash { p class="flash" role="status" { (flash) } }
            p class="muted" { (w.playlist_help) }
            @for section in &sections { (section) }
        }
    };
    Page::signed(signed, "/console/playlists", w.playlists, body).refused_if(error.is_some())
}

/// One slide in words: "Offerte di lavoro (5) · 8 s".
fn describe(w: &Words, slide: &Value) -> String {
    let kind = slide["kind"].as_str().unwrap_or("");
    let mut line = kind_name(w, kind).to_string();
    if let Some(count) = slide["count"].as_u64() {
        line += &format!(" ({count})");
    }
    let words = italian(&slide["text"]) + &italian(&slide["caption"]);
    if !words.is_empty() {
        line += &format!(": {words}");
    }
    if let Some(url) = slide["url"].as_str() {
        line += &format!(" – {url}");
    }
    line + &format!(" · {} s", slide["duration_s"].as_u64().unwrap_or(8))
}

fn editor(w: &Words, signed: &Signed, site: &str, slides: &[Value]) -> Markup {
    html! {
        details open[slides.is_empty()] {
            summary { (w.edit_playlist) }
            form method="post" action=(format!("/console/playlists/{site}")) {
                input type="hidden" name="csrf" value=(signed.csrf);
                table {
                    thead { tr {
                        th scope="col" { "#" }
                        th scope="col" { (w.kind) }
                        th scope="col" { (w.how_many) }
                        th scope="col" { (w.seconds) }
                        th scope="col" { (w.slide_words) }
                        th scope="col" { (w.picture_address) }
                    } }
                    tbody {
                        @for n in 0..ROWS {
                            @let slide = slides.get(n);
                            @let field = |key: &str| slide.map(|s| match &s[key] { Value::Null => String::new(), Value::String(t) => t.clone(), Value::Number(n) => n.to_string(), other => italian(other) }).unwrap_or_default();
                            @let chosen = field("kind");
                            @let label = |what: &str| format!("{} {} – {what}", w.slide, n + 1);
                            tr {
                                th scope="row" { (n + 1) }
                                td { select name="kind" aria-label=(label(w.kind)) {
                                    option value="" { "—" }
                                    @for kind in KINDS { option value=(kind) selected[chosen == kind] { (kind_name(w, kind)) } }
                                } }
                                td { input name="count" type="number" min="1" max="50" value=(field("count")) aria-label=(label(w.how_many)); }
                                td { input name="duration_s" type="number" min="2" max="600" value=(field("duration_s")) placeholder="8" aria-label=(label(w.seconds)); }
                                td { input name="words" type="text" lang="it" maxlength="300" value=(field("text") + &field("caption")) aria-label=(label(w.slide_words)); }
                                td { input name="url" type="text" inputmode="url" value=(field("url")) placeholder="https://" aria-label=(label(w.picture_address)); }
                            }
                        }
                    }
                }
                button type="submit" class="primary" { (w.save) }
            }
        }
    }
}

/// The form's rows as the contract's slides: a row without a kind is
/// skipped; a row's fields that its kind does not use are left out.
fn slides(pairs: &[(String, String)]) -> Vec<Value> {
    let column = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .collect()
    };
    let (kinds, counts, durations, words, urls) = (
        column("kind"),
        column("count"),
        column("duration_s"),
        column("words"),
        column("url"),
    );
    let at = |list: &[&str], n: usize| list.get(n).copied().unwrap_or("").to_string();
    let number =
        |text: String| -> Value { text.parse::<u64>().map_or(Value::String(text), Value::from) };
    kinds
        .iter()
        .enumerate()
        .filter(|(_, kind)| !kind.is_empty())
        .map(|(n, kind)| {
            let mut slide = json!({ "kind": kind });
            if matches!(*kind, "vacancies" | "news") && !at(&counts, n).is_empty() {
                slide["count"] = number(at(&counts, n));
            }
            if !at(&durations, n).is_empty() {
                slide["duration_s"] = number(at(&durations, n));
            }
            match *kind {
                "text" => slide["text"] = json!({ "it": at(&words, n) }),
                "image" => {
                    slide["url"] = at(&urls, n).into();
                    if !at(&words, n).is_empty() {
                        slide["caption"] = json!({ "it": at(&words, n) });
                    }
                }
                _ => {}
            }
            slide
        })
        .collect()
}

/// `POST /console/playlists/{site}`: the rows of the form, in order.
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    Path(site): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if let Err(stale) = signed.check(csrf) {
        return stale.into_response();
    }
    let sent = slides(&pairs);
    let result = if sent.is_empty() {
        Err(signed.lang.words().empty_playlist.to_string())
    } else {
        content::set_playlist(
            &state,
            &signed.actor(),
            Owner::Site(&site),
            &json!({ "items": sent }),
        )
        .await
        .map_err(|err| err.to_string())
    };
    match result {
        Ok(()) => Redirect::to("/console/playlists?done=saved").into_response(),
        Err(why) => render(&state, &signed, None, Some((site, sent, why))).await,
    }
}

/// `POST /console/playlists/{site}/delete`: the site's kiosks go back to
/// their own playlist.
pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(site): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let written = state
        .db
        .delete_playlist(Owner::Site(&site), &signed.actor(), state.now().as_second())
        .await;
    changed_then(&state, written, "/console/playlists?done=deleted")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn rows_become_slides_in_order_and_empty_rows_are_skipped() {
        let row = |kind, count, seconds, words, url| {
            [
                ("kind", kind),
                ("count", count),
                ("duration_s", seconds),
                ("words", words),
                ("url", url),
            ]
        };
        let mut form = vec![("csrf", "x")];
        form.extend(row("vacancies", "4", "", "ignored", ""));
        form.extend(row("", "", "", "", ""));
        form.extend(row("text", "9", "12", "Chiuso il 8 dicembre", ""));
        form.extend(row(
            "image",
            "",
            "",
            "Sala 2",
            "https://hub.example.org/a.png",
        ));
        form.extend(row("rooms", "", "ten", "", ""));
        assert_eq!(
            slides(&pairs(&form)),
            [
                json!({"kind": "vacancies", "count": 4}),
                json!({"kind": "text", "duration_s": 12, "text": {"it": "Chiuso il 8 dicembre"}}),
                json!({"kind": "image", "url": "https://hub.example.org/a.png", "caption": {"it": "Sala 2"}}),
                // Kept as typed, so the contract's check names the field.
                json!({"kind": "rooms", "duration_s": "ten"}),
            ]
        );
    }
}
