//! Checklist items: the per-stage and whole-series
//! checklists that handouts and exports are made from.

use serde::Serialize;

use crate::markdown::{Rendered, pair_key};
use crate::model::{PageId, Site};

/// One checklist item, as handouts and exports show it.
#[derive(Debug, Clone, Serialize)]
pub struct Item<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Key shared with the item at the same place of a translation
    /// ([`crate::markdown::pair_key`]).
    pub pair: String,
    /// Inline HTML of the item (links relative to the article, until a
    /// handout moves them).
    pub html: std::borrow::Cow<'a, str>,
    /// Plain text of the item.
    pub text: &'a str,
    /// The item as Typst markup, links absolute (for the PDFs).
    #[serde(skip)]
    pub typst: &'a str,
    /// Nesting depth (0 = top level).
    pub depth: usize,
    /// Ticked in the source.
    pub checked: bool,
}

/// Items under one heading of an article.
#[derive(Debug, Clone, Serialize)]
pub struct Section<'a> {
    /// The nearest heading above the items; `None` when an article's items
    /// all sit under one heading (the article title says enough).
    pub heading: Option<&'a str>,
    /// The items.
    pub items: Vec<Item<'a>>,
}

/// The checklist of one article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleList<'a> {
    /// The article.
    #[serde(skip)]
    pub page: PageId,
    /// Article title.
    pub title: &'a str,
    /// Absolute URL of the article (printed on handouts).
    pub permalink: String,
    /// URL relative to the page being rendered (set by the renderer).
    pub url: String,
    /// Items grouped by heading.
    pub sections: Vec<Section<'a>>,
    /// Number of items.
    pub count: usize,
}

/// The checklist of one stage in one language.
#[derive(Debug, Clone, Serialize)]
pub struct StageList<'a> {
    /// 1-based stage number.
    pub number: usize,
    /// Stage title.
    pub title: &'a str,
    /// What the stage must deliver.
    pub outcome: Option<&'a str>,
    /// Output folder of the stage page.
    #[serde(skip)]
    pub path: &'a str,
    /// Absolute URL of the stage page.
    pub permalink: String,
    /// Articles with items, in series order.
    pub articles: Vec<ArticleList<'a>>,
    /// Number of items.
    pub count: usize,
}

impl<'a> StageList<'a> {
    /// The same stage with only the articles `articles` (a handout part).
    pub fn part(&self, articles: std::ops::Range<usize>) -> StageList<'a> {
        let articles: Vec<ArticleList<'a>> = self.articles.get(articles).unwrap_or_default().to_vec();
        StageList {
            number: self.number,
            title: self.title,
            outcome: self.outcome,
            path: self.path,
            permalink: self.permalink.clone(),
            count: articles.iter().map(|a| a.count).sum(),
            articles,
        }
    }
}

/// The checklists of every stage of `lang`, in series order. Articles with
/// `checklist: false` or without items are left out.
pub fn stage_lists<'a>(site: &'a Site, rendered: &'a [Rendered], lang: &str) -> Vec<StageList<'a>> {
    let Some(book) = site.book(lang) else { return Vec::new() };
    book.stages
        .iter()
        .map(|bs| {
            let page = &site.pages[bs.page];
            let articles: Vec<ArticleList> = bs
                .articles
                .iter()
                .filter(|&&a| site.pages[a].meta.checklist() && !rendered[a].tasks.is_empty())
                .map(|&a| article_list(site, rendered, a))
                .collect();
            StageList {
                number: site.stages[bs.stage].number,
                title: page.meta.title(),
                outcome: page.meta.outcome(),
                path: &page.path,
                permalink: site.config.permalink(&page.path),
                count: articles.iter().map(|a| a.count).sum(),
                articles,
            }
        })
        .collect()
}

/// Checklist items of one stage of a book: those of its articles that do
/// not say `checklist: false`.
pub fn stage_item_count(site: &Site, rendered: &[Rendered], stage: &crate::model::BookStage) -> usize {
    stage.articles.iter().filter(|&&a| site.pages[a].meta.checklist()).map(|&a| rendered[a].tasks.len()).sum()
}

