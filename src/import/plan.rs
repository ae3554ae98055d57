//! What an importer decides before anything is converted: which source
//! file becomes which Lotse page (home, stage, article, page) at which
//! path and position, which files are copied as assets, and the source
//! site's title. Each source tool's module builds a [`Plan`] from the
//! [`Tree`] it read.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;
use walkdir::WalkDir;

use super::meta::{self, Meta};
use super::report::{ImportReport, Topic};
use crate::error::Error;
use crate::markdown::slugify;

/// What a page becomes in Lotse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Home,
    Stage,
    Article,
    Page,
}

/// One Lotse page to write.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// Path in the source folder (`None`: generated, e.g. a stage index).
    pub src: Option<String>,
    /// Path under `content/`.
    pub dest: String,
    pub role: Role,
    /// Title when the front-matter has none (SUMMARY.md, file name).
    pub title: Option<String>,
    /// Position within its stage, or the stage's position.
    pub order: Option<i64>,
    /// Fields the layout adds (a date from a post's file name).
    pub added: Vec<(String, Value)>,
    /// Front-matter keys the layout used up (the stage field).
    pub used: Vec<String>,
    /// The body of a generated page.
    pub body: String,
}

impl Doc {
    /// A page from source file `src`.
    pub fn from(src: &str, dest: String, role: Role) -> Doc {
        Doc {
            src: Some(src.to_string()),
            dest,
            role,
            title: None,
            order: None,
            added: Vec::new(),
            used: Vec::new(),
            body: String::new(),
        }
    }

    /// A generated page (a stage without an index file).
    pub fn generated(dest: String, role: Role, title: String) -> Doc {
        Doc { src: None, title: Some(title), ..Doc::from("", dest, role) }
    }
}

/// The importer's decisions.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub docs: Vec<Doc>,
    /// `(source path, path under the new site's root)`: `content/…` or `static/…`.
    pub assets: Vec<(String, String)>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `(URL path, source path)` of pages: `/docs/intro/` -> `content/docs/intro.md`.
    pub urls: Vec<(String, String)>,
    /// Folder of the pages in the source (`content`, `src`, or the root).
    pub content_root: String,
    /// The site's language code, if the source says.
    pub language: Option<String>,
}

/// The source folder as read: every file's path, the text of text files.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    /// Paths relative to the root, `/`-separated, sorted.
    pub files: Vec<String>,
    texts: HashMap<String, String>,
    metas: BTreeMap<String, Result<Meta, (usize, String)>>,
}

const TEXT: [&str; 10] = ["md", "markdown", "toml", "yml", "yaml", "json", "html", "txt", "rs", "canvas"];
const SKIP: [&str; 5] = [".git", "node_modules", ".obsidian", ".trash", ".github"];

impl Tree {
    /// Reads the folder at `root` (file names, and the text of Markdown,
    /// config and other text files); `.git` and the like are left out.
    pub fn read(root: &Path) -> Result<Tree, Error> {
        let mut tree = Tree::default();
        let walker = WalkDir::new(root).sort_by_file_name().follow_links(false).into_iter();
        for entry in walker.filter_entry(|e| e.depth() == 0 || !SKIP.contains(&&*e.file_name().to_string_lossy())) {
            let entry = entry.map_err(|e| Error::io(root, std::io::Error::other(e.to_string())))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = crate::load::rel_slash(root, entry.path());
            let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            if TEXT.contains(&ext.as_str()) {
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                if let Ok(text) = String::from_utf8(bytes) {
                    tree.texts.insert(rel.clone(), text);
                }
            }
            tree.files.push(rel);
        }
        tree.files.sort();
        for (rel, text) in &tree.texts {
            if is_markdown(rel) {
                tree.metas.insert(rel.clone(), meta::split(text));
            }
        }
        Ok(tree)
    }

    /// A tree from strings, for tests.
    #[cfg(test)]
    pub fn from_files(files: &[(&str, &str)]) -> Tree {
        let mut tree = Tree::default();
        for (rel, text) in files {
            tree.files.push((*rel).to_string());
            tree.texts.insert((*rel).to_string(), (*text).to_string());
            if is_markdown(rel) {
                tree.metas.insert((*rel).to_string(), meta::split(text));
            }
        }
        tree.files.sort();
        tree
    }

    /// The text of file `rel`, if it is a text file.
    pub fn text(&self, rel: &str) -> Option<&str> {
        self.texts.get(rel).map(String::as_str)
    }

