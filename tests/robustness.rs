//! Robustness: extreme and hostile input. Every case writes a small site into
//! a fresh temporary folder at run time (big and binary files are generated,
//! never committed), runs the `lotse` binary with a clean environment and a
//! deadline, and asserts a located, actionable error or a correct build:
//! never a panic, never a hang, never a write outside the output folder
//! (and the PDF cache, `site/.lotse/`).
//!
//! Each run is guarded: everything in the temporary folder outside
//! `site/public/` and `site/.lotse/` (the site, and a sentinel folder
//! `outside/` next to it) is snapshotted before and compared after,
//! without following symlinks.
//!
//! Cases marked "Regression" failed before the fix that came with them;
//! cases marked `#[ignore = "bug: ..."]` are open bugs with their
//! reproduction. Every crash the fuzz targets (`fuzz/`) find becomes a test
//! here.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, SITE, Site, assert_summary, tree};

/// How long any one run may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// Helpers

/// A small valid site: a home page, stage `01-start` and article `guide.md`,
/// plus `outside/secret.md` next to the site (for symlinks that leave it).
fn site() -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: \"Robust\"\ndefault_language: en\nlanguages: [en]\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\n\nWelcome.\n");
    site.write("content/01-start/_index.md", "---\ntitle: Start\n---\n\nThe first stage.\n");
    site.write("content/01-start/guide.md", "---\ntitle: Guide\n---\n\nThe guide.\n");
    let outside = site.tmp.path().join("outside");
    fs::create_dir_all(&outside).expect("create outside/");
    fs::write(outside.join("secret.md"), "---\ntitle: Secret\n---\n\nSECRET-OUTSIDE\n").expect("write secret");
    site
}

/// A site whose article `content/01-start/guide.md` is `text`.
fn site_with_guide(text: impl AsRef<[u8]>) -> Site {
    let site = site();
    site.write("content/01-start/guide.md", text);
    site
}

/// What a path is, without following symlinks; files by length and hash.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    Dir,
    File(u64, u64),
    Link(std::path::PathBuf),
    Other,
}

/// Every entry below `dir` except the output folder `site/public`.
fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries {
        let path = e.expect("read entry").path();
        let rel = path.strip_prefix(base).expect("below base").to_string_lossy().into_owned();
        // The output, and the PDF cache a build keeps beside the sources.
        if rel == format!("{SITE}/public") || rel == format!("{SITE}/.lotse") {
            continue;
        }
        let meta = fs::symlink_metadata(&path).expect("stat");
        let entry = if meta.is_symlink() {
            Entry::Link(fs::read_link(&path).expect("read link"))
        } else if meta.is_dir() {
            walk(base, &path, out);
            Entry::Dir
        } else if meta.is_file() {
            match fs::read(&path) {
                Ok(bytes) => Entry::File(bytes.len() as u64, fnv(&bytes)),
                Err(_) => Entry::Other,
            }
        } else {
            Entry::Other
        };
        out.insert(rel, entry);
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Runs `lotse ARGS` in the site's temporary folder with a clean
/// environment; panics if it runs longer than `deadline` (and kills it).
fn run_within(site: &Site, args: &[&str], deadline: Duration) -> (Run, Duration) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lotse"));
    cmd.args(args);
    run_command(site, cmd, args, deadline)
}

/// Like [`run_within`], with the address space limited to `mb` megabytes
/// (so a runaway allocation fails fast instead of exhausting the machine).
fn run_within_memory(site: &Site, args: &[&str], deadline: Duration, mb: u64) -> (Run, Duration) {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mb * 1024));
    cmd.arg(env!("CARGO_BIN_EXE_lotse")).args(args);
    run_command(site, cmd, args, deadline)
}

fn run_command(site: &Site, mut cmd: Command, args: &[&str], deadline: Duration) -> (Run, Duration) {
    cmd.current_dir(site.tmp.path()).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start lotse");
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = pipe(Box::new(child.stdout.take().expect("stdout")));
    let err = pipe(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for lotse") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`lotse {}` did not finish within {deadline:?} (a hang)", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    };
    assert!(run.code != 101 && !run.stderr.contains("panicked"), "lotse panicked:\n{}", run.stderr);
    assert!(
        status.code().is_some(),
        "lotse was killed by a signal (stack overflow, failed allocation?):\n{}",
        run.stderr
    );
    (run, elapsed)
}

/// Runs `lotse ARGS` with [`DEADLINE`] and asserts that nothing outside
/// `site/public/` and the PDF cache `site/.lotse/` changed (the sources,
/// `outside/`, stray siblings).
fn guarded(site: &Site, args: &[&str]) -> Run {
    guarded_within(site, args, DEADLINE).0
}

fn guarded_within(site: &Site, args: &[&str], deadline: Duration) -> (Run, Duration) {
    let before = snapshot(site.tmp.path());
    let result = run_within(site, args, deadline);
    assert!(before == snapshot(site.tmp.path()), "lotse {} wrote outside the output folder", args.join(" "));
    if site.public().exists() {
        assert_no_symlinks(&site.public());
    }
    result
}

