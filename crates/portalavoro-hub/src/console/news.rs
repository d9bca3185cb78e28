//! The news page: what kiosks show as news (and as attract slides), and a
//! form to add an item with a picture, for the network or one site.

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use serde_json::{Value, json};

use super::session::CsrfOnly;
use super::{Page, Signed, clock, italian, localised};
use crate::error::ApiError;
use crate::intake::{Kind, intake};
use crate::state::AppState;
use crate::{content, pictures};

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let w = signed.lang.words();
    let flash = match done.done.as_deref() {
        Some("saved") => Some(w.saved),
        Some("withdrawn") => Some(w.withdrawn),
        _ => None,
    };
    render(&state, &signed, flash, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    flash: Option<&str>,
    error: Option<String>,
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
            @if let Some(error) = &error { p class="error" role="alert" { strong { (w.error) ": " } (error) } }
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
                input id="title_it" name="title_it" type="text" lang="it" maxlength="200" required;
                label for="title_en" { (w.title_en) }
                input id="title_en" name="title_en" type="text" lang="en" maxlength="200";
                label for="summary_it" { (w.summary_it) }
                textarea id="summary_it" name="summary_it" lang="it" rows="3" maxlength="2000" {}
                label for="summary_en" { (w.summary_en) }
                textarea id="summary_en" name="summary_en" lang="en" rows="3" maxlength="2000" {}
                label for="picture" { (w.picture) }
                input id="picture" name="picture" type="file" accept="image/png,image/jpeg";
                label for="link" { (w.link) }
                input id="link" name="link" type="text" inputmode="url" placeholder="https://";
                div class="row" {
                    div {
                        label for="expires" { (w.expires) }
                        input id="expires" name="expires" type="date";
                    }
                    div {
                        label for="site" { (w.target) }
                        select id="site" name="site" {
                            option value="" { (w.whole_network) }
                            @for site in &sites { option value=(site.id) { (site.name) } }
                        }
                    }
                }
                button type="submit" class="primary" { (w.publish) }
            }
        }
    };
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    (status, Page::signed(signed, "/console/news", w.news, body)).into_response()
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
        if !get("link").trim().is_empty() {
            item["link"] = get("link").trim().into();
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
    match result.await {
        Ok(_) => Redirect::to("/console/news?done=saved").into_response(),
        Err(error) => render(&state, &signed, None, Some(error)).await,
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
    match state
        .db
        .end_item("news", &id, &signed.actor(), state.now().as_second())
        .await
    {
        Ok(()) => {
            state.changed();
            Redirect::to("/console/news?done=withdrawn").into_response()
        }
        Err(err) => ApiError::from(err).into_response(),
    }
}
