//! The whole guide of one language as a single printable page at
//! `/print/`: every page in series order, ids made unique, links inside.

use serde::Serialize;
use serde_json::json;

use super::frame::Out;
use super::{LangCtx, RenderInput, base_context};
use crate::error::Diagnostic;
use crate::markdown::slugify;
use crate::model::{Kind, Page, PageId};

/// One page of the guide, rendered for the print version.
#[derive(Debug, Clone)]
pub struct PrintSection {
    /// The page.
    pub page: PageId,
    /// Its anchor in the print page.
    pub anchor: String,
    /// Its body, with prefixed heading ids and in-page links.
    pub html: String,
    /// The same as Typst markup, for the whole-guide PDF (empty when that
    /// is not made).
    pub typst: String,
}

/// The print version of one language.
#[derive(Debug, Clone)]
pub struct PrintBook {
    /// Language code.
    pub lang: String,
    /// Pages in print order: home, stages with their articles, other pages.
    pub sections: Vec<PrintSection>,
}

/// Whether `book` gets a one-page print version (`print.max_pages`).
pub fn wanted(site: &crate::model::Site, book: &crate::model::Book) -> bool {
    book.series.len() + book.pages.len() < site.config.print.max_pages
}

/// The anchor of `page` in the print version.
pub fn section_id(page: &Page) -> String {
    let rest = page.path.trim_end_matches('/');
    let rest = rest
        .split_once('/')
        .filter(|(first, _)| page.path.starts_with(&format!("{}/", page.lang)) && *first == page.lang)
        .map_or(rest, |(_, r)| r);
    if page.kind == Kind::Home || rest.is_empty() {
        return "p-home".to_string();
    }
    // Slugs never contain `--`, so joining the folders with it keeps ids unique.
    let parts: Vec<String> = rest.split('/').map(slugify).collect();
    format!("p-{}", parts.join("--"))
}

#[derive(Serialize)]
struct SectionView<'a> {
    anchor: &'a str,
    kind: &'static str,
    title: &'a str,
    summary: &'a str,
    outcome: Option<&'a str>,
    stage_number: Option<usize>,
    html: &'a str,
}

/// Renders `/print/` (or `/<lang>/print/`) for one language.
pub(crate) fn render_print(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let (Some(book), Some(pb)) = (site.book(lc.lang), input.print.iter().find(|b| b.lang == lc.lang)) else {
        return Ok(());
    };
    let path = format!("{}print/", book.prefix);
    let sections: Vec<SectionView> = pb
        .sections
        .iter()
        .map(|s| {
            let p = &site.pages[s.page];
            SectionView {
                anchor: &s.anchor,
                kind: p.kind.name(),
                title: p.meta.title(),
                summary: super::own_summary(p),
                outcome: p.meta.outcome(),
                stage_number: p.stage.map(|st| site.stages[st].number),
                html: &s.html,
            }
        })
        .collect();
    let mut ctx = base_context(input, lc, &path, None, out);
    let title = lc.strings.get("print_version").map_or("Print version", |s| s.as_str());
    let c = &site.config;
    let summary = c.description.get(lc.lang, &c.default_language);
    ctx.insert(
        "page",
        &json!({ "kind": "print", "title": title, "summary": summary, "permalink": c.permalink(&path) }),
    );
    ctx.insert("sections", &sections);
    // The cover's date: the newest update of any page.
    let newest = pb.sections.iter().filter_map(|s| site.pages[s.page].last_updated.as_deref()).max();
    ctx.insert("updated", &newest);
    ctx.insert("updated_text", &newest.map(|d| super::local_date(&lc.strings, d)));
    let languages = super::language_links(input, lc.lang, &path, |b| {
        input.print.iter().any(|p| p.lang == b.lang).then(|| format!("{}print/", b.prefix))
    });
    ctx.insert("languages", &languages);
    ctx.insert("pdf_url", &super::pdf::guide_wanted(site, book).then_some(super::pdf::GUIDE));
    ctx.insert(
        "pdf_name",
        &format!("{}-{}.pdf", crate::markdown::slugify(c.title.get(lc.lang, &c.default_language)), lc.lang),
    );
    let size = sections.iter().map(|s| s.html.len()).sum::<usize>() + 32 * 1024;
    out.template(format!("{path}index.html"), "print.html", ctx, size).map_err(|d| vec![d])
}
