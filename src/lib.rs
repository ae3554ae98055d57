//! Lotse: a static-site generator for practice guides with lifecycle stages,
//! checked cross-links and printable checklist handouts.
//!
//! The pipeline, in order:
//! `load -> frontmatter/assemble -> markdown + links -> render -> write`.
//! [`build_into`] writes each file into the output folder as it is
//! rendered and swaps the folder in atomically; [`build`] returns the files
//! instead, and [`build_changed`] rebuilds from a [`cache::Cache`] (the
//! preview).

pub mod assemble;
pub mod cache;
pub mod checklist;
pub mod config;
pub mod error;
pub mod frontmatter;
mod incremental;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod theme;
pub mod write;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use config::Config;
pub use error::{Diagnostic, Error, Severity};
pub use render::OutputFile;

use links::{Edge, Resolver};
use load::{Asset, Input};
use markdown::{MdOptions, Rendered};
use model::{Kind, PageId, Site};
use render::Graph;
use theme::Theme;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root (holds `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Replaces `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Links end in `index.html` (for use from disk), whatever site.yaml says.
    pub portable: bool,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Content pages in all languages.
    pub pages: usize,
    /// Stage folders.
    pub stages: usize,
    /// Language codes.
    pub languages: Vec<String>,
    /// Checklist items in all languages.
    pub checklist_items: usize,
    /// Files produced.
    pub files: usize,
}

/// The outcome of a build: files to write (empty if there were errors), all
/// diagnostics sorted, and counts.
#[derive(Debug, Default)]
pub struct Report {
    /// Output files, sorted by path.
    pub files: Vec<OutputFile>,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts for the summary line.
    pub stats: Stats,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// The search files are those of the previous build (see
    /// [`build_changed`]); [`refresh_search`] brings them up to date.
    pub search_pending: bool,
}

impl Report {
    /// Number of error diagnostics.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    fn failed(diagnostics: Vec<Diagnostic>) -> Report {
        Report { diagnostics, ..Report::default() }
    }
}

/// Reads the site at `options.root` and builds it in memory.
pub fn build(options: &Options) -> Result<Report, Error> {
    build_mode(options, false)
}

/// Checks the site like a build does (templates included) but leaves out
/// what only matters for the files: the search index.
pub fn check(options: &Options) -> Result<Report, Error> {
    build_mode(options, true)
}

/// What a build reads: the input, the parsed configuration and the theme
/// folder; or the report of a configuration that cannot be used.
type Loaded = Result<(Input, Config, Option<Vec<Asset>>), Report>;

/// Reads the site and its configuration, applying `options`.
fn load_site(options: &Options) -> Result<Loaded, Error> {
    let input = load::load(&options.root)?;
    let config_text = input.config.clone().unwrap_or_default();
    let mut config = match Config::parse("site.yaml", &config_text) {
        Ok(c) => c,
        Err(d) => return Ok(Err(Report::failed(d))),
    };
    if let Some(url) = &options.base_url {
        config.base_url = if url.ends_with('/') { url.clone() } else { format!("{url}/") };
    }
    config.portable |= options.portable;
    let theme_files = load::load_theme(&options.root, &config.theme)?;
    if theme_files.is_none() && config.theme != "default" {
        let at = frontmatter::key_offset(&config_text, 0, "theme").unwrap_or(0);
        let d = Diagnostic::error(
            "site.yaml",
            &config_text,
            at,
            format!("theme `{}` not found: there is no folder themes/{}/", config.theme, config.theme),
        )
        .with_hint("use `theme: default` (built in), or add the theme folder");
        return Ok(Err(Report::failed(vec![d])));
    }
    Ok(Ok((input, config, theme_files)))
}

fn build_mode(options: &Options, check_only: bool) -> Result<Report, Error> {
    load_then(options, |input, mut config, theme_files| {
        if check_only {
            // Everything but the search index is rendered, then dropped.
            config.search.enabled = false;
            build_core(input, config, theme_files, options.drafts, None, Output::Discard)
        } else {
            Ok(build_input(input, config, theme_files, options.drafts))
        }
    })
}

