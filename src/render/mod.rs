//! Tera rendering: templates compiled once, borrowed views per page,
//! pages rendered in parallel into [`OutputFile`]s. Nothing here writes.

pub(crate) mod assessment;
pub mod colour;
pub(crate) mod feeds;
pub(crate) mod fingerprint;
mod frame;
pub(crate) mod handout;
mod handout_parts;
mod knowledge;
pub(crate) mod paginate;
pub mod pdf;
mod pdf_kit;
pub mod print;
pub(crate) mod progress;
mod stage;
pub(crate) mod taxonomy;
pub mod views;
pub(crate) mod workshop;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::{Context, ErrorKind, Tera};

use crate::error::{Diagnostic, line_text};
use crate::frontmatter::Taxonomy;
use crate::links::{page_url, root_prefix};
use crate::markdown::Rendered as Markdown;
use crate::model::{Kind, Page, PageId, Site};
use crate::theme::Theme;
use views::*;

use frame::{Ctx, Out};

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
    /// What each book's pages show of the others, in book order (filled
    /// in by the renderer).
    pub facts: &'a [BookFacts],
}

impl RenderInput<'_> {
    /// The facts of the book of `lang`.
    pub(crate) fn facts(&self, lang: &str) -> Option<&BookFacts> {
        self.site.books.iter().position(|b| b.lang == lang).and_then(|i| self.facts.get(i))
    }

    /// The URL from output folder `from` to the page at `to` (relative,
    /// ending in `index.html` for a portable site).
    pub(crate) fn url(&self, from: &str, to: &str) -> String {
        page_url(self.site.config.portable, from, to)
    }
}

/// Outputs of an earlier build that may be handed out again (the
/// preview's cache): the files rendered for `key` with this fingerprint.
pub trait Reuse: Sync {
    /// The kept files, if `fingerprint` is the one they were rendered with.
    fn reuse(&self, key: &str, fingerprint: u64) -> Option<Vec<OutputFile>>;

    /// For a group to render later (the preview's PDFs, rendered after the
    /// reload): the files to hand out meanwhile, however old. `None`
    /// renders it now.
    fn defer(&self, _key: &str) -> Option<Vec<OutputFile>> {
        None
    }
}

/// Whether output group `key` is typeset (a PDF group): slow enough that
/// the preview renders it after the reload ([`Reuse::defer`]).
pub fn is_typeset(key: &str) -> bool {
    key.starts_with("pdf-")
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
    /// Not rendered yet ([`Reuse::defer`]): its files are older ones.
    pub pending: bool,
    /// Notes for the build summary (a PDF left out, and why).
    pub notes: Vec<String>,
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
            unplaced: None,
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
        unplaced: None,
    }
}

/// What pages of one language show about the book of another (or their
/// own): its language name, which stages have checklist items, and which
/// tags and roles it has pages for.
#[derive(Debug, Default)]
pub struct BookFacts {
    /// The language's own name ("Deutsch").
    pub name: String,
    /// Checklist items of each stage, in stage order.
    pub stage_items: Vec<usize>,
    /// Checklist items of all stages.
    pub items: usize,
    /// URL slugs of the tags (`[0]`) and roles (`[1]`) used.
    pub terms: [std::collections::BTreeSet<String>; 2],
    /// Whether it has a position check (`/assessment/`).
    pub assessment: bool,
    /// Whether each stage has a facilitator guide, in stage order.
    pub guides: Vec<bool>,
}

impl BookFacts {
    /// The facts of `book`, but its name (which comes from the theme).
    pub(crate) fn of(site: &Site, pages: &[Markdown], book: &crate::model::Book) -> BookFacts {
        let stage_items: Vec<usize> =
            book.stages.iter().map(|bs| crate::checklist::stage_item_count(site, pages, bs)).collect();
        let mut terms: [std::collections::BTreeSet<String>; 2] = Default::default();
        for &id in &book.series {
            let meta = &site.pages[id].meta;
            terms[0].extend(meta.tags().iter().map(|t| crate::markdown::slugify(t)));
            terms[1].extend(meta.roles().iter().map(|t| crate::markdown::slugify(t)));
        }
        let assessment = crate::assessment::book::has_statements(site, book);
        let guides = book.stages.iter().map(|bs| workshop::guide_wanted(site, pages, bs)).collect();
        BookFacts { name: String::new(), items: stage_items.iter().sum(), stage_items, terms, assessment, guides }
    }
}

