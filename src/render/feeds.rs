//! Machine-readable outputs: `sitemap.xml` (all languages), an Atom feed per
//! language (`atom.xml`, `en/atom.xml`) and `robots.txt`.

use serde::Serialize;

use super::frame::Out;
use super::{LangCtx, OutputFile, RenderInput, summary};
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

/// URLs in one sitemap file: the protocol allows 50,000; a larger site's
/// `sitemap.xml` is an index of `sitemap1.xml`, `sitemap2.xml`, ...
const SITEMAP_URLS: usize = 50_000;

/// A sitemap index listing the sitemaps at `locs` (absolute URLs).
fn sitemap_index(locs: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for loc in locs {
        let loc = loc.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        xml.push_str(&format!("  <sitemap><loc>{loc}</loc></sitemap>\n"));
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// The Atom feed of one language: its articles, newest first.
pub(crate) fn render_feed(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else { return Ok(()) };
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
                url: site.config.permalink(&p.path),
                summary: summary(p, &input.pages[id]),
                updated: rfc3339(if date.is_empty() { &newest } else { date }),
                published: p.meta.date().map(rfc3339),
            }
        })
        .collect();
    let mut ctx = out.ctx();
    ctx.insert("site", &super::site_view(site, lc.lang));
    ctx.insert("lang", lc.lang);
    ctx.insert("t", &lc.strings);
    ctx.insert("feed_url", &site.config.permalink(&format!("{}atom.xml", book.prefix)));
    ctx.insert("home_url", &site.config.permalink(&book.prefix));
    ctx.insert("updated", &rfc3339(&newest));
    ctx.insert("entries", &entries);
    out.template(format!("{}atom.xml", book.prefix), "atom.xml", ctx, 64 * 1024).map_err(|d| vec![d])
}

/// `sitemap.xml` with every content page and its translations, and
/// `robots.txt` pointing to it.
pub(crate) fn render_sitemap(input: &RenderInput, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let base = &site.config.base_url;
    let mut urls: Vec<UrlEntry> = Vec::new();
    for id in site
        .books
        .iter()
        .flat_map(|b| b.home.into_iter().chain(b.series.iter().copied()).chain(b.pages.iter().copied()))
    {
        let p = &site.pages[id];
        let mut alternates: Vec<(String, String)> = std::iter::once(id)
            .chain(site.translations[id].iter().copied())
            .map(|t| (site.pages[t].lang.clone(), site.config.permalink(&site.pages[t].path)))
            .collect();
        alternates.sort();
        if alternates.len() == 1 {
            alternates.clear();
        }
        let default = alternates.iter().find(|(l, _)| *l == site.config.default_language).map(|(_, u)| u.clone());
        alternates.extend(default.map(|u| ("x-default".to_string(), u)));
        urls.push(UrlEntry {
            loc: site.config.permalink(&p.path),
            lastmod: p.last_updated.clone().or_else(|| p.meta.date().map(str::to_string)),
            alternates,
        });
        // The later pages of a stage listing.
        for n in 2..=super::stage::listing_pages(input, id) {
            let loc = site.config.permalink(&super::paginate::page_path(&p.path, n));
            urls.push(UrlEntry { loc, lastmod: None, alternates: Vec::new() });
        }
    }
    let parts = super::paginate::chunks(urls.len(), SITEMAP_URLS);
    let names: Vec<String> = if parts.len() < 2 {
        vec!["sitemap.xml".to_string()]
    } else {
        (1..=parts.len()).map(|n| format!("sitemap{n}.xml")).collect()
    };
    for (range, name) in parts.into_iter().zip(&names) {
        let mut ctx = out.ctx();
        ctx.insert("urls", &urls[range.clone()]);
        let size = range.len() * 256 + 1024;
        out.template(name.clone(), "sitemap.xml", ctx, size).map_err(|d| vec![d])?;
    }
    if names.len() > 1 {
        let locs: Vec<String> = names.iter().map(|n| site.config.permalink(n)).collect();
        out.file(OutputFile::text("sitemap.xml", sitemap_index(&locs)));
    }
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n");
    out.file(OutputFile::text("robots.txt", robots));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_index_lists_the_parts() {
        let index = sitemap_index(&["https://x.org/sitemap1.xml".into(), "https://x.org/a&b/sitemap2.xml".into()]);
        assert_eq!(
            index,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <sitemap><loc>https://x.org/sitemap1.xml</loc></sitemap>\n  <sitemap><loc>https://x.org/a&amp;b/sitemap2.xml</loc></sitemap>\n</sitemapindex>\n"
        );
    }
}
