//! The flagship guide's running example (Hallmann Industrieteile) must not
//! contradict itself. The home page (`content/_index.md` and its English
//! translation) carries the example's key figures in tables with the same
//! three columns (label, value, the articles that state the figure), grouped
//! by topic. This test reads them in both languages and checks that
//!
//! - both languages name the same figures, row by row, with the same numbers
//!   and the same articles;
//! - every listed article states the figure's value;
//! - where the value names its label in italics (`4.800 *aktive Kunden*`),
//!   no page of that language puts another number directly in front of that
//!   label ("5.000 aktive Kunden" next to a table value of 4.800 fails).

use std::fs;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    De,
    En,
}

#[derive(Debug)]
struct Figure {
    /// The label cell as written.
    label: String,
    /// Words of the italic part of the value, if any: the phrase that
    /// follows the number in the text.
    scan: Option<Vec<String>>,
    /// The value cell as written.
    value: String,
    /// The value's number.
    number: f64,
    /// The value is a percentage.
    percent: bool,
    /// Linked articles, relative to `content/`.
    articles: Vec<String>,
}

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn home_page(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "_index.md",
        Lang::En => "_index.en.md",
    }
}

fn header_of_articles_column(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Beiträge",
        Lang::En => "Articles",
    }
}

/// The cells of a Markdown table row, trimmed.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// Link targets `](target)` in a cell, without anchors.
fn link_targets(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').expect("unclosed link in the figures table");
        let target = after[..end].split('#').next().unwrap().to_string();
        out.push(target);
        rest = &after[end..];
    }
    out
}

/// The italic part of a value cell (`*...*`), split into words.
fn italic_words(label: &str) -> Option<Vec<String>> {
    let start = label.find('*')?;
    let rest = &label[start + 1..];
    let end = rest.find('*')?;
    let words: Vec<String> = rest[..end].split_whitespace().map(str::to_lowercase).collect();
    (!words.is_empty()).then_some(words)
}

fn number_word(word: &str, lang: Lang) -> Option<f64> {
    let w = word.to_lowercase();
    let table: &[(&[&str], f64)] = match lang {
        Lang::De => &[
            // "ein", "eine", "einem" … are far more often articles than numbers.
            (&["eins"], 1.0),
            (&["zwei"], 2.0),
            (&["drei"], 3.0),
            (&["vier"], 4.0),
            (&["fünf"], 5.0),
            (&["sechs"], 6.0),
            (&["sieben"], 7.0),
            (&["acht"], 8.0),
            (&["neun"], 9.0),
            (&["zehn"], 10.0),
            (&["elf"], 11.0),
            (&["zwölf"], 12.0),
        ],
        Lang::En => &[
            (&["one"], 1.0),
            (&["two"], 2.0),
            (&["three"], 3.0),
            (&["four"], 4.0),
            (&["five"], 5.0),
            (&["six"], 6.0),
            (&["seven"], 7.0),
            (&["eight"], 8.0),
            (&["nine"], 9.0),
            (&["ten"], 10.0),
            (&["eleven"], 11.0),
            (&["twelve"], 12.0),
        ],
    };
    table.iter().find(|(words, _)| words.contains(&w.as_str())).map(|(_, n)| *n)
}

/// Parses a run of digits and separators in the language's convention:
/// German `4.800` and `1,1`, English `4,800` and `1.1`.
fn parse_digits(run: &str, lang: Lang) -> Option<f64> {
    let (thousands, decimal) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut groups = run.split(thousands);
    let first = groups.next()?;
    let mut whole = first.to_string();
    let mut tail = None;
    for g in groups {
        // A thousands group has exactly three digits (the last may carry a decimal part).
        let (digits, frac) = match g.split_once(decimal) {
            Some((d, f)) => (d, Some(f)),
            None => (g, None),
        };
        if digits.len() != 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        whole.push_str(digits);
        if let Some(f) = frac {
            tail = Some(f.to_string());
        }
    }
    if let Some((w, f)) = whole.clone().split_once(decimal) {
        whole = w.to_string();
        tail = Some(f.to_string());
    }
    let text = match tail {
        Some(f) => format!("{whole}.{f}"),
        None => whole,
    };
    text.parse().ok()
}

