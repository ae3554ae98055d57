//! Text analysis for the search index: folding, tokenising and Snowball
//! stemming. The browser repeats folding and tokenising (search.js, with
//! the folding table shipped in the index) but never stems: the index maps
//! every word form of the corpus to its stem.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::scan::{ByteClasses, IN, NON_ASCII, OUT, next_run};

/// Shorter words are not indexed (and not searched for).
pub const MIN_WORD_CHARS: usize = 2;
/// Longer "words" (hashes, glued URLs) are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// Lower-case Latin letters with diacritics and what they fold to. The same
/// table goes into each index manifest so that search.js folds the same way.
pub const FOLD_TABLE: &[(&str, &str)] = &[
    ("àáâãäåāăą", "a"),
    ("çćĉċč", "c"),
    ("ďđð", "d"),
    ("èéêëēĕėęě", "e"),
    ("ĝğġģ", "g"),
    ("ĥħ", "h"),
    ("ìíîïĩīĭįı", "i"),
    ("ĵ", "j"),
    ("ķ", "k"),
    ("ĺļľŀł", "l"),
    ("ñńņň", "n"),
    ("òóôõöøōŏő", "o"),
    ("ŕŗř", "r"),
    ("śŝşšſ", "s"),
    ("ţťŧ", "t"),
    ("ùúûüũūŭůűų", "u"),
    ("ŵ", "w"),
    ("ýÿŷ", "y"),
    ("źżž", "z"),
    ("ß", "ss"),
    ("æ", "ae"),
    ("œ", "oe"),
    ("þ", "th"),
    ("ĳ", "ij"),
];

/// Characters below this have their folding in [`FOLD_LOW`] (the whole
/// table lies below it; the check in [`fold_char`] keeps that from mattering).
const FOLD_LOW_END: usize = 0x180;

/// For each character below [`FOLD_LOW_END`]: 1 + the index of its row in
/// [`FOLD_TABLE`], or 0 if it does not fold.
static FOLD_LOW: LazyLock<[u8; FOLD_LOW_END]> = LazyLock::new(|| {
    let mut low = [0u8; FOLD_LOW_END];
    for (row, (from, _)) in FOLD_TABLE.iter().enumerate() {
        for c in from.chars() {
            if let (Some(slot), Ok(row)) = (low.get_mut(c as usize), u8::try_from(row + 1)) {
                *slot = row;
            }
        }
    }
    low
});

/// The folding of one lower-case character, if it has one.
fn fold_char(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    if let Some(&row) = FOLD_LOW.get(c as usize) {
        return usize::from(row).checked_sub(1).map(|row| FOLD_TABLE[row].1);
    }
    FOLD_TABLE.iter().find(|(from, _)| from.contains(c)).map(|(_, to)| *to)
}

/// A combining diacritical mark (U+0300 to U+036F), as in a decomposed `ü`.
fn is_diacritic(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Lower-cases `word` and removes accents from Latin letters: `Übersicht`
/// and `Ubersicht` both become `ubersicht`, `Maß` becomes `mass`.
/// Diacritics written as combining marks after an ASCII letter are dropped too.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// [`fold`], appending to `out` (saves an allocation per word).
pub fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    // `str::to_lowercase` lower-cases a capital sigma by its position in the
    // word; `char::to_lowercase` cannot, so such words take the slow way.
    if word.contains('Σ') {
        fold_lower(word.to_lowercase().chars(), out);
    } else {
        fold_lower(word.chars().flat_map(char::to_lowercase), out);
    }
}

/// Folds lower-case characters into `out` (see [`fold`]).
fn fold_lower(lower: impl Iterator<Item = char>, out: &mut String) {
    let mut after_ascii = false;
    for c in lower {
        if c.is_ascii() {
            out.push(c);
            after_ascii = true;
            continue;
        }
        if is_diacritic(c) && after_ascii {
            continue;
        }
        after_ascii = false;
        match fold_char(c) {
            Some(to) => {
                out.push_str(to);
                after_ascii = true;
            }
            None => out.push(c),
        }
    }
}

/// Whether a folded word is long enough, and short enough, to index.
pub fn indexable(folded: &str) -> bool {
    let n = if folded.is_ascii() { folded.len() } else { folded.chars().count() };
    (MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&n)
}

/// A character that belongs to a word: a letter, a digit or a combining mark.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_diacritic(c)
}

/// The words of `text` with their byte ranges, not yet folded.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    Words { text, at: 0 }
}

/// The iterator behind [`words`].
struct Words<'a> {
    text: &'a str,
    /// Where to go on looking, a char boundary.
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let (start, end) = next_run(self.text, self.at, &WORD_BYTES, is_word_char)?;
        self.at = end;
        Some((start, &self.text[start..end]))
    }
}

/// ASCII word characters: letters and digits (as [`is_word_char`]).
const WORD_BYTES: ByteClasses = {
    let mut classes = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        classes[b] = if (b as u8).is_ascii_alphanumeric() { IN } else { OUT };
        b += 1;
    }
    classes
};

/// The folded words of `text` that are long enough to index.
pub fn terms(text: &str) -> impl Iterator<Item = String> {
    words(text).map(|(_, w)| fold(w)).filter(|w| indexable(w))
}

