//! Builds that reuse the previous build's cache give exactly the files a
//! full build gives, after every kind of edit, while rendering less.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use lotse::serve::{Cache, build_cached, build_changed};
use lotse::{Options, build};

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

/// A copy of the flagship guide (content and site.yaml; the theme is built
/// in), without PDFs.
fn guide() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&repo.join("content"), &dir.path().join("content"));
    // PDFs are typeset after the pages and are not what these tests
    // compare; leaving them out keeps each of the many builds short.
    let config = fs::read_to_string(repo.join("site.yaml")).unwrap();
    assert!(config.contains("\nprint:\n"), "site.yaml has a print section");
    fs::write(dir.path().join("site.yaml"), config.replace("\nprint:\n", "\nprint:\n  pdf: false\n")).unwrap();
    dir
}

fn files(report: &lotse::Report) -> BTreeMap<String, Vec<u8>> {
    assert_eq!(report.error_count(), 0, "{:?}", report.diagnostics);
    report.files.iter().map(|f| (f.path.clone(), f.bytes.to_vec())).collect()
}

fn assert_same_as_full_build(root: &Path, cache: &mut Cache) {
    let options = Options { root: root.to_path_buf(), base_url: None, drafts: false, ..Options::default() };
    let incremental = files(&build_cached(&options, cache, false).unwrap());
    let full = files(&build(&options).unwrap());
    let differ: Vec<&String> =
        full.keys().chain(incremental.keys()).filter(|k| full.get(*k) != incremental.get(*k)).collect();
    assert!(differ.is_empty(), "incremental build differs in {differ:?}");
}

/// A copy of the flagship guide, built once into a cache.
fn cached_guide() -> (tempfile::TempDir, Options, Cache) {
    let dir = guide();
    let options = Options { root: dir.path().to_path_buf(), base_url: None, drafts: false, ..Options::default() };
    let mut cache = Cache::default();
    build_cached(&options, &mut cache, false).unwrap();
    (dir, options, cache)
}

/// Edits `rel` with `f`; panics when the edit changes nothing (a
/// replacement whose text is no longer in the guide would make the test
/// compare two identical builds).
fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    let edited = f(text.clone());
    assert_ne!(edited, text, "the edit of {rel} changed nothing: its text is not in the file");
    fs::write(path, edited).unwrap();
}

