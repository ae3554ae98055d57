//! The Atom feeds and the sitemap parse as XML and list the right pages.

mod common;

use common::build_fixture;

#[test]
fn atom_feeds_are_valid_xml_with_one_entry_per_article_and_language() {
    let (_site, public) = build_fixture("two-languages", &["--base-url", "https://guide.example.org/sub/"]);
    for (file, lang) in [("atom.xml", "de"), ("en/atom.xml", "en")] {
        let text = std::fs::read_to_string(public.join(file)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().name(), "feed");
        assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
        assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some(lang));
        let entries: Vec<_> = feed.children().filter(|n| n.has_tag_name("entry")).collect();
        assert!(!entries.is_empty(), "{file}: no entries");
        for e in &entries {
            for required in ["title", "id", "updated", "link"] {
                assert!(e.children().any(|c| c.has_tag_name(required)), "{file}: entry without <{required}>");
            }
            let id = e.children().find(|c| c.has_tag_name("id")).and_then(|c| c.text()).unwrap();
            let prefix =
                if lang == "de" { "https://guide.example.org/sub/0" } else { "https://guide.example.org/sub/en/0" };
            assert!(id.starts_with(prefix), "{file}: {id}");
        }
    }
}

#[test]
fn sitemap_lists_every_page_with_its_translations() {
    let (_site, public) = build_fixture("two-languages", &["--base-url", "https://guide.example.org/"]);
    let text = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.contains(&"https://guide.example.org/"));
    assert!(locs.contains(&"https://guide.example.org/en/"));
    assert!(locs.contains(&"https://guide.example.org/01-plan/ziele/"));
    let alternates = doc.descendants().filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link"))).count();
    assert!(alternates > 0);
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://guide.example.org/sitemap.xml"));
}
