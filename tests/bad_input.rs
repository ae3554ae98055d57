//! Bad input: each case is a small fixture site under `tests/fixtures/bad/`.
//! Every test checks the exact diagnostics on stderr (`path:line:col`, the
//! source line, the caret and the hint), the exit code, and that nothing is
//! written: `check` creates no output and a failed `build` leaves an
//! existing `public/` byte for byte as it was.
//!
//! Files that are awkward to commit (a byte-order mark, CRLF line endings,
//! invalid UTF-8) are written by the tests themselves.

mod common;

use common::{Site, assert_summary, entries, tree};

/// Copies `tests/fixtures/bad/<case>/`.
fn bad(case: &str) -> Site {
    Site::from_fixture(&format!("bad/{case}"))
}

/// Asserts that `check` and `build` both reject the site with exactly
/// `diagnostics` (each diagnostic as printed, without the blank line that
/// follows it), exit code 1 and a final line with `counts`, and that
/// neither writes anything.
fn assert_rejected(site: &Site, diagnostics: &[&str], counts: &str) {
    let listed: String = diagnostics.iter().map(|d| format!("{d}\n\n")).collect();
    let sources = tree(&site.root());

    let check = site.check(&[]);
    check.expect_code(1);
    assert_eq!(check.stderr, format!("{listed}error: check failed with {counts}\n"));
    assert_eq!(check.stdout, "");
    assert_eq!(tree(&site.root()), sources, "`check` changed the site folder");
    assert!(!site.public().exists(), "`check` created public/");

    let first_build = site.build(&[]);
    first_build.expect_code(1);
    assert!(!site.public().exists(), "a failed first build created public/");

    site.write("public/index.html", "<p>previous build</p>\n");
    site.write("public/01-start/old/index.html", "<p>an old page</p>\n");
    let before = tree(&site.root());
    let listing = entries(&site.root());

    let build = site.build(&[]);
    build.expect_code(1);
    assert_eq!(build.stderr, format!("{listed}error: build failed with {counts}; site/public was left as it was\n"));
    assert_eq!(build.stdout, "");
    assert_eq!(tree(&site.root()), before, "a failed build changed public/ or the sources");
    assert_eq!(entries(&site.root()), listing, "a failed build left a folder behind");
}

const ONE_ERROR: &str = "1 error and 0 warnings";

