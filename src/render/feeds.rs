//! Machine-readable outputs: `sitemap.xml` (all languages), an Atom feed per
//! language (`atom.xml`, `en/atom.xml`) and `robots.txt`.

use serde::Serialize;

use super::{LangCtx, OutputFile, RenderInput, render_one, summary};
use crate::error::Diagnostic;
use crate::model::Kind;

/// Entries in a feed.
const FEED_ENTRIES: usize = 50;

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    url: String,
    summary: &'a str,
    updated: String,
    published: Option<String>,
}

#[derive(Serialize)]
struct UrlEntry {
    loc: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
}

fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// The Atom feed of one language: its articles, newest first.
pub(crate) fn render_feed(input: &RenderInput, lc: &LangCtx) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else { return Ok(Vec::new()) };
    let mut articles: Vec<(String, usize)> = book
        .series
        .iter()
        .enumerate()
        .filter(|(_, id)| site.pages[**id].kind == Kind::Article)
        .map(|(rank, &id)| {
            let p = &site.pages[id];
            (p.last_updated.clone().or_else(|| p.meta.date().map(str::to_string)).unwrap_or_default(), rank)
        })
        .collect();
    articles.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let newest = articles.first().map(|a| a.0.clone()).filter(|d| !d.is_empty()).unwrap_or_else(|| "1970-01-01".into());
    let entries: Vec<Entry> = articles
        .iter()
        .take(FEED_ENTRIES)
        .map(|(date, rank)| {
            let id = book.series[*rank];
            let p = &site.pages[id];
            Entry {
                title: p.meta.title(),
                url: format!("{}{}", site.config.base_url, p.path),
                summary: summary(p, &input.pages[id]),
                updated: rfc3339(if date.is_empty() { &newest } else { date }),
                published: p.meta.date().map(rfc3339),
            }
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("site", &super::site_view(site, lc.lang));
    ctx.insert("lang", lc.lang);
    ctx.insert("t", &lc.strings);
    ctx.insert("feed_url", &format!("{}{}atom.xml", site.config.base_url, book.prefix));
    ctx.insert("home_url", &format!("{}{}", site.config.base_url, book.prefix));
    ctx.insert("updated", &rfc3339(&newest));
    ctx.insert("entries", &entries);
    render_one(input, "atom.xml", &ctx)
        .map(|xml| vec![OutputFile::text(format!("{}atom.xml", book.prefix), xml)])
        .map_err(|d| vec![d])
}

/// `sitemap.xml` with every content page and its translations, and
/// `robots.txt` pointing to it.
pub(crate) fn render_sitemap(input: &RenderInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let site = input.site;
    let base = &site.config.base_url;
    let urls: Vec<UrlEntry> = site
        .books
        .iter()
        .flat_map(|b| b.home.into_iter().chain(b.series.iter().copied()).chain(b.pages.iter().copied()))
        .map(|id| {
            let p = &site.pages[id];
            let mut alternates: Vec<(String, String)> = std::iter::once(id)
                .chain(site.translations[id].iter().copied())
                .map(|t| (site.pages[t].lang.clone(), format!("{base}{}", site.pages[t].path)))
                .collect();
            alternates.sort();
            if alternates.len() == 1 {
                alternates.clear();
            }
            let default = alternates.iter().find(|(l, _)| *l == site.config.default_language).map(|(_, u)| u.clone());
            alternates.extend(default.map(|u| ("x-default".to_string(), u)));
            UrlEntry {
                loc: format!("{base}{}", p.path),
                lastmod: p.last_updated.clone().or_else(|| p.meta.date().map(str::to_string)),
                alternates,
            }
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("urls", &urls);
    let sitemap = render_one(input, "sitemap.xml", &ctx).map_err(|d| vec![d])?;
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n");
    Ok(vec![OutputFile::text("sitemap.xml", sitemap), OutputFile::text("robots.txt", robots)])
}
