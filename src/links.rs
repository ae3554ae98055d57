//! Link policy: resolves relative links to pages and files, rewrites them to
//! relative URLs, checks anchors, and derives backlinks, previous/next and
//! related pages. Everything here is linear in the number of links.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::error::{Diagnostic, did_you_mean};
use crate::markdown::{Heading, LinkKind, LinkRef};
use crate::model::{Kind, PageId, Site};

mod wiki;

/// A resolved link from one page to another (or to itself, for `#anchor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The linking page.
    pub from: PageId,
    /// The linked page.
    pub to: PageId,
    /// The `#fragment`, if any.
    pub anchor: Option<String>,
    /// Byte offset of the link in the linking page's body.
    pub offset: usize,
}

/// Looks up link targets; built once per build, shared by all pages.
pub struct Resolver<'a> {
    site: &'a Site,
    by_rel: HashMap<&'a str, PageId>,
    assets: HashSet<&'a str>,
    /// Wikilink names, made on the first wikilink.
    wiki: std::sync::OnceLock<wiki::Index>,
}

/// What resolving one link produced.
#[derive(Debug, Default)]
pub struct Resolution {
    /// The rewritten destination, if it changes.
    pub href: Option<String>,
    /// The page it points to.
    pub edge: Option<Edge>,
    /// A problem with the link.
    pub diagnostic: Option<Diagnostic>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `site` and the content assets (paths relative to `content/`).
    pub fn new(site: &'a Site, assets: impl IntoIterator<Item = &'a str>) -> Self {
        let by_rel = site.pages.iter().enumerate().map(|(i, p)| (p.rel.as_str(), i)).collect();
        Resolver { site, by_rel, assets: assets.into_iter().collect(), wiki: std::sync::OnceLock::new() }
    }

    /// The page a wikilink or embed target (`Title`, `slug`, `stage/slug`,
    /// each with an optional `#heading`) names, with the heading's id; the
    /// error when it names none or several. `offset` is the link's in
    /// `from`'s body.
    pub fn wiki_target(&self, from: PageId, dest: &str, offset: usize) -> Result<(PageId, Option<String>), Diagnostic> {
        let (name, anchor) = match dest.split_once('#') {
            Some((n, a)) => (n.trim(), Some(wiki::anchor_id(a.trim()))),
            None => (dest.trim(), None),
        };
        if name.is_empty() {
            return Ok((from, anchor));
        }
        let index = self.wiki.get_or_init(|| wiki::Index::new(self.site));
        index.find(self.site, from, name, offset).map(|to| (to, anchor))
    }

    /// A wikilink: the target page's URL, an edge for backlinks and the
    /// anchor check, or the error.
    fn resolve_wiki(&self, from: PageId, link: &LinkRef, at: &str) -> Resolution {
        match self.wiki_target(from, &link.dest, link.offset) {
            Ok((to, anchor)) => {
                let frag = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
                let href = if to == from && anchor.is_some() {
                    frag
                } else {
                    format!("{}{frag}", page_url(self.site.config.portable, at, &self.site.pages[to].path))
                };
                let edge = Edge { from, to, anchor, offset: link.offset };
                Resolution { href: Some(href), edge: Some(edge), diagnostic: None }
            }
            Err(d) => Resolution { diagnostic: Some(d), ..Default::default() },
        }
    }

    /// Resolves `link` found in page `from`, for a page written at `from`'s
    /// own output path.
    pub fn resolve(&self, from: PageId, link: &LinkRef) -> Resolution {
        self.resolve_at(from, link, &self.site.pages[from].path)
    }

