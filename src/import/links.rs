//! Links of the source site rewritten for the new one: every relative,
//! content-root (`@/x.md`) or absolute (`/docs/x/`) link and every wikilink
//! to an imported file becomes a relative `.md` link (or Lotse wikilink)
//! to where that file now is; links to static files stay absolute. A link
//! to nothing imported becomes visible text with a marker, and is reported.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use super::edits::Edits;
use super::plan::{Plan, Role, dir, is_markdown, stem};
use super::report::{ImportReport, Topic};

/// Where each source file went.
#[derive(Debug, Default)]
pub(crate) struct Targets {
    /// Source path -> path in the new site (`content/…` or `static/…`).
    by_src: HashMap<String, String>,
    /// Lower-case source path -> source path.
    lower: HashMap<String, String>,
    /// URL path without slashes at the ends -> source path.
    by_url: HashMap<String, String>,
    /// Lower-case file name (and stem of Markdown files) -> source paths.
    by_name: HashMap<String, Vec<String>>,
    content_root: String,
}

impl Targets {
    /// The targets of a plan.
    pub fn new(plan: &Plan) -> Targets {
        let mut t = Targets { content_root: plan.content_root.clone(), ..Targets::default() };
        let docs = plan.docs.iter().filter_map(|d| Some((d.src.clone()?, format!("content/{}", d.dest))));
        for (src, dest) in docs.chain(plan.assets.iter().cloned()) {
            let name = src.rsplit('/').next().unwrap_or(&src).to_lowercase();
            if is_markdown(&src) {
                t.by_name.entry(stem(&src).to_lowercase()).or_default().push(src.clone());
            }
            t.by_name.entry(name).or_default().push(src.clone());
            t.lower.insert(src.to_lowercase(), src.clone());
            t.by_src.insert(src, dest);
        }
        for (url, src) in &plan.urls {
            t.by_url.insert(url.trim_matches('/').to_string(), src.clone());
        }
        t
    }

    /// The new path of source file `src`.
    pub fn dest_of(&self, src: &str) -> Option<&str> {
        self.by_src.get(src).map(String::as_str)
    }

    /// The source file a link in `from` names, trying (as generators do)
    /// the path relative to the page, to the content folder, to the site
    /// root, the URL of a page, and a unique file name.
    pub fn resolve(&self, from: &str, path: &str) -> Option<&str> {
        let path = path.trim();
        let mut tries: Vec<String> = Vec::new();
        if let Some(rest) = path.strip_prefix("@/") {
            tries.push(join(&self.content_root, rest));
        } else if let Some(rest) = path.strip_prefix('/') {
            if let Some(src) = self.by_url.get(rest.trim_end_matches('/').trim_end_matches("index.html")) {
                return Some(src);
            }
            tries.push(rest.to_string());
            tries.push(join(&self.content_root, rest));
        } else {
            tries.push(join(dir(from), path));
            tries.push(join(&self.content_root, path));
        }
        for t in &tries {
            if let Some(src) = self.file(t) {
                return Some(src);
            }
        }
        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
        let name = name.strip_suffix(".html").unwrap_or(name).to_lowercase();
        match self.by_name.get(&name).map(Vec::as_slice) {
            Some([one]) => Some(one),
            _ => None,
        }
    }

    /// A source file at `path` or at `path` + `.md`, `/index.md`, …
    fn file(&self, path: &str) -> Option<&str> {
        let p = path.trim_end_matches('/');
        let base = p.strip_suffix(".html").unwrap_or(p);
        let forms = [
            p.to_string(),
            format!("{base}.md"),
            format!("{base}.markdown"),
            format!("{p}/index.md"),
            format!("{p}/_index.md"),
            format!("{p}/README.md"),
            format!("{p}/index.markdown"),
            format!("{}README.md", base.strip_suffix("index").unwrap_or("-")),
        ];
        forms.iter().find_map(|f| {
            let src = self.lower.get(&f.to_lowercase())?;
            self.by_src.contains_key(src).then_some(src.as_str())
        })
    }
}

/// `a/b` + `../c` -> `a/c`; `None`-free: leading `..` beyond the root are dropped.
pub(crate) fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The relative link from page `from` (under `content/`) to `to` (a path
/// in the new site): `../02-goals/map.md`; static files as `/file`.
pub(crate) fn href(from: &str, to: &str) -> String {
    let href = match to.strip_prefix("content/") {
        Some(to) => relative(dir(from), to),
        None => format!("/{}", to.strip_prefix("static/").unwrap_or(to)),
    };
    href.replace(' ', "%20")
}

fn relative(from_dir: &str, to: &str) -> String {
    let a: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = to.split('/').collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out: Vec<&str> = vec![".."; a.len() - common];
    out.extend(&b[common..]);
    out.join("/")
}

/// A page's position for the rewrite.
pub(crate) struct LinkCx<'a> {
    pub src: &'a str,
    pub dest: &'a str,
    pub targets: &'a Targets,
    /// Obsidian: `[[wikilinks]]` and `![[embeds]]` are links.
    pub wiki: bool,
    /// 1-based source line of a byte offset of the body.
    pub line: &'a dyn Fn(usize) -> usize,
    /// Destinations (`content/…`) of stage pages, for wikilink targets.
    pub roles: &'a HashMap<String, Role>,
}

