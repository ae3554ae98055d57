//! The Typst back end: the same events the HTML is written from (heading
//! ids assigned, links rewritten, facilitator text marked or dropped)
//! written as Typst markup for the PDFs.
//!
//! No text can inject Typst code: every ASCII punctuation character of the
//! text is escaped with a backslash (Typst's escape for any character),
//! strings are quoted by [`string`], labels are reduced to label
//! characters by [`label`], and Lotse's own markup calls only functions
//! the document template defines (`lotse-*`) or Typst's own.

use std::collections::HashMap;
use std::fmt::Write;

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

use super::{MdOptions, Spanned, blocks};
pub use crate::pdf::literal::{string, string_body, string_into};

/// What Typst markup a render produces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TypstMode {
    /// None.
    #[default]
    Off,
    /// Each task item's text ([`super::Task::typst`]).
    Tasks,
    /// Task items and the whole body ([`super::Rendered::typst`]), its
    /// headings `shift` levels deeper than in the Markdown (`##` becomes
    /// level `1 + shift`).
    Page {
        /// Levels added to every heading but the first level.
        shift: u8,
    },
}

/// Writes `events` as Typst markup into `out`. `base` is the absolute URL
/// that relative links are relative to (none: they show as text).
pub(super) fn write(out: &mut String, events: &[Spanned], opts: &MdOptions, shift: u8) {
    let notes = footnotes(events, opts);
    let mut w = Writer::new(out, opts, shift, &notes);
    for (e, _) in events {
        w.event(e);
    }
}

/// Writes the inline events of one task item.
pub(super) fn write_inline(out: &mut String, events: &[Spanned], opts: &MdOptions) {
    let notes = HashMap::new();
    let mut w = Writer::new(out, opts, 0, &notes);
    for (e, _) in events {
        w.event(e);
    }
    let end = w.out.trim_end().len();
    w.out.truncate(end);
}

/// Each footnote's content, by label.
fn footnotes(events: &[Spanned], opts: &MdOptions) -> HashMap<String, String> {
    let mut notes = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = &events[i].0 {
            let end = events[i..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::FootnoteDefinition)))
                .map_or(events.len(), |p| i + p);
            let mut text = String::new();
            let inner = HashMap::new();
            let mut w = Writer::new(&mut text, opts, 0, &inner);
            for (e, _) in &events[i + 1..end] {
                w.event(e);
            }
            notes.insert(label.to_string(), text.trim().to_string());
            i = end;
        }
        i += 1;
    }
    notes
}

struct Writer<'w, 'o> {
    out: &'w mut String,
    opts: &'w MdOptions<'o>,
    shift: u8,
    notes: &'w HashMap<String, String>,
    /// Depth inside footnote definitions (written where they are referenced).
    skip: usize,
    /// Inside a code block: text goes into a string literal.
    code: bool,
    /// The label of the open heading.
    heading: Option<String>,
    /// The open link to an absolute URL: where its text starts, the URL.
    link: Option<(usize, String)>,
    /// For each open list and quote: whether it is written as plain
    /// paragraphs (beyond [`MAX_NESTING`]: Typst's parser has a depth limit).
    flat: Vec<bool>,
    /// For each open image: its alternative text as plain text.
    alt: Vec<String>,
    /// The open table's columns, measured for their widths.
    table: Option<Columns>,
}

/// What a table's columns hold, to size them as a browser would: Typst's
/// own sizing of `auto` columns lays every cell out again to measure it
/// (a fifth of the time a table takes), so the widths are given.
#[derive(Debug, Default)]
struct Columns {
    /// Where the `columns:` value goes in the markup.
    at: usize,
    /// The current cell's column.
    col: usize,
    /// Per column: the most characters in a cell, and the least it needs
    /// (its longest word, or its longest short cell: `12 Euro` is not
    /// broken).
    natural: Vec<usize>,
    word: Vec<usize>,
    /// The current cell's characters so far, and its current word's.
    cell: usize,
    run: usize,
}

