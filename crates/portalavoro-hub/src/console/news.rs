//! The news page: what kiosks show as news (and as attract slides), and a
//! form to add an item with a picture, for the network or one site.

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde_json::{Value, json};

use super::session::CsrfOnly;
use super::{Done, Page, Refused, Signed, changed_then, clock, italian, localised, sent, web_link};
use crate::error::ApiError;
use crate::intake::{Kind, intake};
use crate::state::AppState;
use crate::{content, pictures};

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
    let (rows, sites) = match async {
        Ok::<_, crate::db::DbError>((state.db.items("news", 200).await?, state.db.sites().await?))
    }
    .await
    {
        Ok(loaded) => loaded,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let now = state.now().as_second();
    let current: Vec<_> = rows
        .iter()
        .filter(|r| r.ends_at.is_none_or(|end| end > now))
        .collect();
    let body = html! {
        main id="main" class="content" {
            h1 { (w.news) }
            @if let Some(flash) = flash { p class="flash" role="status" { (flash) } }
            @if let Some(refused) = &refused { p class="error" role="alert" { strong { (w.error) ": " } (refused.why) } }
            ul class="items" {
                @for row in &current {
                    @let item: Value = serde_json::from_str(&row.body).unwrap_or_default();
                    li class="item" {
                        p class="text" { (italian(&item["title"])) }
                        p class="meta" {
                            (row.scope.site_id.as_deref().unwrap_or(w.everywhere))
                            @if let Some(start) = row.starts_at { " · " (w.published_on) " " (clock(state, start)) }
                            @if let Some(end) = row.ends_at { " · " (w.until) " " (clock(state, end)) }
                            @if item["image_url"].is_string() { " · 🖼" }
                        }
                        form method="post" action=(format!("/console/news/{}/withdraw", row.id)) {
                            input type="hidden" name="csrf" value=(signed.csrf);
                            button type="submit" aria-label=(format!("{} – {}", w.withdraw, italian(&item["title"]))) { (w.withdraw) }
                        }
                    }
                }
            }
            @if current.is_empty() { p class="muted" { (w.none) } }
            h2 { (w.add_news) }
            form method="post" action="/console/news" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(signed.csrf);
                label for="title_it" { (w.title_it) }
                input id="title_it" name="title_it" type="text" lang="it" maxlength="200" required value=(sent(&refused, "title_it"));
                label for="title_en" { (w.title_en) }
                input id="title_en" name="title_en" type="text" lang="en" maxlength="200" value=(sent(&refused, "title_en"));
                label for="summary_it" { (w.summary_it) }
                textarea id="summary_it" name="summary_it" lang="it" rows="3" maxlength="2000" { (sent(&refused, "summary_it")) }
                label for="summary_en" { (w.summary_en) }
                textarea id="summary_en" name="summary_en" lang="en" rows="3" maxlength="2000" { (sent(&refused, "summary_en")) }
                label for="picture" { (w.picture) }
                input id="picture" name="picture" type="file" accept="image/png,image/jpeg";
                label for="link" { (w.link) }
                input id="link" name="link" type="text" inputmode="url" placeholder="https://" value=(sent(&refused, "link"));
                div class="row" {
                    div {
                        label for="expires" { (w.expires) }
                        input id="expires" name="expires" type="date" value=(sent(&refused, "expires"));
                    }
                    div {
                        label for="site" { (w.target) }
                        select id="site" name="site" {
                            option value="" { (w.whole_network) }
                            @for site in &sites { option value=(site.id) selected[sent(&refused, "site") == site.id] { (site.name) } }
                        }
                    }
                }
                button type="submit" class="primary" { (w.publish) }
            }
        }
    };
    Page::signed(signed, "/console/news", w.news, body).refused_if(refused.is_some())
}

/// `POST /console/news` (multipart: the picture travels with the form).
pub async fn add(State(state): State<AppState>, signed: Signed, mut form: Multipart) -> Response {
    let mut fields = std::collections::HashMap::new();
    let mut picture: Option<Vec<u8>> = None;
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "picture" {
            match field.bytes().await {
                Ok(bytes) if !bytes.is_empty() => picture = Some(bytes.to_vec()),
                _ => {}
            }
        } else if let Ok(text) = field.text().await {
            fields.insert(name, text);
        }
    }
    let get = |key: &str| fields.get(key).map(String::as_str).unwrap_or("");
    if let Err(stale) = signed.check(get("csrf")) {
        return stale.into_response();
    }
    let result = async {
        let mut item = json!({
            "title": localised(&[("it", get("title_it")), ("en", get("title_en"))]),
            "summary": localised(&[("it", get("summary_it")), ("en", get("summary_en"))]),
            "published_at": state.now().to_string(),
        });
        if let Some(link) = web_link(signed.lang.words(), "link", get("link"))? {
            item["link"] = link.into();
        }
        if !get("expires").is_empty() {
            let date: jiff::civil::Date = get("expires")
                .parse()
                .map_err(|_| signed.lang.words().bad_time.to_string())?;
            let end = date
                .tomorrow()
                .map_err(|e| e.to_string())?
                .to_zoned(state.config.timezone.clone())
                .map_err(|e| e.to_string())?;
            item["expires_at"] = end.timestamp().to_string().into();
        }
        if !get("site").is_empty() {
            item["site"] = get("site").into();
        }
        if let Some(bytes) = picture {
            let media = tokio::task::spawn_blocking(move || pictures::reencode(&bytes))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
            state
                .db
                .put_media(&media, &signed.actor(), state.now().as_second())
                .await
                .map_err(|e| e.to_string())?;
            item["image_url"] = format!("media/{}", media.name).into();
        }
        let item = intake(Kind::News, item, None).map_err(|e| e.to_string())?;
        content::store(&state, &signed.actor(), item)
            .await
            .map_err(|e| e.to_string())
    };
    let outcome = result.await;
    match outcome {
        Ok(_) => Redirect::to("/console/news?done=saved").into_response(),
        Err(error) => render(&state, &signed, None, Some(Refused::new(error, fields))).await,
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<CsrfOnly>,
) -> Response {
    if let Err(stale) = signed.check(&form.csrf) {
        return stale.into_response();
    }
    let written = state
        .db
        .end_item("news", &id, &signed.actor(), state.now().as_second())
        .await;
    changed_then(&state, written, "/console/news?done=withdrawn")
}
