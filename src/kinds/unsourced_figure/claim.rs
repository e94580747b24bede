//! Figure claims: what a finding is about.
//!
//! A claim is one figure with its unit: money ("$40 million", "20m euros",
//! "the programme cost 270 million"), a percentage or rate ("12%", "9
//! percent"), a multiplier or fraction ("tripled", "a third of"), or a count
//! or duration at or above `min-count` ("87 days", "23,400 members", "4
//! million viewers"). What restates it folds in: a conversion ("$10bn
//! (£5.2bn)", "the 20m note, worth $15") and the other end of a range ("$20
//! to $70", "10 to 12 days") are the same claim. The span covers the figure
//! with its unit, so an editor sees what is claimed.
//!
//! Not claims, because they are matters of record or labels rather than
//! checkable quantities: years, dates, clock times, ages, ordinals, numbers
//! in names, titles and addresses ("Apollo 11", "12 Baker Street"), phone
//! numbers, sports results and times ("won 3-1", "14 minutes 32.93
//! seconds", "a 400m runner"), chart positions ("rose 23 places"), time
//! frames ("the previous 12 months", "over 40 years"), measurements ("a
//! 50-metre tower") and rough sizes ("hundreds of").

use std::borrow::Cow;
use std::ops::Range;

use super::number::{glued_scale, may_be_number, number_word, numeric_value, scale};
use crate::document::{Document, Span, WordSet, in_lower_list, lower_cow};
use crate::matching::within;

/// Does `before` end with "by" and a first share, "to", so that the
/// share `last` after it closes a vote's split, a declared result like a
/// score ("backed by 58% to 42%", "rejected by 52 per cent to 48 per
/// cent")? The two shares make up all or nearly all of the votes (95% to
/// 100%), which no change ("rose by 2% to 5%") does.
fn vote_split(before: &str, last: f64) -> bool {
    let Some(rest) = before.trim_end().strip_suffix("to") else {
        return false;
    };
    let rest = rest.trim_end();
    let rest = ["%", "per cent", "percent"]
        .iter()
        .find_map(|p| rest.strip_suffix(p))
        .unwrap_or("")
        .trim_end();
    let digits = rest
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(rest, |i| &rest[i + 1..]);
    let Some(first) = numeric_value(digits) else {
        return false;
    };
    let by = rest[..rest.len() - digits.len()]
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("by"));
    by && first >= last && (95.0..=100.5).contains(&(first + last))
}

/// What a claim measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Money,
    Percent,
    Count,
    /// A multiplier or fraction ("tripled", "a third of").
    Ratio,
}

/// One figure claim: the figure with its unit, and any conversion or range
/// folded in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub span: Range<usize>,
    pub unit: Unit,
    /// Its number is scaled ("20m", "4 million"): such a count can carry a
    /// conversion ("the 20m note, worth $15").
    scaled: bool,
    /// The span ends at the number or its sign, with no counted noun after
    /// it, so the other end of a range may follow ("$20 to $70").
    open: bool,
    /// It names a banknote or coin ("the €500 note"): a label, not a
    /// claim, unless a conversion follows it ("the 20m note, worth $15").
    denomination: bool,
}

/// The word lists a claim is recognised by: parameters of the rule file,
/// lower-cased.
#[derive(Debug, Default)]
pub struct Lexicon {
    pub min_count: f64,
    /// Currency names after a number ("euros", "Swiss francs").
    pub currency_words: Openers,
    /// Words that make a scaled number money ("cost 270 million").
    pub money_context: WordSet,
    pub percent_words: Openers,
    /// Words between a figure and its conversion ("worth", "about").
    pub conversion_words: WordSet,
    pub not_count_after: WordSet,
    /// Words read past between a number and its noun in a sporting record
    /// ("Premier League", "grand slam").
    pub sporting_qualifiers: WordSet,
    /// Nouns that are sporting tallies only in a sporting setting ("points").
    pub sporting_tallies: WordSet,
    /// Words up to three before a number that make the setting sporting
    /// ("scored").
    pub scoring_words: WordSet,
    /// Words right before a number that make the setting sporting ("with
    /// 42 points", "Arsenal have 42 points").
    pub tally_before: WordSet,
    /// Words right after a sporting tally that make it a standing ("38
    /// points clear", "six points adrift").
    pub tally_after: WordSet,
    pub not_count_before: WordSet,
    pub function_words: WordSet,
    pub duration_words: WordSet,
    /// Units of a race time ("14 minutes 32.93 seconds").
    pub clock_units: WordSet,
    pub time_frame_before: WordSet,
    /// Words after a duration that make it date something ("ago", "since").
    pub time_frame_after: WordSet,
    /// Words that may stand between a time-frame word and its number ("the
    /// past 12 months", "for more than 40 years").
    pub time_frame_fillers: WordSet,
    pub vague_quantities: WordSet,
    pub measure_units: WordSet,
    /// Words after a distance that make it a sporting event ("the 400m
    /// final", "a 10k run").
    pub distance_events: WordSet,
    /// Banknotes and coins: "the €500 note" names one.
    pub denominations: Openers,
}

