//! Helpers for the unit tests.

/// Texts of one to `max_pieces` of `pieces` each, drawn by a small
/// deterministic generator (xorshift) from `seed`, so that a failure
/// reproduces. For the tests that a cheap test in front of a pattern never
/// hides one of its matches.
pub fn texts<'p>(
    pieces: &'p [&'p str],
    seed: u64,
    max_pieces: u64,
) -> impl Iterator<Item = String> + 'p {
    let mut state = seed;
    let mut next = xorshift(seed);
    std::iter::from_fn(move || {
        let mut t = String::new();
        for _ in 0..(state % max_pieces + 1) {
            state = next();
            t.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        Some(t)
    })
}

/// A small deterministic generator (xorshift64) from `seed` (not 0): each
/// call gives the next state.
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// The text of a shipped rule file, by rule id.
pub fn shipped_rule(id: &str) -> &'static str {
    crate::ruleset::BUILTIN_RULES
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("{id} ships"))
}
