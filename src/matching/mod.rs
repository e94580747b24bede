//! Matching word and phrase lists fast.
//!
//! Phrase lists do not use regexes when every phrase starts with a word
//! character (all but a few): each phrase is filed in a hash table under its
//! first word, and the text is walked once, word by word, looking each word
//! up. There is nothing to compile, so a rule pack costs nothing at
//! start-up, and the tables of every rule are merged into one
//! [`PhraseIndex`]: a document is walked once for all the word lists of all
//! its rules, and each list then reads its own matches from the document.
//!
//! The few other lists are compiled into one regex alternation *without*
//! `\b` (which makes the regex crate fall back from its DFA to a much slower
//! engine on non-ASCII text), and whole-word boundaries are checked on each
//! match in code, with the same meaning `\b` would have. User regexes
//! (`patterns`) are compiled as written.
//!
//! The pieces, each with its tests:
//! - `patterns`: lazily compiled regexes and what can be read off a pattern
//!   without running it (required and opening literals, start bytes);
//! - `phrases`: `PhraseMatcher`, one list of words, phrases and patterns,
//!   and `LiteralScreens`, what lets a pattern list searched part by part
//!   skip the parts where its required literals do not occur;
//! - `table`: phrases filed by first word and matched by a walk of words;
//! - `index`: the tables of a rule set merged, and what one walk found.
//!
//! Only what the layers above need is public: kinds build their lists here
//! (`PhraseMatcher`, `LazyRegex`) and read a range of sorted matches with
//! `within`, but search only through `check::Context`, which holds a
//! document's `PhraseHits` and `LiteralScreens`.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use rustc_hash::{FxHashMap, FxHashSet};

use regex_automata::meta::{self, Regex};
pub use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use toml::Spanned;

use crate::document::sentences::{char_at, is_word_char};
use crate::document::swar::{Window, packed_lower};
use crate::document::{Document, Span};

mod index;
mod patterns;
mod phrases;
mod table;

pub use index::{PhraseHits, PhraseIndex};
pub use patterns::{BuildOptions, LazyRegex, building, checks_patterns};
pub use phrases::{Bounds, LiteralScreens, PhraseMatcher, within};
// The pieces share their items with one another (`use super::*`), not with
// the crate; not every piece uses every item.
#[allow(unused_imports)]
use {index::*, patterns::*, phrases::*, table::*};

/// A word list or pattern that cannot be used, at a byte span of its rule
/// file (`0..0` when the place is not known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListError {
    pub span: Range<usize>,
    pub message: String,
}

impl ListError {
    pub fn at(span: Range<usize>, message: impl Into<String>) -> ListError {
        ListError {
            span,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod test_support {
    #![allow(dead_code)]
    use super::*;

    pub(super) fn m(list: &[&str]) -> PhraseMatcher {
        PhraseMatcher::phrases(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    pub(super) fn required(pattern: &str, lower: bool) -> Option<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .unwrap();
        required_literals(&hir, lower, super::Sharpness::Longest)
    }

    /// A list of phrases as a rule file would give it.
    pub(super) fn listed(list: &[&str], ignore_case: bool) -> PhraseMatcher {
        let tokens: Vec<Spanned<String>> = list
            .iter()
            .map(|s| Spanned::new(0..0, s.to_string()))
            .collect();
        let Ok(m) = PhraseMatcher::new(&tokens, &[], ignore_case) else {
            panic!("bad list")
        };
        m
    }

    /// The same list matched as one regex alternation, the way a list
    /// that cannot be filed by first word is matched: the reference the
    /// word table is tested against.
    pub(super) fn regex_only(list: &[&str], ignore_case: bool) -> PhraseMatcher {
        let mut m = listed(list, ignore_case);
        let mut sources: Vec<String> = list.iter().map(|p| phrase_source(p)).collect();
        sources.sort_by_key(|s| std::cmp::Reverse(s.len()));
        m.lowered = ignore_case && list.iter().all(|p| p.is_ascii());
        if m.lowered {
            sources = sources.iter().map(|s| s.to_ascii_lowercase()).collect();
        }
        m.phrases = Some(LazyRegex::new(sources.join("|"), ignore_case && !m.lowered).unwrap());
        m.table = None;
        m
    }

    /// A tiny deterministic generator (no dependency for one test).
    pub(super) struct Lcg(pub(super) u64);

    impl Lcg {
        pub(super) fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            from[(self.0 >> 33) as usize % from.len()]
        }
    }
}
