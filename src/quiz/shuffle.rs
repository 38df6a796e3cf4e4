//! Seeded shuffling, stable across versions and platforms.
//!
//! An attempt stores its seed; the display order of every question's options is derived
//! from that seed and the question's id, so an attempt can be replayed exactly. The
//! generator (`SplitMix64`) and the hash (`FNV-1a`) are written out here rather than taken
//! from a crate because their output is part of the progress format: it must never change
//! with a dependency update.

use super::{Question, QuestionKind};

/// `SplitMix64`: a tiny, well-studied generator; good enough to shuffle a few options.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (Lemire's multiply-shift; the bias is negligible for small `n`).
    fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next()) * n as u128;
        usize::try_from(wide >> 64).unwrap_or(0)
    }
}

/// FNV-1a, 64 bit.
#[must_use]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A permutation of `0..n` determined by `seed` and `salt`.
#[must_use]
pub fn permutation(seed: u64, salt: &str, n: usize) -> Vec<usize> {
    let mut rng = SplitMix64(seed ^ fnv1a(salt.as_bytes()));
    let mut out: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        out.swap(i, rng.below(i + 1));
    }
    out
}

/// Like [`permutation`], but never the identity when `n >= 2` (for order and match
/// questions, where the written order would give the answer away).
#[must_use]
pub fn derangement_of_order(seed: u64, salt: &str, n: usize) -> Vec<usize> {
    let mut out = permutation(seed, salt, n);
    if n >= 2 && out.iter().enumerate().all(|(i, &v)| i == v) {
        out.rotate_left(1);
    }
    out
}

/// The order in which a question's entries are shown in an attempt with `seed`: option
/// indices for choice questions, item indices for order questions, right-hand indices
/// for match questions; empty for the other types.
#[must_use]
pub fn display_order(question: &Question, seed: u64, shuffle_options: bool) -> Vec<usize> {
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
            if shuffle_options {
                permutation(seed, &question.id, options.len())
            } else {
                (0..options.len()).collect()
            }
        }
        QuestionKind::Order { items } => derangement_of_order(seed, &question.id, items.len()),
        QuestionKind::Match { pairs } => derangement_of_order(seed, &question.id, pairs.len()),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_reproducible_from_the_seed() {
        let a = permutation(42, "question", 8);
        assert_eq!(a, permutation(42, "question", 8));
        assert_ne!(a, permutation(43, "question", 8));
        assert_ne!(a, permutation(42, "other", 8));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn the_generator_output_is_pinned() {
        // Progress files store seeds: this sequence must never change.
        assert_eq!(permutation(1, "q", 5), [4, 0, 2, 1, 3]);
        assert_eq!(fnv1a(b"kurs"), 0xe191_17d7_aa48_ff1a);
    }

    #[test]
    fn order_questions_are_never_shown_solved() {
        for seed in 0..500 {
            let p = derangement_of_order(seed, "x", 2);
            assert_eq!(p, [1, 0]);
            let p = derangement_of_order(seed, "y", 3);
            assert_ne!(p, [0, 1, 2]);
        }
    }
}
