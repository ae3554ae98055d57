//! Tera rendering: templates compiled once, borrowed views per page,
//! pages rendered in parallel into [`OutputFile`]s. Nothing here writes.

pub(crate) mod feeds;
mod fingerprint;
pub(crate) mod handout;
pub mod print;
pub(crate) mod taxonomy;
pub mod views;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::{Context, ErrorKind, Tera};

use crate::error::{Diagnostic, line_text};
use crate::links::{relative_url, root_prefix};
use crate::markdown::Rendered as Markdown;
use crate::model::{Kind, Page, PageId, Site};
use crate::theme::Theme;
use views::*;

pub use fingerprint::{Fingerprints, fingerprints};

pub use crate::output::OutputFile;
use crate::output::Sink;

/// Per-page facts derived from links: backlinks, neighbours, related pages.
#[derive(Debug, Default)]
pub struct Graph {
    /// Pages linking to each page.
    pub backlinks: Vec<Vec<PageId>>,
    /// Previous and next page of each page.
    pub neighbours: Vec<(Option<PageId>, Option<PageId>)>,
    /// Related pages of each page.
    pub related: Vec<Vec<PageId>>,
}

/// Everything the renderer reads.
pub struct RenderInput<'a> {
    /// The site.
    pub site: &'a Site,
    /// The rendered Markdown of each page, by page id.
    pub pages: &'a [Markdown],
    /// Backlinks and friends.
    pub graph: &'a Graph,
    /// The merged theme.
    pub theme: &'a Theme,
    /// The compiled templates.
    pub tera: &'a Tera,
    /// The one-page print version of each language.
    pub print: &'a [print::PrintBook],
    /// Each book's language name ("Deutsch"), in book order (filled in by
    /// the renderer).
    pub lang_names: &'a [String],
}

/// Outputs of an earlier build that may be handed out again (the
/// preview's cache): the files rendered for `key` with this fingerprint.
pub trait Reuse: Sync {
    /// The kept files, if `fingerprint` is the one they were rendered with.
    fn reuse(&self, key: &str, fingerprint: u64) -> Option<Vec<OutputFile>>;
}

/// One rendered output group: content pages are keyed by their path (`""`
/// or ending in `/`), generated groups by a name without `/` (`sitemap`,
/// `handouts:de`). Its files are kept only when rendering for [`Reuse`].
#[derive(Debug)]
pub struct Rendered {
    /// The group's key.
    pub key: String,
    /// The fingerprint it was rendered with.
    pub fingerprint: u64,
    /// Its files (empty unless rendering for reuse).
    pub files: Vec<OutputFile>,
    /// Handed out from [`Reuse`] instead of rendered.
    pub reused: bool,
}

/// Compiles the theme's templates; errors point into the template files.
pub fn compile(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    let templates: Vec<(&str, &str)> = theme.templates.values().map(|t| (t.name.as_str(), t.text.as_str())).collect();
    tera.add_raw_templates(templates).map_err(|e| vec![template_error(theme, &e)])?;
    Ok(tera)
}

/// Turns a Tera error into a diagnostic located in the template file.
pub fn template_error(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let report = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(r) = report else {
        let message = format!("template error: {e}");
        return Diagnostic {
            severity: crate::error::Severity::Error,
            path: "templates".into(),
            line: 1,
            col: 1,
            message,
            hint: None,
            source_line: String::new(),
        };
    };
    let t = theme.templates.get(r.filename());
    let (path, text) = t.map_or((r.filename().to_string(), ""), |t| (t.origin.clone(), t.text.as_str()));
    let span = r.span();
    Diagnostic {
        severity: crate::error::Severity::Error,
        path,
        line: span.start_line.max(1),
        col: span.start_col + 1,
        message: format!("template error: {}", r.message()),
        hint: None,
        source_line: line_text(text, span.start_line.max(1)).to_string(),
    }
}

