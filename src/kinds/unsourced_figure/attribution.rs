//! Why a figure claim is sourced, or not: the scope rules.
//!
//! A claim is sourced, in this order, by
//! 1. its sentence: a speech or reporting verb (`attribution`: "said",
//!    "told", "according to"), a named source of data (`data-sources`:
//!    "figures from", "data show"), a market as the frame (`market-frames`:
//!    "in Asian trade", "on the London Stock Exchange"), an explicit
//!    back-reference to a source named before (`back-references`: "the same
//!    survey", "those figures"), or a Markdown link;
//! 2. the quotation it stands in, when that quotation is attributed: its
//!    paragraph attributes something, or the paragraph opens with a quote
//!    mark and follows an attributed paragraph (British copy runs a quote
//!    on over paragraphs, opening each with a quote mark and closing only
//!    the last), or the paragraph is an interview answer ("Q:", "Evans:");
//! 3. an earlier sentence of its paragraph, only when its own sentence
//!    continues that source: its subject is a pronoun or names the source
//!    ("It", "He", "The firm", "Acme" after "Acme said"), perhaps after a
//!    connector ("But it", "And he");
//! 4. the next sentence of its paragraph, when that sentence only names
//!    where the figures come from ("The figures come from the housing
//!    office").
//!
//! A sourcing word anywhere else sources nothing: "..., he said. Exports
//! fell 9% in the quarter." leaves the second sentence unsourced.
//!
//! The support may be weaker than a source: a speaker's own `estimate` ("by
//! her own estimate", "he believes"), unless a named source of data stands
//! beside it; or `vague-attribution` ("reportedly", "is said to", "sources
//! say"), which no speech verb beside it makes firmer.

use std::ops::Range;

use super::claim::Openers;
use crate::check::Context;
use crate::document::{Sentence, Span, WordSet, lower_cow};
use crate::matching::{PhraseMatcher, within};

/// How a claim is supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Sourced,
    /// Only a speaker's own estimate or belief.
    Estimate,
    /// Only a vague attribution ("reportedly", "sources say").
    Vague,
    Unsourced,
}

/// The cue lists of the scope rules: parameters of the rule file.
#[derive(Debug, Default)]
pub struct Scope {
    pub attribution: Option<PhraseMatcher>,
    pub data_sources: Option<PhraseMatcher>,
    /// Decisions and results of record: they source the figures of their
    /// own clause (see `same_clause`).
    pub records: Option<PhraseMatcher>,
    pub record_breaks: WordSet,
    pub market_frames: Option<PhraseMatcher>,
    /// A speaker setting a figure ("Police put the crowd at 2,000",
    /// "Analysts value the unit at $5bn"): regular expressions, each
    /// sourcing its own sentence only, like a market frame.
    pub valuation_frames: Option<PhraseMatcher>,
    /// Markets and prices that report their own moves ("the FTSE 250"),
    /// and the words of a move ("fell"): see `market_move`.
    pub market_subjects: Option<PhraseMatcher>,
    pub market_moves: WordSet,
    pub market_periods: WordSet,
    pub market_levels: WordSet,
    pub back_references: Option<PhraseMatcher>,
    pub estimate: Option<PhraseMatcher>,
    pub vague: Option<PhraseMatcher>,
    /// Multipliers and fractions are claims found by pattern, with the cues.
    pub multipliers: Option<PhraseMatcher>,
    pub fractions: Option<PhraseMatcher>,
    /// Subjects that continue the source of an earlier sentence ("it", "the
    /// firm"), lower-cased.
    pub continuation_subjects: Openers,
    /// Subjects that continue a source only when the paragraph used their
    /// last word before ("the union"), lower-cased.
    pub named_continuation_subjects: Openers,
    /// Subjects that name a source of data given earlier in the story
    /// ("the survey", "the index"): an explicit back-reference, across
    /// paragraphs too.
    pub source_subjects: Openers,
    /// Words that may open a continuing sentence ("but", "and").
    pub connectors: WordSet,
    /// Honorifics before a name that continues a source ("Mr Evans").
    pub honorifics: WordSet,
}

