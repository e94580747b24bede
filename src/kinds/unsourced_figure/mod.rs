//! `unsourced-figure`: a figure claim that nothing in its scope attributes,
//! or whose only support is an estimate or a vague attribution.
//!
//! The unit is the claim (`claim.rs`): a figure with its unit, a conversion
//! or range folded in, one finding each. Whether a claim is sourced is
//! decided by the scope rules (`attribution.rs`): its sentence, its
//! quotation, an earlier sentence of its paragraph that its own sentence
//! continues, or an explicit back-reference. A claim in a paragraph that
//! repeats an earlier one is left to the repeat's own finding.
//!
//! Message variables: `{figure}`, `{reason}`.

mod attribution;
mod claim;
mod number;

use std::hash::Hasher;
use std::ops::Range;

use attribution::{Carry, Cues, Paragraph, Scope, Support};
use claim::{Lexicon, Openers, SentenceWords};

use super::{KindError, KindSpec};
use crate::check::{Check, Common, Context, Emitter};
use crate::document::{Block, Span, WordSet};
use crate::matching::PhraseMatcher;

pub const SPEC: KindSpec = KindSpec {
    name: "unsourced-figure",
    summary: "a figure claim with no source in its scope, or only an estimate or hearsay",
    params: File::PARAMS,
    parse,
    cost: 3,
};

