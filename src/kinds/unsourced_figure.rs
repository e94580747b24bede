//! `unsourced-figure`: a figure that makes a checkable claim with no source in
//! its sentence, or whose only support is an estimate or belief.
//!
//! A figure is money, a percentage, a multiplier or fraction ("tripled",
//! "three times as", "a third of"), or a count or duration at or above
//! `min-count` ("87 days", "1,240 students", "hundreds of"), in digits or
//! words. Not figures: years, dates, times, ages, ordinals, numbers in names
//! and addresses ("Apollo 11", "Route 9", "12 Baker Street"), phone numbers,
//! numbers inside quotation marks.
//!
//! A sentence is sourced by an attribution cue (`attribution`, such as
//! "said" or "according to"), a Markdown link, or a following sentence that is
//! a bare attribution with no figure of its own. An `estimate` cue ("by her
//! own estimate", "he believes") makes the support an estimate only, unless a
//! `strong-attribution` cue ("according to", "data", "survey") is present too.
//!
//! Message variables: `{figure}`, `{reason}`.

use std::ops::Range;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::Document;
use crate::matching::{LiteralScreen, PhraseMatcher, within};

pub const SPEC: KindSpec = KindSpec {
    name: "unsourced-figure",
    summary: "a figure with no source in its sentence, or only an estimate",
    parse,
    cost: 3,
};

crate::rule_file!(File {
    #[serde(default = "default_min_count")]
    min_count: f64,
    #[serde(default)]
    attribution: Vec<String>,
    #[serde(default)]
    strong_attribution: Vec<String>,
    #[serde(default)]
    estimate: Vec<String>,
    #[serde(default)]
    currency_words: Vec<String>,
    #[serde(default)]
    percent_words: Vec<String>,
    #[serde(default)]
    multiplier_words: Vec<String>,
    #[serde(default)]
    fraction_patterns: Vec<toml::Spanned<String>>,
    #[serde(default)]
    not_count_after: Vec<String>,
    #[serde(default)]
    not_count_before: Vec<String>,
    #[serde(default)]
    function_words: Vec<String>,
    #[serde(default)]
    duration_words: Vec<String>,
    #[serde(default)]
    time_frame_before: Vec<String>,
    #[serde(default)]
    carry_paragraphs: usize,
    #[serde(default)]
    vague_quantities: Vec<String>,
    #[serde(default)]
    measure_units: Vec<String>,
});

fn default_min_count() -> f64 {
    10.0
}

#[derive(Debug)]
struct UnsourcedFigure {
    min_count: f64,
    attribution: Option<PhraseMatcher>,
    strong: Option<PhraseMatcher>,
    estimate: Option<PhraseMatcher>,
    currency_words: Vec<String>,
    percent_words: Vec<String>,
    multipliers: Option<PhraseMatcher>,
    fractions: Option<PhraseMatcher>,
    not_count_after: Vec<String>,
    not_count_before: Vec<String>,
    function_words: Vec<String>,
    duration_words: Vec<String>,
    time_frame_before: Vec<String>,
    carry_paragraphs: usize,
    vague: Vec<String>,
    measure_units: Vec<String>,
}

fn phrases(list: &[String]) -> Option<PhraseMatcher> {
    PhraseMatcher::phrases(list)
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    let fractions = if f.fraction_patterns.is_empty() {
        None
    } else {
        Some(PhraseMatcher::bounded_patterns(&f.fraction_patterns)?)
    };
    let lower =
        |v: Vec<String>| -> Vec<String> { v.into_iter().map(|s| s.to_lowercase()).collect() };
    Ok((
        common,
        Box::new(UnsourcedFigure {
            min_count: f.min_count,
            attribution: phrases(&f.attribution),
            strong: phrases(&f.strong_attribution),
            estimate: phrases(&f.estimate),
            currency_words: lower(f.currency_words),
            percent_words: lower(f.percent_words),
            multipliers: phrases(&f.multiplier_words),
            fractions,
            not_count_after: lower(f.not_count_after),
            not_count_before: lower(f.not_count_before),
            function_words: lower(f.function_words),
            duration_words: lower(f.duration_words),
            time_frame_before: lower(f.time_frame_before),
            carry_paragraphs: f.carry_paragraphs,
            vague: lower(f.vague_quantities),
            measure_units: lower(f.measure_units),
        }),
    ))
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("dozens", 24.0),
    ("hundreds", 200.0),
    ("thousands", 2e3),
    ("millions", 2e6),
    ("billions", 2e9),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("a", 1.0),
];