/// Every cue of one paragraph, each list searched once per paragraph.
#[derive(Default)]
pub struct Cues {
    attribution: Vec<Range<usize>>,
    records: Vec<Range<usize>>,
    /// Data sources and back-references, in order.
    strong: Vec<Range<usize>>,
    /// Market frames: they source their own sentence only. Searched for
    /// (a regular expression over the paragraph) only when a sentence with
    /// a claim has no other support.
    markets: std::cell::OnceCell<Vec<Range<usize>>>,
    /// Valuation frames, searched for on the same terms as market frames.
    valuations: std::cell::OnceCell<Vec<Range<usize>>>,
    /// Market subjects, searched for on the same terms.
    subjects: std::cell::OnceCell<Vec<Range<usize>>>,
    /// The paragraph.
    block: Range<usize>,
    estimate: Vec<Range<usize>>,
    vague: Vec<Range<usize>>,
    multipliers: Vec<Range<usize>>,
    fractions: Vec<Range<usize>>,
}

impl Cues {
    /// The multiplier and fraction matches, for the claim finder.
    pub fn ratios(&self) -> [&[Range<usize>]; 2] {
        [&self.multipliers, &self.fractions]
    }

    /// Does the paragraph attribute anything at all (for its quotations)?
    fn attributes(&self) -> bool {
        !self.attribution.is_empty() || !self.strong.is_empty()
    }

    /// Does a decision or result of record in the sentence `span` stand in
    /// the clause of `claim`?
    fn record_beside(
        &self,
        doc: &Context,
        scope: &Scope,
        span: &Range<usize>,
        claim: &Range<usize>,
    ) -> bool {
        within(&self.records, span)
            .any(|r| same_clause(&doc.prose, span, r.start, claim.start, &scope.record_breaks))
    }
}

impl Scope {
    /// Is a quote that runs on into the paragraphs `next` attributed where
    /// it goes on: the first of them opens with a quote mark and attributes
    /// something, or runs on itself into one that does (at most four
    /// paragraphs on)?
    pub fn run_on_attributed(
        &self,
        doc: &Context,
        next: impl Iterator<Item = Range<usize>>,
    ) -> bool {
        for block in next.take(4) {
            let text = doc.prose_of(&block).trim_start();
            if !text.starts_with(['"', '\u{201c}']) {
                return false;
            }
            if self.cues(doc, &block).attributes() {
                return true;
            }
            if !super::runs_on(doc, &block) {
                return false;
            }
        }
        false
    }

    /// The cues of the paragraph `block`.
    pub fn cues(&self, doc: &Context, block: &Range<usize>) -> Cues {
        let find = |m: &Option<PhraseMatcher>| {
            m.as_ref()
                .map(|m| doc.find_all(m, block.clone()))
                .unwrap_or_default()
        };
        let mut strong = find(&self.data_sources);
        strong.extend(find(&self.back_references));
        strong.sort_by_key(|r| r.start);
        Cues {
            markets: std::cell::OnceCell::new(),
            valuations: std::cell::OnceCell::new(),
            subjects: std::cell::OnceCell::new(),
            block: block.clone(),
            attribution: find(&self.attribution),
            records: find(&self.records),
            strong,
            estimate: find(&self.estimate),
            vague: find(&self.vague),
            multipliers: find(&self.multipliers),
            fractions: find(&self.fractions),
        }
    }

    /// The support a sentence gives its own claims, from its cues alone.
    ///
    /// A market or valuation frame is looked for only `with_markets` (for a
    /// sentence with a claim): it never makes a source that later sentences
    /// carry.
    pub fn in_sentence(
        &self,
        doc: &Context,
        span: &Range<usize>,
        cues: &Cues,
        with_markets: bool,
    ) -> Support {
        let mut vague = within(&cues.vague, span).peekable();
        let any_vague = vague.peek().is_some();
        let vague: Vec<&Range<usize>> = if any_vague {
            vague.collect()
        } else {
            Vec::new()
        };
        let inside = |h: &Range<usize>, of: &[&Range<usize>]| {
            of.iter().any(|v| v.start <= h.start && h.end <= v.end)
        };
        // "according to sources" is vague, though it holds "according to".
        if within(&cues.strong, span).any(|h| !inside(h, &vague)) || doc.in_link(span) {
            return Support::Sourced;
        }
        let estimate: Vec<&Range<usize>> = within(&cues.estimate, span)
            .filter(|h| !inside(h, &vague))
            .collect();
        // "The Treasury estimates", "HMRC estimates": a body's estimate is
        // its figure, and the body is the source.
        if estimate
            .iter()
            .any(|h| by_an_institution(&doc.prose[span.start..h.start], &doc.prose[(*h).clone()]))
        {
            return Support::Sourced;
        }
        if !estimate.is_empty() {
            return Support::Estimate;
        }
        if any_vague {
            return Support::Vague;
        }
        // "he estimated" is an estimate, though it holds "estimated".
        if within(&cues.attribution, span).any(|h| !inside(h, &estimate)) {
            return Support::Sourced;
        }
        let frame = |list: &Option<PhraseMatcher>, found: &std::cell::OnceCell<_>| {
            within(frames(doc, list, found, &cues.block), span)
                .next()
                .is_some()
        };
        if with_markets
            && (frame(&self.market_frames, &cues.markets)
                || frame(&self.valuation_frames, &cues.valuations)
                || self.market_move(doc, span, cues))
        {
            return Support::Sourced;
        }
        Support::Unsourced
    }

