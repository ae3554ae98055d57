//! The workshop kit's PDFs: each facilitator guide
//! (`/<stage>/workshop/workshop.pdf`: agenda with clock times, preparation,
//! materials, worksheets, the facilitator notes of the stage's articles and
//! its checklist) and each worksheet (`/<stage>/worksheets/<id>/worksheet.pdf`),
//! and the position check's questionnaire (`/assessment/assessment.pdf`),
//! from the same data as their HTML pages. A participants' build has no
//! guides, and no facilitator text reaches any PDF.

use std::fmt::Write;

use super::frame::Out;
use super::pdf::{ASSESSMENT, WORKSHEET, WORKSHOP, article_items, enabled, setup, t, typeset_all};
use super::workshop::{duration_text, has_guide};
use super::{LangCtx, RenderInput};
use crate::checklist;
use crate::error::Diagnostic;
use crate::markdown::typst::{escape, string};
use crate::model::{BookStage, PageId};
use crate::pdf::Document;
use crate::pdf::template::preamble;
use crate::workshop::{Orientation, Worksheet};

/// The facilitator guides' and worksheets' PDFs of one language.
pub(crate) fn render_kit(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else { return Ok(()) };
    if !enabled(site) {
        return Ok(());
    }
    let lists = checklist::stage_lists(site, input.pages, lc.lang);
    let mut jobs = Vec::new();
    for (bs, list) in book.stages.iter().zip(&lists) {
        if has_guide(input, bs) {
            let path = format!("{}workshop/{WORKSHOP}", site.pages[bs.page].path);
            jobs.push((path.clone(), guide(input, lc, bs, list, &path)));
        }
        for &p in std::iter::once(&bs.page).chain(&bs.articles) {
            for w in &input.pages[p].worksheets {
                let path = format!("{}worksheets/{}/{WORKSHEET}", site.pages[bs.page].path, w.sheet.id);
                jobs.push((path.clone(), sheet(input, lc, bs, p, &w.sheet, &path)));
            }
        }
    }
    if crate::assessment::book::has_statements(site, book) {
        let path = format!("{}assessment/{ASSESSMENT}", book.prefix);
        jobs.push((path.clone(), questionnaire(input, lc, &path)));
    }
    typeset_all(out, jobs)
}

/// The position check as a questionnaire to fill in on paper: every
/// stage's statements with a box for each level of the scale.
fn questionnaire(input: &RenderInput, lc: &LangCtx, path: &str) -> Document {
    let site = input.site;
    let c = &site.config;
    let title = t(lc, "assess_title", "Position check");
    let scale = crate::assessment::book::scale(c, &lc.strings, lc.lang);
    let mut s = preamble(&setup(input, lc, title, false));
    let _ = writeln!(s, "#text(size: 0.85em, fill: luma(80))[{}]\n", escape(c.title.get(lc.lang, &c.default_language)));
    let _ = writeln!(s, "#heading(level: 1)[{}]\n", escape(title));
    let _ = writeln!(s, "{}\n", escape(t(lc, "assess_summary", "")));
    let _ = writeln!(
        s,
        "#table(columns: (auto, 1fr, auto, 1fr), rows: 2.2em, align: horizon, [*{}*], [], [*{}*], [])\n",
        escape(t(lc, "assess_sheet_name", "Name")),
        escape(t(lc, "date", "Date"))
    );
    let levels = scale.len();
    for stage in crate::assessment::book::stages(site, lc.lang).iter().filter(|st| !st.statements.is_empty()) {
        let page = &site.pages[stage.page];
        let number = page.stage.map_or(0, |st| site.stages[st].number);
        let _ = writeln!(
            s,
            "#heading(level: 2)[{} {number}: {}]\n",
            escape(t(lc, "stage", "Stage")),
            escape(page.meta.title())
        );
        let _ = write!(
            s,
            "#table(columns: (1fr,{}), align: (left,{}), table.header([{}], ",
            " 13mm,".repeat(levels),
            " center,".repeat(levels),
            escape(t(lc, "assess_statement", "Statement"))
        );
        for label in &scale {
            let _ = write!(s, "[#text(size: 0.75em)[{}]], ", escape(label));
        }
        s.push_str("),\n");
        for a in &stage.statements {
            let hint = a.statement.hint.as_deref().map(str::trim).filter(|h| !h.is_empty());
            let hint = hint
                .map(|h| format!("#linebreak()#text(size: 0.85em, fill: luma(80))[{}]", escape(h)))
                .unwrap_or_default();
            let _ = write!(s, "  [{}{hint}], ", escape(a.statement.text.trim()));
            s.push_str(&"[#lotse-box(false)], ".repeat(levels));
            s.push('\n');
        }
        s.push_str(")\n");
    }
    Document { source: s, files: Vec::new(), ident: path.to_string() }
}