crate::rule_file!(File {
    /// Counts and durations smaller than this ("two reservoirs", "six weeks")
    /// are not worth a source. Default 10.
    #[serde(default = "default_min_count")]
    min_count: f64,
    /// Speech and reporting verbs ("said", "told", "found"): in a claim's
    /// sentence, they source it. Default none.
    #[serde(default)]
    attribution: Vec<String>,
    /// Phrases that name a source of data ("according to", "figures from",
    /// "a survey by"): in a claim's sentence, they source it, even beside a
    /// speaker's estimate. Default none.
    #[serde(default)]
    data_sources: Vec<String>,
    /// Decisions and results of record ("fined", "voted to", "turnout",
    /// "of the vote"): the body that decides or the count that declares is
    /// the source of the figures of its own clause ("was fined £400",
    /// "voted to raise council tax by 4.99%"), not of a figure set apart
    /// from it by a `record-breaks` word ("despite a protest by 200
    /// residents"). Default none.
    #[serde(default)]
    record_cues: Vec<String>,
    /// Words (one or two) that open a clause apart from a decision or result
    /// of record: "despite", "where", "the largest" (a record claim set
    /// beside a result). The clause they open runs to the next comma.
    /// Default none.
    #[serde(default)]
    record_breaks: Vec<String>,
    /// A market as the frame of a price or index move ("on Wall Street",
    /// "at the close"): regular expressions, matched on word boundaries in
    /// any case. Default none.
    #[serde(default)]
    market_frames: Vec<toml::Spanned<String>>,
    /// A speaker setting a figure with "put ... at" or "value ... at"
    /// ("Police put the crowd at 2,000"): regular expressions, matched on
    /// word boundaries in any case. Default none.
    #[serde(default)]
    valuation_frames: Vec<toml::Spanned<String>>,
    /// Markets and prices that report their own moves ("the FTSE 250",
    /// "Brent crude", "shares", "the pound"): with a `market-moves` word at
    /// most eight words after one ("The FTSE 250 fell 0.8%", "Brent crude,
    /// the benchmark, rose 2.3% to $84.10"), the figures of the sentence
    /// are market data, like a market frame's. Default none.
    #[serde(default)]
    market_subjects: Vec<String>,
    /// The moves of a `market-subjects` market ("fell", "closed", "was
    /// down"). Default none.
    #[serde(default)]
    market_moves: Vec<String>,
    /// Phrases of one to three words that put a market's move over a period
    /// ("since", "this year", "so far"), in the move's clause after its move
    /// word: the move then needs a source like any claim ("the yen is down 9%
    /// this year"). Default none.
    #[serde(default)]
    market_periods: Vec<String>,
    /// Words for a level that a period dates rather than the move ("fell 1.2%
    /// to its lowest since March"): a `market-periods` phrase after one of
    /// them leaves the move a session's. Default none.
    #[serde(default)]
    market_levels: Vec<String>,
    /// Explicit pointers back to a source named earlier in the story ("the
    /// report also", "these figures"): they source a claim in another
    /// paragraph. Default none.
    #[serde(default)]
    back_references: Vec<String>,
    /// A speaker's own estimate or belief ("by her own estimate", "he
    /// believes"): weaker than a source, reported with its own reason. Default
    /// none.
    #[serde(default)]
    estimate: Vec<String>,
    /// Hearsay, attribution to no one in particular ("reportedly", "sources
    /// say"): reported with its own reason. Default none.
    #[serde(default)]
    vague_attribution: Vec<String>,
    /// Subjects that carry the source of an earlier sentence of the paragraph
    /// into the claim's sentence ("It expects", "The firm added"). Default
    /// none.
    #[serde(default)]
    continuation_subjects: Vec<String>,
    /// Subjects that carry a source on only when the paragraph named it before
    /// ("The union" after "the union's general secretary said"). Default none.
    #[serde(default)]
    named_continuation_subjects: Vec<String>,
    /// Words that may open a sentence before its continuing subject ("But
    /// it"). Default none.
    #[serde(default)]
    connectors: Vec<String>,
    /// Honorifics before a name that continues the source ("Mr Evans added").
    /// Default none.
    #[serde(default)]
    honorifics: Vec<String>,
    /// Currency names after a number ("20m euros", "300 million Swiss
    /// francs"). Default none.
    #[serde(default)]
    currency_words: Vec<String>,
    /// Words before a scaled number that make it money ("cost 270 million",
    /// "paid 3bn", "worth 2.5 million"). Default none.
    #[serde(default)]
    money_context: Vec<String>,
    /// Words after a number that make it a percentage ("per cent", "percentage
    /// points"). Default none.
    #[serde(default)]
    percent_words: Vec<String>,
    /// Words between a sum and its conversion, which is folded into the claim
    /// ("20m euros (about $26m)", "the 20m note, worth $15"). Default none.
    #[serde(default)]
    conversion_words: Vec<String>,
    /// Multipliers that are claims without a number ("tripled", "halved",
    /// "tenfold"). Default none.
    #[serde(default)]
    multiplier_words: Vec<String>,
    /// Fractions and "N times as" comparisons ("a third of"): regular
    /// expressions, matched on word boundaries, so they need no `\b`. Default
    /// none.
    #[serde(default)]
    fraction_patterns: Vec<toml::Spanned<String>>,
    /// Words after a number that make it no count: a frequency ("10 times a
    /// day"), a rank ("the 10 best"), a chart move ("rose 23 places") or a
    /// sporting record ("scored 12 goals"). Default none.
    #[serde(default)]
    not_count_after: Vec<String>,
    /// Words that may stand between a number and its counted noun in a
    /// sporting record, read past to find the noun ("213 Premier League
    /// goals", "22 grand slam titles", "11 straight wins"). A capitalised word
    /// is read past too. Default none.
    #[serde(default)]
    sporting_qualifiers: Vec<String>,
    /// Nouns that make a number a sporting record only in a sporting
    /// setting, as they are claims elsewhere ("the index fell 42 points"):
    /// when a `sporting-qualifiers` word (or a capitalised one) stands
    /// between ("36 Test centuries") or a `scoring-words` word comes shortly
    /// before the number ("scored 42 points", "finished with 42 points").
    /// Default none.
    #[serde(default)]
    sporting_tallies: Vec<String>,
    /// Words that, up to three words before a number, make a
    /// `sporting-tallies` noun after it a sporting record ("scored",
    /// "finished with"). Default none.
    #[serde(default)]
    scoring_words: Vec<String>,
    /// Words that, right before a number, make a `sporting-tallies` noun
    /// after it a sporting record ("with 42 points", "Arsenal have 42
    /// points"). Default none.
    #[serde(default)]
    tally_before: Vec<String>,
    /// Words right after a `sporting-tallies` noun that make it a standing
    /// in a table ("38 points clear", "six points adrift"). Default none.
    #[serde(default)]
    tally_after: Vec<String>,
    /// Words before a number that make it a label, a rank or a title
    /// ("number 34", "top 100", "world No 2", "the novel 1,001 Nights").
    /// Default none.
    #[serde(default)]
    not_count_before: Vec<String>,
    /// Words that cannot be the thing counted: a number followed by one is not
    /// a count ("in 80 and 84", "from 26 to 30"). Default none.
    #[serde(default)]
    function_words: Vec<String>,
    /// Units of time: "87 days" is a claim, unless a `time-frame-before` word
    /// makes it a time frame. Default none.
    #[serde(default)]
    duration_words: Vec<String>,
    /// Units of a race time: "14 minutes 32.93 seconds" is a result, not a
    /// claim. Default none.
    #[serde(default)]
    clock_units: Vec<String>,
    /// Words that make a following duration a time frame rather than a claim
    /// ("over the past 12 months", "for 40 years"). Default none.
    #[serde(default)]
    time_frame_before: Vec<String>,
    /// Words after a duration that date something rather than measure it
    /// ("30,000 years ago", "the 50 years since"). Default none.
    #[serde(default)]
    time_frame_after: Vec<String>,
    /// Words that may stand between a `time-frame-before` word and its number
    /// ("the", "about"). Default none.
    #[serde(default)]
    time_frame_fillers: Vec<String>,
    /// Rough sizes that make no checkable claim ("hundreds of vendors").
    /// Default none.
    #[serde(default)]
    vague_quantities: Vec<String>,
    /// Units of length, height and speed: "a 50-metre tower" measures
    /// something rather than counts it, so it is no claim (a rate such as "30
    /// miles per year" still is). Default none.
    #[serde(default)]
    measure_units: Vec<String>,
    /// Words after a distance ("400m", "10k") that make it a sporting event,
    /// not money or a count ("a 400m runner", "the 10k race"). Default none.
    #[serde(default)]
    distance_events: Vec<String>,
    /// Banknotes and coins: "the €500 note" names one and claims nothing,
    /// unless a conversion follows. Default none.
    #[serde(default)]
    denominations: Vec<String>,
    /// Subjects that point back to a source of data named earlier in the
    /// story, in any paragraph ("The survey also asked", "The index spans").
    /// Default none.
    #[serde(default)]
    source_subjects: Vec<String>,
});

