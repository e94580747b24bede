//! `repeated-paragraph`: a body paragraph that repeats an earlier one, exactly
//! or nearly. Paragraphs pasted again as a block (exact repeats, one after
//! another, of paragraphs that stand one after another) are one finding for
//! the whole copy, with one fix deleting it; a finding whose fix deletes its
//! copy supersedes what other rules find inside it (see `engine`).
//!
//! Cost is linear in the document. Exact repeats are found by hashing the
//! normalised text. Near repeats are found through a bottom-k sketch of word
//! shingles: each paragraph keeps its `SKETCH` smallest shingle hashes, an
//! index maps each kept hash to the paragraphs that kept it (capped), and only
//! paragraphs that share sketch entries are compared with strsim. There is no
//! all-pairs comparison.

use rustc_hash::FxHashMap as HashMap;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::{Document, HASH_SEED, WordHashes, mix_hash, normalize, squeeze};
use crate::finding::Fix;

pub const SPEC: KindSpec = KindSpec {
    name: "repeated-paragraph",
    summary: "a body paragraph that repeats an earlier one, exactly or nearly",
    params: File::PARAMS,
    parse,
    cost: 3,
};

crate::rule_file!(File {
    /// How alike two paragraphs must be (0.5 to 1.0, 1.0 being the same
    /// words) to count as a near repeat, with case and punctuation ignored.
    /// Default 0.8.
    #[serde(default = "default_similarity")]
    similarity: f64,
    /// Paragraphs of fewer words than this ("Advertisement", a one-line
    /// crosshead, "***") are never reported. Default 6.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// The message for a run of paragraphs pasted again as a run (two or
    /// more exact repeats, one after another, of paragraphs that stand one
    /// after another): one finding for the whole copy. It may use the
    /// variables the rule's `message` may: `{lines}` is where the copy
    /// stands ("12-16"), `{first_lines}` where the paragraphs first appear.
    /// Default "lines {lines} repeat lines {first_lines}".
    #[serde(default = "default_block_message")]
    block_message: String,
});

fn default_similarity() -> f64 {
    0.8
}
fn default_min_words() -> usize {
    6
}
fn default_block_message() -> String {
    "lines {lines} repeat lines {first_lines}".into()
}

/// The variables both messages may use.
const VARIABLES: &[&str] = &["how", "first_line", "percent", "lines", "first_lines"];

/// Shingle hashes kept per paragraph.
const SKETCH: usize = 8;
/// Paragraphs remembered per sketch hash (bounds work on boilerplate).
const POSTING_CAP: usize = 32;
/// Candidates confirmed per paragraph.
const MAX_CANDIDATES: usize = 4;
/// Above this many chars, similarity is measured on shingles, not characters.
const LEVENSHTEIN_LIMIT: usize = 1500;

#[derive(Debug)]
struct RepeatedParagraph {
    similarity: f64,
    min_words: usize,
    block_message: String,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, file) = File::parse(text)?;
    crate::check::check_similarity(text, file.similarity)?;
    crate::check::check_template(&file.block_message, VARIABLES).map_err(|m| {
        let span = crate::check::find_key_span(text, "block-message").unwrap_or(0..0);
        KindError::At(span, m.replace("the message", "`block-message`"))
    })?;
    Ok((
        common,
        Box::new(RepeatedParagraph {
            similarity: file.similarity,
            min_words: file.min_words.max(1),
            block_message: file.block_message,
        }),
    ))
}

/// A paragraph filed for later ones to be compared with: where it is and
/// the length of its normalised text. Its text is not kept (one large file
/// may have hundreds of thousands of paragraphs); it is rebuilt for the few
/// pairs that are compared, and the lookups go through hashes.
struct Filed {
    block: usize,
    norm_len: usize,
}

/// The paragraphs filed under one sketch hash. Nearly every hash has one:
/// it is kept in place, and only a second one allocates.
struct Posting {
    first: usize,
    more: Vec<usize>,
}

impl Posting {
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.first).chain(self.more.iter().copied())
    }
}

/// What the rule needs of a paragraph's normalised text, taken as it is
/// made rather than from a string built for it: its length, a hash of each
/// word (`WordHashes`), and a hash of the whole made from those. The
/// vectors are kept from one paragraph to the next.
struct Shape {
    whole: u64,
    hashes: WordHashes,
}