/// Reads the site and hands it to `build`, timing both; a configuration
/// that cannot be used is reported without building.
fn load_then(
    options: &Options,
    build: impl FnOnce(Input, Config, Option<&[Asset]>) -> Result<Report, Error>,
) -> Result<Report, Error> {
    let start = Instant::now();
    let mut t = Timings::new();
    let (input, config, theme_files) = match load_site(options)? {
        Ok(loaded) => loaded,
        Err(report) => return Ok(report),
    };
    t.lap("load");
    let mut report = build(input, config, theme_files.as_deref())?;
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Where a build's files go.
#[derive(Clone, Copy)]
enum Output<'a> {
    /// Into the report.
    Memory,
    /// Into this folder, each file as soon as it is rendered.
    Folder(&'a std::path::Path),
    /// Nowhere (they are counted).
    Discard,
}

/// Builds a site from what the loader read: no I/O, so it runs on an
/// in-memory tree as well.
pub fn build_input(input: Input, config: Config, theme_files: Option<&[Asset]>, drafts: bool) -> Report {
    build_input_cached(input, config, theme_files, drafts, None)
}

/// Reads the site at `options.root` and builds it, reusing what `cache`
/// holds from the previous build (for `lotse serve`).
pub fn build_cached(options: &Options, cache: &mut cache::Cache) -> Result<Report, Error> {
    let report = load_then(options, |input, config, theme_files| {
        Ok(build_input_cached(input, config, theme_files, options.drafts, Some(&mut *cache)))
    });
    // After a failure the kept build is older than the files: the fast
    // path, which patches it, must not run until a build succeeds.
    cache.stale_warm = report.as_ref().map_or(true, |r| r.error_count() > 0);
    report
}

/// Rebuilds after the files `changed` (absolute paths) were modified. When
/// each is a page whose front-matter is unchanged, only those pages are read
/// and rendered again, with the rest reused from `cache` (the fast path for
/// `lotse serve`); otherwise this is [`build_cached`]. With `defer_search`,
/// a rebuild after a complete build keeps the previous search files and
/// sets [`Report::search_pending`]; [`refresh_search`] then updates them.
pub fn build_changed(
    options: &Options,
    cache: &mut cache::Cache,
    changed: &[PathBuf],
    defer_search: bool,
) -> Result<Report, Error> {
    let start = Instant::now();
    match incremental::rebuild(options, cache, changed, defer_search) {
        Some(mut report) => {
            report.elapsed = start.elapsed();
            Ok(report)
        }
        None => {
            cache.defer_search = defer_search;
            let report = build_cached(options, cache);
            cache.defer_search = false;
            report
        }
    }
}

/// Rebuilds the search files of the build kept in `cache` (after
/// [`build_changed`] deferred them) and returns them.
pub fn refresh_search(cache: &mut cache::Cache) -> Vec<OutputFile> {
    incremental::refresh_search(cache, &|| false).unwrap_or_default()
}

/// [`refresh_search`] that gives up (returns `None`, changing nothing) as
/// soon as `cancel` returns true.
pub fn refresh_search_unless(cache: &mut cache::Cache, cancel: &(dyn Fn() -> bool + Sync)) -> Option<Vec<OutputFile>> {
    incremental::refresh_search(cache, cancel)
}

/// Reads the site at `options.root`, builds it and writes it to `out`,
/// each file as soon as it is rendered, into a temporary folder that
/// replaces `out` in one rename when the build succeeds. With errors,
/// nothing is written and `out` stays as it was.
pub fn build_into(options: &Options, out: &std::path::Path) -> Result<Report, Error> {
    load_then(options, |input, config, theme_files| {
        build_core(input, config, theme_files, options.drafts, None, Output::Folder(out))
    })
}

/// [`build_input`] with an optional cache of the previous build.
pub fn build_input_cached(
    input: Input,
    config: Config,
    theme_files: Option<&[Asset]>,
    drafts: bool,
    cache: Option<&mut cache::Cache>,
) -> Report {
    match build_core(input, config, theme_files, drafts, cache, Output::Memory) {
        Ok(report) => report,
        // Only writing fails with an I/O error, and nothing is written here.
        Err(e) => Report::failed(vec![Diagnostic::error("", "", 0, e.to_string())]),
    }
}

/// The pipeline; `out` says where the files go (only [`Output::Memory`]
/// puts them into the report).
fn build_core(
    input: Input,
    config: Config,
    theme_files: Option<&[Asset]>,
    drafts: bool,
    mut cache: Option<&mut cache::Cache>,
    out: Output,
) -> Result<Report, Error> {
    let mut diags = input.diagnostics;
    let mut t = Timings::new();
    let theme = match Theme::merge(&config.theme, theme_files, &input.templates) {
        Ok(t) => t,
        Err(d) => return Ok(Report::failed(d)),
    };
    let tera = match render::compile(&theme) {
        Ok(t) => t,
        Err(d) => return Ok(Report::failed(d)),
    };
    t.lap("theme");
    let (mut site, d) = assemble::assemble(&config, input.markdown, drafts, &input.git_dates);
    diags.extend(d);
    t.lap("assemble");
    let asset_paths: Vec<&str> = input.content_assets.iter().map(|a| a.rel.as_str()).collect();
    let resolver = Resolver::new(&site, asset_paths.iter().copied());
    let strings = UiStrings::new(&site, &theme);
    let global = cache::hash_of((
        format!("{config:?}"),
        &theme.templates.values().map(|t| &t.text).collect::<Vec<_>>(),
        &theme.strings,
    ));
    let env = cache::environment(&site, &asset_paths, global);
    // With deferred search, the previous search files stand in until
    // `refresh_search` (the preview reloads first, indexes after).
    let deferred =
        cache.as_deref().filter(|c| c.defer_search).and_then(|c| c.warm.as_ref()).map(|w| w.search_files.clone());
    // Markdown to reuse: the last good build's if it was rendered in the
    // same link environment (else that build stays, for after a failure:
    // fixing a typo that dropped a page brings its environment back), or
    // else a failed build's since.
    let old = cache.as_deref_mut().and_then(|c| {
        let failed = c.failed_markdown.take();
        if c.warm.as_ref().is_some_and(|w| w.env == env) {
            c.warm.take().map(|w| w.into_markdown())
        } else {
            failed.filter(|(e, _)| *e == env).map(|(_, m)| m)
        }
    });
    let (mut rendered, md_meta, reused) = render_markdown(&site, &strings, &resolver, cache.is_some(), old);
    if let Some(c) = cache.as_deref_mut() {
        c.markdown_reused = reused;
        c.fast_path = false;
    }
    let edges: Vec<Edge> = md_meta.iter().flat_map(|m| m.edges.iter().cloned()).collect();
    let md_diags = md_meta.iter().flat_map(|m| m.diagnostics.iter().cloned());
    let headings: Vec<&[markdown::Heading]> = rendered.iter().map(|r| r.headings.as_slice()).collect();
    t.lap("markdown");
    let (related, d) = links::related(&site, 5);
    diags.extend(d);
    diags.extend(translation_warnings(&site));
    // What edits of page bodies cannot change (kept for the fast path).
    let fixed_diags = if cache.is_some() { diags.clone() } else { Vec::new() };
    diags.extend(md_diags);
    diags.extend(links::check_anchors(&site, &edges, &headings));
    let graph = Graph { backlinks: links::backlinks(&site, &edges), neighbours: links::neighbours(&site), related };
    let stats = stats(&site, &rendered);
    error::sort_diagnostics(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        keep_failed_markdown(cache, env, site, rendered, md_meta);
        return Ok(Report { diagnostics: diags, stats, ..Report::default() });
    }
    t.lap("links");
    let staging = match out {
        Output::Memory => None,
        Output::Folder(dir) => Some(write::Staging::new(dir)?),
        Output::Discard => Some(write::Staging::discard()),
    };
    let print = render_print_sections(&site, &strings, &resolver);
    drop(resolver);
    // A one-off build is done with the Markdown sources now (diagnostics
    // have been made); freeing them lets the templates reuse the memory
    // instead of the kernel zeroing fresh pages (a 10,000-page site holds
    // 94 MB of them).
    if cache.is_none() {
        site.pages.par_iter_mut().for_each(|p| p.text = String::new());
    }
    let render_input = render::RenderInput {
        site: &site,
        pages: &rendered,
        graph: &graph,
        theme: &theme,
        tera: &tera,
        print: &print,
        facts: &[],
        sink: staging.as_ref(),
    };
    t.lap("print markdown");
    let texts: Vec<u64> = md_meta.iter().map(|m| m.text).collect();
    let rendered_files = match cache.as_deref_mut() {
        Some(c) => {
            let prints = cache::fingerprints(&site, &rendered, &texts, &graph, env);
            render::render_pages_cached(&render_input, Some((c, &prints)))
        }
        None => render::render_pages(&render_input),
    };
    let files = match rendered_files {
        Ok(f) => f,
        Err(d) => {
            diags.extend(d);
            error::sort_diagnostics(&mut diags);
            keep_failed_markdown(cache, env, site, rendered, md_meta);
            return Ok(Report { diagnostics: diags, stats, ..Report::default() });
        }
    };
    t.lap("templates");
    // Likewise the pages' HTML, once they are rendered: the search index
    // needs only their text.
    if cache.is_none() {
        rendered.par_iter_mut().for_each(|r| r.html = String::new());
    }
    let search_pending = site.config.search.enabled && deferred.is_some();
    let search_files = match deferred {
        Some(previous) if search_pending => previous,
        _ if site.config.search.enabled => search::index_files(&site, &rendered),
        _ => Vec::new(),
    };
    let in_memory: std::collections::HashSet<&str> =
        files.iter().chain(&search_files).map(|f| f.path.as_str()).collect();
    let generated = |path: &str| in_memory.contains(path) || staging.as_ref().is_some_and(|s| s.has(path));
    let (assets, asset_diags) = copy_assets(&generated, &theme, &input.static_files, &input.content_assets);
    t.lap("assets and search");
    let (files, count) = match staging {
        Some(staging) => {
            staging.offer(&search_files);
            staging.offer(&assets);
            let count = staging.written();
            staging.commit()?;
            t.lap("write");
            (Vec::new(), count)
        }
        None => {
            let files = finish_files(files, &search_files, &assets);
            let count = files.len();
            (files, count)
        }
    };
    let stats = Stats { files: count, ..stats };
    if let Some(c) = cache {
        let mut fixed = fixed_diags;
        fixed.extend(asset_diags.iter().cloned());
        let asset_paths = asset_paths.iter().map(|a| a.to_string()).collect();
        c.warm = Some(Box::new(Warm {
            site,
            theme,
            tera,
            asset_paths,
            rendered,
            meta: md_meta,
            graph,
            print,
            fixed,
            search_files,
            assets,
            env,
            drafts,
        }));
    } else {
        // A large site is millions of small allocations; freeing them on
        // both cores halves the 20 ms one thread takes at 10,000 pages.
        let pages = std::mem::take(&mut site.pages);
        rayon::join(
            || rendered.into_par_iter().for_each(drop),
            || {
                pages.into_par_iter().for_each(drop);
                md_meta.into_par_iter().for_each(drop);
            },
        );
        drop((graph, print, site));
        t.lap("free");
    }
    diags.extend(asset_diags);
    error::sort_diagnostics(&mut diags);
    Ok(Report { files, diagnostics: diags, stats, elapsed: Duration::ZERO, search_pending })
}

/// All output files sorted by path; of files with the same path, the
/// first one given wins (generated files, then search, then assets).
fn finish_files(mut files: Vec<OutputFile>, search: &[OutputFile], assets: &[OutputFile]) -> Vec<OutputFile> {
    files.extend(search.iter().cloned());
    files.extend(assets.iter().cloned());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|later, earlier| later.path == earlier.path);
    files
}

