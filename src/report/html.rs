//! The report as one self-contained HTML file: inline styles, no scripts,
//! no links out but the external links it lists.

use std::fmt::Write as _;

use super::{Health, PageRef};
use crate::markdown::escape;

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2327;background:#fff}\
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dfe3e6}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef0f2;vertical-align:top}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.zero{color:#5b6770}code{font-size:.9em}";

fn e(s: &str) -> String {
    escape(s)
}

fn table(out: &mut String, title: &str, head: &[&str], rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(out, "<section><h2>{} ({})</h2>\n<table><thead><tr>", e(title), rows.len());
    for h in head {
        let _ = write!(out, "<th>{}</th>", e(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></section>\n");
}

fn page(p: &PageRef) -> Vec<String> {
    vec![format!("<code>{}</code>", e(&p.path)), e(&p.title), e(&p.lang)]
}

/// The report as an HTML document.
pub fn render(h: &Health) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = format!("Content health: {}", h.title);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"robots\" content=\"noindex\"><title>{t}</title><style>{STYLE}</style></head>\n<body><main>\n<h1>{t}</h1>\n<p>As of <time datetime=\"{d}\">{d}</time>, {n} pages.</p>\n",
        t = e(&title),
        d = e(&h.today),
        n = h.pages
    );
    out.push_str("<table class=\"summary\"><thead><tr><th>check</th><th class=\"n\">count</th></tr></thead><tbody>\n");
    for c in h.counts() {
        let cls = if c.count == 0 { " class=\"zero\"" } else { "" };
        let _ = writeln!(out, "<tr{cls}><td>{}</td><td class=\"n\">{}</td></tr>", e(&c.what), c.count);
    }
    out.push_str("</tbody></table>\n");
    let owners = h.by_owner.iter().map(|o| vec![e(&o.owner), o.overdue.to_string(), o.soon.to_string()]).collect();
    table(&mut out, "Reviews by owner", &["owner", "overdue", "due soon"], owners);
    let due = |d: &crate::review::Due| {
        vec![
            format!("<code>{}:{}:{}</code>", e(&d.path), d.line, d.col),
            e(&d.title),
            e(&d.lang),
            e(d.owner.as_deref().unwrap_or("-")),
            e(&d.due),
            d.days_overdue.to_string(),
        ]
    };
    let due_head = ["page", "title", "lang", "owner", "due", "days overdue"];
    table(&mut out, "Reviews overdue", &due_head, h.overdue.iter().map(due).collect());
    table(&mut out, "Reviews due soon", &due_head, h.due_soon.iter().map(due).collect());
    let head = ["page", "title", "lang"];
    table(&mut out, "Pages never reviewed", &head, h.never_reviewed.iter().map(page).collect());
    table(&mut out, "Orphans: no page links to them", &head, h.orphans.iter().map(page).collect());
    table(&mut out, "Articles without summary", &head, h.without_summary.iter().map(page).collect());
    table(&mut out, "Articles without checklist", &head, h.without_checklist.iter().map(page).collect());
    let lacking = |v: &[super::PageRef]| v.iter().map(page).collect();
    table(&mut out, "Stages without a workshop plan (others have one)", &head, lacking(&h.stages_without_workshop));
    table(
        &mut out,
        "Stages without position-check statements (others have some)",
        &head,
        lacking(&h.stages_without_assessment),
    );
    let with = |m: &super::PageWith<String>| [page(&m.page), vec![e(&m.value)]].concat();
    let missing = h.missing_translations.iter().map(|m| [page(&m.page), vec![e(&m.value.join(", "))]].concat());
    table(&mut out, "Missing translations", &["page", "title", "lang", "lacks"], missing.collect());
    let words = |m: &super::PageWith<usize>| [page(&m.page), vec![m.value.to_string()]].concat();
    table(
        &mut out,
        "Very long articles",
        &["page", "title", "lang", "words"],
        h.long_pages.iter().map(words).collect(),
    );
    table(
        &mut out,
        "Very short articles",
        &["page", "title", "lang", "words"],
        h.short_pages.iter().map(words).collect(),
    );
    table(
        &mut out,
        "Unchanged for a year",
        &["page", "title", "lang", "last change"],
        h.unchanged.iter().map(with).collect(),
    );
    let dups = h.duplicate_titles.iter().map(|d| vec![e(&d.title), e(&d.lang), e(&d.paths.join(", "))]).collect();
    table(&mut out, "Duplicate titles", &["title", "lang", "pages"], dups);
    let links = h
        .external
        .iter()
        .flat_map(|host| {
            host.links.iter().map(move |l| {
                vec![
                    e(&host.host),
                    format!("<code>{}:{}:{}</code>", e(&l.path), l.line, l.col),
                    format!("<a href=\"{u}\" rel=\"noopener noreferrer\">{u}</a>", u = e(&l.url)),
                ]
            })
        })
        .collect();
    table(&mut out, "External links by host", &["host", "where", "link"], links);
    out.push_str("</main></body></html>\n");
    out
}
