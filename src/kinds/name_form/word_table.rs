// Shared by `build.rs`, which lays the tables out, and `people.rs`, which
// looks words up in them: both must hash a word alike.

/// A word's hash (FNV-1a over its bytes).
pub fn word_hash(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in w.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