/// What `lotse serve` keeps of its last complete build: enough to rebuild
/// after edits of page bodies without reading and assembling the whole
/// site again (see `incremental`).
pub(crate) struct Warm {
    site: Site,
    theme: Theme,
    tera: tera::Tera,
    /// Content files besides Markdown, relative to `content/`.
    asset_paths: Vec<String>,
    rendered: Vec<Rendered>,
    meta: Vec<MdMeta>,
    graph: Graph,
    print: Vec<render::print::PrintBook>,
    /// Diagnostics that edits of page bodies cannot change: from reading,
    /// assembling, related pages, translations and assets.
    fixed: Vec<Diagnostic>,
    search_files: Vec<OutputFile>,
    /// Copied static, content and theme files.
    assets: Vec<OutputFile>,
    /// The link environment ([`cache::environment`]).
    env: u64,
    drafts: bool,
}

impl Warm {
    /// Markdown results by page path, for a build that reads everything.
    fn into_markdown(self) -> std::collections::HashMap<String, cache::CachedMarkdown> {
        markdown_by_path(self.site.pages, self.rendered, self.meta)
    }
}

fn markdown_by_path(
    pages: Vec<model::Page>,
    rendered: Vec<Rendered>,
    meta: Vec<MdMeta>,
) -> std::collections::HashMap<String, cache::CachedMarkdown> {
    pages
        .into_iter()
        .zip(rendered.into_iter().zip(meta))
        .map(|(p, (rendered, m))| {
            (p.rel, cache::CachedMarkdown { text: m.text, rendered, edges: m.edges, diagnostics: m.diagnostics })
        })
        .collect()
}

