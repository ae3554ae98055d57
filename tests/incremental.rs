//! Builds that reuse the previous build's cache give exactly the files a
//! full build gives, after every kind of edit, while rendering less.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use lotse::cache::Cache;
use lotse::{Options, build, build_cached};

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A copy of the flagship guide (content and site.yaml; the theme is built in).
fn guide() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&repo.join("content"), &dir.path().join("content"));
    fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    dir
}

fn files(report: &lotse::Report) -> BTreeMap<String, Vec<u8>> {
    assert_eq!(report.error_count(), 0, "{:?}", report.diagnostics);
    report.files.iter().map(|f| (f.path.clone(), f.bytes.to_vec())).collect()
}

fn assert_same_as_full_build(root: &Path, cache: &mut Cache) {
    let options = Options { root: root.to_path_buf(), base_url: None, drafts: false };
    let incremental = files(&build_cached(&options, cache).unwrap());
    let full = files(&build(&options).unwrap());
    let differ: Vec<&String> =
        full.keys().chain(incremental.keys()).filter(|k| full.get(*k) != incremental.get(*k)).collect();
    assert!(differ.is_empty(), "incremental build differs in {differ:?}");
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(path, f(text)).unwrap();
}

#[test]
fn cached_builds_match_full_builds_after_edits() {
    let dir = guide();
    let root = dir.path();
    let options = Options { root: root.to_path_buf(), base_url: None, drafts: false };
    let mut cache = Cache::default();
    build_cached(&options, &mut cache).unwrap();
    let total = cache.outputs_rendered;

    // A body edit: one more paragraph and one more checklist item.
    edit(root, "content/02-goals/goal-map.md", |t| {
        t.replace("## Checkliste\n", "## Checkliste\n\nEin neuer Absatz.\n\n- [ ] Ein neuer Prüfpunkt\n")
    });
    assert_same_as_full_build(root, &mut cache);
    assert!(cache.markdown_reused > 0);

    // A body edit that changes nothing others show: only a few outputs render.
    edit(root, "content/03-tactics/data-ownership.md", |t| t.replacen("\n## ", "\nNoch ein Satz.\n\n## ", 1));
    assert_same_as_full_build(root, &mut cache);
    assert!(cache.outputs_rendered < total / 4, "rendered {} of {total}", cache.outputs_rendered);

    // A title change shows up in the stage map, neighbours, backlinks.
    edit(root, "content/01-leadership/the-crm-pilot.md", |t| t.replacen("title: ", "title: Neu – ", 1));
    assert_same_as_full_build(root, &mut cache);

    // A new page and a deleted page.
    fs::write(root.join("content/06-operation/extra.md"), "---\ntitle: Extra\norder: 9\n---\nText.\n\n- [ ] Punkt\n")
        .unwrap();
    assert_same_as_full_build(root, &mut cache);
    fs::remove_file(root.join("content/06-operation/extra.md")).unwrap();
    assert_same_as_full_build(root, &mut cache);

    // A configuration change re-renders everything.
    edit(root, "site.yaml", |t| t.replace("CRM in der Praxis\"", "CRM in der Praxis 2\""));
    assert_same_as_full_build(root, &mut cache);
}
