//! The workshop kit's pages: a facilitator guide per stage
//! (`/<stage>/workshop/`: agenda with clock times, preparation, materials,
//! the facilitator notes of the stage's articles, worksheets, the
//! checklist) and a printable fill-in sheet per worksheet
//! (`/<stage>/worksheets/<id>/`). A participants' build has no guides.

use serde::Serialize;
use serde_json::json;

use super::frame::Out;
use super::{LangCtx, RenderInput, base_context};
use crate::checklist;
use crate::config::Audience;
use crate::error::Diagnostic;
use crate::links::Resolver;
use crate::markdown::{LinkRef, sheet_table};
use crate::model::{BookStage, PageId};
use crate::workshop::{Orientation, Workshop};

/// Whether stage `bs` gets a facilitator guide: not for participants, and
/// only with a plan, facilitator notes or worksheets to show.
pub(crate) fn has_guide(input: &RenderInput, bs: &BookStage) -> bool {
    let lang = &input.site.pages[bs.page].lang;
    // Known for every stage of the book before rendering (a page asks for
    // its own stage: looking through its articles each time was quadratic).
    let known = input.site.book(lang).and_then(|b| {
        let i = b.stages.iter().position(|s| s.page == bs.page)?;
        input.facts(lang)?.guides.get(i).copied()
    });
    known.unwrap_or_else(|| guide_wanted(input.site, input.pages, bs))
}

/// [`has_guide`], found from the stage's pages.
pub(crate) fn guide_wanted(site: &crate::model::Site, pages: &[crate::markdown::Rendered], bs: &BookStage) -> bool {
    site.config.audience == Audience::All
        && (site.pages[bs.page].meta.workshop().is_some()
            || std::iter::once(&bs.page)
                .chain(&bs.articles)
                .any(|&p| !pages[p].facilitator.is_empty() || !pages[p].worksheets.is_empty()))
}

/// `4 Std. 30 Min.` / `4 h 30 min` / `45 min`.
pub(crate) fn duration_text(lc: &LangCtx, minutes: u32) -> String {
    let s = |k: &str, d: &'static str| lc.strings.get(k).map_or(d, |v| v.as_str()).to_string();
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} {}", s("minutes_short", "min")),
        (h, 0) => format!("{h} {}", s("hours_short", "h")),
        (h, m) => format!("{h} {} {m} {}", s("hours_short", "h"), s("minutes_short", "min")),
    }
}

/// A role's name in the language, as the role pages show it.
fn role_name(lc: &LangCtx, role: &str) -> String {
    lc.strings.get(&format!("role_{role}")).cloned().unwrap_or_else(|| role.to_string())
}

/// One stage's workshop for the home page's overview.
#[derive(Debug, Serialize)]
pub(crate) struct WorkshopCard<'a> {
    number: usize,
    stage: &'a str,
    title: &'a str,
    duration: String,
    participants: Vec<String>,
    url: String,
}

/// The home page's "Workshops" list: every stage with a plan.
pub(crate) fn overview<'a>(input: &RenderInput<'a>, lc: &LangCtx, from: &str) -> Vec<WorkshopCard<'a>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else { return Vec::new() };
    if site.config.audience != Audience::All {
        return Vec::new();
    }
    book.stages
        .iter()
        .filter_map(|bs| {
            let page = &site.pages[bs.page];
            let w = page.meta.workshop()?;
            Some(WorkshopCard {
                number: site.stages[bs.stage].number,
                stage: page.meta.title(),
                title: &w.title,
                duration: duration_text(lc, w.duration),
                participants: w.participants.iter().map(|r| role_name(lc, r)).collect(),
                url: input.url(from, &format!("{}workshop/", page.path)),
            })
        })
        .collect()
}

/// The facilitator guides of one language, one per stage that has one.
pub(crate) fn render_guides(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let Some(book) = input.site.book(lc.lang) else { return Ok(()) };
    let lists = checklist::stage_lists(input.site, input.pages, lc.lang);
    let mut diags = Vec::new();
    for (bs, list) in book.stages.iter().zip(lists) {
        if has_guide(input, bs)
            && let Err(d) = guide(input, lc, bs, list, out)
        {
            diags.push(d);
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// An agenda step as the guide shows it.
#[derive(Debug, Serialize)]
struct StepView<'a> {
    minutes: u32,
    from: String,
    to: String,
    title: &'a str,
    method: Option<&'a str>,
    notes: Option<&'a str>,
    link: Option<LinkView>,
    worksheet: Option<LinkView>,
}

#[derive(Debug, Serialize)]
struct LinkView {
    title: String,
    url: String,
}

/// The facilitator notes of one page.
#[derive(Debug, Serialize)]
struct NotesView<'a> {
    title: &'a str,
    url: String,
    notes: Vec<NoteView<'a>>,
}

#[derive(Debug, Serialize)]
struct NoteView<'a> {
    heading: Option<&'a str>,
    url: String,
    html: std::borrow::Cow<'a, str>,
}