/// After a build that failed with Markdown rendered, keeps the Markdown for
/// the next build: when the last good build's went into this one, the
/// preview would otherwise render every page again once the error is fixed.
fn keep_failed_markdown(
    cache: Option<&mut cache::Cache>,
    env: u64,
    site: Site,
    rendered: Vec<Rendered>,
    meta: Vec<MdMeta>,
) {
    if let Some(c) = cache {
        c.failed_markdown = Some((env, markdown_by_path(site.pages, rendered, meta)));
    }
}

/// Phase timings on stderr when `LOTSE_TIMINGS` is set (for profiling):
/// wall time, CPU time of all threads (on Linux; CPU over wall shows how
/// parallel a phase is) and resident memory at its end.
struct Timings(Option<(Instant, u64)>);

impl Timings {
    fn new() -> Self {
        Timings(std::env::var_os("LOTSE_TIMINGS").map(|_| (Instant::now(), cpu_ms())))
    }

    fn lap(&mut self, phase: &str) {
        if let Some((start, cpu)) = self.0 {
            let now = cpu_ms();
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().to_string())))
                .unwrap_or_default();
            eprintln!(
                "timing: {phase:<18} {:>6} ms  cpu {:>5} ms  rss {rss}",
                start.elapsed().as_millis(),
                now.saturating_sub(cpu)
            );
            self.0 = Some((Instant::now(), now));
        }
    }
}