    /// Does the sentence `span` report a market's own move in a session: a
    /// market subject with a move word at most eight words after it, in the
    /// same clause ("The FTSE 250 fell 0.8%", "Brent crude, the
    /// international benchmark, rose 2.3%", "the Dow Jones Industrial
    /// Average was down 310 points")? Its figures are then market data,
    /// which the market itself sources. A move over a period ("the yen has
    /// lost 9% this year", "shares are up 27% since March") is someone's
    /// reckoning, and needs a source like any claim; a period that dates a
    /// level in an aside ("fell 1.2%, its lowest close since March") or
    /// after a level word ("to its lowest since March") does not make the
    /// move one over a period.
    fn market_move(&self, doc: &Context, span: &Range<usize>, cues: &Cues) -> bool {
        within(
            frames(doc, &self.market_subjects, &cues.subjects, &cues.block),
            span,
        )
        .any(|h| {
            let mut words = doc.prose[h.end.min(span.end)..span.end].split_whitespace();
            let mut prev = String::new();
            let mut after_comma = false;
            let mut read = 0;
            while read < 8 {
                let Some(w) = words.next() else {
                    return false;
                };
                read += 1;
                let (w, ends_clause) = clause_word(w);
                // A relative clause set off by commas is an aside about the
                // subject ("Shares in Linnet, which listed in London in
                // 2021, jumped 31%"): read past it to the move.
                if after_comma && matches!(w.as_str(), "which" | "who" | "whose") {
                    if ends_clause || !words.by_ref().take(12).any(|w| w.ends_with(',')) {
                        return false;
                    }
                    after_comma = false;
                    prev.clear();
                    continue;
                }
                after_comma = ends_clause;
                if CLAUSE_JOINERS.contains(&w.as_str()) {
                    return false;
                }
                // One word ("fell") or two ("was down", "little changed").
                if self.market_moves.contains(&w)
                    || self.market_moves.contains(&format!("{prev} {w}"))
                {
                    if matches!(prev.as_str(), "has" | "have" | "had" | "having") {
                        return false;
                    }
                    return ends_clause || !self.over_a_period(words);
                }
                if ends_clause {
                    prev.clear();
                } else {
                    prev = w;
                }
            }
            false
        })
    }

