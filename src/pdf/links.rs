//! Links inside a document, set after layout. The markup links to a
//! heading as `#link("lotse-ref:<label>")` (a plain URL to Typst), and
//! [`resolve`] turns each such link of the laid-out pages into a link to
//! the heading's location, with "<heading>, Page <n>" as its alternative
//! text.
//!
//! Why not `#link(<label>)`: Typst computes such a link's alternative text
//! from the page the heading lands on, so every paragraph with a link
//! depended on the page numbers of the layout before it; the whole guide
//! was laid out three times instead of twice (about a third of its time).

use std::collections::HashMap;

use typst::foundations::{Label, Smart};
use typst::introspection::{Introspector, Location, Tag};
use typst::layout::{Frame, FrameItem, PageElem};
use typst::model::{Destination, Document, HeadingElem, LinkMarker};
use typst::text::{Lang, LocalName};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// How a link to a label starts in the markup (a scheme no Markdown link
/// can produce: only http, https and mailto links reach the markup).
pub const PREFIX: &str = "lotse-ref:";

/// Where a label's link goes, and the link's alternative text.
type Target = Option<(Location, typst::foundations::Str)>;

/// `document` with every `lotse-ref:` link pointing at its label's
/// location (a label that is not there leaves the link as it was).
pub fn resolve(document: PagedDocument) -> PagedDocument {
    if !document.pages().iter().any(|p| has_ref(&p.frame)) {
        return document;
    }
    let intro = document.introspector().clone();
    let (lang, region) = match document.info().locale {
        Smart::Custom(l) => (l.lang, l.region),
        Smart::Auto => (Lang::ENGLISH, None),
    };
    let page_word = PageElem::local_name(lang, region);
    let mut targets: HashMap<String, Target> = HashMap::new();
    let mut target = |name: &str| -> Target {
        targets
            .entry(name.to_string())
            .or_insert_with(|| {
                let label = Label::new(PicoStr::intern(name))?;
                let elem = intro.query_label(label).ok()?;
                let loc = elem.location()?;
                let page = intro.page(loc).map_or(String::new(), |n| format!(", {page_word} {n}"));
                let title = match elem.to_packed::<HeadingElem>() {
                    Some(h) => h.body.plain_text(),
                    None => elem.plain_text(),
                };
                Some((loc, format!("{title}{page}").into()))
            })
            .clone()
    };
    let mut pages = document.pages().to_vec();
    for page in &mut pages {
        if has_ref(&page.frame) {
            relink(&mut page.frame, &mut target);
        }
    }
    PagedDocument::new(pages.into_iter().collect(), document.info().clone())
}

/// Whether `frame` holds a `lotse-ref:` link.
fn has_ref(frame: &Frame) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(g) => has_ref(&g.frame),
        FrameItem::Link(Destination::Url(u), _) => u.starts_with(PREFIX),
        _ => false,
    })
}

fn relink(frame: &mut Frame, target: &mut impl FnMut(&str) -> Target) {
    frame.retain(|item| {
        match item {
            FrameItem::Group(g) if has_ref(&g.frame) => relink(&mut g.frame, target),
            FrameItem::Link(dest, _) => {
                if let Destination::Url(u) = dest
                    && let Some((loc, _)) = u.strip_prefix(PREFIX).and_then(&mut *target)
                {
                    *dest = Destination::Location(loc);
                }
            }
            FrameItem::Tag(Tag::Start(content, _)) => {
                if let Some(marker) = content.to_packed_mut::<LinkMarker>()
                    && let Some(alt) = &marker.alt
                    && let Some((_, text)) = alt.strip_prefix(PREFIX).and_then(&mut *target)
                {
                    marker.alt = Some(text.into());
                }
            }
            _ => {}
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use crate::pdf::{Document, compile};

    #[test]
    fn a_reference_links_to_its_heading_with_the_heading_and_page_as_alt_text() {
        let source = "#set text(lang: \"en\")\n#link(\"lotse-ref:goal\")[see goals] #link(\"lotse-ref:gone\")[nowhere]\n\
                      #pagebreak()\n#heading[Goals]<goal>\nText";
        let pdf = compile(&Document { source: source.into(), ..Default::default() }).unwrap();
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/Dest(goal)"), "a link to the named destination");
        assert!(
            raw.contains("(Goals, page 2)"),
            "the alternative text names heading and page: {}",
            raw.split("/Contents").nth(1).unwrap_or("").chars().take(80).collect::<String>()
        );
        // A label that is not there leaves the link as written.
        assert_eq!(raw.matches("lotse-ref:").count(), 2, "only the missing target stays a URL (link and alt)");
    }
}
