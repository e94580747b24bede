//! Mentions: runs of capitalised words read as names, with what stood
//! before them (a title, an honorific) and the evidence around them.

use super::people;
use super::*;
use crate::document::BlockKind;

/// What stood before a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prefix {
    None,
    Honorific,
    Title,
}

/// A mention of a person, in 24 bytes: a long file has hundreds of
/// thousands. Its name words live in `Mentions::words` and their text in
/// `Mentions::names`, where each distinct word is kept once.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    /// Name words (possessive stripped), in order: a range of
    /// `Mentions::words`.
    pub(super) words: (u32, u32),
    /// Lookup key: the surname without case ("de la Cruz" = "De la Cruz"),
    /// interned.
    pub(super) key: u32,
    /// Title or honorific text (interned), or `NO_PREFIX`.
    pub(super) prefix_word: u32,
    /// Where the title/honorific plus name starts (it ends with the
    /// surname: see `Mentions::full_span`).
    pub(super) full_start: u32,
    pub(super) prefix: Prefix,
    /// What the words around the name say (`IN_QUOTE` and the rest).
    pub(super) flags: u16,
}

/// The title was a lower-case word before the name ("council member").
pub(super) const LOWER_PREFIX: u16 = 1;
/// The mention is inside a quotation.
pub(super) const IN_QUOTE: u16 = 2;
/// A speech verb, "according to", an age or an apposition beside the name
/// says a person is meant ("Okafor said", "Sharma, 44,", "Delaney, the
/// agency's director,").
pub(super) const SPEECH: u16 = 4;
/// The first name word is a known given name.
pub(super) const GIVEN: u16 = 8;
/// A place, a demonym or the title of a work: not a person.
pub(super) const NOT_PERSON: u16 = 16;
/// A descriptor stood where a given name would ("Scrum-half Dowd").
pub(super) const DESCRIPTOR: u16 = 32;
/// An honorific before the title: "Mr Justice McCombe", a style that
/// stands with one name.
pub(super) const FORMAL: u16 = 64;
/// A relation word before the name: "his mother, Ava Baumgartner".
pub(super) const RELATIVE: u16 = 128;
/// A role says a person is meant and wants naming: an apposition that
/// is no organisation's ("Tanaka, a currency strategist at ...,",
/// "Wynne, who led the inquiry,") or a speaker's label in an interview
/// ("Richman: Yes, ...").
pub(super) const ROLE: u16 = 512;
/// The name opens its sentence (after an opener such as "But"): where a
/// story's subject stands.
pub(super) const SUBJECT: u16 = 1024;
/// In the deck: a full name there introduces, nothing else counts.
pub(super) const DISPLAY: u16 = 256;

impl Mention {
    pub(super) fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
    pub(super) fn in_quote(&self) -> bool {
        self.has(IN_QUOTE)
    }
    /// Something beside this mention itself says a person is meant: a
    /// title or honorific written before it, or a speech verb, an age or
    /// an apposition.
    pub(super) fn own_evidence(&self) -> bool {
        (self.prefix != Prefix::None && !self.has(LOWER_PREFIX)) || self.has(SPEECH)
    }
}

const _: () = assert!(std::mem::size_of::<Mention>() == 24);

/// `Mention::prefix_word` when there is no title or honorific.
pub(super) const NO_PREFIX: u32 = u32::MAX;

/// One name word of a mention: its text (interned) and its span.
#[derive(Debug, Clone, Copy)]
pub(super) struct NameWord {
    pub(super) name: u32,
    pub(super) span: Span,
}

/// The words that open the body's sentences, lower-cased, and whether each
/// occurs as written (in lower case) anywhere in the story: "Despite" opens
/// a sentence, but "despite" is an ordinary word.
#[derive(Default)]
pub(super) struct Openers {
    pub(super) names: Interner,
    pub(super) seen: Vec<bool>,
}

impl Openers {
    /// Whether `w` (lower case) opens a sentence and occurs as written.
    pub(super) fn seen_lower(&self, w: &str) -> bool {
        self.names.find(w).is_some_and(|id| self.seen[id as usize])
    }
}