fn assert_no_symlinks(dir: &Path) {
    for e in fs::read_dir(dir).expect("read output") {
        let path = e.expect("entry").path();
        let meta = fs::symlink_metadata(&path).expect("stat");
        assert!(!meta.is_symlink(), "symlink in the output: {}", path.display());
        if meta.is_dir() {
            assert_no_symlinks(&path);
        }
    }
}

/// `lotse build --root site`, guarded.
fn build(site: &Site) -> Run {
    guarded(site, &["build", "--root", SITE])
}

/// `lotse check --root site`, guarded.
fn check(site: &Site) -> Run {
    guarded(site, &["check", "--root", SITE])
}

/// Asserts that `check` and `build` both fail with exit code 1, that stderr
/// lists each of `diagnostics` (as printed, caret and hint included), and
/// that the build wrote nothing.
fn assert_rejected(site: &Site, diagnostics: &[&str]) -> Run {
    let checked = check(site);
    checked.expect_code(1);
    let built = build(site);
    built.expect_code(1);
    for run in [&checked, &built] {
        for d in diagnostics {
            assert!(run.stderr.contains(&format!("{d}\n\n")), "missing diagnostic:\n{d}\n--- stderr\n{}", run.stderr);
        }
        assert_eq!(run.stdout, "");
    }
    assert!(built.stderr.ends_with("; nothing was written\n"), "{}", built.stderr);
    assert!(!site.public().exists(), "a failed build created public/");
    built
}

/// Asserts a clean build (exit 0, no diagnostics) and returns it.
fn assert_builds(site: &Site) -> Run {
    let run = build(site);
    run.expect_clean_success();
    run
}

/// Every output file as text (lossy), by path.
fn outputs(site: &Site) -> BTreeMap<String, String> {
    tree(&site.public()).into_iter().map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned())).collect()
}

/// Pseudo-random bytes (xorshift64*), the same on every run.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("create symlink");
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("run `id -u`");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

// ---------------------------------------------------------------------------
// Size: big files, long lines, deep nesting, many headings

#[test]
fn builds_a_50_megabyte_markdown_file_in_reasonable_time() {
    // Plain prose with a heading and a task every 100 paragraphs: heavy
    // inline markup would only make the debug build slower, not the test
    // stronger (the 1 MB line and the nesting cases cover markup).
    let mut text = String::from("---\ntitle: Huge\n---\n\n");
    let para = format!(
        "{}\n\n",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ".repeat(10)
    );
    let mut n = 0;
    while text.len() < 50 * 1024 * 1024 {
        n += 1;
        if n % 100 == 0 {
            text.push_str(&format!("## Section {}\n\n- [ ] Check part {n}\n\n", n / 100));
        } else {
            text.push_str(&para);
        }
    }
    let site = site_with_guide(&text);
    // Release: about 2 s; debug: about 20 s on an idle machine.
    let (run, took) = guarded_within(&site, &["build", "--root", SITE], DEADLINE);
    run.expect_clean_success();
    let limit = if cfg!(debug_assertions) { DEADLINE } else { Duration::from_secs(15) };
    assert!(took < limit, "a 50 MB page took {took:?}");
    let html = site.output("01-start/guide/index.html");
    assert!(html.len() > 50 * 1024 * 1024, "the page was cut short");
    assert!(html.contains("<h2 id=\"section-1\">"));
}

#[test]
fn builds_a_one_megabyte_line() {
    let line: String = "word [the stage](_index.md) **bold** ".repeat(30_000).chars().take(1 << 20).collect();
    let site = site_with_guide(format!("---\ntitle: Guide\n---\n\n{line}\n"));
    assert_builds(&site);
    let html = site.output("01-start/guide/index.html");
    assert!(html.matches("<a href=\"../\">the stage</a>").count() > 25_000);
}

#[test]
fn a_broken_link_at_the_end_of_a_one_megabyte_line_shows_a_short_excerpt() {
    let line = "x".repeat(1 << 20);
    let site = site_with_guide(format!("---\ntitle: Guide\n---\n\n{line} [gone](nope.md)\n"));
    let run = assert_rejected(&site, &[]);
    let first = run.stderr.lines().next().unwrap_or("");
    assert_eq!(
        first,
        "content/01-start/guide.md:5:1048578: error: broken link: `nope.md` does not exist (looked for content/01-start/nope.md)"
    );
    // The shown line is cut to about 100 characters around the column.
    assert!(run.stderr.len() < 2_000, "stderr is {} bytes", run.stderr.len());
    assert!(run.stderr.contains("…xxxx"), "{}", run.stderr);
}

#[test]
fn builds_ten_thousand_levels_of_list_nesting() {
    let site = site_with_guide(format!("---\ntitle: Guide\n---\n\n{}deep\n", "- ".repeat(10_000)));
    assert_builds(&site);
    let html = site.output("01-start/guide/index.html");
    assert!(html.matches("<ul>").count() >= 10_000);
    assert!(html.contains("deep"));
}