/// Of each length and first letter, the last letters of number words (bit
/// 0 for 'a'): "the" opens like "ten" but does not end like it.
const LASTS: [[u32; 26]; 10] = {
    let mut masks = [[0u32; 26]; 10];
    let mut i = 0;
    while i < NUMBER_WORDS.len() {
        let n = NUMBER_WORDS[i].0.as_bytes();
        let first = (n[0].to_ascii_lowercase() - b'a') as usize;
        let last = n[n.len() - 1].to_ascii_lowercase() - b'a';
        masks[n.len()][first] |= 1 << last;
        i += 1;
    }
    masks
};

/// Could a word of `len` bytes that opens with the byte `first` and ends
/// with `last` be a number: digits, or a number word (of its length, with
/// its first and last letters, in any case)? Most words are turned away by
/// this one test, before they are sliced out of the text.
fn may_be_number(first: u8, last: u8, len: usize) -> bool {
    first.is_ascii_digit()
        || (first.is_ascii_alphabetic()
            && last.is_ascii_alphabetic()
            && LASTS.get(len).is_some_and(|m| {
                m[usize::from((first | 0x20) - b'a')] & (1 << ((last | 0x20) - b'a')) != 0
            }))
}

/// The value of a number word in any case ("Twenty"), by one hash lookup:
/// this runs for nearly every word of the text.
fn number_word(w: &str) -> Option<f64> {
    static TABLE: std::sync::LazyLock<rustc_hash::FxHashMap<&'static [u8], f64>> =
        std::sync::LazyLock::new(|| {
            NUMBER_WORDS
                .iter()
                .map(|(n, v)| (n.as_bytes(), *v))
                .collect()
        });
    let (&first, &last) = (w.as_bytes().first()?, w.as_bytes().last()?);
    if !first.is_ascii_alphabetic() || !may_be_number(first, last, w.len()) {
        return None;
    }
    let mut buf = [0u8; 9];
    let lower = buf.get_mut(..w.len())?;
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    TABLE.get(&*lower).copied()
}

const SCALES: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("m", 1e6),
    ("bn", 1e9),
    ("k", 1e3),
];

/// A figure found in a sentence.
struct Figure {
    span: Range<usize>,
}