/// CPU time of the process so far (user and system, all threads) from
/// `/proc/self/stat`, assuming 100 clock ticks a second; 0 elsewhere.
fn cpu_ms() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0 };
    // Fields after the command name (which may hold spaces) in parentheses;
    // utime and stime are fields 14 and 15, i.e. 12 and 13 after it.
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0 };
    let ticks: u64 = rest.split_whitespace().skip(11).take(2).filter_map(|f| f.parse::<u64>().ok()).sum();
    ticks * 10
}

/// Callout titles and other UI strings per language.
struct UiStrings(Vec<(String, std::collections::BTreeMap<String, String>)>, bool);

impl UiStrings {
    fn new(site: &Site, theme: &Theme) -> Self {
        let strings = site.config.languages.iter().map(|l| (l.clone(), theme.strings_for(l))).collect();
        UiStrings(strings, site.config.markdown.safe)
    }

    fn options<'a>(&'a self, lang: &str, seed: &'a str, prefix: &'a str) -> MdOptions<'a> {
        let s = &self.0.iter().find(|(l, _)| l == lang).unwrap_or(&self.0[0]).1;
        let title = |k: &str, d: &'static str| s.get(k).map_or(d, |v| v.as_str());
        MdOptions {
            callout_titles: [
                title("callout_note", "Note"),
                title("callout_tip", "Tip"),
                title("callout_important", "Important"),
                title("callout_warning", "Warning"),
                title("callout_caution", "Caution"),
            ],
            id_seed: seed,
            id_prefix: prefix,
            safe: self.1,
        }
    }
}

