//! Where words may start and where runs of ASCII letters and digits end,
//! found for 64 bytes at once.
//!
//! A byte loop that splits a text into words branches once a byte, and at
//! the end of nearly every word the processor guesses that branch wrong: a
//! word's length cannot be predicted. Here 64 bytes are tested together
//! (byte compares the compiler turns into SIMD, then eight flags gathered
//! into eight bits by one multiplication: "SWAR", SIMD within a register),
//! into two bitmaps, and a word's start and end are the next set bits: bit
//! operations, not guesses. Safe, portable code; `std::arch` could go
//! further but needs `unsafe`.

const ONES: u64 = 0x0101_0101_0101_0101;

/// One bit a byte from the high bits of a SWAR mask.
#[inline(always)]
fn pack(m: u64) -> u64 {
    ((m >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Bitmaps of 64 bytes of a text, from `base`: which bytes are ASCII
/// letters or digits, and which may start a word (those, and bytes beyond
/// ASCII). Bytes past the end of the text are in neither. The window moves
/// to any position asked outside it; a scan that asks in order moves it on
/// once every 64 bytes or so, so a word costs a few bit operations and the
/// bytes are tested once, 64 at a time, however the words fall. (Asked out
/// of order, as by the sentences of blocks that are not in text order, it
/// is only slower.)
pub struct Window<'b> {
    b: &'b [u8],
    base: usize,
    alnum: u64,
    start: u64,
}

impl<'b> Window<'b> {
    pub fn new(b: &'b [u8]) -> Window<'b> {
        Window::at(b, 0)
    }

    /// A window to be asked about bytes from `base` on.
    pub fn at(b: &'b [u8], base: usize) -> Window<'b> {
        let mut w = Window {
            b,
            base,
            alnum: 0,
            start: 0,
        };
        w.fill(base);
        w
    }

    fn fill(&mut self, base: usize) {
        self.base = base;
        let mut tail = [0u8; 64];
        let block: &[u8; 64] = match self.b.get(base..base + 64) {
            Some(b) => b.try_into().unwrap_or(&tail),
            None => {
                // The end of the text, padded with zeros.
                let rest = self.b.get(base..).unwrap_or(&[]);
                tail[..rest.len()].copy_from_slice(rest);
                &tail
            }
        };
        // Each byte's answers as 0x80 or 0, in a loop of byte compares
        // the compiler makes SIMD (faster than testing eight bytes in a u64
        // with additions), then eight bytes' high bits gathered into eight
        // bits by one multiplication.
        let (mut a, mut s) = ([0u8; 64], [0u8; 64]);
        for ((&c, a), s) in block.iter().zip(&mut a).zip(&mut s) {
            let l = c | 0x20;
            let letter = (c.wrapping_sub(b'0') < 10) | (l.wrapping_sub(b'a') < 26);
            *a = u8::from(letter) << 7;
            *s = *a | (c & 0x80);
        }
        let (mut letters, mut starts) = (0, 0);
        for (k, (a, s)) in a.chunks_exact(8).zip(s.chunks_exact(8)).enumerate() {
            let a = u64::from_le_bytes(a.try_into().unwrap_or([0; 8]));
            let s = u64::from_le_bytes(s.try_into().unwrap_or([0; 8]));
            letters |= pack(a) << (8 * k);
            starts |= pack(s) << (8 * k);
        }
        self.alnum = letters;
        self.start = starts;
    }

    /// The first byte at or after `from` that is an ASCII letter or digit
    /// or beyond ASCII (where a word may start), or `limit` if there is
    /// none before it. The window is not moved past `limit`.
    #[inline]
    pub fn next_word_byte(&mut self, mut from: usize, limit: usize) -> usize {
        let limit = limit.min(self.b.len());
        while from < limit {
            // Outside the window (past it, or before it when asked out of
            // order): the window moves there.
            if from.wrapping_sub(self.base) >= 64 {
                self.fill(from);
            }
            let m = self.start >> (from - self.base);
            if m != 0 {
                return (from + m.trailing_zeros() as usize).min(limit);
            }
            from = self.base + 64;
        }
        limit
    }

    /// The first byte at or after `from` that is not an ASCII letter or
    /// digit, or `limit` if the run reaches it. The window is not moved
    /// past `limit`.
    #[inline]
    pub fn alnum_end(&mut self, mut from: usize, limit: usize) -> usize {
        loop {
            if from >= limit {
                return limit;
            }
            // Outside the window (past it, or before it when asked out of
            // order): the window moves there.
            if from.wrapping_sub(self.base) >= 64 {
                self.fill(from);
            }
            // Shifted in from the top: zeros, read as letters, so a run
            // that reaches the window's end moves the window on. (Bytes
            // past the text's end are not letters.)
            let m = !self.alnum >> (from - self.base);
            if m != 0 {
                return (from + m.trailing_zeros() as usize).min(limit);
            }
            from = self.base + 64;
        }
    }
}

/// The first eight bytes of `b[at..at + len]` (all of them if fewer),
/// packed into a `u64`, the first byte highest. `len` is at least 1.
#[inline]
pub fn packed_prefix(b: &[u8], at: usize, len: usize) -> u64 {
    let n = len.clamp(1, 8);
    let shift = 64 - 8 * n as u32;
    match b.get(at..at + 8) {
        Some(w) => u64::from_be_bytes(w.try_into().unwrap_or([0; 8])) >> shift,
        None => b[at..at + n]
            .iter()
            .fold(0, |acc, &c| acc << 8 | u64::from(c)),
    }
}

/// The ASCII letters and digits `b[at..at + len]` (`len` from 1 to 8),
/// lower-cased and packed into a `u64`, the first byte highest: what
/// folding them in a byte at a time (`acc << 8 | byte`) makes.
#[inline]
pub fn packed_lower(b: &[u8], at: usize, len: usize) -> u64 {
    debug_assert!((1..=8).contains(&len));
    // Letters and digits alike have the 0x20 bit set in lower case.
    packed_prefix(b, at, len) | ((ONES * 0x20) >> (64 - 8 * len as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_lower_folds_bytes() {
        let text = b"Ab9Zq0mXyz12345678";
        for at in 0..text.len() {
            for len in 1..=8.min(text.len() - at) {
                let want = text[at..at + len]
                    .iter()
                    .fold(0u64, |acc, b| acc << 8 | u64::from(b.to_ascii_lowercase()));
                assert_eq!(packed_lower(text, at, len), want, "{at} {len}");
            }
        }
    }

    /// A window asked for a place before it (out of order) moves back.
    #[test]
    fn a_window_moves_back() {
        let text = format!("{}ab cd{}", " ".repeat(10), " x".repeat(150));
        let b = text.as_bytes();
        let mut w = Window::new(b);
        assert_eq!(w.next_word_byte(251, b.len()), 252);
        assert_eq!(w.next_word_byte(0, b.len()), 10);
        assert_eq!(w.alnum_end(10, b.len()), 12);
        assert_eq!(w.alnum_end(290, b.len()), 291);
    }

    /// One window asked in order, as a scan asks it, over texts that mix
    /// letters, spaces and bytes beyond ASCII, long and short.
    #[test]
    fn a_window_moves_forward() {
        let pieces = [
            "a",
            "Bc9",
            " ",
            "\u{e9}",
            "--",
            "abcdefghijklmnop",
            "\n\n",
            "x",
        ];
        for t in crate::testing::texts(&pieces, 0xd1ce, 90).take(3000) {
            let b = t.as_bytes();
            let mut w = Window::new(b);
            let mut i = 0;
            while i < b.len() {
                let want = (i..b.len())
                    .find(|&k| b[k].is_ascii_alphanumeric() || b[k] >= 0x80)
                    .unwrap_or(b.len());
                i = w.next_word_byte(i, b.len());
                assert_eq!(i, want, "{t:?}");
                let want = (i..b.len())
                    .find(|&k| !b[k].is_ascii_alphanumeric())
                    .unwrap_or(b.len());
                i = w.alnum_end(i, b.len());
                assert_eq!(i, want, "{t:?}");
                i += 1;
            }
        }
    }

    /// Every byte value, at every position of a word and near the end of
    /// the text, against the byte-by-byte answer.
    #[test]
    fn swar_tests_agree_with_byte_tests() {
        for c in 0..=255u8 {
            for at in 0..10 {
                for len in [at + 1, at + 3, 17, 70, 130] {
                    let mut b = vec![b'x'; len];
                    b[at] = c;
                    let want_end = b.iter().position(|x| !x.is_ascii_alphanumeric());
                    assert_eq!(
                        Window::new(&b).alnum_end(0, len),
                        want_end.unwrap_or(len),
                        "{c} {at} {len}"
                    );
                    let mut s = vec![b' '; len];
                    s[at] = c;
                    let want_next = s
                        .iter()
                        .position(|x| x.is_ascii_alphanumeric() || *x >= 0x80);
                    assert_eq!(
                        Window::new(&s).next_word_byte(0, len),
                        want_next.unwrap_or(len),
                        "{c} {at} {len}"
                    );
                    for from in 0..=len {
                        let want = (from..len)
                            .find(|&i| s[i].is_ascii_alphanumeric() || s[i] >= 0x80)
                            .unwrap_or(len);
                        assert_eq!(Window::new(&s).next_word_byte(from, len), want);
                        let want = (from..len)
                            .find(|&i| !b[i].is_ascii_alphanumeric())
                            .unwrap_or(len);
                        assert_eq!(Window::new(&b).alnum_end(from, len), want);
                    }
                }
            }
        }
    }
}
