//! Sentence splitting and word tokenising that survive newsroom copy:
//! "U.S.", "Gov.", "Sen.", "a.m.", "No. 3", initials ("J. K. Rowling"),
//! decimals ("3.5"), and quotes that close after the full stop.

use std::ops::Range;

/// Abbreviations after which a full stop never ends a sentence
/// (titles and words that always precede something).
const NEVER_FINAL: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "gov", "sen", "rep", "reps", "gen", "col", "lt", "sgt",
    "capt", "cpl", "maj", "adm", "cmdr", "st", "ste", "mt", "ft", "fr", "rev", "hon", "pres",
    "supt", "insp", "det", "atty", "messrs", "mme", "mlle", "no", "nos", "vs", "v", "approx",
    "dept", "est", "fig", "gov't", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov",
    "dec", "ave", "blvd", "rd", "cf", "e.g", "i.e",
];

/// Abbreviations that may end a sentence; a following capitalised word starts
/// a new sentence only when it is a typical sentence opener.
const MAYBE_FINAL: &[&str] = &[
    "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "inc", "corp", "co", "ltd", "jr", "sr",
    "bros", "etc", "llc", "plc", "ph.d", "b.a", "m.a", "l.a", "n.y", "u.s.a",
];

/// Words that commonly open a sentence (used after an ambiguous abbreviation).
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "For",
    "So",
    "Yet",
    "Some",
    "Many",
    "Most",
    "No",
    "Now",
    "Then",
    "Officials",
    "Police",
    "Last",
    "Next",
    "Meanwhile",
    "However",
    "Still",
    "Earlier",
    "Later",
];

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '\u{bb}' | '*' | '_'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201c}' | '\u{2018}' | '(' | '[' | '\u{ab}' | '\u{2014}' | '-' | '*' | '_'
    )
}

/// The character at byte `at` of `s` (none at the end), read from the
/// byte when it is ASCII.
#[inline]
pub fn char_at(s: &str, at: usize) -> Option<char> {
    match s.as_bytes().get(at) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        _ => s.get(at..).and_then(|t| t.chars().next()),
    }
}

/// Split `prose[range]` into sentence ranges (trimmed, non-empty).
///
/// Works on byte offsets, with no per-character table: terminal
/// punctuation is found by its bytes ('.', '!', '?' and the lead byte of
/// '…' never occur inside another character's UTF-8 sequence).
pub fn split(prose: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    split_into(prose, range, &mut out);
    out
}

/// `split`, adding the sentences to `out` (a vector the caller keeps from
/// paragraph to paragraph).
pub fn split_into(prose: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &prose[range.clone()];
    let bytes = s.as_bytes();
    let is_terminal = |c: char| matches!(c, '.' | '!' | '?' | '\u{2026}');
    let mut start = 0;
    let mut i = 0;
    // The lead byte of '…' is also that of curly quotes and dashes, common
    // in news copy: it is looked for only in a block that has an ellipsis.
    let ellipsis = memchr::memmem::find(bytes, "\u{2026}".as_bytes()).is_some();
    let next_stop = |from: usize| {
        if ellipsis {
            bytes[from..]
                .iter()
                .position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2))
        } else {
            memchr::memchr3(b'.', b'!', b'?', &bytes[from..])
        }
    };
    while let Some(rel) = next_stop(i) {
        let pos = i + rel;
        let c = char_at(s, pos).unwrap_or(' ');
        if !is_terminal(c) {
            i = pos + c.len_utf8();
            continue;
        }
        // Run of terminal punctuation ("?!", "...").
        let mut j = pos + c.len_utf8();
        while let Some(d) = char_at(s, j).filter(|&d| is_terminal(d)) {
            j += d.len_utf8();
        }
        // Closing quotes and brackets belong to the sentence.
        while let Some(d) = char_at(s, j).filter(|&d| is_closing(d)) {
            j += d.len_utf8();
        }
        // Must be followed by whitespace (or the end).
        if char_at(s, j).is_some_and(|d| !d.is_whitespace()) {
            i = j;
            continue;
        }
        let mut k = j;
        while let Some(d) = char_at(s, k).filter(|d| d.is_whitespace()) {
            k += d.len_utf8();
        }
        let Some(next) = char_at(s, k) else {
            break;
        };
        let starts_like_sentence = next.is_uppercase()
            || next.is_numeric()
            || is_opening(next)
            || (!next.is_alphabetic() && !next.is_whitespace() && next != ',' && next != ';');
        if !starts_like_sentence {
            i = j;
            continue;
        }
        if c == '.' && j == pos + 1 && !period_ends(s, pos, k) {
            i = j;
            continue;
        }
        push_trimmed(prose, range.start + start..range.start + j, out);
        start = k;
        i = k;
    }
    push_trimmed(prose, range.start + start..range.end, out);
}

fn push_trimmed(prose: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let t = super::layout::trim_range(prose, r);
    if !t.is_empty() && prose[t.clone()].chars().any(|c| c.is_alphanumeric()) {
        out.push(t);
    }
}

