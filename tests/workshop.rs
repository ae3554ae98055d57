//! The workshop kit on the `workshop` fixture (two languages; stage 01 has
//! a plan, facilitator notes and a worksheet; stage 02 has none): labelled
//! facilitator text on the web and never in handouts or exports, a
//! participants' build without a byte of it, the facilitator guide with
//! clock times, printable worksheets, and located errors for every rule.

mod common;

use common::{Site, build_fixture, compact, pdf_pages, print_pdf, run_tool, tree};

/// Markers written into the fixture's facilitator text and step notes.
const SECRETS: [&str; 4] = ["FACIL-SECRET-ONE", "FACIL-SECRET-TWO", "FACIL-SECRET-EN", "STEPNOTE-SECRET"];

fn contains(bytes: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(bytes).contains(needle)
}

#[test]
fn facilitator_text_shows_labelled_on_the_web_and_never_in_handouts_or_exports() {
    let (site, public) = build_fixture("workshop", &[]);
    let article = site.output("01-start/plan/index.html");
    assert!(article.contains("FACIL-SECRET-ONE") && article.contains("FACIL-SECRET-TWO"));
    assert_eq!(article.matches("<p class=\"callout-title\">Für Moderierende</p>").count(), 2);
    assert!(site.output("en/01-start/plan/index.html").contains("<p class=\"callout-title\">For facilitators</p>"));
    for (path, bytes) in tree(&public) {
        let participant_file = path.contains("checklist")
            || path.ends_with(".csv")
            || path.ends_with(".json")
            || path.contains("worksheets/");
        if participant_file {
            for s in SECRETS {
                assert!(!contains(&bytes, s), "{s} in {path}");
            }
        }
    }
    // The description (meta tags, cards) never comes from facilitator text.
    assert!(article.contains("<meta name=\"description\" content=\"Der Plan beginnt hier.\">"));
}

#[test]
fn a_participants_build_has_no_facilitator_text_in_any_output_byte() {
    for how in ["flag", "site.yaml"] {
        let site = Site::from_fixture("workshop");
        let run = if how == "flag" {
            site.build(&["--audience", "participants"])
        } else {
            let yaml = site.read("site.yaml") + "audience: participants\n";
            site.write("site.yaml", yaml);
            site.build(&[])
        };
        run.expect_clean_success();
        let files = tree(&site.public());
        for (path, bytes) in &files {
            for s in SECRETS.iter().chain(&["Für Moderierende", "For facilitators", "Moderationsleitfaden"]) {
                assert!(!contains(bytes, s), "{how}: {s} in {path}");
            }
        }
        assert!(!files.keys().any(|p| p.contains("/workshop/")), "{how}: no facilitator guides");
        assert!(files.contains_key("01-start/worksheets/goal-map/index.html"), "{how}: worksheets stay");
        let article = site.output("01-start/plan/index.html");
        assert!(article.contains("Der Plan beginnt hier.") && article.contains("Ziel aufschreiben"));
    }
}

#[test]
fn the_facilitator_guide_has_the_plan_with_clock_times_notes_worksheets_and_checklist() {
    let (site, _) = build_fixture("workshop", &[]);
    let guide = site.output("01-start/workshop/index.html");
    for step in ["AGENDA-1", "AGENDA-2", "AGENDA-3", "AGENDA-4", "STEPNOTE-SECRET", "MATERIAL-A", "PREP-A"] {
        assert!(guide.contains(step), "{step}");
    }
    let times: Vec<&str> = guide.match_indices("<span data-from>").map(|(i, _)| &guide[i + 16..i + 21]).collect();
    assert_eq!(times, ["13:30", "13:45", "14:45", "15:00"]);
    assert!(guide.contains("<span data-to>15:30</span>"));
    assert!(guide.contains("value=\"13:30\""), "the start is a field on the page");
    assert!(guide.contains("<dd>2 Std.</dd>"));
    assert!(guide.contains("Geschäftsleitung, Vertrieb"));
    // Agenda links resolve from the guide; the worksheet step links its sheet.
    assert!(guide.contains("<a href=\"../plan/#ziele\">Planen</a>"), "{guide}");
    assert!(guide.contains("<a href=\"../../02-map/run/\">Laufen</a>"));
    assert!(guide.contains("Arbeitsblatt: <a href=\"../worksheets/goal-map/\">Ziel-Landkarte</a>"));
    // Notes in series order under their article, then the checklist.
    let notes = guide.find("FACIL-SECRET-ONE").unwrap();
    assert!(notes < guide.find("FACIL-SECRET-TWO").unwrap());
    assert!(guide[..notes].contains("<h3><a href=\"../plan/\">Planen</a></h3>"));
    assert!(guide.find("Ziel aufschreiben").unwrap() > notes);
    // Linked from the stage page and listed on the home page; stage 02 has none.
    assert!(site.output("01-start/index.html").contains("href=\"workshop/\""));
    assert!(!site.output("02-map/index.html").contains("href=\"workshop/\""));
    let home = site.output("index.html");
    assert!(
        home.contains(
            "<a href=\"01-start/workshop/\">Auftakt-Workshop</a></td><td>2 Std.</td><td>Geschäftsleitung, Vertrieb</td>"
        ),
        "{home}"
    );
    assert!(site.output("en/index.html").contains("<td>1 h</td><td>Management</td>"));
}

