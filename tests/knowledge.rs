//! Knowledge-base features on fixture sites: owners and review dates
//! (`check --stale`, the notice), edit links, the facts box, wikilinks and
//! embeds, links in raw HTML, the health report and external links.
//!
//! "Today" is fixed with `LOTSE_TODAY`, so these tests stay true next year.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Run, SITE, Site, main_element};

/// Runs `lotse ARGS` in the site's temporary folder with a clean
/// environment plus `env`.
fn run_env(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Run {
    run_in(site.tmp.path(), args, env)
}

fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lotse"));
    cmd.args(args).current_dir(cwd).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().expect("run the lotse binary");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const MAY_2026: (&str, &str) = ("LOTSE_TODAY", "2026-05-01");

// Ownership and review.

#[test]
fn check_stale_lists_the_overdue_page_and_fails() {
    let site = Site::from_fixture("kb-review");
    let run = run_env(&site, &["check", "--root", SITE, "--stale"], &[MAY_2026]);
    run.expect_code(1);
    let listed: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(
        listed,
        [
            "content/01-plan/overdue.md:3:11: review overdue by 32 days: \"Überfällig\" (de), owner: Vertriebsleitung, reviewed 2025-09-30, every 6 months, due 2026-03-30",
            "content/01-plan/overdue.md:3:11: review overdue by 32 days: \"Overdue\" (en), owner: Head of sales, reviewed 2025-09-30, every 6 months, due 2026-03-30",
        ],
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "error: 2 pages are overdue for review\n");
}

#[test]
fn check_stale_passes_before_the_due_date_and_names_the_next_one() {
    let site = Site::from_fixture("kb-review");
    let run = run_env(&site, &["check", "--root", SITE, "--stale"], &[("LOTSE_TODAY", "2026-03-30")]);
    run.expect_code(0);
    assert!(
        run.stdout.ends_with("no page is overdue for review (6 pages with a review date; next due 2026-03-30)\n"),
        "{}",
        run.stdout
    );
    // Plain `check` never fails for overdue pages.
    run_env(&site, &["check", "--root", SITE], &[MAY_2026]).expect_code(0);
}

#[test]
fn source_date_epoch_sets_today_and_a_bad_today_is_a_usage_error() {
    let site = Site::from_fixture("kb-review");
    // 2026-05-01T00:00:00Z
    let run = run_env(&site, &["check", "--root", SITE, "--stale"], &[("SOURCE_DATE_EPOCH", "1777593600")]);
    run.expect_code(1);
    let run = run_env(&site, &["check", "--root", SITE], &[("LOTSE_TODAY", "1.5.2026")]);
    run.expect_code(2);
    assert_eq!(run.stderr, "error: LOTSE_TODAY=`1.5.2026` is not a date; write YYYY-MM-DD\n");
}

#[test]
fn overdue_pages_show_a_notice_owner_and_edit_link() {
    let site = Site::from_fixture("kb-review");
    run_env(&site, &["build", "--root", SITE], &[MAY_2026]).expect_code(0);
    let overdue = site.output("01-plan/overdue/index.html");
    let main = main_element(&overdue);
    assert!(
        main.contains("<p class=\"review-notice\" role=\"note\" data-review-due=\"2026-03-30\">Diese Seite hätte am 30. März 2026 überprüft werden sollen;"),
        "{main}"
    );
    assert!(main.contains("<span>Verantwortlich: Vertriebsleitung</span>"), "{main}");
    assert!(main.contains("<time datetime=\"2025-09-30\">30. September 2025</time>"), "{main}");
    assert!(
        main.contains("<a class=\"edit-link\" href=\"https://git.example.org/team/wiki/edit/main/content/01-plan/overdue.md\">Diese Seite bearbeiten</a>"),
        "{main}"
    );
    let en = site.output("en/01-plan/overdue/index.html");
    assert!(en.contains("This page was due for review on March 30, 2026"), "the translation inherits the date");
    assert!(en.contains("<span>Owner: Head of sales</span>"));
    assert!(en.contains("edit/main/content/01-plan/overdue.en.md\">Edit this page</a>"));
    // Not yet due: the notice is there for the script, but hidden.
    let fresh = site.output("01-plan/fresh/index.html");
    assert!(fresh.contains("data-review-due=\"2026-05-30\" hidden>"), "{}", main_element(&fresh));
    assert!(fresh.contains("Verantwortlich: Datenpflege"));
    // No review date: no notice, but the owner from the stage.
    let unreviewed = site.output("01-plan/unreviewed/index.html");
    assert!(!unreviewed.contains("review-notice"));
    assert!(unreviewed.contains("Verantwortlich: Vertriebsleitung"));
    // Outside the stages: site.yaml's owner.
    assert!(site.output("glossary/index.html").contains("Verantwortlich: Redaktion"));
}

#[test]
fn the_build_date_changes_only_the_notices() {
    let site = Site::from_fixture("kb-review");
    run_env(&site, &["build", "--root", SITE, "--out", "a"], &[("LOTSE_TODAY", "2026-03-15")]).expect_code(0);
    run_env(&site, &["build", "--root", SITE, "--out", "b"], &[MAY_2026]).expect_code(0);
    let out = |name: &str| common::tree(&site.tmp.path().join(name));
    let (a, b) = (out("a"), out("b"));
    let differ: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert_eq!(differ, ["01-plan/overdue/index.html", "en/01-plan/overdue/index.html"]);
    let again = run_env(&site, &["build", "--root", SITE, "--out", "c"], &[MAY_2026]);
    again.expect_code(0);
    assert_eq!(out("c"), b, "same date, same bytes");
}

#[test]
fn review_errors_are_located() {
    let site = Site::from_fixture("kb-review");
    site.write("content/01-plan/unreviewed.en.md", "---\ntitle: U\nreviewed: 2026-06-01\n---\n");
    site.write("content/01-plan/period.md", "---\ntitle: P\nreview_every: half a year\n---\n");
    site.write("content/01-plan/date.md", "---\ntitle: D\nreviewed: 2026-13-01\n---\n");
    let run = run_env(&site, &["check", "--root", SITE], &[MAY_2026]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "\
content/01-plan/date.md:3:11: error: invalid date `2026-13-01` in `reviewed`
  |
3 | reviewed: 2026-13-01
  |           ^
  = hint: write dates as YYYY-MM-DD, e.g. 2026-03-31

content/01-plan/period.md:3:15: error: invalid period `half a year` in `review_every`: `half a year` does not start with a number
  |
3 | review_every: half a year
  |               ^
  = hint: write a number and a unit, e.g. `90 days`, `6 weeks`, `6 months` or `1 year`

content/01-plan/unreviewed.en.md:3:11: error: `reviewed` is in the future (2026-06-01, today is 2026-05-01)
  |
3 | reviewed: 2026-06-01
  |           ^
  = hint: write the date of the last review that happened; set LOTSE_TODAY to build as of another day

error: check failed with 3 errors and 0 warnings
"
    );
    site.write("site.yaml", "title: R\nreview:\n  every: sometimes\n");
    let run = run_env(&site, &["check", "--root", SITE], &[MAY_2026]);
    run.expect_code(1);
    assert!(
        run.stderr.starts_with("site.yaml:3:10: error: invalid period `sometimes` in `review.every`"),
        "{}",
        run.stderr
    );
}

// Wikilinks, embeds and links in raw HTML.

#[test]
fn wikilinks_and_raw_html_links_are_rewritten_and_count_as_backlinks() {
    let (site, _) = common::build_fixture("kb-links", &[]);
    let kickoff = site.output("01-plan/kickoff/index.html");
    let main = main_element(&kickoff);
    for expected in [
        "<a href=\"../goals/\">Goals</a>",
        "<a href=\"../goals/#key-figures\">the key figures</a>",
        "<a href=\"../goals/#owners\">01-plan/goals#Owners</a>",
        "<a href=\"../\">Plan</a>",
        "<a href=\"../../glossary/\">Glossary</a>",
        // Raw HTML: the link and the image, as Markdown links would be.
        "<p class=\"figure\"><a href=\"../goals/#owners\">owners</a> <img src=\"../../01-plan/pic.png\" alt=\"A diagram\"></p>",
    ] {
        assert!(main.contains(expected), "missing {expected}\n{main}");
    }
    let goals = site.output("01-plan/goals/index.html");
    let backlinks = &goals[goals.find("class=\"backlinks\"").expect("goals has backlinks")..];
    assert!(backlinks.contains("href=\"../kickoff/\">Kick-off</a>") && backlinks.contains(">Glossary</a>"));
    assert!(site.output("index.html").contains("<a href=\"01-plan/kickoff/\">Kick-off</a>"));
}

#[test]
fn an_embed_shows_the_section_with_links_rebased_to_the_embedding_page() {
    let (site, _) = common::build_fixture("kb-links", &[]);
    let glossary = site.output("glossary/index.html");
    let embed = &glossary[glossary.find("<div class=\"embed\">").expect("the embed")..];
    let embed = &embed[..embed.find("</div>").unwrap()];
    assert!(embed.contains("<h2 id=\"embed-01-plan-goals--key-figures\">Key figures"), "{embed}");
    // Written in 01-plan/goals.md; shown at glossary/.
    assert!(embed.contains("defined in the <a href=\"./\">glossary</a>"), "{embed}");
    assert!(embed.contains("see <a href=\"../02-run/launch/\">launch</a>"), "{embed}");
    assert!(embed.contains("and <a href=\"../01-plan/goals/#owners\">owners</a>"), "{embed}");
    assert!(embed.contains("Agree the targets"), "the section runs to the next heading of its level");
    assert!(!embed.contains("Who owns what"), "{embed}");
    assert!(embed.contains("<p class=\"embed-source\">From: <a href=\"../01-plan/goals/#key-figures\">Goals</a></p>"));
    let kickoff = site.output("01-plan/kickoff/index.html");
    assert!(kickoff.contains("see <a href=\"../../02-run/launch/\">launch</a>"));
}

/// Checks the fixture with the extra files written, expecting failure;
/// returns stderr.
fn rejected(case: &str, files: &[(&str, &str)]) -> String {
    let site = Site::from_fixture(case);
    for (path, text) in files {
        site.write(path, text);
    }
    let run = site.check(&[]);
    run.expect_code(1);
    run.stderr
}

#[test]
fn a_wikilink_to_a_missing_page_fails_with_candidates() {
    let stderr = rejected("kb-links", &[("content/02-run/launch.md", "---\ntitle: Launch\n---\n\nSee [[Gaols]].\n")]);
    assert_eq!(
        stderr,
        "\
content/02-run/launch.md:5:5: error: wikilink `[[Gaols]]`: no page in `en` has this title or name
  |
5 | See [[Gaols]].
  |     ^
  = hint: candidates: `[[01-plan/goals]]` (\"Goals\")

error: check failed with 1 error and 0 warnings
"
    );
}

#[test]
fn an_ambiguous_wikilink_lists_every_match() {
    let stderr =
        rejected("kb-links", &[("content/02-run/goals.md", "---\ntitle: Run goals\n---\n\nLike [[goals]].\n")]);
    // Also ambiguous now: the links in kickoff.md and glossary.md.
    assert!(
        stderr.starts_with(
            "\
content/01-plan/kickoff.md:5:6: error: wikilink `[[Goals]]` is ambiguous: 2 pages match
  |
5 | Read [[Goals]] first, then [[goals#key-figures|the key figures]] and [[01-plan/goals#Owners]].
  |      ^
  = hint: candidates: `[[01-plan/goals]]` (\"Goals\"), `[[02-run/goals]]` (\"Run goals\"); link one by its path, e.g. `[[01-plan/goals]]`
"
        ),
        "{stderr}"
    );
    assert!(stderr.ends_with("error: check failed with 5 errors and 0 warnings\n"), "{stderr}");
}

#[test]
fn a_wikilink_to_a_missing_heading_is_a_broken_anchor() {
    let stderr =
        rejected("kb-links", &[("content/02-run/launch.md", "---\ntitle: Launch\n---\n\nSee [[Goals#Key figure]].\n")]);
    assert!(
        stderr.starts_with(
            "content/02-run/launch.md:5:5: error: broken anchor: `01-plan/goals.md` has no heading with id `#key-figure`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("= hint: did you mean `#key-figures`?"), "{stderr}");
}

#[test]
fn a_leftover_template_tag_in_raw_html_fails_at_its_line() {
    let page = "---\ntitle: Launch\n---\n\nMigrated text.\n\n<p><a href=\"{{site.baseurl}}/docs/\">Docs</a></p>\n\n[also]({%link x.md%})\n";
    let stderr = rejected("kb-links", &[("content/02-run/launch.md", page)]);
    assert_eq!(
        stderr,
        "\
content/02-run/launch.md:7:13: error: link `{{site.baseurl}}/docs/` contains the template tag `{{site.baseurl}}`, left over from another generator
  |
7 | <p><a href=\"{{site.baseurl}}/docs/\">Docs</a></p>
  |             ^
  = hint: Lotse runs no template tags in content: link the Markdown file relatively (`../stage/page.md`) or write a wikilink (`[[Page title]]`)

content/02-run/launch.md:9:1: error: link `{%link x.md%}` contains the template tag `{%link x.md%}`, left over from another generator
  |
9 | [also]({%link x.md%})
  | ^
  = hint: Lotse runs no template tags in content: link the Markdown file relatively (`../stage/page.md`) or write a wikilink (`[[Page title]]`)

error: check failed with 2 errors and 0 warnings
"
    );
}

#[test]
fn raw_html_links_are_checked_like_markdown_links() {
    let page = "---\ntitle: Launch\n---\n\n<div>\n  <a href=\"../01-plan/gaols.md\">x</a>\n</div>\n";
    let stderr = rejected("kb-links", &[("content/02-run/launch.md", page)]);
    assert!(
        stderr.starts_with(
            "content/02-run/launch.md:6:12: error: broken link: `../01-plan/gaols.md` does not exist (looked for content/01-plan/gaols.md)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("= hint: did you mean `../01-plan/goals.md`?"), "{stderr}");
}

#[test]
fn embed_cycles_and_inline_embeds_are_errors() {
    let stderr = rejected(
        "kb-links",
        &[
            ("content/02-run/launch.md", "---\ntitle: Launch\n---\n\n## Steps\n\n![[a]]\n"),
            ("content/02-run/a.md", "---\ntitle: A\n---\n\n![[launch#steps]]\n\nText ![[launch]] inline.\n"),
        ],
    );
    assert_eq!(
        stderr,
        "\
content/02-run/a.md:5:1: error: embed cycle: `02-run/a.md` → `02-run/launch.md` → `02-run/a.md`
  |
5 | ![[launch#steps]]
  | ^
  = hint: an embedded section may not embed, directly or through others, a page that embeds it

content/02-run/a.md:7:6: error: the embed `![[launch]]` must be a paragraph of its own
  |
7 | Text ![[launch]] inline.
  |      ^
  = hint: put it on a line of its own, with blank lines before and after

content/02-run/launch.md:7:1: error: embed cycle: `02-run/launch.md` → `02-run/a.md` → `02-run/launch.md`
  |
7 | ![[a]]
  | ^
  = hint: an embedded section may not embed, directly or through others, a page that embeds it

error: check failed with 3 errors and 0 warnings
"
    );
}

#[test]
fn the_preview_follows_an_edit_of_an_embedded_section() {
    use lotse::serve::{Cache, build_cached, build_changed};
    let site = Site::from_fixture("kb-links");
    let options = lotse::Options { root: site.root(), ..lotse::Options::default() };
    let mut cache = Cache::default();
    build_cached(&options, &mut cache, false).unwrap();
    let goals = site.path("content/01-plan/goals.md");
    let text = std::fs::read_to_string(&goals).unwrap().replace("Three numbers", "Four numbers");
    std::fs::write(&goals, text).unwrap();
    let report = build_changed(&options, &mut cache, &[goals], false).unwrap();
    let glossary = report.files.iter().find(|f| f.path == "glossary/index.html").expect("the glossary");
    assert!(String::from_utf8_lossy(&glossary.bytes).contains("<p>Four numbers, defined in the"));
    let full = lotse::build(&options).unwrap();
    let same = |r: &lotse::Report| r.files.iter().map(|f| (f.path.clone(), f.bytes.to_vec())).collect::<Vec<_>>();
    assert_eq!(same(&report), same(&full), "the preview gives a full build's files");
}

// The flagship guide.

#[test]
fn the_flagship_guide_has_owners_and_no_overdue_review() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = run_in(repo, &["check", "--root", ".", "--stale"], &[("LOTSE_TODAY", "2026-12-03")]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("no page is overdue for review (48 pages with a review date; next due 2027-05-20)"),
        "{}",
        run.stdout
    );
    // Half a year later the pages with a six-month period are due.
    let run = run_in(repo, &["check", "--root", ".", "--stale"], &[("LOTSE_TODAY", "2027-06-01")]);
    run.expect_code(1);
    assert_eq!(run.stderr, "error: 6 pages are overdue for review\n");
}

// The facts box.

#[test]
fn facts_show_on_the_article_and_its_card_in_the_page_language() {
    let site = Site::from_fixture("kb-review");
    run_env(&site, &["build", "--root", SITE], &[MAY_2026]).expect_code(0);
    let de = "<dl class=\"facts\"><div class=\"fact fact-duration\"><dt>Dauer</dt><dd>60–90 Min.</dd></div><div class=\"fact fact-participants\"><dt>Teilnehmende</dt><dd>4–8</dd></div><div class=\"fact fact-difficulty\"><dt>Anspruch</dt><dd>mittel</dd></div><div class=\"fact fact-raum\"><dt>Raum</dt><dd>Großer Besprechungsraum</dd></div></dl>";
    assert!(main_element(&site.output("01-plan/fresh/index.html")).contains(de));
    assert!(main_element(&site.output("01-plan/index.html")).contains(de), "the card on the stage page");
    let en = "<dl class=\"facts\"><div class=\"fact fact-duration\"><dt>Duration</dt><dd>60–90 min</dd></div><div class=\"fact fact-preparation\"><dt>Preparation</dt><dd>1.5 hours</dd></div><div class=\"fact fact-room\"><dt>Room</dt><dd>Large meeting room</dd></div></dl>";
    assert!(main_element(&site.output("en/01-plan/fresh/index.html")).contains(en));
    assert!(!site.output("01-plan/overdue/index.html").contains("class=\"facts\""), "no facts, no box");
}

#[test]
fn invalid_facts_are_located_errors() {
    let site = Site::from_fixture("kb-review");
    site.write("content/01-plan/unreviewed.md", "---\ntitle: U\nfacts:\n  participants: 4\n  duration: a while\n---\n");
    site.write("content/01-plan/unreviewed.en.md", "---\ntitle: U\nfacts:\n  notes: [a, b]\n---\n");
    let run = run_env(&site, &["check", "--root", SITE], &[MAY_2026]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "\
content/01-plan/unreviewed.en.md:4:10: error: field `facts.notes` must be a text or a number, found sequence
  |
4 |   notes: [a, b]
  |          ^

content/01-plan/unreviewed.md:5:13: error: invalid value `a while` for fact `duration`
  |
5 |   duration: a while
  |             ^
  = hint: write a time such as `90 min`, `60-90 min`, `1.5 h` or `2 days`

error: check failed with 2 errors and 0 warnings
"
    );
}