impl UnsourcedFigure {
    fn figures(
        &self,
        doc: &Document,
        sentence: &crate::document::Sentence,
        cues: &Cues,
        buf: &mut Vec<crate::document::Span>,
    ) -> Vec<Figure> {
        let words = doc.words_of(sentence, buf);
        let text = |k: usize| doc.slice(&words[k].range());
        let lower = |k: usize| crate::document::lower_cow(doc.slice(&words[k].range()));
        let mut out: Vec<Figure> = Vec::new();
        let mut k = 0;
        while k < words.len() {
            let span = words[k].range();
            let b = doc.prose.as_bytes();
            if !may_be_number(b[span.start], b[span.end - 1], span.len()) {
                k += 1;
                continue;
            }
            let w = text(k);
            // No allocation per word: number words are ASCII.
            let digits = w.as_bytes().first().is_some_and(u8::is_ascii_digit);
            let value = digits.then(|| numeric_value(w)).flatten().or_else(|| {
                number_word(w)
                    // "a" only counts before a scale word ("a million").
                    .filter(|_| {
                        !w.eq_ignore_ascii_case("a")
                            || (k + 1 < words.len() && is_scale(&lower(k + 1)))
                    })
            });
            // Quoted figures are the speaker's (tested only for numbers: a
            // search of the quotes for every word would cost more than the
            // rest of this loop).
            let Some(mut value) = value.filter(|_| !doc.in_quote(span.start)) else {
                k += 1;
                continue;
            };
            // "Hundreds of vendors": a rough size, not a checkable figure.
            if crate::document::in_lower_list(&self.vague, w) {
                k += 1;
                continue;
            }
            // Extend over scale words: "40 million", "two hundred thousand".
            let mut end = k + 1;
            while end < words.len() && is_scale(&lower(end)) {
                value *= SCALES
                    .iter()
                    .find(|(s, _)| *s == lower(end))
                    .map_or(1.0, |(_, v)| *v);
                end += 1;
            }
            // A suffix glued to the digits: "40m", "2bn".
            if let Some(v) = glued_scale(w) {
                value = v;
            }
            let figure_span = span.start..words[end - 1].end();
            let before = prev_char(doc, span.start);
            let after_word = if end < words.len() {
                lower(end)
            } else {
                std::borrow::Cow::Borrowed("")
            };
            let after_text = &doc.prose[words[end - 1].end()..];

            let money = matches!(before, Some('$' | '£' | '€' | '¥'))
                || self.currency_words.iter().any(|w| *w == after_word);
            let percent = after_text.trim_start().starts_with('%')
                || self
                    .percent_words
                    .iter()
                    .any(|p| starts_with_words(after_text, p));
            if money || percent {
                let mut span = figure_span.clone();
                if money && matches!(before, Some('$' | '£' | '€' | '¥')) {
                    span.start = doc.prose[..span.start].trim_end().len() - 1;
                    while !doc.text.is_char_boundary(span.start) {
                        span.start -= 1;
                    }
                }
                if percent {
                    span.end = extend_percent(doc, figure_span.end, &self.percent_words);
                }
                out.push(Figure { span });
                k = end;
                continue;
            }
            if self.is_excluded(doc, words, k, end, sentence.span().end, w, value, digits) {
                k = end;
                continue;
            }
            if value >= self.min_count {
                // "three times as many" style multipliers are caught below;
                // here a plain count.
                out.push(Figure { span: figure_span });
            }
            k = end;
        }
        // Multipliers and fractions by pattern.
        for hits in [&cues.multipliers, &cues.fractions] {
            for span in within(hits, &sentence.span()) {
                if doc.in_quote(span.start) || out.iter().any(|f| overlaps(&f.span, span)) {
                    continue;
                }
                out.push(Figure { span: span.clone() });
            }
        }
        out.sort_by_key(|f| f.span.start);
        // A range is one figure: "$20 to $70", "between 10 and 12", "5-6%".
        let mut merged: Vec<Figure> = Vec::with_capacity(out.len());
        for f in out {
            if let Some(last) = merged.last_mut()
                && last.span.end <= f.span.start
                && matches!(
                    doc.prose[last.span.end..f.span.start].trim(),
                    "to" | "and" | "or" | "-" | "\u{2013}"
                )
            {
                last.span.end = f.span.end;
                continue;
            }
            merged.push(f);
        }
        merged
    }

