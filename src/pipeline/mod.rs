//! The build chain, one step per function:
//! load -> theme -> assemble -> markdown + links -> render -> search and
//! assets -> sink. [`run`] reads as that list; it returns a [`Report`] and,
//! for the preview, the [`Built`] site to keep.

mod embed;
mod finish;
pub(crate) mod markdown;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHasher;

use crate::config::Config;
use crate::error::{self, Diagnostic, Error};
use crate::hash::hash_of;
use crate::links::{self, Edge, Resolver};
use crate::load::{self, Asset, Input};
use crate::markdown::{Heading, Rendered};
use crate::model::Site;
use crate::output::{OutputFile, Sink};
use crate::render::{self, Graph, RenderInput, Reuse, print::PrintBook};
use crate::theme::Theme;
use crate::timings::Timings;
use crate::{Options, Report, Stats};

pub(crate) use finish::stats;
pub(crate) use markdown::{Bodies, EMBED, MdMeta, PageMarkdown, UiStrings, page_markdown, print_section};

/// What the load step read: the input, the configuration with the options
/// applied, and the theme folder.
pub(crate) struct Loaded {
    pub(crate) input: Input,
    pub(crate) config: Config,
    pub(crate) theme_files: Option<Vec<Asset>>,
    /// Started before reading.
    pub(crate) timings: Timings,
}

/// Reads the site and its configuration, applying `options`; a
/// configuration that cannot be used is a report without a build.
pub(crate) fn load(options: &Options) -> Result<Result<Loaded, Report>, Error> {
    let mut timings = Timings::new();
    let input = load::load(&options.root)?;
    let config_text = input.config.clone().unwrap_or_default();
    let mut config = match Config::parse("site.yaml", &config_text) {
        Ok(c) => c,
        Err(d) => return Ok(Err(Report::failed(d))),
    };
    if let Some(url) = &options.base_url {
        config.base_url =
            crate::config::base_url(url).map_err(|why| Error::Usage(format!("--base-url {url}: {why}")))?;
    }
    config.portable |= options.portable;
    config.today = Some(crate::review::today_from_env().map_err(Error::Usage)?);
    if let Some(audience) = options.audience {
        config.audience = audience;
    }
    let (theme_files, theme_diags) = load::load_theme(&options.root, &config.theme)?;
    if theme_files.is_none() && config.theme != "default" {
        let at = crate::frontmatter::key_offset(&config_text, 0, "theme").unwrap_or(0);
        let d = Diagnostic::error(
            "site.yaml",
            &config_text,
            at,
            format!("theme `{}` not found: there is no folder themes/{}/", config.theme, config.theme),
        )
        .with_hint("use `theme: default` (built in), or add the theme folder");
        return Ok(Err(Report::failed(vec![d])));
    }
    let mut input = input;
    input.diagnostics.extend(theme_diags);
    timings.lap("load");
    Ok(Ok(Loaded { input, config, theme_files, timings }))
}

/// What the preview brings to a build from earlier ones.
#[derive(Default)]
pub(crate) struct Prior<'a> {
    /// Hands out the Markdown kept for a link environment, if any.
    pub(crate) markdown: Option<&'a mut dyn FnMut(u64) -> Option<HashMap<String, PageMarkdown>>>,
    /// Outputs to reuse; with it, the build keeps what it made ([`Kept`]).
    pub(crate) outputs: Option<&'a dyn Reuse>,
    /// Search files to publish instead of indexing (deferred search).
    pub(crate) search: Option<Vec<OutputFile>>,
}

/// A complete build, as the preview keeps it to patch after body edits.
pub(crate) struct Built {
    pub(crate) site: Site,
    pub(crate) theme: Theme,
    pub(crate) tera: tera::Tera,
    /// Content files besides Markdown, relative to `content/`.
    pub(crate) asset_paths: Vec<String>,
    pub(crate) rendered: Vec<Rendered>,
    pub(crate) meta: Vec<MdMeta>,
    pub(crate) graph: Graph,
    pub(crate) print: Vec<PrintBook>,
    /// Diagnostics that edits of page bodies cannot change: from reading,
    /// assembling, related pages, translations and assets.
    pub(crate) fixed: Vec<Diagnostic>,
    pub(crate) search_files: Vec<OutputFile>,
    /// Copied static, content and theme files.
    pub(crate) assets: Vec<OutputFile>,
    /// The link environment ([`environment`]).
    pub(crate) env: u64,
    pub(crate) drafts: bool,
}