/// Values shared by all pages of one language, serialised once.
pub(crate) struct LangCtx<'a> {
    pub(crate) lang: &'a str,
    pub(crate) strings: BTreeMap<String, String>,
    /// `t` for templates, and the hash of its serialised form.
    strings_value: (tera::Value, u64),
    /// `site` for templates, and the hash of its serialised form.
    site_value: (tera::Value, u64),
}

/// How an output group renders: into an [`Out`], so that the same code
/// gives its files or its fingerprint.
type RenderFn<'a> = dyn Fn(&mut Out) -> Result<(), Vec<Diagnostic>> + Send + Sync + 'a;

/// An output kind besides the content pages: its group key and how it renders.
struct Job<'a> {
    key: Cow<'static, str>,
    run: Box<RenderFn<'a>>,
}

impl<'a> Job<'a> {
    fn new(
        key: impl Into<Cow<'static, str>>,
        run: impl Fn(&mut Out) -> Result<(), Vec<Diagnostic>> + Send + Sync + 'a,
    ) -> Self {
        Job { key: key.into(), run: Box::new(run) }
    }
}

/// Every generated output kind, as independent jobs: one entry per kind
/// (per language where it has one). A new kind is a module with a render
/// function and one line here.
fn jobs<'a>(input: &'a RenderInput<'a>, langs: &'a [LangCtx<'a>]) -> Vec<Job<'a>> {
    let mut jobs = vec![
        Job::new("sitemap", move |out| feeds::render_sitemap(input, out)),
        Job::new("checklist-items", move |out| progress::render_item_index(input, out)),
    ];
    for lc in langs {
        let l = lc.lang;
        jobs.extend([
            Job::new(format!("404:{l}"), move |out| render_404(input, lc, out).map_err(|d| vec![d])),
            Job::new(format!("handouts:{l}"), move |out| handout::render_handouts(input, lc, out)),
            Job::new(format!("taxonomies:{l}"), move |out| taxonomy::render_taxonomies(input, lc, out)),
            Job::new(format!("print:{l}"), move |out| print::render_print(input, lc, out)),
            Job::new(format!("feed:{l}"), move |out| feeds::render_feed(input, lc, out)),
            Job::new(format!("assessment:{l}"), move |out| assessment::render_assessment(input, lc, out)),
            Job::new(format!("workshops:{l}"), move |out| workshop::render_guides(input, lc, out)),
            Job::new(format!("worksheets:{l}"), move |out| workshop::render_worksheets(input, lc, out)),
            Job::new(format!("pdf-handouts:{l}"), move |out| pdf::render_handouts(input, lc, out)),
            Job::new(format!("pdf-guide:{l}"), move |out| pdf::render_guide(input, lc, out)),
            Job::new(format!("pdf-kit:{l}"), move |out| pdf_kit::render_kit(input, lc, out)),
        ]);
    }
    jobs
}

/// The values every language's contexts share.
fn lang_contexts<'s>(site: &'s Site, theme: &Theme) -> Vec<LangCtx<'s>> {
    site.config
        .languages
        .iter()
        .map(|l| {
            let strings = theme.strings_for(l);
            // Hashed from the views: a Tera value's maps may serialise in any order.
            let strings_value = (tera::Value::from_serializable(&strings), frame::serialised_hash(&strings));
            let view = site_view(site, l);
            let site_value = (tera::Value::from_serializable(&view), frame::serialised_hash(&view));
            LangCtx { lang: l, strings, strings_value, site_value }
        })
        .collect()
}

/// The first page of each template and language: what `lotse check`
/// renders of the pages (see [`Sink::samples`]).
pub(crate) fn samples(site: &Site) -> rustc_hash::FxHashSet<usize> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut ids = rustc_hash::FxHashSet::default();
    for (id, page) in site.pages.iter().enumerate() {
        if seen.insert((page.kind.template(), page.lang.as_str())) {
            ids.insert(id);
        }
    }
    ids
}