    #[allow(clippy::too_many_arguments)]
    fn is_excluded(
        &self,
        doc: &Document,
        words: &[crate::document::Span],
        k: usize,
        end: usize,
        sentence_end: usize,
        w: &str,
        value: f64,
        is_digits: bool,
    ) -> bool {
        let lower = |i: usize| crate::document::lower_cow(doc.slice(&words[i].range()));
        // Ordinals and mixed tokens ("21st", "3D", "COVID-19").
        if is_digits && w.chars().any(char::is_alphabetic) && glued_scale(w).is_none() {
            return true;
        }
        if !is_digits && w.chars().next().is_some_and(char::is_uppercase) && k > 0 {
            // "Ten Downing Street"-style names mid-sentence.
            return true;
        }
        // Hyphenated digits: ranges, scores, phone numbers, "44-year-old".
        if is_digits && w.contains('-') {
            return true;
        }
        let prev = if k > 0 {
            Some(doc.slice(&words[k - 1].range()))
        } else {
            None
        };
        let next = if end < words.len() {
            Some(lower(end))
        } else {
            None
        };
        let gap_before = if k > 0 {
            &doc.prose[words[k - 1].end()..words[k].start()]
        } else {
            ""
        };
        let gap_after = if end < words.len() {
            &doc.prose[words[end - 1].end()..words[end].start()]
        } else {
            &doc.prose[words[end - 1].end()..sentence_end.max(words[end - 1].end())]
        };
        // Years.
        if is_digits && !w.contains(',') && w.len() == 4 && (1000.0..=2100.0).contains(&value) {
            return true;
        }
        // Dates: "March 15", "15 March", "Monday 5".
        if prev.is_some_and(|p| MONTHS.contains(&p.to_lowercase().as_str()))
            || next.as_deref().is_some_and(|n| MONTHS.contains(&n))
        {
            return true;
        }
        // Times: "7 p.m.", "10:30", "9am".
        let rest = doc.prose[words[end - 1].end()..].trim_start();
        if gap_after.starts_with(':')
            || gap_before.ends_with(':')
            || rest.starts_with("a.m")
            || rest.starts_with("p.m")
            || next.as_deref().is_some_and(|n| {
                matches!(
                    n,
                    "am" | "pm" | "gmt" | "bst" | "utc" | "edt" | "est" | "o'clock"
                )
            })
        {
            return true;
        }
        // Ages: "Sharma, 44,", "aged 44", "44 years old".
        if gap_before.trim() == ","
            && (gap_after.trim_start().starts_with(',') || end == words.len())
            && value < 130.0
        {
            return true;
        }
        if prev.is_some_and(|p| p.eq_ignore_ascii_case("aged") || p.eq_ignore_ascii_case("age")) {
            return true;
        }
        if next.as_deref() == Some("years") && end + 1 < words.len() && lower(end + 1) == "old" {
            return true;
        }
        // Names, routes, addresses: "Apollo 11", "Route 9", "No. 3", "12 Baker Street".
        if let Some(p) = prev
            && p.chars().next().is_some_and(char::is_uppercase)
            && !gap_before.contains([',', ';', ':', '(', '\u{2014}', '\u{2013}'])
            && !(k == 1 && MONTHS.contains(&p.to_lowercase().as_str()))
        {
            let p_lower = p.to_lowercase();
            if !matches!(
                p_lower.as_str(),
                "the"
                    | "a"
                    | "about"
                    | "some"
                    | "over"
                    | "nearly"
                    | "almost"
                    | "than"
                    | "more"
                    | "less"
                    | "at"
                    | "in"
                    | "by"
                    | "of"
                    | "to"
                    | "for"
                    | "with"
                    | "from"
                    | "only"
                    | "just"
                    | "around"
                    | "roughly"
            ) {
                return true;
            }
        }
        if let Some(n) = &next
            && end < words.len()
            && doc
                .slice(&words[end].range())
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && gap_after.trim().is_empty()
            && n != "percent"
        {
            return true;
        }
        if next
            .as_deref()
            .is_some_and(|n| self.not_count_after.iter().any(|x| x == n))
        {
            return true;
        }
        // "18 of them", "two of whom": a part of a number already given.
        if next.as_deref() == Some("of")
            && end + 1 < words.len()
            && matches!(
                lower(end + 1).as_ref(),
                "them" | "those" | "these" | "whom" | "which" | "us"
            )
        {
            return true;
        }
        if prev.is_some_and(|p| {
            self.not_count_before
                .iter()
                .any(|x| x.eq_ignore_ascii_case(p))
        }) {
            return true;
        }
        // "9/11", "24/7", "3/4".
        if gap_before.ends_with('/') || gap_after.starts_with('/') {
            return true;
        }
        // A count counts something: a noun must follow ("87 days", "hundreds
        // of homes"). A bare number ("she was 88", "over 18", "the top 100")
        // is an age, a score or a rank.
        let noun_follows = end < words.len()
            && gap_after.chars().all(char::is_whitespace)
            && next.as_deref().is_some_and(|n| {
                n.chars().next().is_some_and(char::is_alphabetic)
                    && (n == "of" || !self.function_words.iter().any(|f| f == n))
            });
        if !noun_follows {
            return true;
        }
        // A measurement ("50 metres high") is neither a count nor a duration,
        // unless it is a rate ("30 miles per year").
        if next
            .as_deref()
            .is_some_and(|n| self.measure_units.iter().any(|u| u == n))
        {
            let after = if end + 1 < words.len() {
                lower(end + 1)
            } else {
                std::borrow::Cow::Borrowed("")
            };
            if after != "per" && after != "an" && after != "a" {
                return true;
            }
        }
        // "30,000 years ago", "60 years after" date something; they claim no quantity.
        if next
            .as_deref()
            .is_some_and(|n| self.duration_words.iter().any(|d| d == n))
            && end + 1 < words.len()
            && matches!(
                lower(end + 1).as_ref(),
                "ago" | "after" | "before" | "later" | "earlier" | "on"
            )
        {
            return true;
        }
        // A time frame is not a claim: "over the past 12 months", "in 15
        // years", "for 40 years". A bare duration still is: "lasted 87 days".
        if next
            .as_deref()
            .is_some_and(|n| self.duration_words.iter().any(|d| d == n))
        {
            let mut i = k;
            while i > 0 {
                let p = lower(i - 1);
                if matches!(
                    p.as_ref(),
                    "the"
                        | "a"
                        | "an"
                        | "about"
                        | "around"
                        | "nearly"
                        | "almost"
                        | "some"
                        | "just"
                        | "more"
                        | "than"
                        | "over"
                        | "under"
                ) && i + 3 > k
                {
                    if self.time_frame_before.iter().any(|t| *t == p) {
                        return true;
                    }
                    i -= 1;
                    continue;
                }
                return self.time_frame_before.iter().any(|t| *t == p);
            }
        }
        // Phone numbers: long digit strings, a leading zero, or groups of
        // digits separated by spaces.
        if is_digits
            && !w.contains([',', '.'])
            && (w.len() >= 6 || (w.starts_with('0') && w.len() > 1))
        {
            return true;
        }
        let digits_next = end < words.len()
            && doc
                .slice(&words[end].range())
                .starts_with(|c: char| c.is_ascii_digit())
            && gap_after.trim().is_empty();
        let digits_prev = k > 0
            && doc
                .slice(&words[k - 1].range())
                .starts_with(|c: char| c.is_ascii_digit())
            && gap_before.trim().is_empty();
        if is_digits && (digits_next || digits_prev) {
            return true;
        }
        false
    }

