//! One fast hash for telling versions of a site's inputs apart (the
//! preview's fingerprints and Markdown reuse).

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

/// Hashes anything hashable (FxHash: fast on long texts, and good enough
/// to tell versions of the same site's inputs apart).
pub fn hash_of(value: impl Hash) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}
