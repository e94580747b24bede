//! `PhraseTable`: phrases filed under their first word, matched by one walk
//! of the text word by word, with no regex.

use super::*;

/// One phrase of a list: its words (lower case when matched without case).
#[derive(Debug, Clone)]
pub(super) struct Phrase {
    pub(super) words: Arc<[String]>,
    /// The first word is one run of word characters (so a table lookup of
    /// an ASCII run has matched it whole).
    pub(super) whole_first: bool,
    /// The first byte of the second word, when there is one and it is
    /// ASCII (compared byte for byte, or without ASCII case).
    pub(super) second_first: Option<u8>,
    pub(super) ci: bool,
    /// Length in bytes, to prefer the longest phrase at a position.
    pub(super) len: usize,
    /// The list it belongs to (a slot of the table).
    pub(super) slot: u32,
}

/// Phrases filed by their first word. A table holds one list or, merged,
/// the lists of a whole rule set.
#[derive(Debug, Clone, Default)]
pub struct PhraseTable {
    pub(super) phrases: Vec<Phrase>,
    /// First word (up to its first non-word character, lower-cased) ->
    /// phrases, by slot then longest first. Lists matched without case.
    /// (Keyed by bytes: the scan looks up a word it lower-cased into a
    /// byte buffer.)
    pub(super) ci: FxHashMap<Box<[u8]>, Filed>,
    /// The same for lists matched with case.
    pub(super) cs: FxHashMap<Box<[u8]>, Filed>,
    /// The first words of one to eight ASCII bytes, looked up without
    /// hashing a slice (most words of a story are that short).
    pub(super) short: ShortWords,
    /// Of each phrase, what `try_at` tests before reading the phrase
    /// itself: in one small array, where the phrases' own fields are spread
    /// over memory (in the shipped pack a common word files up to ten
    /// phrases: "by", "he", "in").
    pub(super) gates: Vec<Gate>,
    /// Slot -> list id.
    pub(super) ids: Vec<u32>,
}

/// The phrases filed under one first word, by slot then longest first,
/// with the bytes their second words may open with: after a first word
/// that most phrases share ("the", "by"), a second word none of them opens
/// with rules them all out at once.
#[derive(Debug, Clone, Default)]
pub(super) struct Filed {
    pub(super) phrases: Vec<u32>,
    /// The ASCII bytes the phrases' second words open with (lower case for
    /// a list matched without case), when every phrase has a second-word
    /// gate (see `Gate`); `None` when one has none.
    pub(super) seconds: Option<u128>,
}

impl Filed {
    /// Can a phrase of this list match where the first word is followed by
    /// `next` (see `PhraseTable::try_at`)?
    fn may_follow(&self, next: Option<Option<u8>>, ci: bool) -> bool {
        match (self.seconds, next) {
            (Some(_), Some(None)) => false,
            (Some(mask), Some(Some(b))) => {
                let b = if ci { b.to_ascii_lowercase() } else { b };
                b < 128 && mask & (1u128 << b) != 0
            }
            _ => true,
        }
    }
}

/// A phrase's slot, and the first byte its second word must start with when
/// its first word is one whole run of word characters (`None` when there
/// is no such test): lower case for a phrase matched without case.
#[derive(Debug, Clone, Copy)]
pub(super) struct Gate {
    pub(super) slot: u32,
    pub(super) second: Option<u8>,
    pub(super) ci: bool,
}

/// A word of one to eight ASCII letters and digits lower-cased, packed
/// into a `u64` a byte at a time (`acc << 8 | byte`). No such byte is zero,
/// so different words pack differently, and no word packs to 0.
pub(super) fn pack(word: &[u8]) -> Option<u64> {
    (!word.is_empty() && word.len() <= 8 && word.iter().all(u8::is_ascii_alphanumeric)).then(|| {
        word.iter()
            .fold(0u64, |acc, b| acc << 8 | u64::from(b.to_ascii_lowercase()))
    })
}

/// The first words of a table that pack into a `u64` (see `pack`), in an
/// open-addressed table: one multiplication and, for most words of a
/// story, one comparison with an empty slot, rather than hashing the
/// word's bytes and comparing them as a hash map lookup does. (The
/// word-list walk passes every word of every story through it.)
#[derive(Debug, Clone, Default)]
pub(super) struct ShortWords {
    /// Packed words; 0 is an empty slot. A power of two long, at most a
    /// quarter full, so a miss ends at the first or second slot.
    pub(super) keys: Box<[u64]>,
    /// For each slot: the phrases (of `PhraseTable::ci`) whose first word
    /// this is when case is ignored, and whether a phrase matched with case
    /// has a first word that lower-cases to it.
    pub(super) vals: Vec<(Option<Filed>, bool)>,
    pub(super) shift: u32,
}