/// Diagnostics reported per file at most (each costs a scan of the file).
const MAX_PROBLEMS_PER_FILE: usize = 100;

/// Per-page results of the Markdown stage besides the HTML.
struct MdMeta {
    text: u64,
    edges: Vec<Edge>,
    diagnostics: Vec<Diagnostic>,
}

/// Renders every page's Markdown in parallel, resolving links as it goes;
/// pages whose text is in `old` (from a build with the same link
/// environment) are moved out of it instead. `hash` computes text hashes
/// (for the next build's cache).
fn render_markdown(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    hash: bool,
    old: Option<std::collections::HashMap<String, cache::CachedMarkdown>>,
) -> (Vec<Rendered>, Vec<MdMeta>, usize) {
    let texts: Vec<u64> =
        if hash { site.pages.par_iter().map(|p| cache::hash_of(&p.text)).collect() } else { vec![0; site.pages.len()] };
    let mut old = old.unwrap_or_default();
    let slots: Vec<Option<cache::CachedMarkdown>> =
        site.pages.iter().zip(&texts).map(|(p, t)| old.remove(&p.rel).filter(|m| m.text == *t)).collect();
    let per_page: Vec<(Rendered, MdMeta, bool)> = slots
        .into_par_iter()
        .enumerate()
        .map(|(id, slot)| match slot {
            Some(m) => (m.rendered, MdMeta { text: m.text, edges: m.edges, diagnostics: m.diagnostics }, true),
            None => {
                let (rendered, meta) = page_markdown(site, strings, resolver, id, texts[id]);
                (rendered, meta, false)
            }
        })
        .collect();
    let reused = per_page.iter().filter(|(_, _, hit)| *hit).count();
    let (rendered, meta): (Vec<Rendered>, Vec<MdMeta>) = per_page.into_iter().map(|(r, m, _)| (r, m)).unzip();
    (rendered, meta, reused)
}

/// Renders page `id`'s Markdown, resolving its links and locating its
/// problems; `text` is the hash of its text, kept for the cache.
fn page_markdown(site: &Site, strings: &UiStrings, resolver: &Resolver, id: PageId, text: u64) -> (Rendered, MdMeta) {
    let page = &site.pages[id];
    let opts = strings.options(&page.lang, &page.key, "");
    let mut edges = Vec::new();
    let mut diags = Vec::new();
    let mut link_errors = 0;
    let rendered = markdown::render(page.body(), &opts, &mut |link| {
        if link_errors >= MAX_PROBLEMS_PER_FILE {
            return None;
        }
        let r = resolver.resolve(id, link);
        edges.extend(r.edge);
        link_errors += usize::from(r.diagnostic.as_ref().is_some_and(Diagnostic::is_error));
        diags.extend(r.diagnostic);
        r.href
    });
    if link_errors >= MAX_PROBLEMS_PER_FILE || rendered.warnings.len() > MAX_PROBLEMS_PER_FILE {
        diags.push(
            Diagnostic::error(
                &page.source,
                &page.text,
                page.body_offset,
                format!("more than {MAX_PROBLEMS_PER_FILE} problems in this file; the rest are not reported"),
            )
            .with_hint("fix the ones shown and build again"),
        );
    }
    for w in rendered.warnings.iter().take(MAX_PROBLEMS_PER_FILE) {
        let at = page.body_offset + w.offset;
        let mut d = if w.is_error {
            Diagnostic::error(&page.source, &page.text, at, &w.message)
        } else {
            Diagnostic::warning(&page.source, &page.text, at, &w.message)
        };
        d.hint = w.hint.clone();
        diags.push(d);
    }
    (rendered, MdMeta { text, edges, diagnostics: diags })
}

