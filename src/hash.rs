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

/// [`hash_of`] of the text whose UTF-8 bytes are `bytes`, without
/// checking that they are UTF-8 (as `str` hashes: its bytes, then 0xFF).
pub fn hash_of_text_bytes(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_u8(0xff);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_bytes_hash_as_their_text() {
        for text in ["", "a", "Größe ändern", "line\nline\r\n"] {
            assert_eq!(hash_of_text_bytes(text.as_bytes()), hash_of(text), "{text:?}");
        }
        assert_ne!(hash_of_text_bytes(b"ab"), hash_of("a"));
    }
}