impl Built {
    /// Markdown results by page path, for a build that reads everything.
    pub(crate) fn into_markdown(self) -> HashMap<String, PageMarkdown> {
        markdown::by_path(self.site.pages, self.rendered, self.meta)
    }
}

/// What a build leaves for the next one (the preview's).
pub(crate) enum Kept {
    /// A one-off build keeps nothing.
    Nothing,
    /// A successful build, with its rendered outputs.
    Built(Box<Built>, Vec<render::Rendered>),
    /// A build that failed after rendering Markdown: that Markdown, with
    /// its link environment (fixing the error should not render it again).
    Failed(u64, HashMap<String, PageMarkdown>),
}

/// The result of [`run`].
pub(crate) struct Outcome {
    /// The report; its files are in the sink.
    pub(crate) report: Report,
    pub(crate) kept: Kept,
    /// Pages whose Markdown came from [`Prior::markdown`].
    pub(crate) markdown_reused: usize,
}

impl Outcome {
    fn failed(diagnostics: Vec<Diagnostic>) -> Outcome {
        Outcome { report: Report::failed(diagnostics), kept: Kept::Nothing, markdown_reused: 0 }
    }
}

/// The pipeline: builds what `loaded` holds, handing every file to `sink`.
pub(crate) fn run(loaded: Loaded, drafts: bool, sink: &dyn Sink, prior: Prior) -> Outcome {
    let Loaded { input, config, theme_files, timings: mut t } = loaded;
    let (theme, tera) = match theme(&config, theme_files.as_deref(), &input.templates) {
        Ok(compiled) => compiled,
        Err(d) => return Outcome::failed(d),
    };
    t.lap("theme");
    let (site, mut diags) = crate::assemble::assemble(&config, input.markdown, drafts, &input.git_dates);
    diags.extend(input.diagnostics);
    diags.extend(crate::review::diagnostics(&site));
    let reviews = crate::review::due_list(&site);
    t.lap("assemble");
    let asset_paths: Vec<String> = input.content_assets.iter().map(|a| a.rel.clone()).collect();
    let env = environment(&site, &asset_paths, hash_of((format!("{config:?}"), theme_hash(&theme))));
    let disk = input.root.clone().map(|root| (root, input.renamed.clone()));
    let mut steps =
        Steps { site, theme, tera, asset_paths, env, drafts, keep: prior.outputs.is_some(), disk, sources: None };

    let Prior { markdown, outputs, search } = prior;
    // `lotse check` renders one page per template: only those need HTML.
    let sampled = sink.samples().then(|| render::samples(&steps.site));
    let wanted = sampled.as_ref().map(|s| move |id: usize| s.contains(&id));
    // A one-off build renders the bodies again, a batch at a time, just
    // before their templates: no page's HTML waits for all the others.
    let bodies = match &wanted {
        Some(wanted) => Bodies::Html(wanted),
        None if steps.keep => Bodies::All,
        None => Bodies::Later,
    };
    if matches!(bodies, Bodies::Later) {
        steps.shorten();
    }
    let md = steps.markdown(markdown.and_then(|select| select(env)), bodies);
    t.lap("markdown");
    let mut checked = steps.links(&md, diags);
    t.lap("links");
    let print = steps.print_books(&mut checked.diags);
    t.lap("print markdown");
    let mut outcome = if checked.diags.iter().any(Diagnostic::is_error) {
        steps.failed(md, checked.diags, checked.stats)
    } else {
        let (static_files, content) = (input.static_files.into(), input.content_assets.into());
        let later = Later { sink, outputs, search, static_files, content };
        steps.render(md, checked, print, later, t)
    };
    outcome.report.reviews = reviews;
    outcome
}

