//! The report as text for a terminal: the summary table, reviews by
//! owner, then each non-empty list.

use std::fmt::Write as _;

use super::{Health, PageRef};

fn page(p: &PageRef) -> String {
    format!("{}  \"{}\"", p.path, p.title)
}

/// The whole report as lines of text.
pub fn render(h: &Health) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Content health of {}, as of {} ({} pages)\n", h.title, h.today, h.pages);
    let counts = h.counts();
    let width = counts.iter().map(|c| c.what.chars().count()).max().unwrap_or(0);
    let _ = writeln!(out, "{:<width$}  {:>5}", "check", "count");
    for c in &counts {
        let _ = writeln!(out, "{:<width$}  {:>5}", c.what, c.count);
    }
    if !h.by_owner.is_empty() {
        let w = h.by_owner.iter().map(|o| o.owner.chars().count()).max().unwrap_or(0).max(5);
        let _ = writeln!(out, "\n{:<w$}  {:>7}  {:>8}", "owner", "overdue", "due soon");
        for o in &h.by_owner {
            let _ = writeln!(out, "{:<w$}  {:>7}  {:>8}", o.owner, o.overdue, o.soon);
        }
    }
    let mut list = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "\n{title}:");
            for l in lines {
                let _ = writeln!(out, "  {l}");
            }
        }
    };
    let due = |d: &crate::review::Due| {
        format!(
            "{}:{}:{}  \"{}\" ({}), due {}, owner: {}",
            d.path,
            d.line,
            d.col,
            d.title,
            d.lang,
            d.due,
            d.owner.as_deref().unwrap_or("-")
        )
    };
    list("reviews overdue", h.overdue.iter().map(due).collect());
    list("reviews due soon", h.due_soon.iter().map(due).collect());
    list("orphans", h.orphans.iter().map(page).collect());
    list("articles without summary", h.without_summary.iter().map(page).collect());
    list("articles without checklist", h.without_checklist.iter().map(page).collect());
    list("stages without a workshop plan", h.stages_without_workshop.iter().map(page).collect());
    list("stages without position-check statements", h.stages_without_assessment.iter().map(page).collect());
    list(
        "missing translations",
        h.missing_translations.iter().map(|m| format!("{}  lacks {}", page(&m.page), m.value.join(", "))).collect(),
    );
    list("very long articles", h.long_pages.iter().map(|m| format!("{}  {} words", page(&m.page), m.value)).collect());
    list(
        "very short articles",
        h.short_pages.iter().map(|m| format!("{}  {} words", page(&m.page), m.value)).collect(),
    );
    list("unchanged for a year", h.unchanged.iter().map(|m| format!("{}  last {}", page(&m.page), m.value)).collect());
    list(
        "duplicate titles",
        h.duplicate_titles.iter().map(|d| format!("\"{}\" ({}): {}", d.title, d.lang, d.paths.join(", "))).collect(),
    );
    list(
        "external links by host",
        h.external
            .iter()
            .flat_map(|host| {
                std::iter::once(format!("{} ({})", host.host, host.links.len()))
                    .chain(host.links.iter().map(|l| format!("  {}:{}:{}  {}", l.path, l.line, l.col, l.url)))
            })
            .collect(),
    );
    out
}
