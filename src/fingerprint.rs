//! Stable identities for findings that survive edits elsewhere in a story.
//!
//! A finding's *line key* hashes the rule, the text of the line the finding
//! starts on and the matched text, all with whitespace normalised: it does
//! not depend on line numbers, so adding text above leaves it alone. Keys
//! of one file are computed through [`Fingerprints`], which hashes each
//! line once per rule however many findings it holds, so the cost is linear
//! in the file and its findings.
//!
//! Baselines store the line key with the path and a count beside it. SARIF
//! `partialFingerprints` and GitLab fingerprints need one value per finding
//! that differs between findings, so [`finding_ids`] adds the file's path
//! and the occurrence (how many findings of the file had the same line key
//! before it).

use std::collections::HashMap;

use crate::finding::Finding;
use crate::source::Source;

/// The FNV-1a hash of no bytes, where every hash starts.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// Characters of the matched text that count towards a key.
const MATCHED_CHARS: usize = 400;

/// FNV-1a, 64 bits: stable across runs, platforms and versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv_add(FNV_OFFSET, bytes)
}

/// The FNV-1a hash `h` carried on over more bytes (for a hash built
/// piece by piece: `fnv_add(fnv_add(FNV_OFFSET, a), b)` is `fnv1a` of `a`
/// then `b`).
#[inline]
pub fn fnv_add(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// `h` carried on over `s` with whitespace runs read as one space and the
/// ends trimmed (the hash of `squeeze(s)`), stopping after `limit`
/// characters.
fn fnv_squeezed(mut h: u64, s: &str, limit: usize) -> u64 {
    let mut left = limit;
    for (i, word) in s.split_whitespace().enumerate() {
        if left == 0 {
            break;
        }
        if i > 0 {
            h = fnv_add(h, b" ");
            left -= 1;
            if left == 0 {
                break;
            }
        }
        let end = word
            .char_indices()
            .nth(left)
            .map_or(word.len(), |(at, _)| at);
        h = fnv_add(h, &word.as_bytes()[..end]);
        left -= word[..end].chars().count();
    }
    h
}

/// Line keys of one file's findings, each line hashed once per rule.
pub struct Fingerprints<'a> {
    source: &'a Source,
    /// The hash state after `rule \0 line \0`, by line and rule.
    lines: HashMap<(usize, &'a str), u64>,
}

impl<'a> Fingerprints<'a> {
    pub fn new(source: &'a Source) -> Fingerprints<'a> {
        Fingerprints {
            source,
            lines: HashMap::new(),
        }
    }

    /// The finding's line key: rule, its line's text and the matched text.
    pub fn line_key(&mut self, f: &'a Finding) -> u64 {
        let text = &self.source.text;
        let end = f.span.end.min(text.len());
        let start = f.span.start.min(end);
        let line = self.source.line_index(start);
        let source = self.source;
        let state = *self.lines.entry((line, &*f.rule)).or_insert_with(|| {
            let h = fnv_add(FNV_OFFSET, f.rule.as_bytes());
            let h = fnv_add(h, b"\0");
            let h = fnv_squeezed(h, &text[source.line_range(line)], usize::MAX);
            fnv_add(h, b"\0")
        });
        fnv_squeezed(state, &text[start..end], MATCHED_CHARS)
    }
}

/// The line key as 16 hex digits (the form baselines store).
pub fn hex(key: u64) -> String {
    format!("{key:016x}")
}

/// One fingerprint per finding, in order, that tells apart findings of
/// different files and repeated findings with the same line key in one
/// file. `path` is the file as the report names it.
pub fn finding_ids<'a>(source: &'a Source, path: &str, findings: &'a [Finding]) -> Vec<String> {
    let mut keys = Fingerprints::new(source);
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let path = fnv_add(fnv1a(path.as_bytes()), b"\0");
    findings
        .iter()
        .map(|f| {
            let key = keys.line_key(f);
            let occurrence = seen.entry(key).or_insert(0);
            let id = fnv_add(fnv_add(path, &key.to_le_bytes()), &occurrence.to_le_bytes());
            *occurrence += 1;
            hex(id)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::squeeze;
    use crate::finding::Severity;

    fn key(source: &Source, f: &Finding) -> u64 {
        Fingerprints::new(source).line_key(f)
    }

    #[test]
    fn line_keys_ignore_lines_above() {
        let a = Source::new("a", "Head\n\nThe the cat.\n");
        let b = Source::new("a", "Head\n\nA new paragraph.\n\nThe the cat.\n");
        let fa = Finding::new("r", Severity::Error, 6..13, String::new());
        let fb = Finding::new("r", Severity::Error, 24..31, String::new());
        assert_eq!(key(&a, &fa), key(&b, &fb));
        let other = Finding::new("q", Severity::Error, 6..13, String::new());
        assert_ne!(key(&a, &fa), key(&a, &other));
    }

    #[test]
    fn line_keys_hash_the_squeezed_line_and_match() {
        let text = "  A  line\twith   the the  words \n";
        let source = Source::new("a", text);
        let f = Finding::new("r", Severity::Error, 17..28, String::new());
        let expected = format!(
            "r\u{0}{}\u{0}{}",
            squeeze(&text[..text.len() - 1]),
            squeeze(&text[17..28])
        );
        assert_eq!(key(&source, &f), fnv1a(expected.as_bytes()));
        // A long match counts its first characters only.
        let long = "word ".repeat(200);
        let source = Source::new("a", &long);
        let f = Finding::new("r", Severity::Error, 0..long.len(), String::new());
        let matched: String = squeeze(&long).chars().take(MATCHED_CHARS).collect();
        let expected = format!("r\u{0}{}\u{0}{matched}", squeeze(&long));
        assert_eq!(key(&source, &f), fnv1a(expected.as_bytes()));
    }

    #[test]
    fn finding_ids_differ_by_path_and_occurrence() {
        let text = "The the cat and the the dog.\n\nThe the cat and the the dog.\n";
        let source = Source::new("a.md", text);
        let findings: Vec<Finding> = text
            .match_indices("he the")
            .map(|(at, m)| Finding::new("r", Severity::Error, at + 3..at + m.len(), String::new()))
            .collect();
        assert_eq!(findings.len(), 4);
        let ids = finding_ids(&source, "a.md", &findings);
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), 4, "{ids:?}");
        let elsewhere = finding_ids(&source, "b.md", &findings);
        assert!(ids.iter().zip(&elsewhere).all(|(a, b)| a != b));
        // Text added above leaves every id alone.
        let moved_text = format!("New top line.\n\n{text}");
        let moved = Source::new("a.md", &moved_text);
        let shift = moved_text.len() - text.len();
        let shifted: Vec<Finding> = findings
            .iter()
            .map(|f| {
                let span = f.span.start + shift..f.span.end + shift;
                Finding::new("r", Severity::Error, span, String::new())
            })
            .collect();
        assert_eq!(finding_ids(&moved, "a.md", &shifted), ids);
    }
}