fn article_list<'a>(site: &'a Site, rendered: &'a [Rendered], id: PageId) -> ArticleList<'a> {
    let r = &rendered[id];
    let mut sections: Vec<(Option<usize>, Vec<Item>)> = Vec::new();
    let key = &site.pages[id].key;
    for (n, t) in r.tasks.iter().enumerate() {
        let pair = pair_key(key, n + 1, r.tasks.len());
        let item = Item {
            id: &t.id,
            pair,
            html: t.html.as_str().into(),
            text: &t.text,
            typst: &t.typst,
            depth: t.depth,
            checked: t.checked,
        };
        match sections.last_mut() {
            Some((h, items)) if *h == t.heading => items.push(item),
            _ => sections.push((t.heading, vec![item])),
        }
    }
    let single = sections.len() == 1;
    let page = &site.pages[id];
    ArticleList {
        page: id,
        title: page.meta.title(),
        permalink: site.config.permalink(&page.path),
        url: String::new(),
        count: r.tasks.len(),
        sections: sections
            .into_iter()
            .map(|(h, items)| Section {
                heading: if single { None } else { h.map(|h| r.headings[h].text.as_str()) },
                items,
            })
            .collect(),
    }
}

/// One row of the CSV and JSON exports.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ExportRow<'a> {
    /// Stage title.
    pub stage: &'a str,
    /// Article title.
    pub article: &'a str,
    /// Nearest heading above the item.
    pub heading: &'a str,
    /// The item as plain text.
    pub item: &'a str,
    /// Stable id.
    pub id: &'a str,
    /// Absolute URL of the article.
    pub url: &'a str,
}

/// Export rows of `stages`, in order.
pub fn export_rows<'a>(stages: &'a [StageList<'a>]) -> impl Iterator<Item = ExportRow<'a>> + Clone {
    stages.iter().flat_map(|s| {
        s.articles.iter().flat_map(move |a| {
            a.sections.iter().flat_map(move |sec| {
                sec.items.iter().map(move |i| ExportRow {
                    stage: s.title,
                    article: a.title,
                    heading: sec.heading.unwrap_or(""),
                    item: i.text,
                    id: i.id,
                    url: &a.permalink,
                })
            })
        })
    })
}

/// CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads
/// umlauts right), CRLF line ends, a header row.
pub fn to_csv(rows: &[ExportRow]) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_csv(&mut out, rows.iter().copied());
    out
}

/// [`to_csv`], written to `w` a row at a time.
pub fn write_csv<'a>(w: &mut dyn std::io::Write, rows: impl Iterator<Item = ExportRow<'a>>) -> std::io::Result<()> {
    w.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(w);
    w.write_record(["stage", "article", "heading", "item", "id", "url"])?;
    for r in rows {
        let cells = [r.stage, r.article, r.heading, r.item, r.id, r.url].map(spreadsheet_safe);
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

/// A cell that a spreadsheet shows as text: one starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula
/// (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), so it gets a leading `'`,
/// which Excel and LibreOffice hide (OWASP's advice for CSV injection).
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_bom_header_and_quotes() {
        let rows = [ExportRow {
            stage: "Ziele",
            article: "Über \"Ziele\"",
            heading: "",
            item: "a, b",
            id: "c1",
            url: "https://x/",
        }];
        let csv = String::from_utf8(to_csv(&rows)).unwrap();
        assert_eq!(
            csv,
            "\u{feff}stage,article,heading,item,id,url\r\nZiele,\"Über \"\"Ziele\"\"\",,\"a, b\",c1,https://x/\r\n"
        );
    }

    #[test]
    fn csv_cells_cannot_start_a_formula() {
        let row = |item| ExportRow { stage: "@S", article: "+A", heading: "-H", item, id: "c1", url: "u" };
        let csv = String::from_utf8(to_csv(&[row("=cmd|' /C calc'!A0")])).unwrap();
        assert!(csv.ends_with("'@S,'+A,'-H,'=cmd|' /C calc'!A0,c1,u\r\n"), "{csv}");
        let csv = String::from_utf8(to_csv(&[row("Sponsor = CEO")])).unwrap();
        assert!(csv.contains(",Sponsor = CEO,"), "{csv}");
    }
}
