//! Fingerprints of everything the renderer produces, for reusing outputs
//! between preview builds: hashes of the *inputs* of each output (its page
//! text, the titles and summaries of the pages it lists, the theme), never
//! of its HTML, so they cost a fraction of rendering.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::{Graph, NAV_ARTICLE_LIMIT, summary};
use crate::hash::hash_of;
use crate::markdown::Rendered;
use crate::model::{Kind, PageId, Site};

/// Fingerprints of everything the renderer produces.
pub struct Fingerprints {
    /// One per content page.
    pub pages: Vec<u64>,
    /// Per language: what its generated pages list (handouts, tag pages,
    /// feed and the home page show titles, summaries, tasks, tags), and
    /// that plus every page's text (the print version).
    pub langs: HashMap<String, (u64, u64)>,
    /// The sitemap and 404 page.
    pub site: u64,
}

/// Computes all fingerprints; `global` covers configuration and theme.
/// Runs in parallel: `lotse serve` computes them on every edit.
pub fn fingerprints(site: &Site, rendered: &[Rendered], texts: &[u64], graph: &Graph, global: u64) -> Fingerprints {
    let global = hash_of((global, outline(site, rendered)));
    // What a page looks like when another page lists it.
    let records: Vec<u64> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let (p, r) = (&site.pages[id], &rendered[id]);
            let minutes = super::reading_minutes(r.words);
            hash_of((p.meta.title(), summary(p, r), &p.path, minutes, r.tasks.len(), &p.last_updated))
        })
        .collect();
    // What the generated pages of its language show of a page.
    let listed: Vec<u64> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let (p, r) = (&site.pages[id], &rendered[id]);
            let mut h = FxHasher::default();
            (records[id], p.meta.tags(), p.meta.roles(), &p.meta.date(), &p.meta.outcome(), p.meta.checklist())
                .hash(&mut h);
            r.tasks.len().hash(&mut h);
            for t in &r.tasks {
                (&t.id, &t.html, t.depth, t.checked, t.heading).hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let mut langs = HashMap::new();
    // What the stage map of a page in each stage shows (its articles only
    // up to the nav limit), and what a stage page lists (all its articles).
    let mut stage_maps: HashMap<(&str, Option<usize>), u64> = HashMap::new();
    let mut stage_lists: HashMap<(&str, usize), u64> = HashMap::new();
    for book in &site.books {
        let titles = hash_of(book.stages.iter().map(|bs| records[bs.page]).collect::<Vec<_>>());
        for bs in &book.stages {
            let articles: Vec<u64> = bs.articles.iter().map(|&a| records[a]).collect();
            let shown = if articles.len() <= NAV_ARTICLE_LIMIT { articles.as_slice() } else { &[] };
            stage_maps.insert((&book.lang, Some(bs.stage)), hash_of((titles, articles.len(), shown)));
            stage_lists.insert((&book.lang, bs.stage), hash_of(&articles));
        }
        stage_maps.insert((&book.lang, None), titles);
        let ids: Vec<PageId> = book.home.iter().chain(&book.series).chain(&book.pages).copied().collect();
        let listing = hash_of((global, ids.iter().map(|&id| listed[id]).collect::<Vec<_>>()));
        let text = hash_of((listing, ids.iter().map(|&id| texts[id]).collect::<Vec<_>>()));
        langs.insert(book.lang.clone(), (listing, text));
    }
    let pages = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let p = &site.pages[id];
            let mut h = FxHasher::default();
            global.hash(&mut h);
            (texts[id], &p.path, &p.last_updated).hash(&mut h);
            stage_maps.get(&(p.lang.as_str(), p.stage)).hash(&mut h);
            if p.kind == Kind::Stage {
                p.stage.and_then(|s| stage_lists.get(&(p.lang.as_str(), s))).hash(&mut h);
            }
            let (prev, next) = graph.neighbours[id];
            (prev.map(|i| records[i]), next.map(|i| records[i])).hash(&mut h);
            graph.backlinks[id].iter().map(|&i| records[i]).for_each(|x| x.hash(&mut h));
            0u8.hash(&mut h);
            graph.related[id].iter().map(|&i| records[i]).for_each(|x| x.hash(&mut h));
            site.translations[id].iter().for_each(|&t| (&site.pages[t].lang, &site.pages[t].path).hash(&mut h));
            if p.kind == Kind::Home {
                langs.get(&p.lang).map(|l| l.0).hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let site_hash = hash_of((global, &records, site.translations.iter().map(Vec::len).sum::<usize>()));
    Fingerprints { pages, langs, site: site_hash }
}

/// What any page may show of the whole site: which stages of each
/// language have checklist items (handout links), and which tags and roles
/// each language has pages for (language switches of tag pages), which have
/// a print version (language switch of the print page). Counts
/// are left out, so adding an item re-renders only what lists it.
fn outline(site: &Site, rendered: &[Rendered]) -> u64 {
    let mut h = FxHasher::default();
    for book in &site.books {
        let facts = super::BookFacts::of(site, rendered, book);
        facts.stage_items.iter().map(|&n| n > 0).collect::<Vec<_>>().hash(&mut h);
        facts.terms.hash(&mut h);
        super::print::wanted(site, book).hash(&mut h);
    }
    h.finish()
}
