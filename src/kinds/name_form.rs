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
use std::cell::RefCell;
use std::ops::Range;

use serde::Deserialize;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::{Document, Span};

pub const SPEC: KindSpec = KindSpec {
    name: "name-form",
    summary: "inconsistent references to people: first reference, spelling, honorifics",
    parse,
    cost: 3,
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

/// What stood before a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    None,
    Honorific,
    Title,
}

/// A mention of a person, in 24 bytes: a long file has hundreds of
/// thousands. Its name words live in `Mentions::words` and their text in
/// `Mentions::names`, where each distinct word is kept once.
#[derive(Debug, Clone)]
struct Mention {
    /// Name words (possessive stripped), in order: a range of
    /// `Mentions::words`.
    words: (u32, u32),
    /// Lookup key: the surname without case ("de la Cruz" = "De la Cruz"),
    /// interned.
    key: u32,
    /// Title or honorific text (interned), or `NO_PREFIX`.
    prefix_word: u32,
    /// Where the title/honorific plus name starts (it ends with the
    /// surname: see `Mentions::full_span`).
    full_start: u32,
    prefix: Prefix,
    /// The title was a lower-case word before the name ("council member").
    prefix_lower: bool,
    in_quote: bool,
    /// Something says this is a person (a title, a speech verb, an age).
    evidence: bool,
}

const _: () = assert!(std::mem::size_of::<Mention>() == 24);

/// A filter of words (one bit per word, by hash): `may_hold` is true of
/// every word added, and of few others. It has 64 bits for each word it is
/// made for (a power of two), but no fewer than 512 and no more than 65,536
/// (8 KiB): a story has a few dozen openers, and zeroing 8 KiB for each was
/// a tenth of the rule's cost on short texts.
struct OpenerFilter {
    bits: Vec<u64>,
    /// Right shift of the hash that leaves a bit's index.
    shift: u32,
}