#[test]
fn cached_builds_match_full_builds_after_edits() {
    let (dir, _, mut cache) = cached_guide();
    let root = dir.path();
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

/// Every front-matter field a template shows, edited one at a time: the
/// preview (which reuses outputs whose fingerprint, the hash of the exact
/// context a template gets, did not change) gives a full build's bytes each
/// time, and the edit re-renders something.
#[test]
fn the_preview_follows_an_edit_of_every_field_a_template_shows() {
    let (dir, _, mut cache) = cached_guide();
    let root = dir.path();
    let article = "content/01-leadership/sponsor-and-mandate.md";
    let stage = "content/02-goals/_index.md";
    type Edit = (&'static str, &'static str, fn(String) -> String);
    let edits: [Edit; 18] = [
        ("title", article, |t| t.replacen("title: \"", "title: \"Neu: ", 1)),
        ("summary", article, |t| t.replacen("summary: \"", "summary: \"Kurz: ", 1)),
        ("order", article, |t| t.replacen("order: 3", "order: 99", 1)),
        ("tags", article, |t| t.replacen("tags: [", "tags: [Neu, ", 1)),
        ("roles", article, |t| t.replacen("roles: [", "roles: [sales, ", 1)),
        ("related", article, |t| t.replacen("related: [", "related: [02-goals/goal-map.md, ", 1)),
        ("date", article, |t| t.replacen("date: 2026-10-08", "date: 2026-10-09", 1)),
        ("updated", article, |t| t.replacen("date: 2026-10-09", "date: 2026-10-09\nupdated: 2026-11-30", 1)),
        ("checklist", article, |t| t.replacen("date: 2026-10-09", "date: 2026-10-09\nchecklist: false", 1)),
        ("extra", article, |t| t.replacen("date: 2026-10-09", "date: 2026-10-09\nextra: {level: 2}", 1)),
        ("owner", article, |t| t.replacen("owner: \"Projektleitung\"", "owner: \"Vertriebsleitung\"", 1)),
        ("reviewed", article, |t| t.replacen("reviewed: 2026-11-20", "reviewed: 2026-11-21", 1)),
        ("review_every", article, |t| t.replacen("review_every: \"6 months\"", "review_every: \"3 months\"", 1)),
        ("facts", article, |t| t.replacen("date: 2026-10-09", "date: 2026-10-09\nfacts: {duration: 90 min}", 1)),
        ("stage title", stage, |t| t.replacen("title: \"", "title: \"Neu: ", 1)),
        ("stage summary", stage, |t| t.replacen("summary: \"", "summary: \"Kurz: ", 1)),
        ("stage outcome", stage, |t| t.replacen("outcome: \"", "outcome: \"Neu: ", 1)),
        ("stage order", stage, |t| t.replacen("order: 2", "order: 7", 1)),
    ];
    for (field, rel, f) in edits {
        edit(root, rel, f);
        assert_same_as_full_build(root, &mut cache);
        assert!(cache.outputs_rendered > 0, "editing `{field}` re-rendered nothing");
    }
}

/// `build_changed` on the fast path (body edits of existing pages) gives
/// the files of a full build, and hands everything else to the full path.
#[test]
fn fast_path_matches_full_builds_and_falls_back_when_structure_changes() {
    let (dir, options, mut cache) = cached_guide();
    let root = dir.path();
    let total = cache.outputs_rendered;
    let changed = |rel: &str| vec![root.join(rel)];
    let fast = |cache: &mut Cache, rels: &[&str]| {
        let paths: Vec<_> = rels.iter().map(|r| root.join(r)).collect();
        let report = build_changed(&options, cache, &paths, false).unwrap();
        let full = build(&options).unwrap();
        (report, full)
    };
    let same = |a: &lotse::Report, b: &lotse::Report| {
        let (a, b) = (files(a), files(b));
        let differ: Vec<&String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        assert!(differ.is_empty(), "fast build differs in {differ:?}");
    };

    // A sentence in the middle of an article: the page and the print page.
    let ownership = "content/03-tactics/data-ownership.md";
    edit(root, ownership, |t| t.replacen("\n## ", "\nNoch ein Satz.\n\n## ", 1));
    let (report, full) = fast(&mut cache, &[ownership]);
    assert!(cache.fast_path, "a body edit takes the fast path");
    same(&report, &full);
    assert!(cache.outputs_rendered <= 3, "rendered {} of {total}", cache.outputs_rendered);

    // A new link: the target's backlinks change too.
    edit(root, ownership, |t| t.replacen("\n## ", "\nSiehe [Ziele](../02-goals/goal-map.md).\n\n## ", 1));
    let (report, full) = fast(&mut cache, &[ownership]);
    assert!(cache.fast_path);
    same(&report, &full);

    // A checklist item: handouts and exports follow; two files at once.
    let goals = "content/02-goals/goal-map.md";
    edit(root, goals, |t| t.replace("## Checkliste\n", "## Checkliste\n\n- [ ] Ein neuer Prüfpunkt\n"));
    edit(root, "content/02-goals/goal-map.en.md", |t| t.replacen("\n## ", "\nOne more sentence.\n\n## ", 1));
    let (report, full) = fast(&mut cache, &[goals, "content/02-goals/goal-map.en.md"]);
    assert!(cache.fast_path);
    same(&report, &full);

    // A broken anchor is an error at its place; fixing it builds again.
    edit(root, ownership, |t| t.replace("(process-mapping.md)", "(process-mapping.md#gibt-es-nicht)"));
    let report = build_changed(&options, &mut cache, &changed(ownership), false).unwrap();
    assert!(cache.fast_path);
    let errors: Vec<String> = report.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("content/03-tactics/data-ownership.md:14:") && errors[0].contains("#gibt-es-nicht"));
    assert!(report.files.is_empty());
    edit(root, ownership, |t| t.replace("(process-mapping.md#gibt-es-nicht)", "(process-mapping.md)"));
    let (report, full) = fast(&mut cache, &[ownership]);
    assert!(cache.fast_path);
    same(&report, &full);

    // Renaming a heading other pages link to breaks their anchors.
    let text = fs::read_to_string(root.join(goals)).unwrap();
    assert!(text.contains("\n## Kennzahlen\n"));
    edit(root, goals, |t| t.replace("\n## Kennzahlen\n", "\n## Messgrößen\n"));
    let report = build_changed(&options, &mut cache, &changed(goals), false).unwrap();
    assert!(cache.fast_path);
    let broken = report.diagnostics.iter().filter(|d| d.is_error() && d.message.contains("#kennzahlen")).count();
    assert!(broken >= 4, "anchors into the edited page are checked again: {:?}", report.diagnostics);
    fs::write(root.join(goals), text).unwrap();
    let (report, full) = fast(&mut cache, &[goals]);
    same(&report, &full);

    // Front-matter, new files and configuration take the full path.
    edit(root, ownership, |t| t.replacen("title: ", "title: Neu – ", 1));
    let (report, full) = fast(&mut cache, &[ownership]);
    assert!(!cache.fast_path, "a title edit is not a body edit");
    same(&report, &full);
    fs::write(root.join("content/06-operation/extra.md"), "---\ntitle: Extra\norder: 9\n---\nText.\n").unwrap();
    let (report, full) = fast(&mut cache, &["content/06-operation/extra.md"]);
    assert!(!cache.fast_path, "a new page is not a body edit");
    same(&report, &full);
    fs::remove_file(root.join("content/06-operation/extra.md")).unwrap();
    let (report, full) = fast(&mut cache, &["content/06-operation/extra.md"]);
    assert!(!cache.fast_path, "a deleted page is not a body edit");
    same(&report, &full);
    edit(root, "site.yaml", |t| t.replace("CRM in der Praxis\"", "CRM in der Praxis 2\""));
    let (report, full) = fast(&mut cache, &["site.yaml"]);
    assert!(!cache.fast_path);
    same(&report, &full);

    // Editor droppings that are gone again change nothing.
    edit(root, ownership, |t| t + "\nEin letzter Satz.\n");
    let (report, full) = fast(&mut cache, &[ownership, "content/03-tactics/4913", "content/03-tactics/.x.swp"]);
    assert!(cache.fast_path);
    same(&report, &full);
}

