//! Markdown -> HTML with pulldown-cmark: stable heading ids, a table of
//! contents, callouts, task items and link destinations with their offsets.
//!
//! Link policy is not decided here: every link destination is handed to a
//! caller-supplied function that may rewrite it.

use std::collections::HashMap;

mod blocks;
mod ids;
mod raw_html;
pub mod typst;
mod wikilinks;
pub use blocks::{FacilitatorNote, WorksheetBlock, sheet_table};
pub use ids::{item_id, pair_key};
pub use raw_html::template_tag_problem;
pub use typst::TypstMode;
pub use wikilinks::{WIKI_SYNTAX_HINT, section};

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// Options that change how Markdown is rendered.
#[derive(Debug, Clone, Copy)]
pub struct MdOptions<'a> {
    /// Titles of the five callout kinds, in the page's language:
    /// note, tip, important, warning, caution.
    pub callout_titles: [&'a str; 5],
    /// Seed of checklist ids (the article's translation key).
    pub id_seed: &'a str,
    /// Prepended to every heading id (for pages combined into one).
    pub id_prefix: &'a str,
    /// Sanitise the HTML (raw HTML from authors may not run script).
    pub safe: bool,
    /// The label of facilitator text, or `None` to leave it out (a
    /// participants' build).
    pub facilitator: Option<&'a str>,
    /// "Worksheet", in the page's language.
    pub worksheet_label: &'a str,
    /// The link text of a worksheet's printable sheet.
    pub worksheet_print: &'a str,
    /// URL prefix and suffix of the page's worksheets (`../worksheets/`
    /// and `` or `index.html`; the id goes between): `None` outside stages.
    pub worksheet_url: Option<(&'a str, &'a str)>,
    /// What Typst markup to write besides the HTML (for the PDFs).
    pub typst: TypstMode,
    /// The absolute URL relative links are resolved against in the Typst
    /// markup (`None`: a relative link there is just its text).
    pub permalink: Option<&'a str>,
    /// Write [`Rendered::html`]; without it everything else is still found
    /// (for pages `lotse check` does not render, and for link listings).
    pub html: bool,
    /// Look for the problems that do not change the output (undefined
    /// references, template syntax in links); a body rendered again after
    /// its page was checked skips them.
    pub problems: bool,
}

/// A heading of the page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The unique anchor id.
    pub id: String,
    /// The heading as plain text.
    pub text: String,
    /// Byte offset in the Markdown body.
    #[serde(skip)]
    pub offset: usize,
}

/// A link or image destination found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination as written.
    pub dest: String,
    /// Byte offset of the link in the Markdown body.
    pub offset: usize,
    /// An image rather than a link.
    pub image: bool,
    /// How the link is written.
    pub kind: LinkKind,
}

/// How a link is written in the Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)` or `![alt](src)`.
    Markdown,
    /// `[[Title]]`, `[[slug#heading|text]]`: `dest` is what stands before
    /// any `|`, to be resolved by title or slug.
    Wiki,
    /// `![[page#heading]]`: the callback returns the HTML to embed (the
    /// section's rendered content) instead of a destination.
    Embed,
    /// `href` or `src` in raw HTML.
    Html,
}

/// A task-list item (`- [ ] ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// Stable id (see [`item_id`]).
    pub id: String,
    /// Inline HTML of the item's text (links already rewritten).
    pub html: String,
    /// The item as plain text.
    pub text: String,
    /// Ticked in the source.
    pub checked: bool,
    /// The item's text as Typst markup (empty unless asked for,
    /// [`TypstMode`]).
    pub typst: String,
    /// Index into the page's headings of the nearest heading above.
    pub heading: Option<usize>,
    /// 0 for a top-level item, 1 for an item nested in another, ...
    pub depth: usize,
    /// Byte offset in the Markdown body.
    pub offset: usize,
}

/// A problem found while rendering, at a byte offset of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdWarning {
    /// Byte offset in the Markdown body.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Whether it fails the build.
    pub is_error: bool,
}