/// A link to `url` showing `text` when the URL is absolute, else the text.
fn linked(url: &str, text: &str) -> String {
    if url.contains("://") { format!("#link({})[{}]", string(url), escape(text)) } else { escape(text) }
}

/// `/<stage>/workshop/workshop.pdf`, laid out like `workshop.html`.
fn guide(input: &RenderInput, lc: &LangCtx, bs: &BookStage, list: &checklist::StageList, path: &str) -> Document {
    let site = input.site;
    let c = &site.config;
    let stage = &site.pages[bs.page];
    let number = site.stages[bs.stage].number;
    let label = t(lc, "facilitator_guide", "Facilitator guide");
    let stage_line = format!("{} {number}: {}", t(lc, "stage", "Stage"), stage.meta.title());
    let w = stage.meta.workshop();
    let heading = w.map_or(stage_line.clone(), |w| w.title.clone());
    let title = format!("{label} – {}", stage.meta.title());
    let mut s = preamble(&setup(input, lc, &title, false));
    let _ = writeln!(
        s,
        "#text(size: 0.85em, fill: luma(80))[{} · {}]\n",
        escape(c.title.get(lc.lang, &c.default_language)),
        escape(label)
    );
    let _ = writeln!(s, "#heading(level: 1)[{}]\n", escape(&heading));
    let _ = writeln!(s, "{}\n", linked(&c.permalink(&stage.path), &stage_line));
    if let Some(outcome) = stage.meta.outcome() {
        let _ = writeln!(s, "#strong[{}:] {}\n", escape(t(lc, "outcome", "Outcome")), escape(outcome));
    }
    if let Some(w) = w {
        agenda(&mut s, lc, w);
    }
    let sheets: Vec<(&str, &str)> = std::iter::once(&bs.page)
        .chain(&bs.articles)
        .flat_map(|&p| {
            input.pages[p].worksheets.iter().map(move |w| (w.sheet.title.as_str(), site.pages[p].meta.title()))
        })
        .collect();
    if !sheets.is_empty() {
        let _ = writeln!(s, "#heading(level: 2)[{}]\n", escape(t(lc, "worksheets", "Worksheets")));
        s.push_str("#list(");
        for (sheet, article) in sheets {
            let _ = write!(s, "[{} #text(fill: luma(90))[\\({}\\)]], ", escape(sheet), escape(article));
        }
        s.push_str(")\n\n");
    }
    notes(&mut s, input, lc, bs);
    if list.count > 0 {
        let _ = writeln!(s, "#heading(level: 2)[{}]\n", escape(t(lc, "checklist_of_stage", "Checklist")));
        for a in &list.articles {
            article_items(&mut s, lc, a);
        }
    }
    Document { source: s, files: Vec::new(), ident: path.to_string() }
}

/// The plan: duration, start, participants, the agenda with clock times,
/// preparation and materials.
fn agenda(s: &mut String, lc: &LangCtx, w: &crate::workshop::Workshop) {
    let _ = writeln!(
        s,
        "#grid(columns: (auto, 1fr), row-gutter: 4pt, column-gutter: 8pt, [*{}*], [{}], [*{}*], [{}],",
        escape(t(lc, "duration", "Duration")),
        escape(&duration_text(lc, w.duration)),
        escape(t(lc, "start_time", "Start")),
        escape(&crate::workshop::clock(w.start_minutes()))
    );
    if !w.participants.is_empty() {
        let names: Vec<String> = w
            .participants
            .iter()
            .map(|r| lc.strings.get(&format!("role_{r}")).cloned().unwrap_or_else(|| r.clone()))
            .collect();
        let _ = write!(s, " [*{}*], [{}],", escape(t(lc, "participants", "Participants")), escape(&names.join(", ")));
    }
    s.push_str(")\n\n");
    let _ = writeln!(s, "#heading(level: 2)[{}]\n", escape(t(lc, "agenda", "Agenda")));
    let _ = writeln!(
        s,
        "#table(columns: (auto, auto, 1fr, auto), table.header([{}], [{}], [{}], [{}]),",
        escape(t(lc, "time", "Time")),
        escape(t(lc, "minutes_short", "min")),
        escape(t(lc, "agenda_step", "Step")),
        escape(t(lc, "method", "Method"))
    );
    for (step, (from, to)) in w.agenda.iter().zip(w.times()) {
        let notes =
            step.notes.as_deref().map(|n| format!("#linebreak()#text(size: 0.9em)[{}]", escape(n))).unwrap_or_default();
        let _ = writeln!(
            s,
            "  [{}–{}], [{}], [*{}*{notes}], [{}],",
            escape(&from),
            escape(&to),
            step.minutes,
            escape(&step.title),
            escape(step.method.as_deref().unwrap_or(""))
        );
    }
    s.push_str(")\n\n");
    for (key, default, items) in
        [("preparation", "Preparation", &w.preparation), ("materials", "Materials", &w.materials)]
    {
        if !items.is_empty() {
            let _ = writeln!(s, "#heading(level: 2)[{}]\n", escape(t(lc, key, default)));
            s.push_str("#list(");
            for i in items {
                let _ = write!(s, "[#lotse-box(false) {}], ", escape(i));
            }
            s.push_str(")\n\n");
        }
    }
}