/// With the search deferred, the fast path keeps the old search files and
/// `refresh_search` brings them to what a full build has.
#[test]
fn deferred_search_catches_up() {
    let (dir, options, mut cache) = cached_guide();
    let root = dir.path();
    let before = files(&build(&options).unwrap());
    let rel = "content/03-tactics/data-ownership.md";
    edit(root, rel, |t| t.replacen("\n## ", "\nQuerschnittsverantwortungswort.\n\n## ", 1));
    let report = build_changed(&options, &mut cache, &[root.join(rel)], true).unwrap();
    assert!(cache.fast_path && report.search_pending);
    let search_before: BTreeMap<&String, &Vec<u8>> = before.iter().filter(|(p, _)| p.starts_with("search/")).collect();
    let stale = files(&report);
    assert!(search_before.iter().all(|(p, b)| stale.get(*p) == Some(b)), "search files are the old ones");
    let fresh: BTreeMap<String, Vec<u8>> =
        lotse::serve::refresh_search(&mut cache).into_iter().map(|f| (f.path, f.bytes.to_vec())).collect();
    let full = files(&build(&options).unwrap());
    let full_search: BTreeMap<String, Vec<u8>> = full.into_iter().filter(|(p, _)| p.starts_with("search/")).collect();
    assert_eq!(fresh.keys().collect::<Vec<_>>(), full_search.keys().collect::<Vec<_>>());
    assert!(fresh == full_search, "refreshed search files equal a full build's");

    // A title edit takes the full path, which defers the search index too.
    edit(root, rel, |t| t.replacen("title: ", "title: Umbenannt ", 1));
    let report = build_changed(&options, &mut cache, &[root.join(rel)], true).unwrap();
    assert!(!cache.fast_path && report.search_pending);
    let fresh: BTreeMap<String, Vec<u8>> =
        lotse::serve::refresh_search(&mut cache).into_iter().map(|f| (f.path, f.bytes.to_vec())).collect();
    let full: BTreeMap<String, Vec<u8>> =
        files(&build(&options).unwrap()).into_iter().filter(|(p, _)| p.starts_with("search/")).collect();
    assert!(fresh == full, "refreshed search files equal a full build's after a title edit");
    let report = build_changed(&options, &mut cache, &[root.join(rel)], false).unwrap();
    assert!(!report.search_pending, "without deferral the index is built in place");
}

