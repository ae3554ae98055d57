//! The position check: `assessment:` statements in stage front-matter and
//! `assessment.scale` in site.yaml give located errors, `check` warns about
//! stages left out and translations out of step, and the build writes
//! `/assessment/` per language with the data its script reads.

mod common;

use common::Site;

/// A two-language site: stage `01-a` (with article `a1`) and `02-b`,
/// each stage's German front-matter extended by `a` and `b`.
fn site(a: &str, b: &str) -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: T\ndefault_language: de\nlanguages: [de, en]\n");
    for lang in ["", ".en"] {
        site.write(&format!("content/_index{lang}.md"), "---\ntitle: Home\n---\n");
        site.write(&format!("content/01-a/a1{lang}.md"), "---\ntitle: A1\n---\nText.\n");
        site.write(&format!("content/02-b/b1{lang}.md"), "---\ntitle: B1\n---\nText.\n");
    }
    site.write("content/01-a/_index.md", format!("---\ntitle: A\n{a}---\n"));
    site.write("content/02-b/_index.md", format!("---\ntitle: B\n{b}---\n"));
    site.write("content/01-a/_index.en.md", "---\ntitle: A en\n---\n");
    site.write("content/02-b/_index.en.md", "---\ntitle: B en\n---\n");
    site
}

const TWO: &str = "assessment:\n  - text: \"Ziele sind klar\"\n    hint: \"Wer kennt sie?\"\n    see: a1.md\n  - text: \"Daten sind gepflegt\"\n";

/// The diagnostics printed for `site`, without the final summary line.
fn diagnostics(site: &Site, code: i32) -> String {
    let run = site.check(&[]);
    run.expect_code(code);
    run.stderr.rsplit_once("\n\n").map_or(run.stderr.clone(), |(d, _)| format!("{d}\n"))
}

#[test]
fn errors_on_a_statement_without_text_at_its_entry() {
    let s = site("assessment:\n  - text: \"Ziele sind klar\"\n  - text: \"  \"\n", "");
    let d = diagnostics(&s, 1);
    assert!(
        d.starts_with(
            "content/01-a/_index.md:5:3: error: statement 2 of `assessment` has no text\n  |\n5 |   - text: \"  \"\n  |   ^\n  = hint: write the statement readers rate, or remove the entry\n"
        ),
        "{d}"
    );
}

#[test]
fn errors_on_a_repeated_statement_and_an_unknown_statement_field() {
    let s = site("assessment:\n  - text: \"Ziele sind klar\"\n  - text: \"ziele  sind KLAR\"\n", "");
    let d = diagnostics(&s, 1);
    assert!(d.contains("content/01-a/_index.md:5:3: error: statement 2 repeats statement 1 of `assessment`"), "{d}");
    let s = site("assessment:\n  - text: \"Ziele sind klar\"\n    hnt: x\n", "");
    let d = diagnostics(&s, 1);
    assert!(d.contains("content/01-a/_index.md:5:5: error: unknown field `hnt` in `assessment[0]`"), "{d}");
    assert!(d.contains("= hint: did you mean `hint`?"), "{d}");
}

#[test]
fn errors_on_a_see_that_names_no_article() {
    let s = site("assessment:\n  - text: \"Ziele sind klar\"\n    see: nope.md\n", "");
    let d = diagnostics(&s, 1);
    assert!(d.contains("content/01-a/_index.md:5:10: error: `see: nope.md` names no article in `de`"), "{d}");
}

#[test]
fn errors_on_a_scale_without_labels_or_with_one_level() {
    let s = site(TWO, "");
    s.write(
        "site.yaml",
        "title: T\ndefault_language: de\nlanguages: [de, en]\nassessment:\n  scale:\n    - {de: nein, en: \"no\"}\n    - {de: \"\", en: \"yes\"}\n",
    );
    let d = diagnostics(&s, 1);
    assert_eq!(
        d,
        "site.yaml:7:5: error: level 2 of `assessment.scale` has no label in `de`\n  |\n7 |     - {de: \"\", en: \"yes\"}\n  |     ^\n  = hint: give every level a label\n"
    );
    s.write("site.yaml", "title: T\ndefault_language: de\nlanguages: [de, en]\nassessment:\n  scale: []\n");
    assert!(diagnostics(&s, 1).contains("error: `assessment.scale` has 0 level(s)"));
}

