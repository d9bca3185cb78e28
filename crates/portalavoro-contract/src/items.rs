//! The contract's items (docs/hub-api.md), parsed field by field so that a
//! bad item is skipped with the name of the field that failed, and the rest
//! of the list is kept.

use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::text::Text;

/// Why one item of a feed was skipped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("item {}: field `{field}`: {reason}", id.as_deref().unwrap_or("(no id)"))]
pub struct ItemError {
    pub id: Option<String>,
    pub field: &'static str,
    pub reason: String,
}

/// Why a whole response was rejected (the last good copy stays).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeedError {
    #[error("not valid JSON: {0}")]
    NotJson(String),
    #[error("no `items` list in the response")]
    NoItems,
}

/// Pictures shipped with the kiosk are named `bundled:NAME` (kiosk.toml's
/// own playlist, the demo): never resolved against a hub.
pub const BUNDLED_SCHEME: &str = "bundled:";

/// Whether `url` names a picture shipped with the kiosk.
pub fn is_bundled(url: &str) -> bool {
    url.starts_with(BUNDLED_SCHEME)
}

/// How relative URLs in a payload are made absolute.
#[derive(Debug, Clone, Default)]
pub struct UrlBase {
    /// The hub base URL without trailing slash; `None` for bundled content
    /// (relative URLs then name files under `assets/`).
    pub base: Option<String>,
}

impl UrlBase {
    pub fn hub(base: &str) -> Self {
        UrlBase {
            base: Some(base.trim_end_matches('/').to_string()),
        }
    }

    /// `https://…` stays; `/x` is relative to the base's origin; `x` to the
    /// base URL itself (as the contract's paths are).
    pub fn resolve(&self, url: &str) -> String {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") || is_bundled(url) {
            return url.to_string();
        }
        let Some(base) = &self.base else {
            return url.to_string();
        };
        if url.starts_with('/') {
            match crate::UrlOrigin::of(base) {
                Ok(origin) => format!("{}{url}", origin.as_prefix()),
                Err(_) => url.to_string(),
            }
        } else {
            format!("{base}/{url}")
        }
    }
}

/// A parsed feed: the items that passed, and why the others did not.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub items: Vec<T>,
    pub skipped: Skipped,
}

/// The items left out of a feed: how many, the first few reasons (a hub
/// that sends a million broken items costs a line, not a million), and how
/// many lay beyond the most the kiosk takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Skipped {
    count: usize,
    examples: Vec<ItemError>,
    /// Items past [`FeedItem::MOST`], not even read.
    pub beyond_limit: usize,
}

impl Skipped {
    /// The reasons kept, at most this many.
    pub const EXAMPLES: usize = 5;

    fn push(&mut self, error: ItemError) {
        self.count += 1;
        if self.examples.len() < Self::EXAMPLES {
            self.examples.push(error);
        }
    }

    /// Invalid items, and items beyond the limit.
    pub fn len(&self) -> usize {
        self.count + self.beyond_limit
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One line for the journal: how many, and why the first were.
    pub fn summary(&self) -> String {
        let mut line = String::new();
        if self.count > 0 {
            let reasons: Vec<String> = self.examples.iter().map(ToString::to_string).collect();
            line = format!(
                "{} invalid items skipped ({}",
                self.count,
                reasons.join("; ")
            );
            if self.count > self.examples.len() {
                line.push_str("; …");
            }
            line.push(')');
        }
        if self.beyond_limit > 0 {
            if !line.is_empty() {
                line.push_str(", ");
            }
            line.push_str(&format!(
                "{} items beyond the most the kiosk takes left out",
                self.beyond_limit
            ));
        }
        line
    }
}

impl std::ops::Deref for Skipped {
    type Target = [ItemError];

    /// The reasons kept (the first [`Skipped::EXAMPLES`]).
    fn deref(&self) -> &[ItemError] {
        &self.examples
    }
}

/// The longest text a field may hold, in bytes: more than any title or
/// body a lobby shows (a longer one is a broken or hostile hub).
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// An item type of a feed.
pub trait FeedItem: Sized {
    /// The most items of this kind the kiosk takes from one response; the
    /// rest are left out, counted (the body's size cap alone would let
    /// hundreds of thousands of small items through).
    const MOST: usize;