    /// Do the words after a market's move word, up to the end of its clause,
    /// put the move over a period (a `market-periods` phrase not dated by a
    /// `market-levels` word before it)?
    fn over_a_period<'t>(&self, words: impl Iterator<Item = &'t str>) -> bool {
        let mut clause: Vec<String> = Vec::new();
        for w in words {
            let (lower, ends_with_mark) = clause_word(w);
            let ends_clause = ends_with_mark || w == "\u{2013}" || w == "\u{2014}";
            if CLAUSE_JOINERS.contains(&lower.as_str()) {
                break;
            }
            if !lower.is_empty() {
                clause.push(lower);
            }
            if ends_clause {
                break;
            }
        }
        let mut level = false;
        for i in 0..clause.len() {
            level |= self.market_levels.contains(&clause[i]);
            let period = (1..=3).any(|n| {
                i + n <= clause.len() && self.market_periods.contains(&clause[i..i + n].join(" "))
            });
            if period && !level {
                return true;
            }
        }
        false
    }

    /// Does the sentence name a source that a later sentence may carry on
    /// (a speaker, a body, a document; a market frame covers only its own
    /// sentence)?
    pub fn names_source(&self, span: &Range<usize>, cues: &Cues) -> bool {
        within(&cues.strong, span).next().is_some()
            || within(&cues.attribution, span).next().is_some()
            || within(&cues.records, span).next().is_some()
            || within(&cues.estimate, span).next().is_some()
            || within(&cues.vague, span).next().is_some()
    }

    /// Is the sentence's subject (after any connector) a word for a source
    /// of data named earlier ("The survey", "The index")?
    pub fn refers_to_source(&self, doc: &Context, words: &[Span]) -> bool {
        let i = self.skip_connectors(doc, words);
        let Some(first) = words.get(i) else {
            return false;
        };
        let from = &doc.prose[first.start()..words[words.len() - 1].end()];
        self.source_subjects.end_in(from).is_some()
    }

    fn skip_connectors(&self, doc: &Context, words: &[Span]) -> usize {
        let mut i = 0;
        while i < words.len()
            && self
                .connectors
                .contains_lower(&lower_cow(doc.slice(&words[i].range())))
        {
            i += 1;
        }
        i
    }

    /// Does a sentence only name where figures come from, so that it
    /// sources the claims of the sentence before it?
    pub fn names_data_source(&self, doc: &Context, span: &Range<usize>, cues: &Cues) -> bool {
        within(&cues.strong, span).next().is_some()
            && self.in_sentence(doc, span, cues, false) == Support::Sourced
    }

    /// Does the sentence (with `words`) continue the source named earlier
    /// in its paragraph (`before` is the paragraph up to the sentence): is
    /// its subject a pronoun, a word for the source ("the firm"), or a name
    /// given before it?
    pub fn continues(
        &self,
        doc: &Context,
        words: &[Span],
        before: &Range<usize>,
        cues: &Cues,
    ) -> bool {
        let lower = |i: usize| lower_cow(doc.slice(&words[i].range()));
        let mut i = self.skip_connectors(doc, words);
        let Some(first) = words.get(i) else {
            return false;
        };
        let from = &doc.prose[first.start()..words[words.len() - 1].end()];
        if self.continuation_subjects.end_in(from).is_some() {
            return true;
        }
        // The paragraph so far, lower-cased only when a subject is named.
        let mut earlier: Option<String> = None;
        if self
            .named_continuation_subjects
            .opening(from)
            .any(|(s, _)| {
                let earlier = earlier.get_or_insert_with(|| doc.prose_of(before).to_lowercase());
                s.rsplit(' ').next().is_some_and(|noun| {
                    earlier.match_indices(noun).any(|(at, _)| {
                        !earlier[..at]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                            && !earlier[at + noun.len()..]
                                .chars()
                                .next()
                                .is_some_and(char::is_alphanumeric)
                    })
                })
            })
        {
            return true;
        }
        if self.honorifics.contains_lower(&lower(i)) {
            i += 1;
        }
        let Some(name) = words.get(i).map(|w| doc.slice(&w.range())) else {
            return false;
        };
        name.chars().next().is_some_and(char::is_uppercase)
            && name.chars().count() > 1
            && !COMMON_OPENERS.contains(&lower(i).as_ref())
            && names_a_source(doc, before, name, cues)
    }
}

/// A word of a market sentence as `market_move` reads it: lower-cased
/// without its punctuation, and whether a comma, semicolon or colon ends
/// its clause.
fn clause_word(w: &str) -> (String, bool) {
    let ends_clause = w.ends_with([',', ';', ':']);
    let lower = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    (lower, ends_clause)
}

/// Words that open a new clause: a market subject's move is looked for
/// before them ("the yen fell against the dollar, and car exports rose 6%").
const CLAUSE_JOINERS: &[&str] = &[
    "and", "but", "while", "whereas", "although", "though", "as", "after", "because", "which",
    "who", "when",
];

