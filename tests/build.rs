//! Building fixture sites: one small site per feature under
//! `tests/fixtures/<feature>/`, built with the real binary in a clean
//! environment. The `<main>` element of a few pages is snapshotted with insta.

mod common;

use std::fs;

use common::{Site, assert_summary, build_fixture, entries, is_external, main_element, resolve, tree, urls};

/// Every `.html` file of an output folder, by path, as text.
fn html_pages(site: &Site) -> Vec<(String, String)> {
    tree(&site.public())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("HTML is UTF-8")))
        .collect()
}

/// The `href` of the `<a ... rel="REL" href="...">` link of a page's pager.
fn pager_href<'a>(html: &'a str, rel: &str) -> Option<&'a str> {
    let at = html.find(&format!("rel=\"{rel}\" href=\""))?;
    let rest = &html[at + rel.len() + 13..];
    Some(&rest[..rest.find('"')?])
}

/// The `<ul class="lang-switch">` element of a page.
fn language_switcher(html: &str) -> &str {
    let start = html.find("<ul class=\"lang-switch\"").expect("page has a language switcher");
    let end = html[start..].find("</ul>").expect("switcher is closed") + start;
    &html[start..end]
}

// Two languages: stage order, previous/next, language switcher, translations.

#[test]
fn orders_stages_by_front_matter_then_folder_prefix_and_articles_by_order() {
    let (site, _) = build_fixture("two-languages", &[]);
    let home = site.output("index.html");
    let cards: Vec<&str> = home
        .match_indices("class=\"stage-card-head\" href=\"")
        .map(|(i, m)| {
            let rest = &home[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(cards, ["01-plan/", "02-do/", "review/"]);
    let stage = site.output("01-plan/index.html");
    let ziele = stage.find("href=\"ziele/\"").expect("stage lists Ziele");
    let auftrag = stage.find("href=\"auftrag/\"").expect("stage lists Auftrag");
    assert!(ziele < auftrag, "`order: 1` must come before `order: 2`, whatever the file names");
    assert!(site.output("review/index.html").contains("<p class=\"eyebrow\">Etappe 3 / 3</p>"));
    assert!(site.output("en/review/index.html").contains("<p class=\"eyebrow\">Stage 3 / 3</p>"));
}

#[test]
fn links_previous_and_next_across_stage_boundaries_in_each_language() {
    let (site, _) = build_fixture("two-languages", &[]);
    let page = |p: &str| site.output(&format!("{p}/index.html"));
    // German: stage 1 ends with the untranslated page, then stage 2 begins.
    let last_de = page("01-plan/nur-deutsch");
    assert_eq!(pager_href(&last_de, "prev"), Some("../auftrag/"));
    assert_eq!(pager_href(&last_de, "next"), Some("../../02-do/"));
    assert_eq!(pager_href(&page("02-do"), "prev"), Some("../01-plan/nur-deutsch/"));
    // English has no such page: stage 1 ends with `Mandate`.
    let last_en = page("en/01-plan/auftrag");
    assert_eq!(pager_href(&last_en, "next"), Some("../../02-do/"));
    assert_eq!(pager_href(&page("en/02-do"), "prev"), Some("../01-plan/auftrag/"));
    // Into the third stage, and nothing after the last page.
    assert_eq!(pager_href(&page("02-do/loslegen"), "next"), Some("../../review/"));
    let last = page("review");
    assert_eq!(pager_href(&last, "prev"), Some("../02-do/loslegen/"));
    assert_eq!(pager_href(&last, "next"), None);
}

#[test]
fn language_switcher_links_each_page_to_its_translation() {
    let (site, _) = build_fixture("two-languages", &[]);
    let de = site.output("01-plan/ziele/index.html");
    assert_eq!(
        language_switcher(&de),
        "<ul class=\"lang-switch\" aria-label=\"Sprache\">\n      <li><span aria-current=\"true\">DE</span></li><li><a href=\"../../en/01-plan/ziele/\" hreflang=\"en\" lang=\"en\" title=\"English\">EN</a></li>\n    "
    );
    let en = site.output("en/01-plan/ziele/index.html");
    assert!(
        language_switcher(&en)
            .contains("<a href=\"../../../01-plan/ziele/\" hreflang=\"de\" lang=\"de\" title=\"Deutsch\">DE</a>"),
        "{en}"
    );
    assert!(language_switcher(&en).contains("<span aria-current=\"true\">EN</span>"));
    let home_en = site.output("en/index.html");
    assert!(language_switcher(&home_en).contains("<a href=\"../\" hreflang=\"de\""), "{home_en}");
}

#[test]
fn untranslated_page_warns_and_switches_to_the_other_languages_home() {
    let site = Site::from_fixture("two-languages");
    let run = site.build(&[]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "\
content/01-plan/nur-deutsch.md:1:1: warning: no `en` translation of this page
  |
1 | ---
  | ^
  = hint: add `content/01-plan/nur-deutsch.en.md`

"
    );
    assert_summary(&run.stdout, "built 15 pages in 3 stages (de, en), 0 checklist items", " (1 warning)");
    let html = site.output("01-plan/nur-deutsch/index.html");
    assert!(language_switcher(&html).contains("<a href=\"../../en/\" hreflang=\"en\""), "{html}");
    assert!(!html.contains("hreflang=\"en\" href="), "no alternate for a missing translation");
    assert!(!site.public().join("en/01-plan/nur-deutsch").exists());
}

#[test]
fn translations_get_language_prefixed_urls_and_hreflang_alternates() {
    let (site, _) = build_fixture("two-languages", &[]);
    for page in ["01-plan/ziele/", "en/01-plan/ziele/"] {
        let html = site.output(&format!("{page}index.html"));
        assert!(html.contains("<link rel=\"alternate\" hreflang=\"de\" href=\"/01-plan/ziele/\">"), "{html}");
        assert!(html.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"/en/01-plan/ziele/\">"), "{html}");
    }
    assert!(site.output("01-plan/ziele/index.html").contains("<html lang=\"de\""));
    assert!(site.output("en/01-plan/ziele/index.html").contains("<html lang=\"en\""));
    assert!(site.output("en/01-plan/ziele/index.html").contains("<h1>Goals</h1>"));
}

#[test]
fn snapshot_two_language_article_main() {
    let (site, _) = build_fixture("two-languages", &[]);
    insta::assert_snapshot!("two_languages_article_de", main_element(&site.output("01-plan/ziele/index.html")));
    insta::assert_snapshot!("two_languages_article_en", main_element(&site.output("en/01-plan/ziele/index.html")));
}

// Links: rewriting, backlinks, assets.

#[test]
fn rewrites_relative_markdown_links_to_relative_pretty_urls() {
    let (site, _) = build_fixture("links", &[]);
    let launch = site.output("02-run/launch/index.html");
    for link in [
        "<a href=\"../../01-plan/goals/\">the goals</a>",
        "<a href=\"../../01-plan/goals/#kpis\">the KPIs</a>",
        "<a href=\"../../glossary/\">the glossary</a>",
        "<a href=\"https://example.com/contact\">us</a>",
    ] {
        assert!(launch.contains(link), "missing {link} in\n{}", main_element(&launch));
    }
    let home = site.output("index.html");
    assert!(home.contains("<a href=\"01-plan/\">the plan</a>"), "{home}");
    assert!(home.contains("<a href=\"01-plan/goals/#kpis\">the KPIs</a>"), "{home}");
    let goals = site.output("01-plan/goals/index.html");
    assert!(goals.contains("<a href=\"../\">the whole plan</a>"), "a folder link goes to its stage page");
    assert!(!goals.contains(".md\""), "a .md link was left as it was");
}

#[test]
fn shows_backlinks_in_series_order() {
    let (site, _) = build_fixture("links", &[]);
    let goals = site.output("01-plan/goals/index.html");
    let start = goals.find("<section class=\"backlinks\">").expect("goals has backlinks");
    let section = &goals[start..start + goals[start..].find("</section>").unwrap()];
    let linked: Vec<&str> = urls(section);
    assert_eq!(linked, ["../../02-run/launch/", "../../"]);
    let glossary = site.output("glossary/index.html");
    let start = glossary.find("<section class=\"backlinks\">").expect("glossary has backlinks");
    let section = &glossary[start..start + glossary[start..].find("</section>").unwrap()];
    assert_eq!(urls(section), ["../02-run/launch/"]);
    let home = site.output("index.html");
    assert!(!home.contains("class=\"backlinks\""), "nothing links the home page");
}

#[test]
fn copies_content_images_and_links_them() {
    let (site, out) = build_fixture("links", &[]);
    let source = fs::read(site.path("content/01-plan/goal-map.png")).unwrap();
    assert_eq!(fs::read(out.join("01-plan/goal-map.png")).unwrap(), source);
    let goals = site.output("01-plan/goals/index.html");
    assert!(goals.contains("<img src=\"../../01-plan/goal-map.png\" alt=\"Goal map\" />"), "{goals}");
}

#[test]
fn anchors_of_rewritten_links_exist_in_the_target_page() {
    let (site, _) = build_fixture("links", &[]);
    assert!(site.output("01-plan/goals/index.html").contains("<h2 id=\"kpis\">"));
}

#[test]
fn snapshot_links_article_main() {
    let (site, _) = build_fixture("links", &[]);
    insta::assert_snapshot!("links_article", main_element(&site.output("01-plan/goals/index.html")));
}

// Drafts.

#[test]
fn leaves_drafts_out_unless_asked() {
    let site = Site::from_fixture("drafts");
    let run = site.build(&[]);
    run.expect_clean_success();
    assert_summary(&run.stdout, "built 3 pages in 1 stage (en), 0 checklist items", "");
    assert!(!site.public().join("01-start/secret-plan").exists());
    for (path, bytes) in tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Secret plan"), "{path} mentions the draft");
        assert!(!text.contains("secret-plan"), "{path} links the draft");
    }

    let run = site.build(&["--drafts"]);
    run.expect_clean_success();
    assert_summary(&run.stdout, "built 4 pages in 1 stage (en), 0 checklist items", "");
    assert!(site.output("01-start/secret-plan/index.html").contains("<h1>Secret plan</h1>"));
    assert!(site.output("01-start/index.html").contains("href=\"secret-plan/\""));
    assert_eq!(pager_href(&site.output("01-start/published/index.html"), "next"), Some("../secret-plan/"));
}

#[test]
fn link_to_a_draft_is_an_error_unless_drafts_are_built() {
    let site = Site::from_fixture("drafts");
    site.write(
        "content/01-start/published.md",
        "---\ntitle: Published article\norder: 1\n---\n\nSoon: [the plan](secret-plan.md).\n",
    );
    let run = site.check(&[]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "\
content/01-start/published.md:6:7: error: link `secret-plan.md` points to a draft, which is not part of this build
  |
6 | Soon: [the plan](secret-plan.md).
  |       ^
  = hint: publish the page (remove `draft: true`) or build with --drafts

error: check failed with 1 error and 0 warnings
"
    );
    site.check(&["--drafts"]).expect_clean_success();
    site.build(&["--drafts"]).expect_clean_success();
}

// Base URL and subpaths.

/// The relative URLs of every page (what a reader follows), by page.
fn relative_urls(site: &Site) -> Vec<(String, Vec<String>)> {
    html_pages(site)
        .into_iter()
        .map(|(path, html)| {
            let rel = urls(&html)
                .into_iter()
                .filter(|u| !is_external(u) && !u.starts_with('/'))
                .map(str::to_string)
                .collect();
            (path, rel)
        })
        .collect()
}

#[test]
fn internal_links_are_relative_so_the_site_works_under_any_subpath() {
    let site = Site::from_fixture("base-url");
    site.build(&["--base-url", "https://example.com/deep/sub/path"]).expect_clean_success();
    let pages = html_pages(&site);
    assert!(pages.len() >= 6, "{pages:?}");
    for (path, html) in &pages {
        for url in urls(html) {
            // The 404 pages (one per language) are served at any depth, so
            // they link from the site's base path instead; that path must
            // include the subpath.
            if path.ends_with("404.html") && url.starts_with('/') && !url.starts_with("//") {
                assert!(url.starts_with("/deep/sub/path/"), "{path}: {url:?} misses the subpath");
                continue;
            }
            assert!(!url.starts_with('/'), "{path}: root-absolute URL {url:?} breaks under a subpath");
            if url.contains("example.com") {
                assert!(url.starts_with("https://example.com/deep/sub/path/"), "{path}: {url}");
            }
        }
        assert!(!html.contains("old.example.org"), "{path}: --base-url did not replace base_url");
    }
    let first = site.output("01-start/first/index.html");
    assert!(first.contains("<link rel=\"canonical\" href=\"https://example.com/deep/sub/path/01-start/first/\">"));
    assert!(first.contains("<a href=\"../../01-start/\">root-absolute</a>"), "{first}");
    assert!(first.contains("<img src=\"../../01-start/diagram.svg\""), "{first}");
    assert!(first.contains("src=\"../../logo.svg\""), "{first}");
}

#[test]
fn relative_links_do_not_depend_on_the_base_url() {
    let site = Site::from_fixture("base-url");
    site.build(&[]).expect_clean_success();
    let from_config = relative_urls(&site);
    site.build(&["--base-url", "/intranet/guides/crm/"]).expect_clean_success();
    assert_eq!(relative_urls(&site), from_config);
}

/// Checks that every relative `href`/`src` of every page of `fixture` names
/// a file of the output, and every `#fragment` an `id` in it.
fn assert_output_links_resolve(fixture: &str) {
    let (site, out) = build_fixture(fixture, &[]);
    let files = tree(&out);
    for (path, html) in html_pages(&site) {
        for url in urls(&html) {
            if is_external(url) || url.starts_with('/') {
                continue;
            }
            let (target, fragment) =
                resolve(&path, url).unwrap_or_else(|| panic!("{path}: {url} leaves the output folder"));
            let Some(bytes) = files.get(&target) else {
                panic!("{fixture}: {path} links {url}, but there is no {target}");
            };
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                let text = String::from_utf8_lossy(bytes);
                assert!(
                    text.contains(&format!("id=\"{id}\"")),
                    "{fixture}: {path} links {url}, but {target} has no id `{id}`"
                );
            }
        }
    }
}