#[test]
fn builds_ten_thousand_levels_of_block_quotes_and_nested_tasks() {
    let text = format!("---\ntitle: Guide\n---\n\n{}quoted\n\n{}task\n", "> ".repeat(10_000), "- [ ] ".repeat(3_000));
    let site = site_with_guide(text);
    let run = assert_builds(&site);
    assert!(run.stdout.contains(", 1 checklist item,"), "{}", run.stdout);
    let html = site.output("01-start/guide/index.html");
    assert!(html.matches("<blockquote>").count() >= 10_000);
}

#[test]
fn builds_deep_nesting_in_safe_mode() {
    // The sanitiser (html5ever) is quadratic in the nesting depth: 10,000
    // levels take ~3 s in release and ~60 s in debug, so this uses 2,000.
    let site = site_with_guide(format!(
        "---\ntitle: Guide\n---\n\n{}deep\n\n{}quoted <script>alert(1)</script>\n",
        "- ".repeat(2_000),
        "> ".repeat(2_000)
    ));
    site.write("site.yaml", "title: \"Robust\"\ndefault_language: en\nlanguages: [en]\nmarkdown:\n  safe: true\n");
    assert_builds(&site);
    let html = site.output("01-start/guide/index.html");
    assert!(html.contains("deep") && !html.contains("<script>alert"), "safe mode kept the script");
}

#[test]
fn safe_mode_builds_40000_levels_of_nesting_in_reasonable_time() {
    let site = site_with_guide(format!("---\ntitle: Guide\n---\n\n{}deep\n", "- ".repeat(40_000)));
    site.write("site.yaml", "title: \"Robust\"\ndefault_language: en\nlanguages: [en]\nmarkdown:\n  safe: true\n");
    let (run, took) = guarded_within(&site, &["build", "--root", SITE], DEADLINE);
    assert!(run.code == 0 || run.stderr.contains("content/01-start/guide.md:5:"), "{}", run.stderr);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn ten_thousand_headings_get_unique_ids_and_all_anchors_resolve() {
    let mut text = String::from("---\ntitle: Guide\n---\n\n");
    for i in 0..10_000 {
        text.push_str(&format!("## Step {i}\n\nSee [the next step](#step-{}).\n\n", (i + 1) % 10_000));
    }
    let site = site_with_guide(text);
    assert_builds(&site);
    let html = site.output("01-start/guide/index.html");
    let ids: Vec<&str> = html.split("<h2 id=\"").skip(1).map(|r| &r[..r.find('"').expect("closed")]).collect();
    assert_eq!(ids.len(), 10_000);
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), 10_000, "duplicate heading ids");
}

#[test]
fn heading_ids_stay_unique_when_a_suffixed_id_is_written_out() {
    // Regression: `## a-1` then `## a` twice gave two `id="a-1"`.
    let site = site_with_guide("---\ntitle: Guide\n---\n\n## a-1\n\n## a\n\n## a\n\nSee [the third](#a-2).\n");
    let run = build(&site);
    run.expect_code(0);
    assert!(run.stderr.contains("warning: duplicate heading `a`: its anchor becomes `#a-2`"), "{}", run.stderr);
    let html = site.output("01-start/guide/index.html");
    for id in ["a-1", "a", "a-2"] {
        assert_eq!(html.matches(&format!("<h2 id=\"{id}\">")).count(), 1, "id {id}:\n{html}");
    }
}

