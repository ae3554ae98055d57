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

/// The data a search script hands to `LotseSearch.add(id, data)`, unpacked.
fn script_data(bytes: &[u8]) -> Value {
    lotse::search::pack::read(bytes).expect("a LotseSearch.add call with (packed) JSON").1
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
        let mut hits = self.postings(form)?;
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(hits.into_iter().map(|(d, _)| d).collect())
    }

    /// Every `(page, score)` of `form`'s stem: its first block (in its
    /// shard) and its tail blocks; blocks are `page - previous, score` pairs.
    fn postings(&self, form: &str) -> Option<Vec<(u64, u64)>> {
        let keys: Vec<&str> = self.manifest["keys"].as_array()?.iter().filter_map(Value::as_str).collect();
        let shard = self.data(&format!("t-{}.js", shard_of(&keys, form)));
        let stem = shard["w"][form].as_u64()? as usize;
        let numbers = |v: &Value| -> Vec<u64> { v.as_array().unwrap().iter().filter_map(Value::as_u64).collect() };
        let mut blocks = vec![numbers(&shard["p"][stem])];
        for r in numbers(&shard["m"][stem]).chunks(2) {
            blocks.push(numbers(&self.data(&format!("p-{}.js", r[0]))[r[1] as usize]));
        }
        let mut out = Vec::new();
        for block in blocks {
            let mut page = 0;
            out.extend(block.chunks(2).map(|c| {
                page += c[0];
                (page, c[1])
            }));
        }
        assert_eq!(Some(out.len() as u64), shard["n"][stem].as_u64(), "page count of {form}");
        Some(out)
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

    /// Pages with both words (exact forms, one stem each), as search.js
    /// ranks them with every block loaded: by total score, then page.
    fn both(&self, a: &str, b: &str) -> Vec<String> {
        let b: BTreeMap<u64, u64> = self.postings(b).unwrap().into_iter().collect();
        let mut hits: Vec<(u64, u64)> =
            self.postings(a).unwrap().into_iter().filter_map(|(d, s)| Some((d, s + b.get(&d)?))).collect();
        hits.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        hits.into_iter().map(|(d, _)| self.url(d)).collect()
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

/// The first ten results of queries on the flagship guide, as the index
/// before its blocks and compression ranked them (recorded with that
/// build): the redesign must not change them.
#[test]
fn chromium_ranks_the_flagship_guide_as_the_full_postings_did() {
    if !have_chromium() {
        eprintln!("SKIPPED chromium_ranks_the_flagship_guide_as_the_full_postings_did: chromium is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_guide(&public);
    let cases: [(&str, &str, &str, &[&str]); 5] = [
        (
            "index.html",
            "Kunde",
            "31 Treffer für „Kunde“",
            &[
                "./05-rollout/culture-and-attitude/index.html",
                "./02-goals/goal-map/index.html",
                "./02-goals/customer-benefit-first/index.html",
                "./03-tactics/process-mapping/index.html",
                "./05-rollout/index.html",
                "./03-tactics/index.html",
                "./glossary/index.html#anlage",
                "./02-goals/index.html",
                "./01-leadership/success-factors/index.html",
                "./01-leadership/crm-is-leadership/index.html",
            ],
        ),
        (
            "index.html",
            "Daten Qualität",
            "3 Treffer für „Daten Qualität“",
            &[
                "./03-tactics/data-ownership/index.html",
                "./03-tactics/index.html",
                "./05-rollout/quick-wins-and-adoption/index.html#quick-wins-die-den-namen-verdienen",
            ],
        ),
        (
            "index.html",
            "Schul",
            "22 Treffer für „Schul“",
            &[
                "./05-rollout/key-users-and-training/index.html",
                "./06-operation/governance-and-roadmap/index.html#der-weg-eines-aenderungswunsches",
                "./01-leadership/outside-help/index.html#wo-externe-hilfe-sich-lohnt",
                "./05-rollout/culture-and-attitude/index.html#was-kultur-festigt-und-was-sie-untergraebt",
                "./05-rollout/index.html",
                "./05-rollout/communication-plan/index.html",
                "./06-operation/questioning-beliefs/index.html#neun-glaubenssaetze-und-was-dagegen-spricht",
                "./06-operation/measuring-value/index.html#nutzung-richtig-lesen",
                "./01-leadership/sponsor-and-mandate/index.html#budget-realistisch-planen",
                "./03-tactics/process-mapping/index.html#wo-die-ablaeufe-heute-brechen",
            ],
        ),
        (
            "index.html",
            "Vertrieb Prozess Verantwortung",
            "20 Treffer für „Vertrieb Prozess Verantwortung“",
            &[
                "./03-tactics/tactics-before-process/index.html",
                "./03-tactics/process-mapping/index.html",
                "./03-tactics/index.html",
                "./01-leadership/the-crm-pilot/index.html",
                "./04-software/requirements-and-shortlist/index.html",
                "./05-rollout/key-users-and-training/index.html",
                "./06-operation/measuring-value/index.html#vier-ebenen-der-messung",
                "./glossary/index.html",
                "./06-operation/continuous-development/index.html#warum-das-projektdenken-nach-dem-go-live-scheitert",
                "./06-operation/governance-and-roadmap/index.html#das-crm-board",
            ],
        ),
        (
            "en/index.html",
            "customer data",
            "28 results for “customer data”",
            &[
                "../en/02-goals/customer-benefit-first/index.html",
                "../en/03-tactics/data-ownership/index.html",
                "../en/04-software/implementation-and-migration/index.html#increments-instead-of-a-big-bang",
                "../en/glossary/index.html#churn",
                "../en/01-leadership/master-timeline/index.html#how-long-the-stages-take",
                "../en/03-tactics/index.html",
                "../en/04-software/scripted-demos-and-pilot/index.html",
                "../en/05-rollout/culture-and-attitude/index.html",
                "../en/01-leadership/sponsor-and-mandate/index.html#a-one-page-mandate",
                "../en/04-software/index.html",
            ],
        ),
    ];
    for (page, query, status, expected) in cases {
        let dom = dom_after_search(&public, page, query);
        assert_eq!(result_links(&dom), expected, "results for {query:?}");
        assert!(status_line(&dom).contains(&format!(">{status}<")), "{query:?}: {}", status_line(&dom));
    }
}

/// A site of 300 pages where two words occur on most pages, with scores
/// that do not go together: the best pages for both lie outside the first
/// block of either word.
fn many_pages_site() -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: Viele\ndefault_language: de\nlanguages: [de]\n");
    site.write("content/_index.md", "---\ntitle: Start\n---\n\nStartseite.\n");
    site.write("content/01-alles/_index.md", "---\ntitle: Alles\n---\n\nAlle Seiten.\n");
    for i in 0..300usize {
        let anker = if i % 9 == 0 { 0 } else { 1 + (i * 7) % 13 };
        let boje = if i % 11 == 0 { 0 } else { 1 + ((300 - i) * 5) % 17 };
        let mut words: Vec<String> = (0..60).map(|k| format!("w{}", (i * 31 + k * 17) % 997)).collect();
        words.extend(std::iter::repeat_n("anker".to_string(), anker));
        words.extend(std::iter::repeat_n("boje".to_string(), boje));
        let body = words.chunks(12).map(|c| c.join(" ") + ".").collect::<Vec<_>>().join("\n\n");
        site.write(&format!("content/01-alles/s{i:03}.md"), format!("---\ntitle: Seite {i}\n---\n\n{body}\n"));
    }
    site
}

/// The search index files a page loaded (its `<script>` tags), by name.
fn loaded_index_files(dom: &str) -> Vec<&str> {
    dom.match_indices("search/de/")
        .map(|(i, m)| {
            let rest = &dom[i + m.len()..];
            &rest[..rest.find(['?', '"']).unwrap()]
        })
        .collect()
}

#[test]
fn chromium_ranks_words_on_most_pages_exactly_while_loading_only_the_blocks_needed() {
    if !have_chromium() {
        eprintln!(
            "SKIPPED chromium_ranks_words_on_most_pages_exactly_while_loading_only_the_blocks_needed: no chromium"
        );
        return;
    }
    let site = many_pages_site();
    site.build(&[]).expect_code(0);
    let public = site.public();
    let de = Index::open(&public, "de");
    let (anker, boje) = (de.postings("anker").unwrap(), de.postings("boje").unwrap());
    assert!(anker.len() > lotse::search::FIRST_BLOCK && boje.len() > lotse::search::FIRST_BLOCK);
    let link = |url: &String| format!("./{url}index.html");

    // One word: its best pages come from its shard alone, counted exactly.
    let dom = dom_after_search(&public, "index.html", "Anker");
    let expected: Vec<String> = de.exact("anker").unwrap().iter().take(10).map(|d| link(&de.url(*d))).collect();
    assert_eq!(result_links(&dom), expected);
    assert!(status_line(&dom).contains(&format!(">{} Treffer für „Anker“<", anker.len())), "{}", status_line(&dom));
    let files = loaded_index_files(&dom);
    assert!(files.iter().all(|f| !f.starts_with("p-")), "no tail block for one word: {files:?}");

    // Two words: tail blocks are loaded until the first ten are certain.
    let dom = dom_after_search(&public, "index.html", "Anker Boje");
    let expected: Vec<String> = de.both("anker", "boje").iter().take(10).map(link).collect();
    assert_eq!(result_links(&dom), expected, "{}", status_line(&dom));
    let files = loaded_index_files(&dom);
    assert!(files.iter().any(|f| f.starts_with("p-")), "the best pages for both need tail blocks: {files:?}");
    assert!(files.iter().filter(|f| f.starts_with("d-")).count() == 10, "one page file per result shown: {files:?}");
}

/// What tests/browser/more.js saw: status, every result link after
/// clicking "more results" until it hides, files loaded after each step.
/// `None` (test skipped) without node, Chromium or Playwright.
fn search_with_more(test: &str, public: &Path, query: &str) -> Option<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !common::have_browser_tools(test, &["node", "chromium"]) {
        return None;
    }
    if !dir.join("node_modules/playwright-core").is_dir() {
        assert!(std::env::var_os("LOTSE_REQUIRE_BROWSER").is_none(), "{test}: run `npm ci` in tests/browser");
        eprintln!("SKIPPED {test}: run `npm ci` in tests/browser first");
        return None;
    }
    let out = Command::new("node").arg(dir.join("more.js")).arg(public).arg(query).current_dir(&dir).output().unwrap();
    assert!(out.status.success(), "{test}: {}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).expect("more.js prints JSON"))
}

#[test]
fn more_results_from_disk_list_every_page_in_order_and_load_tail_blocks_only_then() {
    let test = "more_results_from_disk_list_every_page_in_order_and_load_tail_blocks_only_then";
    let site = many_pages_site();
    site.build(&[]).expect_code(0);
    let public = site.public();
    let de = Index::open(&public, "de");
    let link = |url: &String| Value::from(format!("./{url}index.html"));
    let Some(one) = search_with_more(test, &public, "Anker") else { return };
    let all: Vec<Value> = de.exact("anker").unwrap().iter().map(|d| link(&de.url(*d))).collect();
    assert_eq!(one["links"].as_array().unwrap(), &all, "every page with the word, best first");
    assert_eq!(one["status"], format!("{} Treffer für „Anker“", all.len()));
    let steps = one["steps"].as_array().unwrap();
    let tails = |step: &Value| {
        step["files"].as_array().unwrap().iter().filter(|f| f.as_str().unwrap().starts_with("de/p-")).count()
    };
    assert_eq!(steps[0]["links"], 10);
    assert_eq!(tails(&steps[0]), 0, "the first ten come from the shard");
    assert!(tails(steps.last().unwrap()) > 0, "the pages after the first block come from tail files");

    let Some(two) = search_with_more(test, &public, "Anker Boje") else { return };
    let both: Vec<Value> = de.both("anker", "boje").iter().map(link).collect();
    assert_eq!(two["links"].as_array().unwrap(), &both, "every page with both words, best first");
    assert_eq!(two["status"], format!("{} Treffer für „Anker Boje“", both.len()), "exact once all is loaded");
}
