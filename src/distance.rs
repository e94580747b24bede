//! Edit-distance similarity, computed only when it can reach a threshold.
//!
//! Comparing a headline with every sentence, or a paragraph with its
//! candidate repeats, mostly compares texts that are not alike. The
//! Levenshtein distance costs the product of the two lengths; the lower
//! bounds here cost their sum, and rule out most such pairs exactly (a pair
//! they rule out could never have reached the threshold).

/// Can texts of these lengths in bytes be `min` alike at all? (The screen
/// repeated-paragraph and headline-in-body put in front of the distance,
/// with a margin of one for rounding.)
pub fn lengths_close(a: usize, b: usize, min: f64) -> bool {
    (a.min(b) as f64) >= min * a.max(b) as f64 - 1.0
}

/// `strsim::normalized_levenshtein(a, b)` when it is at least `min`, and
/// `None` otherwise.
pub fn similarity_at_least(a: &str, b: &str, min: f64) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return (1.0 >= min).then_some(1.0);
    }
    // normalized_levenshtein is 1 - distance / longest, so a lower bound on
    // the distance gives an upper bound on the similarity.
    let (ca, cb) = (a.chars().count(), b.chars().count());
    let longest = ca.max(cb) as f64;
    if 1.0 - (count_difference(a, b) as f64 / 2.0) / longest < min {
        return None;
    }
    if 1.0 - pair_bound(a, b, ca, cb) / longest < min {
        return None;
    }
    // Only a distance up to `limit` can reach `min` (with a margin of one,
    // so rounding never matters), so only a band of the table is filled.
    let limit = ((1.0 - min).max(0.0) * longest).ceil() as usize + 1;
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let distance = levenshtein_within(&a, &b, limit)?;
    // As strsim computes it.
    let score = 1.0 - distance as f64 / longest;
    (score >= min).then_some(score)
}

/// The Levenshtein distance of `a` and `b` if it is at most `limit`
/// (`None` if it is more), filling only the cells within `limit` of the
/// diagonal: no path through the others costs `limit` or less.
fn levenshtein_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > limit {
        return None;
    }
    // Cells outside the band hold `over`, which stands for "more than limit".
    let over = limit + 1;
    let mut prev: Vec<usize> = (0..=m).map(|j| j.min(over)).collect();
    let mut cur = vec![over; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(m);
        cur[0] = i.min(over);
        cur[lo - 1] = if lo == 1 { cur[0] } else { over };
        let mut best = cur[lo - 1];
        for j in lo..=hi {
            let substitute = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let v = substitute.min(prev[j] + 1).min(cur[j - 1] + 1).min(over);
            cur[j] = v;
            best = best.min(v);
        }
        if hi < m {
            cur[hi + 1] = over;
        }
        // A row's smallest cell never shrinks in later rows.
        if best > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= limit).then_some(prev[m])
}

/// Sum over characters of the difference in how often each occurs in `a`
/// and `b` (characters sharing a bucket only make it smaller).
pub fn count_difference(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 256];
    for c in a.chars() {
        counts[(c as u32 & 0xff) as usize] += 1;
    }
    for c in b.chars() {
        counts[(c as u32 & 0xff) as usize] -= 1;
    }
    counts.iter().map(|n| n.unsigned_abs() as usize).sum()
}

/// A lower bound on the edit distance of `a` and `b` (`ca`, `cb` their
/// lengths in characters), from the pairs of adjacent characters they share.
/// A string of n characters has n - 1 such pairs, and one edit removes at
/// most two of them, so after k edits at least max(ca, cb) - 1 - 2k pairs of
/// one string are still pairs of the other. Pairs are counted in hashed
/// buckets, which can only over-count what is shared and so only weaken the
/// bound. Unlike character counts, it tells apart two ordinary paragraphs of
/// the same length.
pub fn pair_bound(a: &str, b: &str, ca: usize, cb: usize) -> f64 {
    const BUCKETS: usize = 1024;
    let bucket = |x: char, y: char| ((x as usize).wrapping_mul(31) ^ y as usize) % BUCKETS;
    let mut counts = [0u32; BUCKETS];
    for (x, y) in a.chars().zip(a.chars().skip(1)) {
        counts[bucket(x, y)] += 1;
    }
    let mut shared = 0usize;
    for (x, y) in b.chars().zip(b.chars().skip(1)) {
        let c = &mut counts[bucket(x, y)];
        if *c > 0 {
            *c -= 1;
            shared += 1;
        }
    }
    (ca.max(cb).saturating_sub(1).saturating_sub(shared)) as f64 / 2.0
}

#[cfg(test)]
mod tests {
    /// The pair bound never exceeds the edit distance, and it rules out
    /// most pairs of unrelated texts that character counts let through.
    #[test]
    fn pair_bound_is_a_lower_bound() {
        let pieces = [
            "the ", "council ", "voted ", "a", "b", "é", "ab", "ba", "said ", "on ", "monday ",
            "water ", "plan ", "e", " ",
        ];
        let texts: Vec<String> = crate::testing::texts(&pieces, 0x0bad_5eed, 12)
            .take(300)
            .collect();
        let mut sharper = 0;
        for a in &texts {
            for b in texts.iter().take(40) {
                let (ca, cb) = (a.chars().count(), b.chars().count());
                let bound = super::pair_bound(a, b, ca, cb);
                let distance = strsim::levenshtein(a, b) as f64;
                assert!(bound <= distance, "{a:?} {b:?}: {bound} > {distance}");
                if bound > super::count_difference(a, b) as f64 / 2.0 {
                    sharper += 1;
                }
            }
        }
        assert!(sharper > 1000, "{sharper}");
    }

    /// The same answer as computing the similarity, for every threshold.
    #[test]
    fn similarity_at_least_agrees_with_strsim() {
        let pieces = [
            "the ", "plan ", "a", "b", "é", "ab", "ba", "voted ", " ", "e",
        ];
        let texts: Vec<String> = crate::testing::texts(&pieces, 0x0051_eed0, 10)
            .take(200)
            .collect();
        let mut kept = 0;
        for a in &texts {
            for b in texts.iter().take(30) {
                let score = strsim::normalized_levenshtein(a, b);
                for min in [0.0, 0.5, 0.8, 0.9, 1.0] {
                    let got = super::similarity_at_least(a, b, min);
                    assert_eq!(got, (score >= min).then_some(score), "{a:?} {b:?} {min}");
                    kept += usize::from(got.is_some());
                }
            }
        }
        assert!(kept > 1000, "{kept}");
        assert_eq!(super::similarity_at_least("", "", 1.0), Some(1.0));
    }

    /// The banded distance is the distance whenever it is within the
    /// limit, and `None` only when it is not.
    #[test]
    fn banded_distance_is_exact_within_its_limit() {
        let pieces = ["the ", "plan ", "a", "b", "é", "ab", "ba", "x", " ", "e"];
        let texts: Vec<String> = crate::testing::texts(&pieces, 0x00ba_9d00, 10)
            .take(150)
            .collect();
        for a in &texts {
            for b in texts.iter().take(30) {
                let d = strsim::levenshtein(a, b);
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for limit in [0, 1, 2, 5, 10, 40] {
                    let got = super::levenshtein_within(&ca, &cb, limit);
                    assert_eq!(got, (d <= limit).then_some(d), "{a:?} {b:?} {limit}");
                }
            }
        }
    }
}