/// Renders every content page and every generated page, in parallel,
/// handing each file to `sink` as soon as it is rendered. With `reuse`,
/// each output group is first fingerprinted (the hash of every context its
/// templates would get, seeded with `seed`, which covers configuration and
/// theme); groups whose fingerprint did not change are handed out again
/// instead of rendered, and every group keeps its files in the result.
pub fn render_pages(
    input: &RenderInput,
    sink: &dyn Sink,
    reuse: Option<(&dyn Reuse, u64)>,
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    render_selected(input, sink, reuse, None)
}

/// [`render_pages`] for the generated groups whose key `only` accepts
/// (no content pages): the preview's deferred PDFs.
pub fn render_only(
    input: &RenderInput,
    sink: &dyn Sink,
    reuse: Option<(&dyn Reuse, u64)>,
    only: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    render_selected(input, sink, reuse, Some(only))
}

fn render_selected(
    input: &RenderInput,
    sink: &dyn Sink,
    reuse: Option<(&dyn Reuse, u64)>,
    only: Option<&(dyn Fn(&str) -> bool + Sync)>,
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    let shared = Shared::new(input.site, input.theme, input.pages);
    let input = &shared.input(input);
    let pages = if only.is_some() { 0..0 } else { 0..input.site.pages.len() };
    render_groups(input, &shared.langs, sink, reuse, pages, Some(only.unwrap_or(&|_| true)))
}

/// What every output of a build shares: each language's context values
/// and each book's facts. A streaming build computes it once for all its
/// batches ([`render_batch`]).
pub(crate) struct Shared<'s> {
    langs: Vec<LangCtx<'s>>,
    facts: Vec<BookFacts>,
}