/// Do the places `a` and `b` of the sentence `span` of `text` stand in one
/// clause, as far as a decision of record reaches? A semicolon, a colon or
/// a dash ends a clause; a `breaks` word ("despite", "where", "the
/// largest") opens one apart that runs to the next comma, after which the
/// sentence's own clause goes on ("Despite a protest by 200 residents,
/// councillors voted to ...").
fn same_clause(text: &str, span: &Range<usize>, a: usize, b: usize, breaks: &WordSet) -> bool {
    let (mut main, mut current, mut next_id) = (0usize, 0usize, 1usize);
    let (mut id_a, mut id_b) = (None, None);
    let mut prev = String::new();
    let sentence = &text[span.clone()];
    let mut at = 0;
    for w in sentence.split_inclusive(char::is_whitespace) {
        let start = span.start + at;
        at += w.len();
        let word = w.trim_end();
        if word.is_empty() {
            continue;
        }
        let (lower, _) = clause_word(word);
        if breaks.contains(&lower)
            || (!prev.is_empty() && breaks.contains(&format!("{prev} {lower}")))
        {
            current = next_id;
            next_id += 1;
        }
        let end = start + word.len();
        if id_a.is_none() && a < end {
            id_a = Some(current);
        }
        if id_b.is_none() && b < end {
            id_b = Some(current);
        }
        if word.ends_with([';', ':']) || matches!(word, "\u{2013}" | "\u{2014}" | "-" | "--") {
            main = next_id;
            next_id += 1;
            current = main;
        } else if word.ends_with(',') {
            current = main;
        }
        prev = lower;
    }
    id_a == id_b
}

/// The matches of a frame list (market or valuation frames) in the
/// paragraph `block`, searched on first use: they are regular expressions,
/// asked for only when a sentence with a claim has no other support.
fn frames<'c>(
    doc: &Context,
    list: &Option<PhraseMatcher>,
    found: &'c std::cell::OnceCell<Vec<Range<usize>>>,
    block: &Range<usize>,
) -> &'c [Range<usize>] {
    found.get_or_init(|| {
        list.as_ref()
            .map(|m| doc.find_all(m, block.clone()))
            .unwrap_or_default()
    })
}

/// Does `name` stand in `before` as a source: mid-sentence (so it is a
/// name, not a capitalised common word) and beside an attribution ("Acme
/// said", "said Lena Berg", "Acme, the maker of crisps, said")?
fn names_a_source(doc: &Context, before: &Range<usize>, name: &str, cues: &Cues) -> bool {
    let text = doc.prose_of(before);
    text.match_indices(name).any(|(at, _)| {
        let end = at + name.len();
        let head = text[..at].trim_end_matches([' ', '\u{201c}', '"']);
        let whole = !text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        let mid_sentence = !head.is_empty() && !head.ends_with(['.', '!', '?', '\n']);
        let (p, e) = (before.start + at, before.start + end);
        let near = |h: &Range<usize>| {
            (h.start >= e && h.start <= e + 60) || (h.end <= p && h.end + 25 >= p)
        };
        whole && mid_sentence && (cues.attribution.iter().any(near) || cues.strong.iter().any(near))
    })
}

/// Capitalised words that open sentences without naming anyone.
const COMMON_OPENERS: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "of", "for", "this", "that", "these", "those", "there",
    "some", "many", "most", "all", "after", "before", "since", "last", "next", "when", "while",
    "as", "by", "with", "from", "over", "about", "more", "less", "only", "one", "two",
];

/// What the scope rules carry from one body paragraph to the next.
#[derive(Debug, Default, Clone, Copy)]
pub struct Carry {
    /// The last paragraph's quotations were attributed (or it attributed
    /// something, or was an interview answer).
    attributed: bool,
    /// An interview answer runs on: the paragraphs after a speaker's label
    /// ("Jack Herrick: ...") are the speaker's until the next label.
    answering: bool,
    /// Some earlier sentence of the story named a source.
    sourced_before: bool,
}

/// One body paragraph as the scope rules see it.
pub struct Paragraph {
    pub cues: Cues,
    /// An interview answer ("Q:", "William Evans:"): all of it the
    /// speaker's.
    speaker: bool,
    /// Its quotations are attributed.
    quotes_attributed: bool,
    /// The support the last sentence so far that named a source gave.
    source: Option<Support>,
    /// Where the paragraph starts.
    start: usize,
    answering: bool,
    sourced_before: bool,
}