    /// Resolves `link` found in page `from`, for HTML written at output
    /// folder `at` (relative URLs are computed from there).
    pub fn resolve_at(&self, from: PageId, link: &LinkRef, at: &str) -> Resolution {
        let page = &self.site.pages[from];
        let error = |msg: String| Diagnostic::error(&page.source, &page.text, page.body_offset + link.offset, msg);
        let dest = link.dest.trim();
        if dest.is_empty() {
            return Resolution { diagnostic: Some(error("empty link destination".into())), ..Default::default() };
        }
        if let Some((message, hint)) = crate::markdown::template_tag_problem(dest) {
            return Resolution { diagnostic: Some(error(message).with_hint(hint)), ..Default::default() };
        }
        if link.kind == LinkKind::Wiki {
            return self.resolve_wiki(from, link, at);
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            let edge = Edge { from, to: from, anchor: Some(decode(anchor)), offset: link.offset };
            return Resolution { edge: Some(edge), ..Default::default() };
        }
        if is_external(dest) {
            return Resolution::default();
        }
        if let Some(abs) = dest.strip_prefix('/') {
            let href = format!("{}{abs}", root_prefix(at));
            let href = if self.site.config.portable { portable_href(&href) } else { href };
            return Resolution { href: Some(href), ..Default::default() };
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(decode(a))),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let base = page.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let Some(target) = normalise(base, &decode(path)) else {
            let d = error(format!("link `{dest}` points outside content/"))
                .with_hint("link to pages inside content/, or use a full URL for other sites");
            return Resolution { diagnostic: Some(d), ..Default::default() };
        };
        self.resolve_target(from, link, at, dest, &target, anchor, error)
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve_target(
        &self,
        from: PageId,
        link: &LinkRef,
        at: &str,
        dest: &str,
        target: &str,
        anchor: Option<String>,
        error: impl Fn(String) -> Diagnostic,
    ) -> Resolution {
        let page = &self.site.pages[from];
        if let Some(to) = self.find_page(target, &page.lang) {
            let to_page = &self.site.pages[to];
            let frag = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
            let href = format!("{}{frag}", page_url(self.site.config.portable, at, &to_page.path));
            let diagnostic =
                (to_page.lang != page.lang).then(|| self.cross_language(page.lang.as_str(), to, dest, error));
            let edge = Edge { from, to, anchor, offset: link.offset };
            return Resolution { href: Some(href), edge: Some(edge), diagnostic: diagnostic.flatten() };
        }
        if self.assets.contains(target) {
            let href = format!("{}{}", root_prefix(at), encode_path(target));
            return Resolution { href: Some(href), ..Default::default() };
        }
        if self.site.unparsed.contains(target) {
            return Resolution::default();
        }
        let d = if self.site.drafts.contains(target) {
            error(format!("link `{dest}` points to a draft, which is not part of this build"))
                .with_hint("publish the page (remove `draft: true`) or build with --drafts")
        } else if let Some(list) = listing_page(target) {
            let index = format!("{list}_index.md");
            let first = if self.by_rel.contains_key(index.as_str()) {
                format!("`{}`", relative_path(&page.rel, &index))
            } else {
                "its first page".to_string()
            };
            error(format!("link `{dest}` points to a later page of a listing, which is not a link target")).with_hint(
                format!("the articles on a listing's pages shift as articles are added; link the listing ({first}) or an article"),
            )
        } else {
            let hint =
                self.suggest(from, target).map(|best| format!("did you mean `{}`?", relative_path(&page.rel, best)));
            let d = error(format!("broken link: `{dest}` does not exist (looked for content/{target})"));
            match hint {
                Some(h) => d.with_hint(h),
                None => d,
            }
        };
        Resolution { diagnostic: Some(d), ..Default::default() }
    }

    /// The existing file whose name is closest to `target`'s: a page of the
    /// same language for `.md` links (never the linking page), else a file.
    fn suggest(&self, from: PageId, target: &str) -> Option<&'a str> {
        fn name(p: &str) -> &str {
            p.rsplit('/').next().unwrap_or(p)
        }
        let page = &self.site.pages[from];
        let candidates: Vec<&'a str> = if target.ends_with(".md") {
            let site: &'a Site = self.site;
            site.pages.iter().filter(|p| p.lang == page.lang && p.rel != page.rel).map(|p| p.rel.as_str()).collect()
        } else {
            self.assets.iter().copied().collect()
        };
        let best = did_you_mean(name(target), candidates.iter().map(|c| name(c)))?;
        let dir = target.rsplit_once('/').map_or("", |(d, _)| d);
        let mut matches: Vec<&'a str> = candidates.into_iter().filter(|c| name(c) == best).collect();
        matches.sort_by_key(|c| (c.rsplit_once('/').map_or("", |(d, _)| d) != dir, *c));
        matches.first().copied()
    }

    /// A page file, or a folder's `_index` in `lang`.
    fn find_page(&self, target: &str, lang: &str) -> Option<PageId> {
        if let Some(&id) = self.by_rel.get(target) {
            return Some(id);
        }
        let dir = target.trim_end_matches('/');
        let default = &self.site.config.default_language;
        let index = if dir.is_empty() { "_index".to_string() } else { format!("{dir}/_index") };
        let localised = if lang == default { format!("{index}.md") } else { format!("{index}.{lang}.md") };
        self.by_rel.get(localised.as_str()).copied()
    }

    fn cross_language(
        &self,
        lang: &str,
        to: PageId,
        dest: &str,
        error: impl Fn(String) -> Diagnostic,
    ) -> Option<Diagnostic> {
        let to_page = &self.site.pages[to];
        let mut d = error(format!("link `{dest}` leads from a page in `{lang}` to a page in `{}`", to_page.lang));
        d.severity = crate::error::Severity::Warning;
        let from_rel = self.site.pages.iter().find(|p| p.source == d.path).map_or("", |p| p.rel.as_str());
        let same = self.site.translations[to].iter().find(|&&t| self.site.pages[t].lang == lang);
        Some(match same {
            Some(&t) => d.with_hint(format!(
                "link the translation `{}` instead",
                relative_path(from_rel, &self.site.pages[t].rel)
            )),
            None => d.with_hint("translate the target page, or keep the link if it is meant to cross"),
        })
    }
}

pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Percent-decodes a link path (`%20` -> space); invalid sequences stay.
pub(crate) fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // `get`: the two bytes after `%` may end inside a character.
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Encodes characters that cannot stand in a URL path.
fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Joins `path` onto folder `base` (both relative to `content/`), resolving
/// `.` and `..`; `None` if the result leaves `content/`.
pub fn normalise(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = path.ends_with('/');
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// The listing folder (`01-stage/`) of `target` if it names a later page
/// of a paginated listing (`01-stage/page/2/`), which links cannot target.
fn listing_page(target: &str) -> Option<&str> {
    let t = target.trim_end_matches('/');
    let (rest, n) = t.rsplit_once('/')?;
    let list = rest.strip_suffix("page")?;
    let ok = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (list.is_empty() || list.ends_with('/'));
    ok.then_some(list)
}

/// `../` repeated once per folder of `path`: the way from a page to the root.
pub fn root_prefix(path: &str) -> String {
    let depth = path.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 { "./".to_string() } else { "../".repeat(depth) }
}

/// The URL from output folder `from` to the page in output folder `to`:
/// relative, and ending in `index.html` for a site built for use from disk
/// (`portable`), where a browser shows a folder as a file listing.
pub fn page_url(portable: bool, from: &str, to: &str) -> String {
    let url = relative_url(from, to);
    if !portable {
        url
    } else if url == "./" {
        "index.html".into()
    } else {
        url + "index.html"
    }
}

/// `href` with `index.html` after a path that ends in `/` (or is empty),
/// before any `?query` or `#fragment`: a folder link made portable.
pub fn portable_href(href: &str) -> String {
    let cut = href.find(['?', '#']).unwrap_or(href.len());
    let (path, rest) = href.split_at(cut);
    if path.is_empty() || path == "." {
        format!("index.html{rest}")
    } else if path.ends_with('/') {
        format!("{path}index.html{rest}")
    } else {
        href.to_string()
    }
}

/// HTML rendered for output folder `from` (links relative to it), moved to
/// output folder `to`: relative `href` and `src` values are rewritten to
/// lead to the same place (`#anchor`s to `from`'s page). For item text
/// shown on handouts.
pub fn rebase_html(html: &str, from: &str, to: &str, portable: bool) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some((start, end)) = next_url_attr(rest) {
        out.push_str(&rest[..start]);
        out.push_str(&rebase_url(&rest[start..end], from, to, portable));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The byte range of the next ` href="…"` or ` src="…"` value.
fn next_url_attr(html: &str) -> Option<(usize, usize)> {
    let at = ["href=\"", "src=\""]
        .iter()
        .filter_map(|a| {
            html.match_indices(a).find(|(i, _)| html[..*i].ends_with([' ', '\n', '\t'])).map(|(i, m)| i + m.len())
        })
        .min()?;
    let end = at + html[at..].find('"')?;
    Some((at, end))
}

fn rebase_url(url: &str, from: &str, to: &str, portable: bool) -> String {
    if is_external(url) || url.starts_with('/') || url.starts_with('?') {
        return url.to_string();
    }
    if url.starts_with('#') {
        return format!("{}{url}", page_url(portable, to, from));
    }
    let mut parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let mut segs = url.split('/').peekable();
    while let Some(seg) = segs.next() {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            "" if segs.peek().is_some() => {}
            s => parts.push(s),
        }
    }
    format!("{}{}", root_prefix(to).trim_start_matches("./"), parts.join("/"))
}

/// The relative URL from output folder `from` to output folder `to`.
pub fn relative_url(from: &str, to: &str) -> String {
    // Called for every link of every page: no lists of segments.
    fn segments(path: &str) -> impl Iterator<Item = &str> {
        path.split('/').filter(|s| !s.is_empty())
    }
    let common = segments(from).zip(segments(to)).take_while(|(a, b)| a == b).count();
    let up = segments(from).count() - common;
    let mut url = String::with_capacity(3 * up + to.len() + 1);
    for _ in 0..up {
        url.push_str("../");
    }
    for seg in segments(to).skip(common) {
        url.push_str(seg);
        url.push('/');
    }
    if url.is_empty() { "./".into() } else { url }
}

/// A relative path from content file `from` to content file `to`, as an
/// author would write it.
fn relative_path(from: &str, to: &str) -> String {
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let up = if dir.is_empty() { String::new() } else { "../".repeat(dir.split('/').count()) };
    if !dir.is_empty() && to.starts_with(&format!("{dir}/")) {
        return to[dir.len() + 1..].to_string();
    }
    format!("{up}{to}")
}

/// Checks every `#anchor` against the target's headings; returns errors.
pub fn check_anchors<E: Borrow<Edge>>(site: &Site, edges: &[E], headings: &[&[Heading]]) -> Vec<Diagnostic> {
    let ids = |page: PageId| headings[page].iter().map(|h| h.id.as_str());
    let mut out = Vec::new();
    for e in edges.iter().map(Borrow::borrow) {
        let Some(anchor) = &e.anchor else { continue };
        if anchor.is_empty() || ids(e.to).any(|id| id == anchor) {
            continue;
        }
        let (from, to) = (&site.pages[e.from], &site.pages[e.to]);
        let mut d = Diagnostic::error(
            &from.source,
            &from.text,
            from.body_offset + e.offset,
            format!("broken anchor: `{}` has no heading with id `#{anchor}`", to.rel),
        );
        if let Some(best) = did_you_mean(anchor, ids(e.to)) {
            d = d.with_hint(format!("did you mean `#{best}`?"));
        } else {
            let n = headings[e.to].len();
            d = d.with_hint(format!(
                "anchors are heading ids; `{}` has {n} heading{}",
                to.rel,
                if n == 1 { "" } else { "s" }
            ));
        }
        out.push(d);
    }
    out
}

/// The pages linking to each page (each source once, in series order).
pub fn backlinks<E: Borrow<Edge>>(site: &Site, edges: &[E]) -> Vec<Vec<PageId>> {
    let rank = series_rank(site);
    let mut back: Vec<Vec<PageId>> = vec![Vec::new(); site.pages.len()];
    for e in edges.iter().map(Borrow::borrow).filter(|e| e.from != e.to) {
        back[e.to].push(e.from);
    }
    for list in &mut back {
        list.sort_by_key(|&p| (rank[p], p));
        list.dedup();
    }
    back
}

/// Position of each page in its book's reading order (others last).
fn series_rank(site: &Site) -> Vec<usize> {
    let mut rank = vec![usize::MAX; site.pages.len()];
    for book in &site.books {
        for (i, &p) in book.series.iter().enumerate() {
            rank[p] = i;
        }
    }
    rank
}

/// Previous and next page of each page in its book's series.
pub fn neighbours(site: &Site) -> Vec<(Option<PageId>, Option<PageId>)> {
    let mut out = vec![(None, None); site.pages.len()];
    for book in &site.books {
        for (i, &p) in book.series.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| book.series[j]);
            out[p] = (prev, book.series.get(i + 1).copied());
        }
    }
    out
}