/// Signs that make the number after them money.
const CURRENCY_SIGNS: &[char] = &['$', '£', '€', '¥', '₹', '₩', '₽', '₺', '₦', '₱'];

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

/// Words between "of" and the whole in a part of a tally ("14 of his 20
/// races", "11 of their last 14 Tests").
const PART_OF_FILLERS: &[&str] = &[
    "his", "her", "their", "its", "the", "last", "first", "previous", "past", "opening", "next",
    "our", "my", "your",
];

/// Words before a capitalised word's number that do not make it a name
/// ("About 300", "In 12 days").
const NOT_NAME_BEFORE: &[&str] = &[
    "the",
    "a",
    "about",
    "some",
    "over",
    "nearly",
    "almost",
    "than",
    "more",
    "less",
    "at",
    "in",
    "by",
    "of",
    "to",
    "for",
    "with",
    "from",
    "only",
    "just",
    "around",
    "roughly",
    "up",
    "down",
    "rose",
    "fell",
    "has",
    "had",
    "have",
    "paid",
    "cost",
    "costs",
    "worth",
    "but",
    "and",
    "meanwhile",
    "now",
    "today",
    "yesterday",
    "still",
    "also",
    "however",
    "overall",
    "since",
    "another",
    "all",
    "under",
    "exactly",
    "almost",
    "nearly",
    "some",
    "only",
    "yet",
    "so",
];

/// Words of an address after a number: "12 Baker Street".
const ADDRESS_WORDS: &[&str] = &[
    "street",
    "road",
    "avenue",
    "lane",
    "drive",
    "way",
    "place",
    "square",
    "close",
    "crescent",
    "terrace",
    "st",
    "rd",
    "ave",
    "boulevard",
    "gardens",
    "row",
    "court",
    "mews",
    "walk",
];

/// A percentage after one of these names a group ("the top 1%"), not a share.
const GROUP_BEFORE: &[&str] = &["top", "bottom", "richest", "poorest", "wealthiest"];

/// A number after "age of" or "majority of" is an age or a tally of record.
const OF_RECORD: &[&str] = &["age", "ages", "majority"];

/// Words before a scale word that make it a rough size ("several hundred").
const ROUGHLY: &[&str] = &["several", "few", "many", "some"];

/// Words joining the two ends of a range.
const RANGE_JOINERS: &[&str] = &["to", "and", "or", "-", "\u{2013}"];

/// The words that set a figure against the one before it, from the lower-
/// cased gap between them: past a rate of the first ("a day", "per
/// year") and a comma.
fn comparison(gap: &str) -> &str {
    let mut rest = gap.trim();
    for lead in ["a ", "an ", "per "] {
        if let Some(r) = rest.strip_prefix(lead)
            && let Some((_, after)) = r.split_once([' ', ','])
        {
            rest = after;
            break;
        }
    }
    rest.trim_start_matches([',', ' '])
}

/// Words between two figures of one unit that set the second against the
/// first, after an optional comma: the two are one claim.
const COMPARISON_JOINERS: &[&str] = &[
    "rising to",
    "falling to",
    "compared with",
    "compared to",
    "out of every",
    "in every",
    "against",
    "versus",
    "vs",
];

/// The sentence a claim is looked for in.
pub struct SentenceWords<'s> {
    pub span: Range<usize>,
    pub words: &'s [Span],
}

