//! Pagination of long listings and handouts on a fixture with one stage of
//! 250 small articles (`paginate.stage: 100`, `paginate.handout: 60`,
//! `paginate.terms: 40`): page URLs, the pager, every article and every
//! checklist item exactly once, links that resolve, and `lotse check` on a
//! link to a later page.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Site, main_element, resolve, urls};

const SITE_YAML: &str = "title: Groß\nbase_url: \"https://example.org/kb/\"\ndefault_language: de\nlanguages: [de, en]\n\
print: {pdf: false}\npaginate: {stage: 100, terms: 40, handout: 60}\n";

/// 250 German articles in `01-big` (two checklist items each, tags
/// `t0`..`t2`), the first 120 translated, and a small second stage.
fn big_site() -> Site {
    let site = Site::empty();
    site.write("site.yaml", SITE_YAML);
    site.write("content/_index.md", "---\ntitle: Start\n---\nWillkommen.\n");
    site.write("content/_index.en.md", "---\ntitle: Home\n---\nWelcome.\n");
    site.write("content/01-big/_index.md", "---\ntitle: Große Etappe\n---\nSiehe [klein](../02-small/_index.md).\n");
    site.write("content/01-big/_index.en.md", "---\ntitle: Big stage\n---\nSee [small](../02-small/_index.en.md).\n");
    site.write("content/02-small/_index.md", "---\ntitle: Kleine Etappe\n---\nWenig.\n");
    site.write("content/02-small/_index.en.md", "---\ntitle: Small stage\n---\nLittle.\n");
    site.write("content/02-small/s1.md", "---\ntitle: S1\n---\nText.\n\n- [ ] Klein\n");
    site.write("content/02-small/s1.en.md", "---\ntitle: S1\n---\nText.\n\n- [ ] Small\n");
    for i in 0..250 {
        let body = format!(
            "---\ntitle: Artikel {i:03}\norder: {i}\ntags: [t{}]\n---\nText {i}.\n\n- [ ] Punkt {i} a\n- [ ] Punkt {i} b\n",
            i % 3
        );
        site.write(&format!("content/01-big/a{i:03}.md"), body);
        if i < 120 {
            site.write(
                &format!("content/01-big/a{i:03}.en.md"),
                format!("---\ntitle: Article {i:03}\norder: {i}\n---\nText.\n"),
            );
        }
    }
    let run = site.build(&[]);
    run.expect_code(0);
    for note in [
        "note: 01-big/ lists 250 articles on 3 pages of 100 (paginate.stage)\n",
        "note: en/01-big/ lists 120 articles on 2 pages of 100 (paginate.stage)\n",
        "note: 01-big/checklist/ is printed in 9 parts of at most 60 checklist items (paginate.handout); its exports hold all 500\n",
    ] {
        assert!(run.stdout.contains(note), "the summary lacks {note}: {}", run.stdout);
    }
    site
}

