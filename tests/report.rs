//! `lotse report` on the flagship guide and on a fixture: the table, the
//! JSON and the HTML report, each number checked against a count this test
//! makes on its own from the files (front-matter lines, file names, link
//! text, git dates), not through Lotse.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use common::{Run, SITE, Site};

fn lotse(cwd: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lotse"));
    cmd.args(args).current_dir(cwd).env_clear().env("LOTSE_TODAY", TODAY);
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let out = cmd.output().expect("run lotse");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const TODAY: &str = "2026-12-03";

/// A Markdown file as this test reads it.
struct File {
    /// `content/…`.
    path: String,
    lang: &'static str,
    /// `01-a/x` without language suffix and `.md`.
    key: String,
    front: BTreeMap<String, String>,
    body: String,
}

impl File {
    fn is_article(&self) -> bool {
        self.key.contains('/') && !self.key.ends_with("/_index")
    }
    fn field(&self, k: &str) -> Option<&str> {
        self.front.get(k).map(String::as_str).filter(|v| !v.is_empty())
    }
}

fn read_files(root: &Path) -> Vec<File> {
    let mut out = Vec::new();
    let content = root.join("content");
    for (rel, bytes) in common::tree(&content) {
        let Some(stem) = rel.strip_suffix(".md") else { continue };
        let (key, lang) = match stem.strip_suffix(".en") {
            Some(k) => (k.to_string(), "en"),
            None => (stem.to_string(), "de"),
        };
        let text = String::from_utf8(bytes).unwrap();
        let rest = text.strip_prefix("---\n").unwrap();
        let end = rest.find("\n---\n").unwrap();
        let front = rest[..end]
            .lines()
            .filter(|l| !l.starts_with(' '))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.to_string(), v.trim().trim_matches('"').to_string()))
            .collect();
        out.push(File { path: format!("content/{rel}"), lang, key, front, body: rest[end + 5..].to_string() });
    }
    out
}

