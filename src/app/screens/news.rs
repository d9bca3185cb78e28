//! News: the visible items, newest first, with thumbnails, a page at a
//! time (a hub with 5,000 news items spawns a page, not 5,000 cards); one
//! item in full with its picture and a QR code of its link.

use bevy::prelude::*;

use super::frame::{fallback_tag, pager, picture, qr_card, text_column};
use super::{Cx, PageLead};
use crate::app::theme::size;
use crate::app::touch::tappable;
use portalavoro_core::content::Page as ListPage;
use portalavoro_core::session::{Intent, List, Page};

/// News items on one page of the list.
pub const PAGE_SIZE: usize = 8;

pub fn list(ui: &mut ChildSpawnerCommands, cx: &mut Cx) {
    let theme = cx.theme;
    let p = theme.palette;
    let catalog = cx.catalog;
    let news = catalog.visible_news(cx.now);
    if news.is_empty() {
        ui.spawn((
            theme.text(cx.t("news_none"), size::HEADING, p.text),
            PageLead,
        ));
        return;
    }
    let page = ListPage::of(news.len(), PAGE_SIZE, cx.session.pages.news);
    for (index, item) in news[page.start..page.end].iter().enumerate() {
        let first = index == 0;
        ui.spawn((
            theme.card(),
            tappable(theme, Intent::Open(Page::NewsItem(item.id.clone()))),
        ))
        .insert(Node {
            flex_direction: theme.row(),
            column_gap: Val::VMin(size::GAP * 1.5),
            padding: UiRect::all(Val::VMin(size::GAP)),
            border_radius: BorderRadius::all(Val::VMin(size::RADIUS)),
            ..default()
        })
        .with_children(|row| {
            picture(row, cx, item.image_url.as_deref(), 24.0, 16.0);
            row.spawn((text_column(), Pickable::IGNORE))
                .with_children(|text| {
                    // The first item's title is what the page leads with.
                    let mut title = text.spawn((
                        theme.strong(cx.text(&item.title), size::HEADING * 0.85, p.text),
                        Pickable::IGNORE,
                    ));
                    if first {
                        title.insert(PageLead);
                    }
                    fallback_tag(text, cx, &item.title);
                    text.spawn((
                        theme.text(cx.long_date(item.published_at), size::SMALL, p.accent),
                        Pickable::IGNORE,
                    ));
                    if let Some(summary) = &item.summary {
                        text.spawn((
                            theme.text(cx.text(summary), size::BODY, p.text_muted),
                            Pickable::IGNORE,
                        ));
                    }
                });
        });
    }
    if page.count > 1 {
        pager(ui, cx, List::News, page);
    }
}

pub fn detail(ui: &mut ChildSpawnerCommands, cx: &mut Cx, id: &str) {
    let theme = cx.theme;
    let p = theme.palette;
    let catalog = cx.catalog;
    let Some(item) = catalog
        .visible_news(cx.now)
        .into_iter()
        .find(|n| n.id == id)
    else {
        ui.spawn(theme.text(cx.t("news_gone"), size::HEADING, p.text));
        return;
    };
    if item.image_url.is_some() {
        let width = if cx.landscape { 90.0 } else { 92.0 };
        picture(ui, cx, item.image_url.as_deref(), width, width * 9.0 / 16.0);
    }
    ui.spawn(theme.strong(cx.text(&item.title), size::TITLE * 0.85, p.text));
    fallback_tag(ui, cx, &item.title);
    ui.spawn(theme.text(cx.long_date(item.published_at), size::BODY, p.accent));
    if let Some(summary) = &item.summary {
        ui.spawn(theme.strong(cx.text(summary), size::BODY, p.text));
    }
    if let Some(body) = &item.body {
        ui.spawn(theme.text(cx.text(body), size::BODY, p.text));
    }
    if let Some(link) = &item.link {
        qr_card(ui, cx, link, cx.t("qr_news"), 26.0);
    }
}