impl Lexicon {
    /// The claims of one sentence, in order. `ratios` holds the multiplier
    /// and fraction matches of its paragraph.
    pub fn claims(
        &self,
        doc: &Document,
        sentence: &SentenceWords,
        ratios: [&[Range<usize>]; 2],
    ) -> Vec<Claim> {
        let words = sentence.words;
        let lower = |k: usize| lower_cow(doc.slice(&words[k].range()));
        let mut out: Vec<Claim> = Vec::new();
        // The start of a number that opens a range whose other end follows
        // ("10 to 12 days"), with the index of that other end's word.
        let mut range_from: Option<(usize, usize)> = None;
        let mut k = 0;
        while k < words.len() {
            // Pence glued to their digits: "12.4p a share", "20p an hour"
            // (under 100, or with decimals, so "1080p" video is no sum).
            let w = doc.slice(&words[k].range());
            if let Some(digits) = w.strip_suffix('p')
                && digits.starts_with(|c: char| c.is_ascii_digit())
                && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                && numeric_value(digits).is_some_and(|v| v < 100.0 || digits.contains('.'))
            {
                out.push(Claim {
                    denomination: false,
                    span: words[k].range(),
                    unit: Unit::Money,
                    scaled: false,
                    open: true,
                });
                k += 1;
                continue;
            }
            let Some(n) = self.number_at(doc, words, k) else {
                k += 1;
                continue;
            };
            let span = words[k].range();
            let (w, value, digits) = (n.text, n.value, n.digits);
            let (end, scaled, distance) = (n.at.end, n.scaled, n.distance);
            let number = span.start..words[end - 1].end();
            let after = &doc.prose[number.end..sentence.span.end.max(number.end)];
            let sign_at = sign_before(doc, span.start);
            let currency_end = self.currency_words.end_in(after);
            let percent_end = if after.trim_start().starts_with('%') {
                Some(after.len() - after.trim_start().len() + 1)
            } else {
                self.percent_words.end_in(after)
            };
            let from = range_from
                .take()
                .filter(|(_, at)| *at == k)
                .map(|(start, _)| start);
            if sign_at.is_some() || currency_end.is_some() || percent_end.is_some() {
                if percent_end.is_some()
                    && sign_at.is_none()
                    && k > 0
                    && GROUP_BEFORE.contains(&lower(k - 1).as_ref())
                {
                    k = end;
                    continue;
                }
                let start = sign_at.unwrap_or(number.start);
                let tail = currency_end.or(percent_end).unwrap_or(0);
                let from = from.filter(|_| sign_at.is_none());
                // The second share of a vote's split: the first one's claim
                // goes too.
                if percent_end.is_some()
                    && sign_at.is_none()
                    && vote_split(&doc.prose[..number.start], value)
                {
                    if out.last().is_some_and(|c| c.unit == Unit::Percent) {
                        out.pop();
                    }
                    k = end;
                    continue;
                }
                let denomination = self
                    .denominations
                    .end_in(&after[tail.min(after.len())..])
                    .is_some();
                out.push(Claim {
                    denomination,
                    span: from.unwrap_or(start)..number.end + tail,
                    unit: if percent_end.is_some() && sign_at.is_none() {
                        Unit::Percent
                    } else {
                        Unit::Money
                    },
                    scaled,
                    // "300 million Swiss francs and 5bn kroner" are two.
                    open: currency_end.is_none(),
                });
                k = end;
                continue;
            }
            // The first end of a range whose other end follows ("10 to 12
            // days"): it counts nothing itself, and starts the claim of the
            // other end.
            let year = digits && w.len() == 4 && (1000.0..=2100.0).contains(&value);
            if !year
                && end + 1 < words.len()
                && RANGE_JOINERS.contains(&lower(end).as_ref())
                && is_number_word(doc, words[end + 1])
            {
                range_from = Some((from.unwrap_or(number.start), end + 1));
            }
            let shape = self.count_shape(doc, sentence, &n);
            // A scaled number after a word of money is money, when it counts
            // nothing: "the programme cost 270 million", "paid 3bn".
            if scaled
                && !matches!(shape, Shape::Counts(_))
                && (k.saturating_sub(3)..k).any(|i| self.money_context.contains_lower(&lower(i)))
            {
                out.push(Claim {
                    span: from.unwrap_or(number.start)..number.end,
                    unit: Unit::Money,
                    scaled,
                    open: true,
                    denomination: false,
                });
                k = end;
                continue;
            }
            let noun_end = match shape {
                Shape::Counts(noun) => Some(noun),
                // "the union now has 23,400", "2m in the UK": thousands
                // separators or a scale make a count even with nothing
                // after it.
                Shape::Bare
                    if !distance && (scaled || (digits && w.contains(',') && value >= 1000.0)) =>
                {
                    None
                }
                Shape::Bare | Shape::NotClaim => {
                    k = end;
                    continue;
                }
            };
            let event = distance
                && noun_end.is_some()
                && end < words.len()
                && self.distance_events.contains_lower(&lower(end));
            if value >= self.min_count && !event {
                let denomination = end < words.len()
                    && noun_end.is_some()
                    && in_lower_list(self.denominations.phrases(), &lower(end));
                out.push(Claim {
                    span: from.unwrap_or(number.start)..noun_end.unwrap_or(number.end),
                    unit: Unit::Count,
                    scaled,
                    open: noun_end.is_none(),
                    denomination,
                });
            }
            k = end;
        }
        for hits in ratios {
            for span in within(hits, &sentence.span) {
                if out.iter().any(|f| overlaps(&f.span, span)) {
                    continue;
                }
                out.push(Claim {
                    span: span.clone(),
                    unit: Unit::Ratio,
                    scaled: false,
                    open: false,
                    denomination: false,
                });
            }
        }
        out.sort_by_key(|f| f.span.start);
        self.fold(doc, out)
    }