/// The content-health report of what `loaded` holds: the steps up to the
/// links (no templates are rendered); the report of the errors instead
/// when there are any.
pub(crate) fn health(loaded: Loaded, drafts: bool) -> Result<(crate::report::Health, Report), Box<Report>> {
    let Loaded { input, config, theme_files, .. } = loaded;
    let (theme, tera) =
        theme(&config, theme_files.as_deref(), &input.templates).map_err(|d| Box::new(Report::failed(d)))?;
    let (site, mut diags) = crate::assemble::assemble(&config, input.markdown, drafts, &input.git_dates);
    diags.extend(input.diagnostics);
    diags.extend(crate::review::diagnostics(&site));
    let asset_paths: Vec<String> = input.content_assets.iter().map(|a| a.rel.clone()).collect();
    let steps = Steps { site, theme, tera, asset_paths, env: 0, drafts, keep: false, disk: None, sources: None };
    // The report needs everything but the HTML.
    let md = steps.markdown(None, Bodies::Html(&|_| false));
    let checked = steps.links(&md, diags);
    let report = Report { diagnostics: checked.diags, stats: checked.stats, ..Report::default() };
    if report.error_count() > 0 {
        return Err(Box::new(report));
    }
    let external = crate::report::external_links(&steps.site);
    Ok((crate::report::Health::compute(&steps.site, &md.rendered, &checked.graph.backlinks, external), report))
}

/// The report as a page of the site (`report: true`), computed before the
/// pages' text is freed.
fn published_report(site: &Site, md: &Md, graph: &Graph) -> Option<OutputFile> {
    if !site.config.report {
        return None;
    }
    let external = crate::report::external_links(site);
    let health = crate::report::Health::compute(site, &md.rendered, &graph.backlinks, external);
    Some(OutputFile::bytes(crate::report::PUBLISHED.to_string(), crate::report::html::render(&health).into_bytes()))
}

/// Compiles the merged theme.
fn theme(
    config: &Config,
    theme_files: Option<&[Asset]>,
    templates: &[Asset],
) -> Result<(Theme, tera::Tera), Vec<Diagnostic>> {
    let theme = Theme::merge(&config.theme, theme_files, templates)?;
    let tera = render::compile(&theme)?;
    Ok((theme, tera))
}

/// What templates and UI strings make of every page.
fn theme_hash(theme: &Theme) -> u64 {
    hash_of((&theme.templates.values().map(|t| &t.text).collect::<Vec<_>>(), &theme.strings))
}

/// The link environment: which pages exist where, which files can be
/// linked, and what Markdown rendering depends on besides the text.
pub(crate) fn environment(site: &Site, assets: &[String], extra: u64) -> u64 {
    let mut h = FxHasher::default();
    for p in &site.pages {
        (&p.rel, &p.path, &p.lang, p.kind as u8, &p.key).hash(&mut h);
    }
    assets.hash(&mut h);
    site.drafts.len().hash(&mut h);
    extra.hash(&mut h);
    h.finish()
}

/// The site and what the steps after assembling share.
struct Steps {
    site: Site,
    theme: Theme,
    tera: tera::Tera,
    asset_paths: Vec<String>,
    env: u64,
    drafts: bool,
    /// Keep everything for the preview (else free what later steps do not need).
    keep: bool,
    /// Where the site was read from, if from disk, and the names on disk
    /// of files whose names were not in NFC.
    disk: Option<(std::path::PathBuf, HashMap<String, String>)>,
    /// Where the pages' files are once the site holds only their front
    /// matter ([`Steps::shorten`]).
    sources: Option<markdown::Sources>,
}

/// What the render step takes besides the site: where files go, and what
/// the preview brings.
struct Later<'a> {
    sink: &'a dyn Sink,
    outputs: Option<&'a dyn Reuse>,
    search: Option<Vec<OutputFile>>,
    /// The files of `static/` and `content/`, shared with the PDFs' images.
    static_files: Arc<[Asset]>,
    content: Arc<[Asset]>,
}