/// The person mentions of a story, in order, with their words.
#[derive(Default)]
pub(super) struct Mentions {
    pub(super) names: Interner,
    pub(super) words: Vec<NameWord>,
    pub(super) list: Vec<Mention>,
}

impl Mentions {
    pub(super) fn words(&self, m: &Mention) -> &[NameWord] {
        &self.words[m.words.0 as usize..m.words.1 as usize]
    }
    pub(super) fn word(&self, w: &NameWord) -> &str {
        self.names.get(w.name)
    }
    pub(super) fn surname(&self, m: &Mention) -> &str {
        self.words(m).last().map_or("", |w| self.word(w))
    }
    pub(super) fn key(&self, m: &Mention) -> &str {
        self.names.get(m.key)
    }
    /// The given names: every name word but the last.
    pub(super) fn given_words(&self, m: &Mention) -> impl Iterator<Item = &str> {
        let w = self.words(m);
        w[..w.len().saturating_sub(1)].iter().map(|w| self.word(w))
    }
    /// The given name nearest the surname ("Nick" in "Biologist Nick Bos").
    pub(super) fn near_given(&self, m: &Mention) -> &str {
        let w = self.words(m);
        if w.len() >= 2 {
            self.word(&w[w.len() - 2])
        } else {
            ""
        }
    }
    pub(super) fn given(&self, m: &Mention) -> String {
        self.given_words(m).collect::<Vec<_>>().join(" ")
    }
    pub(super) fn full_name(&self, m: &Mention) -> String {
        self.words(m)
            .iter()
            .map(|w| self.word(w))
            .collect::<Vec<_>>()
            .join(" ")
    }
    pub(super) fn prefix_word(&self, m: &Mention) -> Option<&str> {
        (m.prefix_word != NO_PREFIX).then(|| self.names.get(m.prefix_word))
    }
    /// The title/honorific plus name.
    pub(super) fn full_span(&self, m: &Mention) -> Range<usize> {
        m.full_start as usize..self.surname_span(m).end
    }
    pub(super) fn surname_span(&self, m: &Mention) -> Range<usize> {
        // A mention has at least one name word.
        let start = m.full_start as usize;
        self.words(m)
            .last()
            .map_or(start..start, |w| w.span.range())
    }
    /// From the first name word to the end of the surname.
    pub(super) fn name_span(&self, m: &Mention) -> Range<usize> {
        let w = self.words(m);
        w.first().map_or(0, |w| w.span.start())..self.surname_span(m).end
    }
}

impl Mention {
    pub(super) fn is_full(&self) -> bool {
        self.words.1 - self.words.0 >= 2
    }
}

/// Words `at` of a sentence whose words are `words`: a run of capitalised
/// words, or a segment of one.
pub(super) struct Stretch<'w> {
    pub(super) words: &'w [Span],
    pub(super) at: Range<usize>,
}

pub(super) fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .or_else(|| w.strip_suffix('\'').filter(|s| s.ends_with('s')))
        .or_else(|| w.strip_suffix('\u{2019}').filter(|s| s.ends_with('s')))
        .unwrap_or(w)
}

/// Asked of every word of the body: the common answer (a lower-case ASCII
/// word) is inlined where it is asked.
#[inline(always)]
pub(super) fn is_capitalised(w: &str) -> bool {
    !plainly_lower(w.as_bytes()) && is_capitalised_rest(w)
}

/// The common answer of `is_capitalised`, from a word's bytes: most words
/// start with a lower-case ASCII letter, and only a particle joined in the
/// first four bytes (see `capitalised_by_chars`) makes one a name.
#[inline(always)]
pub(super) fn plainly_lower(b: &[u8]) -> bool {
    b.first().is_some_and(u8::is_ascii_lowercase)
        && !b[1..b.len().min(4)]
            .iter()
            .any(|&c| matches!(c, b'-' | b'\'' | 0xe2))
}