fn days(date: &str) -> i64 {
    let p: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    // Days from civil (Howard Hinnant), good for any Gregorian date.
    let (y, m, d) = (if p[1] <= 2 { p[0] - 1 } else { p[0] }, p[1], p[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// `reviewed` plus `every` (`N months` or `N days` as the guide writes them).
fn due(reviewed: &str, every: &str) -> i64 {
    let (n, unit) = every.split_once(' ').unwrap();
    let n: i64 = n.parse().unwrap();
    if unit.starts_with("day") {
        return days(reviewed) + n;
    }
    let p: Vec<i64> = reviewed.split('-').map(|x| x.parse().unwrap()).collect();
    let months = p[0] * 12 + p[1] - 1 + if unit.starts_with("year") { 12 * n } else { n };
    days(&format!("{:04}-{:02}-{:02}", months / 12, months % 12 + 1, p[2].min(28)))
}

/// Each count of the summary table, computed from the files.
fn independent_counts(root: &Path, files: &[File]) -> BTreeMap<&'static str, usize> {
    let today = days(TODAY);
    let original = |f: &File| files.iter().find(|o| o.lang == "de" && o.key == f.key);
    let reviewed =
        |f: &File| f.field("reviewed").or_else(|| original(f).and_then(|o| o.field("reviewed"))).map(str::to_string);
    // Owner periods: the page's, its original's, else site.yaml's 12 months (no stage of the guide sets one).
    let every = |f: &File| {
        f.field("review_every")
            .or_else(|| original(f).and_then(|o| o.field("review_every")))
            .unwrap_or("12 months")
            .to_string()
    };
    let dues: Vec<i64> = files.iter().filter_map(|f| reviewed(f).map(|r| today - due(&r, &every(f)))).collect();
    let articles = || files.iter().filter(|f| f.is_article());
    let words = |f: &File| f.body.split_whitespace().count();
    let mut titles: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in files {
        *titles.entry((f.lang.to_string(), f.field("title").unwrap().to_lowercase())).or_default() += 1;
    }
    let external: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let b = &f.body;
            ["](http", "<http", "href=\"http"]
                .iter()
                .flat_map(move |pat| b.match_indices(pat).map(|(i, _)| b[i..].to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let hosts: BTreeSet<String> = external
        .iter()
        .map(|s| s.split("//").nth(1).unwrap().split(['/', ')', '"', '>']).next().unwrap().to_lowercase())
        .collect();
    // A page is linked when another file of its language names its file
    // (`name.md`) or folder in a link, or wikilinks its title.
    let linked = |f: &File| {
        let name = f.key.rsplit('/').next().unwrap();
        let file = if f.lang == "en" { format!("{name}.en.md") } else { format!("{name}.md") };
        files.iter().filter(|o| o.lang == f.lang && o.path != f.path).any(|o| {
            o.body.contains(&format!("/{file}"))
                || o.body.contains(&format!("({file}"))
                || o.body.contains(&format!("[[{}", f.field("title").unwrap()))
        })
    };
    // Stage files of a language without `key:` while another stage has it.
    let stages = |lang: &'static str| files.iter().filter(move |f| f.lang == lang && f.key.ends_with("/_index"));
    let lacking = |key: &str| {
        ["de", "en"]
            .iter()
            .filter(|&&l| stages(l).any(|f| f.front.contains_key(key)))
            .map(|&l| stages(l).filter(|f| !f.front.contains_key(key)).count())
            .sum::<usize>()
    };
    let git = git_dates(root);
    let changed = |f: &File| f.field("updated").map(str::to_string).or_else(|| git.get(&f.path).cloned());
    BTreeMap::from([
        ("reviews overdue", dues.iter().filter(|&&d| d > 0).count()),
        ("reviews due within 30 days", dues.iter().filter(|&&d| (-30..=0).contains(&d)).count()),
        ("pages never reviewed", files.iter().filter(|f| reviewed(f).is_none()).count()),
        ("orphans (no page links to them)", files.iter().filter(|f| !f.key.ends_with("_index") && !linked(f)).count()),
        ("articles without summary", articles().filter(|f| f.field("summary").is_none()).count()),
        (
            "articles without checklist",
            articles().filter(|f| !f.body.contains("- [ ]") && !f.body.contains("- [x]")).count(),
        ),
        (
            "pages missing a translation",
            files.iter().filter(|f| f.lang == "de" && !files.iter().any(|o| o.lang == "en" && o.key == f.key)).count(),
        ),
        ("very long articles (over 4000 words)", articles().filter(|f| words(f) > 4000).count()),
        ("very short articles (under 150 words)", articles().filter(|f| words(f) < 150).count()),
        (
            "pages unchanged for over 365 days",
            files.iter().filter(|f| changed(f).is_some_and(|d| today - days(&d) > 365)).count(),
        ),
        ("titles used twice or more", titles.values().filter(|&&n| n > 1).count()),
        ("stages without a workshop plan (others have one)", lacking("workshop")),
        ("stages without position-check statements (others have some)", lacking("assessment")),
        ("external links", external.len()),
        ("hosts linked to", hosts.len()),
    ])
}

/// The last commit date of each file under `content/`, by `content/…` path.
fn git_dates(root: &Path) -> BTreeMap<String, String> {
    let out = Command::new("git")
        .args(["-C"])
        .arg(root)
        .args(["log", "--format=%x00%cs", "--name-only", "--relative", "--", "content"])
        .output();
    let mut dates = BTreeMap::new();
    let Ok(out) = out else { return dates };
    let mut current = String::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(d) = line.strip_prefix('\0') {
            current = d.to_string();
        } else if !line.is_empty() {
            dates.entry(line.to_string()).or_insert_with(|| current.clone());
        }
    }
    dates
}

/// The summary table of the text report, by line.
fn table(stdout: &str) -> BTreeMap<String, usize> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("check "))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let (what, n) = l.rsplit_once(' ').unwrap();
            (what.trim().to_string(), n.parse().unwrap())
        })
        .collect()
}