/// Values shared by all pages of one language, serialised once.
pub(crate) struct LangCtx<'a> {
    pub(crate) lang: &'a str,
    pub(crate) strings: BTreeMap<String, String>,
    /// `t` for templates.
    strings_value: tera::Value,
    /// `site` for templates.
    site_value: tera::Value,
}

/// Everything besides the content pages, as independent jobs.
enum Job<'a> {
    Sitemap,
    NotFound,
    Handouts(&'a LangCtx<'a>),
    Taxonomies(&'a LangCtx<'a>),
    Print(&'a LangCtx<'a>),
    Feed(&'a LangCtx<'a>),
}

/// Renders every content page and every generated page, in parallel,
/// handing each file to `sink` as soon as it is rendered. With `reuse`,
/// outputs whose fingerprint did not change are handed out again instead
/// of rendered, and every group keeps its files in the result.
pub fn render_pages(
    input: &RenderInput,
    sink: &dyn Sink,
    reuse: Option<(&dyn Reuse, &Fingerprints)>,
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    let site = input.site;
    let site_value = tera::Value::from_serializable(&site_view(site));
    let langs: Vec<LangCtx> = site
        .config
        .languages
        .iter()
        .map(|l| {
            let strings = input.theme.strings_for(l);
            let strings_value = tera::Value::from_serializable(&strings);
            LangCtx { lang: l, strings, strings_value, site_value: site_value.clone() }
        })
        .collect();
    let lang_names: Vec<String> = site
        .books
        .iter()
        .map(|b| input.theme.strings_for(&b.lang).get("language_name").cloned().unwrap_or_else(|| b.lang.clone()))
        .collect();
    let input = &RenderInput { lang_names: &lang_names, ..*input };
    let fp = reuse.map(|(_, f)| f);
    // Reuses or renders one group, and hands its files to the sink.
    let produce = |key: Cow<str>, print: u64, render: &dyn Fn() -> Result<Vec<OutputFile>, Vec<Diagnostic>>| {
        let kept = reuse.and_then(|(r, _)| r.reuse(&key, print));
        let reused = kept.is_some();
        let files = match kept {
            Some(files) => files,
            None => render()?,
        };
        sink.offer(&files);
        let files = if reuse.is_some() { files } else { Vec::new() };
        Ok(Rendered { key: key.into_owned(), fingerprint: print, files, reused })
    };
    let pages = (0..site.pages.len()).into_par_iter().map(|id| {
        let page = &site.pages[id];
        let print = fp.map_or(0, |f| f.pages[id]);
        produce(Cow::Borrowed(page.path.as_str()), print, &|| {
            let lc = langs.iter().find(|l| l.lang == page.lang).unwrap_or(&langs[0]);
            let ctx = page_context(input, lc, id);
            // The page's own HTML and about 8 KB of layout around it.
            let size = input.pages[id].html.len() + 8 * 1024;
            let html = render_bytes(input, page.kind.template(), &ctx, size).map_err(|d| vec![d])?;
            Ok(vec![OutputFile::bytes(format!("{}index.html", page.path), html)])
        })
    });
    let mut jobs = vec![Job::Sitemap, Job::NotFound];
    for lc in &langs {
        jobs.extend([Job::Handouts(lc), Job::Taxonomies(lc), Job::Print(lc), Job::Feed(lc)]);
    }
    let generated = jobs.into_par_iter().map(|job| {
        let (key, print) = job.key(fp);
        produce(key, print, &|| match &job {
            Job::Sitemap => feeds::render_sitemap(input),
            Job::NotFound => render_404(input, &langs[0]).map(|f| vec![f]).map_err(|d| vec![d]),
            Job::Handouts(lc) => handout::render_handouts(input, lc),
            Job::Taxonomies(lc) => taxonomy::render_taxonomies(input, lc),
            Job::Print(lc) => print::render_print(input, lc),
            Job::Feed(lc) => feeds::render_feed(input, lc),
        })
    });
    let results: Vec<Result<Rendered, Vec<Diagnostic>>> = pages.chain(generated).collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(out) => outputs.push(out),
            Err(d) => diags.extend(d),
        }
    }
    if diags.is_empty() { Ok(outputs) } else { Err(diags) }
}