#[test]
fn every_relative_link_in_the_output_resolves_to_a_file_and_anchor() {
    for fixture in ["base-url", "links", "two-languages", "drafts", "template-override", "reader"] {
        assert_output_links_resolve(fixture);
    }
}

// Determinism and atomic writes.

#[test]
fn builds_are_byte_identical_across_runs_and_folders() {
    let (a, out_a) = build_fixture("determinism", &[]);
    let first = tree(&out_a);
    assert!(first.len() > 30, "the fixture should produce many files");
    a.build(&[]).expect_code(0);
    assert!(tree(&out_a) == first, "a second build in the same folder differs");
    let (_b, out_b) = build_fixture("determinism", &[]);
    let other = tree(&out_b);
    let differing: Vec<&String> = first.keys().chain(other.keys()).filter(|k| first.get(*k) != other.get(*k)).collect();
    assert!(differing.is_empty(), "builds in two folders differ in {differing:?}");
}

/// `lotse build` writes each file as it is rendered; the folder it leaves
/// holds exactly the files an in-memory build returns (flagship guide: two
/// languages, handouts, print pages, search index, theme and static assets).
#[test]
fn streamed_output_equals_the_in_memory_build() {
    let site = Site::empty();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(&repo.join("content"), &site.path("content"));
    fs::copy(repo.join("site.yaml"), site.path("site.yaml")).unwrap();
    site.build(&[]).expect_clean_success();
    let written = tree(&site.public());
    let options = lotse::Options { root: site.root(), base_url: None, drafts: false, ..Default::default() };
    let report = lotse::build(&options).unwrap();
    let memory: std::collections::BTreeMap<String, Vec<u8>> =
        report.files.iter().map(|f| (f.path.clone(), f.bytes.to_vec())).collect();
    assert!(memory.len() > 200, "{} files", memory.len());
    let differing: Vec<&String> =
        memory.keys().chain(written.keys()).filter(|k| memory.get(*k) != written.get(*k)).collect();
    assert!(differing.is_empty(), "written and in-memory builds differ in {differing:?}");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let (site, out) = build_fixture("atomic", &[]);
    let before = tree(&out);
    let listing = entries(&site.root());
    site.write("content/01-start/first-steps.md", "---\ntitle: First steps\n---\n\nA [broken](nowhere.md) link.\n");
    let run = site.build(&[]);
    run.expect_code(1);
    assert!(
        run.stderr.ends_with("error: build failed with 1 error and 0 warnings; site/public was left as it was\n"),
        "{}",
        run.stderr
    );
    assert!(tree(&out) == before, "public/ changed");
    assert_eq!(entries(&site.root()), listing, "a temporary folder was left behind");
}

