//! Fuzzes a whole build from an in-memory tree (`lotse::build_input`, no
//! disk). The input is a small text archive:
//!
//! ```text
//! site.yaml text (optional; a two-language default if it does not parse)
//! === 01-a/x.md
//! file text
//! === 01-a/img.png
//! asset bytes
//! ```
//!
//! A text without `===` lines is one article next to a fixed home and stage.
//! Never a panic; output paths stay inside the output folder and are unique;
//! every diagnostic has a path and a 1-based position.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use lotse::Config;
use lotse::load::{Asset, Input, SourceFile, is_ignored};

const DEFAULT_CONFIG: &str = "title: Fuzz\ndefault_language: de\nlanguages: [de, en]\n";

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let (config_text, files) = unpack(&text);
    let config = Config::parse("site.yaml", config_text)
        .or_else(|_| Config::parse("site.yaml", DEFAULT_CONFIG))
        .expect("default config parses");
    let mut input = Input { config: Some(config_text.to_string()), ..Input::default() };
    for (rel, body) in files {
        if rel.ends_with(".md") {
            input.markdown.push(SourceFile { rel, text: body.to_string() });
        } else {
            input.content_assets.push(Asset { rel, bytes: body.as_bytes().to_vec() });
        }
    }
    let report = lotse::build_input(input, config, None, flags & 1 == 1);
    for d in &report.diagnostics {
        assert!(!d.path.is_empty() && d.line >= 1 && d.col >= 1, "unlocated: {d:?}");
        let _ = d.to_string();
    }
    if report.error_count() > 0 {
        assert!(report.files.is_empty(), "a failed build produced files");
        return;
    }
    let mut seen = HashSet::new();
    for f in &report.files {
        check_output_path(&f.path);
        assert!(seen.insert(f.path.as_str()), "two output files at `{}`", f.path);
    }
});

/// Splits the archive into the config text and `(path, text)` files, as
/// the loader would see them: sorted, unique, no hidden or empty segments.
fn unpack(text: &str) -> (&str, Vec<(String, &str)>) {
    let mut parts = text.split("\n=== ");
    let config = parts.next().unwrap_or("");
    let mut files: Vec<(String, &str)> = Vec::new();
    let mut any = false;
    for part in parts {
        any = true;
        let (path, body) = part.split_once('\n').unwrap_or((part, ""));
        let path = path.trim();
        let ok = !path.is_empty()
            && path.len() <= 200
            && path.split('/').count() <= 3
            && path.split('/').all(|s| !s.is_empty() && s != ".." && !is_ignored(s) && !s.contains('\0'));
        if ok && !files.iter().any(|(p, _)| p == path) {
            files.push((path.to_string(), body));
        }
    }
    if !any {
        files.push(("_index.md".into(), "---\ntitle: Home\n---\n"));
        files.push(("01-a/_index.md".into(), "---\ntitle: A\n---\n"));
        files.push(("01-a/x.md".into(), config));
        files.sort();
        return (DEFAULT_CONFIG, files);
    }
    files.sort();
    (config, files)
}

/// An output path is relative and has no empty, `.` or `..` segment and no
/// NUL, so it stays inside the output folder.
fn check_output_path(path: &str) {
    assert!(!path.is_empty() && !path.starts_with('/'), "output path `{path}`");
    for seg in path.split('/') {
        assert!(!seg.is_empty() && seg != "." && seg != "..", "output path `{path}` has segment `{seg}`");
        assert!(!seg.contains('\0'), "output path `{path}`");
    }
}