/// Stems folded words with the Snowball stemmer of a language.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    /// The analyser for a language code (`de`, `en-GB`); languages without
    /// a Snowball stemmer get none and match whole words and prefixes.
    pub fn new(lang: &str) -> Analyzer {
        Analyzer { stemmer: algorithm(lang).map(Stemmer::create) }
    }

    /// The stem of a folded word; words with digits are kept as they are.
    pub fn stem(&self, folded: &str) -> String {
        match &self.stemmer {
            Some(s) if !folded.chars().any(|c| c.is_numeric()) => s.stem(folded).into_owned(),
            _ => folded.to_string(),
        }
    }
}

/// The Snowball algorithm for a language code's primary subtag.
fn algorithm(lang: &str) -> Option<Algorithm> {
    let primary = lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_umlauts_sharp_s_and_case() {
        assert_eq!(fold("Übersicht"), "ubersicht");
        assert_eq!(fold("Ubersicht"), "ubersicht");
        assert_eq!(fold("Maßnahmen"), "massnahmen");
        assert_eq!(fold("ÄRGER"), "arger");
        assert_eq!(fold("Café"), "cafe");
    }

    #[test]
    fn folds_decomposed_umlauts_like_composed_ones() {
        assert_eq!(fold("U\u{308}bersicht"), fold("Übersicht"));
    }

    #[test]
    fn keeps_non_latin_letters() {
        assert_eq!(fold("Москва"), "москва");
    }

    #[test]
    fn splits_words_at_hyphens_and_punctuation() {
        let t: Vec<String> = terms("Die Ziel-Landkarte (v2): KPI's, a").collect();
        assert_eq!(t, ["die", "ziel", "landkarte", "v2", "kpi"]);
    }

    #[test]
    fn reports_word_offsets_in_bytes() {
        let w: Vec<(usize, &str)> = words("Über Ziele").collect();
        assert_eq!(w, [(0, "Über"), (6, "Ziele")]);
    }

    /// Mixed text for comparing the fast paths with the plain definitions.
    const MIXED: &[&str] = &[
        "Die Ziel-Landkarte (v2): KPI's, a Übersicht Maßnahmen ÄRGER Café",
        "U\u{308}bersicht und Ü\u{308}ber, 2024er Kund\u{308}innen \u{308}vorn",
        "people’s „Plan” dogs’ food l'été C'EST ĲSSEL Œuvre Þorn",
        "ΟΔΟΣ Σίσυφος ΣΑΣ Москва İstanbul ǅemal ﬁnal 😀x y😀 ١٢٣ ½",
        "tab\tnew\nline\u{a0}nbsp\u{2003}em\u{85}nel--x__y 42 x9z",
        "",
        "   ",
        "ä",
        "\u{308}",
    ];

    /// [`words`] as plainly defined: split at every non-word character.
    fn words_by_split(text: &str) -> Vec<(usize, &str)> {
        text.split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
            .collect()
    }

    /// [`fold`] as plainly defined: lower-case the word, then fold each
    /// character with a search of the table.
    fn fold_by_table(word: &str) -> String {
        let mut out = String::new();
        let mut after_ascii = false;
        for c in word.to_lowercase().chars() {
            if is_diacritic(c) && after_ascii {
                continue;
            }
            after_ascii = c.is_ascii();
            match FOLD_TABLE.iter().find(|(from, _)| from.contains(c)).map(|(_, to)| *to) {
                Some(to) => {
                    out.push_str(to);
                    after_ascii = true;
                }
                None => out.push(c),
            }
        }
        out
    }

    #[test]
    fn fast_tokenising_matches_splitting_at_non_word_characters() {
        for text in MIXED {
            assert_eq!(words(text).collect::<Vec<_>>(), words_by_split(text), "{text:?}");
        }
        let all = MIXED.concat();
        assert_eq!(words(&all).collect::<Vec<_>>(), words_by_split(&all));
    }

    #[test]
    fn fast_folding_matches_folding_by_table() {
        for text in MIXED {
            for (_, word) in words(text) {
                assert_eq!(fold(word), fold_by_table(word), "{word:?}");
            }
            assert_eq!(fold(text), fold_by_table(text), "{text:?}");
        }
        assert_eq!(fold("ΟΔΟΣ"), "οδος");
        assert_eq!(fold("Kund\u{308}innen"), "kundinnen");
        for row in FOLD_TABLE {
            for c in row.0.chars() {
                assert_eq!(fold_char(c), Some(row.1), "{c}");
                assert_eq!(fold(&c.to_string()), fold_by_table(&c.to_string()), "{c}");
            }
        }
        for c in ('\u{80}'..='\u{2000}').filter(|c| !FOLD_TABLE.iter().any(|(from, _)| from.contains(*c))) {
            assert_eq!(fold_char(c), None, "{c}");
        }
    }

    #[test]
    fn german_stemming_joins_inflected_forms() {
        let de = Analyzer::new("de");
        for form in ["ziel", "ziele", "zielen", "ziels"] {
            assert_eq!(de.stem(form), "ziel", "{form}");
        }
        assert_eq!(de.stem(&fold("Übersichten")), de.stem(&fold("Ubersicht")));
        assert_eq!(de.stem(&fold("Häuser")), de.stem("hauser"));
    }

    #[test]
    fn english_stemming_joins_inflected_forms() {
        let en = Analyzer::new("en-GB");
        assert_eq!(en.stem("metrics"), en.stem("metric"));
        assert_eq!(en.stem("understanding"), "understand");
    }

    #[test]
    fn unknown_languages_and_numbers_are_not_stemmed() {
        assert_eq!(Analyzer::new("xx").stem("zielen"), "zielen");
        assert_eq!(Analyzer::new("de").stem("2024er"), "2024er");
    }
}