impl Job<'_> {
    /// The group's key and its fingerprint (0 without fingerprints).
    fn key(&self, fp: Option<&Fingerprints>) -> (Cow<'static, str>, u64) {
        let lang = |kind: &str, lc: &LangCtx, which: fn((u64, u64)) -> u64| {
            let prints = fp.and_then(|f| f.langs.get(lc.lang).copied()).unwrap_or_default();
            (Cow::Owned(format!("{kind}:{}", lc.lang)), which(prints))
        };
        match self {
            Job::Sitemap => (Cow::Borrowed("sitemap"), fp.map_or(0, |f| f.site)),
            Job::NotFound => (Cow::Borrowed("404"), fp.map_or(0, |f| f.site)),
            Job::Handouts(lc) => lang("handouts", lc, |p| p.0),
            Job::Taxonomies(lc) => lang("taxonomies", lc, |p| p.0),
            Job::Print(lc) => lang("print", lc, |p| p.1),
            Job::Feed(lc) => lang("feed", lc, |p| p.0),
        }
    }
}

pub(crate) fn render_one(input: &RenderInput, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
    input.tera.render(template, ctx).map_err(|e| template_error(input.theme, &e))
}

/// [`render_one`] into a buffer of about `size` bytes, as file bytes: no
/// growing from Tera's small first guess, no second pass to check UTF-8.
pub(crate) fn render_bytes(
    input: &RenderInput,
    template: &str,
    ctx: &Context,
    size: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::with_capacity(size);
    input.tera.render_to(template, ctx, &mut out).map_err(|e| template_error(input.theme, &e))?;
    Ok(out)
}

/// The context every template gets: `site`, `lang`, `root`, `t` (UI
/// strings), `stages` (the stage map), `languages` (the switcher).
pub(crate) fn base_context(input: &RenderInput, lc: &LangCtx, path: &str, current: Option<PageId>) -> Context {
    let site = input.site;
    let mut ctx = Context::new();
    ctx.insert_value("site", lc.site_value.clone());
    ctx.insert("lang", lc.lang);
    ctx.insert("root", &root_prefix(path));
    ctx.insert_value("t", lc.strings_value.clone());
    ctx.insert("stages", &stage_map(input, lc.lang, path, current));
    ctx.insert("languages", &languages(input, lc.lang, path, current));
    let home = site.book(lc.lang).map_or(String::new(), |b| b.prefix.clone());
    ctx.insert("home_url", &relative_url(path, &home));
    ctx.insert("checklists_url", &relative_url(path, &format!("{home}checklists/")));
    let printable = site.book(lc.lang).is_some_and(|b| print::wanted(site, b));
    ctx.insert("print_url", &printable.then(|| relative_url(path, &format!("{home}print/"))));
    ctx.insert("page_path", path);
    ctx.insert("search", &site.config.search.enabled);
    ctx
}

pub(crate) fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    SiteView {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        accent: &c.branding.accent,
        logo: c.branding.logo.as_deref(),
        footer: c.branding.footer.as_deref(),
        paper: match c.print.paper {
            crate::config::Paper::A4 => "A4",
            crate::config::Paper::Letter => "Letter",
        },
        title_css: css_string(&c.title),
        extra: &c.extra,
    }
}

/// Quotes `s` as a CSS string that is also safe inside a `<style>` element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' | '\n' | '\r' => out.push_str(&format!("\\{:X} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Articles of the current stage are listed in the stage map up to this many.
pub(crate) const NAV_ARTICLE_LIMIT: usize = 40;