/// The Markdown step's results.
struct Md {
    rendered: Vec<Rendered>,
    meta: Vec<MdMeta>,
    reused: usize,
    /// The bodies come later, a batch at a time ([`Bodies::Later`]).
    streaming: bool,
}

/// The links step's results.
struct Checked {
    graph: Graph,
    diags: Vec<Diagnostic>,
    /// What edits of page bodies cannot change (kept for the preview).
    fixed: Vec<Diagnostic>,
    stats: Stats,
}

impl Steps {
    fn resolver(&self) -> Resolver<'_> {
        Resolver::new(&self.site, self.asset_paths.iter().map(String::as_str))
    }

    /// In a one-off build from disk, keeps only each file's front matter in
    /// the site from now on and reads the file again for each Markdown pass
    /// ([`markdown::Sources`]): no page's body waits in memory for the
    /// others (the sources were 730 MB of a 1.5 GB peak at 100,000 pages).
    /// Not when the published report needs every body (`report: true`).
    fn shorten(&mut self) {
        if let (Some((root, renamed)), false) = (&self.disk, self.site.config.report) {
            let sources = markdown::Sources::take(&mut self.site, Some((root.as_path(), renamed)));
            self.sources = Some(sources);
        }
    }

    /// Renders every page's Markdown, reusing `old` where the text is the
    /// same; `bodies` says which pages' bodies to keep.
    fn markdown(&self, old: Option<HashMap<String, PageMarkdown>>, bodies: Bodies) -> Md {
        let strings = UiStrings::new(&self.site, &self.theme);
        let (rendered, meta, reused) = markdown::render_markdown(
            &self.site,
            &strings,
            &self.resolver(),
            self.keep,
            old,
            (bodies, self.sources.as_ref()),
        );
        let streaming = matches!(bodies, Bodies::Later);
        Md { rendered, meta, reused, streaming }
    }

    /// Related pages, translations, anchors, backlinks, neighbours.
    fn links(&self, md: &Md, mut diags: Vec<Diagnostic>) -> Checked {
        let site = &self.site;
        let (related, d) = links::related(site, 5);
        diags.extend(d);
        diags.extend(finish::translation_warnings(site));
        diags.extend(crate::assessment::book::check(site));
        let fixed = if self.keep { diags.clone() } else { Vec::new() };
        diags.extend(md.meta.iter().flat_map(|m| m.diagnostics.iter().cloned()));
        let edges: Vec<&Edge> = md.meta.iter().flat_map(|m| &m.edges).collect();
        let headings: Vec<&[Heading]> = md.rendered.iter().map(|r| r.headings.as_slice()).collect();
        diags.extend(links::check_anchors(site, &edges, &headings));
        diags.extend(crate::workshop::check(site, &md.rendered, &self.resolver()));
        let graph = Graph { backlinks: links::backlinks(site, &edges), neighbours: links::neighbours(site), related };
        if let Some(sources) = &self.sources {
            markdown::place(&mut diags, site, sources);
        }
        error::sort_diagnostics(&mut diags);
        Checked { graph, diags, fixed, stats: stats(site, &md.rendered) }
    }

    /// A failed build: the report, and for the preview the Markdown.
    fn failed(self, md: Md, diagnostics: Vec<Diagnostic>, stats: Stats) -> Outcome {
        let kept = if self.keep {
            Kept::Failed(self.env, markdown::by_path(self.site.pages, md.rendered, md.meta))
        } else {
            Kept::Nothing
        };
        Outcome { report: Report { diagnostics, stats, ..Report::default() }, kept, markdown_reused: md.reused }
    }

    /// The print version's sections; none once the build has failed, or
    /// when a file cannot be read again (its error joins `diags`).
    fn print_books(&self, diags: &mut Vec<Diagnostic>) -> Vec<PrintBook> {
        if diags.iter().any(Diagnostic::is_error) {
            return Vec::new();
        }
        let strings = UiStrings::new(&self.site, &self.theme);
        markdown::render_print_sections(&self.site, &strings, &self.resolver(), self.sources.as_ref()).unwrap_or_else(
            |d| {
                diags.extend(d);
                error::sort_diagnostics(diags);
                Vec::new()
            },
        )
    }

    /// Templates, search index and assets into the sink.
    fn render(mut self, mut md: Md, checked: Checked, print: Vec<PrintBook>, later: Later, mut t: Timings) -> Outcome {
        let Later { sink, outputs: prior_outputs, search: prior_search, static_files, content: content_assets } = later;
        if self.site.config.print.pdf {
            // `static/` first: it wins, as when the files are copied.
            self.site.pdf_images = crate::pdf::images::Images::new(&[&static_files, &content_assets]);
        }
        let report_page = published_report(&self.site, &md, &checked.graph);
        // A one-off build is done with the Markdown sources now, unless it
        // renders the bodies later; freeing them lets the templates reuse
        // the memory (94 MB at 10,000 pages).
        if !self.keep && !md.streaming {
            self.site.pages.par_iter_mut().for_each(|p| p.text = String::new());
        }
        let Checked { graph, mut diags, fixed, stats } = checked;
        // A streaming build indexes each batch of pages while it has their
        // text (the preview indexes after, or reuses the last index).
        let search = self.site.config.search.enabled;
        let mut indexer =
            (md.streaming && search && prior_search.is_none()).then(|| crate::search::Indexer::new(&self.site));
        let rendered = if md.streaming {
            self.render_streaming(&mut md, &graph, &print, sink, indexer.as_mut(), &mut t)
        } else {
            let input = self.render_input(&md.rendered, &graph, &print);
            // The link environment covers configuration, theme and the pages.
            let reuse = prior_outputs.map(|r| (r, self.env));
            render::render_pages(&input, sink, reuse)
        };
        let mut outputs = match rendered {
            Ok(outputs) => outputs,
            Err(d) => {
                diags.extend(d);
                error::sort_diagnostics(&mut diags);
                return self.failed(md, diags, stats);
            }
        };
        let notes: Vec<String> = outputs.iter_mut().flat_map(|o| std::mem::take(&mut o.notes)).collect();
        t.lap("templates");
        // Likewise the pages' HTML: the search index needs only their text.
        if !self.keep {
            md.rendered.par_iter_mut().for_each(|r| r.html = String::new());
        }
        let search_pending = search && prior_search.is_some();
        let search_files = match (indexer, prior_search) {
            (Some(indexer), _) => indexer.finish(),
            (None, Some(previous)) if search_pending => previous,
            _ if search => crate::search::index_files(&self.site, &md.rendered),
            _ => Vec::new(),
        };
        sink.offer(&search_files);
        let (mut assets, mut asset_diags) =
            finish::copy_assets(sink.paths(), &self.theme, &static_files, &content_assets);
        if self.keep {
            // The preview keeps the copied files; its PDFs take images from
            // them, and the files read are freed with this step.
            self.site.pdf_images = self.site.pdf_images.sharing(&assets);
        }
        if let Some(page) = report_page {
            match self.site.pages.iter().find(|p| p.path == "report/") {
                Some(p) => asset_diags.push(
                    Diagnostic::error(
                        "site.yaml",
                        "",
                        0,
                        format!("`report: true` publishes /report/, where {} is", p.source),
                    )
                    .with_hint("rename the page, or leave the report out of the site"),
                ),
                // Kept with the copied files, so the preview serves it too.
                None => assets.push(page),
            }
        }
        sink.offer(&assets);
        t.lap("assets and search");
        diags.extend(asset_diags.iter().cloned());
        error::sort_diagnostics(&mut diags);
        let stats = Stats { files: sink.paths().count(), ..stats };
        let report = Report { diagnostics: diags, stats, search_pending, notes, ..Report::default() };
        let markdown_reused = md.reused;
        let kept = if self.keep {
            let mut fixed = fixed;
            fixed.extend(asset_diags);
            Kept::Built(Box::new(self.into_built(md, graph, print, fixed, search_files, assets)), outputs)
        } else {
            free(self.site, md, graph, print);
            t.lap("free");
            Kept::Nothing
        };
        let report = Report { timings: t.into_laps(), ..report };
        Outcome { report, kept, markdown_reused }
    }
}

