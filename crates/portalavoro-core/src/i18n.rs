//! UI strings, from the translation files in `assets/i18n/` (embedded, so a
//! kiosk never shows raw keys because a file went missing).

use std::collections::HashMap;

use crate::content::Lang;

/// The translation files shipped with the kiosk: (language, TOML text).
pub const FILES: [(&str, &str); 7] = [
    ("it", include_str!("../../../assets/i18n/it.toml")),
    ("en", include_str!("../../../assets/i18n/en.toml")),
    ("fr", include_str!("../../../assets/i18n/fr.toml")),
    ("es", include_str!("../../../assets/i18n/es.toml")),
    ("ro", include_str!("../../../assets/i18n/ro.toml")),
    ("uk", include_str!("../../../assets/i18n/uk.toml")),
    ("ar", include_str!("../../../assets/i18n/ar.toml")),
];

/// The languages the interface is translated into, in the order offered
/// when kiosk.toml does not choose.
pub fn shipped() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(lang, _)| *lang)
}

/// The language every other file is checked against, and the last fallback.
pub const REFERENCE: &str = "it";

/// All UI strings of every shipped language.
#[derive(Debug, Clone)]
pub struct Translations {
    tables: HashMap<Lang, HashMap<String, String>>,
}

impl Translations {
    /// Loads the embedded files (checked by the tests below).
    pub fn bundled() -> Translations {
        let tables = FILES
            .iter()
            .map(|(lang, text)| {
                let table: HashMap<String, String> = toml::from_str(text)
                    .unwrap_or_else(|err| panic!("assets/i18n/{lang}.toml: {err}"));
                (Lang::new(lang), table)
            })
            .collect();
        Translations { tables }
    }

    pub fn has(&self, lang: &Lang) -> bool {
        self.tables.contains_key(lang)
    }

    /// The string for `key` in `lang`, else in the reference language, else
    /// the key itself (a bug the completeness test catches first).
    pub fn get<'a>(&'a self, lang: &Lang, key: &'a str) -> &'a str {
        [lang.clone(), Lang::new(REFERENCE)]
            .iter()
            .find_map(|l| self.tables.get(l)?.get(key))
            .map_or(key, String::as_str)
    }

    /// A weekday's name in `lang` ("lunedì").
    pub fn weekday(&self, lang: &Lang, day: jiff::civil::Weekday) -> &str {
        self.entry(lang, "weekdays", day.to_monday_zero_offset() as usize)
    }

    /// A month's name in `lang` ("novembre"), from 1 (January).
    pub fn month(&self, lang: &Lang, month: i8) -> &str {
        self.entry(lang, "months", usize::try_from(month - 1).unwrap_or(0))
    }

    /// The entry `index` of the comma list `key` ("" if it has none).
    fn entry<'a>(&'a self, lang: &Lang, key: &'a str, index: usize) -> &'a str {
        self.get(lang, key).split(',').nth(index).unwrap_or("")
    }

    /// A count in words: `{key}_one` for one, `key` (with `{count}`
    /// filled) for any other number.
    pub fn count(&self, lang: &Lang, key: &str, n: usize) -> String {
        let key = if n == 1 {
            format!("{key}_one")
        } else {
            key.to_string()
        };
        self.format(lang, &key, &[("count", &n.to_string())])
    }

    /// As [`get`](Self::get), with `{name}` placeholders filled.
    pub fn format(&self, lang: &Lang, key: &str, args: &[(&str, &str)]) -> String {
        args.iter()
            .fold(self.get(lang, key).to_string(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_language_has_every_key_and_the_same_placeholders() {
        let translations = Translations::bundled();
        let reference = &translations.tables[&Lang::new(REFERENCE)];
        let placeholders = |s: &str| -> BTreeSet<String> {
            s.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|(n, _)| n.to_string())
                .collect()
        };
        for (lang, table) in &translations.tables {
            let keys: BTreeSet<&String> = table.keys().collect();
            let expected: BTreeSet<&String> = reference.keys().collect();
            assert_eq!(keys, expected, "{lang} keys differ from {REFERENCE}");
            for (key, text) in table {
                assert!(!text.trim().is_empty(), "{lang}.{key} is empty");
                assert_eq!(
                    placeholders(text),
                    placeholders(&reference[key]),
                    "{lang}.{key}"
                );
            }
        }
    }

    #[test]
    fn every_language_is_shipped_with_its_own_name() {
        let t = Translations::bundled();
        let names: Vec<&str> = shipped()
            .map(|lang| t.get(&Lang::new(lang), "language_name"))
            .collect();
        assert_eq!(
            names,
            [
                "Italiano",
                "English",
                "Français",
                "Español",
                "Română",
                "Українська",
                "العربية"
            ]
        );
    }

    #[test]
    fn strings_are_translated_not_copied() {
        // A key left in Italian in another file passes the completeness
        // check; words that are the same in every language are few.
        let t = Translations::bundled();
        let it = &t.tables[&Lang::new(REFERENCE)];
        for lang in shipped().filter(|l| *l != REFERENCE) {
            let table = &t.tables[&Lang::new(lang)];
            // Words only: placeholders and the brand are the same anywhere.
            let words = |text: &str| {
                text.split('{')
                    .map(|part| part.split_once('}').map_or(part, |(_, rest)| rest))
                    .collect::<String>()
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count()
            };
            let same: Vec<&String> = it
                .iter()
                .filter(|(key, text)| {
                    *key != "app_title" && table[*key] == **text && words(text) > 6
                })
                .map(|(key, _)| key)
                .collect();
            // Cognates ("Urgente", "Normale") are a few; a copied file
            // is most of them.
            assert!(
                same.len() * 20 <= it.len(),
                "{lang} copies Italian for {same:?}"
            );
        }
    }

    #[test]
    fn date_names_are_complete_in_every_language() {
        let t = Translations::bundled();
        for (lang, _) in FILES {
            let lang = Lang::new(lang);
            assert_eq!(t.get(&lang, "weekdays").split(',').count(), 7, "{lang}");
            assert_eq!(t.get(&lang, "months").split(',').count(), 12, "{lang}");
        }
        let it = Lang::new("it");
        assert_eq!(t.weekday(&it, jiff::civil::Weekday::Monday), "lunedì");
        assert_eq!(t.weekday(&it, jiff::civil::Weekday::Sunday), "domenica");
        assert_eq!(t.month(&it, 1), "gennaio");
        assert_eq!(t.month(&it, 12), "dicembre");
    }

    #[test]
    fn format_fills_placeholders_and_falls_back() {
        let t = Translations::bundled();
        assert_eq!(
            t.format(&Lang::new("en"), "source_hub", &[("time", "10:15")]),
            "Updated from the hub at 10:15"
        );
        assert_eq!(t.get(&Lang::new("fr"), "title_news"), "Actualités");
        assert_eq!(t.get(&Lang::new("de"), "title_news"), "Notizie");
        assert_eq!(t.get(&Lang::new("en"), "no_such_key"), "no_such_key");
        let it = Lang::new("it");
        assert_eq!(t.count(&it, "results_count", 1), "1 offerta");
        assert_eq!(t.count(&it, "results_count", 49), "49 offerte");
        assert_eq!(t.count(&it, "results_count", 0), "0 offerte");
    }
}
