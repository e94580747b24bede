//! Stable identities for findings that survive edits elsewhere in a story:
//! the rule, the text of the line the finding starts on, and the matched
//! text, all with whitespace normalised. Used by baselines, SARIF
//! `partialFingerprints` and GitLab fingerprints.

use crate::document::squeeze;
use crate::finding::Finding;
use crate::source::Source;

/// The FNV-1a hash of no bytes, where every hash starts.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

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

/// A 16-hex-digit fingerprint of a finding.
pub fn fingerprint(source: &Source, f: &Finding) -> String {
    let line = source.line_range(source.line_index(f.span.start.min(source.text.len())));
    let context = squeeze(&source.text[line]);
    let end = f.span.end.min(source.text.len());
    let start = f.span.start.min(end);
    let matched: String = squeeze(&source.text[start..end])
        .chars()
        .take(400)
        .collect();
    let key = format!("{}\u{0}{context}\u{0}{matched}", f.rule);
    format!("{:016x}", fnv1a(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    #[test]
    fn fingerprint_ignores_lines_above() {
        let a = Source::new("a", "Head\n\nThe the cat.\n");
        let b = Source::new("a", "Head\n\nA new paragraph.\n\nThe the cat.\n");
        let fa = Finding::new("r", Severity::Error, 6..13, String::new());
        let fb = Finding::new("r", Severity::Error, 24..31, String::new());
        assert_eq!(fingerprint(&a, &fa), fingerprint(&b, &fb));
        let other = Finding::new("q", Severity::Error, 6..13, String::new());
        assert_ne!(fingerprint(&a, &fa), fingerprint(&a, &other));
    }
}
