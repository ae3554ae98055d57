//! Search: the index files of a two-language fixture site (read here the way
//! search.js reads them), and the search box in headless Chromium on the
//! built flagship guide opened from disk. The browser tests are skipped, with
//! a message, where `chromium` is not installed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{Site, build_fixture, tree};
use lotse::search::{fold, shard_of};
use serde_json::Value;

/// The data a search script hands to `LotseSearch.add(id, data)`.
fn script_data(bytes: &[u8]) -> Value {
    let s = std::str::from_utf8(bytes).expect("UTF-8");
    let body = s.strip_prefix("LotseSearch.add(").and_then(|b| b.strip_suffix(");\n")).expect("a LotseSearch.add call");
    let comma = body.find("\",").expect("id, then data") + 2;
    serde_json::from_str(&body[comma..]).expect("data is JSON")
}

/// One language's search files of a built site.
struct Index {
    files: BTreeMap<String, Vec<u8>>,
    lang: String,
    manifest: Value,
}

impl Index {
    fn open(public: &Path, lang: &str) -> Index {
        let files = tree(&public.join("search").join(lang));
        let manifest = script_data(&files["index.js"]);
        Index { files, lang: lang.into(), manifest }
    }

    fn data(&self, name: &str) -> Value {
        script_data(self.files.get(name).unwrap_or_else(|| panic!("search/{}/{name}", self.lang)))
    }

    /// The pages for `form`'s stem, best first, if the form is in the corpus.
    fn exact(&self, form: &str) -> Option<Vec<u64>> {
        let keys: Vec<&str> = self.manifest["keys"].as_array()?.iter().filter_map(Value::as_str).collect();
        let shard = self.data(&format!("t-{}.js", shard_of(&keys, form)));
        let stem = shard["w"][form].as_u64()? as usize;
        let p: Vec<u64> = shard["p"][stem].as_array()?.iter().filter_map(Value::as_u64).collect();
        let mut hits: Vec<(u64, u64)> = p.chunks(2).map(|c| (c[0], c[1])).collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(hits.into_iter().map(|(d, _)| d).collect())
    }

    /// What search.js does for one word: the folded word, else the longest
    /// shorter form (at most four letters less) that the corpus has.
    fn search(&self, word: &str) -> Vec<String> {
        let form = fold(word);
        let chars: Vec<char> = form.chars().collect();
        let shorter =
            (3.max(chars.len().saturating_sub(4))..chars.len()).rev().map(|n| chars[..n].iter().collect::<String>());
        let docs = std::iter::once(form.clone()).chain(shorter).find_map(|f| self.exact(&f)).unwrap_or_default();
        docs.into_iter().map(|d| self.url(d)).collect()
    }

    /// The path of page number `doc`, from its page chunk.
    fn url(&self, doc: u64) -> String {
        let per = self.manifest["chunk"].as_u64().unwrap();
        let chunk = self.data(&format!("d-{}.js", doc / per));
        chunk[(doc % per) as usize]["u"].as_str().unwrap().to_string()
    }
}

