//! Lines of a text: where they break and start. The lowest layer: it knows
//! nothing of stories, only of bytes and line terminators (`\n`, `\r\n`
//! and a lone `\r`).

use std::ops::Range;

/// Start offsets of every line; a line ends at `\n`, `\r\n` or a lone `\r`.
///
/// In 32 bits, and without the room left from growing: the list is held
/// while a large file is checked. Texts are at most 4 GiB (`Source::from_bytes`
/// refuses larger ones).
pub fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    starts.extend(
        line_breaks(text.as_bytes())
            .map(|(_, next)| u32::try_from(next).expect("texts are at most 4 GiB")),
    );
    crate::memory::trim(&mut starts);
    starts
}

/// Each line break (`\n`, `\r\n` or a lone `\r`) of `bytes`, as where it
/// starts and where the next line starts, found with memchr (most bytes are
/// never looked at one by one).
pub fn line_breaks(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    // The `\n` of a `\r\n` is found too, and skipped.
    let mut taken = 0;
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(move |i| {
        if i < taken {
            return None;
        }
        let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        taken = next;
        Some((i, next))
    })
}

/// Byte ranges of the lines of `text` (content only, terminators excluded),
/// restricted to `within`.
pub fn lines_in(text: &str, within: Range<usize>) -> Vec<Range<usize>> {
    // Room for a story's lines at once (a line every 48 bytes or so is
    // generous for news copy); a long file grows as it needs.
    let mut out = Vec::with_capacity((within.len() / 48 + 4).min(4096));
    let mut start = within.start;
    let base = within.start;
    for (at, next) in line_breaks(&text.as_bytes()[within.clone()]) {
        out.push(start..base + at);
        start = base + next;
    }
    if start < within.end {
        out.push(start..within.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line starts found with memchr are those of reading byte by byte.
    #[test]
    fn line_starts_match_a_byte_by_byte_reading() {
        let pieces = ["a", "é", "\n", "\r", "\r\n", "\n\r", " ", "\u{2028}"];
        for t in crate::testing::texts(&pieces, 0x0001_1e57, 16).take(20_000) {
            let bytes = t.as_bytes();
            let mut want = vec![0];
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                if matches!(bytes[i], b'\n' | b'\r') {
                    want.push(i as u32 + 1);
                }
                i += 1;
            }
            assert_eq!(line_starts(&t), want, "{t:?}");
            // Lines of a part of the text, as a byte-by-byte reading finds them.
            let half = (0..=t.len() / 2)
                .rev()
                .find(|&h| t.is_char_boundary(h))
                .unwrap_or(0);
            let mut want_lines = Vec::new();
            let (mut start, mut i) = (half, half);
            while i < t.len() {
                if matches!(bytes[i], b'\n' | b'\r') {
                    want_lines.push(start..i);
                    if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    start = i + 1;
                }
                i += 1;
            }
            if start < t.len() {
                want_lines.push(start..t.len());
            }
            assert_eq!(lines_in(&t, half..t.len()), want_lines, "{t:?}");
        }
    }
}
