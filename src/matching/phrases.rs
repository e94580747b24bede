//! `PhraseMatcher`: a list of words, phrases and patterns matched on word
//! boundaries, and the screens that skip stretches of text it cannot match.

use super::*;

#[derive(Debug)]
pub struct PhraseMatcher {
    /// Process-wide identity, the key of this list's matches in a
    /// document's [`PhraseHits`].
    pub(super) id: u32,
    /// The phrases as a word table (used when every phrase starts with a
    /// word character).
    pub(super) table: Option<PhraseTable>,
    /// Otherwise, the phrases as one regex alternation.
    pub(super) phrases: Option<LazyRegex>,
    pub(super) patterns: Option<LazyRegex>,
    /// Check word boundaries on pattern matches too (patterns written
    /// without `\b`, for speed).
    pub(super) bounded_patterns: bool,
    /// The regex phrases are lower-case ASCII, compiled case-sensitively,
    /// and are searched in the document's ASCII-lower-cased prose. Case-insensitive
    /// literal sets are slow to compile (every case variant is expanded),
    /// and compiling happens at every start.
    pub(super) lowered: bool,
    /// For a `lowered` list searched over a long stretch of a large
    /// document: the same phrases matched with ASCII letters in either case
    /// in the prose as it is, so that the stretch (a whole 50 MB file, for
    /// a consistency rule) is not copied lower-cased first. Compiled only if
    /// a large document comes; a test checks it matches what the lower-cased
    /// search matches.
    pub(super) phrases_any_case: Option<LazyRegex>,
}