/// Numbers written with digits in `text`, with the byte offset just past
/// each. A number glued to a letter (`R1`, `Q3`) is not a number here.
fn digit_numbers(text: &str, lang: Lang) -> Vec<(f64, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let glued = text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric());
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b',') {
                i += 1;
            }
            let mut end = i;
            while end > start && (bytes[end - 1] == b'.' || bytes[end - 1] == b',') {
                end -= 1;
            }
            let glued_after = text[end..].chars().next().is_some_and(|c| c.is_alphabetic());
            if !glued
                && !glued_after
                && let Some(n) = parse_digits(&text[start..end], lang)
            {
                out.push((n, end));
            }
        } else {
            i += 1;
        }
    }
    out
}

fn is_percent_after(rest: &str) -> bool {
    let r = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    r.starts_with('%') || r.starts_with("Prozent") || r.starts_with("percent") || r.starts_with("per cent")
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Does `text` state the figure's value?
fn states_value(text: &str, figure: &Figure, lang: Lang) -> bool {
    let by_digits = digit_numbers(text, lang)
        .into_iter()
        .any(|(n, end)| same(n, figure.number) && (!figure.percent || is_percent_after(&text[end..])));
    let by_word = !figure.percent
        && text
            .split_whitespace()
            .map(clean_word)
            .any(|w| number_word(&w, lang).is_some_and(|n| same(n, figure.number)));
    by_digits || by_word
}

/// A word without the Markdown and punctuation around it.
fn clean_word(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '-').to_string()
}

fn parse_table(lang: Lang) -> Vec<Figure> {
    let path = content_dir().join(home_page(lang));
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Every table whose third column is headed "Beiträge" / "Articles" is
    // part of the figures table (the home page groups it in several tables).
    let headers: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let c = cells(l);
            l.trim_start().starts_with('|') && c.len() == 3 && c[2] == header_of_articles_column(lang)
        })
        .map(|(i, _)| i)
        .collect();
    assert!(!headers.is_empty(), "{}: no table with a column `{}`", path.display(), header_of_articles_column(lang));
    let mut figures = Vec::new();
    for header in headers {
        for line in lines[header + 2..].iter().take_while(|l| l.trim_start().starts_with('|')) {
            let c = cells(line);
            assert_eq!(c.len(), 3, "{}: row without three cells: {line}", path.display());
            let numbers = digit_numbers(&c[1], lang);
            let (number, _) =
                *numbers.first().unwrap_or_else(|| panic!("{}: no number in value `{}`", path.display(), c[1]));
            let articles = link_targets(&c[2]);
            assert!(!articles.is_empty(), "{}: figure `{}` lists no article", path.display(), c[0]);
            figures.push(Figure {
                label: c[0].clone(),
                scan: italic_words(&c[1]),
                value: c[1].clone(),
                number,
                percent: c[1].contains('%'),
                articles,
            });
        }
    }
    assert!(figures.len() >= 10, "{}: only {} figures in the table", path.display(), figures.len());
    figures
}

/// Every page of one language, relative to `content/`.
fn pages(lang: Lang) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|e| e == "md") {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let base = content_dir();
    let mut all = Vec::new();
    walk(&base, &base, &mut all);
    all.retain(|p| p.ends_with(".en.md") == (lang == Lang::En));
    all.sort();
    all
}

/// Without the language suffix, so that `a.md` and `a.en.md` compare equal.
fn language_neutral(article: &str) -> String {
    article.strip_suffix(".en.md").map_or_else(|| article.to_string(), |s| format!("{s}.md"))
}

/// `word` is `label_word` or an inflected form of it (`aktiven` for
/// `aktive`): at most two more letters, and only for words of three letters
/// or more, so that `a` does not match `active`.
fn inflects(word: &str, label_word: &str) -> bool {
    word == label_word
        || (label_word.chars().count() >= 3
            && word
                .strip_prefix(label_word)
                .is_some_and(|rest| rest.chars().count() <= 2 && rest.chars().all(char::is_alphabetic)))
}

/// Places where a number stands directly in front of `label` but is not
/// `expected`: `(page, number as written, context)`.
fn labelled_mismatches(text: &str, label: &[String], expected: f64, lang: Lang) -> Vec<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for i in 0..words.len() {
        let w = clean_word(words[i]);
        let n = digit_numbers(&w, lang)
            .first()
            .filter(|(_, end)| *end == w.len())
            .map(|(n, _)| *n)
            .or_else(|| number_word(&w, lang));
        let Some(n) = n else { continue };
        let follows = label
            .iter()
            .enumerate()
            .all(|(k, l)| words.get(i + 1 + k).is_some_and(|t| inflects(&clean_word(t).to_lowercase(), l)));
        if follows && !same(n, expected) {
            let context = words[i.saturating_sub(3)..(i + 1 + label.len() + 3).min(words.len())].join(" ");
            out.push((words[i].to_string(), context));
        }
    }
    out
}