    fn attributed(&self, doc: &Document, span: &Range<usize>, cues: &Cues) -> (bool, bool, bool) {
        let weak = within(&cues.weak, span).next().is_some();
        let strong = within(&cues.strong, span).next().is_some() || doc.in_link(span);
        let estimate = within(&cues.estimate, span).next().is_some();
        (weak, strong, estimate)
    }

    /// Every cue and pattern match in one paragraph: each list is searched
    /// once per paragraph, not once per sentence.
    fn cues(
        &self,
        doc: &Context,
        block: &Range<usize>,
        fraction_screen: Option<&LiteralScreen>,
    ) -> Cues {
        let find = |m: &Option<PhraseMatcher>| {
            m.as_ref()
                .map(|m| doc.find_all(m, block.clone()))
                .unwrap_or_default()
        };
        Cues {
            weak: find(&self.attribution),
            strong: find(&self.strong),
            estimate: find(&self.estimate),
            multipliers: find(&self.multipliers),
            fractions: self
                .fractions
                .as_ref()
                .map(|m| doc.find_all_screened(m, block.clone(), fraction_screen))
                .unwrap_or_default(),
        }
    }
}

/// Cue and pattern matches in one paragraph, in order.
#[derive(Default)]
struct Cues {
    weak: Vec<Range<usize>>,
    strong: Vec<Range<usize>>,
    estimate: Vec<Range<usize>>,
    multipliers: Vec<Range<usize>>,
    fractions: Vec<Range<usize>>,
}