impl OpenerFilter {
    fn for_words(n: usize) -> OpenerFilter {
        let bits = n.saturating_mul(64).next_power_of_two().clamp(512, 1 << 16);
        OpenerFilter {
            bits: vec![0; bits / 64],
            shift: 64 - bits.trailing_zeros(),
        }
    }
    /// The bit of the word `b[at..at + len]`: by its first eight bytes and
    /// its length, read with one load where the text allows (a hash of
    /// all its bytes, for every word of a story, cost more than the rest
    /// of the test).
    #[inline]
    fn slot(&self, b: &[u8], at: usize, len: usize) -> usize {
        if len == 0 {
            return 0;
        }
        let key = crate::document::swar::packed_prefix(b, at, len) ^ ((len as u64) << 58);
        // The top bits of the product are the best mixed.
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }
    fn add(&mut self, w: &str) {
        let i = self.slot(w.as_bytes(), 0, w.len());
        self.bits[i / 64] |= 1 << (i % 64);
    }
    /// Whether the filter may hold the word `b[at..at + len]`.
    #[inline]
    fn may_hold(&self, b: &[u8], at: usize, len: usize) -> bool {
        let i = self.slot(b, at, len);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

/// The Fx hash of a word's bytes (for the interner).
fn fx_hash(w: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(w.as_bytes());
    h.finish()
}

/// `Mention::prefix_word` when there is no title or honorific.
const NO_PREFIX: u32 = u32::MAX;

/// One name word of a mention: its text (interned) and its span.
#[derive(Debug, Clone, Copy)]
struct NameWord {
    name: u32,
    span: Span,
}

/// Each distinct string once, numbered in order of first use. The strings
/// are kept one after another in one buffer and found through an
/// open-addressed table of their numbers: no allocation per string (a
/// story names a few dozen people, and a shared string for each cost 1% of
/// the instructions of checking a tree of stories).
#[derive(Default)]
struct Interner {
    /// Every string, one after another.
    text: String,
    /// Of each string: where it is in `text`.
    spans: Vec<(u32, u32)>,
    /// String number + 1 (0: an empty slot), by hash; a power of two long,
    /// at most half full.
    slots: Vec<u32>,
    /// Id of each string's lower-case form, once asked for.
    lower: Vec<Option<u32>>,
}

impl Interner {
    /// The slot that holds `s`, or the empty one where it would go.
    fn slot(&self, s: &str) -> usize {
        let mask = self.slots.len() - 1;
        // The top bits are the best mixed.
        let mut at = (fx_hash(s) >> 32) as usize & mask;
        loop {
            match self.slots[at] {
                0 => return at,
                n if self.get(n - 1) == s => return at,
                _ => at = (at + 1) & mask,
            }
        }
    }

    fn find(&self, s: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.slots[self.slot(s)].checked_sub(1)
    }

    fn id(&mut self, s: &str) -> u32 {
        if self.slots.is_empty() {
            // Room for a story's names at once.
            self.slots = vec![0; 64];
            self.text.reserve(256);
            self.spans.reserve(32);
            self.lower.reserve(32);
        }
        let at = self.slot(s);
        if let Some(id) = self.slots[at].checked_sub(1) {
            return id;
        }
        let id = self.spans.len() as u32;
        let start = crate::document::offset32(self.text.len());
        self.text.push_str(s);
        self.spans
            .push((start, crate::document::offset32(self.text.len())));
        self.lower.push(None);
        self.slots[at] = id + 1;
        if self.spans.len() * 2 > self.slots.len() {
            // Twice the slots, every string filed again.
            self.slots = vec![0; self.slots.len() * 2];
            for n in 1..=self.spans.len() as u32 {
                let at = self.slot(self.get(n - 1));
                self.slots[at] = n;
            }
        }
        id
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, id: u32) -> &str {
        let (a, b) = self.spans[id as usize];
        &self.text[a as usize..b as usize]
    }

    fn lower_id(&mut self, id: u32) -> u32 {
        if let Some(l) = self.lower[id as usize] {
            return l;
        }
        // Lower-cased on the stack when it can be (a new string for each
        // name cost 1% of the allocations of a tree of stories).
        let mut buf = [0u8; 32];
        let (mut on_stack, mut owned) = (0, None);
        {
            let word = self.get(id);
            match crate::document::lower_in(&mut buf, word) {
                // Lower case already: its own form.
                Cow::Borrowed(l) if l.as_ptr() == word.as_ptr() => {
                    self.lower[id as usize] = Some(id);
                    return id;
                }
                Cow::Borrowed(l) => on_stack = l.len(),
                Cow::Owned(l) => owned = Some(l),
            }
        }
        let lower = match &owned {
            Some(l) => l.as_str(),
            None => std::str::from_utf8(&buf[..on_stack]).unwrap_or_default(),
        };
        let l = self.id(lower);
        self.lower[id as usize] = Some(l);
        l
    }
}

/// The words that open the body's sentences, lower-cased, and whether each
/// occurs as written (in lower case) anywhere in the story: "Despite" opens
/// a sentence, but "despite" is an ordinary word.
#[derive(Default)]
struct Openers {
    names: Interner,
    seen: Vec<bool>,
}

impl Openers {
    /// Whether `w` (lower case) opens a sentence and occurs as written.
    fn seen_lower(&self, w: &str) -> bool {
        self.names.find(w).is_some_and(|id| self.seen[id as usize])
    }
}

/// The person mentions of a story, in order, with their words.
#[derive(Default)]
struct Mentions {
    names: Interner,
    words: Vec<NameWord>,
    list: Vec<Mention>,
}

impl Mentions {
    fn words(&self, m: &Mention) -> &[NameWord] {
        &self.words[m.words.0 as usize..m.words.1 as usize]
    }
    fn word(&self, w: &NameWord) -> &str {
        self.names.get(w.name)
    }
    fn surname(&self, m: &Mention) -> &str {
        self.words(m).last().map_or("", |w| self.word(w))
    }
    fn key(&self, m: &Mention) -> &str {
        self.names.get(m.key)
    }
    /// The given names: every name word but the last.
    fn given_words(&self, m: &Mention) -> impl Iterator<Item = &str> {
        let w = self.words(m);
        w[..w.len().saturating_sub(1)].iter().map(|w| self.word(w))
    }
    /// The given name nearest the surname ("Nick" in "Biologist Nick Bos").
    fn near_given(&self, m: &Mention) -> &str {
        let w = self.words(m);
        if w.len() >= 2 {
            self.word(&w[w.len() - 2])
        } else {
            ""
        }
    }
    fn given(&self, m: &Mention) -> String {
        self.given_words(m).collect::<Vec<_>>().join(" ")
    }
    fn full_name(&self, m: &Mention) -> String {
        self.words(m)
            .iter()
            .map(|w| self.word(w))
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn prefix_word(&self, m: &Mention) -> Option<&str> {
        (m.prefix_word != NO_PREFIX).then(|| self.names.get(m.prefix_word))
    }
    /// The title/honorific plus name.
    fn full_span(&self, m: &Mention) -> Range<usize> {
        m.full_start as usize..self.surname_span(m).end
    }
    fn surname_span(&self, m: &Mention) -> Range<usize> {
        // A mention has at least one name word.
        let start = m.full_start as usize;
        self.words(m)
            .last()
            .map_or(start..start, |w| w.span.range())
    }
    /// From the first name word to the end of the surname.
    fn name_span(&self, m: &Mention) -> Range<usize> {
        let w = self.words(m);
        w.first().map_or(0, |w| w.span.start())..self.surname_span(m).end
    }
}

impl Mention {
    fn is_full(&self) -> bool {
        self.words.1 - self.words.0 >= 2
    }
}

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .or_else(|| w.strip_suffix('\'').filter(|s| s.ends_with('s')))
        .or_else(|| w.strip_suffix('\u{2019}').filter(|s| s.ends_with('s')))
        .unwrap_or(w)
}

/// Asked of every word of the body: the common answer (a lower-case ASCII
/// word) is inlined where it is asked.
#[inline(always)]
fn is_capitalised(w: &str) -> bool {
    !plainly_lower(w.as_bytes()) && is_capitalised_rest(w)
}

/// The common answer of `is_capitalised`, from a word's bytes: most words
/// start with a lower-case ASCII letter, and only a particle joined in the
/// first four bytes (see `capitalised_by_chars`) makes one a name.
#[inline(always)]
fn plainly_lower(b: &[u8]) -> bool {
    b.first().is_some_and(u8::is_ascii_lowercase)
        && !b[1..b.len().min(4)]
            .iter()
            .any(|&c| matches!(c, b'-' | b'\'' | 0xe2))
}

#[inline(never)]
fn is_capitalised_rest(w: &str) -> bool {
    let b = w.as_bytes();
    match b.first() {
        None => return false,
        // An ASCII word with a capital first: a name unless all capitals.
        Some(c) if c.is_ascii_uppercase() && w.is_ascii() => {
            let mut rest = b[1..].iter().filter(|c| c.is_ascii_alphabetic()).peekable();
            return rest.peek().is_none() || !rest.all(u8::is_ascii_uppercase);
        }
        _ => {}
    }
    capitalised_by_chars(w)
}

/// `is_capitalised` read character by character (what its fast paths
/// shortcut).
fn capitalised_by_chars(w: &str) -> bool {
    // "al-Assad", "d'Alembert": a short lower-case particle joined to a name.
    if let Some(pos) = w.find(['-', '\'', '\u{2019}'])
        && pos <= 3
        && w[..pos].chars().all(char::is_lowercase)
    {
        let rest = &w[pos..];
        let rest = &rest[rest.chars().next().map_or(0, char::len_utf8)..];
        return capitalised_by_chars(rest);
    }
    let mut chars = w.chars().filter(|c| c.is_alphabetic());
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    // ALL-CAPS words of two or more letters are acronyms, not names.
    let mut rest = chars.peekable();
    rest.peek().is_none() || !rest.all(char::is_uppercase)
}

/// Is `w`, lower-cased, in a set of lower-case words? (No allocation for
/// words that are already lower case.)
fn contains_lower(set: &HashSet<String>, w: &str) -> bool {
    let mut buf = [0u8; 32];
    set.contains(crate::document::lower_in(&mut buf, w).as_ref())
}

fn is_initial(doc: &Document, w: &Span) -> bool {
    let t = doc.slice(&w.range());
    t.chars().count() == 1
        && t.chars().all(char::is_uppercase)
        && doc.text[w.end()..].starts_with('.')
}

impl NameForm {
    /// Whether the word list `flag` (`TITLE` and the rest) holds `w`.
    fn listed_as(&self, w: &str, flag: u8) -> bool {
        self.listed.get(w).is_some_and(|f| f & flag != 0)
    }

    fn is_title(&self, w: &str) -> bool {
        if self.listed_as(w, TITLE) {
            return true;
        }
        let Some(first) = w.chars().next().filter(|c| c.is_lowercase()) else {
            return false;
        };
        // Capitalised on the stack when it fits (an upper case is at most
        // three characters of four bytes).
        let rest = &w[first.len_utf8()..];
        let mut buf = [0u8; 48];
        if rest.len() + 12 > buf.len() {
            return self.listed_as(&capitalise(w), TITLE);
        }
        let mut at = 0;
        for c in first.to_uppercase() {
            at += c.encode_utf8(&mut buf[at..]).len();
        }
        buf[at..at + rest.len()].copy_from_slice(rest.as_bytes());
        match std::str::from_utf8(&buf[..at + rest.len()]) {
            Ok(t) => self.listed_as(t, TITLE),
            Err(_) => self.listed_as(&capitalise(w), TITLE),
        }
    }

    /// Two surnames close enough to be one name spelled two ways (compared
    /// without case; the same letters in other case are the same name).
    fn close(&self, a: &str, b: &str) -> bool {
        let (a, b) = (lower_cow(a), lower_cow(b));
        let (a, b) = (a.as_ref(), b.as_ref());
        if a == b || a.chars().count() < self.min_len || b.chars().count() < self.min_len {
            return false;
        }
        if a.chars().next() != b.chars().next() {
            return false;
        }
        // Plurals and possessive slips are not spelling variants.
        if a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a) {
            return false;
        }
        let limit = if a.chars().count().min(b.chars().count()) >= LONG_NAME {
            self.max_distance + 1
        } else {
            self.max_distance
        };
        strsim::damerau_levenshtein(a, b) <= limit
    }

    /// Collect person mentions from body paragraphs, in order.
    fn mentions(&self, doc: &Document) -> Mentions {
        // A sentence-initial "Despite" is an ordinary word if "despite"
        // occurs too. So: the first words of the body's sentences in lower
        // case, then which of them occur anywhere as written (a lookup in a
        // small set per word, not a set of every word).
        let body = || {
            doc.body_blocks()
                .flat_map(|(_, b)| &doc.sentences[b.sentences()])
        };
        let mut buf = Vec::new();
        // Each opener lower-cased, once, in one buffer (not a string each),
        // and whether it has been seen as written.
        let mut openers = Openers::default();
        for s in body() {
            if let Some(w) = doc.first_word(s) {
                let mut lower = [0u8; 32];
                let w =
                    crate::document::lower_in(&mut lower, strip_possessive(doc.slice(&w.range())));
                openers.names.id(&w);
            }
        }
        openers.seen = vec![false; openers.names.len()];
        // And, to look up few words at all, a bit filter of the openers: a
        // word is looked up only if its bit is set. A long file has
        // thousands of openers, which would let nearly every word past a
        // screen of lengths and first letters alone.
        let mut filter = OpenerFilter::for_words(openers.names.len());
        for id in 0..openers.names.len() as u32 {
            filter.add(openers.names.get(id));
        }
        // (One lookup per word, and no insertion per occurrence of a common
        // word: "the" opens sentences and occurs everywhere.)
        let bytes = doc.text.as_bytes();
        for s in &doc.sentences {
            for w in doc.words_of(s, &mut buf) {
                if !filter.may_hold(bytes, w.start(), w.end() - w.start()) {
                    continue;
                }
                let t = doc.slice(&w.range());
                if t.chars().next().is_some_and(char::is_lowercase)
                    && let Some(id) = openers.names.find(t)
                {
                    openers.seen[id as usize] = true;
                }
            }
        }
        let mut out = Mentions::default();
        // Room for a story's mentions at once (a long file grows thriftily:
        // see `memory::push`).
        out.list.reserve(32);
        out.words.reserve(64);
        let mut name_words = Vec::new();
        for s in body() {
            let words = doc.words_of(s, &mut buf);
            self.sentence_mentions(doc, words, &openers, &mut out, &mut name_words);
        }
        // Held while the mentions are compared: without the room left from
        // growing, up to half of each list on a long file.
        crate::memory::trim(&mut out.list);
        crate::memory::trim(&mut out.words);
        out
    }

    fn sentence_mentions<'d>(
        &self,
        doc: &'d Document,
        words: &[Span],
        openers: &Openers,
        out: &mut Mentions,
        name_words: &mut Vec<(Cow<'d, str>, Range<usize>)>,
    ) {
        let text = doc.text.as_bytes();
        let mut i = 0;
        while i < words.len() {
            // Most words are turned away by their bytes, without being
            // sliced out as text.
            if plainly_lower(&text[words[i].range()]) {
                i += 1;
                continue;
            }
            let w = doc.slice(&words[i].range());
            if !is_capitalised_rest(w) {
                i += 1;
                continue;
            }
            // Grow a run of capitalised words, particles and initials joined
            // by spaces only.
            let mut j = i + 1;
            while j < words.len() {
                let gap = &doc.prose[words[j - 1].end()..words[j].start()];
                let prev = doc.slice(&words[j - 1].range());
                // Whether the previous word is abbreviated is asked only of
                // a gap that opens with a full stop (most gaps are a space).
                let abbreviated = || {
                    is_initial(doc, &words[j - 1])
                        || self.listed_as(prev, HONORIFIC)
                        || self.is_title(prev)
                };
                let gap_ok = !gap.is_empty()
                    && (gap.chars().all(char::is_whitespace)
                        || (gap.starts_with('.')
                            && gap.len() > 1
                            && gap[1..].chars().all(char::is_whitespace)
                            && abbreviated()));
                if !gap_ok {
                    break;
                }
                // A possessive ends a name: "Currie's Larry Pizzi" is two names.
                if strip_possessive(prev).len() != prev.len() {
                    break;
                }
                let next = doc.slice(&words[j].range());
                if is_capitalised(next) {
                    j += 1;
                    continue;
                }
                // Particles ("van der") count only when a capitalised word follows them.
                let mut k = j;
                while k < words.len()
                    && contains_lower(&self.particles, doc.slice(&words[k].range()))
                    && doc.prose[words[k - 1].end()..words[k].start()]
                        .chars()
                        .all(char::is_whitespace)
                {
                    k += 1;
                }
                if k > j
                    && k < words.len()
                    && is_capitalised(doc.slice(&words[k].range()))
                    && doc.prose[words[k - 1].end()..words[k].start()]
                        .chars()
                        .all(char::is_whitespace)
                {
                    j = k + 1;
                } else {
                    break;
                }
            }
            self.classify_run(doc, words, i, j, openers, out, name_words);
            i = j;
        }
    }

    // Indices address three parallel views (word spans, texts, positions).
    #[allow(clippy::needless_range_loop)]
    #[allow(clippy::too_many_arguments)]
    fn classify_run<'d>(
        &self,
        doc: &'d Document,
        words: &[Span],
        start: usize,
        end: usize,
        openers: &Openers,
        out: &mut Mentions,
        name_words: &mut Vec<(Cow<'d, str>, Range<usize>)>,
    ) {
        let text = |k: usize| strip_possessive(doc.slice(&words[k].range()));
        // What the word lists say of each word of the run (on the stack
        // unless the run is very long).
        let mut stack = [0u8; 32];
        let mut heap = Vec::new();
        let flags: &mut [u8] = match stack.get_mut(..end - start) {
            Some(f) => f,
            None => {
                heap.resize(end - start, 0);
                &mut heap
            }
        };
        for (k, f) in (start..end).zip(flags.iter_mut()) {
            *f = self.listed.get(text(k)).copied().unwrap_or(0);
        }
        let flag = |k: usize| flags[k - start];
        let mut s = start;
        // Sentence-initial ordinary words ("Despite", "Officials") drop out.
        if s == 0 {
            let first = text(0);
            let mut buf = [0u8; 32];
            let lower = crate::document::lower_in(&mut buf, first);
            let particle = self.particles.contains(lower.as_ref()) && end > 1;
            if !particle && (flag(0) & NOT_NAME != 0 || openers.seen_lower(&lower)) {
                s += 1;
            }
        }
        if s >= end {
            return;
        }
        // After "the", a capitalised phrase is a thing: "the Pacific Standard".
        if s > 0 && matches!(doc.slice(&words[s - 1].range()), "the" | "The") {
            return;
        }
        // Organisations and places are not people.
        if (s..end).any(|k| flag(k) & ORG != 0) {
            return;
        }
        // Split at words that are never names (days, months...).
        let mut seg_start = s;
        for k in s..end {
            if flag(k) & NOT_NAME != 0 {
                if seg_start < k {
                    let f = &flags[seg_start - start..k - start];
                    self.classify_segment(doc, words, seg_start, k, f, out, name_words);
                }
                seg_start = k + 1;
            }
        }
        if seg_start < end {
            let f = &flags[seg_start - start..];
            self.classify_segment(doc, words, seg_start, end, f, out, name_words);
        }
    }

    /// One segment `a..b` of a run of capitalised words: a mention, if it
    /// holds a name. `flags` are its words' (see `NameForm::listed`), and
    /// `name_words` is a buffer kept across calls.
    #[allow(clippy::needless_range_loop)]
    #[allow(clippy::too_many_arguments)]
    fn classify_segment<'d>(
        &self,
        doc: &'d Document,
        words: &[Span],
        a: usize,
        b: usize,
        flags: &[u8],
        out: &mut Mentions,
        name_words: &mut Vec<(Cow<'d, str>, Range<usize>)>,
    ) {
        let text = |k: usize| strip_possessive(doc.slice(&words[k].range()));
        // The last title or honorific in the run starts the name.
        let mut name_start = a;
        let mut prefix = Prefix::None;
        let mut prefix_word = None;
        let mut prefix_start = words[a].start();
        for k in a..b {
            let t = text(k);
            let f = flags[k - a];
            // A title as listed, or a lower-case word (a particle) whose
            // capitalised form is one (what `is_title` adds).
            let title = f & TITLE != 0
                || (!t.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && self.is_title(t));
            if f & HONORIFIC != 0 {
                name_start = k + 1;
                prefix = Prefix::Honorific;
                prefix_word = Some(t);
                prefix_start = words[k].start();
            } else if title {
                name_start = k + 1;
                prefix = Prefix::Title;
                prefix_word = Some(t);
                prefix_start = words[k].start();
            }
        }
        if name_start >= b {
            return;
        }
        // A lower-case title just before: "council member Dev Sharma".
        let mut prefix_lower = false;
        if prefix == Prefix::None && a > 0 && name_start == a {
            prefix_lower = true;
            let before = doc.slice(&words[a - 1].range());
            if self.is_title(before) {
                prefix = Prefix::Title;
                prefix_word = Some(before);
            }
        }
        name_words.clear();
        for k in name_start..b {
            let t = text(k);
            let span = words[k].start()..words[k].start() + t.len();
            if is_initial(doc, &words[k]) {
                name_words.push((Cow::Owned(format!("{t}.")), span));
            } else {
                name_words.push((Cow::Borrowed(t), span));
            }
        }
        // Particles belong to the surname: "de la Cruz".
        while name_words.len() >= 2
            && contains_lower(&self.particles, &name_words[name_words.len() - 2].0)
        {
            let (last, last_span) = name_words.pop().unwrap_or_default();
            let (part, part_span) = name_words.pop().unwrap_or_default();
            name_words.push((
                Cow::Owned(format!("{part} {last}")),
                part_span.start..last_span.end,
            ));
        }
        // An initial alone is not a surname.
        if name_words.last().is_some_and(|(w, _)| w.ends_with('.')) {
            return;
        }
        let full_span =
            prefix_start.min(name_words[0].1.start)..name_words.last().map_or(0, |w| w.1.end);
        let evidence = prefix != Prefix::None || self.has_evidence(doc, words, a, b);
        let first = out.words.len() as u32;
        for (w, span) in name_words.iter() {
            let name = out.names.id(w);
            crate::memory::push(
                &mut out.words,
                NameWord {
                    name,
                    span: Span::new(span.clone()),
                },
            );
        }
        let surname = out.words.last().map_or(0, |w| w.name);
        let key = out.names.lower_id(surname);
        let prefix_word = prefix_word.map_or(NO_PREFIX, |p| out.names.id(p));
        crate::memory::push(
            &mut out.list,
            Mention {
                words: (first, out.words.len() as u32),
                key,
                prefix_word,
                full_start: crate::document::offset32(full_span.start),
                prefix,
                prefix_lower,
                in_quote: doc.in_quote(full_span.start),
                evidence,
            },
        );
    }

    /// A speech verb next to the name, or an age after it ("Sharma, 44,").
    fn has_evidence(&self, doc: &Document, words: &[Span], a: usize, b: usize) -> bool {
        let near = |k: usize| contains_lower(&self.speech, doc.slice(&words[k].range()));
        if b < words.len() && near(b) {
            return true;
        }
        if a > 0 && near(a - 1) {
            return true;
        }
        if a > 1
            && doc
                .slice(&words[a - 2].range())
                .eq_ignore_ascii_case("according")
        {
            return true;
        }
        if b < words.len() {
            let gap = &doc.prose[words[b - 1].end()..words[b].start()];
            let next = doc.slice(&words[b].range());
            if gap.trim() == "," && next.chars().all(|c| c.is_ascii_digit()) && next.len() <= 3 {
                return true;
            }
        }
        false
    }
}

use crate::document::lower_cow;

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
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

/// From this many letters, two surnames may be one more edit apart.
const LONG_NAME: usize = 8;

/// Up to this many surnames, a `CloseIndex` compares a query with each.
const SCAN_MAX: usize = 48;

/// The first letter and the length in letters of a surname lower-cased, as
/// `NameForm::close` sees them.
fn shape(key: &str) -> (Option<char>, usize) {
    let lower = lower_cow(key);
    (lower.chars().next(), lower.chars().count())
}

/// Finds surnames within a small edit distance of a query without comparing
/// against every surname: each surname is filed under every string made by
/// deleting up to `depth` of its characters, and a query looks up its own
/// deletions (the symmetric-delete method). Candidates are then confirmed by
/// `NameForm::close`.
///
/// A story names a few dozen people, and for so few a comparison with each
/// surname filed is cheaper than making the deletion variants (dozens per
/// surname): up to `SCAN_MAX` surnames, candidates are the surnames with the
/// same first letter and a length within reach, and the deletion index is
/// built only when a document files more. Either way the cost per query is
/// bounded, so the rule stays linear in the number of names.
///
/// It knows `close`'s limits, to look up no more than `close` can accept:
/// surnames shorter than `min_len` are never close to anything, so they are
/// neither filed nor looked up; and a query shorter than `LONG_NAME` letters
/// only accepts `depth - 1` edits, so it looks up fewer, longer variants
/// (which every surname shares with far fewer others).
struct CloseIndex<'v> {
    variants: &'v Variants,
    min_len: usize,
    /// The surnames filed so far.
    keys: Vec<String>,
    /// Of each surname in `keys`, lower-cased: its first letter and its
    /// length in letters (what `close` compares first).
    shapes: Vec<(Option<char>, usize)>,
    known: HashSet<String>,
    /// Hash of each deletion variant -> surnames (indices into `keys`). A
    /// hash collision only adds a candidate, and candidates are confirmed.
    /// Each list is a chain through `links` (no vector per variant: a
    /// story files a few thousand variants, most with one surname).
    map: HashMap<u64, u32>,
    /// (surname, next link or `u32::MAX`).
    links: Vec<(u32, u32)>,
}

