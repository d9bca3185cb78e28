//! Localised text, as the contract defines it: a plain string, or an object
//! from language tag to string, resolved visitor's language → kiosk default →
//! first entry.

use std::fmt;

/// A language tag such as `it`, `en` or `pt-BR`, stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(String);

impl Lang {
    /// A tag known to be valid (constants, tests).
    pub fn new(tag: &str) -> Self {
        Self::parse(tag).unwrap_or_else(|| panic!("invalid language tag {tag:?}"))
    }

    /// A BCP 47-like tag: 2–3 letters, then optional `-` subtags of 1–8
    /// letters or digits.
    pub fn parse(tag: &str) -> Option<Self> {
        let mut parts = tag.split(['-', '_']);
        let primary = parts.next()?;
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        (primary_ok && rest_ok).then(|| Lang(tag.replace('_', "-").to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary subtag: `pt` for `pt-br`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text that may come in several languages.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    /// One string for every language.
    Plain(String),
    /// Translations in the order the hub sent them (never empty).
    Localised(Vec<(Lang, String)>),
}

/// The result of resolving a [`Text`]: the string, and the language it is in
/// when that is not the one asked for (so the UI can say "in Italian").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved<'a> {
    pub text: &'a str,
    /// `Some` when the visitor's language was missing and another was used.
    pub fallback: Option<&'a Lang>,
}

impl Text {
    /// Parses the wire form; `None` when it is neither a string nor an
    /// object with at least one string value.
    pub fn from_json(value: &serde_json::Value) -> Option<Text> {
        match value {
            serde_json::Value::String(s) => Some(Text::Plain(s.clone())),
            serde_json::Value::Object(map) => {
                let entries: Vec<(Lang, String)> = map
                    .iter()
                    .filter_map(|(tag, text)| Some((Lang::parse(tag)?, text.as_str()?.to_string())))
                    .collect();
                (!entries.is_empty()).then_some(Text::Localised(entries))
            }
            _ => None,
        }
    }

    /// Visitor's language → kiosk default → first entry. A tag also matches
    /// on its primary subtag (`pt-br` finds `pt`).
    pub fn resolve<'a>(&'a self, visitor: &Lang, default: &Lang) -> Resolved<'a> {
        match self {
            Text::Plain(text) => Resolved {
                text,
                fallback: None,
            },
            Text::Localised(entries) => {
                let find = |lang: &Lang| {
                    entries.iter().find(|(tag, _)| tag == lang).or_else(|| {
                        entries
                            .iter()
                            .find(|(tag, _)| tag.primary() == lang.primary())
                    })
                };
                if let Some((_, text)) = find(visitor) {
                    return Resolved {
                        text,
                        fallback: None,
                    };
                }
                let (tag, text) = find(default).unwrap_or(&entries[0]);
                Resolved {
                    text,
                    fallback: Some(tag),
                }
            }
        }
    }

    /// The resolved string alone.
    pub fn get<'a>(&'a self, visitor: &Lang, default: &Lang) -> &'a str {
        self.resolve(visitor, default).text
    }

    /// Every translation, for search across languages.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        let slice: Vec<&str> = match self {
            Text::Plain(text) => vec![text.as_str()],
            Text::Localised(entries) => entries.iter().map(|(_, t)| t.as_str()).collect(),
        };
        slice.into_iter()
    }
}

/// Lower case without diacritics, for matching what a visitor types on a
/// keyboard that may lack accents. Covers the Latin letters of the kiosk's
/// languages (Italian, French, Spanish, Romanian, German, …); other scripts
/// are only lower-cased.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
            'ł' | 'ľ' | 'ĺ' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ŕ' | 'ř' => 'r',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ť' | 'ţ' | 'ț' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            '’' | '‘' | '`' | '´' => '\'',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn it() -> Lang {
        Lang::new("it")
    }
    fn en() -> Lang {
        Lang::new("en")
    }

    #[test]
    fn plain_text_is_the_same_in_every_language() {
        let text = Text::from_json(&json!("Saldatore")).unwrap();
        let r = text.resolve(&en(), &it());
        assert_eq!((r.text, r.fallback), ("Saldatore", None));
    }

    #[test]
    fn visitor_language_then_default_then_first() {
        let text = Text::from_json(&json!({"de": "Schweißer", "it": "Saldatore", "en": "Welder"}))
            .unwrap();
        assert_eq!(text.get(&en(), &it()), "Welder");
        let fr = Lang::new("fr");
        let r = text.resolve(&fr, &it());
        assert_eq!((r.text, r.fallback), ("Saldatore", Some(&it())));
        let r = text.resolve(&fr, &Lang::new("es"));
        assert_eq!((r.text, r.fallback), ("Schweißer", Some(&Lang::new("de"))));
    }

    #[test]
    fn region_subtags_match_their_language() {
        let text = Text::from_json(&json!({"it": "Ciao", "pt": "Olá"})).unwrap();
        assert_eq!(text.get(&Lang::new("pt-BR"), &it()), "Olá");
        assert_eq!(Lang::new("pt_BR").as_str(), "pt-br");
    }

    #[test]
    fn invalid_text_is_rejected() {
        assert!(Text::from_json(&json!(42)).is_none());
        assert!(Text::from_json(&json!({})).is_none());
        assert!(Text::from_json(&json!({"it": 3})).is_none());
        assert!(Text::from_json(&json!(null)).is_none());
    }

    #[test]
    fn language_tags_are_checked() {
        assert!(Lang::parse("it").is_some());
        assert!(Lang::parse("zh-Hant-TW").is_some());
        assert!(Lang::parse("italiano").is_none());
        assert!(Lang::parse("").is_none());
        assert!(Lang::parse("e1").is_none());
    }
}
