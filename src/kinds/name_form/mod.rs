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
//! The names list (`crate::names`: the built-in list with a newsroom's on
//! top) is evidence too, and more: a listed variant spelling is reported
//! with the listed one as its fix, and a listed person needs no full name
//! when the list lets the surname stand alone or a listed title stands
//! with it (see `list.rs`).
//!
//! Work is linear: one pass to collect mentions, one to check them with hash
//! maps; edit-distance comparisons are made only against the distinct
//! surnames of the story (a few dozen at most).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::ops::Range;
use std::sync::Arc;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::{Document, Span, WordSet};
use crate::finding::Fix;
use crate::names::Names;

mod index;
mod list;
mod mentions;
mod people;
mod policy;

use index::*;
use list::{Listed, NamesList, Resolved};
use mentions::*;
use policy::{Policy, Preferred};

pub const SPEC: KindSpec = KindSpec {
    name: "name-form",
    summary: "inconsistent references to people: first reference, spelling, honorifics",
    params: File::PARAMS,
    parse,
    cost: 3,
};

crate::rule_file!(File {
    /// How a person is referred to after the full name: `surname` (wire
    /// style, the surname alone), `honorific` ("Ms Okafor") or `consistent`
    /// (whatever the story does first for a person, it does throughout for
    /// that person). Default `consistent`.
    #[serde(default)]
    policy: Policy,
    /// Words that stand before a name and say a person is meant ("Mayor",
    /// "Senator"); they are not part of the name. Case does not matter
    /// before a capitalised name. Default none.
    #[serde(default)]
    titles: Vec<String>,
    /// Honorifics ("Mr", "Ms"), judged against `policy`; a final full stop
    /// is optional. Default none.
    #[serde(default)]
    honorifics: Vec<String>,
    /// Lower-case words that belong inside a name ("de la" in "de la
    /// Cruz", "van der"). Default none.
    #[serde(default)]
    particles: Vec<String>,
    /// Words that make a capitalised phrase an organisation or a place
    /// ("Trust", "Valley", "Fort"), not a person. Default none.
    #[serde(default)]
    organisation_words: Vec<String>,
    /// Capitalised words that are never part of a person's name. Default
    /// none.
    #[serde(default)]
    not_names: Vec<String>,
    /// Verbs next to a name that show a person is meant ("said", "told").
    /// Default none.
    #[serde(default)]
    speech_verbs: Vec<String>,
    /// Titles that may stand with a single name ("King Charles", "Pope
    /// Francis"). Default none.
    #[serde(default)]
    mononym_titles: Vec<String>,
    /// Titles that stand where an honorific would on a later reference
    /// ("Dr Rahman", "Prof Marsh" in British copy): for honorific style they
    /// count as one. Default none.
    #[serde(default)]
    courtesy_titles: Vec<String>,
    /// Words that name a kind of work: a capitalised run after one (or
    /// after one and "called", "named", "titled" or "entitled") is a title,
    /// not a person ("the film Private Benjamin", "a film called Private
    /// Benjamin"). Default none.
    #[serde(default)]
    work_words: Vec<String>,
    /// Words for a relative ("mother", "wife"): a person introduced after
    /// one, in a later sentence than a namesake, is the namesake's relative,
    /// and a bare surname still means the namesake. Default none.
    #[serde(default)]
    relation_words: Vec<String>,
    /// Nouns for an organisation ("firm", "chain"): an apposition with one
    /// ("Kestrel, the software firm, said") is no person's role. Default
    /// none.
    #[serde(default)]
    organisation_nouns: Vec<String>,
    /// The edit distance at which two surnames count as one name spelled
    /// two ways (one more for surnames of eight letters or more). Default 1.
    #[serde(default = "default_distance")]
    max_distance: usize,
    /// Surnames shorter than this are never compared for spelling (2 at
    /// least). Default 4.
    #[serde(default = "default_min_len")]
    min_surname_length: usize,
});

crate::param_enum!(Policy);

fn default_distance() -> usize {
    1
}
fn default_min_len() -> usize {
    4
}