/// Writes `text` to `root/rel`, making its folders.
fn write_file(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A stage with more articles than the stage map lists: a title edit
/// re-renders the stage page, the neighbours and the generated pages, not
/// every article of the stage, and still gives a full build's files.
#[test]
fn a_title_edit_in_a_large_stage_renders_only_what_shows_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_file(root, rel, text);
    write("site.yaml", "title: Large\ndefault_language: en\n");
    write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    write("content/01-big/_index.md", "---\ntitle: Big stage\n---\nMany articles.\n");
    for i in 0..60 {
        write(
            &format!("content/01-big/a{i:02}.md"),
            &format!("---\ntitle: Article {i:02}\norder: {i}\n---\nText {i}.\n"),
        );
    }
    let options = Options { root: root.to_path_buf(), base_url: None, drafts: false, ..Options::default() };
    let mut cache = Cache::default();
    build_cached(&options, &mut cache, false).unwrap();
    edit(root, "content/01-big/a30.md", |t| t.replace("title: Article 30", "title: Renamed"));
    assert_same_as_full_build(root, &mut cache);
    let rendered = cache.outputs_rendered;
    assert!((3..15).contains(&rendered), "rendered {rendered} outputs (a30, its neighbours, the stage page, lists)");
}

/// A stage listed over three pages (`paginate.stage: 20`): the preview
/// re-renders its listing pages when an article is added, retitled or
/// removed, and drops a page the listing no longer needs.
#[test]
fn the_preview_follows_articles_across_listing_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_file(root, rel, text);
    write("site.yaml", "title: Paged\ndefault_language: en\nprint: {pdf: false}\npaginate: {stage: 20, handout: 10}\n");
    write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    write("content/01-big/_index.md", "---\ntitle: Big stage\n---\nMany articles.\n");
    for i in 0..41 {
        let text = format!("---\ntitle: Article {i:02}\norder: {}\n---\nText {i}.\n\n- [ ] Item {i}\n", i * 10);
        write(&format!("content/01-big/a{i:02}.md"), &text);
    }
    let options = Options { root: root.to_path_buf(), base_url: None, drafts: false, ..Options::default() };
    let mut cache = Cache::default();
    let first = files(&build_cached(&options, &mut cache, false).unwrap());
    assert!(first.contains_key("01-big/page/3/index.html"), "41 articles at 20 a page are three pages");
    let listing = |files: &BTreeMap<String, Vec<u8>>, n: usize| {
        let path = if n == 1 { "01-big/index.html".to_string() } else { format!("01-big/page/{n}/index.html") };
        String::from_utf8(files[&path].clone()).unwrap()
    };

    // A retitled article on page 2.
    edit(root, "content/01-big/a25.md", |t| t.replace("title: Article 25", "title: Renamed"));
    let report = build_cached(&options, &mut cache, false).unwrap();
    assert!(listing(&files(&report), 2).contains("Renamed"));
    assert_same_as_full_build(root, &mut cache);

    // A new first article moves one article onto each later page.
    write("content/01-big/new.md", "---\ntitle: Brand new\norder: 1\n---\nNew.\n\n- [ ] New item\n");
    let report = build_cached(&options, &mut cache, false).unwrap();
    let now = files(&report);
    assert!(listing(&now, 1).contains("Brand new") && listing(&now, 2).contains("Article 19"));
    assert!(listing(&now, 3).contains("Article 39") && listing(&now, 3).contains("Article 40"));
    assert_same_as_full_build(root, &mut cache);

    // Two articles removed: 40 articles, two pages; page 3 is gone.
    fs::remove_file(root.join("content/01-big/new.md")).unwrap();
    fs::remove_file(root.join("content/01-big/a40.md")).unwrap();
    let report = build_cached(&options, &mut cache, false).unwrap();
    let now = files(&report);
    assert!(!now.contains_key("01-big/page/3/index.html"), "the third page is gone");
    assert!(!listing(&now, 2).contains("rel=\"next\""));
    assert_same_as_full_build(root, &mut cache);

    // A body edit that adds a checklist item (the cards count them) takes
    // the fast path and still updates the listing and the handout parts.
    let rel = "content/01-big/a05.md";
    edit(root, rel, |t| t + "- [ ] Another item\n");
    let report = build_changed(&options, &mut cache, &[root.join(rel)], false).unwrap();
    assert!(cache.fast_path);
    let fast = files(&report);
    assert!(listing(&fast, 1).contains("2 checklist items"));
    let full = files(&build(&options).unwrap());
    let differ: Vec<&String> = full.keys().chain(fast.keys()).filter(|k| full.get(*k) != fast.get(*k)).collect();
    assert!(differ.is_empty(), "fast build differs in {differ:?}");
}