/// Decide whether a single full stop at byte `pos` of `s` ends a sentence,
/// given that the next non-space char (at byte `next`) looks like a start.
fn period_ends(s: &str, pos: usize, next: usize) -> bool {
    // The token before the period: letters, digits and inner periods.
    let before = &s[..pos];
    let tok_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '\u{2019}'))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    let token = &before[tok_start..];
    // Every listed abbreviation is at most 8 bytes long, and so is every
    // dotted run of letters treated as one: a longer word (most words that
    // end a sentence) ends it without being lower-cased and looked up. A
    // shorter one is lower-cased on the stack here, unconditionally:
    // copying eight bytes costs no more than testing them for capitals
    // first.
    if token.is_empty() || token.len() > 8 {
        return true;
    }
    let mut buf = [0u8; 8];
    let lower: std::borrow::Cow<str> = if token.is_ascii() {
        let l = &mut buf[..token.len()];
        l.copy_from_slice(token.as_bytes());
        l.make_ascii_lowercase();
        std::borrow::Cow::Borrowed(std::str::from_utf8(l).unwrap_or_default())
    } else {
        std::borrow::Cow::Owned(token.to_lowercase())
    };
    let next_word = &s[next..];
    let next_word = &next_word[..next_word
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(next_word.len())];
    // "No. 3", "Nos. 4 and 5"
    if (lower == "no" || lower == "nos") && s[next..].starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    if NEVER_FINAL.contains(&lower.as_ref()) && lower != "no" {
        return false;
    }
    // Initials: a single capital letter ("J. K. Rowling"), or a run of them.
    if token.chars().count() == 1 && token.chars().all(char::is_uppercase) {
        return false;
    }
    let dotted_letters =
        token.contains('.') && token.chars().all(|c| c.is_alphabetic() || c == '.');
    if MAYBE_FINAL.contains(&lower.as_ref()) || dotted_letters {
        return OPENERS.contains(&next_word);
    }
    true
}

/// Word tokens inside `prose[range]`: letters, marks and digits, joined by
/// inner apostrophes and hyphens, and by "." or "," between digits.
pub fn words(prose: &str, range: Range<usize>, out: &mut Vec<super::Span>) {
    let mut window = super::swar::Window::at(prose.as_bytes(), range.start);
    words_in(&mut window, prose, range, out);
}

/// `words`, with a window on `prose` (see `swar`) kept from sentence to
/// sentence: sentences asked in order share its 64-byte bitmaps.
pub fn words_in(
    window: &mut super::swar::Window,
    prose: &str,
    range: Range<usize>,
    out: &mut Vec<super::Span>,
) {
    // ASCII letters and digits from the window's bitmaps, the bytes around
    // them one at a time, and characters beyond ASCII decoded.
    /// Whether the character at byte `i` is a word character, and its
    /// length.
    #[inline(always)]
    fn at(s: &str, i: usize) -> (bool, usize) {
        let b = s.as_bytes()[i];
        if b < 0x80 {
            return (ASCII_WORD[usize::from(b)], 1);
        }
        let c = char_at(s, i).unwrap_or(' ');
        (is_word_char(c), c.len_utf8())
    }
    let b = prose.as_bytes();
    let end_of = range.end;
    let mut i = range.start;
    loop {
        i = window.next_word_byte(i, end_of);
        if i >= end_of {
            break;
        }
        let (word, len) = at(prose, i);
        if !word {
            i += len;
            continue;
        }
        let start = i;
        let mut end = i + len;
        loop {
            // The letters of a word, most of them ASCII.
            end = window.alnum_end(end, end_of);
            // The usual end of a word: a space (neither a word character
            // nor a joiner).
            if end >= end_of || b[end] == b' ' {
                break;
            }
            let (word, len) = at(prose, end);
            if word {
                end += len;
                continue;
            }
            // A joiner counts only when a word character follows it (and
            // "." and "," only between digits).
            let joiner = match b[end] {
                b'\'' | b'-' | b'.' | b',' => 1,
                0xe2 if b[end..end_of].starts_with("\u{2019}".as_bytes()) => 3,
                _ => break,
            };
            let after = end + joiner;
            if after >= end_of || !at(prose, after).0 {
                break;
            }
            if matches!(b[end], b'.' | b',')
                && !(b[end - 1].is_ascii_digit() && b[after].is_ascii_digit())
            {
                break;
            }
            end = after;
        }
        out.push(super::Span::new(start..end));
        i = end;
    }
}

/// ASCII letters and digits, by byte (bytes beyond ASCII are false: the
/// character they start is decoded by the caller).
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if is_general_punctuation(c) {
        // Curly quotes and dashes, the most common characters beyond ASCII
        // in news copy, without a look into the Unicode tables.
        false
    } else {
        c.is_alphanumeric() || is_mark(c)
    }
}

/// The General Punctuation block (spaces, dashes, quotes, ellipsis): no
/// letter, digit or mark is in it.
#[inline]
pub fn is_general_punctuation(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206f}')
}