#[derive(Debug, Clone)]
struct NameForm {
    policy: Policy,
    particles: WordSet,
    speech: WordSet,
    /// Words that name a kind of work ("film", "novel"), lower case: a
    /// capitalised run after one is a title.
    works: WordSet,
    /// Words for a relative ("mother", "wife"), lower case.
    relations: WordSet,
    /// Nouns for an organisation ("firm", "chain"), lower case: an
    /// apposition with one is no person's role.
    org_nouns: WordSet,
    mononym_titles: HashSet<String>,
    courtesy_titles: HashSet<String>,
    /// The names list (see `list.rs`).
    list: NamesList,
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
    Ok((common, Box::new(NameForm::from_file(f))))
}

impl NameForm {
    fn from_file(f: File) -> NameForm {
        let set = |v: Vec<String>| -> HashSet<String> {
            v.into_iter()
                .map(|s| s.trim_end_matches('.').to_string())
                .collect()
        };
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
        let mut nf = NameForm {
            policy: f.policy,
            particles: WordSet::new(f.particles),
            listed,
            speech: WordSet::new(f.speech_verbs),
            works: WordSet::new(f.work_words),
            relations: WordSet::new(f.relation_words),
            org_nouns: WordSet::new(f.organisation_nouns),
            mononym_titles: set(f.mononym_titles),
            courtesy_titles: set(f.courtesy_titles),
            list: NamesList::default(),
            max_distance: f.max_distance,
            min_len: f.min_surname_length.max(2),
        };
        nf.set_names(&Names::builtin());
        nf
    }

    /// Read the names list `names`: its people, and their titles as titles
    /// before any name.
    fn set_names(&mut self, names: &Names) {
        self.list = NamesList::new(names, &self.particles);
        for t in NamesList::title_words(names) {
            *self.listed.entry(t).or_default() |= TITLE;
        }
    }
}

/// Whether the word before byte `at` makes the name after it a thing's: "a
/// drink called Santorum", "the Earl of Carnarvon".
fn named_as_a_thing(doc: &Document, at: usize) -> bool {
    thing_word(word_before(doc, at))
}

/// A word before a name that makes it a thing's (see `named_as_a_thing`).
fn thing_word(word: &str) -> bool {
    matches!(
        word,
        "called" | "named" | "dubbed" | "a" | "an" | "of" | "by" | "from" | "at" | "in"
    )
}

/// The word that ends just before byte `at` ("" when none does).
fn word_before<'d>(doc: &'d Document, at: usize) -> &'d str {
    doc.text[..at]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
}

