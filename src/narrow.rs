//! Regexes with Unicode classes that are cheap to build for most copy.
//!
//! A class such as `\p{L}` spans thousands of ranges, and compiling it into
//! an automaton can cost more than the rest of a run on a short story (the
//! dateline pattern does; see docs/performance.md). Most copy is written in
//! Latin letters with general punctuation (curly quotes, dashes), and on
//! such a text a class matches what its part inside those characters
//! matches. So a [`NarrowRegex`] is built twice over, lazily: with every
//! class cut down to [`in_narrow`] characters, for a text made of them
//! only, and as written, for any other text. Both give the same matches on
//! a text they are used for; a test checks this on mixed texts.

use std::sync::OnceLock;

use regex_automata::meta::{self, Regex};
use regex_syntax::hir::{self, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// Latin letters up to Latin Extended-B (with ASCII and Latin-1
/// punctuation), and the General Punctuation block.
const NARROW: [(char, char); 2] = [('\0', '\u{24f}'), ('\u{2000}', '\u{206f}')];

pub fn in_narrow(c: char) -> bool {
    let [(a0, b0), (a1, b1)] = NARROW;
    (a0..=b0).contains(&c) || (a1..=b1).contains(&c)
}

/// Is the text made of narrow characters only? Read 16 bytes at a time:
/// a byte below 0xC9 is ASCII, a continuation byte, or opens a character
/// below U+0240, all narrow; only the characters that open with another
/// byte are decoded and tested.
pub fn is_narrow(hay: &str) -> bool {
    let bytes = hay.as_bytes();
    let mut at = 0;
    loop {
        while let Some(block) = bytes.get(at..at + 16) {
            if block.iter().any(|&b| b >= 0xC9) {
                break;
            }
            at += 16;
        }
        match bytes[at..].iter().position(|&b| b >= 0xC9) {
            None => return true,
            Some(k) => at += k,
        }
        // A byte of 0xC9 or above opens a character.
        let c = hay[at..].chars().next().unwrap_or('\0');
        if !in_narrow(c) {
            return false;
        }
        at += c.len_utf8();
    }
}

/// A regex compiled narrow or whole as the searched text needs (see the
/// module documentation). Without a lazy DFA, one-pass DFA or prefilter:
/// it is meant for short anchored searches, where they cost more to build
/// than they save.
pub struct NarrowRegex {
    source: &'static str,
    narrow: OnceLock<Regex>,
    whole: OnceLock<Regex>,
}

impl NarrowRegex {
    pub const fn new(source: &'static str) -> NarrowRegex {
        NarrowRegex {
            source,
            narrow: OnceLock::new(),
            whole: OnceLock::new(),
        }
    }

    fn for_text(&self, hay: &str) -> &Regex {
        if is_narrow(hay) {
            self.narrow
                .get_or_init(|| build(narrowed(parse(self.source))))
        } else {
            self.whole.get_or_init(|| build(parse(self.source)))
        }
    }

    pub fn find(&self, hay: &str) -> Option<regex_automata::Match> {
        self.for_text(hay).find(hay)
    }

    pub fn is_match(&self, hay: &str) -> bool {
        self.for_text(hay).is_match(hay)
    }
}

fn parse(source: &str) -> Hir {
    regex_syntax::parse(source).expect("a valid built-in pattern")
}

fn build(hir: Hir) -> Regex {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .hybrid(false)
                .dfa(false)
                .onepass(false)
                .auto_prefilter(false),
        )
        .build_from_hir(&hir)
        .expect("a built-in pattern compiles")
}

/// `hir` with every class cut down to the narrow characters: on a text of
/// narrow characters it matches what `hir` matches.
pub fn narrowed(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(mut class)) => {
            class.intersect(&narrow_class());
            Hir::class(Class::Unicode(class))
        }
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(narrowed(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(narrowed(*c.sub));
            Hir::capture(c)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(narrowed).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(narrowed).collect()),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(hir::Literal(bytes)) => Hir::literal(bytes),
        HirKind::Look(look) => Hir::look(look),
    }
}

fn narrow_class() -> ClassUnicode {
    ClassUnicode::new(NARROW.map(|(a, b)| ClassUnicodeRange::new(a, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_texts_are_told_by_their_characters() {
        let pieces = [
            "a", "é", "\u{24f}", "\u{250}", "—", "\u{206f}", "\u{2070}", "Ω", "’", "ɐ", "x y", "\n",
        ];
        for hay in crate::testing::texts(&pieces, 0x5eed, 40).take(4000) {
            assert_eq!(is_narrow(&hay), hay.chars().all(in_narrow), "{hay:?}");
        }
    }

    /// On texts of narrow characters the narrowed regex matches what the
    /// whole one matches; other texts go to the whole one.
    #[test]
    fn narrowed_matches_what_the_whole_pattern_matches() {
        let patterns = [
            r"^\p{Lu}[\p{Lu}\p{M}.'’\-]+(?:,\s+[\p{Lu}\d][\p{L}\d.]*)?\s*(?:--|[-–—:])\s+",
            r"\w+\s+\p{Ll}+\d",
            r"(?i)[^)\n]{1,5}é",
        ];
        let pieces = [
            "KYIV", "Zürich", "ÉTÉ", "Ǆ", "a", "7", " ", "\n", ",", "-", "—", "’", ")", "Ω",
            "Кийв", "é", "\u{301}", "x", "\u{2003}",
        ];
        let mut texts = crate::testing::texts(&pieces, 0x7a11_ce11, 8);
        let (mut narrow_used, mut matched) = (0, 0);
        for source in patterns {
            let re = NarrowRegex::new(source);
            let whole = build(parse(source));
            for hay in texts.by_ref().take(4000) {
                let found = re.find(&hay).map(|m| m.range());
                assert_eq!(
                    found,
                    whole.find(&hay).map(|m| m.range()),
                    "{source:?} {hay:?}"
                );
                narrow_used += usize::from(hay.chars().all(in_narrow));
                matched += usize::from(found.is_some());
            }
        }
        assert!(narrow_used > 1000, "{narrow_used}");
        assert!(matched > 1000, "{matched}");
    }
}