impl Paragraph {
    /// Enter the paragraph `block`, after the paragraph whose state is
    /// `carry`.
    pub fn new(
        scope: &Scope,
        doc: &Context,
        block: &Range<usize>,
        carry: Carry,
        attributed_later: bool,
    ) -> Paragraph {
        let cues = scope.cues(doc, block);
        let text = doc.prose_of(block);
        let labelled = colon_in_head(text) && might_be_speaker(text) && SPEAKER.is_match(text);
        // A labelled question ("Wikinews: ... ?") is the interviewer's: its
        // figures are not the answer's.
        let question = labelled && text.trim_end().ends_with('?');
        let answering = if labelled { !question } else { carry.answering };
        let speaker = answering;
        let opens_quote = text
            .trim_start()
            .starts_with(['"', '\u{201c}', '\u{2018}', '\u{ab}']);
        let quotes_attributed =
            speaker || cues.attributes() || (opens_quote && carry.attributed) || attributed_later;
        Paragraph {
            cues,
            speaker,
            quotes_attributed,
            source: None,
            start: block.start,
            answering,
            sourced_before: carry.sourced_before,
        }
    }

    /// What this paragraph carries to the next.
    pub fn carry(&self) -> Carry {
        Carry {
            attributed: self.quotes_attributed,
            answering: self.answering,
            sourced_before: self.sourced_before,
        }
    }

    /// The support of a claim at `claim`, in a sentence with the words
    /// `words` and its own support `own`. `next_names_source` is asked only
    /// when nothing else sources the claim.
    pub fn claim_support(
        &self,
        scope: &Scope,
        doc: &Context,
        words: &[Span],
        own: Support,
        claim: &Range<usize>,
        next_names_source: impl FnOnce() -> bool,
    ) -> Support {
        // A speaker's own estimate stays an estimate inside a quotation ("I
        // would guess a fifth of the register changed hands").
        if matches!(own, Support::Estimate | Support::Vague) {
            return own;
        }
        if self.speaker || (self.quotes_attributed && doc.in_quote(claim.start)) {
            return Support::Sourced;
        }
        if own != Support::Unsourced {
            return own;
        }
        let start = words.first().map_or(claim.start, |w| w.start());
        let end = words.last().map_or(claim.end, |w| w.end());
        if self.cues.record_beside(doc, scope, &(start..end), claim) {
            return Support::Sourced;
        }
        if let Some(support) = self.source
            && scope.continues(doc, words, &(self.start..start), &self.cues)
        {
            return support;
        }
        if self.sourced_before && scope.refers_to_source(doc, words) {
            return Support::Sourced;
        }
        if next_names_source() {
            return Support::Sourced;
        }
        Support::Unsourced
    }

    /// Note a sentence's own support, once its claims are judged.
    pub fn after_sentence(&mut self, scope: &Scope, s: &Sentence, own: Support) {
        let own = if own == Support::Unsourced
            && within(&self.cues.records, &s.span()).next().is_some()
        {
            // A decision of record names its maker, whom the next sentence
            // may continue ("Councillors voted to ... They also ...").
            Support::Sourced
        } else {
            own
        };
        if own != Support::Unsourced && scope.names_source(&s.span(), &self.cues) {
            self.source = Some(own);
            self.sourced_before = true;
        }
    }
}

/// A paragraph that opens with a speaker label ("Q:", "William Evans:") is
/// an interview answer: everything in it is the speaker's, so attributed.
/// Built narrow for most copy (see `crate::narrow`): its Unicode classes
/// are costly to compile and most copy never needs them.
static SPEAKER: crate::narrow::NarrowRegex = crate::narrow::NarrowRegex::new(
    r"^\s*(?:\*\*)?(?:[QA]|\p{Lu}[\p{L}.'’\-]*(?:\s+(?:\p{Lu}[\p{L}.'’\-]*|de|van|von|la)){0,3})(?:\*\*)?\s*:\s",
);

/// A colon among the first 80 characters of `text`, where a speaker label
/// ends. Found with memchr; the characters before it are counted only when
/// there is one.
/// Is the estimate `cue` ("estimates") made by an institution that ends
/// `before` (the sentence up to the cue): an acronym ("HMRC", "NASA") or a
/// capitalised name after "the" ("The Treasury", "the World Health
/// Organization")? A person ("Finnegan estimates", "Jo Finnegan estimates")
/// takes no "the", so a person's estimate stays an estimate.
fn by_an_institution(before: &str, cue: &str) -> bool {
    if !cue.eq_ignore_ascii_case("estimates") {
        return false;
    }
    let words: Vec<&str> = before.split_whitespace().collect();
    let Some(last) = words.last() else {
        return false;
    };
    if last.len() >= 2 && last.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    let mut named = false;
    for w in words.iter().rev() {
        if *w == "the" || *w == "The" {
            return named;
        }
        let capitalised = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || c == '-');
        if capitalised {
            named = true;
        } else if !(named && matches!(*w, "of" | "for" | "and" | "on")) {
            return false;
        }
    }
    false
}