impl<'s> Shared<'s> {
    /// The shared values of a site's outputs (the pages' Markdown needs no
    /// HTML for them).
    pub(crate) fn new(site: &'s Site, theme: &Theme, pages: &[Markdown]) -> Shared<'s> {
        let facts: Vec<BookFacts> = site
            .books
            .iter()
            .map(|b| {
                let name = theme.strings_for(&b.lang).get("language_name").cloned();
                BookFacts { name: name.unwrap_or_else(|| b.lang.clone()), ..BookFacts::of(site, pages, b) }
            })
            .collect();
        Shared { langs: lang_contexts(site, theme), facts }
    }

    /// `input` with the books' facts.
    pub(crate) fn input<'a>(&'a self, input: &RenderInput<'a>) -> RenderInput<'a> {
        RenderInput { facts: &self.facts, ..*input }
    }
}

/// Renders the content pages `pages` (a batch of a streaming build: only
/// their Markdown needs its HTML), or with `generated` the generated
/// output groups instead, handing the files to `sink` and keeping none.
pub(crate) fn render_batch(
    input: &RenderInput,
    shared: &Shared,
    sink: &dyn Sink,
    pages: std::ops::Range<PageId>,
    generated: bool,
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    let input = &shared.input(input);
    let everything: &(dyn Fn(&str) -> bool + Sync) = &|_| true;
    render_groups(input, &shared.langs, sink, None, pages, generated.then_some(everything))
}

/// Renders the content pages `pages` and the generated groups whose key
/// `generated` accepts.
fn render_groups(
    input: &RenderInput,
    langs: &[LangCtx],
    sink: &dyn Sink,
    reuse: Option<(&dyn Reuse, u64)>,
    pages: std::ops::Range<PageId>,
    generated: Option<&(dyn Fn(&str) -> bool + Sync)>,
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    let site = input.site;
    // Reuses or renders one group, and hands its files to the sink.
    let produce = |key: Cow<str>, run: &dyn Fn(&mut Out) -> Result<(), Vec<Diagnostic>>| {
        let (print, kept, mut notes) = match reuse {
            Some((r, seed)) => {
                let mut printer = Out::printing(input, seed);
                run(&mut printer)?;
                let print = printer.fingerprint();
                (print, r.reuse(&key, print), printer.take_notes())
            }
            None => (0, None, Vec::new()),
        };
        if let (None, Some((r, _))) = (&kept, reuse)
            && let Some(old) = r.defer(&key)
        {
            sink.offer(&old);
            let key = key.into_owned();
            return Ok(Rendered { key, fingerprint: 0, files: old, reused: false, pending: true, notes });
        }
        let reused = kept.is_some();
        let files = match kept {
            Some(files) => files,
            None => {
                // Only files kept for reuse are held; others go straight out.
                let mut out = if reuse.is_some() { Out::rendering(input) } else { Out::writing(input, sink) };
                run(&mut out)?;
                notes = out.take_notes();
                out.into_files()
            }
        };
        sink.offer(&files);
        Ok(Rendered { key: key.into_owned(), fingerprint: print, files, reused, pending: false, notes })
    };
    let sampled = sink.samples().then(|| samples(site));
    let pages = pages.into_par_iter().map(|id| {
        let page = &site.pages[id];
        if sampled.as_ref().is_some_and(|s| !s.contains(&id)) {
            let path = format!("{}index.html", page.path);
            sink.offer(&[OutputFile::bytes(path, Vec::new())]);
            return Ok(Rendered {
                key: page.path.clone(),
                fingerprint: 0,
                files: Vec::new(),
                reused: false,
                pending: false,
                notes: Vec::new(),
            });
        }
        produce(Cow::Borrowed(page.path.as_str()), &|out| {
            let lc = langs.iter().find(|l| l.lang == page.lang).unwrap_or(&langs[0]);
            if page.kind == Kind::Stage {
                return stage::render_stage(input, lc, id, out);
            }
            let ctx = page_context(input, lc, id, out);
            // The page's own HTML and about 8 KB of layout around it.
            let size = input.pages[id].html.len() + 8 * 1024;
            out.template(format!("{}index.html", page.path), page.kind.template(), ctx, size).map_err(|d| vec![d])
        })
    });
    let mut jobs = if generated.is_some() { jobs(input, langs) } else { Vec::new() };
    if let Some(wanted) = generated {
        jobs.retain(|job| wanted(&job.key));
    }
    // Typesetting runs after the rest (see `pdf::typeset_all`).
    let (typeset, jobs): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|job| is_typeset(&job.key));
    let generated = jobs.into_par_iter().map(|job| produce(job.key, &*job.run));
    let mut results: Vec<Result<Rendered, Vec<Diagnostic>>> = pages.chain(generated).collect();
    let guide = |job: &Job| job.key.starts_with("pdf-guide");
    results.extend(pdf::run_jobs(typeset, guide, |job| produce(job.key, &*job.run)));
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

/// Renders `template` into a buffer of about `size` bytes, as file bytes: no
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
pub(crate) fn base_context(input: &RenderInput, lc: &LangCtx, path: &str, current: Option<PageId>, out: &Out) -> Ctx {
    let site = input.site;
    let mut ctx = out.ctx();
    ctx.insert_value("site", &lc.site_value.0, lc.site_value.1);
    ctx.insert("lang", lc.lang);
    ctx.insert("root", &root_prefix(path));
    ctx.insert_value("t", &lc.strings_value.0, lc.strings_value.1);
    ctx.insert("stages", &stage_map(input, lc.lang, path, current));
    ctx.insert("languages", &languages(input, lc.lang, path, current));
    let home = site.book(lc.lang).map_or(String::new(), |b| b.prefix.clone());
    ctx.insert("home_url", &input.url(path, &home));
    let items = input.facts(lc.lang).is_some_and(|f| f.items > 0);
    ctx.insert("checklists_url", &items.then(|| input.url(path, &format!("{home}checklists/"))));
    let printable = site.book(lc.lang).is_some_and(|b| print::wanted(site, b));
    ctx.insert("print_url", &printable.then(|| input.url(path, &format!("{home}print/"))));
    let assessment = input.facts(lc.lang).is_some_and(|f| f.assessment);
    ctx.insert("assessment_url", &assessment.then(|| input.url(path, &format!("{home}assessment/"))));
    ctx.insert("page_path", path);
    ctx.insert("search", &site.config.search.enabled);
    ctx
}

/// The site's values in language `lang`.
pub(crate) fn site_view<'a>(site: &'a Site, lang: &str) -> SiteView<'a> {
    let c = &site.config;
    let title = c.title.get(lang, &c.default_language);
    SiteView {
        title,
        description: c.description.get(lang, &c.default_language),
        base_url: &c.base_url,
        default_language: &c.default_language,
        accent: &c.branding.accent,
        accents: colour::accents(&c.branding.accent),
        logo: c.branding.logo.as_deref(),
        footer: c.branding.footer.as_ref().map(|f| f.get(lang, &c.default_language)).filter(|f| !f.is_empty()),
        paper: match c.print.paper {
            crate::config::Paper::A4 => "A4",
            crate::config::Paper::Letter => "Letter",
        },
        title_css: css_string(title),
        portable: c.portable,
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
                        url: input.url(path, &site.pages[a].path),
                        current: Some(a) == current,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            StageNav {
                number: site.stages[bs.stage].number,
                title: site.pages[bs.page].meta.title(),
                url: input.url(path, &site.pages[bs.page].path),
                current: is_current,
                articles,
                article_count: bs.articles.len(),
            }
        })
        .collect()
}