/// Cues of the paragraphs in use (the current one and the next), with
/// whether each opens with a speaker label.
struct CueCache {
    cached: Vec<(usize, Cues, bool)>,
    /// Where the fraction patterns' literals occur: a paragraph with none
    /// is not searched for fractions.
    fractions: Option<LiteralScreen>,
}

impl CueCache {
    fn new(rule: &UnsourcedFigure, doc: &Context) -> CueCache {
        CueCache {
            cached: Vec::new(),
            fractions: rule.fractions.as_ref().and_then(|m| doc.literal_screen(m)),
        }
    }

    fn get(&mut self, rule: &UnsourcedFigure, doc: &Context, bi: usize) -> usize {
        if let Some(i) = self.cached.iter().position(|(b, _, _)| *b == bi) {
            return i;
        }
        let block = &doc.blocks[bi];
        let text = doc.prose_of(&block.span);
        let speaker = colon_in_head(text) && might_be_speaker(text) && SPEAKER.is_match(text);
        if self.cached.len() >= 2 {
            self.cached.remove(0);
        }
        let cues = rule.cues(doc, &block.span, self.fractions.as_ref());
        self.cached.push((bi, cues, speaker));
        self.cached.len() - 1
    }
}

/// A paragraph that opens with a speaker label ("Q:", "William Evans:") is
/// an interview answer: everything in it is the speaker's, so attributed.
/// Built narrow for most copy (see `crate::narrow`): compiled whole, its
/// Unicode classes cost 12 M instructions.
static SPEAKER: crate::narrow::NarrowRegex = crate::narrow::NarrowRegex::new(
    r"^\s*(?:\*\*)?(?:[QA]|\p{Lu}[\p{L}.'’\-]*(?:\s+(?:\p{Lu}[\p{L}.'’\-]*|de|van|von|la)){0,3})(?:\*\*)?\s*:\s",
);

/// A colon among the first 80 characters of `text`, where a speaker label
/// ends. Found with memchr; the characters before it are counted only when
/// there is one (counting 80 characters of every paragraph first cost more
/// than the rest of the test).
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

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn is_scale(w: &str) -> bool {
    matches!(
        w,
        "hundred" | "thousand" | "million" | "billion" | "trillion" | "bn" | "m" | "k"
    )
}

fn glued_scale(w: &str) -> Option<f64> {
    let split = w.find(|c: char| c.is_alphabetic())?;
    let (num, suffix) = w.split_at(split);
    let v = numeric_value(num)?;
    let mut buf = [0u8; 32];
    let suffix = crate::document::lower_in(&mut buf, suffix);
    SCALES
        .iter()
        .find(|(s, _)| *s == suffix)
        .map(|(_, m)| v * m)
}

/// The value of the digits (with thousands commas and a decimal point) that
/// open `w`: "1,250" is 1250, "2.5bn" is 2.5. Gathered on the stack: it is
/// asked of every figure.
fn numeric_value(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let number = || {
        w.bytes()
            .take_while(|b| b.is_ascii_digit() || matches!(b, b',' | b'.'))
            .filter(|&b| b != b',')
    };
    let mut buf = [0u8; 40];
    let mut len = 0;
    for b in number() {
        match buf.get_mut(len) {
            Some(slot) => *slot = b,
            // Longer than any figure in copy: gathered on the heap.
            None => return String::from_utf8(number().collect()).ok()?.parse().ok(),
        }
        len += 1;
    }
    // ASCII digits and points.
    std::str::from_utf8(&buf[..len]).ok()?.parse().ok()
}

fn prev_char(doc: &Document, at: usize) -> Option<char> {
    doc.prose[..at]
        .trim_end_matches([' ', '\u{a0}'])
        .chars()
        .next_back()
}