/// Combining marks (general category M) in the common blocks.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(s: &str) -> Vec<&str> {
        split(s, 0..s.len()).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn newsroom_abbreviations_do_not_split() {
        let s = "Gov. Ann Lee met Sen. Bo Park at 9 a.m. on Friday. They spoke about No. 3 and the U.S. Army.";
        assert_eq!(
            sents(s),
            vec![
                "Gov. Ann Lee met Sen. Bo Park at 9 a.m. on Friday.",
                "They spoke about No. 3 and the U.S. Army."
            ]
        );
    }

    #[test]
    fn initials_decimals_and_quotes() {
        let s = "J. K. Rowling earned 3.5 times more. \"It was huge.\" She left. Dr. Who?";
        assert_eq!(
            sents(s),
            vec![
                "J. K. Rowling earned 3.5 times more.",
                "\"It was huge.\"",
                "She left.",
                "Dr. Who?"
            ]
        );
    }

    #[test]
    fn an_ellipsis_ends_a_sentence_among_curly_quotes() {
        let s = "\u{201c}We waited\u{2026}\u{201d} She left \u{2014} slowly. Then\u{2026} Nothing.";
        assert_eq!(
            sents(s),
            vec![
                "\u{201c}We waited\u{2026}\u{201d}",
                "She left \u{2014} slowly.",
                "Then\u{2026}",
                "Nothing."
            ]
        );
    }

    #[test]
    fn abbreviation_at_sentence_end() {
        let s = "He moved to the U.S. The move was hard. It starts at 8 p.m. Tickets are free.";
        assert_eq!(sents(s).len(), 3, "{:?}", sents(s));
    }

    /// The tokenizer's rules applied character by character: the reference
    /// the byte-wise tokenizer is tested against.
    fn words_by_chars(prose: &str, range: Range<usize>, out: &mut Vec<crate::document::Span>) {
        let s = &prose[range.clone()];
        let b = s.as_bytes();
        let mut iter = s.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            loop {
                match iter.peek().copied() {
                    Some((p, ch)) if is_word_char(ch) => {
                        end = p + ch.len_utf8();
                        iter.next();
                    }
                    Some((p, ch)) if matches!(ch, '\'' | '\u{2019}' | '-' | '.' | ',') => {
                        // Joiner: only when followed by a word char (and for . and ,
                        // only between digits).
                        let after = s[p + ch.len_utf8()..].chars().next();
                        let ok = match after {
                            Some(a) if is_word_char(a) => {
                                if ch == '.' || ch == ',' {
                                    b[p - 1].is_ascii_digit() && a.is_ascii_digit()
                                } else {
                                    true
                                }
                            }
                            _ => false,
                        };
                        if !ok {
                            break;
                        }
                        iter.next();
                    }
                    _ => break,
                }
            }
            out.push(crate::document::Span::new(
                range.start + start..range.start + end,
            ));
        }
    }

    /// The shortcut for the General Punctuation block holds for every
    /// character in it.
    #[test]
    fn general_punctuation_has_no_word_characters() {
        for c in ('\u{2000}'..='\u{206f}').chain(['\u{1fff}', '\u{2070}', '\u{2071}']) {
            let in_block = is_general_punctuation(c);
            assert_eq!(in_block, ('\u{2000}'..='\u{206f}').contains(&c), "{c:?}");
            if in_block {
                assert!(!c.is_alphanumeric() && !is_mark(c), "{c:?}");
            }
        }
        assert!(is_word_char('\u{2071}'));
    }

    /// Words found by bytes are the words found by characters.
    #[test]
    fn words_by_bytes_are_words_by_chars() {
        let pieces = [
            "a",
            "B7",
            " ",
            "'",
            "\u{2019}",
            "-",
            ".",
            ",",
            "3",
            "é",
            "\u{301}",
            "\u{2014}",
            "\u{201c}",
            "x.y",
            "1,2",
            "\n",
            "\u{a0}",
            "\u{2018}",
            "abcdefghi",
            "Seven77",
        ];
        // Short texts, and long ones whose words cross the eight-byte
        // steps of `swar` at every offset.
        let short = crate::testing::texts(&pieces, 0x7e57_ab1e, 16).take(30_000);
        let long = crate::testing::texts(&pieces, 0x5eed_1e55, 60).take(10_000);
        for t in short.chain(long) {
            for range in [
                0..t.len(),
                t.char_indices().nth(1).map_or(0, |(i, _)| i)..t.len(),
            ] {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                words(&t, range.clone(), &mut a);
                words_by_chars(&t, range.clone(), &mut b);
                let spans =
                    |v: &[crate::document::Span]| v.iter().map(|s| s.range()).collect::<Vec<_>>();
                assert_eq!(spans(&a), spans(&b), "{t:?} {range:?}");
            }
        }
    }

    #[test]
    fn words_keep_numbers_and_apostrophes() {
        let s = "O'Neill's 1,240 students paid $3.50 — well-known, e\u{301}lan.";
        let mut w = Vec::new();
        words(s, 0..s.len(), &mut w);
        let w: Vec<&str> = w.into_iter().map(|r| &s[r.range()]).collect();
        assert_eq!(
            w,
            vec![
                "O'Neill's",
                "1,240",
                "students",
                "paid",
                "3.50",
                "well-known",
                "e\u{301}lan"
            ]
        );
    }
}
