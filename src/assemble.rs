//! Parses front-matter and assembles the ordered [`Site`]: kinds, languages,
//! stages, URLs, drafts, translations.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::frontmatter::{self, FrontMatter, HomeMeta, MAX_SLUG};
use crate::load::SourceFile;
use crate::markdown::slugify;
use crate::model::{Book, BookStage, Kind, Page, PageId, Site, Stage};

/// Output folders Lotse generates itself; no page may take these slugs.
pub const RESERVED: &[&str] = &["checklists", "print", "tags", "roles", "search", "assets", "404", "assessment"];

const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Where a file sits: its language, translation key, kind and folder.
struct Place {
    lang: String,
    key: String,
    kind: Kind,
    dir: String,
    base: String,
}

/// Builds the site from the Markdown files; `drafts` keeps draft pages.
pub fn assemble(
    config: &Config,
    files: Vec<SourceFile>,
    drafts: bool,
    git_dates: &HashMap<String, String>,
) -> (Site, Vec<Diagnostic>) {
    let parsed: Vec<(String, Result<Parsed, Diagnostic>)> =
        files.into_par_iter().map(|f| (f.rel.clone(), parse_page(config, f))).collect();
    let mut diags = Vec::new();
    let mut pages = Vec::new();
    let mut draft_keys = HashSet::new();
    let mut unparsed = HashSet::new();
    for (rel, p) in parsed {
        match p {
            Ok((page, true)) if !drafts => {
                draft_keys.insert(page.rel.clone());
            }
            Ok((mut page, _)) => {
                page.last_updated =
                    page.meta.updated().map(str::to_string).or_else(|| git_dates.get(&page.rel).cloned());
                pages.push(page)
            }
            Err(d) => {
                diags.push(d);
                unparsed.insert(rel);
            }
        }
    }
    let mut site = Site {
        config: config.clone(),
        pages,
        stages: Vec::new(),
        books: Vec::new(),
        translations: Vec::new(),
        drafts: draft_keys,
        unparsed,
        pdf_images: Default::default(),
    };
    ensure_homes(&mut site, &mut diags);
    order_stages(&mut site, &mut diags);
    build_books(&mut site, &mut diags);
    check_slugs(&site, &mut diags);
    link_translations(&mut site);
    (site, diags)
}

pub(crate) type Parsed = (Page, bool);

pub(crate) fn parse_page(config: &Config, file: SourceFile) -> Result<Parsed, Diagnostic> {
    let source = format!("content/{}", file.rel);
    let place = place(config, &file.rel).map_err(|m| Diagnostic::error(&source, &file.text, 0, m.0).with_hint(m.1))?;
    let split = frontmatter::split(&source, &file.text)?;
    let (yaml, off) = (split.yaml, split.yaml_offset);
    let meta = match place.kind {
        Kind::Home => FrontMatter::Home(frontmatter::parse_yaml(&source, &file.text, yaml, off)?),
        Kind::Stage => FrontMatter::Stage(frontmatter::parse_yaml(&source, &file.text, yaml, off)?),
        Kind::Article => FrontMatter::Article(frontmatter::parse_yaml(&source, &file.text, yaml, off)?),
        Kind::Page => FrontMatter::Page(frontmatter::parse_yaml(&source, &file.text, yaml, off)?),
    };
    meta.validate(&source, &file.text, &split)?;
    let draft = meta.draft();
    let page = Page {
        kind: place.kind,
        lang: place.lang,
        source,
        rel: file.rel,
        key: place.key,
        path: String::new(),
        stage: None,
        meta,
        body_offset: split.body_offset,
        yaml: (split.yaml_offset, split.yaml.len()),
        last_updated: None,
        text: file.text,
    };
    let _ = (&place.dir, &place.base);
    Ok((page, draft))
}

/// Works out kind, language and key from a path relative to `content/`.
fn place(config: &Config, rel: &str) -> Result<Place, (String, String)> {
    let parts: Vec<&str> = rel.split('/').collect();
    if parts.len() > 2 {
        return Err((
            "pages can be at most one folder deep: a stage folder cannot contain subfolders".into(),
            format!("move the file into `content/{}/`", parts[0]),
        ));
    }
    let file = parts[parts.len() - 1];
    let dir = if parts.len() == 2 { parts[0].to_string() } else { String::new() };
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let (base, lang) = match stem.rsplit_once('.') {
        Some((b, l)) if config.languages.iter().any(|x| x == l) && !config.is_default_language(l) => (b, l),
        Some((_, l)) if config.is_default_language(l) => {
            return Err((
                format!("`.{l}.md` marks a translation, but `{l}` is the default language"),
                format!("rename the file to `{}`", file.replacen(&format!(".{l}.md"), ".md", 1)),
            ));
        }
        Some((_, l)) if l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()) => {
            return Err((
                format!("`{file}` is a translation into `{l}`, but `{l}` is not one of the site's languages"),
                format!("add `{l}` to `languages` in site.yaml, or rename the file"),
            ));
        }
        _ => (stem, config.default_language.as_str()),
    };
    let kind = match (base, dir.is_empty()) {
        ("_index", true) => Kind::Home,
        ("_index", false) => Kind::Stage,
        (_, true) => Kind::Page,
        (_, false) => Kind::Article,
    };
    let key = if dir.is_empty() { format!("{base}.md") } else { format!("{dir}/{base}.md") };
    Ok(Place { lang: lang.to_string(), key, kind, dir, base: base.to_string() })
}