/// Cells of at most this many characters stay on one line.
const SHORT_CELL: usize = 20;
/// About how many characters of body text a line of a table holds (A4 or
/// Letter, the default margins, cell padding taken off).
const TABLE_LINE: usize = 90;

impl Columns {
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            self.cell += 1;
            self.run = if c.is_whitespace() { 0 } else { self.run + 1 };
            if let Some(w) = self.word.get_mut(self.col) {
                *w = (*w).max(self.run);
            }
        }
    }

    fn end_cell(&mut self) {
        if let (Some(n), Some(w)) = (self.natural.get_mut(self.col), self.word.get_mut(self.col)) {
            *n = (*n).max(self.cell);
            if self.cell <= SHORT_CELL {
                *w = (*w).max(self.cell);
            }
        }
        self.col += 1;
        (self.cell, self.run) = (0, 0);
    }

    /// The `columns:` value, as a browser sizes a table: every column gets
    /// its longest cell if the line holds them all, else its longest word
    /// and a share of the rest by how much more its cells need. (Shares of
    /// the width, as characters: the table spans the text's width.)
    fn spec(&self) -> String {
        // Two characters more for the cell's padding.
        let max: Vec<usize> = self.natural.iter().zip(&self.word).map(|(&n, &w)| n.max(w) + 2).collect();
        let min: Vec<usize> = self.word.iter().map(|&w| w + 2).collect();
        let (sum_max, sum_min): (usize, usize) = (max.iter().sum(), min.iter().sum());
        let widths: Vec<usize> = if sum_max <= TABLE_LINE {
            max
        } else if sum_min >= TABLE_LINE {
            min
        } else {
            let spare = TABLE_LINE - sum_min;
            let wants = sum_max - sum_min;
            max.iter().zip(&min).map(|(&hi, &lo)| lo + spare * (hi - lo) / wants).collect()
        };
        let widths: Vec<String> = widths.iter().map(|w| format!("{w}fr")).collect();
        format!("({},)", widths.join(", "))
    }
}

/// Deepest nesting of lists and quotes written as such.
const MAX_NESTING: usize = 8;

impl<'w, 'o> Writer<'w, 'o> {
    fn new(out: &'w mut String, opts: &'w MdOptions<'o>, shift: u8, notes: &'w HashMap<String, String>) -> Self {
        Writer {
            out,
            opts,
            shift,
            notes,
            skip: 0,
            code: false,
            heading: None,
            link: None,
            flat: Vec::new(),
            alt: Vec::new(),
            table: None,
        }
    }

    fn event(&mut self, e: &Event) {
        if self.skip > 0 {
            match e {
                Event::Start(Tag::FootnoteDefinition(_)) => self.skip += 1,
                Event::End(TagEnd::FootnoteDefinition) => self.skip -= 1,
                _ => {}
            }
            return;
        }
        match e {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) if self.code => string_body(self.out, t),
            Event::Text(t) => {
                if let Some(alt) = self.alt.last_mut() {
                    alt.push_str(t);
                }
                if let Some(table) = &mut self.table {
                    table.text(t);
                }
                escape_into(self.out, t)
            }
            Event::Code(c) => {
                if let Some(alt) = self.alt.last_mut() {
                    alt.push_str(c);
                }
                if let Some(table) = &mut self.table {
                    table.text(c);
                }
                self.out.push_str("#raw(");
                string_into(self.out, c);
                self.out.push(')');
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self.out.push_str("\n#line(length: 100%, stroke: 0.5pt + luma(160))\n\n"),
            Event::TaskListMarker(checked) => {
                let _ = write!(self.out, "#lotse-box({checked}) ");
            }
            Event::FootnoteReference(label) => match self.notes.get(label.as_ref()) {
                Some(note) => {
                    let _ = write!(self.out, "#footnote[{note}]");
                }
                None => escape_into(self.out, label),
            },
            Event::Html(h) if h.as_ref() == blocks::OPEN => {
                self.out.push_str("\n#lotse-facilitator(");
                string_into(self.out, self.opts.facilitator.unwrap_or(""));
                self.out.push_str(")[");
            }
            Event::Html(h) if h.as_ref() == blocks::CLOSE => self.out.push_str("]\n\n"),
            // Raw HTML (and what stands for embeds and worksheet tables on
            // the web page) has no place in print.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::InlineMath(m) | Event::DisplayMath(m) => escape_into(self.out, m),
        }
    }

