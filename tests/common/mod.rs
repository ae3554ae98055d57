//! Helpers shared by the integration tests: copy a fixture site into a fresh
//! temporary folder, run the `lotse` binary on it with a clean environment,
//! and read what it wrote.
//!
//! Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The name of the site folder inside the temporary folder. Commands run
/// with the temporary folder as working directory and `--root site`, so
/// paths in messages are short and the same on every machine.
pub const SITE: &str = "site";

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`-1` if the process was killed by a signal).
    pub code: i32,
    /// Standard output, as text.
    pub stdout: String,
    /// Standard error, as text.
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the run exited with `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Panics with both streams unless the run succeeded without any output
    /// on stderr.
    pub fn expect_clean_success(&self) -> &Self {
        self.expect_code(0);
        assert_eq!(self.stderr, "", "expected no diagnostics");
        self
    }
}

/// A copy of a fixture site in its own temporary folder, removed on drop.
pub struct Site {
    /// The temporary folder: the working directory of every command.
    pub tmp: TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>/` into a fresh temporary folder.
    pub fn from_fixture(name: &str) -> Site {
        let site = Site::empty();
        let from = fixture_dir(name);
        assert!(from.is_dir(), "no fixture at {}", from.display());
        copy_tree(&from, &site.root());
        site
    }

    /// An empty temporary folder without a site folder in it.
    pub fn empty() -> Site {
        let tmp = tempfile::Builder::new().prefix("lotse-test-").tempdir().expect("create temp dir");
        Site { tmp }
    }

    /// The site root: `<tmp>/site`.
    pub fn root(&self) -> PathBuf {
        self.tmp.path().join(SITE)
    }

    /// A path below the site root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The default output folder, `<root>/public`.
    pub fn public(&self) -> PathBuf {
        self.path("public")
    }

    /// Writes `bytes` to `rel` below the site root, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&path, bytes).expect("write file");
    }

    /// Reads `rel` below the site root as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Runs `lotse ARGS` in the temporary folder.
    pub fn run(&self, args: &[&str]) -> Run {
        lotse(self.tmp.path(), args)
    }

    /// Runs `lotse ARGS` in the site root (for `lotse new`, which has no
    /// required `--root`).
    pub fn run_in_root(&self, args: &[&str]) -> Run {
        lotse(&self.root(), args)
    }

    /// Runs `lotse build --root site EXTRA...`.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--root", SITE];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Runs `lotse check --root site EXTRA...`.
    pub fn check(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", "--root", SITE];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The output file `rel` below `public/`, as text.
    pub fn output(&self, rel: &str) -> String {
        self.read(&format!("public/{rel}"))
    }
}

/// `tests/fixtures/<name>` in the source tree.
pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Runs the `lotse` binary in `cwd` with a clean environment (only `PATH`
/// is kept), so no `RUST_LOG`, `NO_COLOR`, locale or home settings leak in.
pub fn lotse(cwd: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lotse"));
    cmd.args(args).current_dir(cwd).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let out = cmd.output().expect("run the lotse binary");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Copies a fixture and builds it with `lotse build --root site EXTRA...`;
/// panics unless the build succeeds. Returns the site (keep it alive while
/// reading) and its output folder.
pub fn build_fixture(name: &str, extra: &[&str]) -> (Site, PathBuf) {
    let site = Site::from_fixture(name);
    site.build(extra).expect_code(0);
    let out = site.public();
    assert!(out.is_dir(), "no output in {}", out.display());
    (site, out)
}

/// Copies the folder `from` to `to` recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("read fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Every file below `dir`, by `/`-separated relative path, with its bytes.
/// An absent folder gives an empty map.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("read entry").path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).expect("below base");
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>();
            files.insert(rel.join("/"), fs::read(&path).expect("read file"));
        }
    }
}

/// Names of the entries directly in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `<main ...>...</main>` element of a page.
pub fn main_element(html: &str) -> &str {
    let start = html.find("<main").expect("page has a <main> element");
    let end = html[start..].find("</main>").expect("<main> is closed") + start + "</main>".len();
    &html[start..end]
}

/// The values of every `href="..."` and `src="..."` attribute, in order.
pub fn urls(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').expect("attribute is closed");
            // `data-src="` and the like are not links.
            let before = rest[..i].chars().last();
            if before.is_none_or(|c| c.is_whitespace()) {
                out.push(&after[..end]);
            }
            rest = &after[end..];
        }
    }
    out
}

/// Whether `url` has a scheme (`https:`, `mailto:`) or is protocol-relative.
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Resolves a relative `url` found in output file `from` (a path relative
/// to the output folder) to the output file it names: `a/` means
/// `a/index.html`. Returns the path and the fragment, or `None` if the URL
/// climbs above the output folder.
pub fn resolve(from: &str, url: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    if path.is_empty() {
        return Some((from.to_string(), fragment));
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    let is_dir = path.ends_with('/') || matches!(path.rsplit('/').next(), Some(".." | "."));
    if is_dir {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some((file, fragment))
}

/// Asserts that `stdout` is a one-line build or check summary:
/// `<prefix>, in N ms<suffix>`; later lines are not checked.
pub fn assert_summary(stdout: &str, prefix: &str, suffix: &str) {
    let first = stdout.lines().next().unwrap_or("");
    let rest = first.strip_prefix(prefix).unwrap_or_else(|| panic!("summary {first:?} does not start with {prefix:?}"));
    let ms = rest
        .strip_prefix(", in ")
        .and_then(|r| r.strip_suffix(suffix))
        .and_then(|r| r.strip_suffix(" ms"))
        .unwrap_or_else(|| panic!("summary {first:?} does not end with \", in N ms{suffix}\""));
    assert!(ms.parse::<u64>().is_ok(), "summary {first:?} has no time in ms");
}

/// A headless Chromium command with the flags this sandbox needs (no
/// network chatter, no GPU, a fresh profile in `profile`).
pub fn headless_chromium(profile: &Path) -> Command {
    let mut cmd = Command::new("chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// Whether the tests run as root (mounting a file system needs it).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Whether a browser test can run: every tool in `tools` answers
/// `--version`. When one is missing the test is skipped with a message, or
/// fails where `LOTSE_REQUIRE_BROWSER` is set (`.ci/run` sets it, so CI
/// never passes by skipping).
pub fn have_browser_tools(test: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| {
            !Command::new(t).arg("--version").output().is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    let hint = "apt-get install chromium poppler-utils nodejs npm; cd tests/browser && npm ci";
    assert!(
        std::env::var_os("LOTSE_REQUIRE_BROWSER").is_none(),
        "{test}: LOTSE_REQUIRE_BROWSER is set but {} is missing ({hint})",
        missing.join(", ")
    );
    eprintln!("SKIPPED {test}: needs {} ({hint})", missing.join(", "));
    false
}

/// Prints `html` to `pdf` with headless Chromium (no header or footer).
pub fn print_pdf(html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let status = headless_chromium(profile.path())
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(status.status.success() && pdf.exists(), "chromium failed: {}", String::from_utf8_lossy(&status.stderr));
}

/// Runs `tool ARGS` and returns its standard output; panics if it fails.
pub fn run_tool(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap();
    assert!(out.status.success(), "{tool} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Letters and digits only, so line breaks and spacing do not matter.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The page count and the `Page size:` line of a PDF, from pdfinfo.
pub fn pdf_pages(pdf: &Path) -> (usize, String) {
    let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let size = info.lines().find_map(|l| l.strip_prefix("Page size:")).unwrap_or("").trim().to_string();
    (pages, size)
}
