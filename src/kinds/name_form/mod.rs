//! `name-form`: inconsistent references to people.
//!
//! The check tracks every person the body names and reports, one finding per
//! mention (the most specific):
//! - a surname spelled two ways (Sharma / Sharmah), unless both forms were
//!   introduced with different first names as different people;
//! - a bare surname after two people sharing it were introduced;
//! - a surname (or title + surname) used before the full name appears;
//! - a person given only a title and surname throughout ("President Mills"),
//!   once, at the first reference;
//! - honorifics against the house policy (`surname`, `honorific`, or
//!   `consistent`).
//!
//! Names are found as runs of capitalised words (with particles such as "de
//! la" and initials such as "J. D."). Runs with an organisation or place word
//! ("Trust", "Valley", "Fort") are not people; titles ("Mayor") are stripped
//! and noted as evidence that a person is meant. Display text (headline, deck,
//! crossheads, captions) is not counted. All word lists are parameters.
//!
//! Work is linear: one pass to collect mentions, one to check them with hash
//! maps; edit-distance comparisons are made only against the distinct
//! surnames of the story (a few dozen at most).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;

use super::{KindError, KindSpec};
use crate::document::{Document, Span};
use crate::rule::{Check, Emitter};

mod index;
mod mentions;

use index::*;
use mentions::*;

pub const SPEC: KindSpec = KindSpec {
    name: "name-form",
    summary: "inconsistent references to people: first reference, spelling, honorifics",
    parse,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
enum Policy {
    /// Wire style: surname alone on later references.
    Surname,
    /// "Ms. Okafor", "Mr Blair" on later references.
    Honorific,
    /// Whatever the story does first, it does throughout.
    #[default]
    Consistent,
}

crate::rule_file!(File {
    #[serde(default)]
    policy: Policy,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    honorifics: Vec<String>,
    #[serde(default)]
    particles: Vec<String>,
    #[serde(default)]
    organisation_words: Vec<String>,
    #[serde(default)]
    not_names: Vec<String>,
    #[serde(default)]
    speech_verbs: Vec<String>,
    #[serde(default)]
    mononym_titles: Vec<String>,
    #[serde(default)]
    known_names: Vec<String>,
    #[serde(default = "default_distance")]
    max_distance: usize,
    #[serde(default = "default_min_len")]
    min_surname_length: usize,
});

fn default_distance() -> usize {
    1
}
fn default_min_len() -> usize {
    4
}

#[derive(Debug)]
struct NameForm {
    policy: Policy,
    particles: HashSet<String>,
    speech: HashSet<String>,
    mononym_titles: HashSet<String>,
    /// Canonical surnames (last word of each known name) and mononyms.
    known_surnames: Vec<String>,
    known_all: HashSet<String>,
    /// Of each word in the titles, the honorifics, the organisation words
    /// or the words that are never names (each without a final full stop),
    /// which of those lists hold it (`HONORIFIC` and the rest): the words of
    /// a run of capitals are looked up once, not once per list.
    listed: HashMap<String, u8>,
    max_distance: usize,
    min_len: usize,
}

const HONORIFIC: u8 = 1;
const TITLE: u8 = 2;
const ORG: u8 = 4;
const NOT_NAME: u8 = 8;

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    let set = |v: Vec<String>| -> HashSet<String> {
        v.into_iter()
            .map(|s| s.trim_end_matches('.').to_string())
            .collect()
    };
    let lower =
        |v: Vec<String>| -> HashSet<String> { v.into_iter().map(|s| s.to_lowercase()).collect() };
    let known_surnames = f
        .known_names
        .iter()
        .filter_map(|n| n.split_whitespace().last().map(str::to_string))
        .collect();
    let known_all = f
        .known_names
        .iter()
        .flat_map(|n| n.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let mut listed: HashMap<String, u8> = HashMap::default();
    for (list, flag) in [
        (f.honorifics, HONORIFIC),
        (f.titles, TITLE),
        (f.organisation_words, ORG),
        (f.not_names, NOT_NAME),
    ] {
        for w in set(list) {
            *listed.entry(w).or_default() |= flag;
        }
    }
    Ok((
        common,
        Box::new(NameForm {
            policy: f.policy,
            particles: lower(f.particles),
            listed,
            speech: lower(f.speech_verbs),
            mononym_titles: set(f.mononym_titles),
            known_surnames,
            known_all,
            max_distance: f.max_distance,
            min_len: f.min_surname_length.max(2),
        }),
    ))
}

/// "Sharmah" is spelled "Sharma" elsewhere, pointing at the introduction.
fn report_variant(out: &mut Emitter, ms: &Mentions, m: &Mention, p: Person) {
    let surname = ms.surname(m);
    let detail = format!("\"{surname}\" is spelled \"{}\" elsewhere", p.surname(ms));
    let f = out.emit(
        ms.surname_span(m),
        &[("name", surname), ("detail", &detail)],
    );
    f.add_label(p.span(ms), format!("introduced as {}", p.name(ms)));
}

impl Person {
    fn mention<'m>(&self, ms: &'m Mentions) -> &'m Mention {
        &ms.list[self.mention as usize]
    }
    fn surname<'m>(&self, ms: &'m Mentions) -> &'m str {
        ms.surname(self.mention(ms))
    }
    /// Given names and surname.
    fn name(&self, ms: &Mentions) -> String {
        format!("{} {}", ms.given(self.mention(ms)), self.surname(ms))
    }
    fn span(&self, ms: &Mentions) -> Range<usize> {
        ms.name_span(self.mention(ms))
    }
    /// Same person: the given names share a word ("Nick" in "Biologist Nick
    /// Bos" and "Nick Bos"; "Elizabeth Quinn Gallagher" and "Elizabeth
    /// Gallagher").
    fn same_given<'a>(&self, ms: &Mentions, mut given: impl Iterator<Item = &'a str>) -> bool {
        let m = self.mention(ms);
        ms.near_given(m).is_empty() || given.any(|g| ms.given_words(m).any(|w| w == g))
    }
}

