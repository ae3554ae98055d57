//! The flagship guide in a real browser: the scripts under `tests/browser/`
//! (Node with playwright-core and axe-core, driving Debian's Chromium) run
//! against fresh builds of the guide:
//!
//! - `a11y.js`: axe-core, WCAG 2.0/2.1 A and AA, on every page kind (home,
//!   stage, article, handout, series checklist, print, tag, role, page, 404,
//!   search with results) in light and dark mode: no violations;
//! - `nojs.js`: a `--portable` build from `file://` with JavaScript off:
//!   every link of three pages lands on a page;
//! - `mobile.js`: every page kind at 390 px: no horizontal overflow, the
//!   stage map linked from the top;
//! - `print.js`: `/print/` and `/checklists/` of both languages as A4 and
//!   (with `paper: Letter`) Letter PDFs: no page ends with a heading or
//!   title block, continued checklist pages start with the article's name;
//! - `interact.js`: a tick made by clicking an item's text shows in open tabs
//!   of the translation and the handout, a reset clears it; arrow keys, Tab
//!   and Enter in search results;
//! - `units.js`: fixed cases for the pure parts of the theme's scripts
//!   (position check scoring, answer files, team statistics; merging
//!   checklist progress files), in Node on the files the site ships;
//! - `assess.js`: the position check and progress files from `file://`
//!   with no request leaving the disk: answers, chart and scores against a
//!   hand calculation, reload, a one-page A4 result sheet, three answer
//!   files merged into the team view, ticks carried to a fresh profile.
//!
//! Needs `chromium`, `node`, poppler's `pdftotext` and `pdfinfo`, and
//! `npm ci` in `tests/browser/`; skipped with a message without them,
//! unless `LOTSE_REQUIRE_BROWSER` is set (as in `.ci/run`): then it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The builds the scripts look at, made once per test run.
struct Builds {
    _tmp: tempfile::TempDir,
    public: PathBuf,
    portable: PathBuf,
    letter: PathBuf,
}

fn build(root: &Path, out: &Path, extra: &[&str]) {
    let run = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(run.status.success(), "build failed: {}", String::from_utf8_lossy(&run.stderr));
}

fn builds() -> &'static Builds {
    static BUILDS: OnceLock<Builds> = OnceLock::new();
    BUILDS.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let guide = Path::new(env!("CARGO_MANIFEST_DIR"));
        let public = tmp.path().join("public");
        let portable = tmp.path().join("portable");
        let letter = tmp.path().join("letter");
        build(guide, &public, &[]);
        build(guide, &portable, &["--portable"]);
        // The same guide with `paper: Letter`.
        let root = tmp.path().join("letter-site");
        common::copy_tree(&guide.join("content"), &root.join("content"));
        let yaml = std::fs::read_to_string(guide.join("site.yaml")).unwrap();
        assert!(yaml.contains("paper: A4"), "site.yaml names its paper");
        std::fs::write(root.join("site.yaml"), yaml.replace("paper: A4", "paper: Letter")).unwrap();
        build(&root, &letter, &[]);
        Builds { _tmp: tmp, public, portable, letter }
    })
}

/// Runs `node tests/browser/SCRIPT ARGS` (one browser at a time) and fails
/// with its report unless it succeeds.
fn node(test: &str, script: &str, args: &[&Path], extra: &[&str]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !common::have_browser_tools(test, &["node", "chromium", "pdftotext", "pdfinfo"]) {
        return;
    }
    if !dir.join("node_modules/playwright-core").is_dir() || !dir.join("node_modules/axe-core").is_dir() {
        assert!(
            std::env::var_os("LOTSE_REQUIRE_BROWSER").is_none(),
            "{test}: LOTSE_REQUIRE_BROWSER is set but tests/browser/node_modules is missing (cd tests/browser && npm ci)"
        );
        eprintln!("SKIPPED {test}: run `npm ci` in tests/browser first");
        return;
    }
    static ONE_BROWSER: Mutex<()> = Mutex::new(());
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let out = Command::new("node").arg(dir.join(script)).args(args).args(extra).current_dir(&dir).output().unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{test}:\n{report}");
    eprint!("{report}");
}

#[test]
fn every_page_kind_passes_axe_wcag_a_and_aa_in_light_and_dark_mode() {
    node("axe", "a11y.js", &[&builds().public], &[]);
}

#[test]
fn a_portable_build_is_navigable_from_disk_without_javascript() {
    node("nojs", "nojs.js", &[&builds().portable], &[]);
}

#[test]
fn no_page_kind_scrolls_sideways_at_390_px() {
    node("mobile", "mobile.js", &[&builds().public], &[]);
}

#[test]
fn guide_and_series_checklist_print_without_a_heading_at_a_page_end_on_a4() {
    let out = tempfile::tempdir().unwrap();
    node("print A4", "print.js", &[&builds().public], &["A4", out.path().to_str().unwrap()]);
}

#[test]
fn guide_and_series_checklist_print_without_a_heading_at_a_page_end_on_letter() {
    let out = tempfile::tempdir().unwrap();
    node("print Letter", "print.js", &[&builds().letter], &["Letter", out.path().to_str().unwrap()]);
}

#[test]
fn scoring_team_statistics_and_progress_merging_pass_their_fixed_cases_in_node() {
    node("units", "units.js", &[], &[]);
}

#[test]
fn position_check_scores_prints_and_merges_files_and_progress_travels_from_disk_without_requests() {
    let out = tempfile::tempdir().unwrap();
    node("assess", "assess.js", &[&builds().public], &[out.path().to_str().unwrap()]);
}

#[test]
fn ticks_reach_open_tabs_and_translations_and_search_results_work_from_the_keyboard() {
    node("interact", "interact.js", &[&builds().public], &[]);
}