#[test]
fn failed_builds_keep_the_markdown_for_the_fix() {
    let (dir, options, mut cache) = cached_guide();
    let root = dir.path();
    let pages = build(&options).unwrap().stats.pages;
    let pilot = "content/01-leadership/the-crm-pilot.md";
    let original = fs::read_to_string(root.join(pilot)).unwrap();

    // A YAML typo drops the page (its link environment changes) ...
    edit(root, pilot, |t| t.replacen("title: ", "title: \"Pilot\" x ", 1));
    let failed = build_changed(&options, &mut cache, &[root.join(pilot)], false).unwrap();
    assert!(failed.error_count() > 0);
    // ... a body edit elsewhere meanwhile still reports it (the kept build
    // is older than the files, so the fast path stays off) ...
    let ownership = "content/03-tactics/data-ownership.md";
    edit(root, ownership, |t| t.replacen("\n## ", "\nNoch ein Satz.\n\n## ", 1));
    let meanwhile = build_changed(&options, &mut cache, &[root.join(ownership)], false).unwrap();
    assert!(!cache.fast_path);
    assert!(meanwhile.error_count() > 0, "the typo is still reported");
    // ... and fixing the typo reuses the last good build's Markdown.
    fs::write(root.join(pilot), &original).unwrap();
    assert_same_as_full_build(root, &mut cache);
    assert_eq!(cache.markdown_reused, pages - 1, "all but the page edited meanwhile");

    // A missing related page fails without changing the environment: the
    // failed build's Markdown is kept for the fix.
    edit(root, pilot, |t| t.replacen("related: [", "related: [01-leadership/nope.md, ", 1));
    assert!(build_cached(&options, &mut cache, false).unwrap().error_count() > 0);
    fs::write(root.join(pilot), &original).unwrap();
    assert_same_as_full_build(root, &mut cache);
    assert_eq!(cache.markdown_reused, pages - 1, "all but the fixed page");
}

#[test]
fn front_matter_reformatting_takes_the_full_path() {
    let (dir, options, mut cache) = cached_guide();
    let root = dir.path();
    let mapping = "content/03-tactics/process-mapping.md";
    let warnings = |r: &lotse::Report| r.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    // The same order as data-ownership.md: a warning at `order:`.
    edit(root, mapping, |t| t.replacen("order: 2", "order: 3", 1));
    let report = build_changed(&options, &mut cache, &[root.join(mapping)], false).unwrap();
    assert!(warnings(&report).iter().any(|w| w.starts_with("content/03-tactics/process-mapping.md:4:")));
    // A comment moves that line without changing any value; the warning
    // must move with it, as in a full build.
    edit(root, mapping, |t| t.replacen("---\n", "---\n# Entwurf\n", 1));
    let report = build_changed(&options, &mut cache, &[root.join(mapping)], false).unwrap();
    assert!(!cache.fast_path, "the front-matter text changed");
    assert_eq!(warnings(&report), warnings(&build(&options).unwrap()));
}