fn starts_with_words(text: &str, phrase: &str) -> bool {
    let t = text.trim_start();
    // The first bytes first: a word equal to the phrase's first word
    // (ignoring ASCII case) starts with its first byte. Most figures are
    // followed by a word that starts otherwise, and then neither text is
    // split into words.
    if let (Some(&a), Some(&b)) = (t.as_bytes().first(), phrase.trim_start().as_bytes().first())
        && !a.eq_ignore_ascii_case(&b)
    {
        return false;
    }
    let mut t_words = t.split_whitespace();
    phrase.split_whitespace().all(|p| {
        t_words
            .next()
            .map(|w| {
                w.trim_end_matches([',', '.', ';', ':', ')'])
                    .eq_ignore_ascii_case(p)
            })
            .unwrap_or(false)
    })
}

/// End of "12 percent" / "12 per cent" / "12%".
fn extend_percent(doc: &Document, from: usize, words: &[String]) -> usize {
    let rest = &doc.prose[from..];
    let lead = rest.len() - rest.trim_start().len();
    if rest.trim_start().starts_with('%') {
        return from + lead + 1;
    }
    for p in words {
        if starts_with_words(rest, p) {
            let mut end = from + lead;
            let mut remaining = &doc.prose[end..];
            for (i, pw) in p.split_whitespace().enumerate() {
                if i > 0 {
                    let l = remaining.len() - remaining.trim_start().len();
                    end += l;
                    remaining = &remaining[l..];
                }
                end += pw.len();
                remaining = &remaining[pw.len()..];
            }
            return end;
        }
    }
    from
}

impl Check for UnsourcedFigure {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        // The body's sentences in order, each with its paragraph's place
        // among the body paragraphs; walked rather than collected, as a
        // large file has hundreds of thousands.
        let mut body = doc
            .body_blocks()
            .enumerate()
            .flat_map(|(para, (_, b))| b.sentences().map(move |si| (para, si)))
            .peekable();
        // Attribution carries forward inside a paragraph: "A survey of 2,000
        // tenants was published on Monday. Of those, 65% said ..." The block
        // whose earlier sentence carried one is remembered here.
        let mut carried: Option<usize> = None;
        // A named data source (a report, a survey) also covers the next
        // `carry-paragraphs` body paragraphs.
        let mut strong_until: Option<usize> = None;
        // Cues of the current paragraph and of the next one (a following
        // sentence may be in the next paragraph).
        let mut cue_cache = CueCache::new(self, doc);
        let mut buf = Vec::new();
        while let Some((para, si)) = body.next() {
            let s = &doc.sentences[si];
            let ci = cue_cache.get(self, doc, s.block());
            let (weak, strong, estimate) = self.attributed(doc, &s.span(), &cue_cache.cached[ci].1);
            let speaker = cue_cache.cached[ci].2;
            let carries =
                carried == Some(s.block()) || speaker || strong_until.is_some_and(|u| para <= u);
            if (weak || strong) && !estimate {
                carried = Some(s.block());
            }
            if strong && !estimate {
                strong_until = Some(para + self.carry_paragraphs);
            }
            let figures = self.figures(doc, s, &cue_cache.cached[ci].1, &mut buf);
            if figures.is_empty() {
                continue;
            }
            let reason = if strong || (weak && !estimate) {
                continue;
            } else if estimate {
                "its only support is an estimate or belief"
            } else {
                if carries {
                    continue;
                }
                // A following bare attribution with no figure of its own. In
                // the next paragraph (one-paragraph-per-line copy) it must
                // name a source of data, not just quote someone: "Whitfield
                // said the vote was overdue" does not source the figure above.
                if let Some(&(_, next)) = body.peek() {
                    let n = &doc.sentences[next];
                    let ni = cue_cache.get(self, doc, n.block());
                    let cues = &cue_cache.cached[ni].1;
                    let (w2, s2, e2) = self.attributed(doc, &n.span(), cues);
                    let names_source = if n.block() == s.block() { w2 || s2 } else { s2 };
                    if names_source && !e2 && self.figures(doc, n, cues, &mut buf).is_empty() {
                        continue;
                    }
                }
                "no source is given in its sentence"
            };
            for f in figures {
                let shown = crate::document::squeeze(doc.slice(&f.span));
                out.emit(f.span, &[("figure", &shown), ("reason", reason)]);
            }
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["figure", "reason"]
    }