/// The language switcher of content page `current` (or of a page that is
/// not a content page, `None`: every entry leads to a home page).
pub(crate) fn languages(input: &RenderInput, lang: &str, path: &str, current: Option<PageId>) -> Vec<LangView> {
    let site = input.site;
    language_links(input, lang, path, |b| {
        let c = current?;
        let t = if site.pages[c].lang == b.lang {
            Some(c)
        } else {
            site.translations[c].iter().copied().find(|&t| site.pages[t].lang == b.lang)
        };
        t.map(|t| site.pages[t].path.clone())
    })
}

/// The language switcher of the page at `path`: for each language the
/// output folder of the same page in it, which `target` gives where it
/// exists (`translated`), else that language's home page.
pub(crate) fn language_links(
    input: &RenderInput,
    lang: &str,
    path: &str,
    target: impl Fn(&crate::model::Book) -> Option<String>,
) -> Vec<LangView> {
    let site = input.site;
    site.books
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let found = target(b);
            let translated = found.is_some();
            let to = found.unwrap_or_else(|| b.prefix.clone());
            LangView {
                code: b.lang.clone(),
                name: input.facts.get(i).map_or_else(|| b.lang.clone(), |f| f.name.clone()),
                url: input.url(path, &to),
                permalink: site.config.permalink(&to),
                current: b.lang == lang,
                translated,
            }
        })
        .collect()
}

fn page_context(input: &RenderInput, lc: &LangCtx, id: PageId, out: &Out) -> Ctx {
    let site = input.site;
    let page = &site.pages[id];
    let mut ctx = base_context(input, lc, &page.path, Some(id), out);
    ctx.insert("page", &page_view(input, lc, id, &page.path, None));
    if page.kind == Kind::Home {
        ctx.insert("stage_cards", &stage_cards(input, lc, &page.path));
        let pages: Vec<LinkView> =
            site.book(lc.lang).map_or(Vec::new(), |b| b.pages.iter().map(|&p| link(input, &page.path, p)).collect());
        ctx.insert("other_pages", &pages);
        ctx.insert("workshops", &workshop::overview(input, lc, &page.path));
    }
    ctx
}

/// The page's summary: front-matter `summary` unless it is empty, else the
/// first paragraph.
pub fn summary<'a>(page: &'a Page, rendered: &'a Markdown) -> &'a str {
    page.meta.summary().filter(|s| !s.trim().is_empty()).unwrap_or(rendered.first_paragraph.as_str())
}

/// The page's own `summary:`, trimmed; empty without one. Where the body
/// follows (the print version), the first paragraph does not stand in.
pub fn own_summary(page: &Page) -> &str {
    page.meta.summary().map(str::trim).unwrap_or_default()
}

/// A `YYYY-MM-DD` date as the language writes it, from the theme's
/// `date_format` (`{day}`, `{month}`, `{year}`) and `months` (twelve
/// comma-separated names) strings; unchanged without them.
pub(crate) fn local_date(strings: &BTreeMap<String, String>, iso: &str) -> String {
    let parts: Vec<&str> = iso.splitn(3, '-').collect();
    let (Some(format), Some(months), [y, m, d]) = (strings.get("date_format"), strings.get("months"), parts.as_slice())
    else {
        return iso.to_string();
    };
    let month = m.parse::<usize>().ok().and_then(|m| months.split(',').nth(m.wrapping_sub(1)));
    let (Some(month), Ok(day)) = (month, d.parse::<u32>()) else { return iso.to_string() };
    format.replace("{day}", &day.to_string()).replace("{month}", month.trim()).replace("{year}", y)
}