/// Related pages: front-matter `related` first (translated to the page's
/// language), then articles sharing tags, up to `limit`. Also returns errors
/// for `related` entries that do not exist.
pub fn related(site: &Site, limit: usize) -> (Vec<Vec<PageId>>, Vec<Diagnostic>) {
    let mut by_key_lang: HashMap<(&str, &str), PageId> = HashMap::new();
    let mut by_tag: HashMap<(&str, &str), Vec<PageId>> = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        by_key_lang.insert((p.key.as_str(), p.lang.as_str()), i);
        by_key_lang.entry((p.rel.as_str(), p.lang.as_str())).or_insert(i);
        if p.kind == Kind::Article {
            for t in p.meta.tags() {
                by_tag.entry((t.as_str(), p.lang.as_str())).or_default().push(i);
            }
        }
    }
    // Pages in parallel; a page's related list only reads the maps.
    let (lists, diags): (Vec<Vec<PageId>>, Vec<Vec<Diagnostic>>) = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut list: Vec<PageId> = Vec::new();
            let mut diags = Vec::new();
            for entry in p.meta.related() {
                let key = entry.trim_start_matches("./");
                match by_key_lang.get(&(key, p.lang.as_str())) {
                    Some(&t) if t != i && !list.contains(&t) => list.push(t),
                    Some(_) => {}
                    None if site.unparsed.contains(key) => {}
                    None => diags.push(missing_related(site, i, entry)),
                }
            }
            shared_tags(p, i, &by_tag, &mut list, limit);
            (list, diags)
        })
        .unzip();
    (lists, diags.into_iter().flatten().collect())
}

