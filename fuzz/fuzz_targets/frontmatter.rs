//! Fuzzes front-matter: `---` splitting, YAML -> `HomeMeta`/`StageMeta`/
//! `PageMeta` (through `assemble`, which parses each kind by the file's
//! place), and `site.yaml` -> `Config`. Never a panic; every diagnostic of
//! the file points at a real line and column of it.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use lotse::Config;
use lotse::assemble::assemble;
use lotse::error::{Diagnostic, line_col};
use lotse::frontmatter::{self, split};
use lotse::load::SourceFile;

/// Where the text is placed: home page, stage index, article, translation.
const PLACES: [&str; 4] = ["_index.md", "01-a/_index.md", "01-a/x.md", "01-a/x.en.md"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check_split(&text);
    let config = Config::parse("site.yaml", "default_language: de\nlanguages: [de, en]\n").expect("valid config");
    for rel in PLACES {
        let files = vec![
            SourceFile { rel: "01-a/_index.md".into(), text: "---\ntitle: A\n---\n".into() },
            SourceFile { rel: rel.into(), text: text.to_string() },
        ];
        let files = if rel == "01-a/_index.md" { files[1..].to_vec() } else { files };
        let (_, diags) = assemble(&config, files, true, &HashMap::new());
        let source = format!("content/{rel}");
        for d in diags.iter().filter(|d| d.path == source) {
            check_located(d, &text);
        }
    }
    if let Err(diags) = Config::parse("site.yaml", &text) {
        for d in &diags {
            check_located(d, &text);
        }
    }
});

/// The parts of a split are slices of the text, in order.
fn check_split(text: &str) {
    let Ok(s) = split("a.md", text) else { return };
    assert!(s.yaml_offset <= s.body_offset && s.body_offset <= text.len());
    assert_eq!(&text[s.yaml_offset..s.yaml_offset + s.yaml.len()], s.yaml);
    assert_eq!(&text[s.body_offset..], s.body);
    for key in ["title", "order", "date", "tags"] {
        if let Some(at) = frontmatter::key_offset(s.yaml, s.yaml_offset, key) {
            assert!(at <= text.len() && text.is_char_boundary(at), "key offset {at} of `{key}`");
        }
    }
}

/// A diagnostic names a line of the text (1-based), a column within that
/// line (1-based, at most one past its end), and shows that line.
fn check_located(d: &Diagnostic, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(d.line >= 1 && d.line <= lines.len(), "line {} of {}: {d}", d.line, lines.len());
    let line = lines[d.line - 1].strip_suffix('\r').unwrap_or(lines[d.line - 1]);
    assert!(d.col >= 1 && d.col <= line.chars().count() + 2, "col {} on {line:?}: {d}", d.col);
    assert_eq!(d.source_line, line);
    let _ = line_col(text, text.len());
    let _ = d.to_string();
}
