//! What `lotse serve` keeps between builds so that an edit re-renders only
//! what it changes: Markdown results by source text, and rendered pages and
//! generated outputs by a fingerprint of everything they show.
//!
//! Fingerprints are hashes of the *inputs* of a page (its text, the titles
//! and summaries of the pages it lists, the theme), never of its HTML, so
//! they cost a fraction of rendering.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::Diagnostic;
use crate::links::Edge;
use crate::markdown::Rendered;
use crate::model::{Kind, PageId, Site};
use crate::render::{Graph, OutputFile, summary};

/// Markdown output of one page, valid while its text and the link
/// environment (every page's path) stay the same.
#[derive(Debug, Clone)]
pub(crate) struct CachedMarkdown {
    pub(crate) text: u64,
    pub(crate) rendered: Rendered,
    pub(crate) edges: Vec<Edge>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Memory kept between builds.
#[derive(Debug, Default)]
pub struct Cache {
    pub(crate) env: u64,
    pub(crate) markdown: HashMap<String, CachedMarkdown>,
    pub(crate) outputs: HashMap<String, (u64, Vec<OutputFile>)>,
    /// Pages whose Markdown was reused / rendered in the last build.
    pub markdown_reused: usize,
    /// Outputs (pages and generated groups) reused / rendered in the last build.
    pub outputs_reused: usize,
    /// Outputs rendered in the last build.
    pub outputs_rendered: usize,
}

/// Hashes anything hashable.
pub(crate) fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The link environment: which pages exist where, which files can be
/// linked, and what Markdown rendering depends on besides the text.
pub(crate) fn environment(site: &Site, assets: &[&str], extra: u64) -> u64 {
    let mut h = DefaultHasher::new();
    for p in &site.pages {
        (&p.rel, &p.path, &p.lang, p.kind as u8, &p.key).hash(&mut h);
    }
    assets.hash(&mut h);
    site.drafts.len().hash(&mut h);
    extra.hash(&mut h);
    h.finish()
}

/// Fingerprints of everything the renderer produces.
pub(crate) struct Fingerprints {
    /// One per content page.
    pub(crate) pages: Vec<u64>,
    /// Per language: what its generated pages (handouts, tag pages, print
    /// version, feed) show.
    pub(crate) langs: HashMap<String, u64>,
    /// The sitemap and 404 page.
    pub(crate) site: u64,
}

/// Computes all fingerprints; `global` covers configuration and theme.
pub(crate) fn fingerprints(
    site: &Site,
    rendered: &[Rendered],
    texts: &[u64],
    graph: &Graph,
    global: u64,
) -> Fingerprints {
    // What a page looks like when another page lists it.
    let records: Vec<u64> = site
        .pages
        .iter()
        .zip(rendered)
        .map(|(p, r)| hash_of((&p.meta.title, summary(p, r), &p.path, r.words / 200, r.tasks.len(), &p.last_updated)))
        .collect();
    let mut langs = HashMap::new();
    let mut stage_maps: HashMap<(String, Option<usize>), u64> = HashMap::new();
    for book in &site.books {
        let titles = hash_of(book.stages.iter().map(|bs| records[bs.page]).collect::<Vec<_>>());
        for bs in &book.stages {
            let articles: Vec<u64> = bs.articles.iter().map(|&a| records[a]).collect();
            stage_maps.insert((book.lang.clone(), Some(bs.stage)), hash_of((titles, &articles)));
        }
        stage_maps.insert((book.lang.clone(), None), titles);
        let mut h = DefaultHasher::new();
        global.hash(&mut h);
        for &id in book.home.iter().chain(&book.series).chain(&book.pages) {
            let r = &rendered[id];
            let p = &site.pages[id];
            (records[id], &p.meta.tags, &p.meta.roles, &p.meta.date, r.tasks.len()).hash(&mut h);
            for t in &r.tasks {
                (&t.id, &t.html, t.depth, t.checked, t.heading).hash(&mut h);
            }
            texts[id].hash(&mut h);
        }
        langs.insert(book.lang.clone(), h.finish());
    }
    let pages = (0..site.pages.len())
        .map(|id| {
            let p = &site.pages[id];
            let mut h = DefaultHasher::new();
            global.hash(&mut h);
            (texts[id], &p.path, &p.last_updated).hash(&mut h);
            stage_maps.get(&(p.lang.clone(), p.stage)).hash(&mut h);
            let (prev, next) = graph.neighbours[id];
            (prev.map(|i| records[i]), next.map(|i| records[i])).hash(&mut h);
            graph.backlinks[id].iter().map(|&i| records[i]).for_each(|x| x.hash(&mut h));
            0u8.hash(&mut h);
            graph.related[id].iter().map(|&i| records[i]).for_each(|x| x.hash(&mut h));
            site.translations[id].iter().for_each(|&t| (&site.pages[t].lang, &site.pages[t].path).hash(&mut h));
            if p.kind == Kind::Home {
                langs.get(&p.lang).hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let site_hash = hash_of((global, &records, site.translations.iter().map(Vec::len).sum::<usize>()));
    Fingerprints { pages, langs, site: site_hash }
}

impl Cache {
    /// Forgets everything (after a template or configuration change the
    /// fingerprints change anyway; this also frees the memory).
    pub fn clear(&mut self) {
        *self = Cache::default();
    }

    /// Keeps only the outputs listed in `keys` (pages that disappeared go).
    pub(crate) fn retain_outputs(&mut self, keys: &std::collections::HashSet<String>) {
        self.outputs.retain(|k, _| keys.contains(k));
    }
}

/// The cache key of a content page's output.
pub(crate) fn page_key(site: &Site, id: PageId) -> String {
    format!("page:{}", site.pages[id].path)
}
