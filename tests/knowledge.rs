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
