//! What readers get beyond the pages themselves, on the `reader` fixture (two
//! languages, checklist items in one stage only, tags in one language):
//! portable links for use from disk, texts of site.yaml per language, one
//! 404 page per language, language switches and `hreflang` on every page
//! kind, no checklist UI where there are no items, labelled checkboxes.

mod common;

use common::{Site, build_fixture, is_external, resolve, tree, urls};

/// Every `.html` file of an output folder, by path, as text.
fn html_pages(site: &Site) -> Vec<(String, String)> {
    tree(&site.public())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("HTML is UTF-8")))
        .collect()
}

/// The `<ul class="lang-switch">` element of a page.
fn language_switcher(html: &str) -> &str {
    let start = html.find("<ul class=\"lang-switch\"").expect("page has a language switcher");
    let end = html[start..].find("</ul>").expect("switcher is closed") + start;
    &html[start..end]
}

/// The `hreflang` alternates in a page's head: (code, URL).
fn alternates(html: &str) -> Vec<(&str, &str)> {
    html.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let (code, rest) = rest.split_once("\" href=\"").unwrap();
            (code, &rest[..rest.find('"').unwrap()])
        })
        .collect()
}

#[test]
fn portable_build_links_every_page_as_index_html_and_they_resolve() {
    let (site, public) = build_fixture("reader", &["--portable"]);
    let files = tree(&public);
    let pages = html_pages(&site);
    assert!(pages.len() >= 25, "{}", pages.len());
    for (path, html) in &pages {
        if path.ends_with("404.html") {
            continue; // links from the base path, see below
        }
        for url in urls(html) {
            if is_external(url) || url.starts_with('#') {
                continue;
            }
            let file = url.split(['#', '?']).next().unwrap();
            let name = file.rsplit('/').next().unwrap();
            assert!(name.contains('.'), "{path}: link {url:?} names a folder, which a browser cannot open from disk");
            let (target, _) = resolve(path, url).unwrap_or_else(|| panic!("{path}: {url} leaves the site"));
            assert!(files.contains_key(&target), "{path}: {url} -> {target} does not exist");
        }
    }
    let article = site.output("01-plan/ziele/index.html");
    assert!(article.contains("href=\"../../02-tun/los/index.html\">gewählt</a>"), "Markdown links too");
    assert!(article.contains("<a href=\"../checklist/index.html\">"), "{article}");
    assert!(site.output("index.html").contains("data-portable"), "search results link to index.html too");
}

#[test]
fn portable_switch_in_site_yaml_equals_the_flag() {
    let (flag, _) = build_fixture("reader", &["--portable"]);
    let switch = Site::from_fixture("reader");
    let yaml = switch.read("site.yaml");
    switch.write("site.yaml", format!("{yaml}portable: true\n"));
    switch.build(&[]).expect_clean_success();
    assert_eq!(tree(&flag.public()), tree(&switch.public()));
    let (pretty, _) = build_fixture("reader", &[]);
    assert!(pretty.output("01-plan/ziele/index.html").contains("href=\"../../02-tun/los/\""), "pretty by default");
}

#[test]
fn site_texts_follow_the_page_language() {
    let (site, _) = build_fixture("reader", &[]);
    let en = site.output("en/01-plan/ziele/index.html");
    assert!(en.contains("<title>Goals – Guide</title>"), "{en}");
    assert!(en.contains("<span>Guide</span>"));
    assert!(en.contains("<meta property=\"og:site_name\" content=\"Guide\">"));
    assert!(en.contains("<p>Footer text</p>"));
    assert!(en.contains("@top-left { content: \"Guide\";"), "print header");
    let de = site.output("01-plan/ziele/index.html");
    assert!(de.contains("<span>Leitfaden</span>") && de.contains("<p>Fußzeile</p>"));
    let json = site.output("en/checklists/checklists.json");
    assert!(json.contains("\"guide\": \"Guide\""), "{json}");
    assert!(site.output("en/print/index.html").contains("<title>Print version – Guide</title>"));
    assert!(site.output("en/atom.xml").contains("<title>Guide</title>"));
}

#[test]
fn dates_are_written_the_way_each_language_writes_them() {
    let (site, _) = build_fixture("reader", &[]);
    let de = site.output("01-plan/ziele/index.html");
    assert!(de.contains("Aktualisiert am <time datetime=\"2026-03-05\">5. März 2026</time>"), "{de}");
    let en = site.output("en/01-plan/ziele/index.html");
    assert!(en.contains("Updated <time datetime=\"2026-03-05\">March 5, 2026</time>"));
    let cover = site.output("print/index.html");
    assert!(cover.contains("Stand: <time datetime=\"2026-03-05\">5. März 2026</time>"), "print cover date");
}

#[test]
fn each_language_has_a_404_page_linking_from_the_base_path() {
    let (site, _) = build_fixture("reader", &[]);
    let de = site.output("404.html");
    let en = site.output("en/404.html");
    assert!(de.contains("<html lang=\"de\"") && en.contains("<html lang=\"en\""));
    for (page, html) in [("404.html", &de), ("en/404.html", &en)] {
        for url in urls(html) {
            if !is_external(url) && !url.starts_with('#') {
                assert!(url.starts_with("/guide/"), "{page}: {url} is not from the base path");
            }
        }
    }
    assert!(en.contains("href=\"/guide/en/checklists/\"") && en.contains("href=\"/guide/en/01-plan/\""));
    assert!(language_switcher(&en).contains("href=\"/guide/\""), "EN 404 switches to the German home");
    assert!(alternates(&en).contains(&("x-default", "https://example.org/guide/404.html")));
}