    fn parse(fields: &Fields<'_>, urls: &UrlBase) -> Result<Self, ItemError>;
}

/// Parses `{"items": [...]}`, keeping every item that validates.
pub fn parse_items<T: FeedItem>(body: &[u8], urls: &UrlBase) -> Result<Parsed<T>, FeedError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|err| FeedError::NotJson(err.to_string()))?;
    parse_items_value(&value, urls)
}

/// As [`parse_items`], from an already parsed document.
pub fn parse_items_value<T: FeedItem>(
    value: &Value,
    urls: &UrlBase,
) -> Result<Parsed<T>, FeedError> {
    let list = value
        .get("items")
        .and_then(Value::as_array)
        .ok_or(FeedError::NoItems)?;
    let mut items = Vec::with_capacity(list.len().min(T::MOST));
    let mut skipped = Skipped {
        beyond_limit: list.len().saturating_sub(T::MOST),
        ..Skipped::default()
    };
    for item in list.iter().take(T::MOST) {
        let result = match item.as_object() {
            Some(map) => T::parse(&Fields::new(map), urls),
            None => Err(ItemError {
                id: None,
                field: "(item)",
                reason: "not an object".into(),
            }),
        };
        match result {
            Ok(item) => items.push(item),
            Err(err) => skipped.push(err),
        }
    }
    Ok(Parsed { items, skipped })
}

/// Checks one item as a kiosk will (the hub's intake uses it, so a kiosk
/// never receives what the contract forbids).
pub fn validate<T: FeedItem>(value: &Value) -> Result<T, ItemError> {
    match value.as_object() {
        Some(map) => T::parse(&Fields::new(map), &UrlBase::default()),
        None => Err(ItemError {
            id: None,
            field: "(item)",
            reason: "not an object".into(),
        }),
    }
}

/// Typed access to one JSON object's fields, with errors that name the field.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    id: Option<String>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        let id = map.get("id").and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        Fields { map, id }
    }

    pub(crate) fn fail<T>(
        &self,
        field: &'static str,
        reason: impl Into<String>,
    ) -> Result<T, ItemError> {
        Err(ItemError {
            id: self.id.clone(),
            field,
            reason: reason.into(),
        })
    }

    /// The field, treating JSON `null` as absent.
    fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    pub fn id(&self) -> Result<String, ItemError> {
        match &self.id {
            Some(id) if !id.trim().is_empty() => Ok(id.clone()),
            _ => self.fail("id", "missing or empty"),
        }
    }

    pub fn text(&self, field: &'static str) -> Result<Text, ItemError> {
        match self.text_opt(field)? {
            Some(text) => Ok(text),
            None => self.fail(field, "missing"),
        }
    }

    pub fn text_opt(&self, field: &'static str) -> Result<Option<Text>, ItemError> {
        match self.get(field) {
            None => Ok(None),
            Some(v) => match Text::from_json(v) {
                Some(text) => self.short(field, text).map(Some),
                None => self.fail(field, "not a string or a language → string object"),
            },
        }
    }

    /// `text`, if no language's version is longer than [`MAX_TEXT_BYTES`].
    fn short(&self, field: &'static str, text: Text) -> Result<Text, ItemError> {
        if text.all().any(|t| t.len() > MAX_TEXT_BYTES) {
            return self.fail(field, format!("longer than {MAX_TEXT_BYTES} bytes"));
        }
        Ok(text)
    }

    pub fn text_list(&self, field: &'static str) -> Result<Vec<Text>, ItemError> {
        match self.get(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(list)) => list
                .iter()
                .map(|v| {
                    Text::from_json(v).map_or_else(
                        || self.fail(field, "an entry is not text"),
                        |text| self.short(field, text),
                    )
                })
                .collect(),
            Some(_) => self.fail(field, "not a list"),
        }
    }

    pub fn string_opt(&self, field: &'static str) -> Result<Option<String>, ItemError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) if s.len() > MAX_TEXT_BYTES => {
                self.fail(field, format!("longer than {MAX_TEXT_BYTES} bytes"))
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => self.fail(field, "not a string"),
        }
    }

    pub fn string(&self, field: &'static str) -> Result<String, ItemError> {
        match self.string_opt(field)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => self.fail(field, "missing or empty"),
        }
    }

    pub fn url_opt(
        &self,
        field: &'static str,
        urls: &UrlBase,
    ) -> Result<Option<String>, ItemError> {
        Ok(self
            .string_opt(field)?
            .filter(|s| !s.trim().is_empty())
            .map(|s| urls.resolve(s.trim())))
    }

    pub fn time(&self, field: &'static str) -> Result<Timestamp, ItemError> {
        match self.time_opt(field)? {
            Some(t) => Ok(t),
            None => self.fail(field, "missing"),
        }
    }

    pub fn time_opt(&self, field: &'static str) -> Result<Option<Timestamp>, ItemError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => match s.parse::<Timestamp>() {
                Ok(t) => Ok(Some(t)),
                Err(_) => self.fail(field, format!("{s:?} is not an RFC 3339 time with offset")),
            },
            Some(_) => self.fail(field, "not a string"),
        }
    }

    pub fn bool_or(&self, field: &'static str, default: bool) -> Result<bool, ItemError> {
        match self.get(field) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => self.fail(field, "not true or false"),
        }
    }

    pub fn uint_opt(&self, field: &'static str) -> Result<Option<u64>, ItemError> {
        match self.get(field) {
            None => Ok(None),
            Some(v) => match v.as_u64() {
                Some(n) => Ok(Some(n)),
                None => self.fail(field, "not a non-negative integer"),
            },
        }
    }

    /// An enum field. `other` is where unknown values go, when the contract
    /// has one; without it an unknown value fails the item.
    pub fn choice_opt<E: Copy>(
        &self,
        field: &'static str,
        values: &[(&str, E)],
        other: Option<E>,
    ) -> Result<Option<E>, ItemError> {
        let Some(raw) = self.string_opt(field)? else {
            return Ok(None);
        };
        match values.iter().find(|(name, _)| *name == raw) {
            Some((_, value)) => Ok(Some(*value)),
            None => match other {
                Some(other) => Ok(Some(other)),
                None => self.fail(field, format!("unknown value {raw:?}")),
            },
        }
    }
}