/// Gives every language a home page: a site without `content/_index.md`
/// gets a generated one (title from site.yaml, no text) and a warning.
fn ensure_homes(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    for lang in site.config.languages.clone() {
        if site.pages.iter().any(|p| p.kind == Kind::Home && p.lang == lang) {
            continue;
        }
        let default = site.config.is_default_language(&lang);
        if !default && !site.pages.iter().any(|p| p.lang == lang) {
            continue;
        }
        let rel = if default { "_index.md".to_string() } else { format!("_index.{lang}.md") };
        if site.unparsed.contains(&rel) {
            continue;
        }
        let source = format!("content/{rel}");
        diags.push(
            Diagnostic::warning(&source, "", 0, "there is no home page, so Lotse generates one that lists the stages")
                .with_hint(format!("add `{source}` with a `title` to write your own")),
        );
        let title = site.config.title.get(&lang, &site.config.default_language).to_string();
        let meta = FrontMatter::Home(HomeMeta { title, ..HomeMeta::default() });
        site.pages.push(Page {
            kind: Kind::Home,
            lang,
            source,
            rel,
            key: "_index.md".into(),
            path: String::new(),
            stage: None,
            meta,
            text: String::new(),
            body_offset: 0,
            yaml: (0, 0),
            last_updated: None,
        });
    }
}

/// Folder of a page (empty at the content root).
fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Slug of a page's file name (without language suffix).
fn file_slug(key: &str) -> String {
    let file = key.rsplit('/').next().unwrap_or(key);
    slugify(file.strip_suffix(".md").unwrap_or(file))
}

/// Finds the stage folders and orders them: front-matter `order` (from the
/// default language's `_index.md` first), else the folder's numeric prefix,
/// then the folder name.
fn order_stages(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    let mut folders: BTreeMap<String, Option<i64>> = BTreeMap::new();
    let default = site.config.default_language.clone();
    for p in site.pages.iter().filter(|p| p.kind == Kind::Stage) {
        let dir = dir_of(&p.rel).to_string();
        let slot = folders.entry(dir).or_insert(None);
        if p.lang == default || slot.is_none() {
            *slot = p.meta.order().or(*slot);
        }
    }
    let mut dirs: Vec<(i64, String)> = folders
        .into_iter()
        .map(|(dir, order)| (order.or_else(|| numeric_prefix(&dir)).unwrap_or(i64::MAX), dir))
        .collect();
    dirs.sort();
    site.stages =
        dirs.into_iter().enumerate().map(|(i, (_, dir))| Stage { slug: slugify(&dir), dir, number: i + 1 }).collect();
    let index: HashMap<&str, usize> = site.stages.iter().enumerate().map(|(i, s)| (s.dir.as_str(), i)).collect();
    let mut orphans = Vec::new();
    for (id, p) in site.pages.iter_mut().enumerate() {
        if matches!(p.kind, Kind::Stage | Kind::Article) {
            match index.get(dir_of(&p.rel)) {
                Some(&s) => p.stage = Some(s),
                None => orphans.push(id),
            }
        }
    }
    let mut reported = HashSet::new();
    for &id in &orphans {
        let p = &site.pages[id];
        let dir = dir_of(&p.rel).to_string();
        if reported.insert(dir.clone()) {
            diags.push(
                Diagnostic::error(
                    &p.source,
                    &p.text,
                    0,
                    format!("folder `content/{dir}/` has no `_index.md`, so it is not a stage"),
                )
                .with_hint(format!(
                    "add `content/{dir}/_index.md` with at least a `title`, or move the file out of the folder"
                )),
            );
        }
    }
    for id in orphans.into_iter().rev() {
        site.pages.remove(id);
    }
}