/// Does a name within its sentence stand where a person is named in
/// passing (", Rose scoring twice", "a pass for Okoro", "Okoro's header"),
/// rather than after an article or a preposition of place that makes it
/// a thing or a place ("the Okoro Trust", "at Wood", "moved to Preston"),
/// or before a noun it qualifies ("the first Bush administration")?
fn named_in_passing(doc: &Document, span: &Range<usize>) -> bool {
    let word = word_before(doc, span.start);
    let after = doc.text[span.end..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    !thing_word(word)
        && !matches!(
            word,
            "the" | "The" | "into" | "near" | "outside" | "inside" | "across" | "to" | "on"
        )
        && !matches!(
            after,
            "administration" | "government" | "era" | "years" | "family" | "doctrine" | "estate"
        )
}

/// The index of the sentence that holds byte `at`.
fn sentence_of(doc: &Document, at: usize) -> usize {
    doc.sentences.partition_point(|s| s.span().end <= at)
}

/// A listed variant ("Zelenskyy"), with the listed spelling as its fix.
fn report_listed_variant(
    out: &mut Emitter,
    ms: &Mentions,
    m: &Mention,
    list: &NamesList,
    l: Listed,
) {
    let Listed::Variant { entry, whole, safe } = l else {
        return;
    };
    let e = &list.entries[entry as usize];
    let (span, canon) = if whole {
        (ms.name_span(m), e.name.as_str())
    } else {
        (ms.surname_span(m), e.surname.as_str())
    };
    let detail = format!("the house spelling is \"{canon}\"");
    let f = out.emit(
        span.clone(),
        &[("name", ms.surname(m)), ("detail", &detail)],
    );
    let description = format!("spell it \"{canon}\"");
    f.set_fix(if safe {
        Fix::safe(span, canon, description)
    } else {
        Fix::unsafe_(span, canon, description)
    });
    f.add_note(e.origin());
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

/// What the whole story says of one surname, read before any finding is
/// made: findings go on a person's first reference, which may come before
/// the evidence that a person is meant ("Delaney, the agency's director,
/// said" before "Mr Delaney").
#[derive(Default, Clone, Copy)]
struct Facts {
    /// The first full name with this surname (index into the mentions).
    first_full: Option<u32>,
    /// Whether some full name with this surname is a person's: a known
    /// given name, a title, an honorific or a speech verb with it.
    full_person: bool,
    /// Some reference has an honorific ("Mr Delaney") or a title that wants
    /// a full name ("President Mills").
    wants_full_name: bool,
    /// Some reference has a title that stands with one name ("Lady Hale",
    /// "King Charles"): a peerage or a royal or religious title.
    mononym: bool,
    /// Something says a person is meant.
    person: bool,
    /// References with one name word.
    single: u32,
    /// One of them speaks or has a role: a single reference is enough to
    /// want a full name.
    speaking: bool,
    /// Later references outside quotations with an honorific, and with the
    /// surname alone (for the `consistent` policy).
    honorific_refs: u32,
    bare_refs: u32,
    /// Of the honorific ones, how many use each of `policy::FEMALE_FORMS`.
    female_forms: [u32; policy::FEMALE_FORMS.len()],
}

impl NameForm {
    fn is_mononym(&self, ms: &Mentions, m: &Mention) -> bool {
        m.prefix == Prefix::Title
            && (m.has(FORMAL)
                || ms
                    .prefix_word(m)
                    .is_some_and(|w| self.mononym_titles.contains(w)))
    }

    /// How a reference is styled, for honorific style: a courtesy title
    /// ("Dr Rahman") counts as an honorific; other titles ("Mayor Okafor")
    /// are neither an honorific nor a bare surname.
    fn style(&self, ms: &Mentions, m: &Mention) -> Prefix {
        match ms.prefix_word(m) {
            Some(w)
                if m.prefix == Prefix::Title
                    && self.courtesy_titles.contains(w.trim_end_matches('.')) =>
            {
                Prefix::Honorific
            }
            _ => m.prefix,
        }
    }

    /// A full name that is a person's: its first name word is a known given
    /// name or an initial, a title, an honorific or a speech verb stands
    /// with it, or it is on the names list (`listed`).
    fn full_person(&self, ms: &Mentions, m: &Mention, listed: Listed) -> bool {
        m.has(GIVEN)
            || m.prefix != Prefix::None
            || (m.has(SPEECH) && !people::is_given_name(ms.surname(m)))
            || listed != Listed::No
    }

    fn facts(&self, ms: &Mentions, resolved: &Resolved) -> Vec<Facts> {
        let mut facts = vec![Facts::default(); ms.names.len()];
        for (i, m) in ms.list.iter().enumerate() {
            if m.has(NOT_PERSON) || (m.has(DISPLAY) && !m.is_full()) {
                continue;
            }
            let f = &mut facts[m.key as usize];
            if m.is_full() {
                f.first_full.get_or_insert(i as u32);
                if self.full_person(ms, m, resolved.at(i)) {
                    f.full_person = true;
                    f.person = true;
                }
                continue;
            }
            f.single += 1;
            f.speaking |= m.has(SPEECH);
            if !m.in_quote() {
                match self.style(ms, m) {
                    Prefix::Honorific => {
                        f.honorific_refs += 1;
                        if let Some(form) = policy::female_form(ms.prefix_word(m)) {
                            f.female_forms[form] += 1;
                        }
                    }
                    Prefix::None => f.bare_refs += 1,
                    Prefix::Title => {}
                }
            }
            if self.is_mononym(ms, m) {
                f.mononym = true;
            } else {
                f.wants_full_name |=
                    (m.prefix != Prefix::None && !m.has(LOWER_PREFIX)) || m.has(ROLE);
            }
            f.person |= m.own_evidence() || resolved.at(i) != Listed::No;
        }
        facts
    }
}

impl Check for NameForm {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let ms = self.mentions(doc);
        if ms.list.is_empty() {
            return;
        }
        // Lookups below go by interned surname key.
        let keys = ms.names.len();
        let resolved = self.list.resolve(&ms);
        let facts = self.facts(&ms, &resolved);
        // Every surname given with a person's full name, for variants of
        // later names. (Built on first use: most stories never need it.)
        let variants = Variants::new(self.max_distance + 1);
        let all_full = std::cell::OnceCell::new();
        let all_full = || {
            all_full.get_or_init(|| {
                let mut index = CloseIndex::new(&variants, self.min_len);
                for (key, f) in facts.iter().enumerate() {
                    if f.full_person {
                        index.insert(ms.names.get(key as u32));
                    }
                }
                index
            })
        };
        // Every given name of the story's full names, lower-cased: a bare
        // given name that is no one's ("Rose" with only "Danny Rose") is
        // the surname of the person who has it. (Built on first use.)
        let story_given = std::cell::OnceCell::new();
        let story_given = || {
            story_given.get_or_init(|| {
                ms.list
                    .iter()
                    .filter(|m| m.is_full())
                    .flat_map(|m| ms.given_words(m))
                    .map(str::to_lowercase)
                    .collect::<HashSet<String>>()
            })
        };
        // Surnames introduced so far.
        let mut introduced_index = CloseIndex::new(&variants, self.min_len);
        let (mut close_introduced, mut close_full) = (CloseCache::default(), CloseCache::default());

        // By surname key.
        let mut introduced: HashMap<u32, Vec<Person>> = HashMap::default();
        let mut given_names: HashSet<String> = HashSet::default();
        // One finding per surname and problem.
        let mut reported_first = vec![false; keys];
        let mut reported_ambiguous = vec![false; keys];
        let mut styles = policy::Styles::default();
        // The style most later references to the story's people keep (a
        // capitalised word that opens a sentence, "Rain fell", is a bare
        // reference of no one's).
        let (hon, bare) = facts
            .iter()
            .filter(|f| f.full_person)
            .fold((0, 0), |(h, b), f| (h + f.honorific_refs, b + f.bare_refs));
        let story_style = match hon.cmp(&bare) {
            Ordering::Greater => Some(Prefix::Honorific),
            Ordering::Less => Some(Prefix::None),
            Ordering::Equal => None,
        };

        for (i, m) in ms.list.iter().enumerate() {
            if m.has(NOT_PERSON) || (m.has(DISPLAY) && !m.is_full()) {
                continue;
            }
            let surname = ms.surname(m);
            let key = ms.key(m);
            let f = facts[m.key as usize];
            let listed = resolved.at(i);
            if m.is_full() {
                if !self.full_person(&ms, m, listed) {
                    continue;
                }
                match listed {
                    Listed::Variant { .. } => {
                        report_listed_variant(out, &ms, m, &self.list, listed);
                    }
                    // Spelled as listed: no slip for a close name of the story.
                    Listed::Person(_) => {}
                    // Spelled two ways: a close surname introduced with the
                    // same given name.
                    Listed::No => {
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
                    }
                }
                introduced_index.insert(key);
                let list = introduced.entry(m.key).or_default();
                // A relative introduced in a later sentence than the person
                // ("Felix Baumgartner ... his mother, Ava Baumgartner") leaves
                // the bare surname to the person the story is about.
                // So is one introduced in the same sentence unless the two
                // are joined by "and" ("Mira Haddad and her brother Sami
                // Haddad" are two people the story may mean).
                let relative = m.has(RELATIVE)
                    && list.first().is_some_and(|p| {
                        let (a, b) = (p.span(&ms), ms.name_span(m));
                        sentence_of(doc, a.start) < sentence_of(doc, b.start)
                            || (a.end <= b.start
                                && !doc
                                    .slice(&(a.end..b.start))
                                    .split_whitespace()
                                    .any(|w| w == "and"))
                    });
                if !relative && !list.iter().any(|p| p.same_given(&ms, ms.given_words(m))) {
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
            // A listed variant is a slip wherever it stands.
            if let Listed::Variant { .. } = listed {
                report_listed_variant(out, &ms, m, &self.list, listed);
                continue;
            }
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
                if !m.in_quote() {
                    let preferred = match f.honorific_refs.cmp(&f.bare_refs) {
                        Ordering::Greater => Some(Preferred::Person(Prefix::Honorific)),
                        Ordering::Less => Some(Preferred::Person(Prefix::None)),
                        Ordering::Equal => story_style.map(Preferred::Story),
                    };
                    let style = self.style(&ms, m);
                    if style == Prefix::Honorific
                        && policy::mixed_female_form(&ms, m, &f.female_forms, &mut styles, out)
                    {
                        continue;
                    }
                    self.policy
                        .check(&ms, m, style, preferred, &mut styles, out);
                }
                continue;
            }
            if given_names.contains(key) {
                continue;
            }
            // A listed person: introduced by a full name in another listed
            // spelling, or needing none.
            let listed_person = match listed {
                Listed::Person(e) => {
                    let full = resolved.first_full[e as usize];
                    if full.is_some_and(|f| (f as usize) < i)
                        || resolved.needs_no_full_name(&self.list, e)
                    {
                        continue;
                    }
                    Some((e, full))
                }
                _ => None,
            };
            let later_full = f.first_full.or(listed_person.and_then(|(_, full)| full));
            // A name that opens its sentence, where the story's people stand,
            // is taken for one when its spelling is a person's but for a slip.
            let is_person = m.own_evidence() || f.person || m.has(SUBJECT);
            // Close to a surname already introduced: a misspelling (unless
            // this form is itself a full name somewhere: another person, or
            // spelled as the names list has it).
            let earlier = close_introduced
                .close(self, &ms, &introduced_index, m.key)
                .filter_map(|k| introduced.get(&k).and_then(|ps| ps.first().copied()))
                .min_by_key(|p| p.span(&ms).start)
                .filter(|_| listed_person.is_none());
            // A title the person was not introduced with names someone
            // else: "Dr Clayton" is not a slip for "Eric Clapton".
            if let Some(p) = earlier
                && later_full.is_none()
                && is_person
                && (m.prefix != Prefix::Title
                    || ms.prefix_word(p.mention(&ms)) == ms.prefix_word(m))
            {
                report_variant(out, &ms, m, p);
                continue;
            }
            if m.in_quote() {
                continue;
            }
            let mononym = self.is_mononym(&ms, m);
            // The full name comes later: reported once, at the first
            // reference that is plainly the person's (a peer's title with
            // one name is a proper first reference).
            if let Some(later) = later_full {
                if later as usize > i
                    && (f.full_person || listed_person.is_some())
                    && (m.own_evidence()
                        || listed_person.is_some()
                        || (m.has(SUBJECT) && !named_as_a_thing(doc, ms.full_span(m).start))
                        || (f.full_person
                            && ms.list[later as usize].has(GIVEN)
                            && named_in_passing(doc, &ms.full_span(m))))
                    && (m.prefix != Prefix::None
                        || !people::is_given_name(surname)
                        || !story_given().contains(key))
                    && !mononym
                    && !std::mem::replace(&mut reported_first[m.key as usize], true)
                {
                    let full = &ms.list[later as usize];
                    let detail = format!(
                        "\"{surname}\" is used before the full name \"{}\" appears",
                        ms.full_name(full)
                    );
                    let f = out.emit(ms.full_span(m), &[("name", surname), ("detail", &detail)]);
                    f.add_label(ms.name_span(full), "full name first appears here");
                }
                continue;
            }
            // A close variant of a full name that comes later.
            if m.own_evidence()
                && listed_person.is_none()
                && let Some(k) = close_full.close(self, &ms, all_full(), m.key).next()
                && let Some(later) = facts[k as usize].first_full
                && (m.prefix != Prefix::Title
                    || ms.prefix_word(&ms.list[later as usize]) == ms.prefix_word(m))
            {
                let later = &ms.list[later as usize];
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
            // Never given a full name: when an honorific, a title or a role
            // says a person is meant (somewhere in the story) and the story
            // comes back to them or quotes them, reported at the first
            // reference; not for a peer, a royal, a cleric or a judge known
            // by one name. (One passing reference, "under President Bush",
            // is how copy names the well known.) A listed person is a
            // person who has a full name.
            if (f.wants_full_name || listed_person.is_some())
                && (f.single >= 2 || f.speaking)
                && !f.mononym
                && (m.prefix != Prefix::None || !people::is_given_name(surname))
                && !std::mem::replace(&mut reported_first[m.key as usize], true)
            {
                // A listed person's first reference may be in another
                // listed spelling ("Governor Gritsenko" before "Hrytsenko").
                let first = listed_person
                    .and_then(|(e, _)| resolved.first_ref[e as usize])
                    .filter(|&r| (r as usize) < i)
                    .map_or(m, |r| &ms.list[r as usize]);
                let written = ms.surname(first);
                let shown = match ms.prefix_word(first) {
                    Some(p) if first.own_evidence() => format!("{p} {written}"),
                    _ => written.to_string(),
                };
                let mut detail = format!("\"{shown}\" is never given a full name in the story");
                if let Some((e, _)) = listed_person {
                    detail += &format!(
                        " (the names list has {})",
                        self.list.entries[e as usize].name
                    );
                }
                let span = if first.own_evidence() {
                    ms.full_span(first)
                } else {
                    ms.surname_span(first)
                };
                out.emit(span, &[("name", written), ("detail", &detail)]);
            }
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["name", "detail"]
    }

    fn fixable(&self) -> bool {
        true
    }

    fn with_names(&self, names: &Arc<Names>) -> Option<Box<dyn Check>> {
        let mut nf = self.clone();
        nf.set_names(names);
        Some(Box::new(nf))
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{Document, Options};
    use crate::rule::Rule;

    /// The shipped rule with another honorific policy.
    pub(super) fn rule_with(policy: &str) -> Rule {
        let text = crate::testing::shipped_rule("name-form")
            .replace("policy = \"consistent\"", &format!("policy = \"{policy}\""));
        Rule::parse("name-form", "test", &text).expect("parses")
    }

    /// The shipped rule reading the built-in names list with `list` (a
    /// names file's text) on top.
    pub(super) fn rule_with_names(list: &str) -> Rule {
        let mut rule = rule_with("consistent");
        let mut names = (*crate::names::Names::builtin()).clone();
        names.extend(&crate::names::Names::parse("names.toml", list).expect("the list parses"));
        rule.apply_names(&std::sync::Arc::new(names));
        rule
    }

    pub(super) fn messages(rule: &Rule, text: &str) -> Vec<String> {
        let doc = Document::new(text, "t.txt", &Options::default());
        rule.run(&crate::check::Context::new(&doc, &Default::default()))
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    /// A name-form check with empty word lists.
    pub(super) fn shipped() -> super::NameForm {
        let text = crate::testing::shipped_rule("name-form");
        let (_, f) = super::File::parse(text).expect("the shipped rule parses");
        super::NameForm::from_file(f)
    }

    pub(super) fn test_form(max_distance: usize) -> super::NameForm {
        super::NameForm {
            policy: super::Policy::Consistent,
            particles: Default::default(),
            listed: Default::default(),
            speech: Default::default(),
            works: Default::default(),
            relations: Default::default(),
            org_nouns: Default::default(),
            mononym_titles: Default::default(),
            courtesy_titles: Default::default(),
            list: Default::default(),
            max_distance,
            min_len: 4,
        }
    }

    /// The finding for a missing full name goes on the first reference,
    /// bare or titled, once.
    #[test]
    fn a_missing_full_name_is_reported_at_the_first_reference() {
        let rule = rule_with("consistent");
        let text = "Audit\n\nThe audit was late.\n\nDelaney, the agency's director, said it would come in June.\n\n\
                    The board met.\n\nMr Delaney said the delay was regrettable. Mr Delaney left.\n";
        let doc = Document::new(text, "t.txt", &Options::default());
        let found = rule.run(&crate::check::Context::new(&doc, &Default::default()));
        assert_eq!(
            found.len(),
            1,
            "{:?}",
            found.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        assert_eq!(&text[found[0].span.clone()], "Delaney");
        assert!(found[0].span.start < text.find("Mr Delaney").unwrap());
    }

    /// A descriptor is not a first name, and a place is not a person.
    #[test]
    fn descriptors_and_places_make_no_people() {
        let nf = shipped();
        let text = "Match\n\nThe crowd was loud. Scrum-half Dowd kicked the goal, and Air Moldova flew the team to Costa Rica.\n";
        let doc = Document::new(text, "t.txt", &Options::default());
        let ms = nf.mentions(&doc);
        let people: Vec<String> = ms
            .list
            .iter()
            .filter(|m| !m.has(super::NOT_PERSON))
            .map(|m| ms.full_name(m))
            .collect();
        assert_eq!(people, ["Dowd"]);
    }
}
