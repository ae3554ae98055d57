//! Hostile and surprising input from real set-ups (issue 21): spreadsheet
//! formulas in checklist items, a site's own `.git/config`, file names from
//! macOS, many warnings, files where Lotse writes folders, odd base URLs,
//! names `lotse new` must refuse, drafts in `related`, references without
//! definitions. Each case failed before its fix.

mod common;

use std::fs;
use std::process::Command;

use common::Site;

fn site() -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: Hostile\ndefault_language: en\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\nHome.\n");
    site.write("content/01-start/_index.md", "---\ntitle: Start\n---\nStage.\n");
    site.write("content/01-start/guide.md", "---\ntitle: Guide\n---\nText.\n\n- [ ] Sponsor named\n");
    site
}

#[test]
fn checklist_exports_do_not_start_cells_with_formulas() {
    let site = site();
    let items = "- [ ] =HYPERLINK(\"http://evil.example\",\"click\")\n- [ ] =cmd|' /C calc'!A0\n- [ ] @SUM(1+1)\n";
    site.write("content/01-start/guide.md", format!("---\ntitle: Guide\n---\nText.\n\n{items}"));
    site.build(&[]).expect_code(0);
    let csv = site.output("01-start/checklist/checklist.csv");
    for cell in ["'=HYPERLINK(", "'=cmd|", "'@SUM("] {
        assert!(csv.contains(cell), "{cell} not guarded:\n{csv}");
    }
    assert!(!csv.contains(",=") && !csv.contains(",\"=") && !csv.contains(",@"), "{csv}");
    // The JSON export and the handout keep the text as written.
    assert!(site.output("01-start/checklist/checklist.json").contains("=cmd|"));
}

fn git(site: &Site, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(site.root())
        .output()
        .expect("run git")
        .status
        .success();
    assert!(ok, "git {args:?} failed");
}

#[test]
fn a_sites_own_git_config_cannot_run_programs() {
    // Regression: with log.showSignature and gpg.program, `git log` ran the
    // repository's program.
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let site = site();
    let marker = site.tmp.path().join("ran");
    let evil = site.tmp.path().join("evil.sh");
    fs::write(&evil, format!("#!/bin/sh\ntouch {}\ncat >/dev/null\nexit 0\n", marker.display())).expect("write");
    Command::new("chmod").arg("+x").arg(&evil).status().expect("chmod");
    git(&site, &["init", "-q"]);
    git(&site, &["add", "."]);
    git(&site, &["commit", "-qm", "first"]);
    // A commit that claims a signature, so showing signatures calls gpg.
    let tree = Command::new("git").args(["write-tree"]).current_dir(site.root()).output().expect("write-tree");
    let tree = String::from_utf8_lossy(&tree.stdout).trim().to_string();
    let commit = format!(
        "tree {tree}\nauthor T <t@example.org> 1700000000 +0000\ncommitter T <t@example.org> 1700000000 +0000\n\
         gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n"
    );
    site.write("commit.txt", &commit);
    let out = Command::new("git")
        .args(["hash-object", "-t", "commit", "-w", "commit.txt"])
        .current_dir(site.root())
        .output()
        .expect("hash-object");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    fs::remove_file(site.path("commit.txt")).expect("remove");
    git(&site, &["update-ref", "HEAD", &id]);
    let evil = evil.to_string_lossy().into_owned();
    for (key, value) in [("log.showSignature", "true"), ("gpg.program", &evil), ("core.fsmonitor", &evil)] {
        git(&site, &["config", key, value]);
    }
    git(&site, &["config", "core.pager", &evil]);
    site.build(&[]).expect_code(0);
    assert!(!marker.exists(), "building the site ran a program named in its .git/config");
}

#[test]
fn decomposed_file_names_and_headings_get_composed_slugs_and_ids() {
    // Regression: `/u-ber/` instead of `/ueber/`, and `#ueber-ziele` broken.
    let site = site();
    let nfd = "u\u{308}ber";
    site.write(
        &format!("content/01-start/{nfd}.md"),
        format!("---\ntitle: About\n---\n## {nfd} Ziele\n\nSee [goals](#ueber-ziele).\n"),
    );
    site.build(&[]).expect_code(0);
    let html = site.output("01-start/ueber/index.html");
    assert!(html.contains("id=\"ueber-ziele\""), "heading id not composed");
}

#[test]
fn the_same_name_in_nfc_and_nfd_is_a_duplicate() {
    // Regression: two pages and no error.
    let site = site();
    site.write("content/01-start/\u{fc}ber.md", "---\ntitle: A\n---\nA.\n");
    site.write("content/01-start/u\u{308}ber.md", "---\ntitle: B\n---\nB.\n");
    let run = site.check(&[]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("content/01-start/\u{fc}ber.md:1:1: error: two files have this name"),
        "{}",
        run.stderr
    );
}

