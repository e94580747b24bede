//! Growing the few vectors that one large file fills with hundreds of
//! thousands of entries (its findings, word-list matches and line starts,
//! the blocks and quotes of its model).
//!
//! A vector that doubles when full can hold up to twice what it needs, and
//! these are held while every rule runs, at the moment of peak memory on a
//! large file. Past a threshold such a vector grows by a quarter instead.
//! Where the allocator maps large blocks on their own (glibc does, see
//! `src/main.rs`), growing one moves no bytes, so the extra steps are cheap.

/// Length from which a vector grows by a quarter rather than doubling.
const THRIFTY_FROM: usize = 1 << 14;

/// Push `x` onto `v`, growing it by a quarter when it is full and long.
#[inline]
pub fn push<T>(v: &mut Vec<T>, x: T) {
    if v.len() == v.capacity() && v.len() >= THRIFTY_FROM {
        v.reserve_exact(v.len() / 4);
    }
    v.push(x);
}

/// Give back a vector's room to spare when it is worth it (64 KiB or
/// more): for a vector held while every rule runs on a large file. A
/// story's vectors have a few hundred bytes to spare, not worth a
/// reallocation per vector per file to move each into a block of its exact
/// size.
#[inline]
pub fn trim<T>(v: &mut Vec<T>) {
    if (v.capacity() - v.len()) * std::mem::size_of::<T>() >= 1 << 16 {
        v.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long vector never has more than a quarter of room to spare, and
    /// holds what was pushed, in order.
    #[test]
    fn long_vectors_grow_by_a_quarter() {
        let mut v = Vec::new();
        for i in 0..200_000u32 {
            push(&mut v, i);
            if v.len() > THRIFTY_FROM {
                assert!(v.capacity() <= v.len() + v.len() / 4 + 1, "{}", v.len());
            }
        }
        assert!(v.iter().copied().eq(0..200_000));
    }

    /// Room to spare is given back only when it is large.
    #[test]
    fn trim_gives_back_large_room_only() {
        let mut small: Vec<u64> = Vec::with_capacity(100);
        small.push(1);
        trim(&mut small);
        assert_eq!(small.capacity(), 100);
        let mut large: Vec<u64> = Vec::with_capacity(10_000);
        large.push(1);
        trim(&mut large);
        assert!(large.capacity() < 100, "{}", large.capacity());
        assert_eq!(large, [1]);
    }
}
