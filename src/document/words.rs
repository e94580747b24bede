//! Hashes of the words of a normalised text (see `normalize`), taken as the
//! text is normalised rather than from a string built for it.
//!
//! The hashes need not be strong: a caller confirms equal hashes on the
//! texts. They must be cheap, as every byte of every paragraph may pass
//! through them: a word's bytes are gathered eight to a `u64` and mixed in
//! with one multiplication, and a run of ASCII letters and digits is
//! gathered eight bytes at a time with no branch per byte.

use std::ops::Range;

use super::{Document, NormSink, Span, normalize_into};

/// One multiplication per step; rotating first lets the high bits of one
/// step reach the low bits of the next.
#[inline(always)]
pub fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(26) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Where every hash made with `mix` starts.
pub const SEED: u64 = 0x2d35_8dcc_aa6c_78a5;

/// A word's hash, fed a byte at a time. Normalised text has no zero byte,
/// so the bytes gathered in `acc` say how many there are.
#[derive(Clone, Copy)]
struct WordHash {
    state: u64,
    acc: u64,
    n: u32,
}

impl WordHash {
    const NEW: WordHash = WordHash {
        state: SEED,
        acc: 0,
        n: 0,
    };

    /// `n` bytes at once, packed first byte highest (`n` at most what
    /// fills `acc`): the same state as feeding them one at a time.
    #[inline(always)]
    fn push(&mut self, packed: u64, n: u32) {
        self.acc = self.acc.checked_shl(8 * n).unwrap_or(0) | packed;
        self.n += n;
        if self.n == 8 {
            self.state = mix(self.state, self.acc);
            self.acc = 0;
            self.n = 0;
        }
    }

    fn finish(self) -> u64 {
        mix(self.state, self.acc)
    }
}

/// The length of a normalised text and a hash of each of its words, in
/// order. The vector is kept from one text to the next.
pub struct WordHashes {
    len: usize,
    word: WordHash,
    words: Vec<u64>,
}

impl Default for WordHashes {
    fn default() -> Self {
        WordHashes::new()
    }
}

impl WordHashes {
    pub fn new() -> WordHashes {
        WordHashes {
            len: 0,
            word: WordHash::NEW,
            words: Vec::new(),
        }
    }

    /// The words of `normalize(text)`.
    pub fn of_text(&mut self, text: &str) -> &WordHashes {
        self.clear();
        normalize_into(text, self);
        self.end_word();
        self
    }

    /// The words of `norm`, a text already normalised: the same hashes as
    /// `of_text` gives for any text that normalises to it.
    pub fn of_normalized(&mut self, norm: &str) -> &WordHashes {
        self.clear();
        for (i, w) in norm.split(' ').enumerate() {
            if i > 0 {
                self.space();
            }
            self.bytes(w.as_bytes());
        }
        self.end_word();
        self
    }

    /// The length in bytes of the normalised text.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// One hash per word (an empty text has one empty word, as
    /// `split(' ')` gives).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    fn clear(&mut self) {
        self.len = 0;
        self.word = WordHash::NEW;
        self.words.clear();
    }

    fn end_word(&mut self) {
        let w = std::mem::replace(&mut self.word, WordHash::NEW).finish();
        self.words.push(w);
    }
}

impl NormSink for WordHashes {
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.word.push(u64::from(x), 1);
        }
        self.len += b.len();
    }

    fn space(&mut self) {
        self.end_word();
        self.len += 1;
    }

    /// Up to eight bytes at a time, packed as `bytes` would pack them one
    /// by one: the same hash.
    #[inline(always)]
    fn ascii(&mut self, text: &[u8], run: Range<usize>) {
        self.len += run.len();
        let mut at = run.start;
        while at < run.end {
            let take = (8 - self.word.n as usize).min(run.end - at);
            let packed = super::swar::packed_lower(text, at, take);
            self.word.push(packed, take as u32);
            at += take;
        }
    }
}

/// A word's key for filters and tables: its first eight bytes and its
/// length, in one `u64`. Equal words have equal keys; words that differ
/// only after their eighth byte and have the same length share a key, so a
/// caller that needs the word itself confirms on its text.
pub fn word_key(word: &str) -> u64 {
    key_at(word.as_bytes(), 0..word.len())
}

impl Document<'_> {
    /// The key ([`word_key`]) of the word at `w` in the text, read with one
    /// load where the text allows: asked of every word of a story.
    #[inline]
    pub fn word_key(&self, w: Span) -> u64 {
        key_at(self.text.as_bytes(), w.range())
    }
}

/// The key of the word `b[w]` (0 for an empty word).
#[inline]
fn key_at(b: &[u8], w: Range<usize>) -> u64 {
    if w.is_empty() {
        return 0;
    }
    let len = w.len();
    super::swar::packed_prefix(b, w.start, len) ^ ((len as u64) << 58)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashing as the text is normalised gives what hashing the normalised
    /// string gives, and its length.
    #[test]
    fn text_and_normalized_agree() {
        let mut a = WordHashes::new();
        let mut b = WordHashes::new();
        for t in [
            "",
            "One",
            "The Quick, brown fox — jumped!",
            "Ünïcode wörds and ASCII-words/slashes",
            "  spaced   out\ttext\n",
            "abcdefghijklmnopqrstuvwxyz0123456789 ABCDEFGHIJKLMNOP",
        ] {
            let norm = super::super::normalize(t);
            let (len, words) = {
                let w = a.of_text(t);
                (w.len(), w.words().to_vec())
            };
            assert_eq!(len, norm.len(), "{t:?}");
            assert_eq!(words, b.of_normalized(&norm).words(), "{t:?}");
            assert_eq!(words.len(), norm.split(' ').count(), "{t:?}");
        }
    }

    /// A word's key is the same read from a text as from the word alone,
    /// and tells apart words of different length or first eight bytes.
    #[test]
    fn word_keys_agree_in_and_out_of_a_text() {
        let text = "Despite the Quick brownish foxes, Überraschung x";
        let doc = Document::new(text, "t.txt", &Default::default());
        let mut seen = std::collections::HashMap::new();
        for s in &doc.sentences {
            for w in doc.words_of(s, &mut Vec::new()).iter().copied() {
                let word = doc.slice(&w.range());
                assert_eq!(doc.word_key(w), word_key(word), "{word:?}");
                seen.insert(word_key(word), word);
            }
        }
        assert_eq!(seen.len(), 7, "{seen:?}");
        assert_ne!(word_key("brownish"), word_key("brownishly"));
        assert_eq!(word_key(""), 0);
    }

    /// Different words hash differently; the same word the same.
    #[test]
    fn words_are_told_apart() {
        let mut h = WordHashes::new();
        let w = h
            .of_normalized("alpha beta alpha alphabet")
            .words()
            .to_vec();
        assert_eq!(w[0], w[2]);
        assert_ne!(w[0], w[1]);
        assert_ne!(w[0], w[3]);
    }
}