fn default_min_count() -> f64 {
    10.0
}

#[derive(Debug)]
struct UnsourcedFigure {
    lexicon: Lexicon,
    scope: Scope,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, rule) = build(text)?;
    Ok((common, Box::new(rule)))
}

fn build(text: &str) -> Result<(Common, UnsourcedFigure), KindError> {
    let (common, f) = File::parse(text)?;
    let patterns = |list: &[toml::Spanned<String>]| -> Result<Option<PhraseMatcher>, KindError> {
        if list.is_empty() {
            Ok(None)
        } else {
            Ok(Some(PhraseMatcher::bounded_patterns(list)?))
        }
    };
    let lower =
        |v: Vec<String>| -> Vec<String> { v.into_iter().map(|s| s.to_lowercase()).collect() };
    let phrases = PhraseMatcher::phrases;
    let scope = Scope {
        attribution: phrases(&f.attribution),
        data_sources: phrases(&f.data_sources),
        records: phrases(&f.record_cues),
        record_breaks: WordSet::new(f.record_breaks),
        market_frames: patterns(&f.market_frames)?,
        valuation_frames: patterns(&f.valuation_frames)?,
        market_subjects: phrases(&f.market_subjects),
        market_moves: WordSet::new(f.market_moves),
        market_periods: WordSet::new(f.market_periods),
        market_levels: WordSet::new(f.market_levels),
        back_references: phrases(&f.back_references),
        estimate: phrases(&f.estimate),
        vague: phrases(&f.vague_attribution),
        multipliers: phrases(&f.multiplier_words),
        fractions: patterns(&f.fraction_patterns)?,
        continuation_subjects: Openers::new(lower(f.continuation_subjects)),
        named_continuation_subjects: Openers::new(lower(f.named_continuation_subjects)),
        connectors: WordSet::new(f.connectors),
        source_subjects: Openers::new(lower(f.source_subjects)),
        honorifics: WordSet::new(f.honorifics),
    };
    let lexicon = Lexicon {
        min_count: f.min_count,
        currency_words: Openers::new(lower(f.currency_words)),
        money_context: WordSet::new(f.money_context),
        percent_words: Openers::new(lower(f.percent_words)),
        conversion_words: WordSet::new(f.conversion_words),
        not_count_after: WordSet::new(f.not_count_after),
        sporting_qualifiers: WordSet::new(f.sporting_qualifiers),
        sporting_tallies: WordSet::new(f.sporting_tallies),
        scoring_words: WordSet::new(f.scoring_words),
        tally_before: WordSet::new(f.tally_before),
        tally_after: WordSet::new(f.tally_after),
        not_count_before: WordSet::new(f.not_count_before),
        function_words: WordSet::new(f.function_words),
        duration_words: WordSet::new(f.duration_words),
        clock_units: WordSet::new(f.clock_units),
        time_frame_before: WordSet::new(f.time_frame_before),
        time_frame_after: WordSet::new(f.time_frame_after),
        time_frame_fillers: WordSet::new(f.time_frame_fillers),
        vague_quantities: WordSet::new(f.vague_quantities),
        measure_units: WordSet::new(f.measure_units),
        distance_events: WordSet::new(f.distance_events),
        denominations: Openers::new(lower(f.denominations)),
    };
    Ok((common, UnsourcedFigure { lexicon, scope }))
}