    /// Whether file `rel` exists.
    pub fn has(&self, rel: &str) -> bool {
        self.files.binary_search_by(|f| f.as_str().cmp(rel)).is_ok()
    }

    /// The front-matter of Markdown file `rel` (empty when it has none or
    /// it does not parse; [`Tree::meta_error`] says why).
    pub fn meta(&self, rel: &str) -> Meta {
        match self.metas.get(rel) {
            Some(Ok(m)) => m.clone(),
            _ => Meta::default(),
        }
    }

    /// Why the front-matter of `rel` could not be read.
    pub fn meta_error(&self, rel: &str) -> Option<&(usize, String)> {
        self.metas.get(rel).and_then(|m| m.as_ref().err())
    }

    /// Files under folder `dir` (`""`: all), paths relative to the root.
    pub fn under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.files.iter().filter(move |f| dir.is_empty() || f.starts_with(dir) && f[dir.len()..].starts_with('/'))
    }
}

/// Whether `rel` is a Markdown file.
pub(crate) fn is_markdown(rel: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}

/// The file name without folder and extension: `a/b/My Note.md` -> `My Note`.
pub(crate) fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The folder of `rel` (`""` at the root).
pub(crate) fn dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// A readable title from a file or folder name: `getting-started` ->
/// `Getting started`; `02_Goals` -> `Goals`.
pub(crate) fn title_from_name(name: &str) -> String {
    let name = name.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['-', '_', '.', ' ']);
    let name = if name.is_empty() { "Untitled" } else { name };
    let words = name.replace(['-', '_'], " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A stage folder name: `01-getting-started`.
pub(crate) fn stage_folder(number: usize, name: &str) -> String {
    let slug = slugify(name.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['-', '_', '.', ' ']));
    let slug = if slug.is_empty() { "stage".to_string() } else { slug };
    format!("{number:02}-{slug}")
}

/// A page file name from a name: `My Note` -> `my-note.md`; names Lotse
/// keeps for itself (`checklist`, `tags`, …) get a `-page` suffix.
pub(crate) fn page_file(name: &str) -> String {
    let slug = slugify(name);
    let slug = if slug.is_empty() { "page".to_string() } else { slug };
    let taken = crate::assemble::RESERVED.contains(&slug.as_str())
        || matches!(slug.as_str(), "checklist" | "workshop" | "worksheets" | "index" | "_index");
    if taken { format!("{slug}-page.md") } else { format!("{slug}.md") }
}

/// An article's file name: like [`page_file`], but only the names Lotse
/// takes inside a stage (`checklist`, `workshop`, `worksheets`) are avoided.
pub(crate) fn article_file(name: &str) -> String {
    let slug = slugify(name);
    let slug = if slug.is_empty() { "page".to_string() } else { slug };
    let taken = matches!(slug.as_str(), "checklist" | "workshop" | "worksheets" | "_index");
    if taken { format!("{slug}-page.md") } else { format!("{slug}.md") }
}

/// The leading number of a name (`02-goals` -> 2).
pub(crate) fn number_prefix(name: &str) -> Option<i64> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// An integer front-matter value (`weight = 3`, `nav_order: "2"`).
pub(crate) fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Plan {
    /// Makes every destination unique: a second page at the same path gets
    /// `-2`, `-3`, … (listed in the report).
    pub fn dedupe(&mut self, report: &mut ImportReport) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in &mut self.docs {
            if let (Some(src), Some(name)) = (&d.src, d.dest.strip_suffix("-page.md")) {
                let name = name.rsplit('/').next().unwrap_or(name);
                report.add(
                    Topic::Moved,
                    src,
                    0,
                    format!("written as `content/{}`: Lotse uses the name `{name}` for its own pages", d.dest),
                );
            }
            let key = d.dest.to_lowercase();
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            if *n > 1 {
                let new = d.dest.replacen(".md", &format!("-{n}.md"), 1);
                if let Some(src) = &d.src {
                    report.add(Topic::Moved, src, 0, format!("written as `content/{new}`: `{}` was taken", d.dest));
                }
                d.dest = new;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_titles_folders_and_files() {
        assert_eq!(title_from_name("02_getting-started"), "Getting started");
        assert_eq!(stage_folder(3, "02 Ziele & KPIs"), "03-ziele-kpis");
        assert_eq!(page_file("My Note"), "my-note.md");
        assert_eq!(page_file("Tags"), "tags-page.md");
        assert_eq!(number_prefix("10-x"), Some(10));
        assert_eq!(stem("a/b/My Note.md"), "My Note");
        assert_eq!(dir("a/b/c.md"), "a/b");
    }
}
