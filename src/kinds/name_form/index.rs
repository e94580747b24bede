//! The fast parts of name-form: an interner for name words, a bit filter
//! of sentence openers, and the index of surnames close in spelling.

use super::*;
use crate::document::lower_cow;
use std::cell::RefCell;

/// A filter of words (one bit per word, by hash): `may_hold` is true of
/// every word added, and of few others. It has 64 bits for each word it is
/// made for (a power of two), but no fewer than 512 and no more than 65,536
/// (8 KiB): a story has a few dozen openers, and zeroing 8 KiB for each was
/// a tenth of the rule's cost on short texts.
pub(super) struct OpenerFilter {
    pub(super) bits: Vec<u64>,
    /// Right shift of the hash that leaves a bit's index.
    pub(super) shift: u32,
}

impl OpenerFilter {
    pub(super) fn for_words(n: usize) -> OpenerFilter {
        let bits = n.saturating_mul(64).next_power_of_two().clamp(512, 1 << 16);
        OpenerFilter {
            bits: vec![0; bits / 64],
            shift: 64 - bits.trailing_zeros(),
        }
    }
    /// The bit of a word, by its key (see `document::word_key`).
    #[inline]
    pub(super) fn slot(&self, key: u64) -> usize {
        // The top bits of the product are the best mixed.
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }
    pub(super) fn add(&mut self, w: &str) {
        let i = self.slot(crate::document::word_key(w));
        self.bits[i / 64] |= 1 << (i % 64);
    }
    /// Whether the filter may hold the word whose key is `key`.
    #[inline]
    pub(super) fn may_hold(&self, key: u64) -> bool {
        let i = self.slot(key);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

/// The Fx hash of a word's bytes (for the interner).
pub(super) fn fx_hash(w: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(w.as_bytes());
    h.finish()
}

/// Each distinct string once, numbered in order of first use. The strings
/// are kept one after another in one buffer and found through an
/// open-addressed table of their numbers: no allocation per string, as a
/// story names a few dozen people and a tree holds thousands of stories.
#[derive(Default)]
pub(super) struct Interner {
    /// Every string, one after another.
    pub(super) text: String,
    /// Of each string: where it is in `text`.
    pub(super) spans: Vec<(u32, u32)>,
    /// String number + 1 (0: an empty slot), by hash; a power of two long,
    /// at most half full.
    pub(super) slots: Vec<u32>,
    /// Id of each string's lower-case form, once asked for.
    pub(super) lower: Vec<Option<u32>>,
}

impl Interner {
    /// The slot that holds `s`, or the empty one where it would go.
    pub(super) fn slot(&self, s: &str) -> usize {
        let mask = self.slots.len() - 1;
        // The top bits are the best mixed.
        let mut at = (fx_hash(s) >> 32) as usize & mask;
        loop {
            match self.slots[at] {
                0 => return at,
                n if self.get(n - 1) == s => return at,
                _ => at = (at + 1) & mask,
            }
        }
    }

    pub(super) fn find(&self, s: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.slots[self.slot(s)].checked_sub(1)
    }

    pub(super) fn id(&mut self, s: &str) -> u32 {
        if self.slots.is_empty() {
            // Room for a story's names at once.
            self.slots = vec![0; 64];
            self.text.reserve(256);
            self.spans.reserve(32);
            self.lower.reserve(32);
        }
        let at = self.slot(s);
        if let Some(id) = self.slots[at].checked_sub(1) {
            return id;
        }
        let id = self.spans.len() as u32;
        let start = crate::document::offset32(self.text.len());
        self.text.push_str(s);
        self.spans
            .push((start, crate::document::offset32(self.text.len())));
        self.lower.push(None);
        self.slots[at] = id + 1;
        if self.spans.len() * 2 > self.slots.len() {
            // Twice the slots, every string filed again.
            self.slots = vec![0; self.slots.len() * 2];
            for n in 1..=self.spans.len() as u32 {
                let at = self.slot(self.get(n - 1));
                self.slots[at] = n;
            }
        }
        id
    }

    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(super) fn get(&self, id: u32) -> &str {
        let (a, b) = self.spans[id as usize];
        &self.text[a as usize..b as usize]
    }

    pub(super) fn lower_id(&mut self, id: u32) -> u32 {
        if let Some(l) = self.lower[id as usize] {
            return l;
        }
        // Lower-cased on the stack when it can be: no allocation per name.
        let mut buf = [0u8; 32];
        let (mut on_stack, mut owned) = (0, None);
        {
            let word = self.get(id);
            match crate::document::lower_in(&mut buf, word) {
                // Lower case already: its own form.
                Cow::Borrowed(l) if l.as_ptr() == word.as_ptr() => {
                    self.lower[id as usize] = Some(id);
                    return id;
                }
                Cow::Borrowed(l) => on_stack = l.len(),
                Cow::Owned(l) => owned = Some(l),
            }
        }
        let lower = match &owned {
            Some(l) => l.as_str(),
            None => std::str::from_utf8(&buf[..on_stack]).unwrap_or_default(),
        };
        let l = self.id(lower);
        self.lower[id as usize] = Some(l);
        l
    }
}

impl NameForm {
    /// Two surnames close enough to be one name spelled two ways (compared
    /// without case; the same letters in other case are the same name).
    pub(super) fn close(&self, a: &str, b: &str) -> bool {
        let (a, b) = (lower_cow(a), lower_cow(b));
        let (a, b) = (a.as_ref(), b.as_ref());
        if a == b || a.chars().count() < self.min_len || b.chars().count() < self.min_len {
            return false;
        }
        if a.chars().next() != b.chars().next() {
            return false;
        }
        // Plurals and possessive slips are not spelling variants.
        if a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a) {
            return false;
        }
        let limit = if a.chars().count().min(b.chars().count()) >= LONG_NAME {
            self.max_distance + 1
        } else {
            self.max_distance
        };
        strsim::damerau_levenshtein(a, b) <= limit
    }
}

/// From this many letters, two surnames may be one more edit apart.
pub(super) const LONG_NAME: usize = 8;

/// Up to this many surnames, a `CloseIndex` compares a query with each.
pub(super) const SCAN_MAX: usize = 48;

/// The first letter and the length in letters of a surname lower-cased, as
/// `NameForm::close` sees them.
pub(super) fn shape(key: &str) -> (Option<char>, usize) {
    let lower = lower_cow(key);
    (lower.chars().next(), lower.chars().count())
}

/// Finds surnames within a small edit distance of a query without comparing
/// against every surname: each surname is filed under every string made by
/// deleting up to `depth` of its characters, and a query looks up its own
/// deletions (the symmetric-delete method). Candidates are then confirmed by
/// `NameForm::close`.
///
/// A story names a few dozen people, and for so few a comparison with each
/// surname filed is cheaper than making the deletion variants (dozens per
/// surname): up to `SCAN_MAX` surnames, candidates are the surnames with the
/// same first letter and a length within reach, and the deletion index is
/// built only when a document files more. Either way the cost per query is
/// bounded, so the rule stays linear in the number of names.
///
/// It knows `close`'s limits, to look up no more than `close` can accept:
/// surnames shorter than `min_len` are never close to anything, so they are
/// neither filed nor looked up; and a query shorter than `LONG_NAME` letters
/// only accepts `depth - 1` edits, so it looks up fewer, longer variants
/// (which every surname shares with far fewer others).
pub(super) struct CloseIndex<'v> {
    pub(super) variants: &'v Variants,
    pub(super) min_len: usize,
    /// The surnames filed so far.
    pub(super) keys: Vec<String>,
    /// Of each surname in `keys`, lower-cased: its first letter and its
    /// length in letters (what `close` compares first).
    pub(super) shapes: Vec<(Option<char>, usize)>,
    pub(super) known: HashSet<String>,
    /// Hash of each deletion variant -> surnames (indices into `keys`). A
    /// hash collision only adds a candidate, and candidates are confirmed.
    /// Each list is a chain through `links` (no vector per variant: a
    /// story files a few thousand variants, most with one surname).
    pub(super) map: HashMap<u64, u32>,
    /// (surname, next link or `u32::MAX`).
    pub(super) links: Vec<(u32, u32)>,
}