fn colon_in_head(text: &str) -> bool {
    memchr::memchr(b':', text.as_bytes()).is_some_and(|at| text[..at].chars().count() < 80)
}

/// A necessary condition for `SPEAKER`, to spare compiling it: before the
/// first colon at most four words of letters and `.'’-` (`*` around them),
/// each a capital or a particle, and a space after the colon.
fn might_be_speaker(text: &str) -> bool {
    let Some(colon) = text.find(':') else {
        return false;
    };
    let label = &text[..colon];
    let label_char = |c: char| {
        c.is_alphabetic() || c.is_whitespace() || matches!(c, '*' | '.' | '\'' | '\u{2019}' | '-')
    };
    let word_ok = |w: &str| {
        let w = w.trim_matches('*');
        w.chars().next().is_some_and(char::is_uppercase) || ["de", "van", "von", "la"].contains(&w)
    };
    label.chars().all(label_char)
        && label.split_whitespace().count() <= 4
        && label.split_whitespace().all(word_ok)
        && text[colon + 1..]
            .chars()
            .next()
            .is_some_and(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The support of each claim of a story, as (claim text, support).
    fn judged(text: &str) -> Vec<(String, Support)> {
        let rule = super::super::tests::rule();
        let doc = super::super::tests::story(text);
        rule.judge(&Context::new(&doc, &Default::default()))
            .into_iter()
            .map(|(span, support)| (crate::document::squeeze(&text[span]), support))
            .collect()
    }

    fn supports(text: &str) -> Vec<Support> {
        judged(text).into_iter().map(|(_, s)| s).collect()
    }

    use Support::{Estimate, Sourced, Unsourced, Vague};

    #[test]
    fn a_source_in_the_sentence() {
        assert_eq!(
            supports("Exports fell 9% in the quarter, the statistics office said."),
            [Sourced]
        );
        assert_eq!(
            supports("Figures from the statistics office show exports fell 9%."),
            [Sourced]
        );
        assert_eq!(
            supports("Shares in Acme fell 4% in Asian trade."),
            [Sourced]
        );
    }

    #[test]
    fn a_decision_of_record_sources_its_own_clause() {
        assert_eq!(
            judged(
                "Councillors voted to raise council tax by 4.99%, despite a protest by more than 200 residents."
            ),
            [
                ("4.99%".to_string(), Sourced),
                ("200 residents".to_string(), Unsourced)
            ]
        );
        // The clause a break word opens ends at its comma.
        assert_eq!(
            supports(
                "Despite a protest by 200 residents, councillors voted to raise council tax by 4.99%."
            ),
            [Unsourced, Sourced]
        );
        // A decision's maker carries on into the next sentence.
        assert_eq!(
            supports(
                "Councillors voted to close four libraries. They also cut the parks budget by £1.2m."
            ),
            [Sourced]
        );
        assert!(!same_clause("a; b", &(0..4), 0, 3, &WordSet::default()));
        assert!(same_clause("a, b", &(0..4), 0, 3, &WordSet::default()));
    }

    #[test]
    fn a_source_elsewhere_in_the_paragraph_sources_nothing() {
        assert_eq!(
            supports("Trade was weak, he said. Exports fell 9% in the quarter."),
            [Unsourced]
        );
        assert_eq!(
            supports("The chart is below. Rents are up 12% since March."),
            [Unsourced]
        );
    }

    #[test]
    fn a_continuing_subject_carries_the_source() {
        assert_eq!(
            supports("Acme said trade was weak. It expects sales to fall 9% this year."),
            [Sourced]
        );
        assert_eq!(
            supports("Acme said trade was weak. But the firm sees sales falling 9%."),
            [Sourced]
        );
        assert_eq!(
            supports("Trade was weak, said Acme. Acme sees 300 job cuts."),
            [Sourced]
        );
    }

    #[test]
    fn a_continuing_subject_does_not_cross_paragraphs() {
        assert_eq!(
            supports("Acme said trade was weak.\n\nIt sees sales falling 9% this year."),
            [Unsourced]
        );
        assert_eq!(
            supports(
                "The survey of tenants was published on Monday.\n\nThe same survey found rents up 12%."
            ),
            [Sourced]
        );
    }

    #[test]
    fn quotations() {
        assert_eq!(
            supports("\u{201c}We lost 300 jobs in a week,\u{201d} Okafor told reporters."),
            [Sourced]
        );
        // A British run-on quote: each paragraph opens with a quote mark,
        // only the last closes.
        assert_eq!(
            supports(
                "She said: \u{201c}We lost 300 jobs.\n\n\u{201c}Then we lost $4m more.\n\n\u{201c}It took 87 days.\u{201d}"
            ),
            [Sourced, Sourced, Sourced]
        );
    }

    #[test]
    fn estimates_and_vague_attribution() {
        assert_eq!(
            supports("He was held for what he estimates has totaled 87 days."),
            [Estimate]
        );
        assert_eq!(
            supports("The club is said to be worth $40 million."),
            [Vague]
        );
        assert_eq!(supports("Sources say the deal is worth $2bn."), [Vague]);
        // Hearsay in a reduced clause outweighs the agent's "says".
        assert_eq!(
            supports("Her agent says the rights went for a sum thought to be close to £500,000."),
            [Vague]
        );
        assert_eq!(
            supports("The company reportedly lost $3m, according to sources."),
            [Vague]
        );
    }

    #[test]
    fn an_institutions_estimate_is_sourced() {
        assert_eq!(
            supports("The Treasury estimates the scheme will cost £2.5bn."),
            [Sourced]
        );
        assert_eq!(supports("HMRC estimates £32bn was lost."), [Sourced]);
        assert_eq!(
            supports("Jo Finnegan estimates her takings are down by £4,000."),
            [Estimate]
        );
        assert!(by_an_institution(
            "While it is hard, the World Health Organization ",
            "estimates"
        ));
        assert!(!by_an_institution("Finnegan ", "estimates"));
        assert!(!by_an_institution("The trader ", "estimates"));
        assert!(!by_an_institution("The Treasury ", "believes"));
    }

    #[test]
    fn a_bare_source_sentence_after_the_claim() {
        assert_eq!(
            supports(
                "Rents rose 14 percent in two years. The figures come from the housing office."
            ),
            [Sourced]
        );
        assert_eq!(
            supports("Rents rose 14 percent in two years. The minister said it was a disgrace."),
            [Unsourced]
        );
    }

    /// The cheap test in front of `SPEAKER` may let too much through, never
    /// too little.
    #[test]
    fn the_speaker_test_never_hides_a_speaker() {
        let pieces = [
            "Q",
            "A",
            "William",
            "Evans",
            "de",
            "la",
            "O’Neill",
            "Jean-Luc",
            "**",
            " ",
            "  ",
            "\n",
            ":",
            ": ",
            ":\n",
            "said",
            "It",
            "3",
            ",",
            ".",
            "É",
            "é",
            "x",
        ];
        let mut speakers = 0;
        for t in crate::testing::texts(&pieces, 0x853c_49e6_748f_ea9b, 8).take(20_000) {
            if SPEAKER.is_match(&t) {
                speakers += 1;
                assert!(might_be_speaker(&t), "speaker missed: {t:?}");
            }
        }
        assert!(speakers > 300, "{speakers}");
    }

    /// The colon search gives what a look at the first 80 characters gives.
    #[test]
    fn colon_in_head_reads_the_first_80_characters() {
        let pieces = ["a", "é", ":", " ", "Q: ", "\u{201c}", "abcdefghij"];
        let late = (70..90).flat_map(|n| {
            ["a", "é", "\u{201c}"].map(|c| format!("{}: {}", c.repeat(n), c.repeat(5)))
        });
        for t in crate::testing::texts(&pieces, 0xc010, 60)
            .take(3_000)
            .chain(late)
        {
            let head = &t[..t.char_indices().nth(80).map_or(t.len(), |(i, _)| i)];
            assert_eq!(colon_in_head(&t), head.contains(':'), "{t:?}");
        }
    }
}
