//! Links inside raw HTML in Markdown (`<a href="…">`, `<img src="…">`):
//! found, offered to the link callback like Markdown links, and rewritten
//! in place, so HTML migrated from other generators is checked too.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{LinkKind, LinkRef, MdWarning, Spanned};

/// The tags and attributes whose values are links.
const LINK_ATTRS: [(&str, &str); 2] = [("a", "href"), ("img", "src")];

/// One link attribute value found in an HTML fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HtmlLink {
    /// Byte range of the value (without quotes) in the fragment.
    pub(crate) range: Range<usize>,
    /// The value with `&amp;`-style entities decoded.
    pub(crate) value: String,
    /// In an `<img>`.
    pub(crate) image: bool,
}

/// Every `href` of an `<a>` and `src` of an `<img>` in `html`, in order.
pub(crate) fn links(html: &str) -> Vec<HtmlLink> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| i + p) {
        i = lt + 1;
        let name_end = html[i..].find(|c: char| !c.is_ascii_alphanumeric()).map_or(html.len(), |p| i + p);
        let name = html[i..name_end].to_ascii_lowercase();
        let Some(&(_, wanted)) = LINK_ATTRS.iter().find(|(tag, _)| *tag == name) else { continue };
        let mut j = name_end;
        // Attributes up to the closing `>`.
        while j < bytes.len() && bytes[j] != b'>' {
            if bytes[j].is_ascii_whitespace() || bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let attr_end =
                html[j..].find(|c: char| c.is_whitespace() || "=>/".contains(c)).map_or(html.len(), |p| j + p);
            let attr = html[j..attr_end].to_ascii_lowercase();
            j = attr_end;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            // The value, and where the next attribute may start.
            let (start, end, next) = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..].find(q as char).map_or(html.len(), |p| j + 1 + p);
                    (j + 1, end, (end + 1).min(html.len()))
                }
                _ => {
                    let end = html[j..].find(|c: char| c.is_whitespace() || c == '>').map_or(html.len(), |p| j + p);
                    (j, end, end)
                }
            };
            if attr == wanted {
                out.push(HtmlLink {
                    range: start..end,
                    value: decode_entities(&html[start..end]),
                    image: name == "img",
                });
            }
            j = next;
        }
        i = j.max(i);
    }
    out
}

/// The first `{{ … }}` or `{% … %}` in a link (Jekyll, Hugo, Liquid,
/// Jinja), as written.
fn template_tag(dest: &str) -> Option<&str> {
    let start = match (dest.find("{{"), dest.find("{%")) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let close = if dest[start..].starts_with("{{") { "}}" } else { "%}" };
    let end = dest[start..].find(close).map_or(dest.len(), |e| start + e + 2);
    Some(&dest[start..end])
}

/// The message and hint for a link that holds a template tag, if it does.
pub fn template_tag_problem(dest: &str) -> Option<(String, String)> {
    let tag = template_tag(dest)?;
    Some((
        format!("link `{dest}` contains the template tag `{tag}`, left over from another generator"),
        "Lotse runs no template tags in content: link the Markdown file relatively (`../stage/page.md`) or write a wikilink (`[[Page title]]`)".into(),
    ))
}

/// Markdown links that a template tag with spaces broke (`[x]({% link
/// a.md %})` is no link for CommonMark, only text): errors, as the same
/// tag in a link that did parse is.
pub(super) fn broken_template_links(body: &str, events: &[Spanned], out: &mut Vec<MdWarning>) {
    let mut in_code = false;
    for (e, range) in events {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => {
                let text = &body[range.clone()];
                for (i, _) in text.match_indices("({").filter(|(i, _)| text[i + 2..].starts_with(['{', '%'])) {
                    let at = range.start + i;
                    if !body[..at].ends_with(']') {
                        continue;
                    }
                    let rest = &body[at + 1..];
                    let dest = &rest[..rest.find([')', '\n']).unwrap_or(rest.len())];
                    if let Some((message, hint)) = template_tag_problem(dest) {
                        let start = body[..at].rfind('[').unwrap_or(at);
                        out.push(MdWarning { offset: start, message, hint: Some(hint), is_error: true });
                    }
                }
            }
            _ => {}
        }
    }
}

/// Decodes the entities that occur in URLs: `&amp;`, `&quot;`, `&#39;`, `&lt;`, `&gt;`.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Escapes a URL for a double-quoted attribute value.
fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

/// Offers every link in `html` (an HTML event whose source is
/// `body[source]`) to `rewrite`; returns the fragment with the rewritten
/// values, or `None` when nothing changed.
pub(crate) fn rewrite(
    html: &str,
    body: &str,
    source: Range<usize>,
    rewrite: &mut dyn FnMut(&LinkRef) -> Option<String>,
) -> Option<String> {
    let found = links(html);
    if found.is_empty() {
        return None;
    }
    let src = body.get(source.clone()).unwrap_or("");
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    let mut searched = 0;
    let mut changed = false;
    for link in found {
        // The event's text is the source, but for the `>` of quotes or a
        // list's indentation: find the value there for the offset. A value
        // not written there is HTML Lotse generated (a worksheet block's
        // link), not the author's.
        let raw = &html[link.range.clone()];
        let Some(at) = src[searched..].find(raw).map(|p| searched + p) else { continue };
        searched = at + raw.len();
        let offset = source.start + at;
        let r = LinkRef { dest: link.value, offset, image: link.image, kind: LinkKind::Html };
        if let Some(new) = rewrite(&r) {
            out.push_str(&html[last..link.range.start]);
            out.push_str(&escape_attr(&new));
            last = link.range.end;
            changed = true;
        }
    }
    out.push_str(&html[last..]);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_href_and_src_in_any_quoting() {
        let html = r#"<p><a class="x" href="../a.md#k">a</a> <IMG alt='b' SRC='pic.png'/> <a href=plain.md>c</a> <link href="no.css"> <a data-href="no" title="href=no">"#;
        let found: Vec<(String, bool)> = links(html).into_iter().map(|l| (l.value, l.image)).collect();
        assert_eq!(
            found,
            [("../a.md#k".into(), false), ("pic.png".into(), true), ("plain.md".into(), false)],
            "attributes of other tags and other attributes are not links"
        );
        assert_eq!(links("<a href=\"x?a=1&amp;b=2\">")[0].value, "x?a=1&b=2");
        assert!(links("<a href=\"unclosed").len() == 1 && links("< a").is_empty());
    }

    #[test]
    fn rewrites_values_in_place_with_source_offsets() {
        let body = "text\n> <a href=\"b.md\">b</a>\n";
        let html = "<a href=\"b.md\">b</a>\n";
        let mut seen = Vec::new();
        let out = rewrite(html, body, 7..body.len(), &mut |l| {
            seen.push(l.clone());
            Some("../b/?x=\"1\"&y".into())
        });
        assert_eq!(out.as_deref(), Some("<a href=\"../b/?x=&quot;1&quot;&amp;y\">b</a>\n"));
        assert_eq!((seen[0].offset, seen[0].kind), (body.find("b.md").unwrap(), LinkKind::Html));
        assert_eq!(rewrite(html, body, 7..body.len(), &mut |_| None), None);
        let generated =
            rewrite("<a href=\"../worksheets/x/\">", "```worksheet\n", 0..12, &mut |_| panic!("not offered"));
        assert_eq!(generated, None, "HTML not written in the source is not the author's");
    }
}