/// Rewrites the links of `body`; the new body and its edits.
pub(crate) fn rewrite(body: &str, cx: &LinkCx, report: &mut ImportReport) -> (String, Edits) {
    let mut edits = Edits::default();
    let mut opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    if cx.wiki {
        opts |= Options::ENABLE_WIKILINKS;
    }
    let mut parser = Parser::new_ext(body, opts).into_offset_iter();
    let events: Vec<(Event, Range<usize>)> = parser.by_ref().collect();
    for (event, range) in &events {
        match event {
            Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. }, .. }) => {
                wikilink(body, range.clone(), false, cx, &mut edits, report)
            }
            Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, .. }) => {
                wikilink(body, range.clone(), true, cx, &mut edits, report)
            }
            Event::Start(Tag::Link { link_type: LinkType::Inline, .. })
            | Event::Start(Tag::Image { link_type: LinkType::Inline, .. }) => {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                inline(body, range.clone(), image, cx, &mut edits, report);
            }
            Event::Html(_) | Event::InlineHtml(_) => html(body, range.clone(), cx, &mut edits, report),
            _ => {}
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        let span = &body[def.span.clone()];
        if let Some(at) = span.find("]:") {
            let start = def.span.start + at + 2;
            let (s, e) = dest_span(body, start, false);
            if let Some(new) = new_dest(&body[s..e], cx, s, report, true) {
                edits.replace(s, e, new);
            }
        }
    }
    let out = edits.apply(body);
    (out, edits)
}

/// The byte range of a link destination starting at or after `from`
/// (spaces skipped; `<…>` kept whole; in `(…)`, balanced parentheses).
fn dest_span(body: &str, from: usize, in_parens: bool) -> (usize, usize) {
    let rest = &body[from..];
    let skip = rest.len() - rest.trim_start().len();
    let s = from + skip;
    if body[s..].starts_with('<') {
        let e = body[s..].find('>').map_or(body.len(), |i| s + i + 1);
        return (s, e);
    }
    let mut depth = 0;
    for (i, c) in body[s..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 && in_parens => return (s, s + i),
            ')' => depth -= 1,
            c if c.is_whitespace() => return (s, s + i),
            _ => {}
        }
    }
    (s, body.len())
}

fn inline(body: &str, range: Range<usize>, image: bool, cx: &LinkCx, edits: &mut Edits, r: &mut ImportReport) {
    let slice = &body[range.clone()];
    let Some(at) = slice.rfind("](") else { return };
    let (s, e) = dest_span(body, range.start + at + 2, true);
    let raw = &body[s..e];
    match classify(raw) {
        Kind::Skip => {}
        Kind::Local => {
            let dest = raw.trim_start_matches('<').trim_end_matches('>');
            if let Some(new) = new_dest(dest, cx, s, r, false) {
                edits.replace(s, e, new);
            } else if !dest.starts_with('/') {
                let text = &slice[usize::from(image) + 1..at];
                let shown = if image { format!("image {dest}") } else { format!("link to {dest}") };
                let marker = format!("{}{}", if image { "" } else { text }, code(&format!("not imported: {shown}")));
                edits.replace(range.start, range.end, marker);
            }
        }
    }
}

enum Kind {
    Skip,
    Local,
}

fn classify(raw: &str) -> Kind {
    let d = raw.trim().trim_start_matches('<');
    let scheme = d.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) && s != "@"
    });
    if d.is_empty() || d.starts_with('#') || d.starts_with("//") || scheme || d.starts_with('?') {
        Kind::Skip
    } else {
        Kind::Local
    }
}

/// The new destination of a local link, or `None` if it is unresolved
/// (reported; an absolute one is left as it is).
fn new_dest(dest: &str, cx: &LinkCx, at: usize, r: &mut ImportReport, def: bool) -> Option<String> {
    if matches!(classify(dest), Kind::Skip) {
        return None;
    }
    let (path, anchor) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let anchor = if anchor.starts_with('?') { anchor.find('#').map_or("", |i| &anchor[i..]) } else { anchor };
    let decoded = crate::links::decode(path);
    match cx.targets.resolve(cx.src, &decoded).and_then(|src| cx.targets.dest_of(src)) {
        Some(to) => Some(format!("{}{anchor}", href(cx.dest, to))),
        None => {
            let what = if dest.starts_with('/') {
                format!("`{dest}` matches no imported page or static file; left as it is")
            } else {
                let kept = if def { "left as it is" } else { "kept as text with a marker" };
                format!("`{dest}` names no imported file; {kept}")
            };
            r.add(Topic::UnresolvedLink, cx.src, (cx.line)(at), what);
            None
        }
    }
}