/// The result of rendering one Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// All headings, in order.
    pub headings: Vec<Heading>,
    /// Task items, in order.
    pub tasks: Vec<Task>,
    /// The text of the first paragraph (a fallback summary).
    pub first_paragraph: String,
    /// The body as plain text (for search).
    pub plain: String,
    /// Number of words.
    pub words: usize,
    /// Duplicate headings, empty task items.
    pub warnings: Vec<MdWarning>,
    /// Facilitator notes, in order (none in a participants' build).
    pub facilitator: Vec<FacilitatorNote>,
    /// Worksheet blocks, in order.
    pub worksheets: Vec<WorksheetBlock>,
    /// A hash of `html` where the preview needs one (0 where not computed).
    pub html_hash: u64,
    /// The body as Typst markup ([`TypstMode::Page`]; else empty).
    pub typst: String,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

type Spanned<'a> = (Event<'a>, std::ops::Range<usize>);

thread_local! {
    /// Each thread's event lists, kept empty between pages: a page's events
    /// take a few hundred KB, and growing new lists for every page was a
    /// tenth of a large build's time (mostly the allocator and the kernel
    /// handing out fresh memory).
    static BUFFERS: std::cell::Cell<(Vec<Spanned<'static>>, Vec<Event<'static>>)> = Default::default();
}

/// The most events a thread keeps room for between pages (a few MB; a
/// typical article has a few thousand).
const KEPT_EVENTS: usize = 1 << 16;

/// `v` emptied, as a list of another lifetime with the same allocation
/// (`collect` reuses it in place: the element types have the same layout).
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().map(|_| unreachable!("the list is empty")).collect()
}

/// Renders `body`; `rewrite` sees every link and image (Markdown, wikilink,
/// raw HTML) and may return a new destination for it; for an embed
/// ([`LinkKind::Embed`]) it returns the HTML to put in its place.
pub fn render(body: &str, opts: &MdOptions, rewrite: &mut dyn FnMut(&LinkRef) -> Option<String>) -> Rendered {
    let (mut events, mut decorated) = BUFFERS.take();
    let mut broken = Vec::new();
    let note_broken = |link: pulldown_cmark::BrokenLink<'_>| {
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) {
            broken.push((link.span.start, link.reference.to_string()));
        }
        None
    };
    events.extend(Parser::new_with_broken_link_callback(body, parser_options(), Some(note_broken)).into_offset_iter());
    let mut out = Rendered::default();
    blocks::expand(&mut events, body, opts, &mut out);
    if opts.problems {
        undefined_references(body, &events, broken, &mut out);
        raw_html::broken_template_links(body, &events, &mut out.warnings);
    }
    // The plain text is shorter than the Markdown; growing it by doubling
    // left a third of it unused on a large site.
    out.plain.reserve(body.len());
    assign_heading_ids(&mut events, opts.id_prefix, &mut out);
    rewrite_links(body, &mut events, rewrite);
    wikilinks::embed(&mut events, rewrite, &mut out.warnings);
    collect_text(&events, &mut out);
    let marker_ids = collect_tasks(&events, opts, &mut out);
    if let TypstMode::Page { shift } = opts.typst {
        out.typst.reserve(body.len() * 5 / 4);
        typst::write(&mut out.typst, &events, opts, shift);
    }
    let notes_typst = if opts.typst != TypstMode::Off && opts.facilitator.is_some() {
        blocks::notes_typst(&events, opts)
    } else {
        Vec::new()
    };
    let too_deep = if opts.safe { nesting_beyond(&events, MAX_SAFE_DEPTH) } else { None };
    decorate(&mut events, opts, &out, marker_ids, &mut decorated);
    blocks::finish(&mut decorated, opts, &mut out.facilitator);
    for (note, t) in out.facilitator.iter_mut().zip(notes_typst) {
        note.typst = t;
    }
    if opts.html {
        out.html.reserve(body.len() * 3 / 2);
        html::push_html(&mut out.html, decorated.drain(..));
    }
    // A huge page's lists are not worth keeping for the life of the thread.
    if events.capacity().max(decorated.capacity()) <= KEPT_EVENTS {
        BUFFERS.set((recycle(events), recycle(decorated)));
    }
    if opts.safe
        && let Some(offset) = too_deep
    {
        out.warnings.push(MdWarning {
            offset,
            message: format!("lists or quotes nested deeper than {MAX_SAFE_DEPTH} levels"),
            hint: Some("flatten the nesting; `markdown.safe` cannot sanitise deeper HTML in reasonable time".into()),
            is_error: true,
        });
        out.html.clear();
    } else if opts.safe {
        out.html = sanitise(&out.html);
        for t in &mut out.tasks {
            t.html = sanitise(&t.html);
        }
        for n in &mut out.facilitator {
            n.html = sanitise(&n.html);
        }
    }
    out
}