/// Pages whose bodies a streaming build renders at a time: enough for both
/// cores to stay busy, few enough that their HTML is small beside the site.
const BATCH_PAGES: usize = 1024;

impl Steps {
    /// The templates of a one-off build: content pages in batches, each
    /// batch's bodies rendered just before and dropped after; then the
    /// generated outputs. Diagnostics of all batches are collected.
    fn render_streaming(
        &mut self,
        md: &mut Md,
        graph: &Graph,
        print: &[PrintBook],
        sink: &dyn Sink,
        mut indexer: Option<&mut crate::search::Indexer>,
        t: &mut Timings,
    ) -> Result<Vec<render::Rendered>, Vec<Diagnostic>> {
        // Without embeds, a page's file is read only by its own batch.
        let disk = self.disk.as_ref().map(|(root, renamed)| (root.as_path(), renamed));
        let mut sources = match self.sources.take() {
            Some(sources) => sources,
            None => markdown::Sources::take(&mut self.site, disk),
        };
        let this = &*self;
        let strings = UiStrings::new(&this.site, &this.theme);
        let resolver = this.resolver();
        let shared = render::Shared::new(&this.site, &this.theme, &md.rendered);
        let mut outputs = Vec::new();
        let mut diags = Vec::new();
        let n = self.site.pages.len();
        for start in (0..n).step_by(BATCH_PAGES) {
            let ids = start..(start + BATCH_PAGES).min(n);
            let unread =
                markdown::fill_bodies(&this.site, &strings, &resolver, &mut md.rendered, ids.clone(), &sources);
            if !unread.is_empty() {
                return Err(unread);
            }
            let input = this.render_input(&md.rendered, graph, print);
            match render::render_batch(&input, &shared, sink, ids.clone(), false) {
                Ok(o) => outputs.extend(o),
                Err(d) => diags.extend(d),
            }
            // The index takes what it needs of the plain text now.
            if let Some(indexer) = indexer.as_deref_mut() {
                sink.offer(&indexer.add(&this.site, &md.rendered, ids.clone()));
            }
            let search = this.site.config.search.enabled;
            markdown::drop_bodies(&mut md.rendered, ids.clone(), indexer.is_some() || !search);
            sources.free(ids);
        }
        t.lap("pages");
        let input = this.render_input(&md.rendered, graph, print);
        match render::render_batch(&input, &shared, sink, 0..0, true) {
            Ok(o) => outputs.extend(o),
            Err(d) => diags.extend(d),
        }
        if diags.is_empty() { Ok(outputs) } else { Err(diags) }
    }

