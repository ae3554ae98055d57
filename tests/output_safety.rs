//! Never lose a byte: output folders given through symlinks, files and
//! mount points, two builds into one folder at once, signals during a
//! build, and a closed stdout. Each case failed before its fix (issue 21).

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, tree};

/// A small valid site with one checklist item (and no PDFs).
fn small_site() -> Site {
    let site = Site::empty();
    // No PDFs: these tests are about writing files, and run many builds.
    site.write("site.yaml", "title: Safe\ndefault_language: en\nprint:\n  pdf: false\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\nHome.\n");
    site.write("content/01-start/_index.md", "---\ntitle: Start\n---\nStage.\n");
    site.write("content/01-start/guide.md", "---\ntitle: Guide\n---\nText.\n\n- [ ] Sponsor named\n");
    site
}

/// A site big enough that a build takes a while (hundreds of milliseconds
/// in a debug build).
fn big_site(pages: usize) -> Site {
    let site = small_site();
    for s in 1..=4 {
        site.write(&format!("content/0{s}-stage/_index.md"), format!("---\ntitle: Stage {s}\n---\nStage.\n"));
        for p in 0..pages / 4 {
            let body = format!("## Part\n\n{}\n\n- [ ] Check {p}\n", "Some words here. ".repeat(60));
            site.write(&format!("content/0{s}-stage/page-{p}.md"), format!("---\ntitle: Page {p}\n---\n{body}"));
        }
    }
    site
}

fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("create symlink");
}

/// Names of the hidden `lotse-` entries next to `dir` and inside it.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for folder in [dir.parent().expect("a parent"), dir] {
        if let Ok(entries) = fs::read_dir(folder) {
            found.extend(
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.contains("lotse-")),
            );
        }
    }
    found
}

#[test]
fn refuses_an_output_that_is_the_site_seen_through_a_symlink() {
    // Regression: `--root ALIAS --out SITE` deleted site.yaml and content/.
    let site = small_site();
    symlink(&site.root(), &site.tmp.path().join("alias"));
    let before = tree(&site.root());
    let run = site.run(&["build", "--root", "alias", "--out", "site"]);
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to write to site: it contains the site itself"), "{}", run.stderr);
    assert_eq!(tree(&site.root()), before, "the site changed");
}

#[test]
fn refuses_an_output_inside_content_reached_through_a_symlink() {
    // Regression: the build went into content/public.
    let site = small_site();
    symlink(&site.path("content"), &site.tmp.path().join("link"));
    let run = site.build(&["--out", "link/public"]);
    run.expect_code(2);
    assert!(run.stderr.contains("it is inside the site's content/ folder"), "{}", run.stderr);
    assert!(!site.path("content/public").exists());
}

#[test]
fn refuses_an_output_that_is_a_file_and_keeps_it() {
    // Regression: the file became a hidden `.notes.txt.lotse-old-PID`.
    let site = small_site();
    fs::write(site.tmp.path().join("notes.txt"), "my notes").expect("write notes");
    let run = site.build(&["--out", "notes.txt"]);
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to write to notes.txt: it is a file"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(site.tmp.path().join("notes.txt")).expect("read notes"), "my notes");
    assert_eq!(leftovers(&site.tmp.path().join("notes.txt")), Vec::<String>::new());
}

#[test]
fn refuses_a_folder_of_other_files_and_replaces_its_own_output() {
    let site = small_site();
    fs::create_dir_all(site.tmp.path().join("docs")).expect("create docs");
    fs::write(site.tmp.path().join("docs/letter.odt"), "keep").expect("write letter");
    site.build(&["--out", "docs"]).expect_code(2);
    assert!(site.tmp.path().join("docs/letter.odt").exists());
    site.build(&["--out", "fresh"]).expect_code(0);
    site.build(&["--out", "fresh"]).expect_code(0);
    assert!(site.tmp.path().join("fresh/index.html").exists());
}

#[test]
fn builds_into_a_mount_point_by_swapping_its_contents() {
    // Regression: "Device or resource busy" and no hint (a Docker volume).
    if !common::is_root() {
        eprintln!("skipped: mounting needs root");
        return;
    }
    let site = small_site();
    let out = site.tmp.path().join("volume");
    fs::create_dir_all(&out).expect("create mount point");
    let mounted = Command::new("mount").args(["-t", "tmpfs", "lotse-test", &out.to_string_lossy()]).status();
    if !mounted.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    let first = site.build(&["--out", "volume"]);
    site.write("content/01-start/guide.md", "---\ntitle: Guide\n---\nSecond text.\n");
    let second = site.build(&["--out", "volume"]);
    let page = fs::read_to_string(out.join("01-start/guide/index.html")).unwrap_or_default();
    let hidden = leftovers(&out);
    let _ = Command::new("umount").arg(&out).status();
    first.expect_code(0);
    second.expect_code(0);
    assert!(page.contains("Second text."), "the second build is not in the volume");
    assert_eq!(hidden, Vec::<String>::new());
}

#[test]
fn overlapping_builds_into_one_folder_always_leave_a_complete_site() {
    // Regression: 111 of 934 paths missing, exit 0 (each build deleted the
    // other's staging folder).
    let site = big_site(120);
    site.build(&[]).expect_code(0);
    let reference = tree(&site.public());
    assert!(reference.len() > 120);
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_lotse"))
            .args(["build", "--root", "site"])
            .current_dir(site.tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lotse")
    };
    for round in 0..20 {
        let a = spawn();
        std::thread::sleep(Duration::from_millis(5 * (round % 7)));
        let b = spawn();
        for child in [a, b] {
            let out = child.wait_with_output().expect("wait for lotse");
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let built = tree(&site.public());
        assert!(built == reference, "round {round}: the output differs from a single build");
        assert_eq!(leftovers(&site.public()), Vec::<String>::new(), "round {round}");
    }
}

/// Starts a build of `site` and sends `signal` as soon as it writes its
/// staging folder; returns the exit code.
fn signal_while_writing(site: &Site, signal: i32) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", "site"])
        .current_dir(site.tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lotse");
    let start = Instant::now();
    let mut sent = false;
    while start.elapsed() < Duration::from_secs(60) && child.try_wait().expect("poll").is_none() {
        if !leftovers(&site.public()).is_empty() {
            // SAFETY: sends a signal to our own child process.
            unsafe { libc::kill(child.id() as i32, signal) };
            sent = true;
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let status = child.wait().expect("wait for lotse");
    assert!(sent, "the build finished before the signal; make the site bigger");
    status.code()
}

#[test]
fn ctrl_c_or_sigterm_during_a_build_leave_no_staging_folder_and_the_old_output() {
    // Regression: `.public.lotse-new-PID` stayed beside the output.
    let site = big_site(1200);
    site.build(&[]).expect_code(0);
    let before = tree(&site.public());
    site.write("content/01-stage/page-0.md", "---\ntitle: Changed\n---\nChanged.\n");
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let code = signal_while_writing(&site, signal);
        assert_eq!(code, Some(130), "signal {signal}: exit code");
        assert_eq!(leftovers(&site.public()), Vec::<String>::new(), "signal {signal}");
        assert!(tree(&site.public()) == before, "signal {signal}: the output changed");
    }
}

#[test]
fn a_closed_stdout_does_not_make_check_panic() {
    // Regression: `lotse check | grep -q ...` exited 101 with a panic.
    let site = small_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["check", "--root", "site"])
        .current_dir(site.tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lotse");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for lotse");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