/// The hash of three words' hashes, in order.
fn trigram(w: &[u64]) -> u64 {
    (w[0].rotate_left(21) ^ w[1]).rotate_left(21) ^ w[2]
}

impl Shape {
    fn new() -> Shape {
        Shape {
            whole: HASH_SEED,
            hashes: WordHashes::new(),
        }
    }

    fn of(&mut self, text: &str) -> &Shape {
        self.hashes.of_text(text);
        self.fold_whole()
    }

    /// The `Shape` of a text already normalised (for candidates, and to
    /// test the shape taken as the text is normalised).
    fn of_normalized(&mut self, norm: &str) -> &Shape {
        self.hashes.of_normalized(norm);
        self.fold_whole()
    }

    fn fold_whole(&mut self) -> &Shape {
        self.whole = self
            .hashes
            .words()
            .iter()
            .fold(HASH_SEED, |h, &w| mix_hash(h, w));
        self
    }

    fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Words in the normalised text (an empty one counts one, as
    /// `split(' ')` does).
    fn word_count(&self) -> usize {
        self.hashes.words().len()
    }

    /// The `k` smallest word-trigram hashes, sorted, without repeats: the
    /// first `k` of `shingles`, kept as they come (most hashes are above
    /// the largest kept and cost one comparison) instead of sorting all.
    fn sketch(&self, k: usize) -> Vec<u64> {
        if self.hashes.words().len() < 3 {
            return vec![self.whole];
        }
        let mut kept: Vec<u64> = Vec::with_capacity(k);
        for w in self.hashes.words().windows(3) {
            let h = trigram(w);
            if kept.len() == k && kept.last().is_some_and(|&last| h >= last) {
                continue;
            }
            if let Err(at) = kept.binary_search(&h) {
                if kept.len() == k {
                    kept.pop();
                }
                kept.insert(at, h);
            }
        }
        kept
    }

    /// Word-trigram hashes, sorted, without repeats.
    fn shingles(&self) -> Vec<u64> {
        let mut out: Vec<u64> = if self.hashes.words().len() < 3 {
            vec![self.whole]
        } else {
            self.hashes.words().windows(3).map(trigram).collect()
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The `Shape` of a normalised text.
fn shape_of_norm(norm: &str) -> Shape {
    let mut shape = Shape::new();
    shape.of_normalized(norm);
    shape
}

/// Word-trigram hashes of a normalised text, sorted, without repeats (the
/// same as its `Shape`'s).
fn shingles(norm: &str) -> Vec<u64> {
    shape_of_norm(norm).shingles()
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f64 / union as f64
    }
}

impl RepeatedParagraph {
    /// Can texts of these normalised lengths be `similarity` alike at all?
    fn lengths_close(&self, la: usize, lb: usize) -> bool {
        crate::distance::lengths_close(la, lb, self.similarity)
    }

    /// Similarity of two paragraphs given their normalised texts (whose
    /// lengths passed `lengths_close`).
    fn alike(&self, a: &str, b: &str) -> Option<f64> {
        if a.len().max(b.len()) <= LEVENSHTEIN_LIMIT {
            return crate::distance::similarity_at_least(a, b, self.similarity);
        }
        let score = jaccard(&shingles(a), &shingles(b));
        (score >= self.similarity).then_some(score)
    }

    /// Report the repeats found, in order of position: a run of exact
    /// repeats of paragraphs that stand one after another, themselves one
    /// after another (a pasted block), as one finding for the whole copy,
    /// and every other repeat as a finding of its own.
    fn report_all(&self, doc: &Document, out: &mut Emitter, found: &[Repeat]) {
        if found.is_empty() {
            return;
        }
        let starts = crate::text::line_starts(doc.text);
        let mut k = 0;
        while k < found.len() {
            let mut end = k + 1;
            if found[k].score.is_none() {
                while end < found.len() && continues_paste(doc, &found[end - 1], &found[end]) {
                    end += 1;
                }
            }
            self.report(doc, out, &starts, &found[k..end]);
            k = end;
        }
    }

    /// Report a run of repeats (one, or a pasted block of exact ones).
    fn report(&self, doc: &Document, out: &mut Emitter, starts: &[u32], run: &[Repeat]) {
        let (head, last) = (&run[0], &run[run.len() - 1]);
        let copy = doc.blocks[head.copy].span.start..doc.blocks[last.copy].span.end;
        let first = doc.blocks[head.first].span.start..doc.blocks[last.first].span.end;
        let line = |at: usize| starts.partition_point(|&s| s as usize <= at);
        let lines_of = |r: &std::ops::Range<usize>| {
            let (a, b) = (line(r.start), line(r.end.saturating_sub(1).max(r.start)));
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        };
        let (how, percent) = match head.score {
            None => ("repeats", "100".to_string()),
            Some(s) => ("nearly repeats", format!("{}", (s * 100.0).floor() as u32)),
        };
        let first_line = line(first.start).to_string();
        let vars = [
            ("how", how),
            ("first_line", first_line.as_str()),
            ("percent", percent.as_str()),
            ("lines", &lines_of(&copy)),
            ("first_lines", &lines_of(&first)),
        ];
        let f = if run.len() == 1 {
            out.emit(copy.clone(), &vars)
        } else {
            out.emit_as(&self.block_message, copy.clone(), &vars)
        };
        f.add_label(first, "first appears here");
        let apart = head.score.is_none() && run.iter().all(|r| super::stands_apart(doc, r.copy));
        if !apart {
            f.add_note(format!(
                "the two paragraphs are {percent}% alike; keep the better one"
            ));
        } else if let Some(del) = crate::fix::paragraph_deletion(doc.text, &copy) {
            let what = if run.len() == 1 {
                "delete the repeated paragraph"
            } else {
                "delete the repeated paragraphs"
            };
            f.set_fix(Fix::safe(del, "", what));
            // The copy is going away: what other rules find in it is not
            // reported.
            f.supersedes = true;
        }
    }
}

/// A body paragraph (`copy`, an index into the blocks) that repeats an
/// earlier one (`first`); `score` is `None` for an exact repeat.
struct Repeat {
    first: usize,
    copy: usize,
    score: Option<f64>,
}

/// Does exact repeat `b` carry on the pasted block that exact repeat `a`
/// is part of: the next block repeating the block after `a`'s first, with
/// nothing but white space between the copies, nor between the firsts?
fn continues_paste(doc: &Document, a: &Repeat, b: &Repeat) -> bool {
    let blank = |x: usize, y: usize| {
        doc.text[doc.blocks[x].span.end..doc.blocks[y].span.start]
            .trim()
            .is_empty()
    };
    b.score.is_none()
        && b.copy == a.copy + 1
        && b.first == a.first + 1
        && blank(a.copy, b.copy)
        && blank(a.first, b.first)
}

impl Check for RepeatedParagraph {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        // The maps are made the size a story needs at once, not grown by
        // doubling, up to a bound: a long file's repeats are not filed.
        let paragraphs = doc.body_blocks().count().min(1 << 12);
        let mut filed: Vec<Filed> = Vec::with_capacity(paragraphs);
        // Hash of the normalised text -> first filed paragraph with it; a
        // hash match is confirmed on the texts before it is reported.
        let mut same_words: HashMap<u64, usize> =
            HashMap::with_capacity_and_hasher(paragraphs, Default::default());
        let mut index: HashMap<u64, Posting> =
            HashMap::with_capacity_and_hasher(paragraphs * SKETCH, Default::default());
        let mut found: Vec<Repeat> = Vec::new();
        let mut shaper = Shape::new();
        let text_of = |f: &Filed| doc.prose_of(&doc.blocks[f.block].span);

        for (bi, b) in doc.body_blocks() {
            let text = doc.prose_of(&b.span);
            // The normalised text is hashed as it is made; the string is
            // built only to compare with a candidate.
            let shape = shaper.of(text);
            if shape.word_count() < self.min_words {
                continue;
            }
            let (norm_h, norm_len) = (shape.whole, shape.len());
            let mut norm: Option<String> = None;
            let mut sketch = Vec::new();
            let mut first: Option<(usize, Option<f64>)> = None;
            // Texts that are the same words in the same order normalise
            // alike, so an exact repeat (up to whitespace) is found through
            // the same hash as one that differs only in case or punctuation:
            // one hash a paragraph, where repeats are rare.
            let earlier = same_words
                .get(&norm_h)
                .map(|&j| (j, text_of(&filed[j])))
                .filter(|&(j, _)| filed[j].norm_len == norm_len);
            if let Some((j, earlier)) = earlier
                && (earlier == text || earlier.split_whitespace().eq(text.split_whitespace()))
            {
                found.push(Repeat {
                    first: filed[j].block,
                    copy: bi,
                    score: None,
                });
                continue;
            }
            if let Some((j, earlier)) = earlier
                && normalize(earlier) == *norm.get_or_insert_with(|| normalize(text))
            {
                let score = strsim::normalized_levenshtein(&squeeze(earlier), &squeeze(text));
                first = Some((j, Some(score.min(0.99))));
            } else {
                sketch = shape.sketch(SKETCH);
                let mut votes: HashMap<usize, usize> = HashMap::default();
                for h in &sketch {
                    if let Some(list) = index.get(h) {
                        for j in list.iter() {
                            *votes.entry(j).or_default() += 1;
                        }
                    }
                }
                let need = (sketch.len() / 3).max(1);
                let mut ranked: Vec<(usize, usize)> =
                    votes.into_iter().filter(|&(_, v)| v >= need).collect();
                ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let mut best: Option<(usize, f64)> = None;
                for &(j, _) in ranked.iter().take(MAX_CANDIDATES) {
                    if !self.lengths_close(filed[j].norm_len, norm_len) {
                        continue;
                    }
                    let norm = norm.get_or_insert_with(|| normalize(text));
                    if let Some(score) = self.alike(&normalize(text_of(&filed[j])), norm)
                        && best.is_none_or(|(bj, bs)| score > bs || (score == bs && j < bj))
                    {
                        best = Some((j, score));
                    }
                }
                if let Some((j, s)) = best {
                    first = Some((j, Some(s)));
                }
            }
            if let Some((j, score)) = first {
                found.push(Repeat {
                    first: filed[j].block,
                    copy: bi,
                    score,
                });
                // A repeat is not filed: later copies point at the first.
                continue;
            }
            let i = filed.len();
            filed.push(Filed {
                block: bi,
                norm_len,
            });
            same_words.entry(norm_h).or_insert(i);
            for h in sketch {
                match index.entry(h) {
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(Posting {
                            first: i,
                            more: Vec::new(),
                        });
                    }
                    std::collections::hash_map::Entry::Occupied(mut e) => {
                        let list = e.get_mut();
                        if list.more.len() + 1 < POSTING_CAP {
                            list.more.push(i);
                        }
                    }
                }
            }
        }
        self.report_all(doc, out, &found);
    }

    fn fixable(&self) -> bool {
        true
    }

    fn variables(&self) -> &'static [&'static str] {
        VARIABLES
    }
}