/// The article folders linked from the cards of a listing page.
fn card_links(html: &str) -> Vec<String> {
    let main = main_element(html);
    main.split("<li class=\"card\"><a href=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

/// The ids of the checklist items on a handout page.
fn item_ids(html: &str) -> Vec<String> {
    html.split("data-check=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

#[test]
fn a_long_stage_listing_is_split_into_pages_with_a_pager() {
    let site = big_site();
    let public = site.public();
    assert!(public.join("01-big/page/3/index.html").is_file());
    assert!(!public.join("01-big/page/4").exists(), "250 articles at 100 a page are three pages");
    assert!(!public.join("01-big/page/1").exists(), "page 1 stays at the stage's URL");
    assert!(!public.join("02-small/page").exists(), "a small stage is one page");
    assert!(!site.output("02-small/index.html").contains("class=\"pagination\""));

    // Every article exactly once, in order, across the pages.
    let mut seen = Vec::new();
    for (n, path) in ["01-big/", "01-big/page/2/", "01-big/page/3/"].iter().enumerate() {
        let html = site.output(&format!("{path}index.html"));
        let links = card_links(&html);
        assert_eq!(links.len(), if n < 2 { 100 } else { 50 }, "cards on {path}");
        for l in links {
            let (file, _) = resolve(&format!("{path}index.html"), &l).unwrap();
            seen.push(file);
        }
    }
    let expected: Vec<String> = (0..250).map(|i| format!("01-big/a{i:03}/index.html")).collect();
    assert_eq!(seen, expected);

    // The pager of page 2: head links, nav, current page, canonical URL.
    let p2 = site.output("01-big/page/2/index.html");
    for needle in [
        "<title>Große Etappe – Seite 2 – Groß</title>",
        "<link rel=\"canonical\" href=\"https://example.org/kb/01-big/page/2/\">",
        "<link rel=\"prev\" href=\"../../\">",
        "<link rel=\"next\" href=\"../3/\">",
        "<nav class=\"pagination\" aria-label=\"Seiten dieser Liste\">",
        "<a href=\"./\" aria-current=\"page\"><span class=\"sr-only\">Seite </span>2</a>",
        "<a rel=\"next\" href=\"../3/\">Nächste Seite →</a>",
        "Artikel 101–200 von 250",
    ] {
        assert!(p2.contains(needle), "page 2 lacks {needle}");
    }
    assert!(!p2.contains("<link rel=\"alternate\" hreflang=\"en\""), "a later page has no translation to point to");
    let p1 = site.output("01-big/index.html");
    assert!(p1.contains("<link rel=\"next\" href=\"page/2/\">") && !p1.contains("rel=\"prev\""));
    assert!(p1.contains("<link rel=\"canonical\" href=\"https://example.org/kb/01-big/\">"));
    assert!(p1.contains("Siehe <a href=\"../02-small/\">klein</a>"), "the stage's text is on its first page");
    let p3 = site.output("01-big/page/3/index.html");
    assert!(p3.contains("<link rel=\"prev\" href=\"../2/\">") && !p3.contains("rel=\"next\""));

    // English: 120 articles, two pages, English labels.
    let en2 = site.output("en/01-big/page/2/index.html");
    assert!(en2.contains("aria-label=\"Pages of this list\"") && en2.contains("Articles 101–120 of 120"));
    assert!(!public.join("en/01-big/page/3").exists());

    // The sitemap lists the later pages.
    let sitemap = site.output("sitemap.xml");
    for loc in ["01-big/page/2/", "01-big/page/3/", "en/01-big/page/2/"] {
        assert!(sitemap.contains(&format!("<loc>https://example.org/kb/{loc}</loc>")), "sitemap lacks {loc}");
    }
}

#[test]
fn handouts_come_in_parts_that_hold_every_item_once() {
    let site = big_site();
    let public = site.public();
    // 500 items, whole articles of two items, at most 60 a part: 9 parts.
    assert!(public.join("01-big/checklist/page/9/index.html").is_file());
    assert!(!public.join("01-big/checklist/page/10").exists());
    let mut ids = Vec::new();
    for n in 1..=9 {
        let path = if n == 1 { "01-big/checklist/".to_string() } else { format!("01-big/checklist/page/{n}/") };
        let html = site.output(&format!("{path}index.html"));
        let part = item_ids(&html);
        assert!(part.len() <= 60, "part {n} holds {} items", part.len());
        assert!(html.contains(&format!("Teil {n} / 9")), "part {n} says which part it is");
        ids.extend(part);
    }
    let export: serde_json::Value = serde_json::from_str(&site.output("01-big/checklist/checklist.json")).unwrap();
    let exported: Vec<String> =
        export["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(exported.len(), 500);
    assert_eq!(ids, exported, "the parts hold every item of the export once, in order");

    // The first part lists the parts; later parts reach the exports.
    let first = site.output("01-big/checklist/index.html");
    assert!(first.contains("<section class=\"handout-parts\">"));
    assert!(first.contains("<a href=\"page/9/\">Teil 9</a>: Artikel 240 – Artikel 249"));
    let later = site.output("01-big/checklist/page/4/index.html");
    assert!(later.contains("href=\"../../checklist.csv\"") && !later.contains("handout-parts"));

    // The series checklist (501 items) likewise.
    let mut series = BTreeSet::new();
    let mut count = 0;
    for n in 1..=9 {
        let path = if n == 1 { "checklists/".to_string() } else { format!("checklists/page/{n}/") };
        let html = site.output(&format!("{path}index.html"));
        let part = item_ids(&html);
        count += part.len();
        series.extend(part);
    }
    assert!(!public.join("checklists/page/10").exists());
    assert_eq!((count, series.len()), (501, 501), "every item of the series once");
}

#[test]
fn tag_pages_paginate_too() {
    let site = big_site();
    // t0 has 84 articles (0, 3, ..., 249): three pages of 40.
    let mut seen = BTreeMap::new();
    for path in ["tags/t0/", "tags/t0/page/2/", "tags/t0/page/3/"] {
        for l in card_links(&site.output(&format!("{path}index.html"))) {
            let (file, _) = resolve(&format!("{path}index.html"), &l).unwrap();
            *seen.entry(file).or_insert(0) += 1;
        }
    }
    assert_eq!(seen.len(), 84);
    assert!(seen.values().all(|&n| n == 1));
    assert!(!site.public().join("tags/t0/page/4").exists());
}

#[test]
fn every_link_on_the_paginated_pages_resolves() {
    let site = big_site();
    let pages = [
        "01-big/page/2/index.html",
        "01-big/page/3/index.html",
        "en/01-big/page/2/index.html",
        "01-big/checklist/page/5/index.html",
        "checklists/page/2/index.html",
        "tags/t1/page/2/index.html",
    ];
    for page in pages {
        let html = site.output(page);
        for url in urls(&html).into_iter().filter(|u| !common::is_external(u) && !u.starts_with('#')) {
            let (file, _) = resolve(page, url).unwrap_or_else(|| panic!("{url} in {page} leaves the site"));
            assert!(site.public().join(&file).is_file(), "{url} in {page}: no {file}");
        }
    }
}

#[test]
fn pagination_off_gives_one_page() {
    let site = big_site();
    let yaml = SITE_YAML
        .replace("paginate: {stage: 100, terms: 40, handout: 60}", "paginate: {stage: 0, terms: 0, handout: 0}");
    site.write("site.yaml", yaml);
    site.build(&[]).expect_code(0);
    assert!(!site.public().join("01-big/page").exists());
    assert!(!site.public().join("01-big/checklist/page").exists());
    assert_eq!(card_links(&site.output("01-big/index.html")).len(), 250);
    assert_eq!(item_ids(&site.output("01-big/checklist/index.html")).len(), 500);
}

#[test]
fn a_link_to_a_later_listing_page_is_an_error_with_a_hint() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\ndefault_language: en\npaginate: {stage: 2}\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\nSee [page 2](01-a/page/2/).\n");
    site.write("content/01-a/_index.md", "---\ntitle: A\n---\nA.\n");
    for i in 0..5 {
        site.write(&format!("content/01-a/x{i}.md"), format!("---\ntitle: X{i}\n---\nText.\n"));
    }
    let run = site.check(&[]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(
            "content/_index.md:4:5: error: link `01-a/page/2/` points to a later page of a listing, which is not a link target"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("link the listing (`01-a/_index.md`) or an article"), "{}", run.stderr);
}
