//! The workshop kit's Markdown: facilitator text (`> [!FACILITATOR]` and
//! ```` ```facilitator ```` blocks) and ```` ```worksheet ```` blocks.
//!
//! Facilitator text is marked in the event list by two sentinel events
//! ([`OPEN`], [`CLOSE`]) that later passes understand: it is dropped for a
//! participants' build, kept out of the first paragraph, never holds
//! checklist items, and is finally wrapped in a labelled box and collected
//! for the facilitator guide.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd, html};

use super::{MdOptions, MdWarning, Rendered, Spanned, escape, parser_options};
use crate::workshop::{BlockError, Worksheet, WorksheetSpec};

/// Where facilitator text starts (an HTML event no Markdown can produce:
/// the parser replaces NUL characters).
pub(super) const OPEN: &str = "\u{0}lotse:facilitator";
/// Where facilitator text ends.
pub(super) const CLOSE: &str = "\u{0}/lotse:facilitator";

/// The callout marker, matched case-insensitively like GitHub's.
const MARKER: &str = "[!FACILITATOR]";

/// Empty rows of a worksheet shown on the web page (the printable sheet
/// has all of them).
const WEB_ROWS: usize = 3;

/// A facilitator note: one callout or block, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilitatorNote {
    /// Its HTML (without the box around it).
    pub html: String,
    /// Index into the page's headings of the nearest heading above.
    pub heading: Option<usize>,
    /// Its Typst markup (empty unless asked for, [`super::TypstMode`]).
    pub typst: String,
}

/// A worksheet block of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct WorksheetBlock {
    /// The checked spec.
    pub sheet: Worksheet,
    /// Byte offset of the block in the Markdown body.
    pub offset: usize,
}

fn is_marker(e: &Event, which: &str) -> bool {
    matches!(e, Event::Html(h) if h.as_ref() == which)
}

/// The first word of a fenced block's info string, lowercased.
fn block_lang(info: &str) -> String {
    info.split_whitespace().next().unwrap_or("").to_ascii_lowercase()
}

/// Whether any event starts a block this module handles (most pages have
/// none, and then the events are left as they are).
fn has_blocks(events: &[Spanned], body: &str) -> bool {
    events.iter().any(|(e, r)| match e {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            matches!(block_lang(info).as_str(), "facilitator" | "worksheet")
        }
        Event::Start(Tag::BlockQuote(None)) => body[r.start..r.end].to_ascii_uppercase().contains(MARKER),
        _ => false,
    })
}

/// Expands facilitator and worksheet blocks in `events`: facilitator text
/// between [`OPEN`] and [`CLOSE`] (or dropped, for participants), worksheets
/// as tables, problems as warnings.
pub(super) fn expand<'a>(events: &mut Vec<Spanned<'a>>, body: &'a str, opts: &MdOptions, out: &mut Rendered) {
    if !has_blocks(events, body) {
        return;
    }
    let old = std::mem::take(events);
    let mut iter = old.into_iter().peekable();
    // For each open plain block quote: whether it is facilitator text.
    let mut quotes: Vec<bool> = Vec::new();
    while let Some((e, r)) = iter.next() {
        match e {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info))) => match block_lang(info).as_str() {
                "facilitator" => {
                    let code = take_code(&mut iter, body);
                    events.push((Event::Html(OPEN.into()), r.start..r.start));
                    parse_inner(events, body, &code);
                    events.push((Event::Html(CLOSE.into()), r.end..r.end));
                }
                "worksheet" => {
                    let code = take_code(&mut iter, body);
                    worksheet(events, &code, r, opts, out);
                }
                _ => events.push((e, r)),
            },
            Event::Start(Tag::BlockQuote(None)) => match strip_marker(&mut iter, body) {
                Some(paragraph) => {
                    quotes.push(true);
                    events.push((Event::Html(OPEN.into()), r));
                    events.extend(paragraph);
                }
                None => {
                    quotes.push(false);
                    events.push((e, r));
                }
            },
            Event::End(TagEnd::BlockQuote(None)) => {
                let marked = quotes.pop().unwrap_or(false);
                events.push(if marked { (Event::Html(CLOSE.into()), r) } else { (e, r) });
            }
            e => events.push((e, r)),
        }
    }
    check_regions(events, opts, out);
}

/// A fenced block's text, where it starts in the body, and whether it
/// stands there unchanged (not indented inside a list or quote).
struct Code {
    text: String,
    start: usize,
    verbatim: bool,
}