/// Candidates per tag on each side of the page (by page order): related
/// pages come from the page's neighbourhood, which keeps this linear.
const TAG_WINDOW: usize = 30;

fn shared_tags(
    p: &crate::model::Page,
    me: PageId,
    by_tag: &HashMap<(&str, &str), Vec<PageId>>,
    list: &mut Vec<PageId>,
    limit: usize,
) {
    if p.kind != Kind::Article || list.len() >= limit {
        return;
    }
    let mut candidates: Vec<PageId> = Vec::with_capacity(p.meta.tags().len() * 2 * TAG_WINDOW);
    for t in p.meta.tags() {
        if let Some(ids) = by_tag.get(&(t.as_str(), p.lang.as_str())) {
            let at = ids.partition_point(|&x| x < me);
            let window = &ids[at.saturating_sub(TAG_WINDOW)..(at + TAG_WINDOW + 1).min(ids.len())];
            candidates.extend(window.iter().copied().filter(|&x| x != me));
        }
    }
    candidates.sort_unstable();
    // (shared tags, distance in page order, id), best first.
    let mut ranked: Vec<(usize, usize, PageId)> = candidates
        .chunk_by(|a, b| a == b)
        .filter(|run| !list.contains(&run[0]))
        .map(|run| (run.len(), run[0].abs_diff(me), run[0]))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    list.extend(ranked.into_iter().map(|(_, _, id)| id).take(limit - list.len()));
}