/// Deepest nesting of lists and quotes that safe mode sanitises (the HTML
/// sanitiser slows down steeply beyond: 40,000 levels take minutes).
const MAX_SAFE_DEPTH: usize = 2000;

/// Offset of the first container nested deeper than `limit`, if any.
fn nesting_beyond(events: &[Spanned], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (e, range) in events {
        match e {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > limit {
                    return Some(range.start);
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Removes anything that could run script from rendered HTML, keeping the
/// markup Lotse itself generates (heading ids, callouts, checkboxes).
pub fn sanitise(html: &str) -> String {
    use std::sync::LazyLock;
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["aside", "input", "div", "span", "sup", "section"])
            .add_generic_attributes(["id", "class", "role", "aria-hidden", "tabindex"])
            .add_tag_attributes("input", ["type", "disabled", "checked", "data-check"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None);
        b
    });
    CLEANER.clean(html).to_string()
}

/// Gives every heading a unique id: its explicit `{#id}`, else its slug.
fn assign_heading_ids(events: &mut [Spanned], prefix: &str, out: &mut Rendered) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let (level, explicit) = (heading_level(*level), id.as_ref().map(|s| s.to_string()));
            let offset = events[i].1.start;
            let text = inline_text(&events[i + 1..], |e| matches!(e, Event::End(TagEnd::Heading(_))));
            let base = explicit.unwrap_or_else(|| match slugify(&text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            });
            let id = format!("{prefix}{}", unique_id(&mut seen, &base, &text, offset, out));
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id.clone()));
            }
            out.headings.push(Heading { level, id, text, offset });
        }
        i += 1;
    }
}

fn unique_id(seen: &mut HashMap<String, usize>, base: &str, text: &str, offset: usize, out: &mut Rendered) -> String {
    let mut n = seen.get(base).copied().unwrap_or(0);
    if n == 0 {
        seen.insert(base.to_string(), 1);
        return base.to_string();
    }
    // `base-1` may be taken already, by a heading written that way.
    let id = loop {
        let id = format!("{base}-{n}");
        n += 1;
        if !seen.contains_key(&id) {
            break id;
        }
    };
    seen.insert(base.to_string(), n);
    out.warnings.push(MdWarning {
        offset,
        message: if text.is_empty() {
            format!("empty heading: its anchor becomes `#{id}`")
        } else {
            format!("duplicate heading `{text}`: its anchor becomes `#{id}`")
        },
        hint: Some("rename one of the headings, or give it an explicit id: `## Title {#my-id}`".into()),
        is_error: false,
    });
    seen.insert(id.clone(), 1);
    id
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// Plain text of the inline events up to the first event where `end` holds.
fn inline_text(events: &[Spanned], end: impl Fn(&Event) -> bool) -> String {
    let mut text = String::new();
    for (e, _) in events {
        if end(e) {
            break;
        }
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn rewrite_links(body: &str, events: &mut [Spanned], rewrite: &mut dyn FnMut(&LinkRef) -> Option<String>) {
    for (event, range) in events.iter_mut() {
        let (dest, image, kind) = match event {
            Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. }, dest_url, .. }) => {
                (dest_url, false, LinkKind::Wiki)
            }
            // `<https://…>` is offered (it is an external link); `<a@b.c>` is no path.
            Event::Start(Tag::Link { link_type, dest_url, .. }) if *link_type != LinkType::Email => {
                (dest_url, false, LinkKind::Markdown)
            }
            // Embeds are expanded after the links (`wikilinks::embed`).
            Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, .. }) => continue,
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true, LinkKind::Markdown),
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(new) = raw_html::rewrite(html, body, range.clone(), rewrite) {
                    *html = CowStr::from(new);
                }
                continue;
            }
            _ => continue,
        };
        // In a table cell `[[page\|text]]` escapes the bar from the table;
        // pulldown-cmark leaves the backslash at the end of the target.
        let target = match kind {
            LinkKind::Wiki => dest.strip_suffix('\\').unwrap_or(dest),
            _ => dest,
        };
        let link = LinkRef { dest: target.to_string(), offset: range.start, image, kind };
        if let Some(new) = rewrite(&link) {
            *dest = CowStr::from(new);
        }
    }
}