fn take_code<'a>(iter: &mut impl Iterator<Item = Spanned<'a>>, body: &str) -> Code {
    let mut text = String::new();
    let (mut start, mut end) = (None, 0);
    for (e, r) in iter.by_ref() {
        match e {
            Event::Text(t) => {
                start.get_or_insert(r.start);
                end = r.end;
                text.push_str(&t);
            }
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    let start = start.unwrap_or(end);
    let verbatim = body.get(start..end) == Some(text.as_str());
    Code { text, start, verbatim }
}

/// Parses a facilitator block's Markdown and appends its events, with
/// offsets in the body where the text stands there as it is.
fn parse_inner<'a>(events: &mut Vec<Spanned<'a>>, body: &'a str, code: &Code) {
    if code.verbatim {
        let text = &body[code.start..code.start + code.text.len()];
        let parsed = Parser::new_ext(text, parser_options()).into_offset_iter();
        events.extend(parsed.map(|(e, r)| (e, r.start + code.start..r.end + code.start)));
    } else {
        let at = code.start..code.start;
        let parsed = Parser::new_ext(&code.text, parser_options());
        events.extend(parsed.map(|e| (e.into_static(), at.clone())));
    }
}

/// Removes the `[!FACILITATOR]` line of a block quote that starts with
/// it: `None` if it does not, else the paragraph start to put back when
/// more text follows the marker in the same paragraph.
fn strip_marker<'a>(
    iter: &mut std::iter::Peekable<impl Iterator<Item = Spanned<'a>>>,
    body: &str,
) -> Option<Option<Spanned<'a>>> {
    let Some((Event::Start(Tag::Paragraph), p)) = iter.peek() else { return None };
    let line = body[p.start..].lines().next().unwrap_or("").trim_end();
    if !line.eq_ignore_ascii_case(MARKER) {
        return None;
    }
    let paragraph = iter.next();
    for (e, _) in iter.by_ref() {
        match e {
            Event::SoftBreak | Event::HardBreak => return Some(paragraph),
            Event::End(TagEnd::Paragraph) => return Some(None),
            _ => {}
        }
    }
    Some(None)
}

/// A worksheet block as a table on the page, or its problem as an error.
fn worksheet<'a>(
    events: &mut Vec<Spanned<'a>>,
    code: &Code,
    r: std::ops::Range<usize>,
    opts: &MdOptions,
    out: &mut Rendered,
) {
    match parse_worksheet(&code.text) {
        Ok(sheet) => {
            events.push((Event::Html(CowStr::from(table(&sheet, opts))), r.clone()));
            out.worksheets.push(WorksheetBlock { sheet, offset: r.start });
        }
        Err((i, message, hint)) => {
            let offset = if code.verbatim { code.start + i } else { r.start };
            out.warnings.push(MdWarning { offset, message: format!("worksheet: {message}"), hint, is_error: true });
        }
    }
}

/// Parses and checks the YAML of a worksheet block.
fn parse_worksheet(yaml: &str) -> Result<Worksheet, BlockError> {
    let spec: WorksheetSpec = crate::frontmatter::parse_block(yaml).map_err(|(at, msg, hint)| {
        if msg.contains("untagged enum Column") {
            let hint = "write a column as a title (`- Ziel`) or as `- {title: Ziel, width: 2}`";
            (at, "a column must be a title or a mapping with `title` and `width`".into(), Some(hint.into()))
        } else {
            (at, msg, hint)
        }
    })?;
    Worksheet::from_spec(spec, yaml)
}

/// The worksheet as it shows on its page: header, example and a few rows.
fn table(sheet: &Worksheet, opts: &MdOptions) -> String {
    let mut h = format!(
        "<figure class=\"worksheet\" id=\"worksheet-{}\">\n<figcaption><span class=\"worksheet-label\">{}:</span> {}</figcaption>\n",
        sheet.id,
        escape(opts.worksheet_label),
        escape(&sheet.title)
    );
    if let Some(intro) = &sheet.intro {
        h.push_str(&format!("<p class=\"worksheet-intro\">{}</p>\n", escape(intro)));
    }
    h.push_str(&sheet_table(sheet, sheet.rows.min(WEB_ROWS)));
    if let Some((prefix, suffix)) = opts.worksheet_url {
        h.push_str(&format!(
            "<p class=\"worksheet-print\"><a href=\"{prefix}{}/{suffix}\">{}</a></p>\n",
            sheet.id,
            escape(opts.worksheet_print)
        ));
    }
    h.push_str("</figure>\n");
    h
}