#[test]
fn worksheets_print_as_sheets_with_all_their_rows() {
    let (site, _) = build_fixture("workshop", &[]);
    let sheet = site.output("01-start/worksheets/goal-map/index.html");
    assert_eq!(sheet.matches("class=\"worksheet-row\"").count(), 10);
    assert!(sheet.contains("@page { size: A4 landscape; }"));
    assert!(sheet.contains("Workshop Fixture") && sheet.contains("Etappe 1:"));
    assert!(sheet.contains("<td>Schnell antworten</td>"));
    let article = site.output("01-start/plan/index.html");
    assert_eq!(article.matches("class=\"worksheet-row\"").count(), 3);
    assert!(article.contains("href=\"../worksheets/goal-map/\">Arbeitsblatt zum Ausdrucken</a>"));
    let portable = Site::from_fixture("workshop");
    portable.build(&["--portable"]).expect_clean_success();
    assert!(portable.output("01-start/plan/index.html").contains("href=\"../worksheets/goal-map/index.html\""));
}

/// Replaces `from` by `to` in fixture file `rel`, checks, and returns stderr.
fn check_with(edits: &[(&str, &str, &str)]) -> (i32, String) {
    let site = Site::from_fixture("workshop");
    for (rel, from, to) in edits {
        let text = site.read(rel);
        assert!(text.contains(from), "{from} not in {rel}");
        site.write(rel, text.replacen(from, to, 1));
    }
    let run = site.check(&[]);
    (run.code, run.stderr)
}

const STAGE: &str = "content/01-start/_index.md";
const PLAN: &str = "content/01-start/plan.md";