/// Does the paragraph `block` open a quotation and leave one open at its
/// end (an odd number of double quote marks): a British quote that runs on
/// into the next paragraph?
fn runs_on(doc: &Context, block: &Range<usize>) -> bool {
    let text = doc.prose_of(block).trim();
    text.starts_with(['"', '\u{201c}'])
        && text
            .chars()
            .filter(|c| matches!(c, '"' | '\u{201c}' | '\u{201d}'))
            .count()
            % 2
            == 1
}

/// What judging carries from one paragraph of the body to the next.
#[derive(Default)]
struct Judging {
    /// Every claim judged so far, with its support.
    judged: Vec<(Range<usize>, Support)>,
    /// The text hashes of the paragraphs with claims so far.
    seen: rustc_hash::FxHashSet<u64>,
    /// What the scope rules pass on to the next paragraph.
    carry: Carry,
    /// Word buffers, kept from one sentence to the next: the sentence's
    /// and the next sentence's.
    words: Vec<Span>,
    next_words: Vec<Span>,
}

impl UnsourcedFigure {
    /// Every claim of the body, in order, with its support.
    fn judge(&self, doc: &Context) -> Vec<(Range<usize>, Support)> {
        let mut judging = Judging::default();
        let blocks: Vec<&Block> = doc.body_blocks().map(|(_, b)| b).collect();
        for (i, block) in blocks.iter().enumerate() {
            // A quote left open at the paragraph's end runs on into the next
            // paragraph; when that one attributes it ("...," he says), so
            // is this one's.
            let attributed_later = runs_on(doc, &block.span)
                && self
                    .scope
                    .run_on_attributed(doc, blocks[i + 1..].iter().map(|b| b.span.clone()));
            self.judge_paragraph(doc, block, attributed_later, &mut judging);
        }
        judging.judged
    }

