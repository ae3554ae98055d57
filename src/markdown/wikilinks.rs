//! Wikilinks and embeds. pulldown-cmark parses `[[target]]`,
//! `[[target|text]]` and `![[target]]`; `[[…]]` reaches the link callback
//! as a [`LinkKind::Wiki`] link to resolve by title or slug, and each
//! embed `![[page#heading]]` is replaced here by the HTML the callback
//! returns for it ([`LinkKind::Embed`]). [`section`] finds the part of a
//! page an embed shows.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::{LinkKind, LinkRef, MdWarning, Rendered, Spanned, assign_heading_ids, parser_options};

/// How wikilinks are written, for hints.
pub const WIKI_SYNTAX_HINT: &str =
    "write `[[Page title]]`, `[[file-name]]` or `[[stage/file-name]]`, with `#heading` and `|text` as needed";

/// Replaces each embed with the HTML `rewrite` returns for it. An embed
/// must be a paragraph of its own (block content cannot sit in a line of
/// text); one that is not is an error and shows nothing.
pub(super) fn embed(
    events: &mut [Spanned],
    rewrite: &mut dyn FnMut(&LinkRef) -> Option<String>,
    warnings: &mut Vec<MdWarning>,
) {
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, dest_url, .. }) = &events[i].0 else {
            i += 1;
            continue;
        };
        let (dest, offset) = (dest_url.to_string(), events[i].1.start);
        let end = image_end(events, i);
        let alone = i > 0
            && matches!(events[i - 1].0, Event::Start(Tag::Paragraph))
            && matches!(events.get(end + 1).map(|e| &e.0), Some(Event::End(TagEnd::Paragraph)));
        let html = if alone {
            rewrite(&LinkRef { dest, offset, image: false, kind: LinkKind::Embed }).unwrap_or_default()
        } else {
            warnings.push(MdWarning {
                offset,
                message: format!("the embed `![[{dest}]]` must be a paragraph of its own"),
                hint: Some("put it on a line of its own, with blank lines before and after".into()),
                is_error: true,
            });
            String::new()
        };
        let (from, to) = if alone { (i - 1, end + 1) } else { (i, end) };
        for e in &mut events[from..=to] {
            e.0 = Event::Text(CowStr::Borrowed(""));
        }
        events[i].0 = Event::Html(CowStr::from(html));
        i = to + 1;
    }
}

/// Index of the `End(Image)` that closes the image starting at `start`.
fn image_end(events: &[Spanned], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// The byte range of `body` that an embed of `#anchor` shows: from the
/// heading with that id (as the page's own rendering assigns ids) to the
/// next heading of the same or a higher level. An empty anchor is the
/// whole body; `None` if no heading has the id.
pub fn section(body: &str, anchor: &str) -> Option<Range<usize>> {
    if anchor.is_empty() {
        return Some(0..body.len());
    }
    let mut events: Vec<Spanned> = Parser::new_ext(body, parser_options()).into_offset_iter().collect();
    let mut out = Rendered::default();
    assign_heading_ids(&mut events, "", &mut out);
    let i = out.headings.iter().position(|h| h.id == anchor)?;
    let level = out.headings[i].level;
    let end = out.headings[i + 1..].iter().find(|h| h.level <= level).map_or(body.len(), |h| h.offset);
    Some(out.headings[i].offset..end)
}

#[cfg(test)]
mod tests {
    use super::super::{MdOptions, render};
    use super::*;

    const OPTS: MdOptions = MdOptions {
        callout_titles: ["N", "T", "I", "W", "C"],
        id_seed: "a.md",
        id_prefix: "",
        safe: false,
        facilitator: None,
        worksheet_label: "W",
        worksheet_print: "P",
        worksheet_url: None,
        typst: super::super::TypstMode::Off,
        permalink: None,
        html: true,
        problems: true,
    };

    #[test]
    fn wikilinks_reach_the_callback_with_their_target() {
        let mut seen = Vec::new();
        let r = render("See [[Goal map#KPIs|the map]] and [[glossary]].\n", &OPTS, &mut |l| {
            seen.push((l.dest.clone(), l.kind, l.offset));
            Some(format!("../{}/", l.dest.len()))
        });
        assert_eq!(seen, [("Goal map#KPIs".into(), LinkKind::Wiki, 4), ("glossary".into(), LinkKind::Wiki, 34)]);
        assert!(r.html.contains("<a href=\"../13/\">the map</a> and <a href=\"../8/\">glossary</a>"), "{}", r.html);
    }

    #[test]
    fn a_wikilink_in_a_table_cell_escapes_its_bar() {
        let mut seen = Vec::new();
        let r = render("| a |\n|---|\n| [[glossary\\|the words]] |\n", &OPTS, &mut |l| {
            seen.push(l.dest.clone());
            Some("../g/".into())
        });
        assert_eq!(seen, ["glossary"]);
        assert!(r.html.contains("<a href=\"../g/\">the words</a>"), "{}", r.html);
    }

    #[test]
    fn an_embed_alone_in_its_paragraph_becomes_the_returned_html() {
        let r = render("Intro.\n\n![[goal-map#kpis]]\n\nAfter.\n", &OPTS, &mut |l| {
            assert_eq!((l.kind, l.dest.as_str(), l.offset), (LinkKind::Embed, "goal-map#kpis", 8));
            Some("<div class=\"embed\">E</div>".into())
        });
        assert_eq!(r.html, "<p>Intro.</p>\n<div class=\"embed\">E</div>\n<p>After.</p>\n");
        assert!(r.warnings.is_empty());
        let inline = render("Text ![[x]] more.\n", &OPTS, &mut |_| panic!("not offered"));
        assert_eq!(inline.warnings[0].message, "the embed `![[x]]` must be a paragraph of its own");
        assert_eq!(inline.html, "<p>Text  more.</p>\n");
    }

    #[test]
    fn sections_run_to_the_next_heading_of_the_same_level() {
        let body = "# T\n\n## A\n\na\n\n### A1\n\nx\n\n## B\n\nb\n";
        let a = section(body, "a").unwrap();
        assert_eq!(&body[a], "## A\n\na\n\n### A1\n\nx\n\n");
        assert_eq!(&body[section(body, "b").unwrap()], "## B\n\nb\n");
        assert_eq!(section(body, "").unwrap(), 0..body.len());
        assert_eq!(section(body, "nope"), None);
    }
}