#[inline(never)]
pub(super) fn is_capitalised_rest(w: &str) -> bool {
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
pub(super) fn capitalised_by_chars(w: &str) -> bool {
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

pub(super) fn is_initial(doc: &Document, w: &Span) -> bool {
    let t = doc.slice(&w.range());
    t.chars().count() == 1
        && t.chars().all(char::is_uppercase)
        && doc.text[w.end()..].starts_with('.')
}

impl NameForm {
    /// Whether the word list `flag` (`TITLE` and the rest) holds `w`.
    pub(super) fn listed_as(&self, w: &str, flag: u8) -> bool {
        self.listed.get(w).is_some_and(|f| f & flag != 0)
    }

    pub(super) fn is_title(&self, w: &str) -> bool {
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

    /// Collect person mentions from body paragraphs, in order.
    pub(super) fn mentions(&self, doc: &Document) -> Mentions {
        // A sentence-initial "Despite" is an ordinary word if "despite"
        // occurs too. So: the first words of the body's sentences in lower
        // case, then which of them occur anywhere as written (a lookup in a
        // small set per word, not a set of every word).
        // The body, and the deck: a full name there introduces (bare names
        // there are left out below).
        let body = || {
            doc.blocks
                .iter()
                .filter(|b| {
                    (b.kind == BlockKind::Paragraph && !b.repeats_display)
                        || b.kind == BlockKind::Deck
                })
                .flat_map(|b| &doc.sentences[b.sentences()])
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
        for s in &doc.sentences {
            for &w in doc.words_of(s, &mut buf) {
                if !filter.may_hold(doc.word_key(w)) {
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
        // Room for a story's mentions at once.
        out.list.reserve(32);
        out.words.reserve(64);
        let mut name_words = Vec::new();
        for s in body() {
            let words = doc.words_of(s, &mut buf);
            let from = out.list.len();
            self.sentence_mentions(doc, words, &openers, &mut out, &mut name_words);
            if doc.blocks[s.block()].kind == BlockKind::Deck {
                for m in &mut out.list[from..] {
                    m.flags |= DISPLAY;
                }
            }
        }
        // Held while the mentions are compared: without the room left from
        // growing, up to half of each list on a long file.
        out
    }

    pub(super) fn sentence_mentions<'d>(
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
                    && self.particles.contains_lower(doc.slice(&words[k].range()))
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
            let run = Stretch { words, at: i..j };
            self.classify_run(doc, &run, openers, out, name_words);
            i = j;
        }
    }

    /// Does `word` (with list flags `flag`), before a last word that the
    /// lists take for a title or a place, make that word a surname: an
    /// honorific, a courtesy title, or (with `given_name`) a known given
    /// name that no list names ("Mr King", "Dr Hall", "Andrew Hall")?
    fn marks_a_surname(&self, flag: u8, word: &str, given_name: bool) -> bool {
        flag & HONORIFIC != 0
            || self.courtesy_titles.contains(word)
            || (given_name && flag == 0 && super::people::is_given_name(word))
    }

    /// The mentions of a run of capitalised words.
    // Indices address three parallel views (word spans, texts, positions).
    #[allow(clippy::needless_range_loop)]
    pub(super) fn classify_run<'d>(
        &self,
        doc: &'d Document,
        run: &Stretch,
        openers: &Openers,
        out: &mut Mentions,
        name_words: &mut Vec<(Cow<'d, str>, Range<usize>)>,
    ) {
        let (words, start, end) = (run.words, run.at.start, run.at.end);
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
        // After "the", a capitalised phrase is a thing ("the Pacific
        // Standard"), unless a title and a known given name open it: "the
        // Rev Claire Ashdown" is a person in British style.
        if s > 0
            && matches!(doc.slice(&words[s - 1].range()), "the" | "The")
            && !(end - s >= 3 && flag(s) & TITLE != 0 && super::people::is_given_name(text(s + 1)))
        {
            return;
        }
        // Organisations and places are not people, but an honorific, a
        // courtesy title or a known given name before it makes a last word
        // that names places a surname ("Ms Hall", "Dr Helen Lane", "Andrew
        // Hall"). A bare "Hall" stays a place: the person's references are
        // the ones with a name or an honorific.
        let honoured = end - s >= 2 && self.marks_a_surname(flag(s), text(s), end - s == 2);
        if (s..end).any(|k| flag(k) & ORG != 0 && !(honoured && k == end - 1)) {
            return;
        }
        // Split at words that are never names (days, months...).
        let mut seg_start = s;
        for k in s..end {
            if flag(k) & NOT_NAME != 0 {
                if seg_start < k {
                    let f = &flags[seg_start - start..k - start];
                    let segment = Stretch {
                        words,
                        at: seg_start..k,
                    };
                    self.classify_segment(doc, &segment, f, out, name_words);
                }
                seg_start = k + 1;
            }
        }
        if seg_start < end {
            let f = &flags[seg_start - start..];
            let segment = Stretch {
                words,
                at: seg_start..end,
            };
            self.classify_segment(doc, &segment, f, out, name_words);
        }
    }

    /// One segment of a run of capitalised words: a mention, if it holds a
    /// name. `flags` are its words' (see `NameForm::listed`), and
    /// `name_words` is a buffer kept across calls.
    #[allow(clippy::needless_range_loop)]
    pub(super) fn classify_segment<'d>(
        &self,
        doc: &'d Document,
        segment: &Stretch,
        flags: &[u8],
        out: &mut Mentions,
        name_words: &mut Vec<(Cow<'d, str>, Range<usize>)>,
    ) {
        let (words, a, b) = (segment.words, segment.at.start, segment.at.end);
        let text = |k: usize| strip_possessive(doc.slice(&words[k].range()));
        // The last title or honorific in the run starts the name.
        let mut name_start = a;
        let mut prefix = Prefix::None;
        let mut prefix_word = None;
        let mut prefix_start = words[a].start();
        let mut formal = false;
        for k in a..b {
            let t = text(k);
            let f = flags[k - a];
            // A title as listed, or a lower-case word (a particle) whose
            // capitalised form is one (what `is_title` adds).
            let title = f & TITLE != 0
                || (!t.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && self.is_title(t));
            // A title word last in the run, right after an honorific, a
            // courtesy title or a given name, is a surname: "Mr King", "Dr
            // Major", "Carole King".
            let surname_after_honorific =
                k + 1 == b && k > a && self.marks_a_surname(flags[k - 1 - a], text(k - 1), true);
            if surname_after_honorific {
                continue;
            }
            if f & HONORIFIC != 0 {
                name_start = k + 1;
                prefix = Prefix::Honorific;
                prefix_word = Some(t);
                prefix_start = words[k].start();
            } else if title {
                // "Mr Justice McCombe": a judge's or an office's formal style,
                // which stands with one name.
                formal = k > a && flags[k - 1 - a] & HONORIFIC != 0;
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
        let mut flags_out = if formal { FORMAL } else { 0 };
        // A relative: "his mother, Ava Baumgartner".
        if a > 0
            && self
                .relations
                .contains_lower(doc.slice(&words[a - 1].range()))
        {
            flags_out |= RELATIVE;
        }
        if prefix == Prefix::None && a > 0 && name_start == a {
            flags_out |= LOWER_PREFIX;
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
        // A descriptor where a given name would stand is not part of the
        // name: "Scrum-half Dowd" is Dowd, "Organiser Jane Smith" is Jane
        // Smith.
        if name_words.len() >= 2
            && (people::is_descriptor(&name_words[0].0)
                || (name_words.len() >= 3
                    && !people::is_given_name(&name_words[0].0)
                    && people::is_given_name(&name_words[1].0)))
        {
            name_words.remove(0);
            flags_out |= DESCRIPTOR;
        }
        if name_words.len() >= 2
            && (people::is_given_name(&name_words[0].0) || name_words[0].0.ends_with('.'))
        {
            flags_out |= GIVEN;
        }
        if self.not_a_person(doc, segment, prefix, flags_out, name_words) {
            flags_out |= NOT_PERSON;
        }
        // Particles belong to the surname: "de la Cruz".
        while name_words.len() >= 2
            && self
                .particles
                .contains_lower(&name_words[name_words.len() - 2].0)
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
        if self.has_evidence(doc, words, a, b) {
            flags_out |= SPEECH;
        }
        if self.has_role(doc, words, a, b) {
            flags_out |= ROLE | SPEECH;
        }
        if words[..a]
            .iter()
            .all(|w| is_capitalised(doc.slice(&w.range())))
        {
            flags_out |= SUBJECT;
        }
        if doc.in_quote(full_span.start) {
            flags_out |= IN_QUOTE;
        }
        let first = out.words.len() as u32;
        for (w, span) in name_words.iter() {
            let name = out.names.id(w);
            out.words.push(NameWord {
                name,
                span: Span::new(span.clone()),
            });
        }
        let surname = out.words.last().map_or(0, |w| w.name);
        let key = out.names.lower_id(surname);
        let prefix_word = prefix_word.map_or(NO_PREFIX, |p| out.names.id(p));
        out.list.push(Mention {
            words: (first, out.words.len() as u32),
            key,
            prefix_word,
            full_start: crate::document::offset32(full_span.start),
            prefix,
            flags: flags_out,
        });
    }

    /// Whether the name words of a segment name something other than
    /// a person: a place or a demonym ("Costa Rica", "Air Moldova", but not
    /// "Denzel Washington", whose given name says a person is meant, nor
    /// "Mr Paris"), or the title of a work: after a word such as "film" or
    /// "novel" (and "called" or "titled"), alone inside quotation marks ("'Private Benjamin'"), or a
    /// possessive that opens a title ("Vance's Century", "Sgt Pepper's
    /// Lonely Hearts").
    fn not_a_person(
        &self,
        doc: &Document,
        segment: &Stretch,
        prefix: Prefix,
        flags: u16,
        name_words: &[(Cow<'_, str>, Range<usize>)],
    ) -> bool {
        let (words, a, b) = (segment.words, segment.at.start, segment.at.end);
        // Particles are left out: "Van der Berg" is no city of Van.
        let mut texts = [""; 8];
        let mut n = 0;
        for (w, _) in name_words {
            if n < texts.len() && !self.particles.contains_lower(w) {
                texts[n] = w.as_ref();
                n += 1;
            }
        }
        if prefix != Prefix::Honorific {
            match people::place_in(&texts[..n]) {
                people::Place::Whole => return true,
                people::Place::Part if flags & GIVEN == 0 => return true,
                _ => {}
            }
        }
        // "the film Private Benjamin", "a film called Private Benjamin".
        let work = |k: usize| self.works.contains_lower(doc.slice(&words[k].range()));
        if a > 0
            && (work(a - 1)
                || (a > 1
                    && matches!(
                        doc.slice(&words[a - 1].range()),
                        "called" | "named" | "titled" | "entitled"
                    )
                    && work(a - 2)))
        {
            return true;
        }
        // A possessive followed by a capitalised word that is not a given
        // name: the name opens a title ("Currie's Larry Pizzi" is two
        // people).
        let last = doc.slice(&words[b - 1].range());
        if b < words.len()
            && strip_possessive(last).len() != last.len()
            && doc.prose[words[b - 1].end()..words[b].start()] == *" "
        {
            let next = doc.slice(&words[b].range());
            if is_capitalised(next) && !people::is_given_name(next) && !self.is_title(next) {
                return true;
            }
        }
        // Names joined by "&" name a firm: "Rose & Thorn", "Marks &
        // Spencer".
        let ampersand = |k: usize| {
            doc.prose[words[k].end()..words[k + 1].start()].trim() == "&"
                && is_capitalised(doc.slice(&words[k].range()))
                && is_capitalised(doc.slice(&words[k + 1].range()))
        };
        if (b < words.len() && ampersand(b - 1)) || (a > 0 && ampersand(a - 1)) {
            return true;
        }
        quoted_alone(doc, words[a].start()..words[b - 1].end())
    }

    /// A speech verb next to the name, or an age after it ("Sharma, 44,").
    pub(super) fn has_evidence(&self, doc: &Document, words: &[Span], a: usize, b: usize) -> bool {
        let near = |k: usize| self.speech.contains_lower(doc.slice(&words[k].range()));
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
            if gap.trim() == ","
                && ((next.chars().all(|c| c.is_ascii_digit()) && next.len() <= 3)
                    || matches!(next, "the" | "a" | "an" | "who" | "whose"))
            {
                return true;
            }
        }
        false
    }
}

impl NameForm {
    /// Whether a role follows the name of segment `a..b` (see `ROLE`): a
    /// speaker's label, or an apposition of a speaker: a speech verb before
    /// the name or right after the apposition ("said Tanaka, a strategist
    /// at ...", "Delaney, the agency's director, said").
    fn has_role(&self, doc: &Document, words: &[Span], a: usize, b: usize) -> bool {
        let after = &doc.prose[words[b - 1].end()..];
        if a == 0 && after.starts_with(':') && after[1..].starts_with(' ') {
            return true;
        }
        if b >= words.len() || doc.prose[words[b - 1].end()..words[b].start()].trim() != "," {
            return false;
        }
        if !matches!(doc.slice(&words[b].range()), "the" | "a" | "an" | "who") {
            return false;
        }
        let speech = |k: usize| self.speech.contains_lower(doc.slice(&words[k].range()));
        // The apposition runs to the next comma (a few words at most). Its
        // head noun is its last word before a preposition, a conjunction or a
        // relative clause ("the service that carries the show"): an organisation
        // there ("the software firm", "a Halden Group company") makes it no
        // person's role, while one before the head ("a university
        // lecturer") or after the preposition ("a strategist at Sakura
        // Trust") is where the person works. A "who" clause is a person's.
        let who = doc.slice(&words[b].range()) == "who";
        let mut head = None;
        let mut in_head = !who;
        let mut end = b;
        let mut closed = false;
        while end < words.len() && end < b + 16 {
            let w = doc.slice(&words[end].range());
            if in_head {
                if matches!(
                    w,
                    "at" | "of"
                        | "for"
                        | "with"
                        | "from"
                        | "in"
                        | "on"
                        | "to"
                        | "that"
                        | "which"
                        | "whose"
                        | "where"
                        | "and"
                ) {
                    in_head = false;
                } else {
                    head = Some(w);
                }
            }
            end += 1;
            if end < words.len()
                && doc.prose[words[end - 1].end()..words[end].start()].contains(',')
            {
                closed = true;
                break;
            }
        }
        if head.is_some_and(|w| self.org_nouns.contains_lower(w) || self.listed_as(w, ORG)) {
            return false;
        }
        if closed {
            return speech(end) || (a > 0 && speech(a - 1));
        }
        a > 0 && speech(a - 1)
    }
}

/// Whether `range` is all a quotation holds, less its marks and
/// punctuation: a title in quotation marks ("the film 'Private Benjamin'").
fn quoted_alone(doc: &Document, range: Range<usize>) -> bool {
    let i = doc.quotes.partition_point(|q| q.end() <= range.start);
    let Some(q) = doc.quotes.get(i).filter(|q| q.start() <= range.start) else {
        return false;
    };
    let inner = doc.slice(&q.range());
    let inner = inner.trim_matches(|c: char| !c.is_alphanumeric());
    inner == doc.slice(&range)
}

pub(super) fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::test_form;
    use crate::document::{Document, Options};

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
        nf.particles = crate::document::WordSet::new(["van"]);
        let names = |nf: &super::super::NameForm| {
            let doc = Document::new(
                "Vote\n\nThe panel heard Ana van Dijk on Monday.\n",
                "t.txt",
                &Options::default(),
            );
            let ms = nf.mentions(&doc);
            let names: Vec<(String, bool)> = ms
                .list
                .iter()
                .map(|m| (ms.full_name(m), m.prefix == super::super::Prefix::Title))
                .collect();
            names
        };
        assert!(names(&nf).contains(&("Ana van Dijk".to_string(), false)));
        nf.listed.insert("Van".into(), super::super::TITLE);
        assert!(names(&nf).contains(&("Dijk".to_string(), true)));
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
                super::super::is_capitalised(&w),
                super::super::capitalised_by_chars(&w),
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
                    && titles.contains(&super::super::capitalise(w)))
        };
        let nf = super::super::NameForm {
            listed: titles
                .iter()
                .map(|t| (t.clone(), super::super::TITLE))
                .collect(),
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
}