    /// The claims of one body paragraph, with their support. A paragraph
    /// that repeats an earlier one with claims (a paste) gives none: the
    /// repeat is reported as such, and its figures were judged where they
    /// first stood.
    fn judge_paragraph(
        &self,
        doc: &Context,
        block: &Block,
        attributed_later: bool,
        j: &mut Judging,
    ) {
        let mut para = Paragraph::new(&self.scope, doc, &block.span, j.carry, attributed_later);
        let mut repeat: Option<bool> = None;
        for si in block.sentences() {
            let s = &doc.sentences[si];
            let words = doc.words_of(s, &mut j.words);
            let sentence = SentenceWords {
                span: s.span(),
                words,
            };
            let claims = self.lexicon.claims(doc, &sentence, para.cues.ratios());
            let own = self
                .scope
                .in_sentence(doc, &s.span(), &para.cues, !claims.is_empty());
            if !claims.is_empty()
                && !*repeat.get_or_insert_with(|| !j.seen.insert(text_hash(doc, block)))
            {
                // Asked once per sentence, of its first claim nothing else
                // sources.
                let mut next_source: Option<bool> = None;
                for c in claims {
                    let support = para.claim_support(&self.scope, doc, words, own, &c.span, || {
                        *next_source.get_or_insert_with(|| {
                            self.next_names_source(doc, block, si, &para.cues, &mut j.next_words)
                        })
                    });
                    j.judged.push((c.span, support));
                }
            }
            para.after_sentence(&self.scope, s, own);
        }
        j.carry = para.carry();
    }

    /// Does the sentence after sentence `si` of `block` only name where
    /// figures come from, with no claim of its own? Only a sentence of the
    /// same paragraph does: across paragraphs a claim is sourced by nothing
    /// but a back-reference in its own sentence.
    fn next_names_source(
        &self,
        doc: &Context,
        block: &Block,
        si: usize,
        cues: &Cues,
        buf: &mut Vec<Span>,
    ) -> bool {
        if si + 1 >= block.sentences().end {
            return false;
        }
        let n = si + 1;
        let s = &doc.sentences[n];
        if !self.scope.names_data_source(doc, &s.span(), cues) {
            return false;
        }
        let sentence = SentenceWords {
            span: s.span(),
            words: doc.words_of(s, buf),
        };
        self.lexicon
            .claims(doc, &sentence, cues.ratios())
            .is_empty()
    }
}

/// A hash of a paragraph's letters and digits, lower-cased: a pasted
/// repeat hashes the same whatever its spacing and punctuation.
fn text_hash(doc: &Context, block: &Block) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for b in doc.prose_of(&block.span).bytes() {
        if b.is_ascii_alphanumeric() || b >= 0x80 {
            h.write_u8(b.to_ascii_lowercase());
        }
    }
    h.finish()
}

impl Check for UnsourcedFigure {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        for (span, support) in self.judge(doc) {
            let reason = match support {
                Support::Sourced => continue,
                Support::Unsourced => "no source is given in its sentence",
                Support::Estimate => "its only support is an estimate or belief",
                Support::Vague => "it is attributed only vaguely; name the source",
            };
            let shown = crate::document::squeeze(doc.slice(&span));
            out.emit(span, &[("figure", &shown), ("reason", reason)]);
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["figure", "reason"]
    }

    fn phrase_lists(&self) -> Vec<&PhraseMatcher> {
        let s = &self.scope;
        [
            &s.attribution,
            &s.data_sources,
            &s.records,
            &s.back_references,
            &s.estimate,
            &s.vague,
            &s.multipliers,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped rule, built from its rule file.
    pub fn rule() -> UnsourcedFigure {
        match build(crate::testing::shipped_rule("unsourced-figure")) {
            Ok((_, rule)) => rule,
            Err(_) => panic!("the shipped unsourced-figure rule loads"),
        }
    }

    /// A plain-text story under the headline "Headline", read on one thread.
    pub fn story(text: &str) -> crate::document::Document<'_> {
        crate::document::Document::new(
            text,
            "t.txt",
            &crate::document::Options {
                headline: Some("Headline".into()),
                threads: 1,
                ..crate::document::Options::default()
            },
        )
    }
}
