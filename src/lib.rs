//! Lotse: a static-site generator for practice guides with lifecycle stages,
//! checked cross-links and printable checklist handouts.
//!
//! The pipeline, in order (module `pipeline`):
//! `load -> theme -> assemble -> markdown + links -> render -> sink`.
//! [`build_into`] writes each file into the output folder as it is
//! rendered and swaps the folder in atomically; [`build`] returns the files
//! instead, [`check`] drops them; the preview (`serve`) keeps the built
//! site and rebuilds from it.

pub mod assemble;
pub mod assessment;
pub mod calendar;
pub mod checklist;
pub mod config;
pub mod error;
pub mod external;
pub mod facts;
pub mod frontmatter;
mod hash;
pub mod import;
mod interrupt;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
mod pipeline;
pub mod render;
pub mod report;
pub mod review;
pub mod scaffold;
mod scan;
pub mod search;
pub mod serve;
pub mod theme;
mod timings;
pub mod workshop;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::Config;
pub use error::{Diagnostic, Error, Severity};
pub use interrupt::Interrupt;
pub use output::OutputFile;

use load::{Asset, Input};
use output::{DiscardSink, MemorySink};
use pipeline::{Loaded, Prior};

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site root (holds `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Replaces `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Raised to stop the build early (nothing is written then).
    pub interrupt: Interrupt,
    /// Links end in `index.html` (for use from disk), whatever site.yaml says.
    pub portable: bool,
    /// Who the build is for, replacing site.yaml's `audience`.
    pub audience: Option<config::Audience>,
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
    /// [`serve::build_changed`]); [`serve::refresh_search`] brings them up
    /// to date.
    pub search_pending: bool,
    /// Phase timings, one line each, when `LOTSE_TIMINGS` is set.
    pub timings: Vec<String>,
    /// Pages with a review due date, most overdue first ([`review::due_list`]).
    pub reviews: Vec<review::Due>,
    /// Notes for the summary: outputs left out on purpose, and why (a
    /// whole-guide PDF beyond `print.pdf_max_pages`).
    pub notes: Vec<String>,
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

    pub(crate) fn failed(diagnostics: Vec<Diagnostic>) -> Report {
        Report { diagnostics, ..Report::default() }
    }
}

/// Reads the site at `options.root` and builds it in memory.
pub fn build(options: &Options) -> Result<Report, Error> {
    in_memory(options, false)
}

/// Checks the site like a build does (templates included) but leaves out
/// what only matters for the files: the search index.
pub fn check(options: &Options) -> Result<Report, Error> {
    in_memory(options, true)
}

fn in_memory(options: &Options, check_only: bool) -> Result<Report, Error> {
    let start = Instant::now();
    let mut loaded = match pipeline::load(options)? {
        Ok(loaded) => loaded,
        Err(report) => return Ok(report),
    };
    let mut report = if check_only {
        loaded.config.search.enabled = false;
        // Typesetting checks nothing about the content.
        loaded.config.print.pdf = false;
        options.interrupt.check()?;
        pipeline::run(loaded, options.drafts, &DiscardSink::default(), Prior::default()).report
    } else {
        collect(loaded, options.drafts)
    };
    report.elapsed = start.elapsed();
    Ok(report)
}

/// `lotse check --external`: the check, then every external link of the
/// site requested (see [`external`]), answered from `cache` where it can
/// be and recorded in it; the check's report instead when it has errors.
pub fn check_external(
    options: &Options,
    cache: &mut external::Cache,
) -> Result<Result<(external::Checked, Report), Report>, Error> {
    let start = Instant::now();
    let loaded = match pipeline::load(options)? {
        Ok(loaded) => loaded,
        Err(report) => return Ok(Err(report)),
    };
    let settings = external::Settings::from_config(&loaded.config.external);
    let (health, report) = match pipeline::health(loaded, options.drafts) {
        Ok(found) => found,
        Err(report) => return Ok(Err(*report)),
    };
    let links: Vec<report::links::ExternalLink> = health.external.into_iter().flat_map(|h| h.links).collect();
    let report = Report { elapsed: start.elapsed(), ..report };
    Ok(Ok((external::check(&links, &settings, cache), report)))
}

/// The content-health report of the site at `options.root`, with the
/// check's report (warnings, counts); the check's report alone when the
/// content has errors.
pub fn health(options: &Options) -> Result<Result<(report::Health, Report), Report>, Error> {
    let start = Instant::now();
    let loaded = match pipeline::load(options)? {
        Ok(loaded) => loaded,
        Err(report) => return Ok(Err(report)),
    };
    Ok(pipeline::health(loaded, options.drafts)
        .map(|(h, r)| (h, Report { elapsed: start.elapsed(), ..r }))
        .map_err(|r| *r))
}

/// Builds a site from what the loader read: no I/O, so it runs on an
/// in-memory tree as well.
pub fn build_input(input: Input, config: Config, theme_files: Option<&[Asset]>, drafts: bool) -> Report {
    let timings = timings::Timings::new();
    collect(Loaded { input, config, theme_files: theme_files.map(<[Asset]>::to_vec), timings }, drafts)
}

/// Runs the pipeline into memory; the report holds the files.
fn collect(loaded: Loaded, drafts: bool) -> Report {
    let sink = MemorySink::default();
    let report = pipeline::run(loaded, drafts, &sink, Prior::default()).report;
    let files = if report.error_count() == 0 { sink.into_files() } else { Vec::new() };
    Report { files, ..report }
}

/// Reads the site at `options.root`, builds it and writes it to `out`,
/// each file as soon as it is rendered, into a temporary folder that
/// replaces `out` in one rename when the build succeeds. With errors,
/// nothing is written and `out` stays as it was. `out` is checked first
/// ([`write::resolve`]): a folder whose replacement would destroy the site
/// or other files is refused.
///
/// PDFs are read from the site's PDF cache (`.lotse/cache/pdf/`) where it
/// holds them, and after a successful build the cache keeps only the PDFs
/// of this build ([`pdf::cache`]).
pub fn build_into(options: &Options, out: &Path) -> Result<Report, Error> {
    let start = Instant::now();
    let mut loaded = match pipeline::load(options)? {
        Ok(loaded) => loaded,
        Err(report) => return Ok(report),
    };
    let out = write::resolve(&options.root, out)?;
    let staging = write::Staging::new(&out, options.interrupt.clone())?;
    let cache = std::sync::Arc::new(pdf::cache::Cache::new(&options.root));
    loaded.config.pdf_cache = Some(cache.clone());
    let mut report = pipeline::run(loaded, options.drafts, &staging, Prior::default()).report;
    if report.error_count() == 0 {
        staging.commit()?;
        cache.prune();
    }
    if !report.timings.is_empty() {
        let (read, typeset) = cache.counts();
        report.timings.push(format!("PDFs: {read} from the cache, {typeset} typeset"));
    }
    report.elapsed = start.elapsed();
    Ok(report)
}