#[test]
fn errors_on_unknown_field_with_did_you_mean_hint() {
    assert_rejected(
        &bad("unknown-field"),
        &["\
content/01-start/first-steps.md:3:1: error: unknown field `sumary`
  |
3 | sumary: Where to begin.
  | ^
  = hint: did you mean `summary`?"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_unknown_field_listing_known_fields_when_none_is_close() {
    assert_rejected(
        &bad("unknown-field-far"),
        &["\
content/01-start/first-steps.md:3:1: error: unknown field `audience`
  |
3 | audience: everyone
  | ^
  = hint: known fields: title, summary, order, tags, roles, related, draft, date, updated, checklist, owner, reviewed, review_every, facts, extra; put free data under `extra`"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_unknown_site_config_key_with_hint() {
    assert_rejected(
        &bad("config-unknown-key"),
        &["\
site.yaml:2:1: error: unknown field `base_ur`
  |
2 | base_ur: /guide/
  | ^
  = hint: did you mean `base_url`?"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_wrong_type_naming_field_and_expected_type() {
    assert_rejected(
        &bad("wrong-type"),
        &["\
content/01-start/first-steps.md:3:8: error: field `order` must be an integer, found string \"first\"
  |
3 | order: first
  |        ^"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_string_where_a_list_is_expected() {
    assert_rejected(
        &bad("wrong-type-list"),
        &["\
content/01-start/first-steps.md:3:7: error: field `tags` must be a list, found string \"basics\"
  |
3 | tags: basics
  |       ^"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_missing_title_at_the_opening_line() {
    assert_rejected(
        &bad("missing-title"),
        &["\
content/01-start/first-steps.md:1:1: error: missing field `title`
  |
1 | ---
  | ^
  = hint: add a line `title: ...` to the front-matter"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_unclosed_front_matter() {
    assert_rejected(
        &bad("unclosed-front-matter"),
        &["\
content/01-start/first-steps.md:1:1: error: front-matter is never closed
  |
1 | ---
  | ^
  = hint: add a line `---` after the last front-matter field"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_missing_front_matter() {
    assert_rejected(
        &bad("missing-front-matter"),
        &["\
content/01-start/first-steps.md:1:1: error: missing front-matter: the file must start with a `---` line
  |
1 | title: First steps
  | ^
  = hint: add `---`, a line `title: \"...\"`, and `---` at the top of the file"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_invalid_yaml_at_the_offending_character() {
    assert_rejected(
        &bad("invalid-yaml"),
        &["\
content/01-start/first-steps.md:2:13: error: invalid YAML: mapping values are not allowed in this context
  |
2 | title: Goals: and KPIs
  |             ^
  = hint: check indentation, and quote values that contain `:` or `#`"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_impossible_date() {
    assert_rejected(
        &bad("invalid-date"),
        &["\
content/01-start/first-steps.md:3:7: error: invalid date `2025-02-30` in `date`
  |
3 | date: 2025-02-30
  |       ^
  = hint: write dates as YYYY-MM-DD, e.g. 2026-03-31"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_broken_link_with_did_you_mean_hint() {
    assert_rejected(
        &bad("broken-link"),
        &["\
content/01-start/first-steps.md:5:6: error: broken link: `gide.md` does not exist (looked for content/01-start/gide.md)
  |
5 | Read [the guide](gide.md) first.
  |      ^
  = hint: did you mean `guide.md`?"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_broken_anchor_with_did_you_mean_hint() {
    assert_rejected(
        &bad("broken-anchor"),
        &["\
content/01-start/first-steps.md:5:6: error: broken anchor: `01-start/guide.md` has no heading with id `#set-up`
  |
5 | Read [the setup](guide.md#set-up) first.
  |      ^
  = hint: did you mean `#setup`?"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_duplicate_slug_naming_both_files() {
    assert_rejected(
        &bad("duplicate-slug"),
        &["\
content/01-start/first-steps.md:1:1: error: duplicate slug: `content/01-start/first steps.md` and `content/01-start/first-steps.md` would both be written to `/01-start/first-steps/`
  |
1 | ---
  | ^
  = hint: rename one of the files"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_stage_folder_without_index() {
    assert_rejected(
        &bad("stage-without-index"),
        &["\
content/02-extra/notes.md:1:1: error: folder `content/02-extra/` has no `_index.md`, so it is not a stage
  |
1 | ---
  | ^
  = hint: add `content/02-extra/_index.md` with at least a `title`, or move the file out of the folder"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_empty_file() {
    assert_rejected(
        &bad("empty-file"),
        // The shown source line is empty: `1 | ` ends in a space.
        &[
            "content/01-start/first-steps.md:1:1: error: empty file: a page needs front-matter with a `title`\n  |\n1 | \n  | ^\n  = hint: start the file with `---`, a line `title: \"...\"`, and `---`",
        ],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_invalid_utf8_at_the_first_bad_byte() {
    let site = bad("invalid-utf8");
    // Latin-1 `é` (0xE9) in an otherwise valid file.
    site.write(
        "content/01-start/first-steps.md",
        b"---\ntitle: First steps\nsummary: caf\xe9 au lait\n---\n\nHello.\n",
    );
    assert_rejected(
        &site,
        &["\
content/01-start/first-steps.md:3:13: error: file is not valid UTF-8
  |
3 | summary: caf\u{FFFD} au lait
  |             ^
  = hint: save the file as UTF-8 in your editor"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_link_pointing_outside_content() {
    assert_rejected(
        &bad("link-outside-content"),
        &["\
content/01-start/first-steps.md:5:5: error: link `../../README.md` points outside content/
  |
5 | See [the readme](../../README.md).
  |     ^
  = hint: link to pages inside content/, or use a full URL for other sites"],
        ONE_ERROR,
    );
}

#[test]
fn reports_all_errors_of_all_files_together_sorted_by_path_and_position() {
    assert_rejected(
        &bad("several-errors"),
        &[
            "\
content/01-start/a-first.md:7:5: error: broken link: `c-thrid.md` does not exist (looked for content/01-start/c-thrid.md)
  |
7 | See [the third](c-thrid.md).
  |     ^
  = hint: did you mean `c-third.md`?",
            "\
content/01-start/b-second.md:3:8: error: field `order` must be an integer, found string \"soon\"
  |
3 | order: soon
  |        ^",
            "\
content/01-start/c-third.md:5:5: error: broken anchor: `01-start/a-first.md` has no heading with id `#frist`
  |
5 | See [one](a-first.md#frist) and [outside](../../x.md).
  |     ^
  = hint: did you mean `#first`?",
            "\
content/01-start/c-third.md:5:33: error: link `../../x.md` points outside content/
  |
5 | See [one](a-first.md#frist) and [outside](../../x.md).
  |                                 ^
  = hint: link to pages inside content/, or use a full URL for other sites",
            "\
content/_index.md:3:1: error: unknown field `sumary`
  |
3 | sumary: x
  | ^
  = hint: did you mean `summary`?",
        ],
        "5 errors and 0 warnings",
    );
}

#[test]
fn builds_file_with_utf8_byte_order_mark() {
    let site = bad("bom");
    site.write(
        "content/01-start/first-steps.md",
        "\u{FEFF}---\ntitle: First steps\n---\n\nHello from a file with a BOM.\n",
    );
    let run = site.build(&[]);
    run.expect_clean_success();
    assert_summary(&run.stdout, "built 4 pages in 1 stage (en), 0 checklist items", "");
    let html = site.output("01-start/first-steps/index.html");
    assert!(html.contains("<h1>First steps</h1>"), "title not parsed:\n{html}");
    assert!(!html.contains('\u{FEFF}'), "the BOM leaked into the page");
}

#[test]
fn counts_columns_after_a_byte_order_mark_from_the_first_character() {
    let site = bad("bom");
    site.write(
        "content/01-start/first-steps.md",
        "\u{FEFF}---\ntitle: First steps\n---\n\nRead [the guide](gide.md).\n",
    );
    assert_rejected(
        &site,
        &["\
content/01-start/first-steps.md:5:6: error: broken link: `gide.md` does not exist (looked for content/01-start/gide.md)
  |
5 | Read [the guide](gide.md).
  |      ^
  = hint: did you mean `guide.md`?"],
        ONE_ERROR,
    );
}

#[test]
fn builds_files_with_crlf_line_endings() {
    let site = bad("crlf");
    site.write(
        "content/01-start/first-steps.md",
        "---\r\ntitle: First steps\r\nsummary: Written on Windows.\r\n---\r\n\r\n## Setup\r\n\r\nRead [the setup](#setup) and [the guide](guide.md).\r\n",
    );
    let run = site.build(&[]);
    run.expect_clean_success();
    let html = site.output("01-start/first-steps/index.html");
    assert!(html.contains("<p class=\"lead\">Written on Windows.</p>"), "{html}");
    assert!(html.contains("<h2 id=\"setup\">"), "{html}");
    assert!(html.contains("<a href=\"../guide/\">the guide</a>"), "{html}");
    assert!(!html.contains('\r'), "a carriage return leaked into the page");
}

#[test]
fn reports_correct_line_and_column_in_crlf_files() {
    let site = bad("crlf");
    site.write(
        "content/01-start/first-steps.md",
        "---\r\ntitle: First steps\r\n---\r\n\r\nIntro.\r\n\r\nÜber [the guide](gude.md) here.\r\n",
    );
    assert_rejected(
        &site,
        &["\
content/01-start/first-steps.md:7:6: error: broken link: `gude.md` does not exist (looked for content/01-start/gude.md)
  |
7 | Über [the guide](gude.md) here.
  |      ^
  = hint: did you mean `guide.md`?"],
        ONE_ERROR,
    );
}

#[test]
fn warns_on_duplicate_heading_and_suffixes_its_anchor() {
    let site = bad("duplicate-heading");
    let warning = "\
content/01-start/first-steps.md:9:1: warning: duplicate heading `Setup`: its anchor becomes `#setup-1`
  |
9 | ## Setup
  | ^
  = hint: rename one of the headings, or give it an explicit id: `## Title {#my-id}`

";
    let check = site.check(&[]);
    check.expect_code(0);
    assert_eq!(check.stderr, warning);
    assert_summary(&check.stdout, "checked 3 pages in 1 stage (en), 0 checklist items", " (1 warning)");

    let build = site.build(&[]);
    build.expect_code(0);
    assert_eq!(build.stderr, warning);
    assert_summary(&build.stdout, "built 3 pages in 1 stage (en), 0 checklist items", " (1 warning)");
    assert!(build.stdout.ends_with("\nopen site/public/index.html\n"), "{}", build.stdout);
    let html = site.output("01-start/first-steps/index.html");
    assert!(html.contains("<h2 id=\"setup\">"), "{html}");
    assert!(html.contains("<h2 id=\"setup-1\">"), "{html}");
    assert!(html.contains("<a href=\"#setup-1\">here</a>"), "{html}");
}

#[test]
fn link_to_page_with_front_matter_error_is_not_reported_as_missing() {
    // The only error is in the linked page; the link to it is not broken.
    assert_rejected(
        &bad("link-to-broken-page"),
        &["\
content/01-start/a-first.md:3:8: error: field `order` must be an integer, found string \"soon\"
  |
3 | order: soon
  |        ^"],
        ONE_ERROR,
    );
}

#[test]
fn errors_on_missing_related_page_at_its_entry() {
    assert_rejected(
        &bad("related-missing"),
        &["\
content/01-start/first-steps.md:4:5: error: related page `01-start/second-step.md` does not exist
  |
4 |   - 01-start/second-step.md
  |     ^
  = hint: did you mean `01-start/second-steps.md`? (paths are relative to content/)"],
        ONE_ERROR,
    );
}

// Regression tests for bugs found while writing these tests.

#[test]

fn broken_link_hint_does_not_suggest_unrelated_pages() {
    let site = bad("broken-link-hint");
    let run = site.check(&[]);
    run.expect_code(1);
    // Today: `project-plan.md` -> "did you mean `first-steps.md`?" (the page
    // itself) and the image `goal-map.png` -> "did you mean `_index.md`?".
    assert!(!run.stderr.contains("did you mean `first-steps.md`?"), "{}", run.stderr);
    assert!(!run.stderr.contains("did you mean `_index.md`?"), "{}", run.stderr);
}

#[test]

fn empty_title_is_reported_on_the_title_line() {
    let site = bad("empty-title");
    let run = site.check(&[]);
    run.expect_code(1);
    // Today: `3:1` showing `3 | summary: Where to begin.`.
    assert!(run.stderr.starts_with("content/01-start/first-steps.md:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("\n2 | title:\n"), "{}", run.stderr);
}

#[test]

fn duplicate_key_is_reported_at_the_repeated_key() {
    let site = bad("duplicate-key");
    let run = site.check(&[]);
    run.expect_code(1);
    // Today: `2:1 ... invalid YAML: duplicate field `summary``, showing the
    // `title` line, hint "check indentation, and quote values ...".
    assert!(run.stderr.starts_with("content/01-start/first-steps.md:4:1: error: "), "{}", run.stderr);
    assert!(run.stderr.contains("\n4 | summary: Two.\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("check indentation"), "{}", run.stderr);
}

#[test]

fn cross_language_hint_gives_a_path_that_works_from_the_linking_page() {
    let site = bad("cross-language-link");
    let run = site.check(&[]);
    run.expect_code(0);
    // Today: "link the translation `_index.de.md` instead", which from
    // content/01-start/ would link the stage page, not the home page.
    assert!(run.stderr.contains("hint: link the translation `../_index.de.md` instead"), "{}", run.stderr);
}

#[test]

fn warns_on_file_in_a_language_missing_from_site_config() {
    let site = bad("unconfigured-language");
    let run = site.check(&[]);
    // Today: exit 0, no diagnostic, and `build` writes public/index-fr/.
    assert!(run.stderr.contains("content/_index.fr.md:"), "{}", run.stderr);
    assert!(run.stderr.contains("`fr`"), "{}", run.stderr);
}