#[test]
fn both_languages_name_the_same_figures() {
    let de = parse_table(Lang::De);
    let en = parse_table(Lang::En);
    let mut problems = Vec::new();
    if de.len() != en.len() {
        problems.push(format!("German table has {} figures, English table {}", de.len(), en.len()));
    }
    for (i, (d, e)) in de.iter().zip(&en).enumerate() {
        if !same(d.number, e.number) || d.percent != e.percent {
            problems.push(format!("row {}: `{}` = `{}` but `{}` = `{}`", i + 1, d.label, d.value, e.label, e.value));
        }
        let da: Vec<String> = d.articles.iter().map(|a| language_neutral(a)).collect();
        let ea: Vec<String> = e.articles.iter().map(|a| language_neutral(a)).collect();
        if da != ea {
            problems.push(format!("row {}: `{}` lists {da:?} but `{}` lists {ea:?}", i + 1, d.label, e.label));
        }
        if d.scan.is_some() != e.scan.is_some() {
            problems.push(format!(
                "row {}: only one language marks a label to scan (`{}` / `{}`)",
                i + 1,
                d.label,
                e.label
            ));
        }
    }
    assert!(problems.is_empty(), "the two figures tables differ:\n{}", problems.join("\n"));
}

#[test]
fn every_listed_article_states_the_figure() {
    let mut problems = Vec::new();
    for lang in [Lang::De, Lang::En] {
        for figure in parse_table(lang) {
            for article in &figure.articles {
                let path = content_dir().join(article);
                let Ok(text) = fs::read_to_string(&path) else {
                    problems.push(format!(
                        "{}: figure `{}` lists `{article}`, which does not exist",
                        home_page(lang),
                        figure.label
                    ));
                    continue;
                };
                if !states_value(&text, &figure, lang) {
                    problems.push(format!("{article}: does not state `{}` = `{}`", figure.label, figure.value));
                }
            }
        }
    }
    assert!(problems.is_empty(), "articles that do not agree with the figures table:\n{}", problems.join("\n"));
}

#[test]
fn no_page_attaches_another_number_to_a_figure() {
    let mut problems = Vec::new();
    for lang in [Lang::De, Lang::En] {
        let figures = parse_table(lang);
        for page in pages(lang) {
            let text = fs::read_to_string(content_dir().join(&page)).unwrap();
            for figure in &figures {
                let Some(label) = &figure.scan else { continue };
                for (number, context) in labelled_mismatches(&text, label, figure.number, lang) {
                    problems.push(format!(
                        "{page}: `{number}` before `{}`, table says `{}`: …{context}…",
                        label.join(" "),
                        figure.value
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "pages that contradict the figures table:\n{}", problems.join("\n"));
}

#[test]
fn the_number_reader_follows_each_language() {
    assert_eq!(digit_numbers("rund 4.800 aktive Kunden", Lang::De)[0].0, 4800.0);
    assert_eq!(digit_numbers("1,1 pro Woche", Lang::De)[0].0, 1.1);
    assert_eq!(digit_numbers("1.386.000 Euro.", Lang::De)[0].0, 1_386_000.0);
    assert_eq!(digit_numbers("€4,800.", Lang::En)[0].0, 4800.0);
    assert_eq!(digit_numbers("13.2%", Lang::En)[0].0, 13.2);
    assert!(digit_numbers("R1 und Q3", Lang::De).is_empty());
    let label = vec!["aktive".to_string(), "kunden".to_string()];
    assert_eq!(labelled_mismatches("mit 5.000 aktiven Kunden", &label, 4800.0, Lang::De).len(), 1);
    assert!(labelled_mismatches("mit 4.800 aktiven Kunden", &label, 4800.0, Lang::De).is_empty());
    assert_eq!(labelled_mismatches("zwölf aktive Kunden", &label, 4800.0, Lang::De).len(), 1);
    let label = vec!["a".to_string(), "customers".to_string()];
    assert!(labelled_mismatches("4,800 active customers", &label, 320.0, Lang::En).is_empty());
}