    fn render_input<'a>(&'a self, pages: &'a [Rendered], graph: &'a Graph, print: &'a [PrintBook]) -> RenderInput<'a> {
        RenderInput { site: &self.site, pages, graph, theme: &self.theme, tera: &self.tera, print, facts: &[] }
    }

    /// What the preview keeps of a complete build.
    fn into_built(
        self,
        md: Md,
        graph: Graph,
        print: Vec<PrintBook>,
        fixed: Vec<Diagnostic>,
        search_files: Vec<OutputFile>,
        assets: Vec<OutputFile>,
    ) -> Built {
        let Steps { site, theme, tera, asset_paths, env, drafts, .. } = self;
        let (rendered, meta) = (md.rendered, md.meta);
        Built { site, theme, tera, asset_paths, rendered, meta, graph, print, fixed, search_files, assets, env, drafts }
    }
}

/// A large site is millions of small allocations; freeing them on both
/// cores halves the 20 ms one thread takes at 10,000 pages.
fn free(mut site: Site, md: Md, graph: Graph, print: Vec<PrintBook>) {
    let pages = std::mem::take(&mut site.pages);
    rayon::join(
        || md.rendered.into_par_iter().for_each(drop),
        || {
            pages.into_par_iter().for_each(drop);
            md.meta.into_par_iter().for_each(drop);
        },
    );
    drop((graph, print, site));
}