/// Regex source for a literal phrase: escaped words, any whitespace between.
pub(super) fn phrase_source(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// Regex source for an ASCII phrase matched with its letters in either case:
/// what `phrase_source` of the lower-cased phrase matches in lower-cased
/// text. Case is ignored only for ASCII letters (`-u`), as lower-casing the
/// text does (with Unicode rules `k` would also match the Kelvin sign); the
/// whitespace between words is matched as in the lower-cased source (both
/// are compiled alike).
pub(super) fn ascii_any_case_source(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(|w| format!("(?i-u:{})", regex::escape(&w.to_ascii_lowercase())))
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// Does a (non-empty) match start and end on word boundaries (where its
/// ends are word characters)?
pub(super) fn bounded(hay: &str, r: &Range<usize>) -> bool {
    !splits_word(hay, r.start) && !splits_word(hay, r.end)
}

/// Is `at` inside a word: word characters on both sides of it?
pub(super) fn splits_word(hay: &str, at: usize) -> bool {
    hay[..at].chars().next_back().is_some_and(is_word_char)
        && hay[at..].chars().next().is_some_and(is_word_char)
}

impl PhraseMatcher {
    /// Phrases (whole words) and regex patterns; errors point at the string.
    pub fn new(
        tokens: &[Spanned<String>],
        patterns: &[Spanned<String>],
        ignore_case: bool,
    ) -> Result<PhraseMatcher, ListError> {
        for t in tokens {
            if t.get_ref().trim().is_empty() {
                return Err(ListError::at(t.span(), "empty token"));
            }
        }
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let list: Vec<&str> = tokens.iter().map(|t| t.get_ref().as_str()).collect();
        let table = PhraseTable::single(&list, ignore_case);
        // Without a table, the phrases as regex sources, longest first: at
        // one position the alternation takes the first alternative that
        // matches, so a longer phrase must win over its prefix.
        let mut sources: Vec<String> = match table {
            Some(_) => Vec::new(),
            None => list.iter().map(|p| phrase_source(p)).collect(),
        };
        sources.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut parts = Vec::with_capacity(patterns.len());
        for p in patterns {
            parts.push(
                LazyRegex::new(p.get_ref().clone(), ignore_case)
                    .map_err(|m| ListError::at(p.span(), m))?,
            );
        }
        let lowered = !sources.is_empty() && ignore_case && list.iter().all(|p| p.is_ascii());
        if lowered {
            for s in &mut sources {
                *s = s.to_ascii_lowercase();
            }
        }
        let build =
            |parts: &[String], case_insensitive: bool| -> Result<Option<LazyRegex>, ListError> {
                if parts.is_empty() {
                    return Ok(None);
                }
                LazyRegex::new(parts.join("|"), case_insensitive)
                    .map(Some)
                    .map_err(|m| ListError::at(0..0, m))
            };
        let phrases = build(&sources, ignore_case && !lowered)?;
        let phrases_any_case = if lowered {
            // In the order of `sources` (the sort is stable, and keyed on
            // the plain sources' lengths).
            let mut any_case: Vec<(usize, String)> = list
                .iter()
                .map(|p| (phrase_source(p).len(), ascii_any_case_source(p)))
                .collect();
            any_case.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
            let parts: Vec<String> = any_case.into_iter().map(|(_, s)| s).collect();
            build(&parts, false)?.map(LazyRegex::without_prefilter)
        } else {
            None
        };
        Ok(PhraseMatcher {
            id,
            table,
            phrases,
            patterns: match parts.len() {
                0 => None,
                _ => Some(
                    LazyRegex::alternation(parts, ignore_case)
                        .map_err(|m| ListError::at(0..0, m))?,
                ),
            },
            bounded_patterns: false,
            lowered,
            phrases_any_case,
        })
    }

    /// Regex patterns whose matches must also fall on word boundaries, so
    /// the patterns need no `\b` (which slows the regex engine on non-ASCII
    /// text).
    pub fn bounded_patterns(patterns: &[Spanned<String>]) -> Result<PhraseMatcher, ListError> {
        let mut m = PhraseMatcher::new(&[], patterns, true)?;
        m.bounded_patterns = true;
        Ok(m)
    }

    /// Make the patterns case-sensitive (they are compiled case-insensitive
    /// by `bounded_patterns`).
    pub fn set_case_sensitive(&mut self, pattern: &Spanned<String>) -> Result<(), ListError> {
        self.patterns = Some(
            LazyRegex::new(pattern.get_ref().clone(), false)
                .map_err(|m| ListError::at(pattern.span(), m))?,
        );
        Ok(())
    }

    /// Whether matching runs a regex over the text (patterns, or phrases
    /// that cannot be filed by their first word), rather than reading the
    /// hits of the shared word-list walk.
    pub fn runs_regex(&self) -> bool {
        self.patterns.is_some() || self.phrases.is_some() || self.phrases_any_case.is_some()
    }

    /// A case-insensitive matcher for a plain list of phrases (cue lists).
    pub fn phrases(list: &[String]) -> Option<PhraseMatcher> {
        if list.is_empty() {
            return None;
        }
        let tokens: Vec<Spanned<String>> = list
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Spanned::new(0..0, s.clone()))
            .collect();
        PhraseMatcher::new(&tokens, &[], true).ok()
    }

    /// Every match inside `range` of the document's prose, as absolute byte
    /// ranges in order of position (phrase matches on word boundaries).
    pub fn find_all(
        &self,
        doc: &Document,
        hits: &PhraseHits,
        range: Range<usize>,
    ) -> Vec<Range<usize>> {
        let shift = |mut v: Vec<Range<usize>>| {
            for r in &mut v {
                *r = r.start + range.start..r.end + range.start;
            }
            v
        };
        let mut out = match (&self.table, hits.get(self.id)) {
            // Matched already, with every other list, in one walk.
            (Some(_), Some(hits)) => within(hits, &range).map(|h| h.range()).collect(),
            (Some(table), None) => {
                let mut v = Vec::new();
                table.scan(&doc.prose[range.clone()], &mut |_, r| v.push(r));
                shift(v)
            }
            (None, _) => Vec::new(),
        };
        if self.phrases.is_some() || self.patterns.is_some() {
            let found = if self.lowered && range.len() > PREFILTER_MAX {
                // A long stretch of a large document: searched as it is,
                // not copied lower-cased first.
                self.find_in_any_case(&doc.prose[range.clone()])
            } else {
                // Lower-cased text, for a list matched lower-cased, for the
                // prefilter of patterns not compiled yet, and for the screen
                // of compiled ones when the document keeps a lower-cased
                // copy: the document's own copy if it is short, otherwise
                // just the part searched (a large document is not held
                // twice over for the sake of a paragraph).
                let wants_lower = self.lowered
                    || (range.len() <= PREFILTER_MAX
                        && (!self.compiled() || doc.prose.len() <= PREFILTER_MAX));
                let own: String;
                let lower_part: Option<&str> = if !wants_lower {
                    None
                } else if doc.prose.len() > PREFILTER_MAX {
                    own = doc.prose[range.clone()].to_ascii_lowercase();
                    Some(&own)
                } else {
                    Some(&doc.prose_lower()[range.clone()])
                };
                let phrase_hay: &str = match (self.lowered, lower_part) {
                    (true, Some(l)) => l,
                    _ => &doc.prose[range.clone()],
                };
                self.find_in(phrase_hay, &doc.prose[range.clone()], lower_part)
            };
            out.extend(shift(found));
            out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        }
        out
    }

    /// Can this list have a literal screen in `doc`: is it a list of
    /// patterns only, in a document that keeps a lower-cased copy to search
    /// (not a large one)? Asked of every search, so it reads fields only.
    #[inline]
    pub(super) fn screenable(&self, doc: &Document) -> bool {
        self.patterns.is_some()
            && self.phrases.is_none()
            && self.table.as_ref().is_none_or(|t| t.phrases.is_empty())
            && doc.prose.len() <= PREFILTER_MAX
    }

    /// For a list of patterns only, where their required literals occur in
    /// the document: found in one pass, so that the stretches searched one
    /// by one (paragraphs) where none occurs, and where there can be no
    /// match, are skipped (see [`LiteralScreens`]). `None` for a list that
    /// is not `screenable`, or whose patterns have no set of required
    /// literals.
    pub(super) fn literal_screen(&self, doc: &Document) -> Option<LiteralScreen> {
        if !self.screenable(doc) {
            return None;
        }
        let re = self.patterns.as_ref()?;
        let text = if re.case_insensitive {
            doc.prose_lower()
        } else {
            &doc.prose
        };
        let hits = re.literal_hits(text)?;
        Some(LiteralScreen { hits })
    }

    /// Are this list's regexes (if any) compiled already?
    pub(super) fn compiled(&self) -> bool {
        [&self.phrases, &self.patterns]
            .into_iter()
            .flatten()
            .all(LazyRegex::is_compiled)
    }

    /// Does anything match inside `range`?
    pub fn is_match(&self, doc: &Document, hits: &PhraseHits, range: Range<usize>) -> bool {
        !self.find_all(doc, hits, range).is_empty()
    }

    /// Matches in a plain string (phrases lower-cased here if need be).
    pub fn find_in_str(&self, hay: &str) -> Vec<Range<usize>> {
        let needs_lower = self.lowered || self.patterns.is_some();
        let lower;
        let lower_hay: &str = if needs_lower {
            lower = hay.to_ascii_lowercase();
            &lower
        } else {
            hay
        };
        let mut out = Vec::new();
        if let Some(table) = &self.table {
            table.scan(hay, &mut |_, r| out.push(r));
        }
        if self.phrases.is_some() || self.patterns.is_some() {
            let phrase_hay = if self.lowered { lower_hay } else { hay };
            out.extend(self.find_in(phrase_hay, hay, Some(lower_hay)));
            out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        }
        out
    }

    /// The regex part of a `lowered` list in a long text, without a
    /// lower-cased copy of it: the phrases with ASCII letters in either
    /// case, and the patterns (a long text is not prefiltered anyway).
    pub(super) fn find_in_any_case(&self, hay: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if let Some(re) = &self.phrases_any_case {
            phrase_matches(re.for_text(hay), hay, &mut out);
        }
        self.pattern_matches(hay, None, &mut out);
        out
    }

    /// The regex part: phrases without a table, and patterns (`lower` is
    /// `hay` lower-cased, for the pattern prefilter).
    pub(super) fn find_in(
        &self,
        phrase_hay: &str,
        hay: &str,
        lower: Option<&str>,
    ) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if let Some(re) = &self.phrases
            && re.may_match(phrase_hay, lower)
        {
            phrase_matches(re.for_text(phrase_hay), phrase_hay, &mut out);
        }
        self.pattern_matches(hay, lower, &mut out);
        out
    }

    /// Matches of the regex patterns (`lower` as for `find_in`).
    pub(super) fn pattern_matches(
        &self,
        hay: &str,
        lower: Option<&str>,
        out: &mut Vec<Range<usize>>,
    ) {
        if let Some(re) = &self.patterns
            && re.may_match(hay, lower)
        {
            re.matches(hay, |r| {
                if !r.is_empty() && (!self.bounded_patterns || bounded(hay, &r)) {
                    out.push(r);
                }
            });
        }
    }
}