fn stage_map<'a>(input: &RenderInput<'a>, lang: &str, path: &str, current: Option<PageId>) -> Vec<StageNav<'a>> {
    let site = input.site;
    let Some(book) = site.book(lang) else { return Vec::new() };
    let current_stage = current.and_then(|c| site.pages[c].stage);
    book.stages
        .iter()
        .map(|bs| {
            let is_current = current_stage == Some(bs.stage);
            let articles = if is_current && bs.articles.len() <= NAV_ARTICLE_LIMIT {
                bs.articles
                    .iter()
                    .map(|&a| NavItem {
                        title: site.pages[a].meta.title(),
                        url: relative_url(path, &site.pages[a].path),
                        current: Some(a) == current,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            StageNav {
                number: site.stages[bs.stage].number,
                title: site.pages[bs.page].meta.title(),
                url: relative_url(path, &site.pages[bs.page].path),
                current: is_current,
                articles,
                article_count: bs.articles.len(),
            }
        })
        .collect()
}

pub(crate) fn languages(input: &RenderInput, lang: &str, path: &str, current: Option<PageId>) -> Vec<LangView> {
    let site = input.site;
    site.books
        .iter()
        .zip(input.lang_names)
        .map(|(b, name)| {
            let translation = current.and_then(|c| {
                if site.pages[c].lang == b.lang {
                    Some(c)
                } else {
                    site.translations[c].iter().copied().find(|&t| site.pages[t].lang == b.lang)
                }
            });
            let target = translation.map_or(b.prefix.clone(), |t| site.pages[t].path.clone());
            let name = name.clone();
            LangView {
                code: b.lang.clone(),
                name,
                url: relative_url(path, &target),
                permalink: format!("{}{target}", site.config.base_url),
                current: b.lang == lang,
                translated: translation.is_some(),
            }
        })
        .collect()
}

fn page_context(input: &RenderInput, lc: &LangCtx, id: PageId) -> Context {
    let site = input.site;
    let page = &site.pages[id];
    let mut ctx = base_context(input, lc, &page.path, Some(id));
    ctx.insert("page", &page_view(input, lc, id));
    if page.kind == Kind::Home {
        ctx.insert("stage_cards", &stage_cards(input, lc.lang, &page.path));
        let pages: Vec<LinkView> =
            site.book(lc.lang).map_or(Vec::new(), |b| b.pages.iter().map(|&p| link(input, &page.path, p)).collect());
        ctx.insert("other_pages", &pages);
    }
    ctx
}

/// The page's summary: from its front-matter, else its first paragraph.
pub fn summary<'a>(page: &'a Page, rendered: &'a Markdown) -> &'a str {
    page.meta.summary().unwrap_or(rendered.first_paragraph.as_str())
}

fn link<'a>(input: &RenderInput<'a>, from: &str, to: PageId) -> LinkView<'a> {
    let p = &input.site.pages[to];
    LinkView { title: p.meta.title(), url: relative_url(from, &p.path), summary: Some(summary(p, &input.pages[to])) }
}

pub(crate) fn reading_minutes(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

pub(crate) fn card<'a>(input: &RenderInput<'a>, from: &str, id: PageId) -> ArticleCard<'a> {
    let p = &input.site.pages[id];
    let r = &input.pages[id];
    ArticleCard {
        title: p.meta.title(),
        url: relative_url(from, &p.path),
        summary: summary(p, r),
        checklist_count: if p.meta.checklist() { r.tasks.len() } else { 0 },
        reading_minutes: reading_minutes(r.words),
    }
}

fn stage_cards<'a>(input: &RenderInput<'a>, lang: &str, from: &str) -> Vec<StageCard<'a>> {
    let site = input.site;
    let Some(book) = site.book(lang) else { return Vec::new() };
    book.stages
        .iter()
        .map(|bs| {
            let p = &site.pages[bs.page];
            StageCard {
                number: site.stages[bs.stage].number,
                title: p.meta.title(),
                url: relative_url(from, &p.path),
                summary: summary(p, &input.pages[bs.page]),
                outcome: p.meta.outcome(),
                articles: bs.articles.iter().take(NAV_ARTICLE_LIMIT).map(|&a| card(input, from, a)).collect(),
                handout_url: relative_url(from, &format!("{}checklist/", p.path)),
            }
        })
        .collect()
}

