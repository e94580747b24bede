//! Matching word and phrase lists fast.
//!
//! `\b` in a Unicode regex makes the regex crate fall back from its DFA to a
//! much slower engine as soon as the text has non-ASCII letters. Phrase lists
//! are therefore compiled into one alternation *without* `\b` (literal
//! alternations run on Aho-Corasick or Teddy), and whole-word boundaries are
//! checked on each match in code, with the same meaning `\b` would have.
//! User regexes (`patterns`) are compiled as written.

use std::ops::Range;

use regex::{Regex, RegexBuilder};
use toml::Spanned;

use super::KindError;
use crate::document::Document;
use crate::document::sentences::is_word_char;

/// A regular expression checked when the rule is loaded (so errors are
/// reported with their position) but compiled on first use: loading the
/// whole pack happens at every start, and rules that are off, or never
/// reached, then cost nothing. A pattern of plain ASCII is compiled without
/// Unicode tables when that is possible (several times faster to build);
/// otherwise, or if that fails, with them.
#[derive(Debug)]
pub struct LazyRegex {
    source: String,
    case_insensitive: bool,
    cell: std::sync::OnceLock<Regex>,
}

impl LazyRegex {
    pub fn new(source: String, case_insensitive: bool) -> Result<LazyRegex, String> {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(&source)
            .map_err(|e| {
                let msg = e.to_string();
                let last = msg.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(&msg);
                format!("invalid regular expression: {}", last.trim())
            })?;
        Ok(LazyRegex {
            source,
            case_insensitive,
            cell: std::sync::OnceLock::new(),
        })
    }

    pub fn get(&self) -> &Regex {
        self.cell.get_or_init(|| {
            let build = |unicode: bool| {
                RegexBuilder::new(&self.source)
                    .unicode(unicode)
                    .case_insensitive(self.case_insensitive)
                    .size_limit(64 << 20)
                    .build()
            };
            let ascii = self.source.is_ascii()
                && !self.source.contains("\\p")
                && !self.source.contains("\\P");
            let compiled = if ascii {
                build(false).or_else(|_| build(true))
            } else {
                build(true)
            };
            // A pattern that parsed but is too large to compile matches nothing.
            compiled.unwrap_or_else(|_| Regex::new("[^\\s\\S]").expect("valid"))
        })
    }
}

#[derive(Debug)]
pub struct PhraseMatcher {
    phrases: Option<LazyRegex>,
    patterns: Option<LazyRegex>,
    /// Check word boundaries on pattern matches too (patterns written
    /// without `\b`, for speed).
    bounded_patterns: bool,
    /// The phrases are lower-case ASCII, compiled case-sensitively, and are
    /// searched in the document's ASCII-lower-cased prose. Case-insensitive
    /// literal sets are slow to compile (every case variant is expanded),
    /// and compiling happens at every start.
    lowered: bool,
}