/// The deletion variants of a word: to `depth` deletions, and to
/// `depth - 1`.
struct VariantSet {
    all: Vec<u64>,
    near: Vec<u64>,
}

/// Deletion variants by word, made once per story and shared by its
/// indexes: the same surnames recur all through a story.
struct Variants {
    depth: usize,
    cache: RefCell<HashMap<String, std::rc::Rc<VariantSet>>>,
}

impl Variants {
    fn new(depth: usize) -> Variants {
        Variants {
            depth,
            cache: RefCell::default(),
        }
    }

    fn of(&self, word: &str) -> std::rc::Rc<VariantSet> {
        if let Some(v) = self.cache.borrow().get(word) {
            return v.clone();
        }
        let v = std::rc::Rc::new(Variants::deletions(word, self.depth));
        self.cache.borrow_mut().insert(word.to_string(), v.clone());
        v
    }

    /// Hashes of every string made by deleting up to `depth` characters of
    /// `word` (the word itself included), sorted and without repeats; and
    /// the same for up to `depth - 1`.
    ///
    /// A string's hash is its polynomial hash (mod 2^64) mixed with its
    /// length. From the prefix hashes of the word, the hash of each string
    /// with some characters deleted is put together from the kept stretches
    /// in constant time, instead of hashing each variant afresh. Equal
    /// strings always get equal hashes; a collision between different ones
    /// only adds a candidate, which `close` then rejects.
    fn deletions(word: &str, depth: usize) -> VariantSet {
        const BASE: u64 = 0x0000_0100_0000_01b3;
        struct Walk<'a> {
            n: usize,
            depth: usize,
            prefix: &'a [u64],
            power: &'a [u64],
            out: VariantSet,
        }
        impl Walk<'_> {
            /// Hash of characters `a..b` of the word.
            fn stretch(&self, a: usize, b: usize) -> u64 {
                self.prefix[b].wrapping_sub(self.prefix[a].wrapping_mul(self.power[b - a]))
            }
            /// `kept` is the hash of the characters kept before `from`, and
            /// `deleted` how many were deleted; deletions after `from` are
            /// chosen in increasing order, so each set is made once.
            fn walk(&mut self, from: usize, kept: u64, deleted: usize) {
                let n = self.n;
                let whole = kept
                    .wrapping_mul(self.power[n - from])
                    .wrapping_add(self.stretch(from, n));
                let h = mix(whole ^ ((n - deleted) as u64).rotate_left(56));
                self.out.all.push(h);
                if deleted < self.depth {
                    self.out.near.push(h);
                }
                if deleted == self.depth || n - deleted <= 1 {
                    return;
                }
                for i in from..n {
                    let kept = kept
                        .wrapping_mul(self.power[i - from])
                        .wrapping_add(self.stretch(from, i));
                    self.walk(i + 1, kept, deleted + 1);
                }
            }
        }
        /// How many sets of at most `k` of `n` positions (an upper bound on
        /// the variants, to size their vectors once).
        fn subsets(n: usize, k: usize) -> usize {
            let (mut total, mut term) = (1usize, 1usize);
            for i in 0..k.min(n) {
                term = term.saturating_mul(n - i) / (i + 1);
                total = total.saturating_add(term);
            }
            total.min(1 << 16)
        }
        /// A 64-bit finaliser (from MurmurHash3), so the hash map gets
        /// well-spread keys.
        fn mix(mut h: u64) -> u64 {
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 33;
            h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            h ^ (h >> 33)
        }
        let chars: Vec<u64> = word.chars().map(|c| u64::from(c) + 1).collect();
        let n = chars.len();
        let mut prefix = vec![0u64; n + 1];
        let mut power = vec![1u64; n + 1];
        for (i, c) in chars.iter().enumerate() {
            prefix[i + 1] = prefix[i].wrapping_mul(BASE).wrapping_add(*c);
            power[i + 1] = power[i].wrapping_mul(BASE);
        }
        let mut w = Walk {
            n,
            depth,
            prefix: &prefix,
            power: &power,
            out: VariantSet {
                all: Vec::with_capacity(subsets(n, depth)),
                near: Vec::with_capacity(subsets(n, depth.saturating_sub(1))),
            },
        };
        if n > 0 {
            w.walk(0, 0, 0);
        }
        let mut out = w.out;
        for v in [&mut out.all, &mut out.near] {
            v.sort_unstable();
            v.dedup();
        }
        out
    }
}

