//! The position check of one language: the answer scale's labels, each
//! stage's statements with their ids and the articles they name, and the
//! checks that need the whole site (articles found, every stage asked,
//! translations in step).

use std::collections::{BTreeMap, HashMap};

use super::{Statement, entry_start, statement_id};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::frontmatter::FrontMatter;
use crate::model::{Book, Kind, Page, PageId, Site};

/// Labels of the default scale when neither site.yaml nor the theme give one.
const FALLBACK_SCALE: &str = "does not apply|rather does not apply|rather applies|fully applies";

/// One statement as the page shows it.
#[derive(Debug, Clone)]
pub struct Asked<'a> {
    /// Stable id, shared with the statement at the same place of the
    /// default language's stage while both have as many statements.
    pub id: String,
    /// The statement as written.
    pub statement: &'a Statement,
    /// The article it names (`see`), in this language.
    pub see: Option<PageId>,
}

/// The statements of one stage of a book, in front-matter order.
#[derive(Debug, Clone)]
pub struct StageAsked<'a> {
    /// Index into the book's stages.
    pub index: usize,
    /// The stage's `_index` page.
    pub page: PageId,
    /// Its statements (maybe none).
    pub statements: Vec<Asked<'a>>,
}

/// The statements of a stage page (none for other pages).
pub fn statements_of(page: &Page) -> &[Statement] {
    match &page.meta {
        FrontMatter::Stage(m) => &m.assessment,
        _ => &[],
    }
}

/// Whether any stage of `book` has statements.
pub fn has_statements(site: &Site, book: &Book) -> bool {
    book.stages.iter().any(|bs| !statements_of(&site.pages[bs.page]).is_empty())
}

/// The scale's labels in `lang`, lowest first: site.yaml's
/// `assessment.scale`, else the theme's `assess_scale` string
/// (labels separated by `|`).
pub fn scale(config: &Config, strings: &BTreeMap<String, String>, lang: &str) -> Vec<String> {
    if let Some(levels) = &config.assessment.scale {
        return levels.iter().map(|l| l.get(lang, &config.default_language).to_string()).collect();
    }
    let theme = strings.get("assess_scale").map_or(FALLBACK_SCALE, String::as_str);
    theme.split('|').map(|s| s.trim().to_string()).collect()
}

/// Every stage of the book of `lang` with its statements, in series order.
pub fn stages<'a>(site: &'a Site, lang: &str) -> Vec<StageAsked<'a>> {
    let Some(book) = site.book(lang) else { return Vec::new() };
    let pages = PageIndex::new(site);
    book.stages
        .iter()
        .enumerate()
        .map(|(index, bs)| {
            let page = &site.pages[bs.page];
            let ids = ids(site, bs.page);
            let statements = statements_of(page)
                .iter()
                .zip(ids)
                .map(|(statement, id)| Asked {
                    id,
                    statement,
                    see: statement.see.as_deref().and_then(|s| pages.find(page, s)),
                })
                .collect();
            StageAsked { index, page: bs.page, statements }
        })
        .collect()
}

/// The ids of the statements of stage page `id`: a translation shares the
/// default language's ids position by position while the counts agree.
fn ids(site: &Site, id: PageId) -> Vec<String> {
    let page = &site.pages[id];
    let own = statements_of(page);
    let default = site.translations[id]
        .iter()
        .map(|&t| &site.pages[t])
        .find(|t| site.config.is_default_language(&t.lang))
        .map(statements_of)
        .filter(|d| d.len() == own.len());
    own.iter()
        .enumerate()
        .map(|(n, s)| match (&s.id, default) {
            (None, Some(d)) => statement_id(&page.key, &d[n]),
            _ => statement_id(&page.key, s),
        })
        .collect()
}

/// Pages by language and content path (as written and as translation key).
struct PageIndex<'a> {
    by_path: HashMap<(&'a str, &'a str), PageId>,
}

impl<'a> PageIndex<'a> {
    fn new(site: &'a Site) -> Self {
        let mut by_path = HashMap::new();
        for (i, p) in site.pages.iter().enumerate().filter(|(_, p)| p.kind == Kind::Article) {
            by_path.insert((p.key.as_str(), p.lang.as_str()), i);
            by_path.entry((p.rel.as_str(), p.lang.as_str())).or_insert(i);
        }
        PageIndex { by_path }
    }

    /// The article `see` names, relative to the folder of stage page `from`.
    fn find(&self, from: &Page, see: &str) -> Option<PageId> {
        let dir = from.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in see.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        self.by_path.get(&(parts.join("/").as_str(), from.lang.as_str())).copied()
    }
}

/// What only the whole site can tell: a `see` naming no article (error),
/// a stage without statements while others of its language have some, and
/// a translation with another number of statements than the default
/// language's (warnings).
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let pages = PageIndex::new(site);
    let mut out = Vec::new();
    for book in &site.books {
        let asked = has_statements(site, book);
        for bs in &book.stages {
            let page = &site.pages[bs.page];
            let own = statements_of(page);
            if asked && own.is_empty() {
                out.push(
                    Diagnostic::warning(
                        &page.source,
                        &page.text,
                        page.yaml.0,
                        "this stage has no `assessment` statements; other stages have some",
                    )
                    .with_hint(
                        "add 5 to 7 statements under `assessment:`, or its axis in the position check stays empty",
                    ),
                );
            }
            out.extend(missing_articles(page, own, &pages));
            out.extend(translation_mismatch(site, bs.page));
        }
    }
    out
}

/// `see` entries of `page` that name no article of its language.
fn missing_articles(page: &Page, own: &[Statement], pages: &PageIndex) -> Vec<Diagnostic> {
    let yaml = page.yaml();
    own.iter()
        .enumerate()
        .filter_map(|(n, s)| {
            let see = s.see.as_deref()?;
            if pages.find(page, see).is_some() {
                return None;
            }
            let entry = entry_start(yaml, "assessment", n).unwrap_or(0);
            let at = yaml[entry..].find(see).map_or(entry, |i| entry + i) + page.yaml.0;
            Some(
                Diagnostic::error(
                    &page.source,
                    &page.text,
                    at,
                    format!("`see: {see}` names no article in `{}`", page.lang),
                )
                .with_hint("name a Markdown file relative to the stage folder, e.g. `goal-map.md`"),
            )
        })
        .collect()
}

/// A warning on a translated stage page whose statement count differs
/// from the default language's: their answers are not shared.
fn translation_mismatch(site: &Site, id: PageId) -> Option<Diagnostic> {
    let page = &site.pages[id];
    if site.config.is_default_language(&page.lang) {
        return None;
    }
    let default =
        site.translations[id].iter().map(|&t| &site.pages[t]).find(|t| site.config.is_default_language(&t.lang))?;
    let (theirs, mine) = (statements_of(default).len(), statements_of(page).len());
    if theirs == mine {
        return None;
    }
    let at = crate::frontmatter::key_offset(page.yaml(), page.yaml.0, "assessment").unwrap_or(page.yaml.0);
    Some(
        Diagnostic::warning(
            &page.source,
            &page.text,
            at,
            format!("{mine} `assessment` statements here, {theirs} in the `{}` version", default.lang),
        )
        .with_hint("translate the statements one to one, in the same order: until then answers are not shared between the languages"),
    )
}
