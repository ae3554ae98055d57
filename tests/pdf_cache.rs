//! The PDF cache of `lotse build` (`<root>/.lotse/cache/pdf/`): a second
//! build reads every PDF from it and writes the same bytes; damaged entries
//! are typeset again; entries no build uses are removed; a cache that
//! cannot be written is skipped without a word.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{SITE, Site, tree};

const CACHE: &str = ".lotse/cache/pdf";

/// Builds the site with `LOTSE_TIMINGS` set; returns the PDFs written and
/// the cache counts from the timings: (read from the cache, typeset).
fn build(site: &Site) -> (BTreeMap<String, Vec<u8>>, (usize, usize)) {
    let out = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", SITE])
        .current_dir(site.tmp.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LOTSE_TIMINGS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let line = stderr.lines().find_map(|l| l.strip_prefix("PDFs: ")).unwrap_or_else(|| panic!("{stderr}"));
    let numbers: Vec<usize> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    assert!(!stderr.contains("warning") && !stderr.contains("error"), "{stderr}");
    let pdfs = tree(&site.public()).into_iter().filter(|(p, _)| p.ends_with(".pdf")).collect();
    (pdfs, (numbers[0], numbers[1]))
}

fn entries(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.path(CACHE))
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_second_build_reads_every_pdf_from_the_cache_and_writes_the_same_bytes() {
    let site = Site::from_fixture("pdf-images");
    let (first, counts) = build(&site);
    let n = first.len();
    assert!(n >= 3, "{:?}", first.keys());
    assert_eq!(counts, (0, n), "a cold build typesets every PDF");
    assert_eq!(entries(&site).len(), n);
    let (second, counts) = build(&site);
    assert_eq!(counts, (n, 0), "a warm build typesets none");
    assert!(first == second, "PDFs from the cache differ from typeset ones");
}

#[test]
fn damaged_entries_are_typeset_again() {
    let site = Site::from_fixture("pdf-images");
    let (first, _) = build(&site);
    let names = entries(&site);
    let dir = site.path(CACHE);
    // One cut short, one emptied, one with a byte changed.
    let path = |i: usize| dir.join(&names[i]);
    let bytes = fs::read(path(0)).unwrap();
    fs::write(path(0), &bytes[..bytes.len() / 2]).unwrap();
    fs::write(path(1), b"").unwrap();
    let mut flipped = fs::read(path(2)).unwrap();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x20;
    fs::write(path(2), flipped).unwrap();
    let (second, counts) = build(&site);
    assert_eq!(counts, (first.len() - 3, 3));
    assert!(first == second, "a damaged entry changed a PDF");
    let (_, counts) = build(&site);
    assert_eq!(counts, (first.len(), 0), "the damaged entries were written again");
}

#[test]
fn entries_no_build_uses_are_removed() {
    let site = Site::from_fixture("pdf-images");
    let (first, _) = build(&site);
    let before = entries(&site);
    site.write(&format!("{CACHE}/stale.tmp-1"), b"left by a killed build");
    let page = site.read("content/_index.md");
    site.write("content/_index.md", format!("{page}\nA new paragraph.\n"));
    let (second, counts) = build(&site);
    let changed = first.iter().filter(|(p, b)| second.get(*p) != Some(b)).count();
    assert_eq!(changed, 1, "the edit changes the guide alone");
    assert_eq!(counts, (first.len() - changed, changed));
    let after = entries(&site);
    assert_eq!(after.len(), first.len(), "{after:?}");
    assert_eq!(before.iter().filter(|e| !after.contains(e)).count(), changed, "the old entries are gone");
}

#[test]
fn an_unwritable_cache_is_skipped_silently() {
    let site = Site::from_fixture("pdf-images");
    // A file where the cache folder would go (permissions do not stop root).
    site.write(".lotse", b"");
    let (first, counts) = build(&site);
    assert_eq!(counts, (0, first.len()));
    assert!(Path::new(&site.path(".lotse")).is_file());
    let (_, counts) = build(&site);
    assert_eq!(counts, (0, first.len()), "nothing was cached");
}