impl<'v> CloseIndex<'v> {
    fn new(variants: &'v Variants, min_len: usize) -> CloseIndex<'v> {
        CloseIndex {
            variants,
            min_len,
            keys: Vec::new(),
            shapes: Vec::new(),
            known: HashSet::default(),
            map: HashMap::default(),
            links: Vec::new(),
        }
    }

    fn insert(&mut self, key: &str) {
        if key.chars().count() < self.min_len || !self.known.insert(key.to_string()) {
            return;
        }
        self.keys.push(key.to_string());
        self.shapes.push(shape(key));
        // Past `SCAN_MAX` every surname is filed: all of them at the
        // switch, then each as it comes.
        let n = self.keys.len();
        if n == SCAN_MAX + 1 {
            (0..n).for_each(|id| self.file(id));
        } else if self.indexed() {
            self.file(n - 1);
        }
    }

    /// Whether `map` and `links` hold every surname.
    fn indexed(&self) -> bool {
        self.keys.len() > SCAN_MAX
    }

    /// Files surname `id` under each of its deletion variants.
    fn file(&mut self, id: usize) {
        for v in &self.variants.of(&self.keys[id]).all {
            let link = self.links.len() as u32;
            let next = self.map.insert(*v, link).unwrap_or(u32::MAX);
            self.links.push((id as u32, next));
        }
    }

    /// Surnames that may be close to `key`, in a stable order.
    fn candidates(&self, key: &str) -> Vec<&str> {
        let len = key.chars().count();
        if len < self.min_len || self.keys.is_empty() {
            return Vec::new();
        }
        if !self.indexed() {
            // `close` wants the same first letter, and an edit distance of
            // at most `depth`, which is at least the difference in length.
            let (first, letters) = shape(key);
            let mut out: Vec<&str> = self
                .keys
                .iter()
                .zip(&self.shapes)
                .filter(|(k, (f, n))| {
                    *f == first && n.abs_diff(letters) <= self.variants.depth && k.as_str() != key
                })
                .map(|(k, _)| k.as_str())
                .collect();
            out.sort_unstable();
            return out;
        }
        let set = self.variants.of(key);
        let variants = if len < LONG_NAME && self.variants.depth > 0 {
            &set.near
        } else {
            &set.all
        };
        let mut ids: Vec<u32> = Vec::new();
        for v in variants.iter() {
            let mut at = self.map.get(v).copied().unwrap_or(u32::MAX);
            while let Some(&(id, next)) = self.links.get(at as usize) {
                ids.push(id);
                at = next;
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<&str> = ids
            .into_iter()
            .map(|i| self.keys[i as usize].as_str())
            .filter(|k| *k != key)
            .collect();
        out.sort_unstable();
        out
    }
}

/// The surnames of an index close to each surname asked about (by interned
/// key), with how many surnames the index held when they were found. A long
/// file asks about the same surnames again and again, and once its people
/// have all been introduced its index stops growing: the answers stand.
/// (A story with few surnames, whose index compares a query with each, is
/// answered afresh, and lazily: the callers often stop at the first answer,
/// and each costs an edit distance.)
#[derive(Default)]
struct CloseCache {
    found: HashMap<u32, (usize, Vec<u32>)>,
}

impl CloseCache {
    /// The surnames filed in `index` that `NameForm::close` accepts for
    /// surname key `id`, in `CloseIndex::candidates`' order, as keys.
    fn close<'a>(
        &'a mut self,
        nf: &'a NameForm,
        ms: &'a Mentions,
        index: &'a CloseIndex,
        id: u32,
    ) -> impl Iterator<Item = u32> + 'a {
        let key = ms.names.get(id);
        let find = move || {
            index
                .candidates(key)
                .into_iter()
                .filter(move |s| nf.close(s, key))
                .filter_map(|s| ms.names.find(s))
        };
        // One of the two, without a box.
        let (fresh, known) = if index.indexed() {
            // Filing only ever adds surnames, so their number says whether
            // the index has changed since.
            let filed = index.keys.len();
            let (at, found) = self.found.entry(id).or_insert((usize::MAX, Vec::new()));
            if *at != filed {
                *found = find().collect();
                *at = filed;
            }
            (None, Some(found.iter().copied()))
        } else {
            (Some(find()), None)
        };
        fresh
            .into_iter()
            .flatten()
            .chain(known.into_iter().flatten())
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
    fn check(&self, doc: &Context, out: &mut Emitter) {
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

    /// The openers' filter holds every word added, and few others, for the
    /// few openers of a story and the thousands of a long file.
    #[test]
    fn opener_filter_has_no_misses_and_few_false_hits() {
        let pieces = ["a", "e", "th", "qu", "z", "'s", "é"];
        let words: Vec<String> = crate::testing::texts(&pieces, 0x0f17, 9)
            .take(6000)
            .collect();
        for n in [40, 3000] {
            let (added, others) = (&words[..n], &words[3000..]);
            let mut filter = super::OpenerFilter::for_words(n);
            for w in added {
                filter.add(w);
            }
            assert!(
                added
                    .iter()
                    .all(|w| filter.may_hold(w.as_bytes(), 0, w.len()))
            );
            let new: Vec<&String> = others.iter().filter(|w| !added.contains(w)).collect();
            let false_hits = new
                .iter()
                .filter(|w| filter.may_hold(w.as_bytes(), 0, w.len()))
                .count();
            assert!(new.len() > 500, "{}", new.len());
            assert!(
                false_hits * 5 < new.len(),
                "{n}: {false_hits} of {}",
                new.len()
            );
        }
    }

    /// The shipped rule with another honorific policy.
    fn rule_with(policy: &str) -> Rule {
        let text = crate::testing::shipped_rule("name-form")
            .replace("policy = \"consistent\"", &format!("policy = \"{policy}\""));
        Rule::parse("name-form", "test", &text).expect("parses")
    }

    fn messages(rule: &Rule, text: &str) -> Vec<String> {
        let doc = Document::new(text, "t.txt", &Options::default());
        rule.run(&crate::check::Context::new(&doc, &Default::default()))
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    /// A capitalised word that opens a sentence is an ordinary word, not a
    /// name, when it also occurs as written in lower case ("More" here).
    /// Without the lower-case occurrence it is read as a name.
    #[test]
    fn an_opener_seen_in_lower_case_is_not_a_name() {
        let nf = test_form(1);
        let surnames = |extra: &str| {
            let text = format!(
                "Vote\n\nAldo Moro said the talks would go on.\n\n\
                 More delegates arrived on Monday.{extra}\n"
            );
            let doc = Document::new(&text, "t.txt", &Options::default());
            let ms = nf.mentions(&doc);
            let names: Vec<String> = ms.list.iter().map(|m| ms.surname(m).to_string()).collect();
            names
        };
        // (This form has no list of days or pronouns, so "Monday" and
        // "They" count as names too.)
        let more = |names: Vec<String>| names.iter().any(|n| n == "More");
        assert!(!more(surnames(" They wanted more time.")));
        assert!(more(surnames("")));
    }

    /// A lower-case word inside a run whose capitalised form is a title
    /// ends the title there, as a capitalised title does: a particle listed
    /// as a title in capitals ("Van" here, as a newsroom might list "Al").
    #[test]
    fn a_particle_capitalised_as_a_title_starts_the_name() {
        let mut nf = test_form(1);
        nf.particles.insert("van".into());
        let names = |nf: &super::NameForm| {
            let doc = Document::new(
                "Vote\n\nThe panel heard Ana van Dijk on Monday.\n",
                "t.txt",
                &Options::default(),
            );
            let ms = nf.mentions(&doc);
            let names: Vec<(String, bool)> = ms
                .list
                .iter()
                .map(|m| (ms.full_name(m), m.prefix == super::Prefix::Title))
                .collect();
            names
        };
        assert!(names(&nf).contains(&("Ana van Dijk".to_string(), false)));
        nf.listed.insert("Van".into(), super::TITLE);
        assert!(names(&nf).contains(&("Dijk".to_string(), true)));
    }

    /// Strings get the same number each time, numbers in order of first
    /// use, and `find` knows exactly the strings given a number, across
    /// the table's growth.
    #[test]
    fn the_interner_numbers_each_string_once() {
        let pieces = ["O", "ka", "for", "é", "Sh", "arma", "'", " "];
        let mut interner = super::Interner::default();
        let mut seen: std::collections::HashMap<String, u32> = Default::default();
        for t in crate::testing::texts(&pieces, 0x1de7_1f1e, 5).take(3_000) {
            let next = seen.len() as u32;
            let want = *seen.entry(t.clone()).or_insert(next);
            assert_eq!(interner.find(&t).is_some(), want < next, "{t:?}");
            assert_eq!(interner.id(&t), want, "{t:?}");
            assert_eq!(interner.get(want), t);
            assert_eq!(interner.find(&t), Some(want));
        }
        assert_eq!(interner.len(), seen.len());
        assert!(seen.len() > 500, "only {} strings", seen.len());
        assert_eq!(interner.find("not filed"), None);
    }

    /// Remembered answers are those of the index as it is now: a surname
    /// filed after a question was first answered is in the next answer.
    #[test]
    fn remembered_close_surnames_follow_the_index() {
        let nf = test_form(1);
        let mut ms = super::Mentions::default();
        let variants = super::Variants::new(2);
        let mut index = super::CloseIndex::new(&variants, nf.min_len);
        // Enough surnames that the index is built (and answers remembered).
        for n in 0..super::SCAN_MAX + 2 {
            let key = format!("zed{n:03}");
            ms.names.id(&key);
            index.insert(&key);
        }
        assert!(index.indexed());
        let okafor = ms.names.id("okafor");
        let okafar = ms.names.id("okafar");
        let mut cache = super::CloseCache::default();
        let ask = |cache: &mut super::CloseCache, index: &super::CloseIndex| {
            cache.close(&nf, &ms, index, okafor).collect::<Vec<u32>>()
        };
        assert!(ask(&mut cache, &index).is_empty());
        index.insert("okafar");
        assert_eq!(ask(&mut cache, &index), [okafar]);
        assert_eq!(ask(&mut cache, &index), [okafar]);
    }

    /// A name-form check with empty word lists.
    fn test_form(max_distance: usize) -> super::NameForm {
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

    /// The index never misses a surname that `close` accepts: its
    /// candidates, confirmed by `close`, are exactly the keys `close`
    /// accepts when every key is compared (short and long names, one and
    /// two edits, transpositions, repeated letters).
    #[test]
    fn close_index_finds_every_close_surname() {
        let pieces = ["a", "o", "e", "n", "m", "sh", "r", "k", "ar", "ma", "é"];
        for max_distance in [1, 2] {
            let nf = test_form(max_distance);
            let mut found = 0;
            // Compared one by one, at the switch to the index, and indexed.
            for count in [20, super::SCAN_MAX, super::SCAN_MAX + 1, 400] {
                // Generated until `count` surnames are filed (repeats and
                // short ones are not).
                let variants = super::Variants::new(max_distance + 1);
                let mut index = super::CloseIndex::new(&variants, nf.min_len);
                let mut keys: Vec<String> = Vec::new();
                for k in crate::testing::texts(&pieces, 0x5eed_cafe, 7) {
                    if index.keys.len() == count {
                        break;
                    }
                    index.insert(&k);
                    keys.push(k);
                }
                // Filed in the index exactly past the switch.
                assert_eq!(!index.links.is_empty(), index.keys.len() > super::SCAN_MAX);
                for q in crate::testing::texts(&pieces, 0xdead_beef, 7).take(1500) {
                    let mut by_index: Vec<&str> = index
                        .candidates(&q)
                        .into_iter()
                        .filter(|k| nf.close(k, &q))
                        .collect();
                    let mut all: Vec<&str> = keys
                        .iter()
                        .map(String::as_str)
                        .filter(|k| nf.close(k, &q))
                        .collect();
                    by_index.sort_unstable();
                    by_index.dedup();
                    all.sort_unstable();
                    all.dedup();
                    assert_eq!(by_index, all, "{count} keys, query {q:?}");
                    found += all.len();
                }
            }
            // Long names may be one edit further apart than short ones, and
            // may differ in length by that much.
            let variants = super::Variants::new(max_distance + 1);
            let mut index = super::CloseIndex::new(&variants, nf.min_len);
            let far = "vanderbilt".to_string() + &"x".repeat(max_distance + 1);
            let too_far = "vanderbilt".to_string() + &"y".repeat(max_distance + 2);
            index.insert(&far);
            index.insert(&too_far);
            assert_eq!(index.candidates("vanderbilt"), [far.as_str()]);
            assert!(nf.close(&far, "vanderbilt"));
            assert!(found > 150, "too few close pairs to test: {found}");
        }
    }

    /// The fast paths of `is_capitalised` agree with reading by characters,
    /// and `is_title` on the stack with the allocating capitalisation.
    #[test]
    fn capitalisation_fast_paths_agree() {
        let pieces = [
            "a", "B", "al", "d", "-", "'", "\u{2019}", "\u{2014}", "É", "é", "ß", "3", "X", "mc",
            "\u{1c6}",
        ];
        for w in crate::testing::texts(&pieces, 0x0bad_f00d, 6).take(50_000) {
            assert_eq!(
                super::is_capitalised(&w),
                super::capitalised_by_chars(&w),
                "{w:?}"
            );
        }
        let titles: std::collections::HashSet<String> = ["Mayor", "Ab", "Éb", "SSx", "\u{1c4}a"]
            .into_iter()
            .map(String::from)
            .collect();
        let is_title = |w: &str| {
            titles.contains(w)
                || (w.chars().next().is_some_and(char::is_lowercase)
                    && titles.contains(&super::capitalise(w)))
        };
        let nf = super::NameForm {
            listed: titles.iter().map(|t| (t.clone(), super::TITLE)).collect(),
            ..test_form(1)
        };
        for w in [
            "mayor",
            "Mayor",
            "ab",
            "éb",
            "ßx",
            "\u{1c6}a",
            "x",
            "",
            &"m".repeat(60),
        ] {
            assert_eq!(nf.is_title(w), is_title(w), "{w:?}");
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
