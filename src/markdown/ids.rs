//! Stable ids of checklist items, made where task items are found.

/// Collapses whitespace and case so that ids survive cosmetic edits.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

/// A stable id for item `text` of the article `seed`: the same text in the
/// same article keeps its id whatever else changes; the `n`-th duplicate of
/// a text gets a `-n` suffix.
pub fn item_id(seed: &str, text: &str, n: usize) -> String {
    let hash = fnv1a(seed.as_bytes(), fnv1a(normalise(text).as_bytes(), 0xcbf2_9ce4_8422_2325));
    let id = format!("c{:012x}", hash & 0xffff_ffff_ffff);
    if n > 1 { format!("{id}-{n}") } else { id }
}

/// The key that pairs an item with its counterpart in the article's
/// translations: the article (translation key `seed`), the item's 1-based
/// `position` and the article's item count `total`. A tick is shared
/// between an item and the item at the same position of a translation
/// with as many items; any other change of counts ends the pairing.
pub fn pair_key(seed: &str, position: usize, total: usize) -> String {
    let hash = fnv1a(seed.as_bytes(), 0xcbf2_9ce4_8422_2325);
    format!("p{:012x}-{position}-{total}", hash & 0xffff_ffff_ffff)
}

fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_joins_the_words_and_lowers_their_case() {
        for text in ["", "  ", "Sponsor  benannt\t", " ÄRGER über\u{a0}Maße ", "ΟΔΟΣ ΟΔΟΣ", "İstanbul X"] {
            let plain = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            assert_eq!(normalise(text), plain, "{text:?}");
        }
    }

    #[test]
    fn ids_ignore_case_and_spacing_but_not_article() {
        assert_eq!(item_id("a.md", "Sponsor  benannt", 1), item_id("a.md", "sponsor benannt", 1));
        assert_ne!(item_id("a.md", "x", 1), item_id("b.md", "x", 1));
        assert!(item_id("a.md", "x", 2).ends_with("-2"));
        assert_eq!(item_id("a.md", "x", 1).len(), 13);
    }
}