/// Text as an inline code span, with enough backticks around it.
pub(crate) fn code(text: &str) -> String {
    let text = text.replace('\n', " ");
    let mut ticks = "`".to_string();
    while text.contains(&ticks) {
        ticks.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn html(body: &str, range: Range<usize>, cx: &LinkCx, edits: &mut Edits, r: &mut ImportReport) {
    let slice = &body[range.clone()];
    for attr in ["href=\"", "src=\"", "href='", "src='"] {
        for (i, _) in slice.match_indices(attr) {
            if !slice[..i].ends_with([' ', '\n', '\t']) {
                continue;
            }
            let s = range.start + i + attr.len();
            let quote = if attr.ends_with('"') { '"' } else { '\'' };
            let Some(len) = body[s..range.end].find(quote) else { continue };
            let dest = &body[s..s + len];
            if !matches!(classify(dest), Kind::Local) {
                continue;
            }
            match new_dest(dest, cx, s, r, false) {
                Some(new) => edits.replace(s, s + len, new),
                None if !dest.starts_with('/') => {
                    let name = range.start + i;
                    edits.replace(name, name + attr.len() - 2, format!("data-unresolved-{}", &attr[..attr.len() - 2]));
                }
                None => {}
            }
        }
    }
}

const IMAGES: [&str; 7] = ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif"];

fn wikilink(body: &str, range: Range<usize>, embed: bool, cx: &LinkCx, edits: &mut Edits, r: &mut ImportReport) {
    let raw = &body[range.clone()];
    let inner = raw.trim_start_matches('!').trim_start_matches("[[").trim_end_matches("]]");
    let (target, label) = split_pipe(inner);
    let (page, heading) = match target.split_once('#') {
        Some((p, h)) => (p.trim(), Some(h.trim())),
        None => (target.trim(), None),
    };
    let line = (cx.line)(range.start);
    if page.is_empty() {
        return;
    }
    let Some(dest) = cx.targets.resolve(cx.src, page).and_then(|s| cx.targets.dest_of(s)) else {
        r.add(
            Topic::UnresolvedLink,
            cx.src,
            line,
            format!("`{raw}` names no imported note; kept as text with a marker"),
        );
        let text = label.unwrap_or(target).to_string();
        edits.replace(
            range.start,
            range.end,
            format!("{}{}", if embed { String::new() } else { text }, code(&format!("not imported: {raw}"))),
        );
        return;
    };
    let target = if heading.is_some_and(|h| h.starts_with('^')) { page } else { target };
    let heading = match heading {
        Some(h) if h.starts_with('^') => {
            r.add(
                Topic::NotConverted,
                cx.src,
                line,
                format!("block reference `#{h}` in `{raw}`: Lotse links to headings only; linked to the note"),
            );
            None
        }
        h => h,
    };
    let is_page = dest.starts_with("content/") && dest.ends_with(".md");
    let new = if is_page {
        page_link(dest, heading, label, target, embed, body, &range, cx, r, line)
    } else {
        file_link(dest, label, page, embed, cx)
    };
    edits.replace(range.start, range.end, new);
}

#[allow(clippy::too_many_arguments)]
fn page_link(
    dest: &str,
    heading: Option<&str>,
    label: Option<&str>,
    target: &str,
    embed: bool,
    body: &str,
    range: &Range<usize>,
    cx: &LinkCx,
    r: &mut ImportReport,
    line: usize,
) -> String {
    let path = dest.trim_start_matches("content/").trim_end_matches(".md");
    let path = match cx.roles.get(dest) {
        Some(Role::Stage) | Some(Role::Home) => path.trim_end_matches("/_index"),
        _ => path,
    };
    let anchor = heading.map(|h| format!("#{h}")).unwrap_or_default();
    if embed {
        let line_start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = body[range.end..].find('\n').map_or(body.len(), |i| range.end + i);
        let alone = body[line_start..range.start].trim().is_empty() && body[range.end..line_end].trim().is_empty();
        if alone {
            return format!("![[{path}{anchor}]]");
        }
        r.add(
            Topic::NotConverted,
            cx.src,
            line,
            format!("embed `![[{target}]]` inside a line: Lotse embeds whole paragraphs; made a link"),
        );
    }
    let shown = label.map_or_else(|| target.trim_end_matches(".md").replace('#', " > "), str::to_string);
    if in_table(body, range.start) {
        // In a table cell a Markdown link: no `\|` to escape.
        let anchor = heading.map(|h| format!("#{}", crate::markdown::slugify(h))).unwrap_or_default();
        return format!("[{shown}]({}{anchor})", href(cx.dest, dest));
    }
    format!("[[{path}{anchor}|{shown}]]")
}

fn file_link(dest: &str, label: Option<&str>, name: &str, embed: bool, cx: &LinkCx) -> String {
    let url = href(cx.dest, dest);
    let ext = name.rsplit('.').next().unwrap_or("").to_lowercase();
    let alt = stem(name);
    match (embed, IMAGES.contains(&ext.as_str()), label) {
        (true, true, Some(w)) if w.chars().all(|c| c.is_ascii_digit() || c == 'x') => {
            let width = w.split('x').next().unwrap_or(w);
            format!("<img src=\"{url}\" alt=\"{alt}\" width=\"{width}\">")
        }
        (true, true, l) => format!("![{}]({url})", l.unwrap_or(alt)),
        (_, _, l) => format!("[{}]({url})", l.unwrap_or(name)),
    }
}

fn split_pipe(s: &str) -> (&str, Option<&str>) {
    if let Some(i) = s.find("\\|") {
        return (&s[..i], Some(&s[i + 2..]));
    }
    match s.split_once('|') {
        Some((t, l)) => (t, Some(l)),
        None => (s, None),
    }
}

fn in_table(body: &str, at: usize) -> bool {
    let start = body[..at].rfind('\n').map_or(0, |i| i + 1);
    body[start..at].trim_start().starts_with('|')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::plan::Doc;

    fn plan() -> Plan {
        let mut p = Plan { content_root: "content".into(), ..Plan::default() };
        p.docs.push(Doc::from("content/docs/_index.md", "01-docs/_index.md".into(), Role::Stage));
        p.docs.push(Doc::from("content/docs/install.md", "01-docs/install.md".into(), Role::Article));
        p.docs.push(Doc::from("content/about.md", "about.md".into(), Role::Page));
        p.assets.push(("content/docs/shot.png".into(), "content/01-docs/shot.png".into()));
        p.assets.push(("static/logo.png".into(), "static/logo.png".into()));
        p.urls.push(("/docs/install/".into(), "content/docs/install.md".into()));
        p
    }

    fn run(body: &str, src: &str, dest: &str) -> (String, ImportReport) {
        let p = plan();
        let t = Targets::new(&p);
        let roles = HashMap::new();
        let cx = LinkCx { src, dest, targets: &t, wiki: true, line: &|o| o + 1, roles: &roles };
        let mut r = ImportReport::default();
        (rewrite(body, &cx, &mut r).0, r)
    }

    #[test]
    fn rewrites_relative_root_and_url_links() {
        let (out, r) = run(
            "[a](install.md#x) [b](@/about.md) [c](/docs/install/) ![d](shot.png) [e](/logo.png) [f](https://x.org/a.md)\n\n[g]: ../about.md\n",
            "content/docs/_index.md",
            "01-docs/_index.md",
        );
        assert_eq!(
            out,
            "[a](install.md#x) [b](../about.md) [c](install.md) ![d](shot.png) [e](/logo.png) [f](https://x.org/a.md)\n\n[g]: ../about.md\n"
        );
        assert!(r.entries.is_empty(), "{:?}", r.entries);
    }

    #[test]
    fn marks_and_reports_a_link_to_nothing() {
        let (out, r) = run("See [the setup](setup.md).\n", "content/about.md", "about.md");
        assert_eq!(out, "See the setup`not imported: link to setup.md`.\n");
        assert_eq!(r.entries[0].topic, Topic::UnresolvedLink);
    }

    #[test]
    fn rewrites_wikilinks_embeds_and_html() {
        let (out, r) = run(
            "[[install#Step one|Install]] and [[About]]\n\n![[install]]\n\n![[shot.png|200]] <a href=\"install.md\">x</a> [[install#^b1]]\n",
            "content/about.md",
            "about.md",
        );
        assert_eq!(
            out,
            "[[01-docs/install#Step one|Install]] and [[about|About]]\n\n![[01-docs/install]]\n\n<img src=\"01-docs/shot.png\" alt=\"shot\" width=\"200\"> <a href=\"01-docs/install.md\">x</a> [[01-docs/install|install]]\n"
        );
        assert_eq!(r.entries.len(), 1);
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(href("01-a/x.md", "content/02-b/y.md"), "../02-b/y.md");
        assert_eq!(href("x.md", "content/02-b/my file.png"), "02-b/my%20file.png");
        assert_eq!(href("01-a/x.md", "static/img/a.png"), "/img/a.png");
        assert_eq!(join("a/b", "../c/./d.md"), "a/c/d.md");
    }
}