/// `/<stage>/workshop/`.
fn guide(
    input: &RenderInput,
    lc: &LangCtx,
    bs: &BookStage,
    mut list: checklist::StageList,
    out: &mut Out,
) -> Result<(), Diagnostic> {
    let site = input.site;
    let stage = &site.pages[bs.page];
    let path = format!("{}workshop/", stage.path);
    super::handout::set_urls(&mut list, &path, site);
    let mut ctx = base_context(input, lc, &path, Some(bs.page), out);
    let languages = super::language_links(input, lc.lang, &path, |b| {
        let other = b.stages.iter().find(|o| o.stage == bs.stage)?;
        has_guide(input, other).then(|| format!("{}workshop/", site.pages[other.page].path))
    });
    ctx.insert("languages", &languages);
    let label = lc.strings.get("facilitator_guide").map_or("Facilitator guide", |s| s.as_str());
    let title = format!("{label} – {}", stage.meta.title());
    ctx.insert("page", &json!({"kind": "workshop", "title": title, "summary": stage.meta.summary().unwrap_or(""), "permalink": site.config.permalink(&path)}));
    ctx.insert(
        "stage",
        &json!({"number": site.stages[bs.stage].number, "title": stage.meta.title(), "url": input.url(&path, &stage.path), "outcome": stage.meta.outcome()}),
    );
    if let Some(w) = stage.meta.workshop() {
        ctx.insert("workshop", &plan(input, lc, bs, w, &path));
    }
    ctx.insert("notes", &notes(input, bs, &path));
    ctx.insert("worksheets", &worksheets(input, bs, &path));
    ctx.insert("handout_url", &(list.count > 0).then(|| input.url(&path, &format!("{}checklist/", stage.path))));
    ctx.insert("checklist", &list);
    ctx.insert("pdf_url", &super::pdf::enabled(site).then_some(super::pdf::WORKSHOP));
    ctx.insert(
        "pdf_name",
        &format!("{}-{}-{}.pdf", crate::markdown::slugify(label), site.stages[bs.stage].number, lc.lang),
    );
    out.template(format!("{path}index.html"), "workshop.html", ctx, 64 * 1024)
}

/// The plan with clock times and resolved links.
fn plan(input: &RenderInput, lc: &LangCtx, bs: &BookStage, w: &Workshop, path: &str) -> serde_json::Value {
    let site = input.site;
    let resolver = Resolver::new(site, std::iter::empty());
    let sheets = sheet_pages(input, bs);
    let steps: Vec<StepView> = w
        .agenda
        .iter()
        .zip(w.times())
        .map(|(s, (from, to))| StepView {
            minutes: s.minutes,
            from,
            to,
            title: &s.title,
            method: s.method.as_deref(),
            notes: s.notes.as_deref(),
            link: s.link.as_deref().and_then(|dest| {
                let r = resolver.resolve_at(
                    bs.page,
                    &LinkRef {
                        dest: dest.to_string(),
                        offset: 0,
                        image: false,
                        kind: crate::markdown::LinkKind::Markdown,
                    },
                    path,
                );
                let to = r.edge.map(|e| site.pages[e.to].meta.title().to_string());
                Some(LinkView { title: to.unwrap_or_else(|| dest.to_string()), url: r.href? })
            }),
            worksheet: s.worksheet.as_deref().and_then(|id| {
                let (title, _) = sheets.iter().find(|(_, sid)| *sid == id)?;
                Some(LinkView { title: title.to_string(), url: input.url(path, &sheet_path(site, bs, id)) })
            }),
        })
        .collect();
    json!({
        "title": w.title,
        "duration": w.duration,
        "duration_text": duration_text(lc, w.duration),
        "start": crate::workshop::clock(w.start_minutes()),
        "participants": w.participants.iter().map(|r| role_name(lc, r)).collect::<Vec<_>>(),
        "materials": w.materials,
        "preparation": w.preparation,
        "agenda": steps,
    })
}

/// Title and id of every worksheet of the stage, in series order.
fn sheet_pages<'a>(input: &RenderInput<'a>, bs: &BookStage) -> Vec<(&'a str, &'a str)> {
    std::iter::once(&bs.page)
        .chain(&bs.articles)
        .flat_map(|&p| input.pages[p].worksheets.iter().map(|w| (w.sheet.title.as_str(), w.sheet.id.as_str())))
        .collect()
}

