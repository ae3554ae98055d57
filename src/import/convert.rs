//! Converts the template tags of a body (see [`scan`](super::scan)) with a
//! source tool's handler: each tag is kept, replaced, replaced together
//! with everything up to its closing tag, or left as a visible
//! `not imported:` marker that the report lists with its line.

use super::edits::Edits;
use super::links::code;
use super::plan::Tree;
use super::report::{ImportReport, Topic};
use super::scan::{Delim, Found, tags, unescaped};

/// What to do with the tag at index `i`.
pub(crate) enum Action {
    /// Leave it as written (not a tag of this tool).
    Keep,
    /// Replace the tag with this text.
    Replace(String),
    /// Replace the tag, its closing tag at index `close` and all between.
    Block { close: usize, with: String },
    /// Leave a visible marker (reported, with `why`).
    Mark(String),
    /// Remove the tag (reported as not converted, with `why`).
    Drop(String),
}

/// What a handler may use.
pub(crate) struct BodyCx<'a> {
    pub src: &'a str,
    pub tree: &'a Tree,
    /// The page's title (`{{ page.title }}`).
    pub title: &'a str,
    /// The site's title (`{{ site.title }}`).
    pub site_title: &'a str,
    /// 1-based source line of a byte offset of the body being converted.
    pub line: &'a dyn Fn(usize) -> usize,
    pub report: &'a mut ImportReport,
    /// Offset of the text being converted in the body (for inner blocks).
    pub base: usize,
    /// Conversions made (for the counts).
    pub converted: usize,
}

/// A tool's tag handler: the tags of the text, the index of the tag, the text.
pub(crate) type Handler = fn(&[Found], usize, &str, &mut BodyCx) -> Action;

/// Reports the tag at `range` of `body` as not converted; returns its text.
fn not_converted<'b>(cx: &mut BodyCx, body: &'b str, range: std::ops::Range<usize>, why: &str) -> &'b str {
    let text = &body[range.clone()];
    let line = (cx.line)(cx.base + range.start);
    cx.report.add(Topic::NotConverted, cx.src, line, format!("{why}: `{}`", one_line(text)));
    text
}

/// Converts the tags in `body` with `handler`.
pub(crate) fn convert(body: &str, handler: Handler, cx: &mut BodyCx) -> (String, Edits) {
    let found = tags(body);
    let mut edits = Edits::default();
    let mut i = 0;
    while i < found.len() {
        let f = &found[i];
        if f.escaped {
            edits.replace(f.range.start, f.range.end, unescaped(f));
            i += 1;
            continue;
        }
        if f.in_code && !matches!(f.name(), "raw" | "endraw") && f.delim != Delim::Hash {
            i += 1;
            continue;
        }
        match handler(&found, i, body, cx) {
            Action::Keep => {}
            Action::Replace(with) => {
                cx.converted += 1;
                edits.replace(f.range.start, f.range.end, with);
            }
            Action::Block { close, with } => {
                cx.converted += 1;
                edits.replace(f.range.start, found[close].range.end, with);
                i = close;
            }
            Action::Mark(why) => {
                let text = not_converted(cx, body, f.range.clone(), &why);
                edits.replace(f.range.start, f.range.end, code(&format!("not imported: {text}")));
            }
            Action::Drop(why) => {
                not_converted(cx, body, f.range.clone(), &why);
                edits.replace(f.range.start, f.range.end, "");
            }
        }
        i += 1;
    }
    let out = edits.apply(body);
    (out, edits)
}

fn one_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 120 { format!("{}…", s.chars().take(120).collect::<String>()) } else { s }
}

/// The text between tag `i` and tag `close`, converted with `handler`.
pub(crate) fn inner(found: &[Found], i: usize, close: usize, body: &str, handler: Handler, cx: &mut BodyCx) -> String {
    let range = found[i].range.end..found[close].range.start;
    let base = cx.base;
    cx.base = base + range.start;
    let (out, _) = convert(&body[range], handler, cx);
    cx.base = base;
    out
}

/// The text between tag `i` and tag `close`, as written.
pub(crate) fn verbatim<'b>(found: &[Found], i: usize, close: usize, body: &'b str) -> &'b str {
    &body[found[i].range.end..found[close].range.start]
}

