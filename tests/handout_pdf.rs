//! Prints every stage handout of the flagship guide to PDF with headless
//! Chromium and checks the paper, the pages and that every item is there.
//! Skipped (with a message) where `chromium` or poppler's tools are missing,
//! unless `LOTSE_REQUIRE_BROWSER` is set (as in `.ci/run`): then it fails.

mod common;

use common::{compact, print_pdf, run_tool};

use std::path::{Path, PathBuf};
use std::process::Command;

fn build_guide(out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--out"])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
}

fn handouts(public: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for base in [public.to_path_buf(), public.join("en")] {
        for entry in std::fs::read_dir(&base).unwrap().flatten() {
            let h = entry.path().join("checklist/index.html");
            if h.exists() {
                found.push(h);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn stage_handouts_print_as_clean_a4_with_every_item() {
    if !common::have_browser_tools(
        "stage_handouts_print_as_clean_a4_with_every_item",
        &["chromium", "pdftotext", "pdfinfo"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_guide(&public);
    let handouts = handouts(&public);
    assert_eq!(handouts.len(), 12, "six stages in two languages");
    for html in handouts {
        let pdf = html.with_extension("pdf");
        print_pdf(&html, &pdf);
        let p = pdf.to_str().unwrap();
        let info = run_tool("pdfinfo", &[p]);
        assert!(info.contains("(A4)"), "{}: not A4:\n{info}", html.display());
        let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
        let text = compact(&run_tool("pdftotext", &[p, "-"]));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(html.with_file_name("checklist.json")).unwrap()).unwrap();
        let items = json["items"].as_array().unwrap();
        assert!(items.len() >= 18, "{}: only {} items", html.display(), items.len());
        for item in items {
            let want = compact(item["item"].as_str().unwrap());
            assert!(text.contains(&want), "{}: item missing from PDF: {}", html.display(), item["item"]);
        }
        let last = pages.to_string();
        let last_page = run_tool("pdftotext", &["-f", &last, "-l", &last, p, "-"]);
        let body = compact(&last_page.replace("CRM in der Praxis", "").replace(&format!("{pages} / {pages}"), ""));
        assert!(body.len() > 40, "{}: last page {pages} is (nearly) empty: {last_page:?}", html.display());
    }
}