fn numeric_prefix(dir: &str) -> Option<i64> {
    let digits: String = dir.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// Assigns URLs and builds one ordered book per language.
fn build_books(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    let langs = site.config.languages.clone();
    for lang in &langs {
        let prefix = if site.config.is_default_language(lang) { String::new() } else { format!("{lang}/") };
        for p in site.pages.iter_mut().filter(|p| &p.lang == lang) {
            p.path = match (p.kind, p.stage) {
                (Kind::Home, _) => prefix.clone(),
                (Kind::Stage, Some(s)) => format!("{prefix}{}/", site.stages[s].slug),
                (Kind::Article, Some(s)) => format!("{prefix}{}/{}/", site.stages[s].slug, file_slug(&p.key)),
                _ => format!("{prefix}{}/", file_slug(&p.key)),
            };
        }
        let book = make_book(site, lang, prefix, diags);
        site.books.push(book);
    }
}

fn make_book(site: &Site, lang: &str, prefix: String, diags: &mut Vec<Diagnostic>) -> Book {
    let in_lang = |id: &PageId| site.pages[*id].lang == lang;
    let ids: Vec<PageId> = (0..site.pages.len()).filter(in_lang).collect();
    let home = ids.iter().copied().find(|&i| site.pages[i].kind == Kind::Home);
    let mut stages = Vec::new();
    for (s, stage) in site.stages.iter().enumerate() {
        let of_stage =
            |kind| ids.iter().copied().filter(move |&i| site.pages[i].stage == Some(s) && site.pages[i].kind == kind);
        let mut articles: Vec<PageId> = of_stage(Kind::Article).collect();
        let Some(page) = of_stage(Kind::Stage).next() else {
            if let Some(&a) = articles.first() {
                let p = &site.pages[a];
                diags.push(
                    Diagnostic::error(
                        &p.source,
                        &p.text,
                        0,
                        format!("stage `{}` has no index page in language `{lang}`", stage.dir),
                    )
                    .with_hint(format!("add `content/{}/_index.{lang}.md`", stage.dir)),
                );
            }
            continue;
        };
        articles.sort_by(|&a, &b| page_order(site, a).cmp(&page_order(site, b)));
        warn_duplicate_orders(site, &articles, diags);
        stages.push(BookStage { stage: s, page, articles });
    }
    let mut pages: Vec<PageId> = ids.iter().copied().filter(|&i| site.pages[i].kind == Kind::Page).collect();
    pages.sort_by(|&a, &b| page_order(site, a).cmp(&page_order(site, b)));
    let series = stages.iter().flat_map(|s| std::iter::once(s.page).chain(s.articles.iter().copied())).collect();
    Book { lang: lang.to_string(), prefix, home, stages, pages, series }
}

fn page_order(site: &Site, id: PageId) -> (i64, &str, &str) {
    let p = &site.pages[id];
    (p.meta.order().unwrap_or(i64::MAX), p.path.as_str(), p.rel.as_str())
}

fn warn_duplicate_orders(site: &Site, articles: &[PageId], diags: &mut Vec<Diagnostic>) {
    for pair in articles.windows(2) {
        let (a, b) = (&site.pages[pair[0]], &site.pages[pair[1]]);
        if let (Some(x), Some(y)) = (a.meta.order(), b.meta.order())
            && x == y
        {
            let at = frontmatter::key_offset(b.yaml(), b.yaml.0, "order").unwrap_or(0);
            diags.push(
                Diagnostic::warning(&b.source, &b.text, at, format!("`order: {y}` is also used by `{}`", a.source))
                    .with_hint("give each article of a stage its own order; ties are broken by file name"),
            );
        }
    }
}

/// What is wrong with `slug` as the last part of the URL of a page of
/// `kind`, with a hint; `lotse new` asks the same before creating a file.
pub fn slug_problem(kind: Kind, slug: &str, languages: &[String]) -> Option<(String, &'static str)> {
    let page_or_stage = kind == Kind::Page || kind == Kind::Stage;
    if kind != Kind::Home && slug.is_empty() {
        Some(("the file name gives an empty URL slug".into(), "use letters or digits in the file name"))
    } else if slug.len() > MAX_SLUG {
        let msg = format!("the URL slug is {} bytes long, more than a folder name may have ({MAX_SLUG})", slug.len());
        Some((msg, "use a shorter file or folder name"))
    } else if WINDOWS_RESERVED.contains(&slug) {
        Some((format!("`{slug}` is a reserved file name on Windows"), "rename the file"))
    } else if page_or_stage && RESERVED.contains(&slug) {
        Some((format!("`{slug}` is used by Lotse for generated pages"), "rename the file or folder"))
    } else if kind == Kind::Article && slug == "checklist" {
        Some(("`checklist` is the URL of the stage's handout".into(), "rename the file"))
    } else if kind == Kind::Article && matches!(slug, "workshop" | "worksheets") {
        Some((format!("`{slug}` is the URL of the stage's workshop pages"), "rename the file"))
    } else if page_or_stage && languages.iter().any(|l| l == slug) {
        Some((format!("`{slug}` is the URL prefix of a language"), "rename the file or folder"))
    } else {
        None
    }
}

/// Duplicate output paths, reserved names, Windows-reserved names.
fn check_slugs(site: &Site, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for p in &site.pages {
        let last = p.path.strip_suffix('/').unwrap_or(&p.path).rsplit('/').next().unwrap_or("");
        let bad = |msg: String, hint: &str| Diagnostic::error(&p.source, &p.text, 0, msg).with_hint(hint.to_string());
        if let Some((msg, hint)) = slug_problem(p.kind, last, &site.config.languages) {
            diags.push(bad(msg, hint));
        }
        if let Some(other) = seen.insert(p.path.as_str(), p) {
            diags.push(bad(
                format!("duplicate slug: `{}` and `{}` would both be written to `/{}`", other.source, p.source, p.path),
                "rename one of the files",
            ));
        }
    }
}

fn link_translations(site: &mut Site) {
    let mut by_key: HashMap<&str, Vec<PageId>> = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        by_key.entry(p.key.as_str()).or_default().push(i);
    }
    let translations = (0..site.pages.len())
        .map(|i| by_key[site.pages[i].key.as_str()].iter().copied().filter(|&j| j != i).collect())
        .collect();
    site.translations = translations;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config::parse("site.yaml", "default_language: de\nlanguages: [de, en]\n").unwrap()
    }

    /// Assembles, and returns only the errors (a missing home page warns).
    fn assemble_(config: &Config, files: Vec<SourceFile>, drafts: bool) -> (Site, Vec<Diagnostic>) {
        let (site, diags) = assemble(config, files, drafts, &HashMap::new());
        (site, diags.into_iter().filter(Diagnostic::is_error).collect())
    }

    #[test]
    fn generates_a_home_page_with_a_warning_when_missing() {
        let (site, diags) =
            assemble(&cfg(), vec![file("01-a/_index.md", "---\ntitle: A\n---\n")], false, &HashMap::new());
        assert_eq!(diags[0].message, "there is no home page, so Lotse generates one that lists the stages");
        assert_eq!(site.books[0].home.map(|h| site.pages[h].path.as_str()), Some(""));
    }

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile { rel: rel.into(), text: text.into() }
    }

    #[test]
    fn assigns_kinds_languages_and_urls() {
        let files = vec![
            file("_index.md", "---\ntitle: Home\n---\n"),
            file("02-b/_index.md", "---\ntitle: B\n---\n"),
            file("01-a/_index.md", "---\ntitle: A\n---\n"),
            file("01-a/_index.en.md", "---\ntitle: A en\n---\n"),
            file("01-a/Über Ziele.md", "---\ntitle: X\n---\n"),
            file("01-a/Über Ziele.en.md", "---\ntitle: X en\n---\n"),
            file("glossary.md", "---\ntitle: G\n---\n"),
        ];
        let (site, diags) = assemble_(&cfg(), files, false);
        assert!(diags.is_empty(), "{diags:?}");
        let paths: Vec<&str> = site.books[0].series.iter().map(|&i| site.pages[i].path.as_str()).collect();
        assert_eq!(paths, ["01-a/", "01-a/ueber-ziele/", "02-b/"]);
        let en: Vec<&str> = site.books[1].series.iter().map(|&i| site.pages[i].path.as_str()).collect();
        assert_eq!(en, ["en/01-a/", "en/01-a/ueber-ziele/"]);
        let x = site.pages.iter().position(|p| p.rel == "01-a/Über Ziele.md").unwrap();
        assert_eq!(site.pages[site.translations[x][0]].lang, "en");
    }

    #[test]
    fn drafts_are_left_out_unless_asked() {
        let files = || {
            vec![file("01-a/_index.md", "---\ntitle: A\n---\n"), file("01-a/d.md", "---\ntitle: D\ndraft: true\n---\n")]
        };
        let (site, _) = assemble_(&cfg(), files(), false);
        assert_eq!(site.article_count(), 0);
        assert!(site.drafts.contains("01-a/d.md"));
        let (site, _) = assemble_(&cfg(), files(), true);
        assert_eq!(site.article_count(), 1);
    }

    #[test]
    fn errors_on_stage_folder_without_index() {
        let (_, diags) = assemble_(&cfg(), vec![file("x/a.md", "---\ntitle: A\n---\n")], false);
        assert_eq!(diags[0].message, "folder `content/x/` has no `_index.md`, so it is not a stage");
    }

    #[test]
    fn errors_on_duplicate_slug() {
        let files = vec![
            file("01-a/_index.md", "---\ntitle: A\n---\n"),
            file("01-a/a b.md", "---\ntitle: A\n---\n"),
            file("01-a/a-b.md", "---\ntitle: B\n---\n"),
        ];
        let (_, diags) = assemble_(&cfg(), files, false);
        assert!(diags[0].message.starts_with("duplicate slug:"), "{diags:?}");
    }
}