#[test]
fn language_switch_of_tag_and_role_pages_keeps_the_term_where_it_exists() {
    let (site, _) = build_fixture("reader", &[]);
    let role = site.output("roles/management/index.html");
    assert!(language_switcher(&role).contains("href=\"../../en/roles/management/\""), "{}", language_switcher(&role));
    assert_eq!(
        alternates(&role),
        [
            ("de", "https://example.org/guide/roles/management/"),
            ("x-default", "https://example.org/guide/roles/management/"),
            ("en", "https://example.org/guide/en/roles/management/"),
        ]
    );
    // `planung` is a German tag only: the switch leads to the English home.
    let tag = site.output("tags/planung/index.html");
    assert!(language_switcher(&tag).contains("href=\"../../en/\""));
    assert!(!alternates(&tag).iter().any(|(code, _)| *code == "en"));
    let index = site.output("en/tags/index.html");
    assert!(language_switcher(&index).contains("href=\"../../tags/\""));
}

#[test]
fn every_page_names_its_own_language_and_the_default_version() {
    let (site, _) = build_fixture("reader", &[]);
    for (path, html) in html_pages(&site) {
        let lang = if path.starts_with("en/") { "en" } else { "de" };
        let alts = alternates(&html);
        assert!(alts.iter().any(|(code, _)| *code == lang), "{path}: no hreflang for itself: {alts:?}");
        let german = alts.iter().find(|(code, _)| *code == "de");
        assert_eq!(alts.iter().find(|(code, _)| *code == "x-default").map(|a| a.1), german.map(|a| a.1), "{path}");
    }
}

#[test]
fn stages_without_items_get_no_handout_and_no_link_to_one() {
    let (site, public) = build_fixture("reader", &[]);
    assert!(public.join("01-plan/checklist/index.html").exists());
    assert!(!public.join("02-tun/checklist").exists(), "empty handout");
    assert!(!site.output("02-tun/index.html").contains("checklist/"));
    assert!(!site.output("index.html").contains("href=\"02-tun/checklist/\""));
    assert!(site.output("index.html").contains("href=\"01-plan/checklist/\""));
    assert!(!site.output("02-tun/los/index.html").contains("checklist-box"));
}

#[test]
fn a_site_without_items_or_roles_has_no_checklist_ui_and_no_empty_taxonomy_pages() {
    let site = Site::from_fixture("reader");
    for (file, meta) in [("ziele.md", "roles: [management]\n"), ("ziele.en.md", "roles: [management]\n")] {
        let path = format!("content/01-plan/{file}");
        let text = site.read(&path).replace(meta, "");
        let text = text.split("\n## Check").next().unwrap().to_string();
        site.write(&path, text);
    }
    site.build(&[]).expect_clean_success();
    let public = site.public();
    for gone in ["checklists", "en/checklists", "01-plan/checklist", "roles", "en/roles"] {
        assert!(!public.join(gone).exists(), "{gone} was generated");
    }
    for (path, html) in html_pages(&site) {
        assert!(!html.contains("checklists/") && !html.contains("checklist/"), "{path} links a checklist");
        assert!(!html.contains("roles/"), "{path} links a role page");
    }
    assert!(public.join("tags/ziele/index.html").exists());
}

#[test]
fn an_empty_summary_falls_back_to_the_first_paragraph() {
    let (site, _) = build_fixture("reader", &[]);
    let page = site.output("01-plan/ziele/index.html");
    assert!(page.contains("<meta name=\"description\" content=\"Ziele setzen heißt priorisieren.\">"), "{page}");
    assert!(site.output("01-plan/index.html").contains("<p>Ziele setzen heißt priorisieren.</p>"));
}

#[test]
fn checkboxes_are_labelled_by_their_item_and_paired_with_the_translation() {
    let (site, _) = build_fixture("reader", &[]);
    let de = site.output("01-plan/ziele/index.html");
    let en = site.output("en/01-plan/ziele/index.html");
    let pair = |html: &str, n: usize| -> String {
        let (i, _) = html.match_indices("data-pair=\"").nth(n).expect("a paired item");
        html[i + 11..].split('"').next().unwrap().to_string()
    };
    assert!(de.contains("<label class=\"task-label\"><input type=\"checkbox\" class=\"task\" data-check=\""));
    assert!(de.contains(" disabled> Ziel benannt</label>"), "the whole item text is the label");
    assert_eq!(pair(&de, 0), pair(&en, 0));
    assert_eq!(pair(&de, 1), pair(&en, 1));
    assert_ne!(pair(&de, 0), pair(&de, 1));
    let handout = site.output("01-plan/checklist/index.html");
    let id = handout.split("id=\"ck-").nth(1).unwrap().split('"').next().unwrap();
    assert!(handout.contains(&format!("<label for=\"ck-{id}\">Ziel benannt</label>")), "{handout}");
    assert!(handout.contains(&format!("data-pair=\"{}\"", pair(&de, 0))));
    assert!(de.contains("<a href=\"#checkliste\">2 Checklistenpunkte</a>"), "jumps to the list, not below it");
}