#[cfg(test)]
mod tests {
    /// A paragraph's shape, taken as it is normalised, is that of its
    /// normalised text: length, hash, word count and shingles.
    #[test]
    fn shape_is_that_of_the_normalised_text() {
        let pieces = [
            "Ab",
            "c",
            " ",
            "  ",
            "-",
            "\u{2014}",
            "'",
            ".",
            "\u{130}",
            "É",
            "9",
            "\n",
            "x y z",
            "Abcdefghijk",
            "Seven7",
        ];
        let mut shape = super::Shape::new();
        let mut seen: std::collections::HashMap<u64, String> = Default::default();
        // Short texts, and long ones (words of more than eight bytes, and
        // texts past 64 bytes: see `swar`).
        let short = crate::testing::texts(&pieces, 0x5ca1_ab1e, 14).take(20_000);
        let long = crate::testing::texts(&pieces, 0x10_ab1e, 60).take(5_000);
        for t in short.chain(long) {
            let norm = crate::document::normalize(&t);
            let s = shape.of(&t);
            // Weak hashes are confirmed on the texts, but should still tell
            // these apart.
            let first = seen.entry(s.whole).or_insert_with(|| norm.clone());
            assert_eq!(*first, norm, "same hash");
            assert_eq!(s.len(), norm.len(), "{t:?}");
            assert_eq!(s.whole, super::shape_of_norm(&norm).whole, "{t:?}");
            assert_eq!(s.word_count(), norm.split(' ').count(), "{t:?}");
            assert_eq!(s.shingles(), super::shingles(&norm), "{t:?}");
            for k in [1, 2, super::SKETCH] {
                let mut first = s.shingles();
                first.truncate(k);
                assert_eq!(s.sketch(k), first, "{t:?}");
            }
        }
    }
}