/// A person introduced by full name: the mention that introduced them (its
/// given names, the one nearest the surname to tell people apart, its
/// surname and span are read from there).
#[derive(Clone, Copy)]
struct Person {
    mention: u32,
}

impl Check for NameForm {
    fn check(&self, doc: &Document, out: &mut Emitter) {
        let ms = self.mentions(doc);
        if ms.list.is_empty() {
            return;
        }
        // Lookups below go by interned surname key.
        let keys = ms.names.len();
        // Evidence that a surname belongs to a person, over the whole story.
        let mut person_surnames = vec![false; keys];
        // The first full name of each surname key (index into the list).
        let mut first_full: Vec<Option<u32>> = vec![None; keys];
        for (i, m) in ms.list.iter().enumerate() {
            if m.evidence {
                person_surnames[m.key as usize] = true;
            }
            if m.is_full() {
                first_full[m.key as usize].get_or_insert(i as u32);
            }
        }
        // Every surname given with a full name, for variants of later names.
        // (Built on first use: most stories never need it.)
        let variants = Variants::new(self.max_distance + 1);
        let all_full = std::cell::OnceCell::new();
        let all_full = || {
            all_full.get_or_init(|| {
                let mut index = CloseIndex::new(&variants, self.min_len);
                for (key, first) in first_full.iter().enumerate() {
                    if first.is_some() {
                        index.insert(ms.names.get(key as u32));
                    }
                }
                index
            })
        };
        // Surnames introduced so far.
        let mut introduced_index = CloseIndex::new(&variants, self.min_len);
        let (mut close_introduced, mut close_full) = (CloseCache::default(), CloseCache::default());

        // By surname key.
        let mut introduced: HashMap<u32, Vec<Person>> = HashMap::default();
        let mut given_names: HashSet<String> = HashSet::default();
        let mut reported_unintroduced = vec![false; keys];
        let mut reported_ambiguous = vec![false; keys];
        // House style seen so far, for the `consistent` policy.
        let mut style: Option<(Prefix, Range<usize>)> = None;

        for (i, m) in ms.list.iter().enumerate() {
            let surname = ms.surname(m);
            let key = ms.key(m);
            if m.is_full() {
                // Spelled two ways: a close surname introduced with the same given name.
                let variant = close_introduced
                    .close(self, &ms, &introduced_index, m.key)
                    .filter_map(|k| introduced.get(&k))
                    .flatten()
                    .find(|p| p.same_given(&ms, ms.given_words(m)))
                    .copied();
                if let Some(p) = variant {
                    report_variant(out, &ms, m, p);
                    continue;
                }
                if let Some(canon) = self.canonical_variant(surname) {
                    let detail = format!("the house spelling is \"{canon}\"");
                    out.emit(
                        ms.surname_span(m),
                        &[("name", surname), ("detail", &detail)],
                    );
                }
                introduced_index.insert(key);
                let list = introduced.entry(m.key).or_default();
                if !list.iter().any(|p| p.same_given(&ms, ms.given_words(m))) {
                    list.push(Person { mention: i as u32 });
                }
                for g in ms.given_words(m) {
                    let mut lower = [0u8; 32];
                    if !given_names.contains(crate::document::lower_in(&mut lower, g).as_ref()) {
                        given_names.insert(g.to_lowercase());
                    }
                }
                continue;
            }

            // A single name word: "Okafor", "Ms. Okafor", "Mayor Okafor".
            if let Some(people) = introduced.get(&m.key) {
                if people.len() >= 2 {
                    // Once per surname: the first bare reference after the
                    // second person appears is the one an editor must fix.
                    if std::mem::replace(&mut reported_ambiguous[m.key as usize], true) {
                        continue;
                    }
                    let names: Vec<String> = people.iter().map(|p| p.name(&ms)).collect();
                    let detail = format!("\"{surname}\" could be {}", names.join(" or "));
                    let f = out.emit(
                        ms.surname_span(m),
                        &[("name", surname), ("detail", &detail)],
                    );
                    for p in people {
                        f.add_label(p.span(&ms), p.name(&ms));
                    }
                    continue;
                }
                if !m.in_quote {
                    self.check_policy(&ms, m, &mut style, out);
                }
                continue;
            }
            if given_names.contains(key) || self.known_all.contains(surname) {
                continue;
            }
            let later_full = first_full[m.key as usize];
            let is_person = m.evidence || person_surnames[m.key as usize];
            // Close to a surname already introduced: a misspelling (unless
            // this form is itself a full name somewhere: another person).
            let earlier = close_introduced
                .close(self, &ms, &introduced_index, m.key)
                .filter_map(|k| introduced.get(&k).and_then(|ps| ps.first().copied()))
                .min_by_key(|p| p.span(&ms).start);
            if let Some(p) = earlier
                && later_full.is_none()
                && is_person
            {
                report_variant(out, &ms, m, p);
                continue;
            }
            if let Some(canon) = self.canonical_variant(surname) {
                let detail = format!("the house spelling is \"{canon}\"");
                out.emit(
                    ms.surname_span(m),
                    &[("name", surname), ("detail", &detail)],
                );
                continue;
            }
            if m.in_quote {
                continue;
            }
            // The full name comes later.
            if let Some(later) = later_full {
                if later as usize > i && is_person {
                    let full = &ms.list[later as usize];
                    let detail = format!(
                        "\"{surname}\" is used before the full name \"{}\" appears",
                        ms.full_name(full)
                    );
                    let f = out.emit(
                        ms.surname_span(m),
                        &[("name", surname), ("detail", &detail)],
                    );
                    f.add_label(ms.name_span(full), "full name first appears here");
                }
                continue;
            }
            // A close variant of a full name that comes later.
            if m.evidence
                && let Some(k) = close_full.close(self, &ms, all_full(), m.key).next()
            {
                let later = &ms.list[first_full[k as usize].expect("a full name") as usize];
                let detail = format!(
                    "\"{surname}\" is spelled \"{}\" elsewhere",
                    ms.surname(later)
                );
                let f = out.emit(
                    ms.surname_span(m),
                    &[("name", surname), ("detail", &detail)],
                );
                f.add_label(ms.name_span(later), "spelled this way here");
                continue;
            }
            // Never introduced: only when a title or honorific says it is a
            // person, and not a royal or religious title used with one name.
            let prefix_word = ms.prefix_word(m);
            let mononym = prefix_word.is_some_and(|w| self.mononym_titles.contains(w));
            if m.prefix != Prefix::None
                && !m.prefix_lower
                && !mononym
                && !std::mem::replace(&mut reported_unintroduced[m.key as usize], true)
            {
                let shown = match prefix_word {
                    Some(p) => format!("{p} {surname}"),
                    None => surname.to_string(),
                };
                let detail = format!("\"{shown}\" is never given a full name in the story");
                out.emit(ms.full_span(m), &[("name", surname), ("detail", &detail)]);
            }
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["name", "detail"]
    }
}

impl NameForm {
    fn canonical_variant(&self, surname: &str) -> Option<&str> {
        if self.known_surnames.iter().any(|k| k == surname) {
            return None;
        }
        self.known_surnames
            .iter()
            .find(|k| self.close(k, surname))
            .map(String::as_str)
    }

