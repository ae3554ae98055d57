//! The Typst preamble every Lotse PDF starts with: page, fonts, language,
//! hyphenation, and the `lotse-*` functions the generated markup calls.
//! Values from the site arrive as Typst string literals, never as markup.

use super::literal::string;

/// What the preamble is made of.
#[derive(Debug, Clone)]
pub struct Setup<'a> {
    /// The document title (PDF metadata).
    pub title: &'a str,
    /// The language code (`de`, `en`).
    pub lang: &'a str,
    /// `a4` or `us-letter`.
    pub paper: &'a str,
    /// A checked Typst length (`18mm`).
    pub margin: &'a str,
    /// The accent colour as `#rrggbb`.
    pub accent: &'a str,
    /// Text at the left of every page's header (the guide's title).
    pub header: &'a str,
    /// "Page" in the document's language.
    pub page_word: &'a str,
    /// Show the current stage (the last level-1 heading) in the header.
    pub running_stage: bool,
    /// Justified text (a book: the whole guide). Handouts, worksheets and
    /// facilitator guides are forms and lists, set ragged right (still
    /// hyphenated: table cells are narrow), which also typesets them about
    /// a sixth faster.
    pub justify: bool,
}

/// The preamble's fixed part: functions the generated markup calls.
const FUNCTIONS: &str = r##"
#set par(leading: 0.62em, spacing: 0.9em)
#show heading: set block(sticky: true, above: 1.3em, below: 0.7em)
#show heading: set text(fill: lotse-accent, hyphenate: false)
#show heading: set par(justify: false)
#show table: set par(justify: false)
#show heading.where(level: 1): set text(size: 1.45em)
#show heading.where(level: 2): set text(size: 1.2em)
#show heading.where(level: 3): set text(size: 1.05em)
#show raw: set text(font: "DejaVu Sans Mono", size: 0.82em)
#show raw.where(block: true): block.with(fill: luma(245), inset: 6pt, radius: 2pt, width: 100%)
#show link: set text(fill: lotse-accent)
#show footnote.entry: set text(size: 0.85em)
#set list(indent: 0.4em)
#set enum(indent: 0.4em)
#set table(stroke: 0.5pt + luma(170), inset: (x: 5pt, y: 4pt))
#set table.cell(breakable: false)
#show table.cell.where(y: 0): set text(weight: "bold")

#let lotse-box(checked) = box(
  width: 0.85em, height: 0.85em, stroke: 0.7pt + black, baseline: 0.12em,
  if checked { align(center + horizon, text(font: "DejaVu Sans Mono", size: 0.75em)[✓]) },
)
#let lotse-link(url, body, bare: false) = {
  link(url, body)
  if not bare { text(size: 0.8em, fill: luma(80))[ (#link(url, url))] }
}
#let lotse-plain(body) = body
#let lotse-image(src, body, alt: none) = box(stroke: 0.5pt + luma(150), inset: 4pt, text(style: "italic", body))
#let lotse-picture(src, body, alt: none) = box(layout(region => {
  // Its own size, at most the width of the text and 60% of the page's height.
  let natural = measure(image(src))
  let scale = 1.0
  if natural.width > region.width { scale = region.width / natural.width }
  if natural.height * scale > 0.6 * page.height { scale = 0.6 * page.height / natural.height }
  image(src, width: natural.width * scale, alt: alt)
}))
#let lotse-callout-colours = (
  note: rgb("#1f6feb"), tip: rgb("#1a7f37"), important: rgb("#8250df"),
  warning: rgb("#9a6700"), caution: rgb("#cf222e"),
)
#let lotse-callout(kind, title, body) = block(
  width: 100%, inset: (left: 9pt, rest: 6pt), breakable: true,
  stroke: (left: 2.5pt + lotse-callout-colours.at(kind, default: lotse-accent)),
  fill: luma(248),
)[#text(weight: "bold", fill: lotse-callout-colours.at(kind, default: lotse-accent), title)#parbreak()#body]
#let lotse-facilitator(title, body) = block(
  width: 100%, inset: 7pt, breakable: true, stroke: (paint: luma(110), thickness: 0.8pt, dash: "dashed"),
)[#text(weight: "bold", title)#parbreak()#body]
#let lotse-table(columns: 1, align: (), ..cells) = table(columns: columns, align: align, ..cells)
"##;

/// The preamble for `setup`.
pub fn preamble(setup: &Setup) -> String {
    let mut s = String::with_capacity(FUNCTIONS.len() + 1024);
    s.push_str(&format!("#let lotse-accent = rgb({})\n", string(setup.accent)));
    s.push_str(&format!("#set document(title: {}, date: none)\n", string(setup.title)));
    s.push_str(&format!(
        "#set text(font: \"Libertinus Serif\", size: 10.5pt, lang: {}, hyphenate: true)\n\
         #set par(justify: {justify})\n",
        string(setup.lang),
        justify = setup.justify,
    ));
    let stage = if setup.running_stage {
        "let on = query(heading.where(level: 1)).filter(h => h.location().page() == here().page()); \
         let before = query(heading.where(level: 1).before(here())); \
         let h = if on.len() > 0 { on.first() } else if before.len() > 0 { before.last() }; \
         if h != none { h.body }"
    } else {
        ""
    };
    s.push_str(&format!(
        "#set page(paper: {paper}, margin: {margin}, \
         header: context {{ if here().page() > 1 {{ set text(size: 8pt, fill: luma(90)); \
         grid(columns: (1fr, auto), align: (left, right), [{header}], [#{{ {stage} }}]); \
         v(-4pt); line(length: 100%, stroke: 0.4pt + luma(180)) }} }}, \
         footer: context {{ set text(size: 8pt, fill: luma(90)); align(center)[{page} #counter(page).display()] }})\n",
        paper = string(setup.paper),
        margin = setup.margin,
        header = crate::markdown::typst::escape(setup.header),
        page = crate::markdown::typst::escape(setup.page_word),
    ));
    s.push_str(FUNCTIONS);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_values_are_quoted_not_markup() {
        let setup = Setup {
            title: "\"); #panic(\"x",
            lang: "de",
            paper: "a4",
            margin: "18mm",
            accent: "#0b6e6e",
            header: "] #panic() [",
            page_word: "Seite",
            running_stage: true,
            justify: true,
        };
        let p = preamble(&setup);
        assert!(p.contains(r#"title: "\"); #panic(\"x""#), "{p}");
        assert!(p.contains(r"\] \#panic\(\) \["), "{p}");
        let mut doc = p.clone();
        doc.push_str("Text");
        let pdf = crate::pdf::compile(&crate::pdf::Document { source: doc, ..Default::default() });
        assert!(pdf.is_ok(), "{pdf:?}");
    }
}