/// The worksheet's table with `rows` empty rows (after its example).
pub fn sheet_table(sheet: &Worksheet, rows: usize) -> String {
    let mut h = String::from("<div class=\"table-wrap\" tabindex=\"0\"><table class=\"worksheet-table\">\n<thead><tr>");
    for (title, width) in &sheet.columns {
        h.push_str(&format!("<th scope=\"col\" style=\"width:{width}%\">{}</th>", escape(title)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    if !sheet.example.is_empty() {
        h.push_str("<tr class=\"worksheet-example\">");
        for v in &sheet.example {
            h.push_str(&format!("<td>{}</td>", escape(v)));
        }
        h.push_str("</tr>\n");
    }
    let empty = "<td></td>".repeat(sheet.columns.len());
    for _ in 0..rows {
        h.push_str(&format!("<tr class=\"worksheet-row\">{empty}</tr>\n"));
    }
    h.push_str("</tbody></table></div>\n");
    h
}

/// Checklist items inside facilitator text, and facilitator text inside
/// checklist items, are errors (either would mix what participants get
/// with what they must not see); for participants the text is dropped.
fn check_regions(events: &mut Vec<Spanned>, opts: &MdOptions, out: &mut Rendered) {
    let mut depth = 0usize;
    // For each open list item: whether it is a checklist item.
    let mut items: Vec<bool> = Vec::new();
    let mut problem = |offset: usize, message: &str| {
        out.warnings.push(MdWarning {
            offset,
            message: message.into(),
            hint: Some(
                "facilitator text never reaches participants' handouts: keep checklist items and facilitator text apart (a `- ` item without a box is fine)".into(),
            ),
            is_error: true,
        });
    };
    events.retain(|(e, r)| {
        match e {
            Event::Start(Tag::Item) => items.push(false),
            Event::End(TagEnd::Item) => {
                items.pop();
            }
            Event::TaskListMarker(_) => {
                if let Some(top) = items.last_mut() {
                    *top = true;
                }
                if depth > 0 {
                    problem(r.start, "a checklist item inside facilitator text");
                    return false;
                }
            }
            _ => {}
        }
        if is_marker(e, OPEN) {
            if depth == 0 && items.iter().any(|&task| task) {
                problem(r.start, "facilitator text inside a checklist item");
            }
            depth += 1;
            return opts.facilitator.is_some();
        }
        if is_marker(e, CLOSE) {
            depth = depth.saturating_sub(1);
            return opts.facilitator.is_some();
        }
        depth == 0 || opts.facilitator.is_some()
    });
}

/// The Typst markup of each outermost piece of facilitator text, in order
/// (the notes [`finish`] collects).
pub(super) fn notes_typst(events: &[Spanned], opts: &MdOptions) -> Vec<String> {
    let mut found = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, (e, _)) in events.iter().enumerate() {
        if is_marker(e, OPEN) {
            if depth == 0 {
                start = i + 1;
            }
            depth += 1;
        } else if is_marker(e, CLOSE) {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                let mut t = String::new();
                super::typst::write(&mut t, &events[start..i], opts, 0);
                found.push(t.trim().to_string());
            }
        }
    }
    found
}

/// Replaces the sentinels with the labelled box, and collects each
/// outermost piece of facilitator text as a note.
pub(super) fn finish<'a>(events: &mut Vec<Event<'a>>, opts: &MdOptions, notes: &mut Vec<FacilitatorNote>) {
    let Some(title) = opts.facilitator else { return };
    if !events.iter().any(|e| is_marker(e, OPEN)) {
        return;
    }
    let title = escape(title);
    let open = format!(
        "<aside class=\"callout callout-facilitator\" role=\"note\" aria-label=\"{title}\">\n<p class=\"callout-title\">{title}</p>\n"
    );
    let (mut depth, mut start, mut headings) = (0usize, 0usize, 0usize);
    let (mut heading, mut note_heading) = (None, None);
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(headings);
                headings += 1;
            }
            e if is_marker(e, OPEN) => {
                if depth == 0 {
                    start = i;
                    note_heading = heading;
                }
                depth += 1;
                events[i] = Event::Html(CowStr::from(open.clone()));
            }
            e if is_marker(e, CLOSE) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let mut html = String::new();
                    html::push_html(&mut html, events[start + 1..i].iter().cloned());
                    notes.push(FacilitatorNote { html, heading: note_heading, typst: String::new() });
                }
                events[i] = Event::Html("</aside>\n".into());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{MdOptions, Rendered, render};

    const OPTS: MdOptions = MdOptions { worksheet_print: "Print it", ..super::super::tests::OPTS };

    fn md(s: &str) -> Rendered {
        render(s, &OPTS, &mut |_| None)
    }

    fn participants(s: &str) -> Rendered {
        render(s, &MdOptions { facilitator: None, ..OPTS }, &mut |_| None)
    }

    const PAGE: &str = "Intro for all.\n\n## Step\n\n> [!FACILITATOR]\n> Ask **why** first.\n\nMore.\n\n```facilitator\nWhen the group stalls:\n\n- split it\n- [link](b.md)\n```\n\nEnd.\n";

    #[test]
    fn facilitator_text_is_labelled_and_collected() {
        let r = md(PAGE);
        assert_eq!(r.html.matches("<aside class=\"callout callout-facilitator\"").count(), 2, "{}", r.html);
        assert!(r.html.contains("<p class=\"callout-title\">For facilitators</p>"));
        assert!(!r.html.contains("[!FACILITATOR]"), "{}", r.html);
        assert!(!r.html.contains("<blockquote>"), "{}", r.html);
        assert!(!r.html.contains("<code"), "the block is Markdown, not code: {}", r.html);
        assert_eq!(r.facilitator.len(), 2);
        assert_eq!(r.facilitator[0].html.trim(), "<p>Ask <strong>why</strong> first.</p>");
        assert_eq!(r.facilitator[0].heading, Some(0));
        assert!(r.facilitator[1].html.contains("<li>split it</li>"), "{}", r.facilitator[1].html);
        assert_eq!(r.first_paragraph, "Intro for all.");
    }

    #[test]
    fn participants_never_see_facilitator_text() {
        let r = participants(PAGE);
        for secret in ["why", "stalls", "split it", "facilitator", "FACILITATOR"] {
            assert!(!r.html.contains(secret), "{secret} in {}", r.html);
            assert!(!r.plain.contains(secret), "{secret} in {}", r.plain);
        }
        assert!(r.facilitator.is_empty());
        assert!(r.html.contains("More.") && r.html.contains("End."));
    }

    #[test]
    fn links_inside_facilitator_blocks_are_offered_at_their_place() {
        let mut seen = Vec::new();
        render(PAGE, &OPTS, &mut |l| {
            seen.push(l.clone());
            None
        });
        assert_eq!(seen.len(), 1);
        assert_eq!(&PAGE[seen[0].offset..seen[0].offset + 6], "[link]");
    }

    #[test]
    fn a_checklist_item_in_facilitator_text_is_a_located_error() {
        let text = "> [!FACILITATOR]\n> - [ ] secret item\n";
        let r = md(text);
        assert!(r.tasks.is_empty());
        let w = r.warnings.iter().find(|w| w.is_error).expect("an error");
        assert!(w.message.contains("inside facilitator text"));
        assert_eq!(&text[w.offset..w.offset + 5], "[ ] s");
    }

    #[test]
    fn facilitator_text_inside_a_checklist_item_is_a_located_error() {
        let text = "- [ ] Ziel festlegen\n\n  > [!FACILITATOR]\n  > Geheim.\n- normal item\n\n  > [!FACILITATOR]\n  > Fine here.\n";
        let r = md(text);
        let errors: Vec<_> = r.warnings.iter().filter(|w| w.is_error).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("facilitator text inside a checklist item"));
        assert_eq!(&text[errors[0].offset..errors[0].offset + 4], "> [!");
        assert_eq!(r.tasks.len(), 1);
    }

    #[test]
    fn a_marker_alone_or_lowercase_still_marks_the_quote() {
        let r = md("> [!facilitator]\n>\n> Watch the clock.\n");
        assert_eq!(r.facilitator.len(), 1);
        assert!(r.facilitator[0].html.contains("Watch the clock."));
        // Not a marker: other text on the line.
        let r = md("> [!FACILITATOR] says\n");
        assert!(r.facilitator.is_empty());
        assert!(r.html.contains("<blockquote>"));
    }

    #[test]
    fn worksheets_render_as_tables_with_a_print_link() {
        let text = "```worksheet\nid: goal-map\ntitle: Goal map\nrows: 10\ncolumns: [Segment, {title: Goal, width: 3}]\nexample: [Service, Answer in a day]\n```\n";
        let r = md(text);
        assert_eq!(r.worksheets.len(), 1);
        assert_eq!(r.worksheets[0].sheet.rows, 10);
        assert!(r.html.contains("id=\"worksheet-goal-map\""), "{}", r.html);
        assert!(r.html.contains("<th scope=\"col\" style=\"width:75%\">Goal</th>"), "{}", r.html);
        assert!(r.html.contains("<td>Answer in a day</td>"));
        assert_eq!(r.html.matches("class=\"worksheet-row\"").count(), 3, "the page shows three empty rows");
        assert!(r.html.contains("href=\"../worksheets/goal-map/\">Print it</a>"), "{}", r.html);
    }

    #[test]
    fn worksheet_errors_point_at_their_line_in_the_block() {
        let text = "Text.\n\n```worksheet\ntitle: T\ncolumns: [A]\nrow: 3\n```\n";
        let r = md(text);
        let w = r.warnings.iter().find(|w| w.is_error).expect("an error");
        assert_eq!(&text[w.offset..w.offset + 4], "row:");
        assert!(w.message.contains("unknown field `row`"), "{}", w.message);
        assert_eq!(w.hint.as_deref(), Some("did you mean `rows`?"));
    }
}