/// Between blocks (paragraphs, headings, list items, table cells) in
/// [`Rendered::plain`], so search snippets do not run a heading into the
/// sentence after it.
pub const BLOCK_SEPARATOR: &str = " · ";

/// Reference links (`[text][label]`) and footnotes (`[^label]`) without a
/// definition, which CommonMark renders as literal brackets: errors.
fn undefined_references(body: &str, events: &[Spanned], broken: Vec<(usize, String)>, out: &mut Rendered) {
    for (offset, label) in broken {
        out.warnings.push(MdWarning {
            offset,
            message: format!("link reference `[{label}]` is not defined"),
            hint: Some(format!(
                "define it on a line of its own (`[{label}]: ../stage/page.md`) or write the link inline"
            )),
            is_error: true,
        });
    }
    let mut in_code = false;
    for (e, range) in events {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => {
                // Text is split at brackets: look at the source from here.
                let rest = &body[range.start..];
                if let Some(label) = rest.strip_prefix("[^").and_then(|r| r.split_once(']')).map(|(l, _)| l)
                    && !label.is_empty()
                    && !label.contains(char::is_whitespace)
                    && !rest[2 + label.len() + 1..].starts_with(':')
                {
                    out.warnings.push(MdWarning {
                        offset: range.start,
                        message: format!("footnote `[^{label}]` is not defined"),
                        hint: Some(format!("add `[^{label}]: …` as a paragraph of its own, or remove the reference")),
                        is_error: true,
                    });
                }
            }
            _ => {}
        }
    }
}

fn collect_text(events: &[Spanned], out: &mut Rendered) {
    let mut in_first = false;
    let mut first_done = false;
    let mut in_heading = false;
    let mut in_image = 0usize;
    // Facilitator text is never the page's summary.
    let mut facilitator = 0usize;
    for (e, _) in events {
        match e {
            Event::Html(h) if h.as_ref() == blocks::OPEN => facilitator += 1,
            Event::Html(h) if h.as_ref() == blocks::CLOSE => facilitator = facilitator.saturating_sub(1),
            Event::Start(Tag::Paragraph) if !first_done && !in_heading && facilitator == 0 => in_first = true,
            Event::End(TagEnd::Paragraph) => {
                if in_first {
                    in_first = false;
                    first_done = true;
                }
                end_block(&mut out.plain);
            }
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                end_block(&mut out.plain);
            }
            Event::End(
                TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => end_block(&mut out.plain),
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image -= 1,
            Event::Text(t) | Event::Code(t) => {
                if in_first && in_image == 0 {
                    out.first_paragraph.push_str(t);
                }
                out.words += push_collapsed(&mut out.plain, t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if in_first {
                    out.first_paragraph.push(' ');
                }
                push_space(&mut out.plain);
            }
            Event::Html(_) | Event::InlineHtml(_) => push_space(&mut out.plain),
            _ => {}
        }
    }
    let end = out.plain.trim_end_matches([' ', '·']).len();
    out.plain.truncate(end);
}

/// Appends `text` with its whitespace runs as single spaces; returns the
/// number of words it starts (a word continued from the text before, as in
/// `**Plan**,` or `people’s`, is not counted again).
fn push_collapsed(out: &mut String, text: &str) -> usize {
    let glued = !text.starts_with(char::is_whitespace)
        && !out.is_empty()
        && !out.ends_with(' ')
        && !out.ends_with(BLOCK_SEPARATOR.trim_end());
    if !glued {
        push_space(out);
    }
    let words = match single_spaced(text) {
        // Most text needs no collapsing: copied as it is.
        Some(words) => {
            out.push_str(text);
            words
        }
        None => push_split(out, text),
    };
    words - usize::from(glued && words > 0)
}

/// Appends the words of `text` with single spaces between them (and one
/// after them where `text` ends in whitespace); returns how many. What
/// [`push_collapsed`] does, word by word.
fn push_split(out: &mut String, text: &str) -> usize {
    let mut words = 0;
    for word in text.split_whitespace() {
        if words > 0 {
            out.push(' ');
        }
        out.push_str(word);
        words += 1;
    }
    if words > 0 && text.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    words
}

/// The number of words of `text` if it is words between single ASCII
/// spaces (no other whitespace, none at either end): what
/// [`push_collapsed`] leaves as it is. Passes over the bytes without
/// branches per byte (the plain text of a large site is hundreds of MB);
/// only text with a byte that may start non-ASCII whitespace is decoded.
fn single_spaced(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return Some(0) };
    if first == b' ' || last == b' ' {
        return None;
    }
    // Tab to carriage return, and the first bytes of every non-ASCII
    // whitespace character (U+0085 to U+3000).
    let suspect = bytes
        .iter()
        .map(|&b| u8::from(b.wrapping_sub(b'\t') < 5) | u8::from(b == 0xC2) | u8::from(b.wrapping_sub(0xE1) < 3))
        .fold(0, |any, b| any | b);
    if suspect != 0 && text.contains(|c: char| c != ' ' && c.is_whitespace()) {
        return None;
    }
    let doubled = bytes.windows(2).map(|w| u8::from(w[0] == b' ') & u8::from(w[1] == b' ')).fold(0, |any, d| any | d);
    let spaces: usize = bytes.iter().map(|&b| usize::from(b == b' ')).sum();
    (doubled == 0).then_some(spaces + 1)
}