impl ShortWords {
    pub(super) fn build(
        ci: &FxHashMap<Box<[u8]>, Filed>,
        cs: &FxHashMap<Box<[u8]>, Filed>,
    ) -> Self {
        let n = ci.len() + cs.len();
        let slots = (n * 4).next_power_of_two().max(16);
        let mut t = ShortWords {
            keys: vec![0; slots].into_boxed_slice(),
            vals: vec![(None, false); slots],
            shift: 64 - slots.trailing_zeros(),
        };
        // (Map order does not matter: each packed word has one slot.)
        for (key, list) in ci {
            if let Some(k) = pack(key) {
                let at = t.slot(k);
                t.keys[at] = k;
                t.vals[at].0 = Some(list.clone());
            }
        }
        for key in cs.keys() {
            if let Some(k) = pack(key) {
                let at = t.slot(k);
                t.keys[at] = k;
                t.vals[at].1 = true;
            }
        }
        t
    }

    /// The slot holding `k`, or the empty slot where it would go.
    pub(super) fn slot(&self, k: u64) -> usize {
        let mask = self.keys.len() - 1;
        let mut at = (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize;
        while self.keys[at] != 0 && self.keys[at] != k {
            at = (at + 1) & mask;
        }
        at
    }

    pub(super) fn get(&self, k: u64) -> Option<&(Option<Filed>, bool)> {
        if self.keys.is_empty() {
            return None;
        }
        let at = self.slot(k);
        (self.keys[at] == k).then(|| &self.vals[at])
    }
}

/// The leading run of word characters.
pub(super) fn first_run(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

impl PhraseTable {
    /// A table for one list, or `None` if a phrase does not start with a
    /// word character (such lists are matched by regex).
    pub(super) fn single(list: &[&str], ignore_case: bool) -> Option<PhraseTable> {
        let mut t = PhraseTable {
            ids: vec![0],
            ..PhraseTable::default()
        };
        for p in list {
            let words: Arc<[String]> = p
                .split_whitespace()
                .map(|w| {
                    if ignore_case {
                        w.to_lowercase()
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            if words.is_empty() || first_run(&words[0]).is_empty() {
                return None;
            }
            let len = words.iter().map(String::len).sum::<usize>() + words.len() - 1;
            t.phrases.push(Phrase {
                whole_first: first_run(&words[0]) == words[0],
                second_first: words
                    .get(1)
                    .filter(|w| w.is_ascii())
                    .and_then(|w| w.bytes().next()),
                words,
                ci: ignore_case,
                len,
                slot: 0,
            });
        }
        t.file();
        Some(t)
    }

    /// Build the first-word maps from `phrases`.
    pub(super) fn file(&mut self) {
        self.ci.clear();
        self.cs.clear();
        for (i, p) in self.phrases.iter().enumerate() {
            let key: Box<[u8]> = first_run(&p.words[0]).as_bytes().into();
            let map = if p.ci { &mut self.ci } else { &mut self.cs };
            map.entry(key).or_default().phrases.push(i as u32);
        }
        let phrases = &self.phrases;
        for Filed { phrases: list, .. } in self.ci.values_mut().chain(self.cs.values_mut()) {
            list.sort_by_key(|&i| {
                let p = &phrases[i as usize];
                (p.slot, std::cmp::Reverse(p.len), i)
            });
            list.dedup_by(|a, b| {
                let (a, b) = (&phrases[*a as usize], &phrases[*b as usize]);
                a.slot == b.slot && a.words == b.words
            });
        }
        self.gates = self
            .phrases
            .iter()
            .map(|p| Gate {
                slot: p.slot,
                second: p
                    .second_first
                    .filter(|_| p.whole_first)
                    .map(|b| if p.ci { b.to_ascii_lowercase() } else { b }),
                ci: p.ci,
            })
            .collect();
        let gates = &self.gates;
        for filed in self.ci.values_mut().chain(self.cs.values_mut()) {
            filed.seconds = filed.phrases.iter().try_fold(0u128, |mask, &i| {
                let b = gates[i as usize].second?;
                Some(mask | 1u128.checked_shl(u32::from(b))?)
            });
        }
        self.short = ShortWords::build(&self.ci, &self.cs);
    }

    /// Walk `hay` once and report, per list slot, each match: at a word
    /// start, the longest phrase of the list that matches there and ends on
    /// a word boundary; a list's matches do not overlap.
    pub(super) fn scan(&self, hay: &str, emit: &mut dyn FnMut(u32, Range<usize>)) {
        let mut free_from = vec![0usize; self.ids.len()];
        self.scan_within(hay, 0..hay.len(), &mut free_from, emit);
    }

    /// `scan` for the phrases that start inside `within` (which must start
    /// at the start of a word or between words); they may end past it.
    /// `free_from` holds, per list, where its next match may start (matches
    /// of one list do not overlap), and is left as the scan leaves it.
    pub(super) fn scan_within(
        &self,
        hay: &str,
        within: Range<usize>,
        free_from: &mut [usize],
        emit: &mut dyn FnMut(u32, Range<usize>),
    ) {
        if self.phrases.is_empty() {
            return;
        }
        let bytes = hay.as_bytes();
        // Where words start and where their ASCII letters end, 64 bytes at
        // a time (see `swar`); characters beyond ASCII are decoded.
        let mut window = Window::at(bytes, within.start);
        let mut i = within.start;
        loop {
            i = window.next_word_byte(i, within.end);
            if i >= within.end {
                break;
            }
            let mut ascii = bytes[i] < 0x80;
            let mut j = if ascii {
                window.alnum_end(i, bytes.len())
            } else {
                let c = char_at(hay, i).unwrap_or('\0');
                if !is_word_char(c) {
                    i += c.len_utf8();
                    continue;
                }
                window.alnum_end(i + c.len_utf8(), bytes.len())
            };
            // A word starts at i: its run of word characters goes on
            // through characters beyond ASCII and the letters after them.
            while bytes.get(j).is_some_and(|&b| b >= 0x80) {
                let d = char_at(hay, j).unwrap_or('\0');
                if !is_word_char(d) {
                    break;
                }
                ascii = false;
                j = window.alnum_end(j + d.len_utf8(), bytes.len());
            }
            // The run's end, when the run is ASCII: a phrase whose first
            // word is the whole run has matched up to there.
            let ascii_end = ascii.then_some(j);
            if ascii && j - i <= 8 {
                // A short ASCII word: its first words, if any, are all in
                // `short` (see `ShortWords::build`).
                if let Some((ci, cs)) = self.short.get(packed_lower(bytes, i, j - i)) {
                    if let Some(list) = ci {
                        self.try_at(hay, i, ascii_end, list, free_from, emit);
                    }
                    if *cs && let Some(list) = self.cs.get(&bytes[i..j]) {
                        self.try_at(hay, i, ascii_end, list, free_from, emit);
                    }
                }
                i = j;
                continue;
            }
            if !self.ci.is_empty() {
                // A longer word, or one beyond ASCII, lower-cased now.
                let mut buf = [0u8; 32];
                let key = crate::document::lower_in(&mut buf, &hay[i..j]);
                if let Some(list) = self.ci.get(key.as_bytes()) {
                    self.try_at(hay, i, ascii_end, list, free_from, emit);
                }
            }
            if !self.cs.is_empty()
                && let Some(list) = self.cs.get(&bytes[i..j])
            {
                self.try_at(hay, i, ascii_end, list, free_from, emit);
            }
            i = j;
        }
    }

    pub(super) fn try_at(
        &self,
        hay: &str,
        at: usize,
        ascii_end: Option<usize>,
        filed: &Filed,
        free_from: &mut [usize],
        emit: &mut dyn FnMut(u32, Range<usize>),
    ) {
        // After a whole ASCII first word: the first byte of the next word,
        // if whitespace comes between (a phrase of two or more words needs
        // both), read once for every phrase tried here.
        let next = ascii_end.map(|end| {
            let mut i = end;
            while i < hay.len() {
                let c = char_at(hay, i).unwrap_or('\0');
                if !c.is_whitespace() {
                    break;
                }
                i += c.len_utf8();
            }
            (i > end).then(|| hay.as_bytes().get(i).copied()).flatten()
        });
        let Some(&head) = filed.phrases.first() else {
            return;
        };
        if !filed.may_follow(next, self.gates[head as usize].ci) {
            return;
        }
        let mut done_slot: Option<u32> = None;
        for &pi in &filed.phrases {
            let gate = self.gates[pi as usize];
            if done_slot == Some(gate.slot) || at < free_from[gate.slot as usize] {
                continue;
            }
            // A second word that cannot start there: no need to try. (Only
            // after a whole ASCII first word, where `next` is known.)
            if let (Some(next), Some(second)) = (next, gate.second)
                && match next {
                    None => true,
                    Some(b) if gate.ci => b.to_ascii_lowercase() != second,
                    Some(b) => b != second,
                }
            {
                continue;
            }
            let p = &self.phrases[pi as usize];
            // The table matched the first word if it is the whole run.
            let from = match ascii_end {
                Some(end) if p.whole_first => Some((1, end)),
                _ => None,
            };
            if let Some(end) = p.match_at(hay, at, from) {
                free_from[p.slot as usize] = end;
                done_slot = Some(p.slot);
                emit(p.slot, at..end);
            }
        }
    }
}

impl Phrase {
    /// The end of this phrase if it matches at `at` and ends on a word
    /// boundary; any run of whitespace matches the space between words.
    /// `from`, when given, says the first words have matched up to there.
    pub(super) fn match_at(
        &self,
        hay: &str,
        mut at: usize,
        from: Option<(usize, usize)>,
    ) -> Option<usize> {
        let (skip, start) = from.unwrap_or((0, at));
        at = start;
        for (k, word) in self.words.iter().enumerate().skip(skip) {
            if k > 0 {
                let start = at;
                while at < hay.len() {
                    let c = char_at(hay, at).unwrap_or('\0');
                    if !c.is_whitespace() {
                        break;
                    }
                    at += c.len_utf8();
                }
                if at == start {
                    return None;
                }
            }
            if self.ci && !word.is_ascii() {
                for pc in word.chars() {
                    if at >= hay.len() {
                        return None;
                    }
                    let hc = char_at(hay, at).unwrap_or('\0');
                    let mut l = hc.to_lowercase();
                    if l.next() != Some(pc) || l.next().is_some() {
                        return None;
                    }
                    at += hc.len_utf8();
                }
            } else {
                let here = hay.as_bytes().get(at..at + word.len())?;
                let same = if self.ci {
                    here.eq_ignore_ascii_case(word.as_bytes())
                } else {
                    here == word.as_bytes()
                };
                if !same {
                    return None;
                }
                at += word.len();
            }
        }
        (!splits_word(hay, at)).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use crate::matching::test_support::*;

    #[test]
    fn the_word_table_matches_what_the_regex_matches() {
        // No phrase is a prefix of another's first word: there the regex
        // alternation, the reference here, takes the first alternative that
        // matches at a position and is no sure guide to the longest match.
        let phrases = [
            "could of",
            "e-mail",
            "a.m.",
            "per cent",
            "Kiev",
            "café society",
            "24/7",
            "in order to",
            "ÉCOLE",
            "isn't",
            "co-operate",
            "U.S.",
            "pneumonoultramicroscopicsilicovolcanoconiosis cases",
            // First words of eight and nine bytes: the longest looked up
            // packed, and the shortest looked up by hash.
            "ballpark figure",
            "quarterly report",
            // First words that file several phrases, told apart by their
            // second words.
            "the report also",
            "the same survey",
            "by his count",
            "by her count",
        ];
        let pieces = [
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            ".",
            ",",
            "-",
            "'",
            "could",
            "Could",
            "COULD",
            "of",
            "Of",
            "e",
            "E",
            "mail",
            "a",
            "A",
            "m",
            "per",
            "Per",
            "cent",
            "Kiev",
            "kiev",
            "KIEV",
            "café",
            "CAFÉ",
            "Café",
            "society",
            "24",
            "/",
            "7",
            "in",
            "order",
            "to",
            "école",
            "École",
            "isn",
            "t",
            "co",
            "operate",
            "U",
            "S",
            "x",
            "\u{2019}",
            "\u{1a}",
            "é",
            "could of",
            "Could  Of",
            "per\ncent",
            "a.m.",
            "A.M.",
            "U.S.",
            "e-mail",
            "in order to",
            "24/7",
            "ÉCOLE",
            "isn't",
            "co-operate",
            "Pneumonoultramicroscopicsilicovolcanoconiosis",
            "pneumonoultramicroscopicsilicovolcanoconiosis cases",
            "cases",
            "ballpark",
            "Ballpark",
            "BALLPARKS",
            "ballpar",
            "figure",
            "ballpark figure",
            "quarterly",
            "Quarterly",
            "quarterl",
            "report",
            "QUARTERLY REPORT",
            "the",
            "The",
            "also",
            "same",
            "Same",
            "survey",
            "government",
            "by",
            "By",
            "his",
            "count",
            "the report also",
            "The same survey",
            "by his count",
            "her",
        ];
        let mut rng = Lcg(7);
        for ignore_case in [true, false] {
            let table = listed(&phrases, ignore_case);
            assert!(table.table.is_some());
            let regex = regex_only(&phrases, ignore_case);
            let mut found = 0;
            for _ in 0..3000 {
                let hay: String = (0..32).map(|_| rng.pick(&pieces)).collect();
                let got = table.find_in_str(&hay);
                assert_eq!(
                    got,
                    regex.find_in_str(&hay),
                    "ignore_case={ignore_case} in {hay:?}"
                );
                found += got.len();
            }
            assert!(
                found > 300,
                "only {found} matches: the test text is too tame"
            );
        }
    }
}
