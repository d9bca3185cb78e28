//! Storing an item that passed intake: what only the database can check
//! (the site, the kiosks, a booking's room, the count a kiosk takes), then
//! the write, then the instance told. Shared by the staff API and the
//! console, so both refuse the same things.

use portalavoro_contract::{FeedItem, Slide, parse_items_value};
use serde_json::{Value, json};

use crate::db::NewItem;
use crate::db::playlists::Owner;
use crate::error::ApiError;
use crate::state::AppState;

/// Checks what only the database knows: the site, the kiosks, a booking's
/// room (whose site the booking takes), and the contract's count per feed.
pub async fn store(
    state: &AppState,
    actor: &str,
    mut item: NewItem,
) -> Result<(String, bool), ApiError> {
    let db = &state.db;
    let now = state.now().as_second();
    if let Some(site) = &item.scope.site_id
        && db.site(site).await?.is_none()
    {
        return Err(ApiError::Invalid(format!("field `site`: no site {site:?}")));
    }
    if let Some(kiosks) = &item.scope.kiosks {
        let known = db.kiosk_ids().await?;
        if let Some(unknown) = kiosks
            .iter()
            .find(|k| !known.iter().any(|(id, _)| id == *k))
        {
            return Err(ApiError::Invalid(format!(
                "field `kiosks`: no kiosk {unknown:?}"
            )));
        }
    }
    if let Some(room) = &item.room_id {
        let Some(room) = db.item("rooms", room).await? else {
            return Err(ApiError::Invalid(format!(
                "field `room_id`: no room {room:?}"
            )));
        };
        item.scope.site_id = room.scope.site_id;
    }
    let most = most(item.feed);
    if db.item(item.feed, &item.id).await?.is_none()
        && db.current_count(item.feed, now).await? >= most as i64
    {
        return Err(ApiError::Conflict(format!(
            "{} already has {most} current items, the most a kiosk takes: end or delete some first",
            item.feed
        )));
    }
    let created = db.put_item(&item, actor, now).await?;
    state.changed();
    Ok((item.id, created))
}

pub fn most(feed: &str) -> usize {
    use portalavoro_contract::{Announcement, Booking, News, Room, Service, Vacancy};
    match feed {
        "services" => Service::MOST,
        "news" => News::MOST,
        "vacancies" => Vacancy::MOST,
        "rooms" => Room::MOST,
        "bookings" => Booking::MOST,
        _ => Announcement::MOST,
    }
}

/// Sets an attract playlist as kiosks receive it (`{"items": [Slide]}`):
/// every slide must pass the kiosk's own parser, the owner must exist.
pub async fn set_playlist(
    state: &AppState,
    actor: &str,
    owner: Owner<'_>,
    playlist: &Value,
) -> Result<(), ApiError> {
    let parsed = parse_items_value::<Slide>(playlist, &Default::default())
        .map_err(|err| ApiError::Invalid(err.to_string()))?;
    if !parsed.skipped.is_empty() {
        return Err(ApiError::Invalid(parsed.skipped.summary()));
    }
    if parsed.items.is_empty() {
        return Err(ApiError::Invalid(
            "an empty playlist: delete it instead, and kiosks use their own".into(),
        ));
    }
    let exists = match &owner {
        Owner::Site(id) => state.db.site(id).await?.is_some(),
        Owner::Kiosk(id) => state.db.kiosk_ids().await?.iter().any(|(k, _)| k == id),
    };
    if !exists {
        return Err(ApiError::NotFound(format!("no {owner:?}")));
    }
    let body = json!({"items": playlist["items"]}).to_string();
    state
        .db
        .put_playlist(owner, &body, actor, state.now().as_second())
        .await?;
    state.changed();
    Ok(())
}
