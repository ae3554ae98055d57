//! Embeds (`![[page#heading]]`): the named section of another page,
//! rendered with its links re-based to the embedding page's URL, inside a
//! box that links to where it comes from. The embedding page gets an edge
//! to the embedded one (so it counts among its backlinks, and the heading
//! is checked like any anchor). Embeds inside embedded sections are
//! expanded too; a page that comes back to itself is a cycle, an error at
//! the outermost embed.

use crate::error::Diagnostic;
use crate::links::{Edge, Resolver, page_url};
use crate::markdown::{self, LinkKind, LinkRef, escape, section};
use crate::model::{PageId, Site};

use super::markdown::UiStrings;

/// Embeds expanded for one page at most (nested ones included): a page
/// that embeds a page that embeds ... stays bounded.
const MAX_EMBEDS: usize = 200;

/// What one embed produced.
#[derive(Debug, Default)]
pub(crate) struct Expansion {
    /// The HTML to put in the embed's place.
    pub(crate) html: Option<String>,
    /// From the embedding page to the embedded one.
    pub(crate) edge: Option<Edge>,
    /// A problem (unknown or ambiguous target, a cycle).
    pub(crate) diagnostic: Option<Diagnostic>,
}

/// Expands `link` (an embed in page `from`) for HTML written at output folder `at`.
pub(crate) fn expand(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    from: PageId,
    link: &LinkRef,
    at: &str,
) -> Expansion {
    let (to, anchor) = match resolver.wiki_target(from, &link.dest, link.offset) {
        Ok(t) => t,
        Err(d) => return Expansion { diagnostic: Some(d), ..Expansion::default() },
    };
    let edge = Some(Edge { from, to, anchor: anchor.clone(), offset: link.offset });
    let mut ctx = Nested { site, strings, resolver, at, stack: vec![from], budget: MAX_EMBEDS };
    match ctx.section(to, anchor.as_deref().unwrap_or("")) {
        Ok(html) => Expansion { html: Some(ctx.frame(to, anchor.as_deref(), &html)), edge, diagnostic: None },
        Err(cycle) => {
            let page = &site.pages[from];
            let path: Vec<&str> = cycle.iter().map(|&p| site.pages[p].rel.as_str()).collect();
            let d = Diagnostic::error(
                &page.source,
                &page.text,
                page.body_offset + link.offset,
                format!("embed cycle: {}", path.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(" → ")),
            )
            .with_hint("an embedded section may not embed, directly or through others, a page that embeds it");
            Expansion { html: None, edge, diagnostic: Some(d) }
        }
    }
}

/// The state of one page's embeds, nested ones included.
struct Nested<'a> {
    site: &'a Site,
    strings: &'a UiStrings,
    resolver: &'a Resolver<'a>,
    at: &'a str,
    /// The embedding pages, outermost first.
    stack: Vec<PageId>,
    budget: usize,
}

impl Nested<'_> {
    /// The rendered section `anchor` of page `id` (empty if the anchor is
    /// unknown: the anchor check reports it), or the cycle found in it.
    fn section(&mut self, id: PageId, anchor: &str) -> Result<String, Vec<PageId>> {
        if self.stack.contains(&id) {
            let mut cycle = self.stack.clone();
            cycle.push(id);
            return Err(cycle);
        }
        let page = &self.site.pages[id];
        let Some(range) = section(page.body(), anchor) else { return Ok(String::new()) };
        self.stack.push(id);
        let prefix = format!("embed-{}--", crate::markdown::slugify(page.key.trim_end_matches(".md")));
        let worksheets = super::markdown::worksheets_url(self.site, id, self.at);
        let opts = self.strings.options(&page.lang, &page.key, &prefix, worksheets.as_deref());
        let mut cycle = None;
        let body = &page.body()[range.clone()];
        let html = markdown::render(body, &opts, &mut |link| {
            if link.kind == LinkKind::Embed {
                return self.nested(id, link, range.start, &mut cycle);
            }
            if link.dest.starts_with('#') {
                let url = page_url(self.site.config.portable, self.at, &page.path);
                return Some(format!("{url}{}", link.dest));
            }
            let moved = LinkRef { offset: link.offset + range.start, ..link.clone() };
            self.resolver.resolve_at(id, &moved, self.at).href
        })
        .html;
        self.stack.pop();
        cycle.map_or(Ok(html), Err)
    }

    /// An embed inside the section of page `id` that starts at `start`.
    fn nested(&mut self, id: PageId, link: &LinkRef, start: usize, cycle: &mut Option<Vec<PageId>>) -> Option<String> {
        if cycle.is_some() || self.budget == 0 {
            return None;
        }
        self.budget -= 1;
        let (to, anchor) = self.resolver.wiki_target(id, &link.dest, link.offset + start).ok()?;
        match self.section(to, anchor.as_deref().unwrap_or("")) {
            Ok(html) => Some(self.frame(to, anchor.as_deref(), &html)),
            Err(c) => {
                *cycle = Some(c);
                None
            }
        }
    }

    /// The box around an embedded section, with a link to its source.
    fn frame(&self, id: PageId, anchor: Option<&str>, html: &str) -> String {
        let page = &self.site.pages[id];
        let frag = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        let url = page_url(self.site.config.portable, self.at, &page.path);
        let from = self.strings.get(&page.lang, "embedded_from").unwrap_or("From");
        format!(
            "<div class=\"embed\">\n{html}<p class=\"embed-source\">{}: <a href=\"{}{}\">{}</a></p>\n</div>\n",
            escape(from),
            escape(&url),
            escape(&frag),
            escape(page.meta.title())
        )
    }
}
