//! Vacancies from the regional system: a CSV export, checked row by row.
//!
//! Columns (a header row names them, in any order; docs/hub.md):
//! `id`, `title`, `posted_at` required; `reference`, `employer`, `sector`,
//! `municipality`, `contract`, `hours`, `positions`, `description`,
//! `requirements` (separated by `|`), `apply_url`, `expires_at`, `site`
//! optional; `title_LANG`, `description_LANG`, `requirements_LANG` for
//! other languages (`title` alone is Italian). Times are RFC 3339 or a
//! date (`YYYY-MM-DD`: posted at the start of that day, expiring at its
//! end, in the hub's time zone). An unknown column refuses the whole file,
//! so a misspelt one is never dropped in silence.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::intake::{Kind, intake};
use crate::state::AppState;

/// The largest CSV import.
pub const MOST_CSV: usize = 32 * 1024 * 1024;

#[derive(Debug, Serialize, PartialEq)]
pub struct Report {
    pub dry_run: bool,
    /// Data rows read (the header not counted).
    pub rows: usize,
    /// Rows stored (or, in a dry run, that would be).
    pub imported: usize,
    pub errors: Vec<RowError>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct RowError {
    /// The line of the file (the header is line 1).
    pub row: usize,
    pub field: String,
    pub message: String,
}

const PLAIN: [&str; 14] = [
    "id",
    "reference",
    "title",
    "employer",
    "sector",
    "municipality",
    "contract",
    "hours",
    "positions",
    "description",
    "requirements",
    "apply_url",
    "posted_at",
    "expires_at",
];
const LOCALISED: [&str; 3] = ["title", "description", "requirements"];

pub async fn vacancies(
    state: &AppState,
    actor: &str,
    csv: &[u8],
    dry_run: bool,
) -> Result<Report, ApiError> {
    let sites: HashSet<String> = state.db.sites().await?.into_iter().map(|s| s.id).collect();
    let tz = state.config.timezone.clone();
    let (report, items) = check(csv, &sites, &tz, dry_run)?;
    if !dry_run && !items.is_empty() {
        let detail = format!("{} rows, {} refused", report.rows, report.errors.len());
        state
            .db
            .put_items("vacancies", &items, actor, &detail, state.now().as_second())
            .await?;
        state.changed();
    }
    Ok(report)
}

/// Checks every row: the report, and the items that passed.
pub fn check(
    csv: &[u8],
    sites: &HashSet<String>,
    tz: &jiff::tz::TimeZone,
    dry_run: bool,
) -> Result<(Report, Vec<crate::db::NewItem>), ApiError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv);
    let header: Vec<String> = reader
        .headers()
        .map_err(|err| ApiError::BadRequest(format!("CSV header: {err}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    for name in &header {
        if !known_column(name) {
            return Err(ApiError::BadRequest(format!(
                "unknown column {name:?}: the columns are {}, site, and TITLE_LANG forms",
                PLAIN.join(", ")
            )));
        }
    }
    for required in ["id", "title", "posted_at"] {
        if !header
            .iter()
            .any(|h| h == required || (required == "title" && h == "title_it"))
        {
            return Err(ApiError::BadRequest(format!("missing column {required:?}")));
        }
    }
    let mut report = Report {
        dry_run,
        rows: 0,
        imported: 0,
        errors: Vec::new(),
    };
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        report.rows += 1;
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                report.errors.push(RowError {
                    row,
                    field: "(row)".into(),
                    message: err.to_string(),
                });
                continue;
            }
        };
        let fail = |field: &str, message: String| RowError {
            row,
            field: field.into(),
            message,
        };
        match row_to_json(&header, &record, tz) {
            Err((field, message)) => report.errors.push(fail(&field, message)),
            Ok(value) => {
                if let Some(site) = value.get("site").and_then(Value::as_str)
                    && !sites.contains(site)
                {
                    report
                        .errors
                        .push(fail("site", format!("no site {site:?}")));
                    continue;
                }
                match intake(Kind::Vacancies, value, None) {
                    Err(err) => report.errors.push(fail(&err.field, err.reason)),
                    Ok(item) if !seen.insert(item.id.clone()) => report.errors.push(fail(
                        "id",
                        format!("{:?} is on an earlier row too", item.id),
                    )),
                    Ok(item) => items.push(item),
                }
            }
        }
    }
    report.imported = items.len();
    Ok((report, items))
}

fn known_column(name: &str) -> bool {
    PLAIN.contains(&name)
        || name == "site"
        || LOCALISED.iter().any(|base| {
            name.strip_prefix(base)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|lang| portalavoro_contract::Lang::parse(lang).is_some())
        })
}

