//! Scanning text for runs of characters of one kind (words, non-space
//! runs), byte by byte where the text is ASCII: the innermost loops of the
//! plain text of every page and of the search index.

/// A byte's class in a [`ByteClasses`] table: an ASCII character outside
/// the runs, one in the runs, or part of a non-ASCII character.
pub const OUT: u8 = 0;
/// See [`OUT`].
pub const IN: u8 = 1;
/// See [`OUT`].
pub const NON_ASCII: u8 = 2;

/// The class of each byte value, for [`next_run`].
pub type ByteClasses = [u8; 256];

/// ASCII characters that are not whitespace (as [`char::is_whitespace`]).
pub const NON_SPACE_BYTES: ByteClasses = {
    let mut classes = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        classes[b] = if matches!(b as u8, b'\t'..=b'\r' | b' ') { OUT } else { IN };
        b += 1;
    }
    classes
};

/// The byte range of the first maximal run of characters in `text` from
/// byte `at` (a char boundary) that `member` accepts. `ascii` classifies
/// ASCII characters as `member` does, byte by byte without decoding: the
/// fast path for mostly ASCII text (most text is ASCII even in German).
#[inline]
pub fn next_run(text: &str, at: usize, ascii: &ByteClasses, member: impl Fn(char) -> bool) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let class = |i: usize| bytes.get(i).map(|&b| ascii[usize::from(b)]);
    // The end of the bytes of class `class` from `i`.
    let skip = |i: usize, class: u8| {
        let rest = bytes.get(i..).unwrap_or_default();
        i + rest.iter().position(|&b| ascii[usize::from(b)] != class).unwrap_or(rest.len())
    };
    let mut i = at;
    let start = loop {
        i = skip(i, OUT);
        if class(i)? == IN {
            break i;
        }
        let c = text.get(i..)?.chars().next()?;
        if member(c) {
            break i;
        }
        i += c.len_utf8();
    };
    loop {
        i = skip(i, IN);
        if class(i) != Some(NON_ASCII) {
            break;
        }
        match text.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) if member(c) => i += c.len_utf8(),
            _ => break,
        }
    }
    Some((start, i))
}

/// The byte ranges of the runs of non-whitespace in `text`: the words of
/// [`str::split_whitespace`], found byte by byte where the text is ASCII.
pub fn non_space_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (start, end) = next_run(text, at, &NON_SPACE_BYTES, |c| !c.is_whitespace())?;
        at = end;
        Some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`str::split_whitespace`] through [`non_space_runs`].
    fn split_whitespace(text: &str) -> impl Iterator<Item = &str> {
        non_space_runs(text).map(move |(start, end)| &text[start..end])
    }

    #[test]
    fn splits_as_the_standard_library_does() {
        let texts = [
            "Ein  Plan , der ( kurz )  hilft .\n",
            "\t\x0b\x0c\r\n a\u{a0}b\u{85}c\u{2003}d\u{3000}e\u{200b}f Über ügel 😀 , x",
            "",
            "   ",
            "x\u{1680}y\u{2028}z\u{feff}w\u{1c}v\u{1f}",
            "\u{2029}",
            "ä",
        ];
        for text in texts {
            assert_eq!(
                split_whitespace(text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
        // Every character up to U+3000 between two letters.
        for c in (0..=0x3000).filter_map(char::from_u32) {
            let text = format!("a{c}b {c}");
            assert_eq!(
                split_whitespace(&text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "{c:?}"
            );
        }
    }
}