#[test]
fn the_guide_report_matches_counts_made_from_the_files() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("report.html");
    let run = lotse(repo, &["report", "--root", ".", "--html", html.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("Content health of CRM in der Praxis, as of 2026-12-03 (62 pages)\n"),
        "{}",
        run.stdout
    );
    let files = read_files(repo);
    assert_eq!(files.len(), 62);
    let expected = independent_counts(repo, &files);
    let shown = table(&run.stdout);
    let expected: BTreeMap<String, usize> = expected.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    assert_eq!(shown, expected, "{}", run.stdout);
    // The HTML report holds the same numbers.
    let page = std::fs::read_to_string(&html).unwrap();
    for (what, n) in &expected {
        let what = what.replace('>', "&gt;");
        assert!(page.contains(&format!("<td>{what}</td><td class=\"n\">{n}</td>")), "{what}: {n} in the HTML report");
    }
    assert!(run.stdout.ends_with(&format!("wrote {}\n", html.display())));
}

#[test]
fn the_report_lists_what_the_fixture_holds_and_json_agrees() {
    let site = Site::from_fixture("kb-report");
    let run = lotse(site.tmp.path(), &["report", "--root", SITE, "--format", "json"]);
    run.expect_code(0);
    assert!(run.stderr.ends_with("wrote site/lotse-report.html\n"), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let paths = |key: &str| -> Vec<String> {
        json[key].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap().to_string()).collect()
    };
    // Translations inherit their original's review date, and are listed at its line.
    assert_eq!(paths("overdue"), ["content/01-a/old.md", "content/01-a/old.md"]);
    assert_eq!(paths("due_soon"), ["content/01-a/soon.md", "content/01-a/soon.md"]);
    assert_eq!(
        json["by_owner"],
        serde_json::json!([{"owner": "Anna", "overdue": 2, "soon": 0}, {"owner": "Ben", "overdue": 0, "soon": 2}])
    );
    // `old.md` is wikilinked from `short.md`; nothing links its translation.
    assert_eq!(
        paths("orphans"),
        ["content/01-a/old.en.md", "content/01-a/soon.en.md", "content/01-a/soon.md", "content/lonely.md"]
    );
    let articles = [
        "content/01-a/old.en.md",
        "content/01-a/old.md",
        "content/01-a/short.en.md",
        "content/01-a/short.md",
        "content/01-a/soon.en.md",
        "content/01-a/soon.md",
    ];
    assert_eq!(paths("without_summary"), articles);
    assert_eq!(paths("without_checklist"), articles);
    assert_eq!(paths("short_pages"), articles);
    assert_eq!(paths("missing_translations"), ["content/lonely.md"]);
    assert_eq!(json["missing_translations"][0]["value"], serde_json::json!(["en"]));
    assert_eq!(paths("unchanged"), ["content/lonely.md"]);
    assert_eq!(json["duplicate_titles"][0]["paths"], serde_json::json!(["content/01-a/short.md", "content/lonely.md"]));
    let hosts: Vec<(&str, usize)> = json["external"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["host"].as_str().unwrap(), h["links"].as_array().unwrap().len()))
        .collect();
    assert_eq!(hosts, [("example.org", 2), ("www.example.com", 1)]);
    assert_eq!(
        json["external"][0]["links"][0],
        serde_json::json!({"path": "content/01-a/short.en.md", "line": 5, "col": 12, "url": "https://example.org/b", "host": "example.org"})
    );
    assert!(site.path("lotse-report.html").is_file());
    // Not part of the site unless site.yaml says so.
    site.build(&[]).expect_code(0);
    assert!(!site.public().join("report").exists());
    site.write("site.yaml", format!("{}report: true\n", site.read("site.yaml")));
    lotse(site.tmp.path(), &["build", "--root", SITE]).expect_code(0);
    assert!(site.output("report/index.html").contains("<h1>Content health: Report</h1>"));
}

#[test]
fn report_lists_stages_without_a_workshop_plan_when_others_have_one() {
    let site = Site::from_fixture("workshop");
    let run = lotse(site.tmp.path(), &["report", "--root", SITE, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<&str> =
        json["stages_without_workshop"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    // Stage 01 has a plan in both languages, stage 02 in neither.
    assert_eq!(paths, ["content/02-map/_index.md", "content/02-map/_index.en.md"]);
    // No stage of the fixture has statements, so none lacks them.
    assert_eq!(json["stages_without_assessment"], serde_json::json!([]));
}
