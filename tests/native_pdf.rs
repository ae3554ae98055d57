//! The PDFs `lotse build` typesets itself (no browser): every handout, the
//! series checklist and the whole guide of the flagship guide open, have
//! the right paper and pages, hold every checklist item and heading, link
//! inside the document, and come out byte-identical from two builds.
//! Checked with poppler's `pdfinfo` and `pdftotext`; skipped (with a
//! message) where they are missing, unless `LOTSE_REQUIRE_BROWSER` is set.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use common::{Site, compact, pdf_pages, run_tool};

/// The flagship guide, built once for the tests of this file.
fn guide() -> &'static Path {
    static BUILT: OnceLock<tempfile::TempDir> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            build(env!("CARGO_MANIFEST_DIR"), &tmp.path().join("public"));
            tmp
        })
        .path()
}

fn build(root: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", root, "--out"])
        .arg(out)
        .env_remove("LOTSE_TODAY")
        .status()
        .unwrap();
    assert!(status.success());
}

fn tools(test: &str) -> bool {
    common::have_browser_tools(test, &["pdftotext", "pdfinfo"])
}

fn text(pdf: &Path) -> String {
    run_tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

fn info(pdf: &Path) -> String {
    run_tool("pdfinfo", &[pdf.to_str().unwrap()])
}

/// The stage folders of the guide (`01-leadership`, …).
fn stages(public: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(public)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("checklist/index.html").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

#[test]
fn every_handout_is_an_a4_pdf_with_all_its_items() {
    if !tools("every_handout_is_an_a4_pdf_with_all_its_items") {
        return;
    }
    let public = guide().join("public");
    let stages = stages(&public);
    assert_eq!(stages.len(), 6);
    let mut checked = 0;
    for prefix in ["", "en/"] {
        let folders = stages.iter().map(|s| format!("{prefix}{s}/checklist/")).chain([format!("{prefix}checklists/")]);
        for folder in folders {
            let dir = public.join(&folder);
            let pdf =
                std::fs::read_dir(&dir).unwrap().flatten().find(|e| e.path().extension().is_some_and(|x| x == "pdf"));
            let pdf = pdf.unwrap_or_else(|| panic!("no PDF in {folder}")).path();
            let i = info(&pdf);
            assert!(i.contains("(A4)"), "{folder}: {i}");
            assert!(i.contains("Tagged:          yes"), "{folder}: {i}");
            let (pages, _) = pdf_pages(&pdf);
            let json = std::fs::read_to_string(
                std::fs::read_dir(&dir)
                    .unwrap()
                    .flatten()
                    .find(|e| e.path().extension().is_some_and(|x| x == "json"))
                    .unwrap()
                    .path(),
            )
            .unwrap();
            let json: serde_json::Value = serde_json::from_str(&json).unwrap();
            let items = json["items"].as_array().unwrap();
            // About 12 to 25 items fit on a page.
            assert!(
                (items.len() / 25..=items.len() / 6 + 1).contains(&pages),
                "{folder}: {pages} pages for {} items",
                items.len()
            );
            let t = compact(&text(&pdf));
            for item in items {
                let want = compact(item["item"].as_str().unwrap());
                assert!(t.contains(&want), "{folder}: item missing from the PDF: {}", item["item"]);
            }
            // The HTML handout links its PDF, and the PDF shows what it
            // shows: title, outcome, every article's title and address.
            let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
            let main = &html[html.find("<main").unwrap()..];
            for h in headings(main) {
                assert!(t.contains(&compact(&h)), "{folder}: heading missing from the PDF: {h}");
            }
            for url in main.split("<span class=\"url\">").skip(1).filter_map(|u| u.split('<').next()) {
                assert!(t.contains(&compact(url)), "{folder}: address missing from the PDF: {url}");
            }
            if let Some(outcome) = main.split("<p class=\"outcome\">").nth(1) {
                let outcome = outcome.split("</p>").next().unwrap().replace("<strong>", "").replace("</strong>", "");
                assert!(t.contains(&compact(&outcome)), "{folder}: outcome missing: {outcome}");
            }
            let name = pdf.file_name().unwrap().to_str().unwrap();
            assert!(html.contains(&format!("href=\"{name}\"")), "{folder}: no link to {name}");
            checked += 1;
        }
    }
    assert_eq!(checked, 14, "12 stage handouts and 2 series checklists");
}

/// `<h1>`…`<h6>` texts of an HTML page, without tags and anchors.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        let Some(level) = rest.chars().next().filter(|c| ('1'..='6').contains(c)) else { continue };
        let Some(end) = rest.find(&format!("</h{level}>")) else { break };
        let inner = &rest[rest.find('>').unwrap() + 1..end];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.trim_end_matches('#').replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
        out.push(text);
        rest = &rest[end..];
    }
    out
}