/// The index of the tag closing tag `i`: the first tag after it for which
/// `is_close` holds, skipping nested pairs of tags for which `is_open` holds.
pub(crate) fn find_close(
    found: &[Found],
    i: usize,
    is_open: impl Fn(&Found) -> bool,
    is_close: impl Fn(&Found) -> bool,
) -> Option<usize> {
    let mut depth = 0;
    for (j, f) in found.iter().enumerate().skip(i + 1) {
        if is_close(f) {
            if depth == 0 {
                return Some(j);
            }
            depth -= 1;
        } else if is_open(f) {
            depth += 1;
        }
    }
    None
}

/// The GitHub callout kind for an admonition name of any tool, if any.
pub(crate) fn callout_kind(name: &str) -> Option<&'static str> {
    Some(match name.to_lowercase().as_str() {
        "note" | "info" | "abstract" | "summary" | "tldr" | "todo" | "question" | "help" | "faq" | "example"
        | "quote" | "cite" | "primary" | "secondary" | "callout" | "hint" | "notice" | "admonition" | "alert"
        | "information" | "default" => "NOTE",
        "tip" | "success" | "check" | "done" | "hint-tip" | "tips" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "attention" | "failure" | "fail" | "missing" | "bug" | "warn" => "WARNING",
        "danger" | "error" | "caution" => "CAUTION",
        _ => return None,
    })
}

/// A callout block (`> [!NOTE]`) with an optional bold title line,
/// starting on a line of its own.
pub(crate) fn callout(kind: &str, title: Option<&str>, text: &str, before: &str) -> String {
    let mut out = String::new();
    if !before.is_empty() && !before.ends_with('\n') {
        out.push_str("\n\n");
    }
    out.push_str(&format!("> [!{kind}]\n"));
    if let Some(t) = title.filter(|t| !t.trim().is_empty()) {
        out.push_str(&format!("> **{}**\n>\n", t.trim()));
    }
    for line in text.trim_matches('\n').lines() {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            out.push_str(&format!("> {line}\n"));
        }
    }
    out.trim_end_matches('\n').to_string()
}

/// A fenced code block holding `text`, with a fence longer than any in it.
pub(crate) fn fenced(lang: &str, text: &str) -> String {
    let mut fence = "```".to_string();
    while text.contains(&fence) {
        fence.push('`');
    }
    format!("{fence}{lang}\n{}\n{fence}", text.trim_matches('\n'))
}

/// An image with an optional caption line below it.
pub(crate) fn figure(src: &str, alt: &str, title: Option<&str>, caption: Option<&str>) -> String {
    let title = title.filter(|t| !t.is_empty()).map(|t| format!(" \"{}\"", t.replace('"', "'"))).unwrap_or_default();
    let mut out = format!("![{alt}]({}{title})", src.replace(' ', "%20"));
    if let Some(c) = caption.filter(|c| !c.is_empty()) {
        out.push_str(&format!("\n*{c}*"));
    }
    out
}

/// Whether `f` uses Hugo's delimiters.
pub(crate) fn is_hugo(f: &Found) -> bool {
    matches!(f.delim, Delim::Angle | Delim::Percent)
}

/// Runs `f` with a context for converting `body` of `src` (title `Page`,
/// site `Site`); returns its result and the report it filled.
#[cfg(test)]
pub(crate) fn with_test_cx<R>(
    body: &str,
    src: &str,
    tree: &Tree,
    f: impl FnOnce(&mut BodyCx) -> R,
) -> (R, ImportReport) {
    let mut report = ImportReport::default();
    let line = |o: usize| crate::import::edits::line_of(body, o);
    let mut cx = BodyCx {
        src,
        tree,
        title: "Page",
        site_title: "Site",
        line: &line,
        report: &mut report,
        base: 0,
        converted: 0,
    };
    let out = f(&mut cx);
    (out, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callouts_and_fences_are_well_formed() {
        assert_eq!(
            callout("TIP", Some("Try"), "\nDo it.\n\nAgain.\n", "x\n"),
            "> [!TIP]\n> **Try**\n>\n> Do it.\n>\n> Again."
        );
        assert_eq!(callout("NOTE", None, "a", "text "), "\n\n> [!NOTE]\n> a");
        assert_eq!(fenced("go", "\na ``` b\n"), "````go\na ``` b\n````");
        assert_eq!(figure("a b.png", "A", Some("T"), Some("C")), "![A](a%20b.png \"T\")\n*C*");
        assert_eq!(callout_kind("Warning"), Some("WARNING"));
        assert_eq!(callout_kind("youtube"), None);
    }
}