fn missing_related(site: &Site, page: PageId, entry: &str) -> Diagnostic {
    let p = &site.pages[page];
    let at = crate::frontmatter::entry_offset(p.yaml(), p.yaml.0, "related", entry).unwrap_or(p.yaml.0);
    let key = entry.trim_start_matches("./");
    if site.drafts.contains(key) {
        return Diagnostic::error(
            &p.source,
            &p.text,
            at,
            format!("related page `{entry}` is a draft, which is not part of this build"),
        )
        .with_hint("publish the page (remove `draft: true`) or build with --drafts");
    }
    // Never suggest the page itself.
    let known =
        site.pages.iter().filter(|q| q.lang == site.config.default_language && q.key != p.key).map(|q| q.key.as_str());
    let d = Diagnostic::error(&p.source, &p.text, at, format!("related page `{entry}` does not exist"));
    match did_you_mean(entry, known) {
        Some(best) => d.with_hint(format!("did you mean `{best}`? (paths are relative to content/)")),
        None => d.with_hint("`related` takes paths relative to content/, e.g. `02-goals/goal-map.md`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_between_folders() {
        assert_eq!(relative_url("a/b/", "a/c/"), "../c/");
        assert_eq!(relative_url("a/b/", ""), "../../");
        assert_eq!(relative_url("", "a/"), "a/");
        assert_eq!(relative_url("a/", "a/"), "./");
        assert_eq!(relative_url("en/a/b/", "en/c/"), "../../c/");
    }

    #[test]
    fn normalises_paths_and_refuses_escapes() {
        assert_eq!(normalise("01-a", "../02-b/x.md").as_deref(), Some("02-b/x.md"));
        assert_eq!(normalise("01-a", "./x.md").as_deref(), Some("01-a/x.md"));
        assert_eq!(normalise("01-a", "../../x.md"), None);
        assert_eq!(normalise("", "01-a/").as_deref(), Some("01-a/"));
    }

    #[test]
    fn knows_later_pages_of_listings() {
        assert_eq!(listing_page("01-a/page/2/"), Some("01-a/"));
        assert_eq!(listing_page("01-a/page/12"), Some("01-a/"));
        assert_eq!(listing_page("page/2"), Some(""));
        assert_eq!(listing_page("01-a/homepage/2"), None);
        assert_eq!(listing_page("01-a/page/x"), None);
        assert_eq!(listing_page("01-a/page.md"), None);
    }

    #[test]
    fn detects_external_links() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("a.md"));
        assert!(!is_external("dir/a:b.md"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(decode("a%20b.md"), "a b.md");
        assert_eq!(decode("100%"), "100%");
        // Regression: a `%` before a multi-byte character panicked.
        assert_eq!(decode("c%aé.md"), "c%aé.md");
        assert_eq!(decode("%C3%A9%"), "é%");
    }

    #[test]
    fn rebased_html_links_lead_to_the_same_place() {
        let html = "a <a href=\"../../02-b/x/#k\">x</a> <img src=\"pic.png\"> <a href=\"#h\">h</a> <a href=\"https://e.org/\">e</a>";
        assert_eq!(
            rebase_html(html, "01-a/page/", "checklists/", false),
            "a <a href=\"../02-b/x/#k\">x</a> <img src=\"../01-a/page/pic.png\"> <a href=\"../01-a/page/#h\">h</a> <a href=\"https://e.org/\">e</a>"
        );
        assert_eq!(rebase_html("<a href=\"#h\">", "a/p/", "c/", true), "<a href=\"../a/p/index.html#h\">");
    }

    #[test]
    fn root_prefix_counts_folders() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("a/b/"), "../../");
    }
}