/// The facilitator notes of the stage page and its articles.
fn notes(s: &mut String, input: &RenderInput, lc: &LangCtx, bs: &BookStage) {
    let site = input.site;
    let pages: Vec<PageId> = std::iter::once(bs.page)
        .chain(bs.articles.iter().copied())
        .filter(|&p| !input.pages[p].facilitator.is_empty())
        .collect();
    if pages.is_empty() {
        return;
    }
    let _ = writeln!(s, "#heading(level: 2)[{}]\n", escape(t(lc, "facilitator_notes_by_article", "Facilitator notes")));
    for p in pages {
        let page = &site.pages[p];
        let r = &input.pages[p];
        let _ = writeln!(s, "#heading(level: 3)[{}]\n", linked(&site.config.permalink(&page.path), page.meta.title()));
        for n in &r.facilitator {
            if let Some(h) = n.heading.and_then(|h| r.headings.get(h)) {
                let _ = writeln!(s, "#text(size: 0.85em, weight: \"bold\", fill: luma(70))[{}]\n", escape(&h.text));
            }
            let _ = writeln!(s, "#block(inset: (left: 8pt), stroke: (left: 1.5pt + luma(170)))[{}]\n", n.typst);
        }
    }
}

/// `/<stage>/worksheets/<id>/worksheet.pdf`, laid out like `worksheet.html`:
/// the header, date and participants, and the table with its empty rows.
fn sheet(input: &RenderInput, lc: &LangCtx, bs: &BookStage, article: PageId, w: &Worksheet, path: &str) -> Document {
    let site = input.site;
    let c = &site.config;
    let stage = &site.pages[bs.page];
    let label = t(lc, "worksheet", "Worksheet");
    let title = format!("{label}: {}", w.title);
    let mut s = preamble(&setup(input, lc, &title, false));
    if w.orientation == Orientation::Landscape {
        s.push_str("#set page(flipped: true)\n");
    }
    let _ = writeln!(
        s,
        "#text(size: 0.85em, fill: luma(80))[{} · {} {}: {}]\n",
        escape(c.title.get(lc.lang, &c.default_language)),
        escape(t(lc, "stage", "Stage")),
        site.stages[bs.stage].number,
        escape(stage.meta.title())
    );
    let _ = writeln!(s, "#heading(level: 1)[{}]\n", escape(&title));
    if let Some(intro) = &w.intro {
        let _ = writeln!(s, "{}\n", escape(intro));
    }
    let a = &site.pages[article];
    let permalink = c.permalink(&a.path);
    let _ = writeln!(
        s,
        "#text(size: 0.85em)[{} #text(fill: luma(80))[{}]]\n",
        linked(&permalink, a.meta.title()),
        escape(&permalink)
    );
    let _ = writeln!(
        s,
        "#table(columns: (auto, 1fr, auto, 1fr), rows: 2.2em, align: horizon, [*{}*], [], [*{}*], [])\n",
        escape(t(lc, "date", "Date")),
        escape(t(lc, "participants", "Participants"))
    );
    let widths: Vec<String> = w.columns.iter().map(|(_, width)| format!("{:.1}fr", width.max(1.0))).collect();
    let _ = write!(s, "#table(columns: ({},), table.header(", widths.join(", "));
    for (col, _) in &w.columns {
        let _ = write!(s, "[{}], ", escape(col));
    }
    s.push_str("),\n");
    if !w.example.is_empty() {
        for v in &w.example {
            let _ = write!(s, "[#text(style: \"italic\", fill: luma(90))[{}]], ", escape(v));
        }
        s.push('\n');
    }
    for _ in 0..w.rows {
        for (n, _) in w.columns.iter().enumerate() {
            s.push_str(if n == 0 { "[#v(1.6em)], " } else { "[], " });
        }
        s.push('\n');
    }
    s.push_str(")\n");
    Document { source: s, files: Vec::new(), ident: path.to_string() }
}