    /// Honorific policy on a later reference to an introduced person.
    fn check_policy(
        &self,
        ms: &Mentions,
        m: &Mention,
        style: &mut Option<(Prefix, Range<usize>)>,
        out: &mut Emitter,
    ) {
        if m.prefix == Prefix::Title {
            return;
        }
        let surname = ms.surname(m);
        match self.policy {
            Policy::Surname if m.prefix == Prefix::Honorific => {
                let hon = ms.prefix_word(m).unwrap_or_default();
                out.emit(
                    ms.full_span(m),
                    &[
                        ("name", surname),
                        (
                            "detail",
                            &format!("house style uses the surname alone on later references: \"{surname}\", not \"{hon} {surname}\""),
                        ),
                    ],
                );
            }
            Policy::Honorific if m.prefix == Prefix::None => {
                out.emit(
                    ms.surname_span(m),
                    &[
                        ("name", surname),
                        (
                            "detail",
                            &format!("house style uses an honorific on later references (\"Ms. {surname}\", \"Mr. {surname}\")"),
                        ),
                    ],
                );
            }
            Policy::Consistent => match style {
                None => *style = Some((m.prefix, ms.full_span(m))),
                Some((p, first)) if *p != m.prefix => {
                    let (this, that) = if m.prefix == Prefix::Honorific {
                        ("an honorific", "the surname alone")
                    } else {
                        ("the surname alone", "an honorific")
                    };
                    let f = out.emit(
                        ms.full_span(m),
                        &[
                            ("name", surname),
                            (
                                "detail",
                                &format!("this reference uses {this}, but the story uses {that} elsewhere"),
                            ),
                        ],
                    );
                    f.add_label(first.clone(), "the story's style is set here");
                }
                _ => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{Document, Options};
    use crate::rule::Rule;

    /// The shipped rule with another honorific policy.
    fn rule_with(policy: &str) -> Rule {
        let text = crate::testing::shipped_rule("name-form")
            .replace("policy = \"consistent\"", &format!("policy = \"{policy}\""));
        Rule::parse("name-form", "test", &text).expect("parses")
    }

    fn messages(rule: &Rule, text: &str) -> Vec<String> {
        let doc = Document::new(text, "t.txt", &Options::default());
        rule.run(&doc).into_iter().map(|f| f.message).collect()
    }

    /// A name-form check with empty word lists.
    pub(super) fn test_form(max_distance: usize) -> super::NameForm {
        super::NameForm {
            policy: super::Policy::Consistent,
            particles: Default::default(),
            listed: Default::default(),
            speech: Default::default(),
            mononym_titles: Default::default(),
            known_surnames: Vec::new(),
            known_all: Default::default(),
            max_distance,
            min_len: 4,
        }
    }

    const MIXED: &str = "Story\n\nGrace Okafor was elected in May. Ms. Okafor said the piers were unsafe. Okafor added that work would start soon.\n";

    #[test]
    fn surname_policy_reports_honorifics() {
        let m = messages(&rule_with("surname"), MIXED);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("surname alone"), "{m:?}");
    }

    #[test]
    fn honorific_policy_reports_bare_surnames() {
        let m = messages(&rule_with("honorific"), MIXED);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("honorific"), "{m:?}");
    }

    #[test]
    fn honorific_without_a_period_counts() {
        let text = "Story\n\nTony Blair spoke first. Mr Blair said the vote was close.\n";
        assert!(messages(&rule_with("honorific"), text).is_empty());
        assert_eq!(messages(&rule_with("surname"), text).len(), 1);
    }
}