/// The deletion variants of a word: to `depth` deletions, and to
/// `depth - 1`.
pub(super) struct VariantSet {
    pub(super) all: Vec<u64>,
    pub(super) near: Vec<u64>,
}

/// Deletion variants by word, made once per story and shared by its
/// indexes: the same surnames recur all through a story.
pub(super) struct Variants {
    pub(super) depth: usize,
    pub(super) cache: RefCell<HashMap<String, std::rc::Rc<VariantSet>>>,
}

impl Variants {
    pub(super) fn new(depth: usize) -> Variants {
        Variants {
            depth,
            cache: RefCell::default(),
        }
    }

    pub(super) fn of(&self, word: &str) -> std::rc::Rc<VariantSet> {
        if let Some(v) = self.cache.borrow().get(word) {
            return v.clone();
        }
        let v = std::rc::Rc::new(Variants::deletions(word, self.depth));
        self.cache.borrow_mut().insert(word.to_string(), v.clone());
        v
    }

    /// Hashes of every string made by deleting up to `depth` characters of
    /// `word` (the word itself included), sorted and without repeats; and
    /// the same for up to `depth - 1`.
    ///
    /// A string's hash is its polynomial hash (mod 2^64) mixed with its
    /// length. From the prefix hashes of the word, the hash of each string
    /// with some characters deleted is put together from the kept stretches
    /// in constant time, instead of hashing each variant afresh. Equal
    /// strings always get equal hashes; a collision between different ones
    /// only adds a candidate, which `close` then rejects.
    pub(super) fn deletions(word: &str, depth: usize) -> VariantSet {
        const BASE: u64 = 0x0000_0100_0000_01b3;
        struct Walk<'a> {
            n: usize,
            depth: usize,
            prefix: &'a [u64],
            power: &'a [u64],
            out: VariantSet,
        }
        impl Walk<'_> {
            /// Hash of characters `a..b` of the word.
            fn stretch(&self, a: usize, b: usize) -> u64 {
                self.prefix[b].wrapping_sub(self.prefix[a].wrapping_mul(self.power[b - a]))
            }
            /// `kept` is the hash of the characters kept before `from`, and
            /// `deleted` how many were deleted; deletions after `from` are
            /// chosen in increasing order, so each set is made once.
            fn walk(&mut self, from: usize, kept: u64, deleted: usize) {
                let n = self.n;
                let whole = kept
                    .wrapping_mul(self.power[n - from])
                    .wrapping_add(self.stretch(from, n));
                let h = mix(whole ^ ((n - deleted) as u64).rotate_left(56));
                self.out.all.push(h);
                if deleted < self.depth {
                    self.out.near.push(h);
                }
                if deleted == self.depth || n - deleted <= 1 {
                    return;
                }
                for i in from..n {
                    let kept = kept
                        .wrapping_mul(self.power[i - from])
                        .wrapping_add(self.stretch(from, i));
                    self.walk(i + 1, kept, deleted + 1);
                }
            }
        }
        /// How many sets of at most `k` of `n` positions (an upper bound on
        /// the variants, to size their vectors once).
        fn subsets(n: usize, k: usize) -> usize {
            let (mut total, mut term) = (1usize, 1usize);
            for i in 0..k.min(n) {
                term = term.saturating_mul(n - i) / (i + 1);
                total = total.saturating_add(term);
            }
            total.min(1 << 16)
        }
        /// A 64-bit finaliser (from MurmurHash3), so the hash map gets
        /// well-spread keys.
        fn mix(mut h: u64) -> u64 {
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 33;
            h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            h ^ (h >> 33)
        }
        let chars: Vec<u64> = word.chars().map(|c| u64::from(c) + 1).collect();
        let n = chars.len();
        let mut prefix = vec![0u64; n + 1];
        let mut power = vec![1u64; n + 1];
        for (i, c) in chars.iter().enumerate() {
            prefix[i + 1] = prefix[i].wrapping_mul(BASE).wrapping_add(*c);
            power[i + 1] = power[i].wrapping_mul(BASE);
        }
        let mut w = Walk {
            n,
            depth,
            prefix: &prefix,
            power: &power,
            out: VariantSet {
                all: Vec::with_capacity(subsets(n, depth)),
                near: Vec::with_capacity(subsets(n, depth.saturating_sub(1))),
            },
        };
        if n > 0 {
            w.walk(0, 0, 0);
        }
        let mut out = w.out;
        for v in [&mut out.all, &mut out.near] {
            v.sort_unstable();
            v.dedup();
        }
        out
    }
}

