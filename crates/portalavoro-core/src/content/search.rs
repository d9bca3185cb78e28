//! Finding a vacancy: filters by sector, town, contract and hours (with the
//! count each choice would give), and a text search that ignores case and
//! accents ("saldatore" finds "Saldatóre", "matera" finds "MATERA").
//!
//! The searchable text of each vacancy is folded once per catalog snapshot
//! ([`Vacancy::search_text`], kept in the vacancy), not once per keystroke:
//! 10,000 vacancies stay instant to filter.

use portalavoro_contract::fold;
use std::collections::{BTreeMap, BTreeSet};

use portalavoro_contract::{Contract, Hours, Vacancy};

/// What the visitor asked for. Empty sets and empty text mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VacancyQuery {
    pub text: String,
    pub sectors: BTreeSet<String>,
    pub towns: BTreeSet<String>,
    pub contracts: BTreeSet<Contract>,
    pub hours: BTreeSet<Hours>,
}

impl VacancyQuery {
    pub fn is_empty(&self) -> bool {
        *self == VacancyQuery::default()
    }
}

/// One filter group, for counting what each of its choices would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Sector,
    Town,
    Contract,
    Hours,
}

/// For every filter group, each value present and how many vacancies it
/// would show, given the text and the *other* groups' choices (so a visitor
/// never picks a chip that leads to nothing without seeing "0").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    pub sectors: Vec<(String, usize)>,
    pub towns: Vec<(String, usize)>,
    pub contracts: Vec<(Contract, usize)>,
    pub hours: Vec<(Hours, usize)>,
}

/// The open vacancies with their folded search text.
#[derive(Debug, Clone)]
pub struct VacancyIndex<'a> {
    entries: Vec<(&'a Vacancy, &'a str)>,
}

impl<'a> VacancyIndex<'a> {
    /// `vacancies` in display order (e.g. [`Catalog::open_vacancies`]).
    ///
    /// [`Catalog::open_vacancies`]: super::Catalog::open_vacancies
    pub fn new(vacancies: Vec<&'a Vacancy>) -> Self {
        let entries = vacancies
            .into_iter()
            .map(|v| (v, v.search_text()))
            .collect();
        VacancyIndex { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The vacancies matching `query`, in index order.
    pub fn search(&self, query: &VacancyQuery) -> Vec<&'a Vacancy> {
        let words = words(&query.text);
        self.entries
            .iter()
            .filter(|(v, text)| matches_text(text, &words) && matches_filters(v, query, None))
            .map(|(v, _)| *v)
            .collect()
    }

    /// Counts per filter value, each group counted without its own choice.
    pub fn facets(&self, query: &VacancyQuery) -> Facets {
        let words = words(&query.text);
        let matching: Vec<&Vacancy> = self
            .entries
            .iter()
            .filter(|(_, text)| matches_text(text, &words))
            .map(|(v, _)| *v)
            .collect();
        fn count<K: Ord + Clone>(
            matching: &[&Vacancy],
            query: &VacancyQuery,
            group: Group,
            key: impl Fn(&Vacancy) -> Option<K>,
        ) -> Vec<(K, usize)> {
            let mut counts: BTreeMap<K, usize> = BTreeMap::new();
            for v in matching {
                if let Some(k) = key(v) {
                    let entry = counts.entry(k).or_default();
                    if matches_filters(v, query, Some(group)) {
                        *entry += 1;
                    }
                }
            }
            counts.into_iter().collect()
        }
        Facets {
            sectors: count(&matching, query, Group::Sector, |v| v.sector.clone()),
            towns: count(&matching, query, Group::Town, |v| v.municipality.clone()),
            contracts: count(&matching, query, Group::Contract, |v| v.contract),
            hours: count(&matching, query, Group::Hours, |v| v.hours),
        }
    }
}

/// The search words, folded; empty words dropped.
fn words(text: &str) -> Vec<String> {
    fold(text).split_whitespace().map(str::to_string).collect()
}

/// Every word appears somewhere in the folded text.
fn matches_text(text: &str, words: &[String]) -> bool {
    words.iter().all(|w| text.contains(w.as_str()))
}

/// Whether `v` passes the query's filters, ignoring one group if asked.
fn matches_filters(v: &Vacancy, q: &VacancyQuery, ignore: Option<Group>) -> bool {
    fn ok<T: Ord>(set: &BTreeSet<T>, value: Option<&T>) -> bool {
        set.is_empty() || value.is_some_and(|v| set.contains(v))
    }
    (ignore == Some(Group::Sector) || ok(&q.sectors, v.sector.as_ref()))
        && (ignore == Some(Group::Town) || ok(&q.towns, v.municipality.as_ref()))
        && (ignore == Some(Group::Contract) || ok(&q.contracts, v.contract.as_ref()))
        && (ignore == Some(Group::Hours) || ok(&q.hours, v.hours.as_ref()))
}

/// One page of a list: the visitor pages through long lists instead of the
/// screen holding thousands of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 0-based.
    pub index: usize,
    pub count: usize,
    /// Items of this page: `start..end` of the whole list.
    pub start: usize,
    pub end: usize,
}

