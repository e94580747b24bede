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
use crate::document::sentences::is_word_char;

#[derive(Debug)]
pub struct PhraseMatcher {
    phrases: Option<Regex>,
    patterns: Option<Regex>,
    /// Check word boundaries on pattern matches too (patterns written
    /// without `\b`, for speed).
    bounded_patterns: bool,
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
            if let Err(e) = Regex::new(p.get_ref()) {
                let msg = e.to_string();
                let last = msg.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(&msg);
                return Err(KindError::At(
                    p.span(),
                    format!("invalid regular expression: {}", last.trim()),
                ));
            }
            pattern_sources.push(format!("(?:{})", p.get_ref()));
        }
        let build = |parts: &[String]| -> Result<Option<Regex>, KindError> {
            if parts.is_empty() {
                return Ok(None);
            }
            RegexBuilder::new(&parts.join("|"))
                .case_insensitive(ignore_case)
                .size_limit(64 << 20)
                .build()
                .map(Some)
                .map_err(|e| KindError::At(0..0, format!("word list too large to compile: {e}")))
        };
        Ok(PhraseMatcher {
            phrases: build(&sources)?,
            patterns: build(&pattern_sources)?,
            bounded_patterns: false,
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
        self.patterns = Some(RegexBuilder::new(pattern.get_ref()).build().map_err(|e| {
            KindError::At(pattern.span(), format!("invalid regular expression: {e}"))
        })?);
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

    /// Every match, in order of position (phrase matches on word boundaries).
    pub fn find_all(&self, hay: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if let Some(re) = &self.phrases {
            let mut at = 0;
            while at <= hay.len() {
                let Some(m) = re.find_at(hay, at) else { break };
                let r = m.range();
                if !r.is_empty() && bounded(hay, &r) {
                    at = r.end;
                    out.push(r);
                } else {
                    // Try again one character further on: a longer phrase
                    // may start inside a rejected match.
                    at = r.start + hay[r.start..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        if let Some(re) = &self.patterns {
            out.extend(
                re.find_iter(hay)
                    .map(|m| m.range())
                    .filter(|r| !r.is_empty() && (!self.bounded_patterns || bounded(hay, r))),
            );
            out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        }
        out
    }

    pub fn is_match(&self, hay: &str) -> bool {
        if let Some(re) = &self.patterns {
            if !self.bounded_patterns && re.is_match(hay) {
                return true;
            }
            if self.bounded_patterns && re.find_iter(hay).any(|m| bounded(hay, &m.range())) {
                return true;
            }
        }
        let Some(re) = &self.phrases else {
            return false;
        };
        let mut at = 0;
        while at <= hay.len() {
            let Some(m) = re.find_at(hay, at) else {
                return false;
            };
            let r = m.range();
            if bounded(hay, &r) {
                return true;
            }
            at = r.start + hay[r.start..].chars().next().map_or(1, char::len_utf8);
        }
        false
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
        let found: Vec<&str> = p.find_all(hay).into_iter().map(|r| &hay[r]).collect();
        assert_eq!(found, vec!["said", "TK", "TK"]);
        assert!(!m(&["café"]).is_match("cafés"));
        assert!(m(&["according to"]).is_match("it rose, according\nto the port"));
    }

    #[test]
    fn a_phrase_inside_a_rejected_match_is_still_found() {
        let p = m(&["a", "an end"]);
        let hay = "xa an end";
        let found: Vec<&str> = p.find_all(hay).into_iter().map(|r| &hay[r]).collect();
        assert_eq!(found, vec!["an end"]);
    }
}