/// One row as the contract's JSON; an error names the column.
fn row_to_json(
    header: &[String],
    record: &csv::StringRecord,
    tz: &jiff::tz::TimeZone,
) -> Result<Value, (String, String)> {
    let mut map = Map::new();
    let mut localised: Map<String, Value> = Map::new();
    for (name, cell) in header.iter().zip(record.iter()) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let (base, lang) = match name.split_once('_') {
            Some((base, lang)) if LOCALISED.contains(&base) => (base, lang),
            _ if LOCALISED.contains(&name.as_str()) => (name.as_str(), "it"),
            _ => ("", ""),
        };
        if !base.is_empty() {
            let value = if base == "requirements" {
                Value::Array(
                    cell.split('|')
                        .map(|r| Value::String(r.trim().into()))
                        .filter(|v| v != "")
                        .collect(),
                )
            } else {
                Value::String(cell.into())
            };
            let entry = localised
                .entry(base.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            entry[lang] = value;
            continue;
        }
        let value = match name.as_str() {
            "positions" => cell
                .parse::<u64>()
                .map(Value::from)
                .map_err(|_| (name.clone(), format!("{cell:?} is not a whole number")))?,
            "posted_at" | "expires_at" => {
                Value::String(time(cell, name == "expires_at", tz).ok_or_else(|| {
                    (
                        name.clone(),
                        format!("{cell:?} is neither an RFC 3339 time nor YYYY-MM-DD"),
                    )
                })?)
            }
            _ => Value::String(cell.into()),
        };
        map.insert(name.clone(), value);
    }
    for (base, by_lang) in localised {
        if base == "requirements" {
            // [Text]: the n-th requirement in every language.
            let langs = by_lang.as_object().cloned().unwrap_or_default();
            let most = langs
                .values()
                .filter_map(Value::as_array)
                .map(Vec::len)
                .max()
                .unwrap_or(0);
            let list: Vec<Value> = (0..most)
                .map(|i| {
                    let mut text = Map::new();
                    for (lang, items) in &langs {
                        if let Some(item) = items.get(i) {
                            text.insert(lang.clone(), item.clone());
                        }
                    }
                    Value::Object(text)
                })
                .collect();
            map.insert(base, Value::Array(list));
        } else {
            map.insert(base, by_lang);
        }
    }
    Ok(Value::Object(map))
}

fn time(cell: &str, end_of_day: bool, tz: &jiff::tz::TimeZone) -> Option<String> {
    if let Ok(stamp) = cell.parse::<jiff::Timestamp>() {
        return Some(stamp.to_string());
    }
    let date: jiff::civil::Date = cell.parse().ok()?;
    let date = if end_of_day {
        date.tomorrow().ok()?
    } else {
        date
    };
    Some(date.to_zoned(tz.clone()).ok()?.timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(csv: &str) -> Result<(Report, Vec<crate::db::NewItem>), ApiError> {
        let sites = HashSet::from(["matera".to_string()]);
        check(
            csv.as_bytes(),
            &sites,
            &jiff::tz::TimeZone::get("Europe/Rome").unwrap(),
            true,
        )
    }

    #[test]
    fn good_rows_pass_and_each_bad_row_is_named_with_its_field() {
        let csv = "id,title,title_en,posted_at,expires_at,contract,positions,requirements,requirements_en,site\n\
                   v1,Saldatore,Welder,2026-12-01,2026-12-31,permanent,2,Patentino|Turni,Licence|Shifts,matera\n\
                   v2,Cuoco,,ieri,,,1,,,\n\
                   v3,Autista,,2026-12-01T08:00:00+01:00,,fixed_term,zero,,,\n\
                   v4,Magazziniere,,2026-12-01,,permanent,1,,,potenza\n\
                   v1,Doppione,,2026-12-01,,,1,,,\n\
                   v6,,,2026-12-01,,,1,,,\n";
        let (report, items) = run(csv).unwrap();
        assert_eq!(report.rows, 6);
        assert_eq!(report.imported, 1);
        let named: Vec<(usize, &str)> = report
            .errors
            .iter()
            .map(|e| (e.row, e.field.as_str()))
            .collect();
        assert_eq!(
            named,
            vec![
                (3, "posted_at"),
                (4, "positions"),
                (5, "site"),
                (6, "id"),
                (7, "title")
            ]
        );
        let body: Value = serde_json::from_str(&items[0].body).unwrap();
        assert_eq!(
            body["title"],
            serde_json::json!({"it": "Saldatore", "en": "Welder"})
        );
        assert_eq!(
            body["requirements"][1],
            serde_json::json!({"it": "Turni", "en": "Shifts"})
        );
        assert_eq!(body["posted_at"], "2026-11-30T23:00:00Z");
        assert_eq!(
            body["expires_at"], "2026-12-31T23:00:00Z",
            "a date expires at its end"
        );
        assert_eq!(items[0].scope.site_id.as_deref(), Some("matera"));
    }

    #[test]
    fn an_unknown_column_refuses_the_file() {
        let err = run("id,title,posted_at,salary\nv1,x,2026-12-01,1000\n").unwrap_err();
        assert!(err.to_string().contains("\"salary\""), "{err}");
        let err = run("id,posted_at\nv1,2026-12-01\n").unwrap_err();
        assert!(err.to_string().contains("\"title\""), "{err}");
    }
}
