//! The fast path of `lotse serve`: when every changed file is a page that
//! already existed and only its body changed (the front-matter text is the
//! same), the site's structure cannot have changed. Then only those
//! files are read, only their Markdown is rendered again, links and anchors
//! are checked against the kept site, and the renderer re-renders just the
//! outputs whose fingerprints changed. Anything else (a new, deleted or
//! renamed file, a front-matter edit, configuration, templates, assets)
//! returns `None` and the caller builds the usual way.

use std::path::{Path, PathBuf};

use super::cache::Cache;
use crate::error::{self, Diagnostic};
use crate::hash::hash_of;
use crate::links::{self, Edge, Resolver};
use crate::load;
use crate::model::{Page, PageId};
use crate::output::{MemorySink, OutputFile, Sink};
use crate::pipeline::{Built, UiStrings, page_markdown, print_section, stats};
use crate::render::{self, RenderInput};
use crate::timings::Timings;
use crate::{Options, Report};

/// Rebuilds after edits of `changed` (absolute paths) on the fast path, or
/// returns `None` (without touching the cache) when it does not apply.
pub(crate) fn rebuild(options: &Options, cache: &mut Cache, changed: &[PathBuf], defer_search: bool) -> Option<Report> {
    let warm = cache.warm.as_deref()?;
    if cache.stale_warm || warm.drafts != options.drafts {
        return None;
    }
    // An edit may change what another page embeds: build the usual way.
    if warm.site.pages.iter().any(|p| p.text.contains(crate::pipeline::EMBED)) {
        return None;
    }
    let edits = read_edits(&options.root, warm, changed)?;
    let mut warm = cache.warm.take()?;
    let report = apply(&mut warm, cache, edits, defer_search);
    cache.warm = Some(warm);
    cache.fast_path = true;
    Some(report)
}

/// The changed pages with their new contents, or `None` if any change is
/// more than a body edit of an existing page.
fn read_edits(root: &Path, warm: &Built, changed: &[PathBuf]) -> Option<Vec<(PageId, Page)>> {
    let content = root.join("content");
    let mut edits: Vec<(PageId, Page)> = Vec::new();
    for path in changed {
        let name = path.file_name()?.to_string_lossy();
        let Ok(rel) = path.strip_prefix(&content) else { return None };
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if load::is_ignored(&name) {
            continue;
        }
        let exists = load::is_file(path);
        if !rel.ends_with(".md") {
            // A file that is gone and was never an asset (an editor's probe
            // file) changes nothing; every other file does.
            if exists.is_none() && !warm.asset_paths.contains(&rel) {
                continue;
            }
            return None;
        }
        if exists != Some(true) {
            return None;
        }
        let id = warm.site.pages.iter().position(|p| p.rel == rel)?;
        if edits.iter().any(|(e, _)| *e == id) {
            continue;
        }
        let file = load::read_page(path, rel).ok()?;
        let (new, draft) = crate::assemble::parse_page(&warm.site.config, file).ok()?;
        let old = &warm.site.pages[id];
        // The same front-matter text: the same values, and the kept
        // diagnostics that point into it (an order used twice, a missing
        // related page) stay where they are.
        if draft || new.text[..new.body_offset] != old.text[..old.body_offset] {
            return None;
        }
        if new.text != old.text {
            edits.push((id, new));
        }
    }
    Some(edits)
}