/// Matches of a phrase alternation that start and end on word boundaries,
/// in order, without overlaps.
pub(super) fn phrase_matches(re: &Regex, phrase_hay: &str, out: &mut Vec<Range<usize>>) {
    let mut at = 0;
    while at <= phrase_hay.len() {
        let Some(m) = re.search(&regex_automata::Input::new(phrase_hay).range(at..)) else {
            break;
        };
        let r = m.range();
        if !r.is_empty() && bounded(phrase_hay, &r) {
            at = r.end;
            out.push(r);
        } else {
            // Try again one character further on: a longer phrase may start
            // inside a rejected match.
            at = r.start
                + phrase_hay[r.start..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
        }
    }
}

pub(super) static NEXT_ID: AtomicU32 = AtomicU32::new(0);

/// Where a pattern list's required literals occur in a document (see
/// `PhraseMatcher::literal_screen`).
#[derive(Debug)]
pub(super) struct LiteralScreen {
    /// In order, not overlapping.
    pub(super) hits: Vec<Range<usize>>,
}

impl LiteralScreen {
    /// Could a literal occur wholly inside `range`? Yes if a reported
    /// occurrence overlaps it: one inside it is reported or overlaps one
    /// that is, which then overlaps the range too.
    pub(super) fn any_overlapping(&self, range: &Range<usize>) -> bool {
        let a = self.hits.partition_point(|h| h.end <= range.start);
        self.hits.get(a).is_some_and(|h| h.start < range.end)
    }
}

/// The literal screens of one document's pattern lists, each made the first
/// time its list is searched in a part of the prose, and kept for the other
/// parts: a list searched paragraph by paragraph then runs its regex only
/// in the paragraphs that hold one of its required literals. A search of
/// the whole prose makes no screen (it would read the prose twice).
///
/// Shared by the rules that run side by side on the document, so the
/// screens are kept behind a lock, taken for a lookup and an insertion but
/// not while a screen is made.
#[derive(Debug, Default)]
pub struct LiteralScreens {
    found: std::sync::Mutex<FxHashMap<u32, Option<LiteralScreen>>>,
}

impl LiteralScreens {
    /// Does the document show that `list` has no match inside `range`?
    /// Never when a match is there (a test holds the screens to it).
    #[inline]
    pub fn rule_out(&self, list: &PhraseMatcher, doc: &Document, range: &Range<usize>) -> bool {
        range.len() < doc.prose.len()
            && list.screenable(doc)
            && self.screen_rules_out(list, doc, range)
    }

    /// `rule_out` for a list that can have a screen.
    fn screen_rules_out(&self, list: &PhraseMatcher, doc: &Document, range: &Range<usize>) -> bool {
        let lock = || self.found.lock().unwrap_or_else(|e| e.into_inner());
        let answer = |screen: &Option<LiteralScreen>| {
            screen.as_ref().is_some_and(|s| !s.any_overlapping(range))
        };
        if let Some(screen) = lock().get(&list.id) {
            return answer(screen);
        }
        let screen = list.literal_screen(doc);
        let ruled_out = answer(&screen);
        lock().entry(list.id).or_insert(screen);
        ruled_out
    }
}

/// The matches (sorted by start) that lie wholly inside `range`.
pub fn within<'h, H: Bounds>(
    hits: &'h [H],
    range: &Range<usize>,
) -> impl Iterator<Item = &'h H> + use<'h, H> {
    let a = hits.partition_point(|h| h.start() < range.start);
    let b = a + hits[a..].partition_point(|h| h.start() < range.end);
    let end = range.end;
    hits[a..b].iter().filter(move |h| h.end() <= end)
}