    /// The number at word `k` of a sentence with the words `words`, over
    /// any scale words after it, unless it is a rough size ("hundreds of",
    /// "several hundred").
    fn number_at<'t>(
        &self,
        doc: &'t Document,
        words: &[Span],
        k: usize,
    ) -> Option<NumberWords<'t>> {
        let lower = |k: usize| lower_cow(doc.slice(&words[k].range()));
        let b = doc.prose.as_bytes();
        let span = words[k].range();
        if !may_be_number(b[span.start], b[span.end - 1], span.len()) {
            return None;
        }
        let w = doc.slice(&span);
        // No allocation per word: number words are ASCII.
        let digits = w.as_bytes().first().is_some_and(u8::is_ascii_digit);
        let value = digits.then(|| numeric_value(w)).flatten().or_else(|| {
            number_word(w)
                // "a" only counts before a scale word ("a million").
                .filter(|_| {
                    !w.eq_ignore_ascii_case("a")
                        || (k + 1 < words.len() && scale(&lower(k + 1)).is_some())
                })
        });
        let mut value = value?;
        // "Hundreds of vendors": a rough size, not a checkable figure.
        if self.vague_quantities.contains_lower(w) {
            return None;
        }
        // "Several hundred people": a rough size too.
        if !digits
            && scale(&lower(k)).is_some()
            && k > 0
            && ROUGHLY.contains(&lower(k - 1).as_ref())
        {
            return None;
        }
        // Over scale words: "40 million", "two hundred thousand".
        let mut end = k + 1;
        let mut scaled = false;
        while end < words.len()
            && let Some(s) = scale(&lower(end))
        {
            value *= s;
            scaled |= s >= 1e6;
            end += 1;
        }
        // A suffix glued to the digits: "40m", "2bn".
        let mut distance = false;
        if digits && let Some((v, m_or_k)) = glued_scale(w) {
            value = v;
            scaled = v >= 1e6;
            distance = m_or_k;
        }
        Some(NumberWords {
            at: k..end,
            text: w,
            value,
            digits,
            scaled,
            distance,
        })
    }

    /// Fold ranges and conversions into the claim they belong to.
    fn fold(&self, doc: &Document, claims: Vec<Claim>) -> Vec<Claim> {
        let mut folded: Vec<Claim> = Vec::with_capacity(claims.len());
        for f in claims {
            if let Some(last) = folded.last_mut()
                && last.span.end <= f.span.start
            {
                let gap = &doc.prose[last.span.end..f.span.start];
                // A range is one figure: "$20 to $70", "5% to 7%"; so is a
                // change told from its new value: "fell to 14.2% from 16.5%".
                let joiner = gap.trim().to_lowercase();
                if last.open
                    && last.unit == f.unit
                    && (RANGE_JOINERS.contains(&joiner.as_str()) || joiner == "from")
                {
                    last.span.end = f.span.end;
                    last.open = f.open;
                    continue;
                }
                // A figure told with the one it is set against is one claim:
                // "£38m, rising to £45m", "9,400 steps a day, compared with
                // 2,800", "8p out of every £1". (A figure with its earlier
                // value, "23,400, up from 19,800", is two: each can be
                // wrong.)
                if last.unit == f.unit && COMPARISON_JOINERS.contains(&comparison(&joiner)) {
                    last.span.end = f.span.end;
                    last.open = f.open;
                    continue;
                }
                // A conversion restates the figure in other money: "$10bn
                // (£5.2bn)", "20m euros ($26m)", "the 20m note, worth $15".
                if f.unit == Unit::Money
                    && (last.unit == Unit::Money || (last.unit == Unit::Count && last.scaled))
                    && let Some(paren) = self.conversion_gap(gap)
                {
                    last.span.end = f.span.end;
                    if paren {
                        let rest = &doc.prose[f.span.end..];
                        let lead = rest.len() - rest.trim_start().len();
                        if rest[lead..].starts_with(')') {
                            last.span.end = f.span.end + lead + 1;
                        }
                    }
                    last.unit = Unit::Money;
                    last.open = false;
                    last.denomination = false;
                    continue;
                }
            }
            folded.push(f);
        }
        folded.retain(|c| !c.denomination);
        folded
    }

    /// Whether the text between two money figures introduces a conversion
    /// (an opening parenthesis, a comma or dash, then at most three
    /// conversion words), and if so whether it opened a parenthesis.
    fn conversion_gap(&self, gap: &str) -> Option<bool> {
        let t = gap.trim();
        let (paren, rest) = if let Some(r) = t.strip_prefix('(') {
            (true, r)
        } else if let Some(r) = t
            .strip_prefix(',')
            .or_else(|| t.strip_prefix('\u{2013}'))
            .or_else(|| t.strip_prefix('\u{2014}'))
            .or_else(|| t.strip_prefix('-'))
        {
            (false, r)
        } else {
            return None;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        let ok = words.len() <= 3
            && words.iter().all(|w| {
                self.conversion_words
                    .contains_lower(w.trim_end_matches(','))
            });
        // A bare comma between two sums lists them ("$5m, $6m"): a
        // conversion needs a parenthesis, a dash or a conversion word.
        (ok && (paren || !words.is_empty() || !t.starts_with(','))).then_some(paren)
    }

    /// What the number `n` is, when it is not money or a percentage: a
    /// count of the noun that follows (with that noun's end), a bare number
    /// (which only thousands separators make a claim), or no claim at all.
    fn count_shape(&self, doc: &Document, sentence: &SentenceWords, n: &NumberWords) -> Shape {
        if is_label(n) {
            return Shape::NotClaim;
        }
        let around = Around::of(doc, sentence, &n.at);
        if self.is_of_record(doc, sentence, n, &around) {
            return Shape::NotClaim;
        }
        if !self.noun_follows(sentence, n, &around) {
            return Shape::Bare;
        }
        self.counted(doc, sentence, n, around)
    }

    /// Is the number a matter of record rather than a checkable quantity:
    /// a year, a date, a clock time, an age, part of a name or an address,
    /// a tally of record, part of a number the sentence already gave, a
    /// fraction or a phone number, or a race time?
    fn is_of_record(
        &self,
        doc: &Document,
        sentence: &SentenceWords,
        n: &NumberWords,
        around: &Around,
    ) -> bool {
        let words = sentence.words;
        let (k, end, w, value, is_digits) = (n.at.start, n.at.end, n.text, n.value, n.digits);
        let Around {
            prev,
            prev_lower,
            next,
            gap_before,
            gap_after,
        } = around;
        let lower = |i: usize| lower_cow(doc.slice(&words[i].range()));
        // Years.
        if is_digits && !w.contains(',') && w.len() == 4 && (1000.0..=2100.0).contains(&value) {
            return true;
        }
        // Dates: "March 15", "15 March".
        if prev_lower.as_deref().is_some_and(|p| MONTHS.contains(&p))
            || next.as_deref().is_some_and(|n| MONTHS.contains(&n))
        {
            return true;
        }
        // Clock times: "7 p.m.", "10:30", "9am".
        let rest = doc.prose[words[end - 1].end()..].trim_start();
        if gap_after.starts_with(':')
            || gap_before.ends_with(':')
            || rest.starts_with("a.m")
            || rest.starts_with("p.m")
            || next.as_deref().is_some_and(|n| {
                matches!(
                    n,
                    "am" | "pm" | "gmt" | "bst" | "utc" | "edt" | "est" | "cet" | "o'clock"
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
        if prev_lower
            .as_deref()
            .is_some_and(|p| p == "aged" || p == "age")
        {
            return true;
        }
        if next.as_deref() == Some("years") && end + 1 < words.len() && lower(end + 1) == "old" {
            return true;
        }
        // Names, routes, addresses: "Apollo 11", "Route 9", "12 Baker Street".
        if let (Some(p), Some(pl)) = (prev, prev_lower.as_deref())
            && p.chars().next().is_some_and(char::is_uppercase)
            && !gap_before.contains([',', ';', ':', '(', '\u{2014}', '\u{2013}'])
            && !(k == 1 && MONTHS.contains(&pl))
            && !NOT_NAME_BEFORE.contains(&pl)
            && !self.money_context.contains_lower(pl)
        {
            return true;
        }
        if next.is_some()
            && doc
                .slice(&words[end].range())
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && gap_after.trim().is_empty()
            && (end..(end + 3).min(words.len())).any(|i| ADDRESS_WORDS.contains(&lower(i).as_ref()))
        {
            return true;
        }
        // "over the age of 70", "a majority of 4,812".
        if prev_lower.as_deref() == Some("of")
            && k > 1
            && OF_RECORD.contains(&lower(k - 2).as_ref())
        {
            return true;
        }
        if self.is_tally(doc, words, k, end) {
            return true;
        }
        // "14 of his 20 races", "11 of their last 14 Tests": part of a tally.
        if next.as_deref() == Some("of") {
            let mut j = end + 1;
            while j < words.len() && j < end + 4 && PART_OF_FILLERS.contains(&lower(j).as_ref()) {
                j += 1;
            }
            if j < words.len()
                && j > end + 1
                && is_number_word(doc, words[j])
                && self.tally_after(doc, words, k, j + 1)
            {
                return true;
            }
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
        if prev_lower
            .as_deref()
            .is_some_and(|p| self.not_count_before.contains(p))
        {
            return true;
        }
        // "9/11", "24/7", "3/4".
        if gap_before.ends_with('/') || gap_after.starts_with('/') {
            return true;
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
        let clock_unit = |i: usize| i < words.len() && self.clock_units.contains_lower(&lower(i));
        // A race time: "14 minutes 32.93 seconds", "2 hours 5 minutes".
        if clock_unit(end)
            && (end + 1 < words.len() && is_number_word(doc, words[end + 1])
                || (k > 0 && clock_unit(k - 1))
                || (w.contains('.') && lower(end).starts_with("sec")))
        {
            return true;
        }
        if is_digits && (digits_next || digits_prev) {
            return true;
        }
        false
    }

    /// Is the number at `k..end` a tally that is not a count: its next word
    /// is one of `not-count-after` ("10 times", "scored 12 goals"), or, read
    /// past sporting qualifiers and capitalised words, its noun is one
    /// ("213 Premier League goals", "11 straight wins"), or is a sporting
    /// tally in a sporting setting ("36 Test centuries", "scored 42
    /// points"; "the index fell 42 points" is a claim).
    fn is_tally(&self, doc: &Document, words: &[Span], k: usize, end: usize) -> bool {
        // The whole of a part ("11 of their last 14 Tests") has its setting
        // before the part.
        let lower = |i: usize| lower_cow(doc.slice(&words[i].range()));
        let mut j = k;
        while j > 0 && j + 3 > k && PART_OF_FILLERS.contains(&lower(j - 1).as_ref()) {
            j -= 1;
        }
        let setting =
            if j < k && j >= 2 && lower(j - 1) == "of" && is_number_word(doc, words[j - 2]) {
                j - 2
            } else {
                k
            };
        self.tally_after(doc, words, setting, end)
    }

    /// `is_tally` for the noun that opens at `end`, the sporting setting read
    /// before the word `k` (where the part of a tally opens: "lost 11 of
    /// their last 14 Tests").
    fn tally_after(&self, doc: &Document, words: &[Span], k: usize, end: usize) -> bool {
        let lower = |i: usize| lower_cow(doc.slice(&words[i].range()));
        let mut qualified = false;
        for i in end..words.len().min(end + 4) {
            if i > end
                && !doc.prose[words[i - 1].end()..words[i].start()]
                    .trim()
                    .is_empty()
            {
                return false;
            }
            let w = lower(i);
            // After a qualifier, a function word ("5,000 Tesco or Asda
            // staff") ends the reading.
            if qualified && self.function_words.contains(&w) {
                return false;
            }
            if self.not_count_after.contains(&w) {
                return true;
            }
            if self.sporting_tallies.contains(&w) {
                return qualified
                    || (k > 0 && self.tally_before.contains(&lower(k - 1)))
                    || (i + 1 < words.len() && self.tally_after.contains(&lower(i + 1)))
                    || (k.saturating_sub(3)..k).any(|j| self.scoring_words.contains(&lower(j)));
            }
            let capitalised = doc
                .slice(&words[i].range())
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if !capitalised && !self.sporting_qualifiers.contains(&w) {
                return false;
            }
            qualified = true;
        }
        false
    }

    /// Does a noun follow the number, for it to count ("87 days",
    /// "hundreds of homes")? A bare number ("she was 88", "over 18", "the
    /// top 100") is an age, a score or a rank.
    fn noun_follows(&self, sentence: &SentenceWords, n: &NumberWords, around: &Around) -> bool {
        n.at.end < sentence.words.len()
            && around.gap_after.chars().all(char::is_whitespace)
            && around.next.as_deref().is_some_and(|n| {
                n.chars().next().is_some_and(char::is_alphabetic)
                    && (n == "of" || !self.function_words.contains(n))
            })
    }

    /// A number with a noun after it: a count of that noun, unless it is a
    /// measurement, a date ("60 years after") or a time frame ("over the
    /// past 12 months").
    fn counted(
        &self,
        doc: &Document,
        sentence: &SentenceWords,
        n: &NumberWords,
        around: Around,
    ) -> Shape {
        use Shape::NotClaim;
        let words = sentence.words;
        let (k, end) = (n.at.start, n.at.end);
        let lower = |i: usize| lower_cow(doc.slice(&words[i].range()));
        let next = around.next.unwrap_or(Cow::Borrowed(""));
        // A measurement ("50 metres high") is neither a count nor a duration,
        // unless it is a rate ("30 miles per year").
        if self.measure_units.contains(&next) {
            let after = if end + 1 < words.len() {
                lower(end + 1)
            } else {
                Cow::Borrowed("")
            };
            if after != "per" && after != "an" && after != "a" {
                return NotClaim;
            }
        }
        let duration = self.duration_words.contains(&next);
        // "30,000 years ago", "60 years after", "the 50 years since" date
        // something; they claim no quantity.
        if duration
            && end + 1 < words.len()
            && self.time_frame_after.contains_lower(&lower(end + 1))
        {
            return NotClaim;
        }
        // A time frame is not a claim: "over the past 12 months", "in the
        // previous 12 months", "for 40 years". A bare duration still is:
        // "lasted 87 days".
        if duration {
            for i in (k.saturating_sub(4)..k).rev() {
                let p = lower(i);
                if self.time_frame_before.contains(&p) {
                    return NotClaim;
                }
                if !self.time_frame_fillers.contains(&p) {
                    break;
                }
            }
        }
        // The noun counted is part of the claim ("23,400 members"), unless
        // it is the "of" of "hundreds of".
        if next == "of" {
            Shape::Counts(words[end - 1].end())
        } else {
            Shape::Counts(words[end].end())
        }
    }
}

/// A number of a sentence: its words `at` (the number and any scale words
/// after it: "40 million"), the text of its first word, and its value.
struct NumberWords<'t> {
    at: Range<usize>,
    text: &'t str,
    value: f64,
    /// The first word is written in digits.
    digits: bool,
    /// It is scaled to a million or more ("20m", "4 million").
    scaled: bool,
    /// Its digits carry a glued "m" or "k" that may be a distance ("400m").
    distance: bool,
}

/// What stands on either side of a number in its sentence.
struct Around<'t> {
    /// The preceding word, as written and lower-cased.
    prev: Option<&'t str>,
    prev_lower: Option<Cow<'t, str>>,
    /// The word after, lower-cased.
    next: Option<Cow<'t, str>>,
    /// The text between the word before and the number.
    gap_before: &'t str,
    /// The text between the number and the word after (or the end of the
    /// sentence).
    gap_after: &'t str,
}

impl<'t> Around<'t> {
    fn of(doc: &'t Document, sentence: &SentenceWords, at: &Range<usize>) -> Around<'t> {
        let (words, sentence_end) = (sentence.words, sentence.span.end);
        let (k, end) = (at.start, at.end);
        let lower = |i: usize| lower_cow(doc.slice(&words[i].range()));
        Around {
            prev: (k > 0).then(|| doc.slice(&words[k - 1].range())),
            prev_lower: (k > 0).then(|| lower(k - 1)),
            next: (end < words.len()).then(|| lower(end)),
            gap_before: if k > 0 {
                &doc.prose[words[k - 1].end()..words[k].start()]
            } else {
                ""
            },
            gap_after: if end < words.len() {
                &doc.prose[words[end - 1].end()..words[end].start()]
            } else {
                &doc.prose[words[end - 1].end()..sentence_end.max(words[end - 1].end())]
            },
        }
    }
}

/// Is the number a label rather than a quantity: an ordinal or a mixed
/// token ("21st", "3D", "COVID-19"), a capitalised number word mid-sentence
/// ("Ten Downing Street"), or hyphenated digits (a score, a phone number,
/// "44-year-old")?
fn is_label(n: &NumberWords) -> bool {
    let (k, w, is_digits) = (n.at.start, n.text, n.digits);
    (is_digits && w.chars().any(char::is_alphabetic) && glued_scale(w).is_none())
        || (!is_digits && w.chars().next().is_some_and(char::is_uppercase) && k > 0)
        || (is_digits && w.contains('-'))
}

/// What a number that is neither money nor a percentage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A count of the noun that follows, which ends at this byte.
    Counts(usize),
    /// A number with no noun after it.
    Bare,
    NotClaim,
}

/// Does the word start with a digit, or is it a number word?
fn is_number_word(doc: &Document, w: Span) -> bool {
    let t = doc.slice(&w.range());
    t.starts_with(|c: char| c.is_ascii_digit()) || number_word(t).is_some_and(|_| t.len() > 1)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Where a currency sign stands right before `at` (spaces allowed between),
/// so that the claim starts there.
fn sign_before(doc: &Document, at: usize) -> Option<usize> {
    let head = doc.prose[..at].trim_end_matches([' ', '\u{a0}']);
    let c = head.chars().next_back()?;
    CURRENCY_SIGNS
        .contains(&c)
        .then(|| head.len() - c.len_utf8())
}

/// Lower-case phrases looked for where a text opens (see [`phrase_end`]),
/// indexed by their first byte: after a number, only the phrases that open
/// with the next word's letter are read.
#[derive(Debug, Default)]
pub struct Openers {
    phrases: Vec<String>,
    /// (first byte, index into `phrases`), sorted: within one byte, in list
    /// order, so the first phrase found is the list's first that matches.
    by_first: Vec<(u8, u32)>,
}

impl Openers {
    pub fn new(phrases: Vec<String>) -> Openers {
        let mut by_first: Vec<(u8, u32)> = phrases
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((p.as_bytes().first()?.to_ascii_lowercase(), i as u32)))
            .collect();
        by_first.sort_unstable();
        Openers { phrases, by_first }
    }

    pub fn phrases(&self) -> &[String] {
        &self.phrases
    }

    /// The phrases `text` opens with, in list order, each with the length
    /// of `text` up to its end.
    pub fn opening<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (&'a str, usize)> + 'a {
        let first = text
            .trim_start()
            .as_bytes()
            .first()
            .map(u8::to_ascii_lowercase);
        let bucket = match first {
            Some(b) => {
                let from = self.by_first.partition_point(|&(f, _)| f < b);
                let to = from + self.by_first[from..].partition_point(|&(f, _)| f == b);
                &self.by_first[from..to]
            }
            None => &[],
        };
        bucket.iter().filter_map(move |&(_, i)| {
            let p = self.phrases[i as usize].as_str();
            phrase_end(text, p).map(|end| (p, end))
        })
    }

    /// The length of `text` up to the end of the first phrase it opens with.
    pub fn end_in(&self, text: &str) -> Option<usize> {
        self.opening(text).next().map(|(_, end)| end)
    }
}

/// The length of `text` up to the end of `phrase`, when `text` opens with
/// it (after spaces; case and trailing punctuation of the words ignored).
pub fn phrase_end(text: &str, phrase: &str) -> Option<usize> {
    let t = text.trim_start();
    // The first bytes first: most figures are followed by a word that
    // starts otherwise, and then neither text is split into words.
    let (&a, &b) = (t.as_bytes().first()?, phrase.as_bytes().first()?);
    if !a.eq_ignore_ascii_case(&b) {
        return None;
    }
    let mut at = text.len() - t.len();
    for (i, p) in phrase.split_whitespace().enumerate() {
        let rest = &text[at..];
        let lead = rest.len() - rest.trim_start().len();
        if i > 0 && lead == 0 {
            return None;
        }
        let rest = &rest[lead..];
        let word_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | ')' | '('))
            .unwrap_or(rest.len());
        if !rest[..word_len].eq_ignore_ascii_case(p) {
            return None;
        }
        at += lead + word_len;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claims of a one-paragraph text, as the text they cover.
    fn claims(text: &str) -> Vec<String> {
        let rule = super::super::tests::rule();
        let doc = super::super::tests::story(text);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        for s in &doc.sentences {
            let hits = Default::default();
            let cx = crate::check::Context::new(&doc, &hits);
            let cues = rule.scope.cues(&cx, &doc.blocks[s.block()].span);
            let words = doc.words_of(s, &mut buf);
            let sw = SentenceWords {
                span: s.span(),
                words,
            };
            for c in rule.lexicon.claims(&doc, &sw, cues.ratios()) {
                out.push(crate::document::squeeze(&text[c.span]));
            }
        }
        out
    }

    #[test]
    fn a_claim_covers_its_unit() {
        assert_eq!(
            claims("The closure lasted 87 days. The union now has 23,400 members."),
            ["87 days", "23,400 members"]
        );
        assert_eq!(claims("It cost $40 million in all."), ["$40 million"]);
        assert_eq!(
            claims("The show drew 4 million viewers."),
            ["4 million viewers"]
        );
    }

    #[test]
    fn conversions_fold_into_the_figure() {
        assert_eq!(
            claims("It raised $10bn (£5.2bn) last year."),
            ["$10bn (£5.2bn)"]
        );
        assert_eq!(
            claims("The fine was 20m euros ($26m)."),
            ["20m euros ($26m)"]
        );
        assert_eq!(
            claims("She kept the 20m note, worth $15, as a souvenir."),
            ["20m note, worth $15"]
        );
        // Two sums listed are two claims.
        assert_eq!(claims("Sales were $5m and profit was $1m."), ["$5m", "$1m"]);
    }

    #[test]
    fn a_figure_set_against_another_is_one_claim() {
        assert_eq!(
            claims("They paid £38m, rising to £45m with add-ons."),
            ["£38m, rising to £45m"]
        );
        assert_eq!(
            claims("The active walked 9,400 steps a day, compared with 2,800."),
            ["9,400 steps a day, compared with 2,800"]
        );
        assert_eq!(
            claims("It keeps 8p out of every £1."),
            ["8p out of every £1"]
        );
        // A figure and its earlier value are two claims.
        assert_eq!(
            claims("The union has 23,400 members, up from 19,800."),
            ["23,400 members", "19,800"]
        );
    }

    #[test]
    fn pence_glued_to_digits_are_money() {
        assert_eq!(claims("The dividend is 12.4p a share."), ["12.4p"]);
        assert_eq!(claims("Fees rise by 20p an hour."), ["20p"]);
        assert!(claims("The screen shows 1080p video.").is_empty());
    }

    #[test]
    fn ranges_are_one_figure() {
        assert_eq!(
            claims("Mirrors cost between $20 and $70 each."),
            ["$20 and $70"]
        );
        assert_eq!(claims("Rents rose 5% to 7%."), ["5% to 7%"]);
        assert_eq!(claims("The work takes 10 to 12 days."), ["10 to 12 days"]);
    }

    #[test]
    fn money_without_a_sign() {
        assert_eq!(
            claims("The programme cost 270 million. They paid 3bn. It is worth 2.5 million."),
            ["270 million", "3bn", "2.5 million"]
        );
        assert_eq!(
            claims("The bank lent 300 million Swiss francs and 5bn kroner."),
            ["300 million Swiss francs", "5bn kroner"]
        );
    }

    #[test]
    fn counts_with_separators_stand_alone() {
        assert_eq!(claims("The union now has 23,400."), ["23,400"]);
    }

    #[test]
    fn a_change_by_a_duration_is_a_claim() {
        assert_eq!(
            claims("Average sleep fell by 41 minutes a night."),
            ["41 minutes"]
        );
    }

    #[test]
    fn percentages_with_a_time_frame() {
        assert_eq!(
            claims("Rents are up 12% since March. Exports fell 9 percent in the quarter."),
            ["12%", "9 percent"]
        );
    }

    #[test]
    fn sport_charts_and_time_frames_are_not_claims() {
        for text in [
            "She won in 14 minutes 32.93 seconds.",
            "City won 3-1 at home.",
            "He is a 400m runner and won the 400m final.",
            "The single rose 23 places to number six.",
            "She is the world number two.",
            "Sales in the previous 12 months were flat.",
            "It is the first flood in the 50 years since the dam was built.",
            "He has scored nine goals in 14 league games.",
            "The meeting starts at 10:30 on March 15, 2024.",
            "Call 0800 123456 or visit 12 Baker Street.",
        ] {
            assert_eq!(claims(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn openers_find_the_lists_first_phrase_by_the_next_words_letter() {
        let list = Openers::new(
            [
                "dollars",
                "swiss francs",
                "euros",
                "swiss franc",
                "",
                "Euro",
            ]
            .map(String::from)
            .to_vec(),
        );
        assert_eq!(list.end_in(" Swiss francs."), Some(13));
        assert_eq!(list.end_in(" swiss franc,"), Some(12));
        assert_eq!(list.end_in(" euro"), Some(5));
        assert_eq!(list.end_in("  EUROS"), Some(7));
        assert_eq!(list.end_in(" pounds"), None);
        assert_eq!(list.end_in(""), None);
        let both: Vec<&str> = list.opening(" euros").map(|(p, _)| p).collect();
        assert_eq!(both, ["euros"]);
    }

    #[test]
    fn phrase_end_reads_whole_words() {
        assert_eq!(phrase_end(" Swiss francs.", "swiss francs"), Some(13));
        assert_eq!(phrase_end(" euros", "euros"), Some(6));
        assert_eq!(phrase_end(" eurosceptic", "euros"), None);
        assert_eq!(phrase_end(" per cent", "per cent"), Some(9));
        assert_eq!(phrase_end(" percentage", "percent"), None);
        assert_eq!(phrase_end("", "percent"), None);
    }
}