/// A space, unless the text is empty or already ends in one.
fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Ends a block: [`BLOCK_SEPARATOR`] unless the text is empty or has one.
fn end_block(out: &mut String) {
    let end = out.trim_end_matches(' ').len();
    out.truncate(end);
    if !out.is_empty() && !out.ends_with(BLOCK_SEPARATOR.trim_end()) {
        out.push_str(BLOCK_SEPARATOR);
    }
}

/// Finds task items: an item whose first event (after an optional
/// paragraph start) is a task marker. Returns the id of each marker in
/// order (`None` for an empty item).
fn collect_tasks(events: &[Spanned], opts: &MdOptions, out: &mut Rendered) -> Vec<Option<String>> {
    let seed = opts.id_seed;
    let mut marker_ids = Vec::new();
    let mut depth = 0usize;
    let mut heading: Option<usize> = None;
    let mut headings_seen = 0usize;
    let mut dup: HashMap<String, usize> = HashMap::new();
    for (i, (e, range)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(headings_seen);
                headings_seen += 1;
            }
            Event::TaskListMarker(checked) => {
                let item = item_events(&events[i + 1..]);
                let text = inline_text(item, |_| false);
                let offset = item_start(events, i).unwrap_or(range.start);
                if text.is_empty() {
                    out.warnings.push(MdWarning {
                        offset,
                        message: "empty checklist item".into(),
                        hint: Some("write what should be checked after `[ ]`, or remove the line".into()),
                        is_error: true,
                    });
                    marker_ids.push(None);
                    continue;
                }
                let n = dup.entry(ids::normalise(&text)).or_insert(0);
                *n += 1;
                let mut item_html = String::new();
                html::push_html(&mut item_html, item.iter().map(|(e, _)| e.clone()));
                let id = ids::item_id(seed, &text, *n);
                marker_ids.push(Some(id.clone()));
                let mut item_typst = String::new();
                if opts.typst != TypstMode::Off {
                    typst::write_inline(&mut item_typst, item, opts);
                }
                out.tasks.push(Task {
                    id,
                    html: item_html.trim().to_string(),
                    text,
                    checked: *checked,
                    typst: item_typst,
                    heading,
                    depth: depth.saturating_sub(1),
                    offset,
                });
            }
            _ => {}
        }
    }
    marker_ids
}