#[test]
fn failed_render_leaves_previous_output_untouched() {
    let (site, out) = build_fixture("atomic", &[]);
    let before = tree(&out);
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.no_such_field.x }}</p>\n{% endblock main %}\n",
    );
    let run = site.build(&[]);
    run.expect_code(1);
    assert!(run.stderr.starts_with("templates/article.html:3:12: error: template error: "), "{}", run.stderr);
    assert!(tree(&out) == before, "public/ changed");
    // Besides the output, a build leaves only its PDF cache.
    assert_eq!(entries(&site.root()), [".lotse", "content", "public", "site.yaml", "templates"]);
}

#[test]
fn successful_build_replaces_the_whole_output_folder() {
    let (site, out) = build_fixture("atomic", &[]);
    site.write("public/stale.html", "<p>from an old build</p>\n");
    site.build(&[]).expect_clean_success();
    assert!(!out.join("stale.html").exists(), "stale output survived a build");
    assert!(out.join("01-start/first-steps/index.html").is_file());
    assert_eq!(entries(&site.root()), [".lotse", "content", "public", "site.yaml"]);
}

// `lotse init` and `lotse new`.

#[test]
fn init_creates_a_site_that_builds() {
    let tmp = Site::empty();
    let run = tmp.run(&["init", "my-guide"]);
    run.expect_clean_success();
    assert_eq!(run.stdout, "created a new site with 5 files in my-guide\nnext: lotse build --root my-guide\n");
    let build = tmp.run(&["build", "--root", "my-guide"]);
    build.expect_clean_success();
    assert_summary(&build.stdout, "built 3 pages in 1 stage (en), 2 checklist items", "");
    assert!(build.stdout.ends_with("\nopen my-guide/public/index.html\n"), "{}", build.stdout);
    let home = fs::read_to_string(tmp.tmp.path().join("my-guide/public/index.html")).unwrap();
    assert!(home.contains("<h1>My practice guide</h1>"), "{home}");
    assert!(tmp.tmp.path().join("my-guide/public/01-start/first-steps/index.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = Site::empty();
    fs::create_dir(tmp.tmp.path().join("taken")).unwrap();
    fs::write(tmp.tmp.path().join("taken/notes.txt"), "mine\n").unwrap();
    let run = tmp.run(&["init", "taken"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "error: taken: folder is not empty; `lotse init` only creates new sites\n");
    assert_eq!(entries(&tmp.tmp.path().join("taken")), ["notes.txt"]);
}

#[test]
fn new_creates_an_article_that_builds() {
    let site = Site::from_fixture("new-article");
    let run = site.run_in_root(&["new", "01-start/goal-map", "--title", "Goal map"]);
    run.expect_clean_success();
    assert_eq!(run.stdout, "created ./content/01-start/goal-map.md\n");
    let text = site.read("content/01-start/goal-map.md");
    assert!(
        text.starts_with("---\ntitle: \"Goal map\"\nsummary: \"\"\norder: 2\ntags: []\nroles: []\ndate: "),
        "{text}"
    );
    site.build(&[]).expect_clean_success();
    assert!(site.output("01-start/goal-map/index.html").contains("<h1>Goal map</h1>"));
}

#[test]
fn new_errors_on_unknown_stage_with_suggestion() {
    let site = Site::from_fixture("new-article");
    let before = tree(&site.root());
    let run = site.run_in_root(&["new", "01-strat/goal-map"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "error: stage `01-strat` not found in content/ (did you mean `01-start`?)\n");
    assert_eq!(run.stdout, "");
    assert!(tree(&site.root()) == before, "a failed `new` wrote something");
}

#[test]
fn new_refuses_to_overwrite_an_existing_article() {
    let site = Site::from_fixture("new-article");
    let before = tree(&site.root());
    let run = site.run_in_root(&["new", "01-start/first-steps"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "error: ./content/01-start/first-steps.md already exists; `lotse new` never overwrites\n");
    assert!(tree(&site.root()) == before, "`new` changed an existing article");
}

#[test]
fn new_errors_on_argument_without_stage() {
    let site = Site::from_fixture("new-article");
    let run = site.run_in_root(&["new", "goal-map"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "error: expected STAGE/SLUG, e.g. `01-strategy/my-article`, got `goal-map`\n");
}

// Template overrides.

#[test]
fn site_template_overrides_the_theme_template_of_the_same_name() {
    let (site, _) = build_fixture("template-override", &[]);
    let article = site.output("01-start/first-steps/index.html");
    insta::assert_snapshot!("template_override_article", main_element(&article));
    assert!(article.contains("<p class=\"from-site-template\">"));
    assert!(article.contains("<link rel=\"stylesheet\""), "base.html still comes from the theme");
    let stage = site.output("01-start/index.html");
    assert!(stage.contains("<article class=\"stage-page\">"), "other templates stay the theme's");
    assert!(!stage.contains("from-site-template"));
}

#[test]

fn site_without_home_page_gets_an_index_or_a_clear_error() {
    let site = Site::from_fixture("atomic");
    fs::remove_file(site.path("content/_index.md")).unwrap();
    let run = site.build(&[]);
    if run.code == 0 {
        assert!(site.public().join("index.html").is_file(), "{}", run.stdout);
    } else {
        run.expect_code(1);
        assert!(run.stderr.contains("content/_index.md"), "{}", run.stderr);
    }
}

// Usage errors.

#[test]
fn exits_with_2_on_usage_errors() {
    let site = Site::from_fixture("atomic");
    let cases: [(&[&str], &str); 5] = [
        (&["bogus"], "error: unrecognized subcommand 'bogus'"),
        (&["build", "--root", "site", "--nope"], "error: unexpected argument '--nope' found"),
        (&[], "Usage: lotse <COMMAND>"),
        (
            &["build", "--root", "no-such-site"],
            "error: no-such-site is not a Lotse site: neither site.yaml nor content/ found (run `lotse init DIR` to start one)\n",
        ),
        (&["build", "--root", "site", "--out", "site/content/out"], "error: refusing to write to "),
    ];
    for (args, expected) in cases {
        let run = site.run(args);
        assert_eq!(run.code, 2, "lotse {args:?}\n{}", run.stderr);
        assert!(run.stderr.contains(expected), "lotse {args:?}: {:?}", run.stderr);
        assert_eq!(run.stdout, "", "lotse {args:?}");
    }
    assert!(!site.public().exists(), "a usage error wrote output");
    assert!(!site.path("content/out").exists());
}

#[test]
fn refuses_output_folder_inside_content_naming_the_folder() {
    let site = Site::from_fixture("atomic");
    let run = site.build(&["--out", "site/content/out"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "error: refusing to write to site/content/out: it is inside the site's content/ folder\n");
}