impl<'v> CloseIndex<'v> {
    pub(super) fn new(variants: &'v Variants, min_len: usize) -> CloseIndex<'v> {
        CloseIndex {
            variants,
            min_len,
            keys: Vec::new(),
            shapes: Vec::new(),
            known: HashSet::default(),
            map: HashMap::default(),
            links: Vec::new(),
        }
    }

    pub(super) fn insert(&mut self, key: &str) {
        if key.chars().count() < self.min_len || !self.known.insert(key.to_string()) {
            return;
        }
        self.keys.push(key.to_string());
        self.shapes.push(shape(key));
        // Past `SCAN_MAX` every surname is filed: all of them at the
        // switch, then each as it comes.
        let n = self.keys.len();
        if n == SCAN_MAX + 1 {
            (0..n).for_each(|id| self.file(id));
        } else if self.indexed() {
            self.file(n - 1);
        }
    }

    /// Whether `map` and `links` hold every surname.
    pub(super) fn indexed(&self) -> bool {
        self.keys.len() > SCAN_MAX
    }

    /// Files surname `id` under each of its deletion variants.
    pub(super) fn file(&mut self, id: usize) {
        for v in &self.variants.of(&self.keys[id]).all {
            let link = self.links.len() as u32;
            let next = self.map.insert(*v, link).unwrap_or(u32::MAX);
            self.links.push((id as u32, next));
        }
    }

    /// Surnames that may be close to `key`, in a stable order.
    pub(super) fn candidates(&self, key: &str) -> Vec<&str> {
        let len = key.chars().count();
        if len < self.min_len || self.keys.is_empty() {
            return Vec::new();
        }
        if !self.indexed() {
            // `close` wants the same first letter, and an edit distance of
            // at most `depth`, which is at least the difference in length.
            let (first, letters) = shape(key);
            let mut out: Vec<&str> = self
                .keys
                .iter()
                .zip(&self.shapes)
                .filter(|(k, (f, n))| {
                    *f == first && n.abs_diff(letters) <= self.variants.depth && k.as_str() != key
                })
                .map(|(k, _)| k.as_str())
                .collect();
            out.sort_unstable();
            return out;
        }
        let set = self.variants.of(key);
        let variants = if len < LONG_NAME && self.variants.depth > 0 {
            &set.near
        } else {
            &set.all
        };
        let mut ids: Vec<u32> = Vec::new();
        for v in variants.iter() {
            let mut at = self.map.get(v).copied().unwrap_or(u32::MAX);
            while let Some(&(id, next)) = self.links.get(at as usize) {
                ids.push(id);
                at = next;
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<&str> = ids
            .into_iter()
            .map(|i| self.keys[i as usize].as_str())
            .filter(|k| *k != key)
            .collect();
        out.sort_unstable();
        out
    }
}

/// The surnames of an index close to each surname asked about (by interned
/// key), with how many surnames the index held when they were found. A long
/// file asks about the same surnames again and again, and once its people
/// have all been introduced its index stops growing: the answers stand.
/// (A story with few surnames, whose index compares a query with each, is
/// answered afresh, and lazily: the callers often stop at the first answer,
/// and each costs an edit distance.)
#[derive(Default)]
pub(super) struct CloseCache {
    pub(super) found: HashMap<u32, (usize, Vec<u32>)>,
}

impl CloseCache {
    /// The surnames filed in `index` that `NameForm::close` accepts for
    /// surname key `id`, in `CloseIndex::candidates`' order, as keys.
    pub(super) fn close<'a>(
        &'a mut self,
        nf: &'a NameForm,
        ms: &'a Mentions,
        index: &'a CloseIndex,
        id: u32,
    ) -> impl Iterator<Item = u32> + 'a {
        let key = ms.names.get(id);
        let find = move || {
            index
                .candidates(key)
                .into_iter()
                .filter(move |s| nf.close(s, key))
                .filter_map(|s| ms.names.find(s))
        };
        // One of the two, without a box.
        let (fresh, known) = if index.indexed() {
            // Filing only ever adds surnames, so their number says whether
            // the index has changed since.
            let filed = index.keys.len();
            let (at, found) = self.found.entry(id).or_insert((usize::MAX, Vec::new()));
            if *at != filed {
                *found = find().collect();
                *at = filed;
            }
            (None, Some(found.iter().copied()))
        } else {
            (Some(find()), None)
        };
        fresh
            .into_iter()
            .flatten()
            .chain(known.into_iter().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::test_form;

    /// The openers' filter holds every word added, and few others, for the
    /// few openers of a story and the thousands of a long file.
    #[test]
    fn opener_filter_has_no_misses_and_few_false_hits() {
        let pieces = ["a", "e", "th", "qu", "z", "'s", "é"];
        let words: Vec<String> = crate::testing::texts(&pieces, 0x0f17, 9)
            .take(6000)
            .collect();
        for n in [40, 3000] {
            let (added, others) = (&words[..n], &words[3000..]);
            let mut filter = super::super::OpenerFilter::for_words(n);
            for w in added {
                filter.add(w);
            }
            assert!(
                added
                    .iter()
                    .all(|w| filter.may_hold(crate::document::word_key(w)))
            );
            let new: Vec<&String> = others.iter().filter(|w| !added.contains(w)).collect();
            let false_hits = new
                .iter()
                .filter(|w| filter.may_hold(crate::document::word_key(w)))
                .count();
            assert!(new.len() > 500, "{}", new.len());
            assert!(
                false_hits * 5 < new.len(),
                "{n}: {false_hits} of {}",
                new.len()
            );
        }
    }

    /// Strings get the same number each time, numbers in order of first
    /// use, and `find` knows exactly the strings given a number, across
    /// the table's growth.
    #[test]
    fn the_interner_numbers_each_string_once() {
        let pieces = ["O", "ka", "for", "é", "Sh", "arma", "'", " "];
        let mut interner = super::super::Interner::default();
        let mut seen: std::collections::HashMap<String, u32> = Default::default();
        for t in crate::testing::texts(&pieces, 0x1de7_1f1e, 5).take(3_000) {
            let next = seen.len() as u32;
            let want = *seen.entry(t.clone()).or_insert(next);
            assert_eq!(interner.find(&t).is_some(), want < next, "{t:?}");
            assert_eq!(interner.id(&t), want, "{t:?}");
            assert_eq!(interner.get(want), t);
            assert_eq!(interner.find(&t), Some(want));
        }
        assert_eq!(interner.len(), seen.len());
        assert!(seen.len() > 500, "only {} strings", seen.len());
        assert_eq!(interner.find("not filed"), None);
    }

    /// Remembered answers are those of the index as it is now: a surname
    /// filed after a question was first answered is in the next answer.
    #[test]
    fn remembered_close_surnames_follow_the_index() {
        let nf = test_form(1);
        let mut ms = super::super::Mentions::default();
        let variants = super::super::Variants::new(2);
        let mut index = super::super::CloseIndex::new(&variants, nf.min_len);
        // Enough surnames that the index is built (and answers remembered).
        for n in 0..super::super::SCAN_MAX + 2 {
            let key = format!("zed{n:03}");
            ms.names.id(&key);
            index.insert(&key);
        }
        assert!(index.indexed());
        let okafor = ms.names.id("okafor");
        let okafar = ms.names.id("okafar");
        let mut cache = super::super::CloseCache::default();
        let ask = |cache: &mut super::super::CloseCache, index: &super::super::CloseIndex| {
            cache.close(&nf, &ms, index, okafor).collect::<Vec<u32>>()
        };
        assert!(ask(&mut cache, &index).is_empty());
        index.insert("okafar");
        assert_eq!(ask(&mut cache, &index), [okafar]);
        assert_eq!(ask(&mut cache, &index), [okafar]);
    }

    /// The index never misses a surname that `close` accepts: its
    /// candidates, confirmed by `close`, are exactly the keys `close`
    /// accepts when every key is compared (short and long names, one and
    /// two edits, transpositions, repeated letters).
    #[test]
    fn close_index_finds_every_close_surname() {
        let pieces = ["a", "o", "e", "n", "m", "sh", "r", "k", "ar", "ma", "é"];
        for max_distance in [1, 2] {
            let nf = test_form(max_distance);
            let mut found = 0;
            // Compared one by one, at the switch to the index, and indexed.
            for count in [20, super::super::SCAN_MAX, super::super::SCAN_MAX + 1, 400] {
                // Generated until `count` surnames are filed (repeats and
                // short ones are not).
                let variants = super::super::Variants::new(max_distance + 1);
                let mut index = super::super::CloseIndex::new(&variants, nf.min_len);
                let mut keys: Vec<String> = Vec::new();
                for k in crate::testing::texts(&pieces, 0x5eed_cafe, 7) {
                    if index.keys.len() == count {
                        break;
                    }
                    index.insert(&k);
                    keys.push(k);
                }
                // Filed in the index exactly past the switch.
                assert_eq!(
                    !index.links.is_empty(),
                    index.keys.len() > super::super::SCAN_MAX
                );
                for q in crate::testing::texts(&pieces, 0xdead_beef, 7).take(1500) {
                    let mut by_index: Vec<&str> = index
                        .candidates(&q)
                        .into_iter()
                        .filter(|k| nf.close(k, &q))
                        .collect();
                    let mut all: Vec<&str> = keys
                        .iter()
                        .map(String::as_str)
                        .filter(|k| nf.close(k, &q))
                        .collect();
                    by_index.sort_unstable();
                    by_index.dedup();
                    all.sort_unstable();
                    all.dedup();
                    assert_eq!(by_index, all, "{count} keys, query {q:?}");
                    found += all.len();
                }
            }
            // Long names may be one edit further apart than short ones, and
            // may differ in length by that much.
            let variants = super::super::Variants::new(max_distance + 1);
            let mut index = super::super::CloseIndex::new(&variants, nf.min_len);
            let far = "vanderbilt".to_string() + &"x".repeat(max_distance + 1);
            let too_far = "vanderbilt".to_string() + &"y".repeat(max_distance + 2);
            index.insert(&far);
            index.insert(&too_far);
            assert_eq!(index.candidates("vanderbilt"), [far.as_str()]);
            assert!(nf.close(&far, "vanderbilt"));
            assert!(found > 150, "too few close pairs to test: {found}");
        }
    }
}