/// Puts the edits into the kept build and renders what they change.
fn apply(warm: &mut Built, cache: &mut Cache, edits: Vec<(PageId, Page)>, defer_search: bool) -> Report {
    let mut t = Timings::new();
    let Built {
        site, theme, tera, asset_paths, rendered, meta, graph, print, fixed, search_files, assets, env, ..
    } = warm;
    for (id, new) in &edits {
        let page = &mut site.pages[*id];
        page.text.clone_from(&new.text);
        page.body_offset = new.body_offset;
        page.yaml = new.yaml;
    }
    let strings = UiStrings::new(site, theme);
    let resolver = Resolver::new(site, asset_paths.iter().map(String::as_str));
    for (id, _) in &edits {
        let (r, m) = page_markdown(
            site,
            &strings,
            &resolver,
            *id,
            (&site.pages[*id].text, hash_of(&site.pages[*id].text)),
            true,
        );
        rendered[*id] = r;
        meta[*id] = m;
        for book in print.iter_mut() {
            let prefix = site.book(&book.lang).map_or("", |b| b.prefix.as_str());
            for section in book.sections.iter_mut().filter(|s| s.page == *id) {
                *section = print_section(site, &strings, &resolver, prefix, *id, &site.pages[*id].text);
            }
        }
    }
    t.lap("fast: markdown");
    let edges: Vec<&Edge> = meta.iter().flat_map(|m| &m.edges).collect();
    let headings: Vec<&[crate::markdown::Heading]> = rendered.iter().map(|r| r.headings.as_slice()).collect();
    let mut diags: Vec<Diagnostic> = fixed.clone();
    diags.extend(meta.iter().flat_map(|m| m.diagnostics.iter().cloned()));
    diags.extend(links::check_anchors(site, &edges, &headings));
    diags.extend(crate::workshop::check(site, rendered, &resolver));
    error::sort_diagnostics(&mut diags);
    graph.backlinks = links::backlinks(site, &edges);
    let stats = stats(site, rendered);
    t.lap("fast: links");
    cache.markdown_reused = site.pages.len() - edits.len();
    if diags.iter().any(Diagnostic::is_error) {
        return Report { diagnostics: diags, stats, ..Report::default() };
    }
    let input = RenderInput { site, pages: rendered, graph, theme, tera, print, facts: &[] };
    let sink = MemorySink::default();
    match render::render_pages(&input, &sink, Some((&*cache, *env))) {
        Ok(outputs) => cache.store(outputs),
        Err(d) => {
            diags.extend(d);
            error::sort_diagnostics(&mut diags);
            return Report { diagnostics: diags, stats, ..Report::default() };
        }
    }
    t.lap("fast: render");
    let pending = site.config.search.enabled && !edits.is_empty();
    if pending && !defer_search {
        *search_files = crate::search::index_files(site, rendered);
    }
    sink.offer(search_files);
    sink.offer(assets);
    let files = sink.into_files();
    let stats = crate::Stats { files: files.len(), ..stats };
    t.lap("fast: files");
    let search_pending = pending && defer_search;
    Report { files, diagnostics: diags, stats, search_pending, timings: t.into_laps(), ..Report::default() }
}

/// Brings the kept build's search files up to date after a fast rebuild
/// with deferred search; returns them (empty when there is nothing kept or
/// search is off), or `None` if `cancel` said to stop.
pub(crate) fn refresh_search(cache: &mut Cache, cancel: &(dyn Fn() -> bool + Sync)) -> Option<Vec<OutputFile>> {
    let Some(warm) = cache.warm.as_deref_mut() else { return Some(Vec::new()) };
    if !warm.site.config.search.enabled {
        return Some(Vec::new());
    }
    warm.search_files = crate::search::index_files_unless(&warm.site, &warm.rendered, cancel)?;
    Some(warm.search_files.clone())
}

/// Typesets the PDF groups a build deferred (see [`super::refresh_pdfs`]).
pub(crate) fn refresh_pdfs(cache: &mut Cache) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    if !cache.pdf_pending {
        return Ok(Vec::new());
    }
    let defer = std::mem::replace(&mut cache.defer_pdf, false);
    let sink = MemorySink::default();
    let result = match cache.warm.as_deref() {
        Some(warm) => {
            let Built { site, theme, tera, rendered, graph, print, env, .. } = warm;
            let input = RenderInput { site, pages: rendered, graph, theme, tera, print, facts: &[] };
            render::render_only(&input, &sink, Some((&*cache, *env)), &render::is_typeset)
        }
        None => Ok(Vec::new()),
    };
    cache.defer_pdf = defer;
    // No document is being typeset now: Typst's memo cache can shrink.
    crate::pdf::trim_cache();
    let outputs = result?;
    for o in outputs.into_iter().filter(|o| !o.reused) {
        cache.outputs.insert(o.key, (o.fingerprint, o.files));
    }
    cache.pdf_pending = false;
    Ok(sink.into_files())
}