/// A match's bounds: a byte range, or the 8-byte span the word-list hits
/// of a large file are kept in.
pub trait Bounds {
    fn start(&self) -> usize;
    fn end(&self) -> usize;
}

impl Bounds for Range<usize> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
}

impl Bounds for Span {
    fn start(&self) -> usize {
        Span::start(*self)
    }
    fn end(&self) -> usize {
        Span::end(*self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::test_support::*;

    /// A paragraph the literal screens rule out has no match: for each
    /// paragraph of many documents, the search alone finds nothing there.
    #[test]
    fn the_literal_screen_never_skips_a_match() {
        use crate::document::{Document, Options};
        let lists: [&[&str]; 3] = [
            &[
                r"(?:a|one|two)[- ](?:third|quarter|fifth)s?\s+of",
                r"(?:two|three)-(?:thirds|quarters)",
                r"(?:twice|three times|\d+ times)\s+(?:as|more|the)",
                r"half\s+of\s+(?:all|the)",
            ],
            &[r"\bq(?:x|yz)\b", r"x+yz|q(?:rs)+"],
            &[r#"[.!?]["”]? {2,}\S"#],
        ];
        let pieces = [
            "a",
            "One",
            "two",
            "-",
            " ",
            "  ",
            "\n",
            "\n\n",
            "third",
            "Quarters",
            "fifth",
            "of",
            "three",
            "thirds",
            "twice",
            "3",
            "12",
            "times",
            "TIMES",
            "as",
            "more",
            "the",
            "half",
            "all",
            "x",
            "yz",
            "q",
            "rs",
            ".",
            "!",
            "\"",
            "é",
            " a third of ",
            " two-thirds ",
            " twice as ",
            " 12 times more ",
            " Half of the ",
            " qx ",
            " xxyz ",
            ".  A",
        ];
        let mut texts = crate::testing::texts(&pieces, 0x51ee_d5c2_33a1_0f07, 40);
        let (mut searched, mut skipped) = (0, 0);
        for list in lists {
            let patterns: Vec<Spanned<String>> = list
                .iter()
                .map(|p| Spanned::new(0..0, p.to_string()))
                .collect();
            let Ok(m) = PhraseMatcher::bounded_patterns(&patterns) else {
                panic!("{list:?} compiles")
            };
            for text in texts.by_ref().take(400) {
                let doc = Document::new(&text, "t.txt", &Options::default());
                let screen = m.literal_screen(&doc);
                assert!(screen.is_some(), "{list:?}");
                let screens = LiteralScreens::default();
                for b in &doc.blocks {
                    let all = m.find_all(&doc, &PhraseHits::default(), b.span.clone());
                    let ruled_out = screens.rule_out(&m, &doc, &b.span);
                    assert!(
                        !ruled_out || all.is_empty(),
                        "{list:?} in {:?}",
                        &text[b.span.clone()]
                    );
                    if all.is_empty() {
                        skipped += usize::from(ruled_out);
                    } else {
                        searched += 1;
                    }
                }
            }
        }
        assert!(searched > 200, "only {searched} paragraphs matched");
        assert!(skipped > 200, "only {skipped} paragraphs skipped");
    }

    #[test]
    fn whole_words_only_like_word_boundaries() {
        let p = m(&["TK", "said"]);
        let hay = "TKO said, TK; unsaid. TK";
        let found: Vec<&str> = p.find_in_str(hay).into_iter().map(|r| &hay[r]).collect();
        assert_eq!(found, vec!["said", "TK", "TK"]);
        assert!(m(&["café"]).find_in_str("cafés").is_empty());
        assert!(
            !m(&["according to"])
                .find_in_str("it rose, According\nto the port")
                .is_empty()
        );
    }

    #[test]
    fn a_phrase_inside_a_rejected_match_is_still_found() {
        let p = m(&["a", "an end"]);
        let hay = "xa an end";
        let found: Vec<&str> = p.find_in_str(hay).into_iter().map(|r| &hay[r]).collect();
        assert_eq!(found, vec!["an end"]);
    }

    /// A lower-cased list finds, in a long text searched as it is, what it
    /// finds in the text lower-cased: ASCII letters in either case, other
    /// letters only as written (not the Kelvin sign for `k`, nor the long
    /// s for `s`), and any whitespace between words.
    #[test]
    fn any_case_search_matches_the_lower_cased_search() {
        let lists: [&[&str]; 3] = [
            &["percent", "per cent", "%"],
            &["okay", "k.o.", "O.K.", "s-bahn", "%"],
            &["Per Cent", "a.m.", "x", "(x)"],
        ];
        let pieces = [
            "percent",
            "PerCent",
            "per",
            "PER",
            "cent",
            "CeNt",
            "%",
            " ",
            "\u{a0}",
            "\n",
            "okay",
            "OKAY",
            "o\u{212a}ay",
            "k.o.",
            "K.O.",
            "o.k.",
            "s-bahn",
            "\u{17f}-bahn",
            "S-BAHN",
            "a.m.",
            "A.M.",
            "x",
            "X",
            "(",
            ")",
            "é",
            "İ",
            "-",
            "1",
        ];
        for list in lists {
            let m = listed(list, true);
            assert!(m.lowered && m.phrases_any_case.is_some(), "{list:?}");
            for t in crate::testing::texts(&pieces, 0x00a5_c11e, 12).take(20_000) {
                let lower = t.to_ascii_lowercase();
                let mut want = m.find_in(&lower, &t, Some(&lower));
                want.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
                let mut got = m.find_in_any_case(&t);
                got.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
                assert_eq!(got, want, "{list:?} in {t:?}");
            }
        }
    }
}