    fn phrase_lists(&self) -> Vec<&PhraseMatcher> {
        [
            &self.attribution,
            &self.strong,
            &self.estimate,
            &self.multipliers,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The screen by length and first and last letters lets every number
    /// word through, in any case, and turns away common words.
    #[test]
    fn number_screen_keeps_every_number_word() {
        for (n, v) in NUMBER_WORDS {
            let title = n[..1].to_uppercase() + &n[1..];
            for w in [n.to_string(), n.to_uppercase(), title] {
                let b = w.as_bytes();
                assert!(may_be_number(b[0], b[b.len() - 1], b.len()), "{w}");
                assert_eq!(number_word(&w), Some(*v), "{w}");
            }
        }
        for w in ["the", "The", "that", "said", "7", "ten's", "tenX"] {
            let b = w.as_bytes();
            let screened = may_be_number(b[0], b[b.len() - 1], b.len());
            assert_eq!(screened, matches!(w, "7"), "{w}");
            assert_eq!(number_word(w), None, "{w}");
        }
    }

    /// The value read on the stack is the value of the digits and points
    /// gathered into a string (commas dropped), for short and long runs.
    #[test]
    fn numeric_value_reads_what_a_string_would_hold() {
        let by_string = |w: &str| -> Option<f64> {
            if !w.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let digits: String = w
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .filter(|c| *c != ',')
                .collect();
            digits.parse().ok()
        };
        let pieces = [
            "1",
            "0",
            "9",
            ",",
            ".",
            "5",
            "m",
            "bn",
            "é",
            "-",
            "12345678901234",
        ];
        let mut seen = 0;
        for w in crate::testing::texts(&pieces, 0x0b5e_55ed, 8).take(20_000) {
            let want = by_string(&w);
            assert_eq!(numeric_value(&w), want, "{w:?}");
            seen += usize::from(want.is_some());
        }
        assert!(seen > 2_000, "only {seen} numbers");
    }

    /// The first-letter screen turns away no number word, in any case.
    #[test]
    fn number_words_pass_the_screen() {
        for (n, v) in NUMBER_WORDS {
            for w in [n.to_string(), n.to_uppercase(), capitalise_first(n)] {
                assert_eq!(number_word(&w), (w.len() <= 9).then_some(*v), "{w}");
            }
        }
        for w in ["tent", "Zero", "elevens", "a", "", "niner", "twentyone"] {
            let want = NUMBER_WORDS
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(w))
                .map(|(_, v)| *v);
            assert_eq!(number_word(w), want, "{w}");
        }
    }

    fn capitalise_first(w: &str) -> String {
        w[..1].to_uppercase() + &w[1..]
    }

    /// The colon search gives what a look at the first 80 characters gives.
    #[test]
    fn colon_in_head_reads_the_first_80_characters() {
        let pieces = ["a", "é", ":", " ", "Q: ", "\u{201c}", "abcdefghij"];
        // And a first colon near the 80th character, after letters of one,
        // two and three bytes.
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

    /// The first bytes turn a word away only when it cannot be the
    /// phrase's first word; case and trailing punctuation are ignored as before.
    #[test]
    fn starts_with_words_ignores_case_and_punctuation() {
        for (text, phrase, want) in [
            ("  Percent, of the vote", "percent", true),
            ("per cent.", "per cent", true),
            ("PER   CENT of", "per cent", true),
            ("percentage points", "percent", false),
            ("pct", "percent", false),
            ("", "percent", false),
            ("anything", "", true),
            ("\u{c9}t\u{e9}", "\u{e9}t\u{e9}", false),
            ("\u{e9}t\u{e9}.", "\u{e9}t\u{e9}", true),
        ] {
            assert_eq!(starts_with_words(text, phrase), want, "{text:?} {phrase:?}");
        }
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
}