#[test]
fn the_whole_guide_has_every_heading_and_item_and_a_true_table_of_contents() {
    if !tools("the_whole_guide_has_every_heading_and_item_and_a_true_table_of_contents") {
        return;
    }
    let public = guide().join("public");
    for prefix in ["", "en/"] {
        let pdf = public.join(format!("{prefix}print/guide.pdf"));
        let i = info(&pdf);
        assert!(i.contains("(A4)") && i.contains("Tagged:          yes"), "{i}");
        let (pages, _) = pdf_pages(&pdf);
        assert!((50..=140).contains(&pages), "{prefix}: {pages} pages");
        let all = text(&pdf);
        let t = compact(&all);
        let print = std::fs::read_to_string(public.join(format!("{prefix}print/index.html"))).unwrap();
        assert!(print.contains("href=\"guide.pdf\""), "the print page links its PDF");
        let hs = headings(&print);
        assert!(hs.len() > 100, "{} headings", hs.len());
        for h in hs.iter().filter(|h| !h.is_empty()) {
            assert!(t.contains(&compact(h)), "{prefix}: heading missing from the PDF: {h}");
        }
        let json = std::fs::read_to_string(public.join(format!("{prefix}checklists/checklists.json"))).unwrap();
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        for item in json["items"].as_array().unwrap() {
            assert!(t.contains(&compact(item["item"].as_str().unwrap())), "{prefix}: item missing: {}", item["item"]);
        }
        // Each table-of-contents entry's page shows that entry's heading.
        let toc = run_tool("pdftotext", &["-f", "2", "-l", "2", "-layout", pdf.to_str().unwrap(), "-"]);
        let mut entries = 0;
        for line in toc.lines() {
            let Some((title, page)) = line.trim().rsplit_once(' ') else { continue };
            // Typst puts a word joiner before the number.
            let page = page.trim_matches(|c: char| !c.is_ascii_digit());
            let (Ok(page), true) = (page.parse::<usize>(), title.contains(" . ")) else { continue };
            let title = title.split(" . ").next().unwrap().trim();
            let p = page.to_string();
            let on_page = run_tool("pdftotext", &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"]);
            assert!(compact(&on_page).contains(&compact(title)), "{prefix}: `{title}` is not on page {page}");
            entries += 1;
        }
        assert!(entries >= 25, "{prefix}: {entries} entries read from the table of contents:\n{toc}");
        // Internal links (table of contents, cross-references) are PDF links
        // to places in the document.
        let bytes = std::fs::read(&pdf).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        let links = raw.matches("/Subtype/Link").count();
        let internal = raw.matches("/Dest(p-").count();
        assert!(internal >= 40, "{prefix}: {internal} internal of {links} links");
        // Each named destination a link uses is defined (the name tree
        // lists it a second time).
        for name in raw.split("/Dest(").skip(1).filter_map(|r| r.split(')').next()).take(200) {
            assert!(raw.matches(&format!("({name})")).count() >= 2, "{prefix}: no destination `{name}`");
        }
    }
}

#[test]
fn two_builds_give_byte_identical_pdfs() {
    let a = guide().join("public");
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("public");
    build(env!("CARGO_MANIFEST_DIR"), &b);
    let pdfs: Vec<(String, Vec<u8>)> = common::tree(&a).into_iter().filter(|(p, _)| p.ends_with(".pdf")).collect();
    // 12 handouts, 2 series checklists, 2 guides, 12 facilitator guides,
    // 14 worksheets, 2 questionnaires.
    assert_eq!(pdfs.len(), 44, "{:?}", pdfs.iter().map(|(p, _)| p).collect::<Vec<_>>());
    let again = common::tree(&b);
    for (path, bytes) in pdfs {
        assert!(again.get(&path) == Some(&bytes), "{path} differs between two builds");
    }
}

#[test]
fn facilitator_guides_worksheets_and_the_questionnaire_have_their_pdfs() {
    if !tools("facilitator_guides_worksheets_and_the_questionnaire_have_their_pdfs") {
        return;
    }
    let public = guide().join("public");
    let mut sheets = 0;
    for prefix in ["", "en/"] {
        for stage in stages(&public) {
            let dir = public.join(format!("{prefix}{stage}"));
            let guide_pdf = dir.join("workshop/workshop.pdf");
            let t = compact(&text(&guide_pdf));
            assert!(t.contains(&compact(if prefix.is_empty() { "Ablauf" } else { "Agenda" })), "{stage}: no agenda");
            let json = std::fs::read_to_string(dir.join("checklist/checklist.json")).unwrap();
            let json: serde_json::Value = serde_json::from_str(&json).unwrap();
            for item in json["items"].as_array().unwrap() {
                assert!(
                    t.contains(&compact(item["item"].as_str().unwrap())),
                    "{stage}: item missing: {}",
                    item["item"]
                );
            }
            assert!(
                std::fs::read_to_string(dir.join("workshop/index.html")).unwrap().contains("href=\"workshop.pdf\"")
            );
            let Ok(entries) = std::fs::read_dir(dir.join("worksheets")) else { continue };
            for sheet in entries.flatten() {
                let html = std::fs::read_to_string(sheet.path().join("index.html")).unwrap();
                let pdf = sheet.path().join("worksheet.pdf");
                let (pages, size) = pdf_pages(&pdf);
                assert_eq!(pages, 1, "{}", pdf.display());
                let landscape = html.contains("worksheet-sheet landscape");
                assert_eq!(size.starts_with("841"), landscape, "{}: {size}", pdf.display());
                assert!(html.contains("href=\"worksheet.pdf\""));
                sheets += 1;
            }
        }
        let q = compact(&text(&public.join(format!("{prefix}assessment/assessment.pdf"))));
        for stage in stages(&public) {
            let title = std::fs::read_to_string(public.join(format!("{prefix}{stage}/index.html"))).unwrap();
            let h1 =
                title.split("<h1").nth(1).and_then(|h| h.split('>').nth(1)).and_then(|h| h.split('<').next()).unwrap();
            assert!(q.contains(&compact(h1)), "{prefix}{stage}: `{h1}` missing from the questionnaire");
        }
    }
    assert_eq!(sheets, 14);
}

#[test]
fn hostile_titles_bodies_and_front_matter_stay_text() {
    let site = Site::empty();
    let hostile = r##"#panic("boom") ] [ $x$ <l> @r \ // /* `#x` = - + ~ * _"##;
    let quoted = hostile.replace('\\', "\\\\").replace('"', "\\\"");
    site.write("site.yaml", format!("title: \"{quoted}\"\ndescription: \"{quoted}\"\nbase_url: https://x.org/\n"));
    site.write("content/_index.md", format!("---\ntitle: \"{quoted}\"\n---\n\n{hostile}\n"));
    site.write("content/01-s/_index.md", format!("---\ntitle: \"{quoted}\"\noutcome: \"{quoted}\"\n---\n"));
    site.write(
        "content/01-s/a.md",
        format!(
            "---\ntitle: \"{quoted}\"\nsummary: \"{quoted}\"\n---\n\n## {hostile}\n\n{hostile}\n\n- [ ] {hostile}\n\n> [!NOTE]\n> {hostile}\n\n| {h} |\n|---|\n| {h} |\n",
            h = hostile.replace('|', "")
        ),
    );
    site.build(&[]).expect_clean_success();
    for pdf in ["01-s/checklist/checklist.pdf", "checklists/checklists.pdf", "print/guide.pdf"] {
        let path = site.public().join(pdf);
        assert!(path.exists(), "{pdf} missing");
        if tools("hostile_titles_bodies_and_front_matter_stay_text") {
            let t = text(&path);
            assert!(t.contains("#panic(\"boom\")") || t.contains("#panic(“boom”)"), "{pdf}: {t}");
        }
    }
}

#[test]
fn an_article_without_a_summary_shows_its_first_paragraph_once_in_the_guide() {
    let site = Site::empty();
    site.write("site.yaml", "title: Leitfaden\nbase_url: https://x.org/\n");
    site.write("content/_index.md", "---\ntitle: Start\n---\n\nWillkommen.\n");
    site.write("content/01-s/_index.md", "---\ntitle: Etappe\n---\n\nDie Etappe.\n");
    site.write(
        "content/01-s/a.md",
        "---\ntitle: Ohne Zusammenfassung\n---\n\nErster Absatz Quittenbaum.\n\nZweiter Absatz.\n",
    );
    site.write(
        "content/01-s/b.md",
        "---\ntitle: Mit Zusammenfassung\nsummary: Eigene Kurzfassung Zwetschge.\n---\n\nText.\n",
    );
    site.build(&[]).expect_clean_success();
    let html = site.output("print/index.html");
    assert_eq!(html.matches("Quittenbaum").count(), 1, "{html}");
    assert_eq!(html.matches("Zwetschge").count(), 1, "{html}");
    if !tools("an_article_without_a_summary_shows_its_first_paragraph_once_in_the_guide") {
        return;
    }
    let t = text(&site.public().join("print/guide.pdf"));
    assert_eq!(t.matches("Quittenbaum").count(), 1, "{t}");
    assert_eq!(t.matches("Zwetschge").count(), 1, "a summary of its own is shown: {t}");
}

#[test]
fn print_pdf_false_writes_no_pdfs_and_no_links() {
    let site = Site::from_fixture("two-languages");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}print:\n  pdf: false\n"));
    site.build(&[]).expect_code(0);
    let files = common::tree(&site.public());
    assert!(!files.keys().any(|p| p.ends_with(".pdf")));
    assert!(!files.values().any(|b| String::from_utf8_lossy(b).contains(".pdf\"")));
}

