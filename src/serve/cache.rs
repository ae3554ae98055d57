//! What `lotse serve` keeps between builds so that an edit re-renders only
//! what it changes: the last complete build (for the fast path and for
//! Markdown reuse), and rendered outputs by the fingerprint of what they
//! show (`render::fingerprints`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use super::incremental;
use crate::output::{MemorySink, OutputFile};
use crate::pipeline::{self, Built, Kept, PageMarkdown, Prior};
use crate::render::{Rendered, Reuse};
use crate::{Error, Options, Report};

/// Memory kept between builds.
#[derive(Default)]
pub struct Cache {
    /// The last complete build, for the fast path and for Markdown reuse.
    pub(crate) warm: Option<Box<Built>>,
    /// Rendered output groups by key, with the fingerprint they were
    /// rendered with.
    pub(crate) outputs: HashMap<String, (u64, Vec<OutputFile>)>,
    /// After a failed build: its Markdown by page path, with the link
    /// environment it was rendered in.
    pub(crate) failed_markdown: Option<(u64, HashMap<String, PageMarkdown>)>,
    /// Whether the last build took the fast path for body edits.
    pub fast_path: bool,
    /// The last full build failed, so `warm` is older than the files.
    pub(crate) stale_warm: bool,
    /// Pages whose Markdown was reused / rendered in the last build.
    pub markdown_reused: usize,
    /// Outputs (pages and generated groups) reused in the last build.
    pub outputs_reused: usize,
    /// Outputs rendered in the last build.
    pub outputs_rendered: usize,
    /// Typeset groups (PDFs) are rendered after the build, by
    /// [`refresh_pdfs`] (the preview sets this: PDFs must not delay the reload).
    pub defer_pdf: bool,
    /// Typeset groups the last build left for [`refresh_pdfs`].
    pub pdf_pending: bool,
}

impl Reuse for Cache {
    fn reuse(&self, key: &str, fingerprint: u64) -> Option<Vec<OutputFile>> {
        let (kept, files) = self.outputs.get(key)?;
        (*kept == fingerprint).then(|| files.clone())
    }

    fn defer(&self, key: &str) -> Option<Vec<OutputFile>> {
        (self.defer_pdf && crate::render::is_typeset(key))
            .then(|| self.outputs.get(key).map(|(_, files)| files.clone()).unwrap_or_default())
    }
}

impl Cache {
    /// Forgets everything (after a template or configuration change the
    /// fingerprints change anyway; this also frees the memory).
    pub fn clear(&mut self) {
        *self = Cache::default();
    }

    /// Keeps what a build rendered; outputs that went away are dropped.
    pub(crate) fn store(&mut self, outputs: Vec<Rendered>) {
        self.outputs_reused = outputs.iter().filter(|o| o.reused).count();
        let pending = outputs.iter().filter(|o| o.pending).count();
        self.pdf_pending = pending > 0;
        self.outputs_rendered = outputs.len() - self.outputs_reused - pending;
        if self.outputs.len() > outputs.len() {
            let keep: std::collections::HashSet<&str> = outputs.iter().map(|o| o.key.as_str()).collect();
            self.outputs.retain(|k, _| keep.contains(k.as_str()));
        }
        for o in outputs.into_iter().filter(|o| !o.reused) {
            self.outputs.insert(o.key, (o.fingerprint, o.files));
        }
    }

    /// The Markdown to reuse in link environment `env`: the last good
    /// build's if it was rendered in the same environment (else that build
    /// stays, for after a failure: fixing a typo that dropped a page brings
    /// its environment back), or else a failed build's.
    fn markdown_for(&mut self, env: u64) -> Option<HashMap<String, PageMarkdown>> {
        let failed = self.failed_markdown.take();
        if self.warm.as_ref().is_some_and(|w| w.env == env) {
            self.warm.take().map(|w| w.into_markdown())
        } else {
            failed.filter(|(e, _)| *e == env).map(|(_, m)| m)
        }
    }
}

/// Reads the site at `options.root` and builds it in memory, reusing what
/// `cache` holds from the previous build. With `defer_search`, a rebuild
/// after a complete build keeps the previous search files and sets
/// [`Report::search_pending`]; [`refresh_search`] then updates them.
pub fn build_cached(options: &Options, cache: &mut Cache, defer_search: bool) -> Result<Report, Error> {
    let start = Instant::now();
    let report = match pipeline::load(options)? {
        Ok(loaded) => {
            let search = if defer_search { cache.warm.as_ref().map(|w| w.search_files.clone()) } else { None };
            let sink = MemorySink::default();
            // The cache lends its outputs to the render step and takes back
            // its Markdown; a copy of the outputs map would cost memory.
            let outputs = std::mem::take(&mut cache.outputs);
            let lender = Cache { outputs, defer_pdf: cache.defer_pdf, ..Cache::default() };
            let mut select = |env| cache.markdown_for(env);
            let prior = Prior { markdown: Some(&mut select), outputs: Some(&lender), search };
            let outcome = pipeline::run(loaded, options.drafts, &sink, prior);
            cache.outputs = lender.outputs;
            cache.markdown_reused = outcome.markdown_reused;
            cache.fast_path = false;
            match outcome.kept {
                Kept::Built(built, outputs) => {
                    cache.warm = Some(built);
                    cache.store(outputs);
                }
                Kept::Failed(env, markdown) => cache.failed_markdown = Some((env, markdown)),
                Kept::Nothing => {}
            }
            let files = if outcome.report.error_count() == 0 { sink.into_files() } else { Vec::new() };
            Report { files, ..outcome.report }
        }
        Err(report) => report,
    };
    // After a failure the kept build is older than the files: the fast
    // path, which patches it, must not run until a build succeeds.
    cache.stale_warm = report.error_count() > 0;
    Ok(Report { elapsed: start.elapsed(), ..report })
}

/// Rebuilds after the files `changed` (absolute paths) were modified. When
/// each is a page whose front-matter is unchanged, only those pages are read
/// and rendered again, with the rest reused from `cache` (the fast path);
/// otherwise this is [`build_cached`].
pub fn build_changed(
    options: &Options,
    cache: &mut Cache,
    changed: &[PathBuf],
    defer_search: bool,
) -> Result<Report, Error> {
    let start = Instant::now();
    match incremental::rebuild(options, cache, changed, defer_search) {
        Some(report) => Ok(Report { elapsed: start.elapsed(), ..report }),
        None => build_cached(options, cache, defer_search),
    }
}

/// Rebuilds the search files of the build kept in `cache` (after
/// [`build_changed`] deferred them) and returns them.
pub fn refresh_search(cache: &mut Cache) -> Vec<OutputFile> {
    incremental::refresh_search(cache, &|| false).unwrap_or_default()
}

/// [`refresh_search`] that gives up (returns `None`, changing nothing) as
/// soon as `cancel` returns true.
pub fn refresh_search_unless(cache: &mut Cache, cancel: &(dyn Fn() -> bool + Sync)) -> Option<Vec<OutputFile>> {
    incremental::refresh_search(cache, cancel)
}

/// Renders the PDFs the last build left for later ([`Cache::defer_pdf`]),
/// reusing those whose inputs did not change, and returns every PDF of
/// the site (empty when none were pending); the errors instead if one
/// could not be typeset.
pub fn refresh_pdfs(cache: &mut Cache) -> Result<Vec<OutputFile>, Vec<crate::Diagnostic>> {
    incremental::refresh_pdfs(cache)
}