impl Page {
    /// The page `index` (clamped to the last) of `len` items, `size` a page.
    pub fn of(len: usize, size: usize, index: usize) -> Page {
        let size = size.max(1);
        let count = len.div_ceil(size).max(1);
        let index = index.min(count - 1);
        let start = index * size;
        Page {
            index,
            count,
            start,
            end: (start + size).min(len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Text;

    fn vacancy(
        id: &str,
        title: &str,
        sector: &str,
        town: &str,
        contract: Contract,
        hours: Hours,
    ) -> Vacancy {
        Vacancy {
            id: id.into(),
            reference: Some(format!("MT-{id}")),
            title: Text::Localised(vec![
                (crate::content::Lang::new("it"), title.into()),
                (crate::content::Lang::new("en"), format!("{title} (en)")),
            ]),
            employer: Some(format!("Ditta {id}")),
            sector: Some(sector.into()),
            municipality: Some(town.into()),
            contract: Some(contract),
            hours: Some(hours),
            positions: 1,
            description: None,
            requirements: vec![],
            apply_url: None,
            posted_at: "2026-11-20T09:00:00Z".parse().unwrap(),
            expires_at: None,
            folded: Default::default(),
        }
    }

    fn sample() -> Vec<Vacancy> {
        use Contract::*;
        use Hours::*;
        vec![
            vacancy(
                "1",
                "Saldatore",
                "Metalmeccanico",
                "Matera",
                Permanent,
                FullTime,
            ),
            vacancy(
                "2",
                "Cameriere di sala",
                "Turismo",
                "Matera",
                FixedTerm,
                PartTime,
            ),
            vacancy("3", "Cuoco", "Turismo", "Maratea", FixedTerm, FullTime),
            vacancy(
                "4",
                "Perito agrario",
                "Agroalimentare",
                "Policoro",
                Apprenticeship,
                FullTime,
            ),
            vacancy(
                "5",
                "Operaio più qualificato",
                "Metalmeccanico",
                "Melfi",
                Permanent,
                FullTime,
            ),
        ]
    }

    fn ids(found: &[&Vacancy]) -> Vec<String> {
        found.iter().map(|v| v.id.clone()).collect()
    }

    #[test]
    fn the_search_text_is_folded_once_per_snapshot_not_per_keystroke() {
        let vacancies = sample();
        // The list is drawn anew at every keystroke: each time an index.
        let first = VacancyIndex::new(vacancies.iter().collect());
        let again = VacancyIndex::new(vacancies.iter().collect());
        for ((_, a), (_, b)) in first.entries.iter().zip(&again.entries) {
            assert!(std::ptr::eq(*a, *b), "folded again: {a:?}");
        }
        assert!(first.entries[0].1.contains("saldatore"));
    }

    #[test]
    fn search_ignores_case_and_accents_and_needs_every_word() {
        let vacancies = sample();
        let index = VacancyIndex::new(vacancies.iter().collect());
        let search = |text: &str| {
            ids(&index.search(&VacancyQuery {
                text: text.into(),
                ..Default::default()
            }))
        };
        assert_eq!(search("SALDATORE"), ["1"]);
        assert_eq!(search("piu"), ["5"], "ù is matched by u");
        assert_eq!(search("più"), ["5"]);
        assert_eq!(search("matera"), ["1", "2"], "the town is searched");
        assert_eq!(search("turismo maratea"), ["3"], "every word must match");
        assert_eq!(search("ditta 4"), ["4"], "the employer is searched");
        assert_eq!(search("waiter"), Vec::<String>::new());
        assert_eq!(
            search("(en)").len(),
            5,
            "every language of the title is searched"
        );
        assert_eq!(search("   ").len(), 5, "blank text is no filter");
        assert_eq!(search("mt-3"), ["3"], "the reference code is searched");
    }

    #[test]
    fn filters_combine_across_groups_and_within_a_group() {
        let vacancies = sample();
        let index = VacancyIndex::new(vacancies.iter().collect());
        let mut query = VacancyQuery::default();
        query.towns.insert("Matera".into());
        assert_eq!(ids(&index.search(&query)), ["1", "2"]);
        query.towns.insert("Maratea".into());
        assert_eq!(
            ids(&index.search(&query)),
            ["1", "2", "3"],
            "choices in one group are OR"
        );
        query.hours.insert(Hours::FullTime);
        assert_eq!(ids(&index.search(&query)), ["1", "3"], "groups are AND");
    }

    #[test]
    fn facets_count_each_group_without_its_own_choice() {
        let vacancies = sample();
        let index = VacancyIndex::new(vacancies.iter().collect());
        let mut query = VacancyQuery::default();
        query.sectors.insert("Turismo".into());
        let facets = index.facets(&query);
        // Sectors are counted as if no sector were chosen...
        assert_eq!(
            facets.sectors,
            [
                ("Agroalimentare".to_string(), 1),
                ("Metalmeccanico".to_string(), 2),
                ("Turismo".to_string(), 2)
            ]
        );
        // ...other groups within the chosen sector; absent values show 0.
        assert_eq!(
            facets.towns,
            [
                ("Maratea".to_string(), 1),
                ("Matera".to_string(), 1),
                ("Melfi".to_string(), 0),
                ("Policoro".to_string(), 0)
            ]
        );
        assert_eq!(facets.hours, [(Hours::FullTime, 1), (Hours::PartTime, 1)]);
        query.text = "cuoco".into();
        let facets = index.facets(&query);
        assert_eq!(
            facets.sectors,
            [("Turismo".to_string(), 1)],
            "the text narrows every group"
        );
    }

    #[test]
    fn pages_cover_the_list_and_clamp() {
        assert_eq!(
            Page::of(45, 20, 0),
            Page {
                index: 0,
                count: 3,
                start: 0,
                end: 20
            }
        );
        assert_eq!(
            Page::of(45, 20, 2),
            Page {
                index: 2,
                count: 3,
                start: 40,
                end: 45
            }
        );
        assert_eq!(
            Page::of(45, 20, 9).index,
            2,
            "past the end shows the last page"
        );
        assert_eq!(
            Page::of(0, 20, 0),
            Page {
                index: 0,
                count: 1,
                start: 0,
                end: 0
            }
        );
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold("Perché È l'Ora — ȘȚ Ñandú"),
            "perche e l'ora — st nandu"
        );
        assert_eq!(
            fold("Καλημέρα"),
            "καλημέρα",
            "other scripts are only lower-cased"
        );
    }
}
