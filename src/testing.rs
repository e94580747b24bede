//! Helpers for the unit tests.

/// Texts of one to `max_pieces` of `pieces` each, drawn by a small
/// deterministic generator (xorshift) from `seed`, so that a failure
/// reproduces. For the tests that a cheap test in front of a pattern never
/// hides one of its matches.
pub fn texts<'p>(
    pieces: &'p [&'p str],
    mut seed: u64,
    max_pieces: u64,
) -> impl Iterator<Item = String> + 'p {
    std::iter::from_fn(move || {
        let mut t = String::new();
        for _ in 0..(seed % max_pieces + 1) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
        }
        Some(t)
    })
}

/// The text of a shipped rule file, by rule id.
pub fn shipped_rule(id: &str) -> &'static str {
    crate::ruleset::BUILTIN_RULES
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("{id} ships"))
}
