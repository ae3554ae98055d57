//! Hostile front-matter: every field carries markup and quotes; no HTML or
//! XML output may contain it unescaped, and `markdown.safe` strips raw HTML.

mod common;

use common::{Site, tree};

const P: &str = r#"\"'><script>alert(1)</script><img src=x onerror=alert(2)>"#;

fn hostile_site(safe: bool) -> Site {
    let site = Site::empty();
    let yaml_safe = if safe { "markdown:\n  safe: true\n" } else { "" };
    site.write(
        "site.yaml",
        format!(
            "title: \"T{P}\"\ndescription: \"D{P}\"\nbase_url: \"https://x.example/\"\ndefault_language: en\nbranding:\n  footer: \"F{P}\"\n{yaml_safe}"
        ),
    );
    site.write("content/_index.md", format!("---\ntitle: \"Home{P}\"\nsummary: \"S{P}\"\n---\nHello.\n"));
    site.write(
        "content/01-a/_index.md",
        format!("---\ntitle: \"Stage{P}\"\nsummary: \"S{P}\"\noutcome: \"O{P}\"\n---\nStage.\n"),
    );
    site.write(
        "content/01-a/page.md",
        format!(
            "---\ntitle: \"Page{P}\"\nsummary: \"S{P}\"\ntags: [\"tag{P}\"]\nroles: [\"role{P}\"]\n---\n## Heading\n\n- [ ] item\n\n<script>alert(3)</script>\n\n<a href=\"javascript:alert(4)\" onclick=\"alert(5)\">x</a>\n"
        ),
    );
    site
}

fn markup_outputs(site: &Site) -> Vec<(String, String)> {
    tree(&site.public())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".xml"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn front_matter_markup_is_escaped_in_every_html_and_xml_file() {
    let site = hostile_site(false);
    site.build(&[]).expect_code(0);
    let files = markup_outputs(&site);
    assert!(files.len() > 8, "{} files", files.len());
    for (path, text) in &files {
        assert!(!text.contains("<script>alert(1)"), "{path}: unescaped <script>");
        assert!(!text.contains("<img src=x"), "{path}: unescaped <img>");
        assert!(!text.contains("\"'><"), "{path}: an attribute was broken out of");
    }
    let css_title = site.output("index.html");
    assert!(!css_title.contains("</script><img"), "print margin title must be a CSS string");
}

#[test]
fn safe_markdown_strips_raw_html_scripts_and_handlers() {
    let unsafe_site = hostile_site(false);
    unsafe_site.build(&[]).expect_code(0);
    assert!(
        unsafe_site.output("01-a/page/index.html").contains("<script>alert(3)</script>"),
        "raw HTML passes by default"
    );
    let site = hostile_site(true);
    site.build(&[]).expect_code(0);
    for (path, text) in markup_outputs(&site) {
        for bad in ["<script>alert(3)", "javascript:alert(4)", "onclick="] {
            assert!(!text.contains(bad), "{path}: {bad}");
        }
    }
    assert!(site.output("01-a/page/index.html").contains("data-check="), "checkboxes survive sanitising");
}