/// Regex source for a literal phrase: escaped words, any whitespace between.
fn phrase_source(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// Does a match start and end on word boundaries (where its ends are word
/// characters)?
fn bounded(hay: &str, r: &Range<usize>) -> bool {
    let m = &hay[r.clone()];
    if m.chars().next().is_some_and(is_word_char)
        && hay[..r.start].chars().next_back().is_some_and(is_word_char)
    {
        return false;
    }
    if m.chars().next_back().is_some_and(is_word_char)
        && hay[r.end..].chars().next().is_some_and(is_word_char)
    {
        return false;
    }
    true
}

impl PhraseMatcher {
    /// Phrases (whole words) and regex patterns; errors point at the string.
    pub fn new(
        tokens: &[Spanned<String>],
        patterns: &[Spanned<String>],
        ignore_case: bool,
    ) -> Result<PhraseMatcher, KindError> {
        let mut sources = Vec::new();
        for t in tokens {
            if t.get_ref().trim().is_empty() {
                return Err(KindError::At(t.span(), "empty token".into()));
            }
            sources.push(phrase_source(t.get_ref()));
        }
        // Longest first: at one position the alternation takes the first
        // alternative that matches, so a longer phrase must win over its prefix.
        sources.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut pattern_sources = Vec::new();
        for p in patterns {
            LazyRegex::new(p.get_ref().clone(), ignore_case)
                .map_err(|m| KindError::At(p.span(), m))?;
            pattern_sources.push(format!("(?:{})", p.get_ref()));
        }
        let lowered = ignore_case && tokens.iter().all(|t| t.get_ref().is_ascii());
        if lowered {
            for s in &mut sources {
                *s = s.to_ascii_lowercase();
            }
        }
        let build =
            |parts: &[String], case_insensitive: bool| -> Result<Option<LazyRegex>, KindError> {
                if parts.is_empty() {
                    return Ok(None);
                }
                LazyRegex::new(parts.join("|"), case_insensitive)
                    .map(Some)
                    .map_err(|m| KindError::At(0..0, m))
            };
        Ok(PhraseMatcher {
            phrases: build(&sources, ignore_case && !lowered)?,
            patterns: build(&pattern_sources, ignore_case)?,
            bounded_patterns: false,
            lowered,
        })
    }

    /// Regex patterns whose matches must also fall on word boundaries, so
    /// the patterns need no `\b` (which slows the regex engine on non-ASCII
    /// text).
    pub fn bounded_patterns(patterns: &[Spanned<String>]) -> Result<PhraseMatcher, KindError> {
        let mut m = PhraseMatcher::new(&[], patterns, true)?;
        m.bounded_patterns = true;
        Ok(m)
    }

    /// Make the patterns case-sensitive (they are compiled case-insensitive
    /// by `bounded_patterns`).
    pub fn set_case_sensitive(&mut self, pattern: &Spanned<String>) -> Result<(), KindError> {
        self.patterns = Some(
            LazyRegex::new(pattern.get_ref().clone(), false)
                .map_err(|m| KindError::At(pattern.span(), m))?,
        );
        Ok(())
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
    pub fn find_all(&self, doc: &Document, range: Range<usize>) -> Vec<Range<usize>> {
        let lower;
        let phrase_hay: &str = if self.lowered {
            lower = doc.prose_lower();
            &lower[range.clone()]
        } else {
            &doc.prose[range.clone()]
        };
        let mut out = self.find_in(phrase_hay, &doc.prose[range.clone()]);
        for r in &mut out {
            *r = r.start + range.start..r.end + range.start;
        }
        out
    }

    /// Does anything match inside `range`?
    pub fn is_match(&self, doc: &Document, range: Range<usize>) -> bool {
        !self.find_all(doc, range).is_empty()
    }

    /// Matches in a plain string (phrases lower-cased here if need be).
    pub fn find_in_str(&self, hay: &str) -> Vec<Range<usize>> {
        if self.lowered {
            let lower = hay.to_ascii_lowercase();
            self.find_in(&lower, hay)
        } else {
            self.find_in(hay, hay)
        }
    }

    fn find_in(&self, phrase_hay: &str, hay: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if let Some(re) = &self.phrases {
            let re = re.get();
            let mut at = 0;
            while at <= phrase_hay.len() {
                let Some(m) = re.find_at(phrase_hay, at) else {
                    break;
                };
                let r = m.range();
                if !r.is_empty() && bounded(phrase_hay, &r) {
                    at = r.end;
                    out.push(r);
                } else {
                    // Try again one character further on: a longer phrase
                    // may start inside a rejected match.
                    at = r.start
                        + phrase_hay[r.start..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8);
                }
            }
        }
        if let Some(re) = &self.patterns {
            let re = re.get();
            out.extend(
                re.find_iter(hay)
                    .map(|m| m.range())
                    .filter(|r| !r.is_empty() && (!self.bounded_patterns || bounded(hay, r))),
            );
            out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(list: &[&str]) -> PhraseMatcher {
        PhraseMatcher::phrases(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
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
}