/// Offset of the `Item` start that owns the task marker at `marker`.
fn item_start(events: &[Spanned], marker: usize) -> Option<usize> {
    events[..marker].iter().rev().take(2).find_map(|(e, r)| match e {
        Event::Start(Tag::Item) => Some(r.start),
        _ => None,
    })
}

/// The inline events of a task item: up to its end or a nested list, with
/// paragraph tags left out.
fn item_events<'a, 'b>(events: &'b [Spanned<'a>]) -> &'b [Spanned<'a>] {
    let end = events
        .iter()
        .position(|(e, _)| {
            matches!(
                e,
                Event::End(TagEnd::Item)
                    | Event::Start(Tag::List(_))
                    | Event::End(TagEnd::Paragraph)
                    | Event::Start(Tag::Paragraph)
            )
        })
        .unwrap_or(events.len());
    &events[..end]
}

/// Adds heading anchors, callout boxes, table wrappers and checklist ids.
fn decorate<'a>(
    events: &mut Vec<Spanned<'a>>,
    opts: &MdOptions,
    out: &Rendered,
    ids: Vec<Option<String>>,
    result: &mut Vec<Event<'a>>,
) {
    result.reserve(events.len() + 16);
    let total = out.tasks.len();
    let mut position = 0;
    let mut ids = ids.into_iter();
    let mut heading_ids = out.headings.iter();
    let mut current_heading: Option<&Heading> = None;
    // A task item's text sits in a <label> with its box, up to where
    // `item_events` ends it.
    let mut label_open = false;
    for (event, _) in events.drain(..) {
        let ends_label = matches!(
            event,
            Event::End(TagEnd::Item)
                | Event::Start(Tag::List(_))
                | Event::End(TagEnd::Paragraph)
                | Event::Start(Tag::Paragraph)
        );
        if label_open && ends_label {
            result.push(Event::Html("</label>".into()));
            label_open = false;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                current_heading = heading_ids.next();
                result.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = current_heading.take() {
                    result.push(Event::Html(
                        format!(" <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>", h.id)
                            .into(),
                    ));
                }
                result.push(event);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout(kind, opts);
                result.push(Event::Html(
                    format!("<aside class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => result.push(Event::Html("</aside>\n".into())),
            Event::Start(Tag::Table(_)) => {
                // Focusable, so a keyboard can scroll a table wider than the page.
                result.push(Event::Html("<div class=\"table-wrap\" tabindex=\"0\">".into()));
                result.push(event);
            }
            Event::End(TagEnd::Table) => {
                result.push(event);
                result.push(Event::Html("</div>\n".into()));
            }
            Event::TaskListMarker(checked) => {
                let id = ids.next().flatten();
                let pair = id.as_ref().map(|_| {
                    position += 1;
                    ids::pair_key(opts.id_seed, position, total)
                });
                result.push(Event::Html(checkbox(id.as_deref(), pair.as_deref(), checked).into()));
                label_open = true;
            }
            other => result.push(other),
        }
    }
}

/// The opening of a task item's label with its box: disabled, as the page
/// works without JavaScript; the theme's script enables it.
fn checkbox(id: Option<&str>, pair: Option<&str>, checked: bool) -> String {
    let checked = if checked { " checked" } else { "" };
    match (id, pair) {
        (Some(id), Some(pair)) => format!(
            "<label class=\"task-label\"><input type=\"checkbox\" class=\"task\" data-check=\"{id}\" data-pair=\"{pair}\" disabled{checked}> "
        ),
        _ => format!("<label class=\"task-label\"><input type=\"checkbox\" class=\"task\" disabled{checked}> "),
    }
}

fn callout(kind: BlockQuoteKind, opts: &MdOptions) -> (&'static str, String) {
    let (class, i) = match kind {
        BlockQuoteKind::Note => ("note", 0),
        BlockQuoteKind::Tip => ("tip", 1),
        BlockQuoteKind::Important => ("important", 2),
        BlockQuoteKind::Warning => ("warning", 3),
        BlockQuoteKind::Caution => ("caution", 4),
    };
    (class, escape(opts.callout_titles[i]))
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL- and anchor-safe slug: lowercase, German umlauts transliterated
/// (`Über Ziele` -> `ueber-ziele`), other runs of non-alphanumerics -> `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        let mapped: Option<&str> = match c {
            'ä' | 'Ä' => Some("ae"),
            'ö' | 'Ö' => Some("oe"),
            'ü' | 'Ü' => Some("ue"),
            'ß' | 'ẞ' => Some("ss"),
            _ => None,
        };
        if let Some(m) = mapped {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push_str(m);
        } else if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recycled_lists_keep_their_memory() {
        let text = String::from("# A\n\nb *c*\n");
        let events: Vec<Spanned> = Parser::new_ext(&text, parser_options()).into_offset_iter().collect();
        let capacity = events.capacity();
        let kept: Vec<Spanned<'static>> = recycle(events);
        assert!(kept.is_empty());
        assert_eq!(kept.capacity(), capacity);
        // A second page on the same thread renders as the first did.
        let once = render("# A\n\n- [ ] x\n", &OPTS, &mut |_| None);
        let twice = render("# A\n\n- [ ] x\n", &OPTS, &mut |_| None);
        assert_eq!(once.html, twice.html);
    }

    /// Options of the Markdown tests (also `blocks.rs`'s).
    pub(super) const OPTS: MdOptions = MdOptions {
        callout_titles: ["Note", "Tip", "Important", "Warning", "Caution"],
        id_seed: "a.md",
        id_prefix: "",
        safe: false,
        facilitator: Some("For facilitators"),
        worksheet_label: "Worksheet",
        worksheet_print: "Print the worksheet",
        worksheet_url: Some(("../worksheets/", "")),
        typst: TypstMode::Off,
        permalink: None,
        html: true,
        problems: true,
    };

    fn md(s: &str) -> Rendered {
        render(s, &OPTS, &mut |_| None)
    }

    #[test]
    fn text_is_collapsed_as_split_whitespace_would() {
        let mut texts: Vec<String> =
            ["", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "Über größe", "x\u{a0}y", "x\u{2003}y"]
                .map(String::from)
                .to_vec();
        texts.extend(
            ["’s „Plan“ – ok", "a\u{85}b", "a\u{3000}b", "a\u{200b}b", "😀 x", "a\u{1c}b", "\u{feff}"]
                .map(String::from),
        );
        for c in (0..=0x3000).filter_map(char::from_u32) {
            texts.push(format!("a{c}b"));
            texts.push(format!("{c} z"));
        }
        for text in &texts {
            let (mut fast, mut slow) = (String::new(), String::new());
            // The word-by-word definition, which the fast path must match.
            let (words, expected) = (push_collapsed(&mut fast, text), push_split(&mut slow, text));
            assert_eq!((fast, words), (slow, expected), "{text:?}");
        }
    }

    #[test]
    fn plain_text_separates_blocks_and_keeps_inline_text_together() {
        let r = md(
            "## Ziele  und Wege\n\nEin **Plan**, der\nhilft (*kurz*).\n\n- eins\n- people's `code`\n\n| a | b |\n|---|---|\n| c | d |\n",
        );
        assert_eq!(r.plain, "Ziele und Wege · Ein Plan, der hilft (kurz). · eins · people’s code · a · b · c · d");
        assert_eq!(r.words, 15, "`Plan,` and `people’s` are one word each");
        assert_eq!(md("").plain, "");
    }

    #[test]
    fn slugs_transliterate_german() {
        assert_eq!(slugify("Über Ziele"), "ueber-ziele");
        assert_eq!(slugify("Straße & Maß: 2x!"), "strasse-mass-2x");
        assert_eq!(slugify("  KPIs (Kennzahlen)  "), "kpis-kennzahlen");
    }

    #[test]
    fn heading_ids_are_unique_with_a_warning() {
        let r = md("## Ziele\n\n## Ziele\n\n## Ziele-1\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["ziele", "ziele-1", "ziele-1-1"]);
        assert_eq!(r.warnings.len(), 2);
        assert!(r.html.contains("<h2 id=\"ziele-1\">"));
    }

    #[test]
    fn heading_ids_stay_unique_when_a_suffixed_id_is_written_out() {
        let r = md("## Ziele-1\n\n## Ziele\n\n## Ziele\n\n## Ziele\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["ziele-1", "ziele", "ziele-2", "ziele-3"]);
    }

    #[test]
    fn explicit_heading_ids_win() {
        let r = md("## Key figures {#kpis}\n");
        assert_eq!(r.headings[0].id, "kpis");
    }

    #[test]
    fn collects_tasks_with_heading_and_depth() {
        let r = md("## A\n\n- [ ] one **bold**\n  - [x] nested\n- plain\n\n```\n- [ ] in code\n```\n");
        assert_eq!(r.tasks.len(), 2);
        assert_eq!(r.tasks[0].text, "one bold");
        assert_eq!(r.tasks[0].html, "one <strong>bold</strong>");
        assert_eq!((r.tasks[1].depth, r.tasks[1].checked), (1, true));
        assert_eq!(r.tasks[0].heading, Some(0));
        assert!(r.html.contains(&format!("data-check=\"{}\"", r.tasks[0].id)));
    }

    #[test]
    fn empty_task_is_an_error() {
        let r = md("- [ ] \n- [ ] ok\n");
        assert_eq!(r.tasks.len(), 1);
        assert!(r.warnings[0].is_error);
    }

    #[test]
    fn links_are_offered_for_rewrite_with_offsets() {
        let mut seen = Vec::new();
        let r = render("x [a](b.md#c) <https://x.org> <a@b.c>\n", &OPTS, &mut |l| {
            seen.push(l.clone());
            (!l.dest.starts_with("https:")).then(|| "../b/#c".into())
        });
        let link = |dest: &str, offset| LinkRef { dest: dest.into(), offset, image: false, kind: LinkKind::Markdown };
        assert_eq!(seen, [link("b.md#c", 2), link("https://x.org", 14)], "e-mail autolinks are not offered");
        assert!(r.html.contains("href=\"../b/#c\""));
    }

    #[test]
    fn without_html_everything_else_is_still_found() {
        let body = "Intro [a](b.md).\n\n## Plan {#plan}\n\n- [ ] Sponsor *named*\n\n## Plan\n\n> [!NOTE]\n> n\n";
        let (mut links, mut links_without) = (Vec::new(), Vec::new());
        let full = render(body, &OPTS, &mut |l| {
            links.push(l.clone());
            None
        });
        let bare = render(body, &MdOptions { html: false, ..OPTS }, &mut |l| {
            links_without.push(l.clone());
            None
        });
        assert!(full.html.contains("<h2") && bare.html.is_empty());
        assert_eq!(links, links_without);
        assert_eq!((&bare.headings, &bare.plain, bare.words), (&full.headings, &full.plain, full.words));
        assert_eq!(
            bare.tasks.iter().map(|t| (&t.id, &t.html)).collect::<Vec<_>>(),
            full.tasks.iter().map(|t| (&t.id, &t.html)).collect::<Vec<_>>()
        );
        assert_eq!((bare.warnings, bare.first_paragraph), (full.warnings, full.first_paragraph));
    }

    #[test]
    fn safe_mode_removes_script_but_keeps_generated_markup() {
        let opts = MdOptions { safe: true, ..OPTS };
        let r = render(
            "## Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1))\n\n- [ ] task\n\n> [!NOTE]\n> n\n",
            &opts,
            &mut |_| None,
        );
        assert!(
            !r.html.contains("<script") && !r.html.contains("onerror") && !r.html.contains("javascript:"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"title\">"), "{}", r.html);
        assert!(r.html.contains("data-check="), "{}", r.html);
        assert!(r.html.contains("class=\"callout callout-note\""), "{}", r.html);
    }

    #[test]
    fn callouts_get_a_title() {
        let r = md("> [!TIP]\n> Do it.\n");
        assert!(r.html.contains("<aside class=\"callout callout-tip\" role=\"note\">"));
        assert!(r.html.contains("<p class=\"callout-title\">Tip</p>"));
    }
}
