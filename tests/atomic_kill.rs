//! A build killed with SIGKILL while it writes leaves the previous output
//! byte for byte; builds are the same bytes whatever the thread count.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, tree};

/// A site big enough that writing its output takes a while.
fn big_site(pages: usize, marker: &str) -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: Big\ndefault_language: en\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\nHome.\n");
    for s in 1..=4 {
        site.write(&format!("content/0{s}-stage/_index.md"), format!("---\ntitle: Stage {s}\n---\nStage.\n"));
        for p in 0..pages / 4 {
            let body = format!("## Part {marker}\n\n{}\n\n- [ ] Check {p}\n", "Some words here. ".repeat(60));
            site.write(&format!("content/0{s}-stage/page-{p}.md"), format!("---\ntitle: Page {p}\n---\n{body}"));
        }
    }
    site
}

#[test]
fn killed_build_leaves_previous_output_byte_identical() {
    let site = big_site(1200, "one");
    site.build(&[]).expect_code(0);
    let before = tree(&site.public());
    // Change every page, then kill the second build as soon as it writes.
    let changed = big_site(1200, "two");
    common::copy_tree(&changed.root().join("content"), &site.root().join("content"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["build", "--root", "site"])
        .current_dir(site.tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut killed_while_writing = false;
    while start.elapsed() < Duration::from_secs(60) {
        let staging = std::fs::read_dir(site.tmp.path().join("site"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".public.lotse-new-"));
        if staging {
            child.kill().unwrap();
            killed_while_writing = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.wait();
    assert!(killed_while_writing, "the build finished before it could be killed; make the site bigger");
    assert_eq!(tree(&site.public()), before, "public/ changed although the build was killed");
    // The next build cleans up and succeeds.
    site.build(&[]).expect_code(0);
    assert!(site.output("01-stage/page-0/index.html").contains("Part two"));
    let leftovers: Vec<_> = std::fs::read_dir(site.tmp.path().join("site"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("lotse-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn single_threaded_and_parallel_builds_give_the_same_bytes() {
    let site = big_site(80, "x");
    let run = |threads: &str, out: &str| {
        let status = Command::new(env!("CARGO_BIN_EXE_lotse"))
            .args(["build", "--root", "site", "--out", out])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(site.tmp.path())
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        tree(&site.tmp.path().join(out))
    };
    let one = run("1", "out-1");
    let many = run("4", "out-4");
    assert!(one.len() > 80);
    assert!(one == many, "outputs differ between 1 and 4 threads");
}