#[test]
fn warns_about_a_stage_without_statements_only_when_others_have_some() {
    let quiet = site("", "");
    let d = quiet.check(&[]);
    d.expect_code(0);
    assert!(!d.stderr.contains("assessment"), "{}", d.stderr);
    let s = site(TWO, "");
    let d = s.check(&[]);
    d.expect_code(0);
    assert!(
        d.stderr.contains(
            "content/02-b/_index.md:2:1: warning: this stage has no `assessment` statements; other stages have some"
        ),
        "{}",
        d.stderr
    );
    // The English stages have none at all: no warning for them, but each
    // German stage with statements warns on its translation.
    assert!(!d.stderr.contains("content/02-b/_index.en.md:2:1: warning: this stage"), "{}", d.stderr);
    assert!(
        d.stderr
            .contains("content/01-a/_index.en.md:2:1: warning: 0 `assessment` statements here, 2 in the `de` version"),
        "{}",
        d.stderr
    );
}

/// The JSON the page script reads.
fn page_data(html: &str) -> serde_json::Value {
    let start = html.find("id=\"lotse-assessment\">").expect("data element") + "id=\"lotse-assessment\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn builds_the_page_per_language_with_shared_ids_and_the_default_scale() {
    let s = site(TWO, "assessment:\n  - text: \"Eins </script>\"\n");
    s.write(
        "content/01-a/_index.en.md",
        "---\ntitle: A en\nassessment:\n  - text: \"Goals are clear\"\n    see: a1.en.md\n  - text: \"Data is kept\"\n---\n",
    );
    s.write("content/02-b/_index.en.md", "---\ntitle: B en\nassessment:\n  - text: \"One\"\n---\n");
    s.build(&[]).expect_clean_success();
    let de = s.output("assessment/index.html");
    let en = s.output("en/assessment/index.html");
    let (d, e) = (page_data(&de), page_data(&en));
    assert_eq!(d["version"], 1);
    assert_eq!(d["scale"][0], "trifft nicht zu");
    assert_eq!(e["scale"][3], "fully applies");
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["stages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["statements"].as_array().unwrap().clone())
            .map(|q| q["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&d), ids(&e), "translations share ids position by position");
    assert_eq!(ids(&d).len(), 3);
    assert_eq!(d["stages"][0]["statements"][0]["see"]["url"], "../01-a/a1/");
    assert_eq!(d["stages"][0]["first"]["url"], "../01-a/a1/");
    assert_eq!(e["stages"][0]["statements"][0]["text"], "Goals are clear");
    assert!(!de.contains("Eins </script>"), "statement text closes the data element");
    assert_eq!(d["stages"][1]["statements"][0]["text"], "Eins </script>");
    // Every statement is a labelled radio group, with its hint described.
    assert_eq!(de.matches("<fieldset class=\"statement\"").count(), 3);
    assert_eq!(de.matches("type=\"radio\"").count(), 12);
    assert!(de.contains("aria-describedby=\"hint-"));
    // The header links to it; the language switch leads to the other one.
    assert!(s.output("index.html").contains("href=\"assessment/\""));
    assert!(de.contains("hreflang=\"en\" href=\"https:") || de.contains("href=\"../en/assessment/\""), "{de}");
}

#[test]
fn no_page_and_no_link_without_statements() {
    let s = site("", "");
    s.build(&[]).expect_clean_success();
    assert!(!s.public().join("assessment").exists());
    assert!(!s.output("index.html").contains("assessment/"));
}

#[test]
fn the_item_index_lists_every_checklist_item_with_its_pair() {
    let s = site("", "");
    s.write("content/01-a/a1.md", "---\ntitle: A1\n---\n- [ ] Eins\n- [ ] Zwei\n");
    s.write("content/01-a/a1.en.md", "---\ntitle: A1\n---\n- [ ] One\n- [ ] Two\n");
    s.build(&[]).expect_clean_success();
    let js = s.output("checklist-items.js");
    let json = js.strip_prefix("window.LotseChecklistItems = ").unwrap().trim_end().trim_end_matches(';');
    let items: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
    assert_eq!(items.len(), 4, "{js}");
    let pairs: std::collections::BTreeSet<&str> = items.values().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(pairs.len(), 2, "each German item shares its pair key with its English one");
    let handout = s.output("01-a/checklist/index.html");
    assert!(handout.contains("data-progress-export") && handout.contains("data-progress-import"));
}