#[test]
fn workshop_plan_errors_are_located_with_hints() {
    let (code, err) = check_with(&[(STAGE, "[management, sales]", "[management, sails]")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/01-start/_index.md:8:30: error: unknown role `sails` in `participants`"), "{err}");
    assert!(err.contains("did you mean `sales`?"), "{err}");

    let (code, err) = check_with(&[(STAGE, "link: \"plan.md#ziele\"", "link: \"plan.md#zeile\"")]);
    assert_eq!(code, 1);
    assert!(err.contains("_index.md:20:14: error: broken anchor `#zeile` in `plan.md#zeile`"), "{err}");
    assert!(err.contains("did you mean `#ziele`?"), "{err}");

    let (code, err) = check_with(&[(STAGE, "link: \"../02-map/run.md\"", "link: \"../02-map/rum.md\"")]);
    assert_eq!(code, 1);
    assert!(err.contains("_index.md:27:14: error: broken link: `../02-map/rum.md` does not exist"), "{err}");

    let (code, err) = check_with(&[(STAGE, "worksheet: \"goal-map\"", "worksheet: \"goal-mop\"")]);
    assert_eq!(code, 1);
    assert!(err.contains("_index.md:21:19: error: no worksheet `goal-mop` in this stage"), "{err}");
    assert!(err.contains("did you mean `goal-map`?"));

    let (code, err) = check_with(&[(STAGE, "      method: \"Plenum\"", "      methode: \"Plenum\"")]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown field `methode`"), "{err}");
    assert!(err.contains("did you mean `method`?"), "{err}");

    let (code, err) = check_with(&[(STAGE, "start: \"13:30\"", "start: \"25:00\"")]);
    assert_eq!(code, 1);
    assert!(err.contains("_index.md:7:3: error: start time `25:00` is not a time of day"), "{err}");
}

#[test]
fn an_agenda_that_does_not_add_up_is_a_warning_with_the_totals() {
    let (code, err) = check_with(&[(STAGE, "duration: 120", "duration: 150")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("_index.md:13:3: warning: the agenda adds up to 120 minutes, but `duration` is 150 minutes"),
        "{err}"
    );
    assert!(err.contains("add 30 minutes of steps (a break?) or set `duration: 120`"), "{err}");
}

#[test]
fn worksheet_and_facilitator_errors_are_located_in_the_article() {
    let (code, err) = check_with(&[(PLAN, "rows: 10", "rows: zehn")]);
    assert_eq!(code, 1);
    assert!(err.contains("plan.md:26:7: error: worksheet: field `rows` must be an integer"), "{err}");

    let (code, err) = check_with(&[(PLAN, "> Fragen Sie nach", "> - [ ] Fragen Sie nach")]);
    assert_eq!(code, 1);
    assert!(err.contains("plan.md:10:5: error: a checklist item inside facilitator text"), "{err}");

    let second = "\n```worksheet\nid: goal-map\ntitle: Noch eins\ncolumns: [A]\n```\n";
    let (code, err) = check_with(&[("content/01-start/_index.md", "Einleitung der Etappe.", second)]);
    assert_eq!(code, 1);
    assert!(err.contains("worksheet id `goal-map` is used twice in this stage"), "{err}");
}

#[test]
fn the_facilitator_guide_and_a_worksheet_print_whole_on_a4() {
    if !common::have_browser_tools(
        "the_facilitator_guide_and_a_worksheet_print_whole_on_a4",
        &["chromium", "pdftotext", "pdfinfo"],
    ) {
        return;
    }
    let (_site, public) = build_fixture("workshop", &[]);
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("guide.pdf");
    print_pdf(&public.join("01-start/workshop/index.html"), &guide);
    let (pages, size) = pdf_pages(&guide);
    assert!(size.starts_with("594.96 x 841.92"), "portrait A4: {size}");
    assert!(pages <= 3, "{pages} pages");
    let text = compact(&run_tool("pdftotext", &[guide.to_str().unwrap(), "-"]));
    for want in [
        "1330134515AnkommenAGENDA1",
        "LandkartezeichnenAGENDA2",
        "AchtenSieaufSTEPNOTESECRET",
        "PauseAGENDA3",
        "1500153030AbschlussAGENDA4",
        "EinladungPREPAverschicken",
        "ModerationskofferMATERIALA",
        "FragenSienachFACILSECRETONE",
        "Zielaufschreiben",
        "Kennzahlwählen",
    ] {
        assert!(text.contains(want), "{want} missing from the printed guide:\n{text}");
    }
    let sheet = tmp.path().join("sheet.pdf");
    print_pdf(&public.join("01-start/worksheets/goal-map/index.html"), &sheet);
    let (pages, size) = pdf_pages(&sheet);
    assert_eq!(pages, 1, "a worksheet is one sheet");
    assert!(size.starts_with("841.92 x 594.96"), "landscape A4: {size}");
    let text = compact(&run_tool("pdftotext", &[sheet.to_str().unwrap(), "-"]));
    for want in
        ["ArbeitsblattZielLandkarte", "Segment", "Ziel", "Kennzahl", "SchnellantwortenAntwortzeit", "ETAPPE1ANFANGEN"]
    {
        assert!(text.contains(want), "{want} missing from the printed worksheet:\n{text}");
    }
}

// ---------------------------------------------------------------------------
// The flagship guide

/// Builds the flagship guide (with `extra` arguments) into `out`; returns stderr.
fn build_guide(out: &std::path::Path, extra: &[&str]) -> String {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    String::from_utf8(run.stderr).unwrap()
}

/// Runs of at least 24 plain letters and spaces from every facilitator
/// callout and block of the guide's sources (formatting and punctuation cut
/// them, so each run appears in the rendered text as written), but none
/// that the rest of the guide's text also holds.
fn facilitator_phrases() -> Vec<String> {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut phrases = Vec::new();
    let mut other = String::new();
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let (mut in_quote, mut in_block) = (false, false);
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.eq_ignore_ascii_case("> [!FACILITATOR]") {
                in_quote = true;
                continue;
            }
            if trimmed.starts_with("```facilitator") || trimmed.starts_with("````facilitator") {
                in_block = true;
                continue;
            }
            if in_block && trimmed.starts_with("```") {
                in_block = false;
            }
            if in_quote && !trimmed.starts_with('>') {
                in_quote = false;
            }
            if in_quote || in_block {
                let plain = |c: char| c.is_alphabetic() || c == ' ';
                let runs = trimmed.split(|c: char| !plain(c)).map(str::trim).filter(|r| r.len() >= 24);
                phrases.extend(runs.map(String::from));
            } else {
                other.push_str(line);
                other.push('\n');
            }
        }
    }
    phrases.retain(|p| !other.contains(p.as_str()));
    phrases
}

#[test]
fn the_guide_checks_clean_and_a_participants_build_holds_none_of_its_facilitator_text() {
    let tmp = tempfile::tempdir().unwrap();
    let all = tmp.path().join("all");
    assert_eq!(build_guide(&all, &[]), "", "the guide builds without warnings");
    let phrases = facilitator_phrases();
    assert!(phrases.len() >= 60, "only {} phrases found", phrases.len());
    let all_text: String = tree(&all)
        .into_iter()
        .filter(|(p, _)| p.ends_with("index.html") && !p.contains("print/"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    let shown = phrases.iter().filter(|p| all_text.contains(p.as_str())).count();
    assert!(shown * 10 >= phrases.len() * 9, "only {shown} of {} phrases on the web", phrases.len());
    let participants = tmp.path().join("participants");
    assert_eq!(build_guide(&participants, &["--audience", "participants"]), "");
    for (path, bytes) in tree(&participants) {
        let text = String::from_utf8_lossy(&bytes);
        let labels = ["Für Moderierende", "For facilitators", "Moderationsleitfaden"];
        for p in phrases.iter().map(String::as_str).chain(labels) {
            assert!(!text.contains(p), "facilitator text {p:?} in {path}");
        }
    }
}

#[test]
fn stage_02_facilitator_guide_and_goal_map_print_for_the_workshop() {
    if !common::have_browser_tools(
        "stage_02_facilitator_guide_and_goal_map_print_for_the_workshop",
        &["chromium", "pdftotext", "pdfinfo"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_guide(&public, &[]);
    let stage =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/02-goals/_index.md"))
            .unwrap();
    let guide = tmp.path().join("guide.pdf");
    print_pdf(&public.join("02-goals/workshop/index.html"), &guide);
    let (_, size) = pdf_pages(&guide);
    assert!(size.starts_with("594.96 x 841.92"), "A4: {size}");
    let text = compact(&run_tool("pdftotext", &[guide.to_str().unwrap(), "-"]));
    let titles: Vec<&str> = stage
        .lines()
        .filter_map(|l| l.trim().strip_prefix("title: "))
        .skip(2) // the stage's and the workshop's titles
        .map(|t| t.trim_matches('"'))
        .collect();
    assert!(titles.len() >= 6, "{titles:?}");
    for t in &titles {
        assert!(text.contains(&compact(t)), "agenda step {t:?} missing from the printed guide");
    }
    for want in ["0900", "Vorbereitung", "Material", "HinweisefürModerierende", "ChecklistederEtappe"] {
        assert!(text.contains(want), "{want} missing");
    }
    let sheet = tmp.path().join("goal-map.pdf");
    print_pdf(&public.join("02-goals/worksheets/goal-map/index.html"), &sheet);
    let (pages, size) = pdf_pages(&sheet);
    assert_eq!(pages, 1, "the goal map is one sheet");
    assert!(size.starts_with("841.92 x 594.96"), "landscape A4: {size}");
}