fn terms(input: &RenderInput, lc: &LangCtx, page: &Page, kind: &str) -> Vec<TermView> {
    let values = if kind == "tags" { page.meta.tags() } else { page.meta.roles() };
    let prefix = input.site.book(lc.lang).map_or("", |b| b.prefix.as_str());
    values
        .iter()
        .map(|v| {
            let name = if kind == "roles" {
                lc.strings.get(&format!("role_{v}")).cloned().unwrap_or_else(|| v.clone())
            } else {
                v.clone()
            };
            let slug = crate::markdown::slugify(v);
            TermView { key: v.clone(), name, url: relative_url(&page.path, &format!("{prefix}{kind}/{slug}/")) }
        })
        .collect()
}

fn page_view<'a>(input: &RenderInput<'a>, lc: &LangCtx, id: PageId) -> PageView<'a> {
    let site = input.site;
    let page = &site.pages[id];
    let r = &input.pages[id];
    let g = input.graph;
    let stage = page.stage.map(|s| {
        let book = site.book(&page.lang);
        let bs = book.and_then(|b| b.stages.iter().find(|bs| bs.stage == s));
        let sp = bs.map_or(id, |bs| bs.page);
        let sp_path = &site.pages[sp].path;
        StageRef {
            number: site.stages[s].number,
            title: site.pages[sp].meta.title(),
            url: relative_url(&page.path, sp_path),
            handout_url: relative_url(&page.path, &format!("{sp_path}checklist/")),
        }
    });
    let articles = if page.kind == Kind::Stage {
        let book = site.book(&page.lang);
        let bs = book.and_then(|b| b.stages.iter().find(|bs| Some(bs.stage) == page.stage));
        bs.map_or(Vec::new(), |bs| bs.articles.iter().map(|&a| card(input, &page.path, a)).collect())
    } else {
        Vec::new()
    };
    let (prev, next) = g.neighbours[id];
    PageView {
        kind: page.kind.name(),
        title: page.meta.title(),
        summary: summary(page, r),
        permalink: format!("{}{}", site.config.base_url, page.path),
        content: &r.html,
        toc: r.headings.iter().filter(|h| h.level == 2 || h.level == 3).collect(),
        tags: terms(input, lc, page, "tags"),
        roles: terms(input, lc, page, "roles"),
        date: page.meta.date(),
        updated: page.last_updated.as_deref(),
        stage,
        prev: prev.map(|p| link(input, &page.path, p)),
        next: next.map(|p| link(input, &page.path, p)),
        backlinks: g.backlinks[id].iter().map(|&p| link(input, &page.path, p)).collect(),
        related: g.related[id].iter().map(|&p| link(input, &page.path, p)).collect(),
        reading_minutes: reading_minutes(r.words),
        checklist_count: if page.meta.checklist() { r.tasks.len() } else { 0 },
        outcome: page.meta.outcome(),
        articles,
        extra: page.meta.extra(),
    }
}

/// The 404 page uses absolute links from the base path, because servers
/// show it at whatever URL was missing.
fn render_404(input: &RenderInput, lc: &LangCtx) -> Result<OutputFile, Diagnostic> {
    let mut ctx = base_context(input, lc, "", None);
    let base = input.site.config.base_path();
    ctx.insert("root", &base);
    ctx.insert("home_url", &base);
    ctx.insert(
        "stages",
        &stage_map(input, lc.lang, "", None)
            .into_iter()
            .map(|mut s| {
                s.url = format!("{base}{}", s.url.trim_start_matches("./"));
                s
            })
            .collect::<Vec<_>>(),
    );
    render_one(input, "404.html", &ctx).map(|html| OutputFile::text("404.html", html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string("A \"B\" </style>"), "\"A \\\"B\\\" \\3C /style\\3E \"");
    }
}