#[test]
fn writes_an_index_per_language_and_the_search_script() {
    let (site, public) = build_fixture("search", &[]);
    for lang in ["de", "en"] {
        let index = Index::open(&public, lang);
        assert_eq!(index.manifest["lang"], lang);
        assert_eq!(index.manifest["docs"], 5, "home, two stages, two articles in {lang}");
    }
    assert!(public.join("search.js").is_file());
    let page = site.output("01-ziele/landkarte/index.html");
    assert!(page.contains(r#"<form role="search" class="site-search js-only""#));
    assert!(page.contains(r#"data-root="../../" data-lang="de""#));
    assert!(page.contains(r#"<script src="../../search.js" defer></script>"#));
    assert!(site.output("en/01-ziele/landkarte/index.html").contains(r#"data-lang="en""#));
}

#[test]
fn inflected_german_words_find_the_article() {
    let (_site, public) = build_fixture("search", &[]);
    let de = Index::open(&public, "de");
    assert_eq!(de.search("Ziel").first().map(String::as_str), Some("01-ziele/landkarte/"));
    assert_eq!(de.search("Ziele").first().map(String::as_str), Some("01-ziele/landkarte/"));
    assert_eq!(de.search("Zielen").first().map(String::as_str), Some("01-ziele/landkarte/"));
    assert_eq!(de.search("Ubersicht"), ["01-ziele/landkarte/"]);
    assert_eq!(de.search("Übersichten"), ["01-ziele/landkarte/"]);
    assert_eq!(de.search("Kennzahl"), ["02-betrieb/nutzung/"]);
}

#[test]
fn english_pages_have_their_own_stemmed_index() {
    let (_site, public) = build_fixture("search", &[]);
    let en = Index::open(&public, "en");
    assert_eq!(en.search("metric"), ["en/02-betrieb/nutzung/"]);
    assert_eq!(en.search("measured").first().map(String::as_str), Some("en/02-betrieb/nutzung/"));
    assert!(en.search("Kennzahl").is_empty(), "no German words in the English index");
    assert!(Index::open(&public, "de").search("metric").is_empty(), "no English words in the German index");
}

#[test]
fn search_files_are_the_same_bytes_on_every_build() {
    let (_a, first) = build_fixture("search", &[]);
    let (_b, second) = build_fixture("search", &[]);
    let a = tree(&first.join("search"));
    assert!(a.len() >= 6);
    assert_eq!(a, tree(&second.join("search")));
}

// Headless Chromium on the flagship guide, opened from disk.

fn have_chromium() -> bool {
    Command::new("chromium").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn build_guide(out: &Path) {
    let run = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--out"])
        .arg(out)
        .output()
        .expect("run lotse");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
}

/// The DOM of `page?q=QUERY` after scripts ran, as Chromium sees it from disk.
fn dom_after_search(public: &Path, page: &str, query: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let q: String = query.bytes().map(|b| format!("%{b:02X}")).collect();
    let url = format!("file://{}/{page}?q={q}", public.display());
    let out = common::headless_chromium(profile.path())
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The result links in the search panel, in order.
fn result_links(dom: &str) -> Vec<&str> {
    dom.match_indices(r#"class="search-title" href=""#)
        .map(|(i, m)| {
            let rest = &dom[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

fn first_result<'a>(dom: &'a str, page: &str, query: &str) -> &'a str {
    let links = result_links(dom);
    assert!(!links.is_empty(), "no results for {query:?} on {page}:\n{}", status_line(dom));
    links[0]
}

fn status_line(dom: &str) -> &str {
    dom.find(r#"class="search-status""#).map_or("(no search panel)", |i| &dom[i..(i + 200).min(dom.len())])
}

#[test]
fn chromium_finds_the_article_for_an_inflected_german_word_from_disk() {
    if !have_chromium() {
        eprintln!(
            "SKIPPED chromium_finds_the_article_for_an_inflected_german_word_from_disk: chromium is not installed (apt-get install chromium)"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_guide(&public);
    let cases = [
        // Plural with umlaut; the guide has only the singular "Kommunikationsplan".
        ("02-goals/goal-map/index.html", "Kommunikationspläne", "../../05-rollout/communication-plan/index.html"),
        // Inflected and typed without the umlaut.
        ("index.html", "Lenkungsausschusse", "./01-leadership/sponsor-and-mandate/index.html"),
        ("index.html", "Schulungen", "./05-rollout/key-users-and-training/index.html"),
        // English pages search the English index.
        ("en/index.html", "metrics", "../en/02-goals/understand-metrics/index.html"),
    ];
    for (page, query, expected) in cases {
        let dom = dom_after_search(&public, page, query);
        assert!(dom.contains(r#"<html lang=""#) && dom.contains(r#"class="js"#), "scripts ran on {page}");
        assert_eq!(first_result(&dom, page, query), expected, "first result for {query:?} on {page}");
    }
}

#[test]
fn chromium_shows_stage_and_snippet_with_the_hit_marked() {
    if !have_chromium() {
        eprintln!(
            "SKIPPED chromium_shows_stage_and_snippet_with_the_hit_marked: chromium is not installed (apt-get install chromium)"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_guide(&public);
    let dom = dom_after_search(&public, "index.html", "Kommunikationspläne");
    let hit = &dom[dom.find(r#"<li class="search-hit">"#).expect("a result")..];
    let hit = &hit[..hit.find("</li>").unwrap()];
    assert!(hit.contains(r#"<p class="search-stage">Etappe 5 · Rollout, Akzeptanz und Kommunikation</p>"#), "{hit}");
    assert!(hit.contains(r#"<p class="search-snippet">"#), "{hit}");
    assert!(hit.contains("<mark>Kommunikationsplan</mark>"), "{hit}");
    assert!(status_line(&dom).contains("Treffer für „Kommunikationspläne“"), "{}", status_line(&dom));
}

#[test]
fn the_search_box_is_hidden_without_javascript() {
    let site = Site::from_fixture("search");
    site.build(&[]).expect_code(0);
    let css = site.output("style.css");
    assert!(css.contains(".js-only { display: none !important; }"));
    assert!(site.output("index.html").contains(r#"class="site-search js-only""#));
}