fn link<'a>(input: &RenderInput<'a>, from: &str, to: PageId) -> LinkView<'a> {
    let p = &input.site.pages[to];
    LinkView { title: p.meta.title(), url: input.url(from, &p.path), summary: Some(summary(p, &input.pages[to])) }
}

pub(crate) fn reading_minutes(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

pub(crate) fn card<'a>(input: &RenderInput<'a>, lc: &LangCtx, from: &str, id: PageId) -> ArticleCard<'a> {
    let p = &input.site.pages[id];
    let r = &input.pages[id];
    ArticleCard {
        title: p.meta.title(),
        url: input.url(from, &p.path),
        summary: summary(p, r),
        checklist_count: if p.meta.checklist() { r.tasks.len() } else { 0 },
        reading_minutes: reading_minutes(r.words),
        facts: knowledge::facts_view(input.site, &lc.strings, id),
    }
}

fn stage_cards<'a>(input: &RenderInput<'a>, lc: &LangCtx, from: &str) -> Vec<StageCard<'a>> {
    let (site, lang) = (input.site, lc.lang);
    let Some(book) = site.book(lang) else { return Vec::new() };
    let items = input.facts(lang).map_or(&[][..], |f| f.stage_items.as_slice());
    book.stages
        .iter()
        .enumerate()
        .map(|(i, bs)| {
            let p = &site.pages[bs.page];
            StageCard {
                number: site.stages[bs.stage].number,
                title: p.meta.title(),
                url: input.url(from, &p.path),
                summary: summary(p, &input.pages[bs.page]),
                outcome: p.meta.outcome(),
                articles: bs.articles.iter().take(NAV_ARTICLE_LIMIT).map(|&a| card(input, lc, from, a)).collect(),
                handout_url: (items.get(i) > Some(&0)).then(|| input.url(from, &format!("{}checklist/", p.path))),
            }
        })
        .collect()
}

fn terms(input: &RenderInput, lc: &LangCtx, page: &Page, at: &str, kind: Taxonomy) -> Vec<TermView> {
    let values = page.meta.terms(kind);
    let prefix = input.site.book(lc.lang).map_or("", |b| b.prefix.as_str());
    values
        .iter()
        .map(|v| {
            let name = if kind == Taxonomy::Roles {
                lc.strings.get(&format!("role_{v}")).cloned().unwrap_or_else(|| v.clone())
            } else {
                v.clone()
            };
            let slug = crate::markdown::slugify(v);
            TermView { key: v.clone(), name, url: input.url(at, &format!("{prefix}{kind}/{slug}/")) }
        })
        .collect()
}