#[test]
fn a_guide_beyond_pdf_max_pages_is_left_out_with_a_note() {
    let site = Site::from_fixture("two-languages");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}print:\n  pdf_max_pages: 2\n"));
    site.write("content/01-plan/aufgaben.md", "---\ntitle: Aufgaben\n---\n\n- [ ] Sponsor benannt\n");
    let run = site.build(&[]);
    run.expect_code(0);
    assert!(run.stdout.contains("note: print/guide.pdf not written: "), "{}", run.stdout);
    assert!(run.stdout.contains("print.pdf_max_pages is 2"), "{}", run.stdout);
    let files = common::tree(&site.public());
    assert!(!files.keys().any(|p| p.ends_with("guide.pdf")));
    assert!(files.keys().any(|p| p.ends_with("checklist.pdf")), "the handouts are still written");
    assert!(!String::from_utf8_lossy(&files["print/index.html"]).contains("guide.pdf"));
}

#[test]
fn a_participants_build_keeps_facilitator_text_out_of_the_pdfs() {
    if !tools("a_participants_build_keeps_facilitator_text_out_of_the_pdfs") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--audience", "participants", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let all = compact(&text(&guide().join("public/print/guide.pdf")));
    assert!(all.contains(&compact("Für Moderierende")), "the full build shows facilitator notes");
    let files = common::tree(&out);
    assert!(!files.keys().any(|p| p.ends_with("workshop.pdf")), "no facilitator guides for participants");
    assert!(files.keys().any(|p| p.ends_with("worksheet.pdf")), "worksheets are for participants too");
    for pdf in ["print/guide.pdf", "en/print/guide.pdf", "01-leadership/checklist/checklist.pdf"] {
        let t = compact(&text(&out.join(pdf)));
        assert!(!t.contains(&compact("Für Moderierende")) && !t.contains(&compact("For facilitators")), "{pdf}");
    }
}