fn sheet_path(site: &crate::model::Site, bs: &BookStage, id: &str) -> String {
    format!("{}worksheets/{id}/", site.pages[bs.page].path)
}

/// The facilitator notes of the stage page and its articles, in series order.
fn notes<'a>(input: &RenderInput<'a>, bs: &BookStage, path: &str) -> Vec<NotesView<'a>> {
    let site = input.site;
    std::iter::once(&bs.page)
        .chain(&bs.articles)
        .filter(|&&p| !input.pages[p].facilitator.is_empty())
        .map(|&p: &PageId| {
            let page = &site.pages[p];
            let r = &input.pages[p];
            let url = input.url(path, &page.path);
            let notes = r
                .facilitator
                .iter()
                .map(|n| {
                    let h = n.heading.and_then(|h| r.headings.get(h));
                    let html = if n.html.contains("href=") || n.html.contains("src=") {
                        std::borrow::Cow::Owned(crate::links::rebase_html(
                            &n.html,
                            &page.path,
                            path,
                            site.config.portable,
                        ))
                    } else {
                        std::borrow::Cow::Borrowed(n.html.as_str())
                    };
                    NoteView {
                        heading: h.map(|h| h.text.as_str()),
                        url: h.map_or_else(|| url.clone(), |h| format!("{url}#{}", h.id)),
                        html,
                    }
                })
                .collect();
            NotesView { title: page.meta.title(), url, notes }
        })
        .collect()
}

fn worksheets(input: &RenderInput, bs: &BookStage, path: &str) -> Vec<serde_json::Value> {
    let site = input.site;
    std::iter::once(&bs.page)
        .chain(&bs.articles)
        .flat_map(|&p| input.pages[p].worksheets.iter().map(move |w| (p, w)))
        .map(|(p, w)| {
            json!({
                "title": w.sheet.title,
                "url": input.url(path, &sheet_path(site, bs, &w.sheet.id)),
                "article": site.pages[p].meta.title(),
                "landscape": w.sheet.orientation == Orientation::Landscape,
                "rows": w.sheet.rows,
            })
        })
        .collect()
}

/// The printable worksheets of one language (also for participants).
pub(crate) fn render_worksheets(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else { return Ok(()) };
    let mut diags = Vec::new();
    for bs in &book.stages {
        for &p in std::iter::once(&bs.page).chain(&bs.articles) {
            for w in &input.pages[p].worksheets {
                if let Err(d) = sheet(input, lc, bs, p, &w.sheet, out) {
                    diags.push(d);
                }
            }
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// `/<stage>/worksheets/<id>/`.
fn sheet(
    input: &RenderInput,
    lc: &LangCtx,
    bs: &BookStage,
    article: PageId,
    w: &crate::workshop::Worksheet,
    out: &mut Out,
) -> Result<(), Diagnostic> {
    let site = input.site;
    let stage = &site.pages[bs.page];
    let path = sheet_path(site, bs, &w.id);
    let mut ctx = base_context(input, lc, &path, Some(article), out);
    let languages = super::language_links(input, lc.lang, &path, |b| {
        let other = b.stages.iter().find(|o| o.stage == bs.stage)?;
        let has = std::iter::once(&other.page)
            .chain(&other.articles)
            .any(|&p| input.pages[p].worksheets.iter().any(|o| o.sheet.id == w.id));
        has.then(|| sheet_path(site, other, &w.id))
    });
    ctx.insert("languages", &languages);
    ctx.insert("page", &json!({"kind": "worksheet", "title": w.title, "summary": w.intro.as_deref().unwrap_or(""), "permalink": site.config.permalink(&path)}));
    ctx.insert(
        "stage",
        &json!({"number": site.stages[bs.stage].number, "title": stage.meta.title(), "url": input.url(&path, &stage.path)}),
    );
    let a = &site.pages[article];
    ctx.insert("article", &json!({"title": a.meta.title(), "url": input.url(&path, &a.path), "permalink": site.config.permalink(&a.path)}));
    ctx.insert("sheet", w);
    ctx.insert("table", &sheet_table(w, w.rows));
    ctx.insert("landscape", &(w.orientation == Orientation::Landscape));
    ctx.insert("pdf_url", &super::pdf::enabled(site).then_some(super::pdf::WORKSHEET));
    ctx.insert("pdf_name", &format!("{}-{}.pdf", w.id, lc.lang));
    out.template(format!("{path}index.html"), "worksheet.html", ctx, 16 * 1024 + 200 * w.rows * w.columns.len())
}
