//! `lotse import`: one small fixture site per source tool (written for
//! these tests) is imported with the binary; the new site must pass
//! `lotse check` and build, the source must be unchanged, and the report
//! and converted pages are compared with snapshots.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture_dir, lotse, tree};

/// Imports fixture `tool` into a fresh folder; its stdout and the new site.
fn import(tool: &str, extra: &[&str]) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = fixture_dir(&format!("import/{tool}"));
    let before = tree(&src);
    let src_arg = src.to_string_lossy().into_owned();
    let mut args = vec!["import", "--from", tool, &src_arg, "new"];
    args.extend_from_slice(extra);
    let run = lotse(tmp.path(), &args);
    assert_eq!(run.code, 0, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert_eq!(tree(&src), before, "the source site was changed");
    assert!(run.stdout.contains("running lotse check --root new\nchecked "), "{}", run.stdout);
    let build = lotse(tmp.path(), &["build", "--root", "new"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    (tmp, run.stdout)
}

/// Every Markdown file of the new site with its path, in path order.
fn pages(site: &Path) -> String {
    let mut out = String::new();
    for (rel, bytes) in tree(&site.join("content")) {
        if rel.ends_with(".md") {
            out.push_str(&format!("==> content/{rel}\n{}\n", String::from_utf8_lossy(&bytes)));
        }
    }
    out
}

fn report(site: &Path) -> String {
    fs::read_to_string(site.join("IMPORT-REPORT.md")).expect("IMPORT-REPORT.md")
}

/// The imported site's files (not what the build made: the output and the
/// PDF cache).
fn files(site: &Path) -> Vec<String> {
    tree(site).into_keys().filter(|k| !k.starts_with("public/") && !k.starts_with(".lotse/")).collect()
}

/// Snapshots of an imported site: `<tool>_report`, `_pages`, `_files`.
fn assert_snapshots(tool: &str, site: &Path) {
    insta::assert_snapshot!(format!("{tool}_report"), report(site));
    insta::assert_snapshot!(format!("{tool}_pages"), pages(site));
    insta::assert_debug_snapshot!(format!("{tool}_files"), files(site));
}

#[test]
fn imports_a_hugo_site() {
    let (tmp, stdout) = import("hugo", &[]);
    let site = tmp.path().join("new");
    assert!(stdout.contains("content/docs/install.md:17: Hugo shortcode `youtube`"), "{stdout}");
    assert_snapshots("hugo", &site);
}

#[test]
fn imports_a_zola_site() {
    let (tmp, _) = import("zola", &[]);
    let site = tmp.path().join("new");
    assert_snapshots("zola", &site);
}

#[test]
fn imports_a_jekyll_site() {
    let (tmp, _) = import("jekyll", &[]);
    let site = tmp.path().join("new");
    assert_snapshots("jekyll", &site);
}

#[test]
fn jekyll_stages_from_a_front_matter_field() {
    let (tmp, _) = import("jekyll", &["--stage-field", "categories"]);
    let site = tmp.path().join("new");
    let names: Vec<String> = files(&site).into_iter().filter(|f| f.starts_with("content/")).collect();
    assert!(names.contains(&"content/01-news/launch.md".to_string()), "{names:?}");
    assert!(names.contains(&"content/docs-faq.md".to_string()), "{names:?}");
}

#[test]
fn imports_an_mdbook() {
    let (tmp, _) = import("mdbook", &[]);
    let site = tmp.path().join("new");
    assert_snapshots("mdbook", &site);
}

#[test]
fn imports_an_obsidian_vault() {
    let (tmp, _) = import("obsidian", &[]);
    let site = tmp.path().join("new");
    assert_snapshots("obsidian", &site);
}

#[test]
fn obsidian_stages_follow_an_order_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::write(tmp.path().join("order.txt"), "2 Deliver\n1 Discover\n").expect("write");
    let src = fixture_dir("import/obsidian").to_string_lossy().into_owned();
    let run = lotse(tmp.path(), &["import", "--from", "obsidian", "--order-file", "order.txt", &src, "new"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("new/content/01-deliver/release.md").is_file());
    assert!(tmp.path().join("new/content/02-discover/interview-guide.md").is_file());
}

#[test]
fn refuses_a_non_empty_destination_and_one_inside_the_source() {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::create_dir(tmp.path().join("full")).expect("mkdir");
    fs::write(tmp.path().join("full/keep.txt"), "mine").expect("write");
    let src = fixture_dir("import/hugo").to_string_lossy().into_owned();
    let run = lotse(tmp.path(), &["import", "--from", "hugo", &src, "full"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: full is not empty; `lotse import` writes a new site into an empty or new folder\n");
    assert_eq!(fs::read_to_string(tmp.path().join("full/keep.txt")).expect("read"), "mine");
    common::copy_tree(&fixture_dir("import/zola"), &tmp.path().join("zola"));
    let run = lotse(tmp.path(), &["import", "--from", "zola", "zola", "zola/new"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is inside the source folder"), "{}", run.stderr);
    assert!(!tmp.path().join("zola/new").exists());
}