/// The view of content page `id` rendered at output folder `at` (its own,
/// or a later page of a stage listing); a stage lists the articles
/// `articles` (all of them for `None`).
pub(crate) fn page_view<'a>(
    input: &RenderInput<'a>,
    lc: &LangCtx,
    id: PageId,
    at: &str,
    articles: Option<std::ops::Range<usize>>,
) -> PageView<'a> {
    let site = input.site;
    let page = &site.pages[id];
    let r = &input.pages[id];
    let g = input.graph;
    let stage = page.stage.map(|s| {
        let book = site.book(&page.lang);
        let i = book.and_then(|b| b.stages.iter().position(|bs| bs.stage == s));
        let bs = book.zip(i).map(|(b, i)| &b.stages[i]);
        let sp = bs.map_or(id, |bs| bs.page);
        let sp_path = &site.pages[sp].path;
        let items = i.and_then(|i| input.facts(&page.lang)?.stage_items.get(i).copied()).unwrap_or(0);
        StageRef {
            number: site.stages[s].number,
            title: site.pages[sp].meta.title(),
            url: input.url(at, sp_path),
            handout_url: (items > 0).then(|| input.url(at, &format!("{sp_path}checklist/"))),
            workshop_url: bs
                .filter(|bs| workshop::has_guide(input, bs))
                .map(|_| input.url(at, &format!("{sp_path}workshop/"))),
        }
    });
    let articles = if page.kind == Kind::Stage {
        let book = site.book(&page.lang);
        let bs = book.and_then(|b| b.stages.iter().find(|bs| Some(bs.stage) == page.stage));
        let range = |n: usize| articles.clone().unwrap_or(0..n);
        bs.map_or(Vec::new(), |bs| {
            let listed = bs.articles.get(range(bs.articles.len())).unwrap_or_default();
            listed.iter().map(|&a| card(input, lc, at, a)).collect()
        })
    } else {
        Vec::new()
    };
    let (prev, next) = g.neighbours[id];
    PageView {
        kind: page.kind.name(),
        title: page.meta.title(),
        summary: summary(page, r),
        permalink: site.config.permalink(&page.path),
        content: fingerprint::Hashed { text: &r.html, hash: r.html_hash },
        toc: r.headings.iter().filter(|h| h.level == 2 || h.level == 3).collect(),
        tags: terms(input, lc, page, at, Taxonomy::Tags),
        roles: terms(input, lc, page, at, Taxonomy::Roles),
        date: page.meta.date(),
        updated: page.last_updated.as_deref(),
        date_text: page.meta.date().map(|d| local_date(&lc.strings, d)),
        updated_text: page.last_updated.as_deref().map(|d| local_date(&lc.strings, d)),
        stage,
        prev: prev.map(|p| link(input, at, p)),
        next: next.map(|p| link(input, at, p)),
        backlinks: g.backlinks[id].iter().map(|&p| link(input, at, p)).collect(),
        related: g.related[id].iter().map(|&p| link(input, at, p)).collect(),
        reading_minutes: reading_minutes(r.words),
        checklist_count: if page.meta.checklist() { r.tasks.len() } else { 0 },
        checklist_anchor: r
            .tasks
            .first()
            .and_then(|t| t.heading)
            .and_then(|h| r.headings.get(h))
            .map(|h| h.id.as_str()),
        outcome: page.meta.outcome(),
        articles,
        extra: page.meta.extra(),
        review: knowledge::review_view(site, &lc.strings, id),
        edit_url: knowledge::edit_url(site, id),
        facts: knowledge::facts_view(site, &lc.strings, id),
    }
}

/// The 404 page of one language (`404.html`, `en/404.html`) uses links
/// from the root of the site's base path, because servers show it at
/// whatever URL was missing.
fn render_404(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Diagnostic> {
    let prefix = input.site.book(lc.lang).map_or("", |b| b.prefix.as_str());
    let mut ctx = base_context(input, lc, "", None, out);
    let base = input.site.config.base_path();
    let abs = |url: &str| format!("{base}{}", url.strip_prefix("./").unwrap_or(url));
    ctx.insert("root", &base);
    ctx.insert("home_url", &abs(&input.url("", prefix)));
    let items = input.facts(lc.lang).is_some_and(|f| f.items > 0);
    ctx.insert("checklists_url", &items.then(|| abs(&input.url("", &format!("{prefix}checklists/")))));
    let printable = input.site.book(lc.lang).is_some_and(|b| print::wanted(input.site, b));
    ctx.insert("print_url", &printable.then(|| abs(&input.url("", &format!("{prefix}print/")))));
    let assessment = input.facts(lc.lang).is_some_and(|f| f.assessment);
    ctx.insert("assessment_url", &assessment.then(|| abs(&input.url("", &format!("{prefix}assessment/")))));
    let stages: Vec<StageNav> = stage_map(input, lc.lang, "", None)
        .into_iter()
        .map(|mut s| {
            s.url = abs(&s.url);
            s
        })
        .collect();
    ctx.insert("stages", &stages);
    let languages: Vec<LangView> = language_links(input, lc.lang, "", |_| None)
        .into_iter()
        .map(|mut l| {
            // The switch leads to the home page; `hreflang` to the 404 page.
            l.url = abs(&l.url);
            l.permalink.push_str("404.html");
            l.translated = true;
            l
        })
        .collect();
    ctx.insert("languages", &languages);
    out.template(format!("{prefix}404.html"), "404.html", ctx, 16 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string("A \"B\" </style>"), "\"A \\\"B\\\" \\3C /style\\3E \"");
    }
}