// ---------------------------------------------------------------- items

#[derive(Debug, Clone, PartialEq)]
pub struct News {
    pub id: String,
    pub title: Text,
    pub summary: Option<Text>,
    pub body: Option<Text>,
    pub image_url: Option<String>,
    pub published_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub link: Option<String>,
}

impl FeedItem for News {
    const MOST: usize = 500;

    fn parse(f: &Fields<'_>, urls: &UrlBase) -> Result<Self, ItemError> {
        Ok(News {
            id: f.id()?,
            title: f.text("title")?,
            summary: f.text_opt("summary")?,
            body: f.text_opt("body")?,
            image_url: f.url_opt("image_url", urls)?,
            published_at: f.time("published_at")?,
            expires_at: f.time_opt("expires_at")?,
            link: f.url_opt("link", urls)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Contract {
    Permanent,
    FixedTerm,
    Apprenticeship,
    Internship,
    TemporaryAgency,
    Other,
}

impl Contract {
    pub const ALL: [(&'static str, Contract); 6] = [
        ("permanent", Contract::Permanent),
        ("fixed_term", Contract::FixedTerm),
        ("apprenticeship", Contract::Apprenticeship),
        ("internship", Contract::Internship),
        ("temporary_agency", Contract::TemporaryAgency),
        ("other", Contract::Other),
    ];

    /// The wire name, also the translation key suffix.
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("other", |(k, _)| k)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hours {
    FullTime,
    PartTime,
}

impl Hours {
    pub const ALL: [(&'static str, Hours); 2] = [
        ("full_time", Hours::FullTime),
        ("part_time", Hours::PartTime),
    ];

    pub fn key(self) -> &'static str {
        match self {
            Hours::FullTime => "full_time",
            Hours::PartTime => "part_time",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vacancy {
    pub id: String,
    pub reference: Option<String>,
    pub title: Text,
    pub employer: Option<String>,
    pub sector: Option<String>,
    pub municipality: Option<String>,
    pub contract: Option<Contract>,
    pub hours: Option<Hours>,
    pub positions: u32,
    pub description: Option<Text>,
    pub requirements: Vec<Text>,
    pub apply_url: Option<String>,
    pub posted_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    /// What a search looks in, folded (see [`Vacancy::search_text`]).
    pub folded: std::sync::OnceLock<String>,
}

impl Vacancy {
    /// The text a search looks in (every title, employer, sector, town,
    /// code), folded for case and accents: worked out once per vacancy of
    /// a snapshot, on first use, not again at each keystroke.
    pub fn search_text(&self) -> &str {
        self.folded.get_or_init(|| {
            let mut text = String::new();
            for part in self.title.all().chain([
                self.employer.as_deref().unwrap_or(""),
                self.sector.as_deref().unwrap_or(""),
                self.municipality.as_deref().unwrap_or(""),
                self.reference.as_deref().unwrap_or(""),
            ]) {
                text.push_str(&crate::text::fold(part));
                text.push('\n');
            }
            text
        })
    }
}

impl FeedItem for Vacancy {
    const MOST: usize = 20_000;

    fn parse(f: &Fields<'_>, urls: &UrlBase) -> Result<Self, ItemError> {
        let positions = match f.uint_opt("positions")? {
            None => 1,
            Some(n) if (1..=u64::from(u32::MAX)).contains(&n) => n as u32,
            Some(_) => return f.fail("positions", "must be at least 1"),
        };
        Ok(Vacancy {
            id: f.id()?,
            reference: f.string_opt("reference")?.filter(|s| !s.is_empty()),
            title: f.text("title")?,
            employer: f.string_opt("employer")?.filter(|s| !s.is_empty()),
            sector: f.string_opt("sector")?.filter(|s| !s.is_empty()),
            municipality: f.string_opt("municipality")?.filter(|s| !s.is_empty()),
            contract: f.choice_opt("contract", &Contract::ALL, Some(Contract::Other))?,
            hours: f.choice_opt("hours", &Hours::ALL, None)?,
            positions,
            description: f.text_opt("description")?,
            requirements: f.text_list("requirements")?,
            apply_url: f.url_opt("apply_url", urls)?,
            posted_at: f.time("posted_at")?,
            expires_at: f.time_opt("expires_at")?,
            folded: Default::default(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoomKind {
    Interview,
    Lab,
    Classroom,
    Coworking,
    Meeting,
    Other,
}

impl RoomKind {
    pub const ALL: [(&'static str, RoomKind); 6] = [
        ("interview", RoomKind::Interview),
        ("lab", RoomKind::Lab),
        ("classroom", RoomKind::Classroom),
        ("coworking", RoomKind::Coworking),
        ("meeting", RoomKind::Meeting),
        ("other", RoomKind::Other),
    ];

    /// The wire name, also the translation key suffix.
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("other", |(name, _)| name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    pub id: String,
    pub name: Text,
    pub kind: RoomKind,
    pub floor: Option<String>,
    pub capacity: Option<u32>,
    pub booking_url: Option<String>,
}

impl FeedItem for Room {
    const MOST: usize = 200;

    fn parse(f: &Fields<'_>, urls: &UrlBase) -> Result<Self, ItemError> {
        Ok(Room {
            id: f.id()?,
            name: f.text("name")?,
            kind: f
                .choice_opt("kind", &RoomKind::ALL, Some(RoomKind::Other))?
                .unwrap_or(RoomKind::Other),
            floor: f.string_opt("floor")?,
            capacity: f
                .uint_opt("capacity")?
                .map(|c| c.min(u64::from(u32::MAX)) as u32),
            booking_url: f.url_opt("booking_url", urls)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingKind {
    Meeting,
    Interview,
    Workshop,
    Event,
    Course,
    Other,
}

impl BookingKind {
    pub const ALL: [(&'static str, BookingKind); 6] = [
        ("meeting", BookingKind::Meeting),
        ("interview", BookingKind::Interview),
        ("workshop", BookingKind::Workshop),
        ("event", BookingKind::Event),
        ("course", BookingKind::Course),
        ("other", BookingKind::Other),
    ];

    /// The wire name, also the translation key suffix.
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("other", |(name, _)| name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub id: String,
    pub room_id: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// `None`: a private booking, shown only as "booked".
    pub title: Option<Text>,
    pub kind: BookingKind,
    pub public: bool,
    pub description: Option<Text>,
    pub link: Option<String>,
}

impl FeedItem for Booking {
    const MOST: usize = 5_000;

    fn parse(f: &Fields<'_>, urls: &UrlBase) -> Result<Self, ItemError> {
        let starts_at = f.time("starts_at")?;
        let ends_at = f.time("ends_at")?;
        if starts_at >= ends_at {
            return f.fail("ends_at", "must be after starts_at");
        }
        Ok(Booking {
            id: f.id()?,
            room_id: f.string("room_id")?,
            starts_at,
            ends_at,
            title: f.text_opt("title")?,
            kind: f
                .choice_opt("kind", &BookingKind::ALL, Some(BookingKind::Other))?
                .unwrap_or(BookingKind::Other),
            public: f.bool_or("public", false)?,
            description: f.text_opt("description")?,
            link: f.url_opt("link", urls)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Info,
    Urgent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Announcement {
    pub id: String,
    pub text: Text,
    pub level: Level,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    /// `None`: every kiosk.
    pub kiosks: Option<Vec<String>>,
}

impl FeedItem for Announcement {
    const MOST: usize = 100;

    fn parse(f: &Fields<'_>, _urls: &UrlBase) -> Result<Self, ItemError> {
        let kiosks = match f.get("kiosks") {
            None => None,
            Some(Value::Array(list)) => Some(
                list.iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .map_or_else(|| f.fail("kiosks", "an entry is not a string"), Ok)?,
            ),
            Some(_) => return f.fail("kiosks", "not a list or null"),
        };
        let level = f.choice_opt(
            "level",
            &[("info", Level::Info), ("urgent", Level::Urgent)],
            None,
        )?;
        Ok(Announcement {
            id: f.id()?,
            text: f.text("text")?,
            level: level.map_or_else(|| f.fail("level", "missing"), Ok)?,
            starts_at: f.time_opt("starts_at")?,
            ends_at: f.time_opt("ends_at")?,
            kiosks,
        })
    }
}

impl Announcement {
    /// Shown on `kiosk_id` at `now`.
    pub fn is_active(&self, kiosk_id: &str, now: Timestamp) -> bool {
        self.starts_at.is_none_or(|start| start <= now)
            && self.ends_at.is_none_or(|end| now < end)
            && self
                .kiosks
                .as_ref()
                .is_none_or(|ks| ks.iter().any(|k| k == kiosk_id))
    }
}

/// One slide of the attract loop.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    pub kind: SlideKind,
    pub duration_s: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SlideKind {
    Image { url: String, caption: Option<Text> },
    Vacancies { count: u32 },
    News { count: u32 },
    Events,
    Rooms,
    Text { text: Text },
}

impl Slide {
    pub const DEFAULT_DURATION_S: u32 = 8;

    /// Parses a slide from the contract's JSON (also used for kiosk.toml).
    pub fn from_json(value: &Value) -> Result<Slide, ItemError> {
        let Some(map) = value.as_object() else {
            return Err(ItemError {
                id: None,
                field: "(slide)",
                reason: "not a table".into(),
            });
        };
        Slide::parse(&Fields::new(map), &UrlBase::default())
    }

    /// Used when neither the hub nor kiosk.toml has a playlist.
    pub fn built_in_playlist() -> Vec<Slide> {
        let slide = |kind| Slide {
            kind,
            duration_s: Self::DEFAULT_DURATION_S,
        };
        vec![
            slide(SlideKind::Image {
                url: "bundled:welcome".into(),
                caption: None,
            }),
            slide(SlideKind::Vacancies { count: 5 }),
            slide(SlideKind::Events),
            slide(SlideKind::News { count: 3 }),
            slide(SlideKind::Image {
                url: "bundled:together".into(),
                caption: None,
            }),
            slide(SlideKind::Rooms),
        ]
    }
}

impl FeedItem for Slide {
    const MOST: usize = 50;

    fn parse(f: &Fields<'_>, urls: &UrlBase) -> Result<Self, ItemError> {
        let count = |default: u64| -> Result<u32, ItemError> {
            match f.uint_opt("count")?.unwrap_or(default) {
                n @ 1..=50 => Ok(n as u32),
                _ => f.fail("count", "must be between 1 and 50"),
            }
        };
        let kind = match f.string("kind")?.as_str() {
            "image" => SlideKind::Image {
                url: f
                    .url_opt("url", urls)?
                    .map_or_else(|| f.fail("url", "missing"), Ok)?,
                caption: f.text_opt("caption")?,
            },
            "vacancies" => SlideKind::Vacancies { count: count(5)? },
            "news" => SlideKind::News { count: count(3)? },
            "events" => SlideKind::Events,
            "rooms" => SlideKind::Rooms,
            "text" => SlideKind::Text {
                text: f.text("text")?,
            },
            other => return f.fail("kind", format!("unknown slide kind {other:?}")),
        };
        let duration_s = match f.uint_opt("duration_s")? {
            None => Self::DEFAULT_DURATION_S,
            Some(n @ 2..=600) => n as u32,
            Some(_) => return f.fail("duration_s", "must be between 2 and 600 seconds"),
        };
        Ok(Slide { kind, duration_s })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse<T: FeedItem>(value: Value) -> Parsed<T> {
        parse_items_value(&value, &UrlBase::hub("https://hub.example.org/api/v1")).unwrap()
    }

    #[test]
    fn a_flood_of_items_is_capped_and_summed_up_in_one_line() {
        // 8 MiB of empty objects: a broken or hostile hub.
        let flood = Value::Array(vec![json!({}); 300_000]);
        let parsed: Parsed<News> = parse(json!({ "items": flood }));
        assert!(parsed.items.is_empty());
        assert_eq!(parsed.skipped.len(), 300_000);
        assert_eq!(parsed.skipped.beyond_limit, 300_000 - News::MOST);
        assert_eq!(
            parsed.skipped.iter().count(),
            Skipped::EXAMPLES,
            "a few reasons kept"
        );
        let line = parsed.skipped.summary();
        assert!(
            line.contains("500 invalid items skipped") && line.contains("299500 items beyond"),
            "{line}"
        );
        assert!(line.len() < 1_000, "one short line: {line}");

        // Valid items past the most a kiosk takes are left out, counted.
        let many: Vec<Value> = (0..News::MOST + 10)
            .map(|n| json!({"id": format!("n{n}"), "title": "T", "published_at": "2026-11-20T09:00:00Z"}))
            .collect();
        let parsed: Parsed<News> = parse(json!({ "items": many }));
        assert_eq!(parsed.items.len(), News::MOST);
        assert_eq!(parsed.skipped.beyond_limit, 10);
    }

    #[test]
    fn a_text_longer_than_any_screen_shows_is_refused() {
        let long = "x".repeat(MAX_TEXT_BYTES + 1);
        let parsed: Parsed<News> = parse(json!({"items": [
            {"id": "n1", "title": long, "published_at": "2026-11-20T09:00:00Z"},
            {"id": "n2", "title": {"it": "Breve", "en": long}, "published_at": "2026-11-20T09:00:00Z"},
            {"id": "n3", "title": "Breve", "summary": "x".repeat(MAX_TEXT_BYTES), "published_at": "2026-11-20T09:00:00Z"}
        ]}));
        let ids: Vec<&str> = parsed.items.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["n3"], "exactly the limit is fine");
        assert_eq!(parsed.skipped[0].field, "title");
        assert!(
            parsed.skipped[0].reason.contains("longer than"),
            "{:?}",
            parsed.skipped[0]
        );
    }

    #[test]
    fn a_bad_vacancy_is_skipped_naming_id_and_field() {
        let parsed: Parsed<Vacancy> = parse(json!({"items": [
            {"id": "v1", "title": "Saldatore", "posted_at": "2026-11-20T09:00:00+01:00"},
            {"id": "v2", "title": "Cuoco", "posted_at": "yesterday"},
            {"id": "v3", "title": {"it": "Autista", "en": "Driver"},
             "posted_at": "2026-11-21T09:00:00Z", "hours": "part_time", "contract": "seasonal"},
            {"title": "No id", "posted_at": "2026-11-21T09:00:00Z"},
            {"id": "v5", "title": "Zero", "positions": 0, "posted_at": "2026-11-21T09:00:00Z"},
            {"id": "v6", "title": "Night", "hours": "nights", "posted_at": "2026-11-21T09:00:00Z"},
            "not an object"
        ]}));
        let ids: Vec<&str> = parsed.items.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["v1", "v3"]);
        assert_eq!(
            parsed.items[1].contract,
            Some(Contract::Other),
            "unknown → other"
        );
        assert_eq!(parsed.items[0].positions, 1, "positions defaults to 1");
        let skipped: Vec<(Option<&str>, &str)> = parsed
            .skipped
            .iter()
            .map(|e| (e.id.as_deref(), e.field))
            .collect();
        assert_eq!(
            skipped,
            [
                (Some("v2"), "posted_at"),
                (None, "id"),
                (Some("v5"), "positions"),
                (Some("v6"), "hours"),
                (None, "(item)")
            ]
        );
        assert_eq!(
            parsed.skipped[0].to_string(),
            "item v2: field `posted_at`: \"yesterday\" is not an RFC 3339 time with offset"
        );
    }

    #[test]
    fn a_whole_response_that_is_not_a_feed_is_rejected() {
        let urls = UrlBase::default();
        assert!(matches!(
            parse_items::<News>(b"<html>", &urls),
            Err(FeedError::NotJson(_))
        ));
        assert_eq!(
            parse_items::<News>(b"{\"data\": []}", &urls).unwrap_err(),
            FeedError::NoItems
        );
        assert_eq!(
            parse_items::<News>(b"[]", &urls).unwrap_err(),
            FeedError::NoItems
        );
    }

    #[test]
    fn urls_resolve_against_the_base() {
        let urls = UrlBase::hub("https://hub.example.org/api/v1/");
        assert_eq!(
            urls.resolve("https://cdn.example.net/a.jpg"),
            "https://cdn.example.net/a.jpg"
        );
        assert_eq!(
            urls.resolve("/media/a.jpg"),
            "https://hub.example.org/media/a.jpg"
        );
        assert_eq!(
            urls.resolve("media/a.jpg"),
            "https://hub.example.org/api/v1/media/a.jpg"
        );
    }

    #[test]
    fn bookings_must_end_after_they_start() {
        let parsed: Parsed<Booking> = parse(json!({"items": [
            {"id": "b1", "room_id": "r1", "starts_at": "2026-11-23T10:00:00+01:00",
             "ends_at": "2026-11-23T09:00:00+01:00"},
            {"id": "b2", "room_id": "r1", "starts_at": "2026-11-23T10:00:00+01:00",
             "ends_at": "2026-11-23T11:00:00+01:00", "title": null, "kind": "party"}
        ]}));
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.items[0].title, None, "null title = private");
        assert_eq!(parsed.items[0].kind, BookingKind::Other);
        assert!(!parsed.items[0].public);
        assert_eq!(parsed.skipped[0].field, "ends_at");
    }

    #[test]
    fn announcement_level_has_no_other() {
        let parsed: Parsed<Announcement> = parse(json!({"items": [
            {"id": "a1", "text": "Chiuso", "level": "critical"},
            {"id": "a2", "text": "Aperto", "level": "info", "kiosks": null},
            {"id": "a3", "text": "Solo qui", "level": "urgent", "kiosks": ["mt-1"]}
        ]}));
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.skipped[0].field, "level");
        let now: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        assert!(parsed.items[0].is_active("any", now));
        assert!(parsed.items[1].is_active("mt-1", now));
        assert!(!parsed.items[1].is_active("mt-2", now));
    }

    #[test]
    fn slides_of_every_kind_parse_and_unknown_kinds_do_not() {
        let parsed: Parsed<Slide> = parse(json!({"items": [
            {"kind": "image", "url": "media/lobby.jpg", "caption": {"it": "Benvenuti"}},
            {"kind": "vacancies", "count": 4, "duration_s": 12},
            {"kind": "news"},
            {"kind": "events"},
            {"kind": "rooms"},
            {"kind": "text", "text": "Ciao"},
            {"kind": "video", "url": "x.mp4"},
            {"kind": "image"}
        ]}));
        assert_eq!(parsed.items.len(), 6);
        assert_eq!(
            parsed.items[0].kind,
            SlideKind::Image {
                url: "https://hub.example.org/api/v1/media/lobby.jpg".into(),
                caption: Some(Text::Localised(vec![(
                    crate::Lang::new("it"),
                    "Benvenuti".into()
                )]))
            }
        );
        assert_eq!(parsed.items[1].duration_s, 12);
        assert_eq!(parsed.items[2].duration_s, Slide::DEFAULT_DURATION_S);
        assert_eq!(parsed.items[2].kind, SlideKind::News { count: 3 });
        assert_eq!(parsed.skipped.len(), 2);
    }
}