#[test]
fn many_diagnostics_on_one_long_line_stay_fast_and_small() {
    let site = site_with_guide(format!("---\ntitle: Guide\n---\n\n{}\n", "[x](nope.md) ".repeat(80_000)));
    let (run, took) = run_within_memory(&site, &["check", "--root", SITE], Duration::from_secs(30), 2048);
    run.expect_code(1);
    let tail = &run.stderr[run.stderr.len().saturating_sub(200)..];
    assert!(tail.ends_with("error: check failed with 100 errors and 1 warning\n"), "{tail}");
    assert!(run.stderr.contains("more than 100 problems in this file; the rest are not reported"));
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

// ---------------------------------------------------------------------------
// Files that are not what they claim: binary, unreadable, special, links

#[test]
fn rejects_a_binary_file_named_md_at_its_first_invalid_byte() {
    let mut bytes = b"\x00\x01binary\xff\xfe".to_vec();
    bytes.extend(noise(64 * 1024, 0x5eed));
    let site = site();
    site.write("content/01-start/blob.md", &bytes);
    let run = assert_rejected(&site, &[]);
    let mut lines = run.stderr.lines();
    assert_eq!(lines.next(), Some("content/01-start/blob.md:1:9: error: file is not valid UTF-8"));
    assert!(run.stderr.contains("  = hint: save the file as UTF-8 in your editor\n"), "{}", run.stderr);
    assert!(run.stderr.len() < 4_000, "the whole binary was printed");
}

#[test]
fn reports_an_unreadable_file_with_its_path() {
    if is_root() {
        eprintln!("skipped: running as root, which can read a file with mode 000");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let site = site();
    let path = site.path("content/01-start/guide.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let run = build(&site);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod back");
    run.expect_code(1);
    assert_eq!(run.stderr, "error: site/content/01-start/guide.md: Permission denied (os error 13)\n");
    assert!(!site.public().exists());
}

#[test]
fn skips_a_named_pipe_instead_of_waiting_on_it() {
    let site = site();
    let status = Command::new("mkfifo").arg(site.path("content/01-start/pipe.md")).status().expect("run mkfifo");
    assert!(status.success());
    symlink("pipe.md", &site.path("content/01-start/pipe-link.md"));
    let run = assert_builds(&site);
    assert_summary(&run.stdout, "built 3 pages in 1 stage (en), 0 checklist items", "");
}

#[test]
fn reports_symlink_loops_without_following_them() {
    // Regression: loops were reported as "broken symlink (its target does not exist)".
    let site = site();
    symlink("b.md", &site.path("content/01-start/a.md"));
    symlink("a.md", &site.path("content/01-start/b.md"));
    symlink("self", &site.path("content/01-start/self"));
    // A link to a folder inside content/ is skipped, so `..` cannot loop.
    symlink("..", &site.path("content/01-start/up"));
    let diag = |name: &str| {
        format!(
            "content/01-start/{name}:1:1: error: symlink loop: the link leads back to itself\n  |\n1 | \n  | ^\n  = hint: remove the link or point it at a file inside the folder"
        )
    };
    let (a, b, s) = (diag("a.md"), diag("b.md"), diag("self"));
    assert_rejected(&site, &[&a, &b, &s]);
}

#[test]
fn refuses_a_symlink_to_a_file_outside_content_without_reading_it() {
    let site = site();
    symlink("../../../outside/secret.md", &site.path("content/01-start/secret.md"));
    let run = assert_rejected(
        &site,
        &["\
content/01-start/secret.md:1:1: error: symlink points outside its folder; it was not read
  |
1 | 
  | ^
  = hint: copy the file into the folder instead of linking to it"],
    );
    assert!(!run.stderr.contains("SECRET-OUTSIDE"));
}

#[test]
fn refuses_a_symlinked_folder_outside_content_and_absolute_links() {
    let site = site();
    symlink("../../../outside", &site.path("content/01-start/ext"));
    symlink("/etc/hostname", &site.path("content/hostname.md"));
    fs::create_dir_all(site.path("static")).expect("create static/");
    symlink("/", &site.path("static/root"));
    let run = check(&site);
    run.expect_code(1);
    for path in ["content/01-start/ext", "content/hostname.md", "static/root"] {
        assert!(
            run.stderr.contains(&format!("{path}:1:1: error: symlink points outside its folder; it was not read\n")),
            "{path}: {}",
            run.stderr
        );
    }
}

#[test]
fn reports_a_dangling_symlink() {
    let site = site();
    symlink("gone.md", &site.path("content/01-start/dangling.md"));
    assert_rejected(
        &site,
        &["\
content/01-start/dangling.md:1:1: error: broken symlink (its target does not exist)
  |
1 | 
  | ^
  = hint: remove the link or point it at a file inside the folder"],
    );
}

#[test]
fn reads_a_symlinked_file_inside_content_as_a_page() {
    let site = site();
    symlink("guide.md", &site.path("content/01-start/alias.md"));
    let run = assert_builds(&site);
    assert_summary(&run.stdout, "built 4 pages in 1 stage (en), 0 checklist items", "");
    assert!(site.output("01-start/alias/index.html").contains("The guide."));
}

#[test]
fn replaces_an_output_folder_that_is_a_symlink_without_touching_its_target() {
    let site = site();
    let target = site.tmp.path().join("outside/published");
    fs::create_dir_all(&target).expect("create target");
    fs::write(target.join("keep.txt"), "keep").expect("write keep.txt");
    symlink("../outside/published", &site.public());
    assert_builds(&site);
    assert!(!fs::symlink_metadata(site.public()).expect("stat public").is_symlink());
    assert_eq!(tree(&target), BTreeMap::from([("keep.txt".to_string(), b"keep".to_vec())]));
}

#[test]
fn removes_old_output_with_symlinks_in_it_without_following_them() {
    let site = site();
    site.write("public/index.html", "old home");
    site.write("public/old.html", "old");
    symlink("../../outside", &site.path("public/escape"));
    assert_builds(&site);
    assert!(!site.path("public/escape").exists() && !site.path("public/old.html").exists());
    assert!(site.tmp.path().join("outside/secret.md").exists(), "the build followed a symlink out of public/");
}

// ---------------------------------------------------------------------------
// Front-matter: YAML bombs, dates, orders, control characters, shapes

#[test]
fn rejects_a_yaml_alias_bomb_in_front_matter_quickly() {
    // Regression: the hint was "check indentation, and quote values ...".
    let mut yaml = String::from(
        "title: Guide\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    let site = site_with_guide(format!("---\n{yaml}---\n\nBody.\n"));
    let (run, took) = guarded_within(&site, &["check", "--root", SITE], Duration::from_secs(20));
    run.expect_code(1);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        run.stderr.starts_with(
            "content/01-start/guide.md:2:1: error: invalid YAML: repetition limit exceeded\n  |\n2 | title: Guide\n  | ^\n  = hint: YAML aliases (`*name`) expand to too much data here; write the values out\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn rejects_a_yaml_alias_bomb_in_site_yaml_quickly() {
    let site = site();
    let mut yaml =
        String::from("title: x\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, prev) in
        ["b", "c", "d", "e", "f", "g", "h", "i", "j"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h", "i"])
    {
        yaml.push_str(&format!("  {name}: &{name} [{}]\n", vec![format!("*{prev}"); 8].join(",")));
    }
    site.write("site.yaml", &yaml);
    let run = assert_rejected(&site, &[]);
    assert!(
        run.stderr.starts_with("site.yaml:1:1: error: invalid YAML: repetition limit exceeded\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn rejects_yaml_nested_too_deeply_at_the_place() {
    let site = site_with_guide(format!("---\ntitle: Guide\nextra: {}{}\n---\n", "[".repeat(1_000), "]".repeat(1_000)));
    let run = assert_rejected(&site, &[]);
    assert!(
        run.stderr.starts_with("content/01-start/guide.md:3:135: error: invalid YAML: recursion limit exceeded\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= hint: the values are nested too deeply; flatten them\n"), "{}", run.stderr);
}

#[test]
fn rejects_invalid_dates_at_the_value() {
    let site = site();
    site.write("content/01-start/a.md", "---\ntitle: A\ndate: 2025-13-01\n---\n");
    site.write("content/01-start/b.md", "---\ntitle: B\nupdated: 2025-1-1\n---\n");
    site.write("content/01-start/c.md", "---\ntitle: C\ndate: 20250101\n---\n");
    site.write("content/01-start/d.md", "---\ntitle: D\ndate: 2024-02-30T10:00:00Z\n---\n");
    let hint = "  = hint: write dates as YYYY-MM-DD, e.g. 2026-03-31";
    let a = format!(
        "content/01-start/a.md:3:7: error: invalid date `2025-13-01` in `date`\n  |\n3 | date: 2025-13-01\n  |       ^\n{hint}"
    );
    let b = format!(
        "content/01-start/b.md:3:10: error: invalid date `2025-1-1` in `updated`\n  |\n3 | updated: 2025-1-1\n  |          ^\n{hint}"
    );
    let c = format!(
        "content/01-start/c.md:3:7: error: invalid date `20250101` in `date`\n  |\n3 | date: 20250101\n  |       ^\n{hint}"
    );
    let d = format!(
        "content/01-start/d.md:3:7: error: invalid date `2024-02-30T10:00:00Z` in `date`\n  |\n3 | date: 2024-02-30T10:00:00Z\n  |       ^\n{hint}"
    );
    assert_rejected(&site, &[&a, &b, &c, &d]);
}

#[test]
fn negative_orders_sort_first_and_duplicate_orders_warn() {
    let site = site();
    site.write("content/01-start/guide.md", "---\ntitle: Guide\norder: 1\n---\n");
    site.write("content/01-start/first.md", "---\ntitle: First\norder: -9223372036854775808\n---\n");
    site.write("content/01-start/second.md", "---\ntitle: Second\norder: -5\n---\n");
    site.write("content/01-start/twin.md", "---\ntitle: Twin\norder: -5\n---\n");
    let run = build(&site);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "content/01-start/twin.md:3:8: warning: `order: -5` is also used by `content/01-start/second.md`\n  |\n3 | order: -5\n  |        ^\n  = hint: give each article of a stage its own order; ties are broken by file name\n\n"
    );
    let stage = site.output("01-start/index.html");
    let at = |s: &str| stage.find(&format!(">{s}<")).unwrap_or_else(|| panic!("{s} not listed"));
    assert!(at("First") < at("Second") && at("Second") < at("Twin") && at("Twin") < at("Guide"));
}

#[test]
fn rejects_an_order_beyond_64_bits_with_the_range() {
    // Regression: "must be an integer, found integer `9999...` as u128".
    let site = site_with_guide("---\ntitle: Guide\norder: 99999999999999999999\n---\n");
    assert_rejected(&site, &["\
content/01-start/guide.md:3:8: error: field `order` must be an integer from -9223372036854775808 to 9223372036854775807, found 99999999999999999999
  |
3 | order: 99999999999999999999
  |        ^"]);
}

#[test]
fn rejects_control_characters_in_markdown_at_the_character() {
    // Regression: a NUL in the body reached atom.xml (ill-formed XML) and
    // every HTML page. C0 controls other than tab and line breaks are
    // invisible in editors and not allowed in XML.
    let site = site();
    site.write("content/01-start/guide.md", "---\ntitle: Gu\0ide\n---\n\nBody.\n");
    site.write("content/01-start/body.md", "---\ntitle: Body\n---\n\nÜber\u{c}page.\n");
    let hint = "  = hint: remove it (editors do not show it); a file full of them is not a text file";
    let nul = format!(
        "content/01-start/guide.md:2:10: error: control character U+0000 in the file\n  |\n2 | title: Gu\0ide\n  |          ^\n{hint}"
    );
    let ff = format!(
        "content/01-start/body.md:5:5: error: control character U+000C in the file\n  |\n5 | Über\u{c}page.\n  |     ^\n{hint}"
    );
    assert_rejected(&site, &[&nul, &ff]);
}

#[test]
fn rejects_control_characters_written_as_yaml_escapes() {
    let site = site_with_guide("---\ntitle: \"Gu\\u0001ide\"\nsummary: \"a\\u0000b\"\n---\n\nBody.\n");
    let run = build(&site);
    if run.code == 0 {
        let feed = site.output("atom.xml");
        assert!(roxmltree::Document::parse(&feed).is_ok(), "atom.xml is not well-formed");
    }
    run.expect_code(1);
    assert!(run.stderr.starts_with("content/01-start/guide.md:2:"), "{}", run.stderr);
}

#[test]
fn locates_a_nul_byte_in_site_yaml_at_the_byte() {
    // Regression: reported at 1:1 with "... at position 11" in the message.
    let site = site();
    site.write("site.yaml", "title: \"Rob\0ust\"\ndefault_language: en\n");
    assert_rejected(
        &site,
        &["\
site.yaml:1:12: error: invalid YAML: control characters are not allowed
  |
1 | title: \"Rob\0ust\"
  |            ^
  = hint: remove the invisible control character (tabs and line breaks are fine)"],
    );
}

#[test]
fn locates_tab_indentation_in_yaml_with_a_hint() {
    // Regression: the hint did not mention tabs.
    let site = site_with_guide("---\ntitle: Guide\ntags:\n\t- crm\n---\n");
    assert_rejected(
        &site,
        &["\
content/01-start/guide.md:4:1: error: invalid YAML: found character that cannot start any token
  |
4 | \t- crm
  | ^
  = hint: indent with spaces: YAML does not allow tabs there"],
    );
}

#[test]
fn accepts_a_tab_between_key_and_value() {
    let site = site_with_guide("---\ntitle:\tGuide with a tab\n---\n");
    assert_builds(&site);
    assert!(site.output("01-start/guide/index.html").contains("<h1>Guide with a tab</h1>"));
}

#[test]
fn rejects_front_matter_that_is_a_list_or_a_scalar() {
    let site = site();
    site.write("content/01-start/list.md", "---\n- title\n- Guide\n---\n");
    site.write("content/01-start/scalar.md", "---\njust some text\n---\n");
    assert_rejected(
        &site,
        &[
            "content/01-start/list.md:2:1: error: front-matter must be a mapping of `field: value` lines\n  |\n2 | - title\n  | ^",
            "content/01-start/scalar.md:2:1: error: front-matter must be a mapping of `field: value` lines\n  |\n2 | just some text\n  | ^",
        ],
    );
}

#[test]
fn builds_an_extremely_long_title_escaped() {
    let title = "<T&\"itle> ".repeat(20_000);
    let site = site_with_guide(format!("---\ntitle: '{title}'\n---\n"));
    assert_builds(&site);
    let html = site.output("01-start/guide/index.html");
    assert!(html.contains(&"&lt;T&amp;&quot;itle&gt; ".repeat(20_000)), "title missing or not escaped");
}

// ---------------------------------------------------------------------------
// Names: slugs that could escape, reserved names, long names

#[test]
fn file_names_that_look_like_paths_stay_inside_the_output() {
    let site = site();
    for name in ["a..b", "..%2F..%2Fdot", "%2e%2e", "x%2F..%2F..%2Fy", "back\\..\\..\\slash", "new\nline", ".hidden"] {
        site.write(&format!("content/01-start/{name}.md"), format!("---\ntitle: {}\n---\n", name.len()));
    }
    site.write("content/%2e%2e/_index.md", "---\ntitle: Dots\n---\n");
    let run = assert_builds(&site);
    // Names starting with a dot are hidden files and are left out.
    assert_summary(&run.stdout, "built 9 pages in 2 stages (en), 0 checklist items", "");
    let pages: Vec<String> =
        outputs(&site).into_keys().filter(|p| p.ends_with("/index.html") && p.matches('/').count() == 2).collect();
    assert_eq!(
        pages,
        [
            "01-start/2e-2e/index.html",
            "01-start/a-b/index.html",
            "01-start/back-slash/index.html",
            "01-start/guide/index.html",
            "01-start/new-line/index.html",
            "01-start/x-2f-2f-2fy/index.html",
        ],
        "no checklist items, so no handouts"
    );
}

#[test]
fn rejects_an_article_name_without_letters_or_digits() {
    // Regression: `★.md` got the URL `01-start//`, the same file as the
    // stage page, and the two were written over each other.
    let site = site();
    site.write("content/01-start/★.md", "---\ntitle: Star\n---\n");
    assert_rejected(
        &site,
        &["\
content/01-start/★.md:1:1: error: the file name gives an empty URL slug
  |
1 | ---
  | ^
  = hint: use letters or digits in the file name"],
    );
}

#[test]
fn rejects_a_file_name_whose_slug_is_too_long_for_a_folder() {
    // Regression: `check` passed and `build` failed with an unlocated
    // "File name too long" naming the staging folder.
    // `İ` is 2 bytes but lowercases to 3: the name fits, its slug does not.
    let name = "İ".repeat(126);
    let site = site();
    site.write(&format!("content/01-start/{name}.md"), "---\ntitle: Long\n---\n");
    let run = assert_rejected(&site, &[]);
    assert!(
        run.stderr.starts_with(&format!(
            "content/01-start/{name}.md:1:1: error: the URL slug is 378 bytes long, more than a folder name may have (255)\n"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("  = hint: use a shorter file or folder name\n"));
}

#[test]
fn rejects_tags_without_letters_and_merges_tags_that_differ_in_case() {
    // Regression: tag `★` was written to `tags//index.html`, over the tag
    // index; `CRM` and `crm` were two pages at one URL and one was lost.
    let site = site();
    site.write("content/01-start/a.md", "---\ntitle: A\ntags: [CRM, \"★\"]\n---\n");
    assert_rejected(
        &site,
        &["\
content/01-start/a.md:3:14: error: `★` in `tags` gives no usable URL
  |
3 | tags: [CRM, \"★\"]
  |              ^
  = hint: use letters or digits, at most 255 bytes"],
    );
    site.write("content/01-start/a.md", "---\ntitle: Alpha\ntags: [CRM, Data]\n---\n");
    site.write("content/01-start/b.md", "---\ntitle: Beta\ntags: [crm]\n---\n");
    assert_builds(&site);
    let page = site.output("tags/crm/index.html");
    assert!(page.contains("Alpha") && page.contains("Beta"), "one of the articles is missing:\n{page}");
    let index = site.output("tags/index.html");
    assert_eq!(index.matches("href=\"crm/\"").count(), 1, "{index}");
}

#[test]
fn rejects_windows_reserved_names() {
    let site = site();
    for name in ["con", "aux", "nul", "LPT1"] {
        site.write(&format!("content/01-start/{name}.md"), "---\ntitle: Reserved\n---\n");
    }
    site.write("content/prn/_index.md", "---\ntitle: Printer\n---\n");
    let reserved = |path: &str, slug: &str| {
        format!(
            "{path}:1:1: error: `{slug}` is a reserved file name on Windows\n  |\n1 | ---\n  | ^\n  = hint: rename the file"
        )
    };
    let cases = [
        ("content/01-start/LPT1.md", "lpt1"),
        ("content/01-start/aux.md", "aux"),
        ("content/01-start/con.md", "con"),
        ("content/01-start/nul.md", "nul"),
        ("content/prn/_index.md", "prn"),
    ];
    let expected: Vec<String> = cases.iter().map(|(p, s)| reserved(p, s)).collect();
    let refs: Vec<&str> = expected.iter().map(String::as_str).collect();
    let run = assert_rejected(&site, &refs);
    assert!(run.stderr.ends_with("error: build failed with 5 errors and 0 warnings; nothing was written\n"));
}

#[test]
fn rejects_a_stage_folder_named_like_a_language() {
    let site = site();
    site.write("site.yaml", "title: \"Robust\"\ndefault_language: en\nlanguages: [en, de]\n");
    site.write("content/de/_index.md", "---\ntitle: Deutsch\n---\n");
    let run = assert_rejected(
        &site,
        &["\
content/de/_index.md:1:1: error: `de` is the URL prefix of a language
  |
1 | ---
  | ^
  = hint: rename the file or folder"],
    );
    assert!(run.stderr.contains("error: build failed with 1 error and "), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Checklists

#[test]
fn duplicate_checklist_items_get_unique_ids() {
    let site = site_with_guide(
        "---\ntitle: Guide\n---\n\n## A\n\n- [ ] Same item\n- [ ] Same item\n- [x] same   ITEM\n\n## B\n\n- [ ] Same item\n",
    );
    let run = assert_builds(&site);
    assert_summary(&run.stdout, "built 3 pages in 1 stage (en), 4 checklist items", "");
    for page in ["01-start/guide/index.html", "01-start/checklist/index.html", "checklists/index.html"] {
        let html = site.output(page);
        let ids: Vec<&str> = html.split("data-check=\"").skip(1).map(|r| &r[..r.find('"').expect("closed")]).collect();
        assert_eq!(ids.len(), 4, "{page}");
        let unique: std::collections::HashSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), 4, "{page}: {ids:?}");
    }
}

#[test]
fn print_version_section_ids_are_unique() {
    let site = site();
    site.write("content/01-start/a-b.md", "---\ntitle: AB\n---\n\n## Intro\n");
    site.write("content/01-start-a/_index.md", "---\ntitle: Second\n---\n");
    site.write("content/01-start-a/b.md", "---\ntitle: B\n---\n\n## Intro\n");
    assert_builds(&site);
    let html = site.output("print/index.html");
    let ids: Vec<&str> = html.split(" id=\"").skip(1).map(|r| &r[..r.find('"').expect("closed")]).collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in print/index.html: {ids:?}");
}

// ---------------------------------------------------------------------------
// Themes and templates

#[test]
fn locates_a_template_syntax_error_in_the_site_override() {
    let site = site();
    site.write("templates/x.html", "<p>one</p>\n<p>{{ page.title </p>\n");
    assert_rejected(
        &site,
        &["\
templates/x.html:2:18: error: template error: Found `</` but expected }}.
  |
2 | <p>{{ page.title </p>
  |                  ^"],
    );
}

#[test]
fn rejects_a_template_that_is_not_utf8() {
    let site = site();
    site.write("templates/x.html", b"<p>caf\xe9</p>\n");
    let run = assert_rejected(&site, &[]);
    assert!(run.stderr.starts_with("templates/x.html:1:7: error: file is not valid UTF-8\n"), "{}", run.stderr);
}

#[test]
fn rejects_theme_strings_that_are_not_utf8_at_the_byte() {
    // Regression: the file was read lossily, the strings silently garbled.
    let site = site();
    site.write("site.yaml", "title: \"Robust\"\ndefault_language: en\nlanguages: [en]\ntheme: mine\n");
    site.write("themes/mine/i18n/en.yaml", b"search: \"Such\xe9\"\n");
    let run = assert_rejected(&site, &[]);
    assert!(
        run.stderr.starts_with("themes/mine/i18n/en.yaml:1:14: error: file is not valid UTF-8\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn rejects_an_accent_colour_with_non_ascii_characters() {
    // Regression, found by fuzzing (frontmatter target): a first character
    // of more than one byte made `lotse` panic slicing the string.
    let site = site();
    site.write(
        "site.yaml",
        "title: \"Robust\"\ndefault_language: en\nlanguages: [en]\nbranding:\n  accent: \"€0b6e6e\"\n",
    );
    assert_rejected(
        &site,
        &["\
site.yaml:5:11: error: invalid accent colour `€0b6e6e`
  |
5 |   accent: \"€0b6e6e\"
  |           ^
  = hint: use a hex colour such as `#0b6e6e`"],
    );
}

#[test]
fn locates_a_missing_theme_in_site_yaml() {
    let site = site();
    site.write("site.yaml", "title: \"Robust\"\ndefault_language: en\nlanguages: [en]\ntheme: nope\n");
    assert_rejected(
        &site,
        &["\
site.yaml:4:8: error: theme `nope` not found: there is no folder themes/nope/
  |
4 | theme: nope
  |        ^
  = hint: use `theme: default` (built in), or add the theme folder"],
    );
}

#[test]
fn does_not_read_a_theme_named_by_a_path() {
    // Regression: `theme: /` read the whole file system into memory, and
    // `theme: /usr/share/doc` built with that folder as its theme.
    let site = site();
    fs::create_dir_all(site.tmp.path().join("outside/static")).expect("create outside/static");
    fs::write(site.tmp.path().join("outside/static/leak.txt"), "LEAKED").expect("write leak.txt");
    fs::create_dir_all(site.path("themes")).expect("create themes/");
    for theme in ["/", "../../outside", "/proc"] {
        site.write(
            "site.yaml",
            format!("title: \"Robust\"\ndefault_language: en\nlanguages: [en]\ntheme: \"{theme}\"\n"),
        );
        let (run, took) = guarded_within(&site, &["build", "--root", SITE], Duration::from_secs(30));
        run.expect_code(1);
        assert!(took < Duration::from_secs(10), "theme {theme}: took {took:?}");
        assert!(run.stderr.starts_with(&format!("site.yaml:4:8: error: theme `{theme}` not found")), "{}", run.stderr);
    }
}

#[test]
fn a_static_file_does_not_replace_the_generated_search_index() {
    let site = site();
    site.write("static/search/en/d-0.js", "SHADOW");
    let run = build(&site);
    run.expect_code(0);
    assert_ne!(site.output("search/en/d-0.js"), "SHADOW");
    assert!(run.stderr.contains("static/search/en/d-0.js"), "no warning: {}", run.stderr);
}

// ---------------------------------------------------------------------------
// Site shapes

#[test]
fn builds_an_empty_site_with_a_generated_home_page() {
    let site = Site::empty();
    site.write("site.yaml", "title: \"Empty\"\ndefault_language: en\nlanguages: [en]\n");
    let run = build(&site);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "content/_index.md:1:1: warning: there is no home page, so Lotse generates one that lists the stages\n  |\n1 | \n  | ^\n  = hint: add `content/_index.md` with a `title` to write your own\n\n"
    );
    assert_summary(&run.stdout, "built 1 page in 0 stages (en), 0 checklist items", " (1 warning)");
    assert!(site.output("index.html").contains("Empty"));
}

#[test]
fn rejects_content_that_is_a_file() {
    // Regression: the file was ignored and a site with only a generated
    // home page was built.
    let site = Site::empty();
    site.write("site.yaml", "title: \"Robust\"\n");
    site.write("content", "---\ntitle: Not a folder\n---\n");
    let run = build(&site);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: site/content: this is a file, but content/ must be the folder that holds the pages\n"
    );
    assert!(!site.public().exists());
}

#[test]
fn rejects_pages_nested_deeper_than_a_stage() {
    let site = site();
    site.write("content/01-start/x.md/inner.md", "---\ntitle: Inner\n---\n");
    assert_rejected(&site, &["\
content/01-start/x.md/inner.md:1:1: error: pages can be at most one folder deep: a stage folder cannot contain subfolders
  |
1 | ---
  | ^
  = hint: move the file into `content/01-start/`"]);
}
