//! Reading numbers: digits with thousands commas and a decimal point
//! ("1,250", "2.5"), a scale glued on ("40m", "2bn") or following ("40
//! million"), and number words ("twelve", "Forty", "hundreds"). Every word of
//! the text passes `may_be_number` first, so that test is one table lookup.

/// Number words and their values. "a" counts only before a scale word ("a
/// million"); the plurals are rough sizes ("hundreds of").
pub const NUMBER_WORDS: &[(&str, f64)] = &[
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("dozen", 12.0),
    ("dozens", 24.0),
    ("hundreds", 200.0),
    ("thousands", 2e3),
    ("millions", 2e6),
    ("billions", 2e9),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("a", 1.0),
];

/// Of each length and first letter, the last letters of number words (bit
/// 0 for 'a'): "the" opens like "ten" but does not end like it.
const LASTS: [[u32; 26]; 10] = {
    let mut masks = [[0u32; 26]; 10];
    let mut i = 0;
    while i < NUMBER_WORDS.len() {
        let n = NUMBER_WORDS[i].0.as_bytes();
        let first = (n[0].to_ascii_lowercase() - b'a') as usize;
        let last = n[n.len() - 1].to_ascii_lowercase() - b'a';
        masks[n.len()][first] |= 1 << last;
        i += 1;
    }
    masks
};

/// Could a word of `len` bytes that opens with the byte `first` and ends
/// with `last` be a number: digits, or a number word (of its length, with
/// its first and last letters, in any case)? Most words are turned away by
/// this one test, before they are sliced out of the text.
pub fn may_be_number(first: u8, last: u8, len: usize) -> bool {
    first.is_ascii_digit()
        || (first.is_ascii_alphabetic()
            && last.is_ascii_alphabetic()
            && LASTS.get(len).is_some_and(|m| {
                m[usize::from((first | 0x20) - b'a')] & (1 << ((last | 0x20) - b'a')) != 0
            }))
}

/// The value of a number word in any case ("Twenty"), by one hash lookup:
/// this runs for nearly every word of the text.
pub fn number_word(w: &str) -> Option<f64> {
    static TABLE: std::sync::LazyLock<rustc_hash::FxHashMap<&'static [u8], f64>> =
        std::sync::LazyLock::new(|| {
            NUMBER_WORDS
                .iter()
                .map(|(n, v)| (n.as_bytes(), *v))
                .collect()
        });
    let (&first, &last) = (w.as_bytes().first()?, w.as_bytes().last()?);
    if !first.is_ascii_alphabetic() || !may_be_number(first, last, w.len()) {
        return None;
    }
    let mut buf = [0u8; 9];
    let lower = buf.get_mut(..w.len())?;
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    TABLE.get(&*lower).copied()
}

/// Scale words, standing alone ("40 million") or glued to digits ("40m").
const SCALES: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("m", 1e6),
    ("bn", 1e9),
    ("k", 1e3),
    ("tn", 1e12),
];

/// The multiplier of a lower-case scale word, if it is one.
pub fn scale(w: &str) -> Option<f64> {
    SCALES.iter().find(|(s, _)| *s == w).map(|(_, v)| *v)
}

/// Digits with a scale glued on ("40m", "2.5bn"): the value, and whether the
/// scale is "m" or "k" (which also abbreviate metres and kilometres: "the
/// 400m", "a 10k run").
pub fn glued_scale(w: &str) -> Option<(f64, bool)> {
    let split = w.find(|c: char| c.is_alphabetic())?;
    let (num, suffix) = w.split_at(split);
    let v = numeric_value(num)?;
    let mut buf = [0u8; 32];
    let suffix = crate::document::lower_in(&mut buf, suffix);
    let m = scale(&suffix)?;
    Some((v * m, matches!(suffix.as_ref(), "m" | "k")))
}

/// The value of the digits (with thousands commas and a decimal point) that
/// open `w`: "1,250" is 1250, "2.5bn" is 2.5. Gathered on the stack: it is
/// asked of every figure.
pub fn numeric_value(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let number = || {
        w.bytes()
            .take_while(|b| b.is_ascii_digit() || matches!(b, b',' | b'.'))
            .filter(|&b| b != b',')
    };
    let mut buf = [0u8; 40];
    let mut len = 0;
    for b in number() {
        match buf.get_mut(len) {
            Some(slot) => *slot = b,
            // Longer than any figure in copy: gathered on the heap.
            None => return String::from_utf8(number().collect()).ok()?.parse().ok(),
        }
        len += 1;
    }
    // ASCII digits and points.
    std::str::from_utf8(&buf[..len]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The screen by length and first and last letters lets every number
    /// word through, in any case, and turns away common words.
    #[test]
    fn number_screen_keeps_every_number_word() {
        for (n, v) in NUMBER_WORDS {
            let title = n[..1].to_uppercase() + &n[1..];
            for w in [n.to_string(), n.to_uppercase(), title] {
                let b = w.as_bytes();
                assert!(may_be_number(b[0], b[b.len() - 1], b.len()), "{w}");
                assert_eq!(number_word(&w), Some(*v), "{w}");
            }
        }
        for w in ["the", "The", "that", "said", "7", "ten's", "tenX"] {
            let b = w.as_bytes();
            let screened = may_be_number(b[0], b[b.len() - 1], b.len());
            assert_eq!(screened, matches!(w, "7"), "{w}");
            assert_eq!(number_word(w), None, "{w}");
        }
        for w in ["tent", "Zero", "elevens", "", "niner", "twentyone"] {
            assert_eq!(number_word(w), None, "{w}");
        }
    }

    /// The value read on the stack is the value of the digits and points
    /// gathered into a string (commas dropped), for short and long runs.
    #[test]
    fn numeric_value_reads_what_a_string_would_hold() {
        let by_string = |w: &str| -> Option<f64> {
            if !w.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let digits: String = w
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .filter(|c| *c != ',')
                .collect();
            digits.parse().ok()
        };
        let pieces = [
            "1",
            "0",
            "9",
            ",",
            ".",
            "5",
            "m",
            "bn",
            "é",
            "-",
            "12345678901234",
        ];
        let mut seen = 0;
        for w in crate::testing::texts(&pieces, 0x0b5e_55ed, 8).take(20_000) {
            let want = by_string(&w);
            assert_eq!(numeric_value(&w), want, "{w:?}");
            seen += usize::from(want.is_some());
        }
        assert!(seen > 2_000, "only {seen} numbers");
    }

    /// A glued scale multiplies; "m" and "k" are marked as possibly a
    /// distance; other letters are no scale.
    #[test]
    fn glued_scales() {
        assert_eq!(glued_scale("40m"), Some((40e6, true)));
        assert_eq!(glued_scale("2.5bn"), Some((2.5e9, false)));
        assert_eq!(glued_scale("10k"), Some((10e3, true)));
        assert_eq!(glued_scale("3D"), None);
        assert_eq!(glued_scale("21st"), None);
        assert_eq!(glued_scale("5million"), Some((5e6, false)));
    }
}