/// Renders every page of each language again for the one-page print
/// version: heading ids prefixed per page, links pointing inside the page.
fn render_print_sections(site: &Site, strings: &UiStrings, resolver: &Resolver) -> Vec<render::print::PrintBook> {
    site.books
        .iter()
        .filter(|book| render::print::wanted(site, book))
        .map(|book| {
            let order: Vec<PageId> =
                book.home.into_iter().chain(book.series.iter().copied()).chain(book.pages.iter().copied()).collect();
            let sections =
                order.par_iter().map(|&id| print_section(site, strings, resolver, &book.prefix, id)).collect();
            render::print::PrintBook { lang: book.lang.clone(), sections }
        })
        .collect()
}

/// Page `id` as a section of the print version of the book at `prefix`.
fn print_section(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    prefix: &str,
    id: PageId,
) -> render::print::PrintSection {
    let at = format!("{prefix}print/");
    let page = &site.pages[id];
    let anchor = render::print::section_id(page);
    let prefix = format!("{anchor}--");
    let opts = strings.options(&page.lang, &page.key, &prefix);
    let r = markdown::render(page.body(), &opts, &mut |link| {
        let r = resolver.resolve_at(id, link, &at);
        match r.edge {
            Some(e) if site.pages[e.to].lang == page.lang => {
                let target = render::print::section_id(&site.pages[e.to]);
                Some(match e.anchor.filter(|a| !a.is_empty()) {
                    Some(a) if e.to == id => format!("#{prefix}{a}"),
                    Some(a) => format!("#{target}--{a}"),
                    None => format!("#{target}"),
                })
            }
            _ => r.href,
        }
    });
    render::print::PrintSection { page: id, anchor, html: r.html }
}

/// Warns about pages of the default language that lack a translation.
fn translation_warnings(site: &Site) -> Vec<Diagnostic> {
    let others: Vec<&String> = site.config.languages.iter().filter(|l| !site.config.is_default_language(l)).collect();
    let mut out = Vec::new();
    for (id, p) in site.pages.iter().enumerate() {
        if !site.config.is_default_language(&p.lang) {
            continue;
        }
        for lang in &others {
            if !site.translations[id].iter().any(|&t| &&site.pages[t].lang == lang) {
                let stem = p.rel.strip_suffix(".md").unwrap_or(&p.rel);
                out.push(
                    Diagnostic::warning(&p.source, &p.text, 0, format!("no `{lang}` translation of this page"))
                        .with_hint(format!("add `content/{stem}.{lang}.md`")),
                );
            }
        }
    }
    out
}

fn stats(site: &Site, rendered: &[Rendered]) -> Stats {
    let checklist_items = site
        .pages
        .iter()
        .zip(rendered)
        .filter(|(p, _)| p.kind == Kind::Article && p.meta.checklist)
        .map(|(_, r)| r.tasks.len())
        .sum();
    Stats {
        pages: site.pages.len(),
        stages: site.stages.len(),
        languages: site.books.iter().map(|b| b.lang.clone()).collect(),
        checklist_items,
        files: 0,
    }
}

/// The site's `static/` (which wins over theme files), the files beside the
/// Markdown in `content/`, then the theme's assets. A file at the path of a
/// generated file is not copied, with a warning.
fn copy_assets(
    generated: &dyn Fn(&str) -> bool,
    theme: &Theme,
    static_files: &[Asset],
    content: &[Asset],
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let site_static = static_files.iter().map(|a| ("static", a.rel.as_str(), &a.bytes));
    let content = content.iter().map(|a| ("content", a.rel.as_str(), &a.bytes));
    let theme_files = theme.static_files.iter().map(|(p, b)| ("theme", p.as_str(), b));
    for (origin, path, bytes) in site_static.chain(content).chain(theme_files) {
        if generated(path) {
            if origin != "theme" {
                warnings.push(
                    Diagnostic::warning(
                        &format!("{origin}/{path}"),
                        "",
                        0,
                        format!("not copied: Lotse generates `{path}` itself"),
                    )
                    .with_hint("rename or remove the file"),
                );
            }
        } else if seen.insert(path) {
            files.push(OutputFile::bytes(path, bytes.clone()));
        }
    }
    (files, warnings)
}