    fn start(&mut self, tag: &Tag) {
        match tag {
            Tag::List(_) | Tag::BlockQuote(_) => self.flat.push(self.flat.len() >= MAX_NESTING),
            _ => {}
        }
        let flat = self.flat.last() == Some(&true);
        if flat && matches!(tag, Tag::List(_) | Tag::BlockQuote(_) | Tag::Item) {
            self.out.push_str("\n\n");
            return;
        }
        let out = &mut *self.out;
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, id, .. } => {
                let _ = write!(out, "\n#heading(level: {}, outlined: false)[", heading_level(*level, self.shift));
                self.heading = id.as_ref().map(|id| label(id));
            }
            Tag::BlockQuote(None) => out.push_str("\n#quote(block: true)["),
            Tag::BlockQuote(Some(kind)) => {
                let (class, i) = callout(*kind);
                let _ = write!(out, "\n#lotse-callout(\"{class}\", ");
                string_into(out, self.opts.callout_titles[i]);
                out.push_str(")[");
            }
            Tag::CodeBlock(kind) => {
                out.push_str("\n#raw(block: true, ");
                if let CodeBlockKind::Fenced(info) = kind
                    && let Some(lang) = info.split_whitespace().next()
                {
                    out.push_str("lang: ");
                    string_into(out, lang);
                    out.push_str(", ");
                }
                // The code's text follows as one string, closed at its end.
                out.push('"');
                self.code = true;
            }
            Tag::List(Some(start)) => {
                let _ = write!(out, "\n#enum(start: {start}, ");
            }
            Tag::List(None) => out.push_str("\n#list("),
            Tag::Item => out.push('['),
            Tag::FootnoteDefinition(_) => self.skip = 1,
            Tag::Table(aligns) => {
                let align: Vec<&str> = aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::Center => "center",
                        Alignment::Right => "right",
                        Alignment::None | Alignment::Left => "left",
                    })
                    .collect();
                out.push_str("\n#lotse-table(columns: ");
                let at = out.len();
                let _ = write!(out, ", align: ({},), ", align.join(", "));
                let n = aligns.len();
                self.table = Some(Columns { at, natural: vec![0; n], word: vec![0; n], ..Columns::default() });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.col = 0;
                }
                if matches!(tag, Tag::TableHead) {
                    out.push_str("table.header(");
                }
            }
            Tag::TableCell => out.push('['),
            Tag::Emphasis => out.push_str("#emph["),
            Tag::Strong => out.push_str("#strong["),
            Tag::Strikethrough => out.push_str("#strike["),
            Tag::Superscript => out.push_str("#super["),
            Tag::Subscript => out.push_str("#sub["),
            Tag::Link { dest_url, .. } => self.link_start(dest_url),
            Tag::Image { dest_url, .. } => {
                // `#lotse-image(src, [alt], alt: "alt")`: the alternative
                // text in a frame, until the PDF's maker finds the file
                // (`pdf::images`) and makes it a picture.
                out.push_str("#lotse-image(");
                string_into(out, &image_source(dest_url));
                out.push_str(", [");
                self.alt.push(String::new());
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        let flat = self.flat.last() == Some(&true);
        if matches!(tag, TagEnd::List(_) | TagEnd::BlockQuote(_)) {
            self.flat.pop();
        }
        if flat && matches!(tag, TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::Item) {
            self.out.push_str("\n\n");
            return;
        }
        let out = &mut *self.out;
        match tag {
            TagEnd::Paragraph => out.push_str("\n\n"),
            TagEnd::Heading(_) => {
                out.push(']');
                if let Some(l) = self.heading.take() {
                    let _ = write!(out, "<{l}>");
                }
                out.push_str("\n\n");
            }
            TagEnd::BlockQuote(_) => out.push_str("]\n\n"),
            TagEnd::CodeBlock => {
                self.code = false;
                out.push_str("\")\n\n");
            }
            TagEnd::List(_) => out.push_str(")\n\n"),
            TagEnd::Item => {
                let end = out.trim_end().len();
                out.truncate(end);
                out.push_str("], ");
            }
            TagEnd::Table => {
                out.push_str(")\n\n");
                if let Some(table) = self.table.take() {
                    out.insert_str(table.at, &table.spec());
                }
            }
            TagEnd::TableHead => out.push_str("), "),
            TagEnd::TableRow => {}
            TagEnd::TableCell => {
                out.push_str("], ");
                if let Some(table) = &mut self.table {
                    table.end_cell();
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript => {
                out.push(']')
            }
            TagEnd::Link => match self.link.take() {
                // An address shown as itself is not repeated after it.
                Some((at, url))
                    if out[at..] == escape(&url) || out[at..] == escape(url.trim_start_matches("mailto:")) =>
                {
                    out.push_str("], bare: true)")
                }
                _ => out.push_str("])"),
            },
            TagEnd::Image => {
                out.push_str("], alt: ");
                string_into(out, self.alt.pop().unwrap_or_default().trim());
                out.push(')');
            }
            TagEnd::FootnoteDefinition => {}
            TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {}
            TagEnd::DefinitionList | TagEnd::DefinitionListTitle | TagEnd::DefinitionListDefinition => {}
        }
    }

    /// `#lotse-ref(label, [text])` for an anchor in the document,
    /// `#lotse-link(url, [text])` for an absolute URL, `#lotse-plain([text])`
    /// for a relative link without a base URL; all closed by `])`.
    fn link_start(&mut self, dest: &str) {
        let out = &mut *self.out;
        if let Some(anchor) = dest.strip_prefix('#') {
            let _ = write!(out, "#lotse-ref(\"{}\", [", label(anchor));
            return;
        }
        match absolute(dest, self.opts.permalink) {
            Some(url) => {
                out.push_str("#lotse-link(");
                string_into(out, &url);
                out.push_str(", [");
                self.link = Some((out.len(), url));
            }
            None => out.push_str("#lotse-plain(["),
        }
    }
}

/// The heading's Typst level: `#` stays 1, every deeper level moves by `shift`.
fn heading_level(level: HeadingLevel, shift: u8) -> u8 {
    let l = level as u8;
    (l.max(2) + shift).saturating_sub(1).max(1)
}

fn callout(kind: BlockQuoteKind) -> (&'static str, usize) {
    match kind {
        BlockQuoteKind::Note => ("note", 0),
        BlockQuoteKind::Tip => ("tip", 1),
        BlockQuoteKind::Important => ("important", 2),
        BlockQuoteKind::Warning => ("warning", 3),
        BlockQuoteKind::Caution => ("caution", 4),
    }
}

/// What an image's destination (as the link policy rewrote it for the
/// page) leads to: a file of the site as its path from the output root
/// (`/01-x/pic.png`), or an address elsewhere as it is. A local file's
/// destination is the way up to the output root (`../../`) and the path
/// from there, whatever folder the page is in; one that leaves the root
/// is no file of the site (`""`).
pub(crate) fn image_source(dest: &str) -> String {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if scheme || dest.starts_with("//") {
        return dest.to_string();
    }
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    let mut rest = path.trim_start_matches('/');
    while let Some(r) = rest.strip_prefix("../").or_else(|| rest.strip_prefix("./")) {
        rest = r;
    }
    match crate::links::normalise("", &crate::links::decode(rest)) {
        Some(p) if !p.is_empty() && !p.ends_with('/') => format!("/{p}"),
        _ => String::new(),
    }
}

/// `dest` as an absolute URL: as it is when it has a scheme, else resolved
/// against `base` (the page's absolute URL), else `None`.
pub(crate) fn absolute(dest: &str, base: Option<&str>) -> Option<String> {
    if let Some((scheme, _)) = dest.split_once(':')
        && !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "mailto").then(|| dest.to_string());
    }
    let base = base?;
    let (origin, path) = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        .map_or((base, "/"), |at| (&base[..at], &base[at..]));
    if let Some(rest) = dest.strip_prefix('/') {
        return Some(format!("{origin}/{rest}"));
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop(); // the file name (empty for a folder URL)
    let (dest, fragment) = dest.split_once('#').map_or((dest, None), |(d, f)| (d, Some(f)));
    for seg in dest.split('/') {
        match seg {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    let mut url = format!("{origin}{}", parts.join("/"));
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    Some(url)
}

/// `text` as Typst markup text: every ASCII punctuation character escaped.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c == '\u{0}' || (c.is_control() && c != '\n' && c != '\t') {
            // Control characters would only confuse the reader.
        } else if c == '\n' || c == '\t' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// `text` as Typst markup text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// A Typst label name for the anchor `id`: label characters kept, others
/// replaced (with a hash of the id, so two ids stay apart).
pub fn label(id: &str) -> String {
    let clean: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.:".contains(c) { c } else { '_' }).collect();
    if clean == id && !clean.is_empty() {
        clean
    } else {
        format!("x{clean}-{:x}", crate::hash::hash_of(id) & 0xffff_ffff)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{MdOptions, render, tests::OPTS};
    use super::*;

    fn page(md: &str) -> String {
        let opts = MdOptions { typst: TypstMode::Page { shift: 1 }, permalink: Some("https://x.org/g/a/b/"), ..OPTS };
        render(md, &opts, &mut |_| None).typst
    }

    #[test]
    fn table_columns_are_sized_from_their_cells() {
        let long = "Ein langer Satz in einer Zelle, der umbrechen muss und viel Platz braucht, mehr als eine Zeile";
        let t = page(&format!("| Größe | Wert |\n|---|---|\n| {long} | 1.386.000 Euro |\n| kurz | 7 |\n"));
        // The value column keeps its longest short cell (14 characters and
        // two of padding) on one line; the long one takes the rest of 90.
        assert!(t.contains("#lotse-table(columns: (74fr, 16fr,), "), "{t}");
        // Tables that fit get their longest cells.
        let t = page("| a | bb |\n|---|---|\n| ccc | d |\n");
        assert!(t.contains("columns: (5fr, 4fr,)"), "{t}");
    }

    /// Markup of a fixture page with every construct the writer knows.
    #[test]
    fn markup_of_a_fixture_page() {
        let md = "# Titel\n\n## Ziele {#ziele}\n\nEin *Plan*, **fett**, ~~weg~~, `code` und [Link](../c/#k), \
                  [extern](https://example.org/x) <https://example.org>.\\\nZeile.[^1]\n\n\
                  - [ ] Sponsor benannt\n  - [x] verschachtelt\n- normal\n\n3. drei\n4. vier\n\n\
                  > [!WARNING]\n> Vorsicht!\n\n> Zitat\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n\
                  ```rust\nfn main() { \"x\" }\n```\n\n---\n\n![Bild](bild.png)\n\n[^1]: Fußnote.\n";
        insta::assert_snapshot!(page(md));
    }

    #[test]
    fn hostile_text_stays_text() {
        let hostile = "#panic(\"x\") $x$ <lbl> @ref [a](b) `#x` \\ * _ = - + / // /* ~ ' \" ] [ ) (";
        let t = page(&format!("## {hostile}\n\n{hostile}\n\n- [ ] {hostile}\n"));
        assert!(!t.replace("\\#", "").contains("#panic"), "{t}");
        // The markup typesets, and the text is there as written.
        let setup = crate::pdf::template::Setup {
            title: hostile,
            lang: "de",
            paper: "a4",
            margin: "18mm",
            accent: "#0b6e6e",
            header: hostile,
            page_word: hostile,
            running_stage: true,
            justify: true,
        };
        let source = format!("{}{t}", crate::pdf::template::preamble(&setup));
        let doc = crate::pdf::Document { source, ..Default::default() };
        let pdf = crate::pdf::compile(&doc);
        assert!(pdf.is_ok(), "{pdf:?}\n{t}");
    }

    #[test]
    fn deep_nesting_is_flattened_to_what_typst_parses() {
        let md = (0..200).map(|i| format!("{}- item {i}\n", "  ".repeat(i))).collect::<String>();
        let quotes = format!("{} deep\n", ">".repeat(200));
        for t in [page(&md), page(&quotes)] {
            let source = format!("#let lotse-box(c) = []\n#let lotse-callout(..a) = []\n{t}");
            let doc = crate::pdf::Document { source, ..Default::default() };
            let r = crate::pdf::compile(&doc);
            assert!(r.is_ok(), "{r:?}");
        }
        assert!(page(&md).contains("item 199"));
    }

    #[test]
    fn strings_and_labels_cannot_break_out() {
        assert_eq!(string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(label("ziele-1"), "ziele-1");
        let l = label("x> #panic() <y");
        assert!(l.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c)), "{l}");
        assert_ne!(label("a b"), label("a_b"));
    }

    #[test]
    fn relative_links_become_absolute() {
        let base = Some("https://x.org/g/01-a/page/");
        assert_eq!(absolute("../../02-b/c/#k", base).as_deref(), Some("https://x.org/g/02-b/c/#k"));
        assert_eq!(absolute("sub/", base).as_deref(), Some("https://x.org/g/01-a/page/sub/"));
        assert_eq!(absolute("/z/", base).as_deref(), Some("https://x.org/z/"));
        assert_eq!(absolute("https://e.org/", None).as_deref(), Some("https://e.org/"));
        assert_eq!(absolute("javascript:alert(1)", base), None);
        assert_eq!(absolute("../x/", None), None);
    }

    #[test]
    fn images_name_the_site_file_or_keep_their_address() {
        assert_eq!(image_source("../../01-a/pic%20one.png"), "/01-a/pic one.png");
        assert_eq!(image_source("./pic.png?v=2#x"), "/pic.png");
        assert_eq!(image_source("../img/./a/../logo.svg"), "/img/logo.svg");
        assert_eq!(image_source("/img/logo.svg"), "/img/logo.svg");
        assert_eq!(image_source("../a/../../../etc/passwd"), "");
        assert_eq!(image_source("../%2e%2e/etc/passwd"), "");
        assert_eq!(image_source("../"), "");
        assert_eq!(image_source("https://e.org/p.png"), "https://e.org/p.png");
        assert_eq!(image_source("//e.org/p.png"), "//e.org/p.png");
        assert_eq!(image_source("data:image/png;base64,AAAA"), "data:image/png;base64,AAAA");
        let t = page("![Ein *Bild* mit `code`](../../01-a/b.png \"Titel\")\n");
        assert_eq!(
            t.trim(),
            r#"#lotse-image("/01-a/b.png", [Ein #emph[Bild] mit #raw("code")], alt: "Ein Bild mit code")"#
        );
    }

    #[test]
    fn task_items_get_inline_markup() {
        let opts = MdOptions { typst: TypstMode::Tasks, permalink: Some("https://x.org/a/"), ..OPTS };
        let r = render("- [ ] Mit *Nachdruck* und [Link](../b/)\n", &opts, &mut |_| None);
        assert_eq!(r.tasks[0].typst, "Mit #emph[Nachdruck] und #lotse-link(\"https://x.org/b/\", [Link])");
        assert!(r.typst.is_empty());
    }
}