#[test]
fn more_than_a_hundred_warnings_do_not_fail_the_build() {
    // Regression: "more than 100 problems in this file" was an error.
    let site = site();
    let body: String = (0..150).map(|_| "## Same\n\nText.\n\n").collect();
    site.write("content/01-start/guide.md", format!("---\ntitle: Guide\n---\n{body}"));
    let run = site.build(&[]);
    run.expect_code(0);
    assert!(run.stderr.contains("warning: more than 100 problems in this file"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning: duplicate heading").count(), 100, "{}", run.stderr);
}

#[test]
fn an_error_after_a_hundred_warnings_still_fails_the_build() {
    let site = site();
    let body: String = (0..150).map(|_| "## Same\n\nText.\n\n").collect();
    site.write("content/01-start/guide.md", format!("---\ntitle: Guide\n---\n{body}[broken](nowhere.md)\n"));
    site.build(&[]).expect_code(1);
}

#[test]
fn a_file_where_lotse_writes_a_folder_is_reported_by_check_and_build() {
    // Regression: check passed, build failed naming the staging folder.
    let site = site();
    site.write("content/01-start/checklist", "a plain file");
    site.write("static/tags", "another");
    site.write("content/01-start/guide.md", "---\ntitle: Guide\ntags: [x]\n---\n- [ ] Item\n");
    for run in [site.check(&[]), site.build(&[])] {
        run.expect_code(0);
        for path in ["content/01-start/checklist", "static/tags"] {
            let line = format!("{path}:1:1: warning: not copied: Lotse generates the folder");
            assert!(run.stderr.contains(&line), "{line}\n{}", run.stderr);
        }
        assert!(!run.stderr.contains("lotse-new"), "{}", run.stderr);
    }
    assert!(site.output("01-start/checklist/index.html").contains("Item"));
}

#[test]
fn base_urls_are_validated_in_site_yaml_and_on_the_command_line() {
    // Regression: all of these ended up in canonical links and the sitemap.
    for bad in ["example.org/guide", "https://example.org/?q=1", "https://example.org/#top", "javascript:alert(1)"] {
        let site = site();
        site.write("site.yaml", format!("title: T\ndefault_language: en\nbase_url: \"{bad}\"\n"));
        let run = site.build(&[]);
        run.expect_code(1);
        assert!(run.stderr.contains(&format!("site.yaml:3:11: error: invalid base_url `{bad}`")), "{}", run.stderr);
        let site = self::site();
        let run = site.build(&["--base-url", bad]);
        run.expect_code(2);
        assert!(run.stderr.contains(&format!("error: --base-url {bad}: ")), "{}", run.stderr);
        assert!(!site.public().exists());
    }
    let site = site();
    site.build(&["--base-url", "https://example.org/guide"]).expect_code(0);
    assert!(site.output("sitemap.xml").contains("<loc>https://example.org/guide/</loc>"));
}

#[test]
fn lotse_new_refuses_names_the_build_would_reject_or_skip() {
    // Regression: `checklist`, `con`, `.entwurf` were created.
    let site = site();
    for (name, why) in [
        ("checklist", "`checklist` is the URL of the stage's handout"),
        ("con", "`con` is a reserved file name on Windows"),
        (".entwurf", "Lotse skips hidden and temporary files"),
    ] {
        let run = site.run_in_root(&["new", &format!("01-start/{name}")]);
        run.expect_code(2);
        assert!(run.stderr.contains(why), "{name}: {}", run.stderr);
        assert!(!site.path(&format!("content/01-start/{name}.md")).exists());
    }
    site.run_in_root(&["new", "01-start/fine"]).expect_code(0);
    site.check(&[]).expect_code(0);
}

#[test]
fn a_related_draft_says_it_is_a_draft() {
    // Regression: "does not exist", suggesting the page itself.
    let site = site();
    site.write("content/01-start/draft.md", "---\ntitle: D\ndraft: true\n---\nD.\n");
    site.write("content/01-start/guide.md", "---\ntitle: Guide\nrelated: [01-start/draft.md]\n---\nText.\n");
    let run = site.check(&[]);
    run.expect_code(1);
    assert!(run.stderr.contains("error: related page `01-start/draft.md` is a draft"), "{}", run.stderr);
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
    site.check(&["--drafts"]).expect_code(0);
}

#[test]
fn references_and_footnotes_without_definition_are_errors() {
    // Regression: rendered as literal text with no diagnostic.
    let site = site();
    site.write(
        "content/01-start/guide.md",
        "---\ntitle: Guide\n---\nSee [die Ziele][ziel-landkarte] and a note[^quelle].\n\n`[^code]` is fine, [defined][d] too.\n\n[d]: _index.md\n",
    );
    let run = site.check(&[]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("content/01-start/guide.md:4:5: error: link reference `[ziel-landkarte]` is not defined"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/01-start/guide.md:4:43: error: footnote `[^quelle]` is not defined"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error:").count(), 3, "{}", run.stderr); // two, and the summary
}
