//! Checklist handouts: one printable page per stage, one for the whole
//! series, with CSV and JSON exports beside each.

use qrcode::QrCode;
use qrcode::render::svg;
use rayon::prelude::*;
use serde_json::json;

use super::frame::Out;
use super::handout_parts::Split;
use super::paginate::page_path;
use super::{LangCtx, RenderInput, base_context};
use crate::checklist::{self, StageList, export_rows};
use crate::error::Diagnostic;
use crate::links::{page_url, rebase_html};

/// Renders the handouts and exports of one language, stages in parallel:
/// none for a language without checklist items, and none for a stage
/// without any.
pub(crate) fn render_handouts(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else {
        return Ok(());
    };
    if input.facts(lc.lang).is_none_or(|f| f.items == 0) {
        return Ok(());
    }
    let lists = checklist::stage_lists(site, input.pages, lc.lang);
    let (stages, series) = rayon::join(
        || {
            lists
                .par_iter()
                .zip(&book.stages)
                .filter(|(list, _)| list.count > 0)
                .map(|(list, bs)| {
                    let mut part = out.fork();
                    stage_handout(input, lc, list.clone(), bs.page, &mut part).map(|()| part)
                })
                .collect::<Vec<_>>()
        },
        || {
            let mut part = out.fork();
            series_handout(input, lc, &lists, &mut part).map(|()| part)
        },
    );
    let mut parts = Vec::new();
    let mut diags = Vec::new();
    for r in stages.into_iter().chain(std::iter::once(series)) {
        match r {
            Ok(part) => parts.push(part),
            Err(d) => diags.push(d),
        }
    }
    out.join(parts);
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// `/<stage>/checklist/` with its CSV and JSON; a stage with more items
/// than `paginate.handout` in parts (`checklist/page/2/`, ...).
fn stage_handout(
    input: &RenderInput,
    lc: &LangCtx,
    list: StageList,
    stage_page: usize,
    out: &mut Out,
) -> Result<(), Diagnostic> {
    let site = input.site;
    let base = format!("{}checklist/", list.path);
    let weights: Vec<usize> = list.articles.iter().map(|a| a.count).collect();
    let split = Split::new(&weights, site.config.paginate.handout);
    let index = split.index(input, &base, |r| {
        let title = |a: Option<&checklist::ArticleList>| a.map_or(String::new(), |a| a.title.to_string());
        (title(list.articles.get(r.start)), title(r.end.checked_sub(1).and_then(|i| list.articles.get(i))))
    });
    let stage = site.pages[stage_page].stage;
    for (i, range) in split.parts.iter().enumerate() {
        let mut part = if split.parts.len() > 1 { list.part(range.clone()) } else { list.clone() };
        let path = page_path(&base, i + 1);
        set_urls(&mut part, &path, site);
        let mut ctx = base_context(input, lc, &path, Some(stage_page), out);
        let languages = super::language_links(input, lc.lang, &path, |b| {
            let i = b.stages.iter().position(|bs| Some(bs.stage) == stage)?;
            let items = input.facts(&b.lang)?.stage_items.get(i).copied().unwrap_or(0);
            (items > 0).then(|| format!("{}checklist/", site.pages[b.stages[i].page].path))
        });
        ctx.insert("languages", &split.languages(input, languages, &path, i + 1));
        let title = format!("{} – {}", lc.strings.get("handout_title").map_or("Checklist", |s| s), part.title);
        let title = split.title(lc, title, i + 1);
        ctx.insert("page", &page_meta(input, &title, &path, part.outcome));
        ctx.insert("scope", "stage");
        ctx.insert("handouts", std::slice::from_ref(&part));
        ctx.insert("qr", &qr_svg(&part.permalink, &site.config.base_url));
        ctx.insert("total", &part.count);
        ctx.insert("full", &true);
        let pdf = i == 0 && super::pdf::enabled(site) && list.count <= super::pdf::MAX_HANDOUT_ITEMS;
        ctx.insert("pdf_url", &pdf.then_some(super::pdf::HANDOUT));
        let stage_slug = list.path.trim_end_matches('/').rsplit('/').next().unwrap_or("stage");
        ctx.insert("pdf_name", &format!("{stage_slug}-{}.pdf", lc.lang));
        split.insert(input, &mut ctx, &base, &index, i + 1);
        out.template(format!("{path}index.html"), "handout.html", ctx, handout_size(part.count))?;
    }
    split.note(out, &base, site.config.paginate.handout);
    exports(out, std::slice::from_ref(&list), &base, "checklist", guide_title(input, lc));
    Ok(())
}

/// `/checklists/`: every item of the series (in parts of `paginate.handout`
/// items when there are more), or for a book too big to print in one piece
/// (`print.max_pages`) a list of the stage handouts; the CSV and JSON
/// exports always hold every item.
fn series_handout(input: &RenderInput, lc: &LangCtx, lists: &[StageList], out: &mut Out) -> Result<(), Diagnostic> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else { return Ok(()) };
    let base = format!("{}checklists/", book.prefix);
    let full = super::print::wanted(site, book);
    // Every article of every stage, in order: what parts are made of.
    let units: Vec<(usize, usize)> =
        lists.iter().enumerate().flat_map(|(s, l)| (0..l.articles.len()).map(move |a| (s, a))).collect();
    let weights: Vec<usize> = units.iter().map(|&(s, a)| lists[s].articles[a].count).collect();
    let split = Split::new(&weights, if full { site.config.paginate.handout } else { 0 });
    let name = |u: Option<&(usize, usize)>| {
        u.map_or(String::new(), |&(s, a)| {
            format!(
                "{} {}: {}",
                lc.strings.get("stage").map_or("Stage", |s| s),
                lists[s].number,
                lists[s].articles[a].title
            )
        })
    };
    let index = split
        .index(input, &base, |r| (name(units.get(r.start)), name(r.end.checked_sub(1).and_then(|i| units.get(i)))));
    let total: usize = lists.iter().map(|l| l.count).sum();
    for (i, range) in split.parts.iter().enumerate() {
        let path = page_path(&base, i + 1);
        // A book too big to print in one piece lists only the stages: its
        // items are not copied.
        let mut parts: Vec<StageList> = match (full, split.parts.len() > 1) {
            (false, _) => Vec::new(),
            (true, true) => part_lists(lists, &units[range.clone()]),
            (true, false) => lists.to_vec(),
        };
        for list in &mut parts {
            set_urls(&mut *list, &path, site);
        }
        let parts = if full { parts.as_slice() } else { lists };
        let mut ctx = base_context(input, lc, &path, None, out);
        let languages = super::language_links(input, lc.lang, &path, |b| {
            input.facts(&b.lang).is_some_and(|f| f.items > 0).then(|| format!("{}checklists/", b.prefix))
        });
        ctx.insert("languages", &split.languages(input, languages, &path, i + 1));
        let title = lc.strings.get("all_checklists").map_or("Checklists", |s| s.as_str());
        ctx.insert("page", &page_meta(input, &split.title(lc, title.to_string(), i + 1), &path, None));
        ctx.insert("scope", "series");
        ctx.insert("full", &full);
        let count: usize = parts.iter().map(|l| l.count).sum();
        ctx.insert("total", &count);
        if full {
            ctx.insert("handouts", &parts);
        } else {
            let summaries: Vec<serde_json::Value> = parts
                .iter()
                .map(|l| json!({ "number": l.number, "title": l.title, "count": l.count, "articles": [], "handout_url": input.url(&path, &format!("{}checklist/", l.path)) }))
                .collect();
            ctx.insert("handouts", &summaries);
        }
        let home = site.config.permalink(&book.prefix);
        ctx.insert("qr", &qr_svg(&home, &site.config.base_url));
        let pdf = i == 0 && full && super::pdf::enabled(site) && total <= super::pdf::MAX_HANDOUT_ITEMS;
        ctx.insert("pdf_url", &pdf.then_some(super::pdf::SERIES));
        ctx.insert("pdf_name", &format!("checklists-{}.pdf", lc.lang));
        split.insert(input, &mut ctx, &base, &index, i + 1);
        out.template(format!("{path}index.html"), "handout.html", ctx, handout_size(if full { count } else { 0 }))?;
    }
    split.note(out, &base, site.config.paginate.handout);
    exports(out, lists, &base, "checklists", guide_title(input, lc));
    Ok(())
}

/// The stage lists of the articles `units` (stage, article) of `lists`.
fn part_lists<'a>(lists: &[StageList<'a>], units: &[(usize, usize)]) -> Vec<StageList<'a>> {
    let mut out = Vec::new();
    let mut rest = units;
    while let Some(&(s, a)) = rest.first() {
        let n = rest.iter().take_while(|u| u.0 == s).count();
        out.push(lists[s].part(a..a + n));
        rest = &rest[n..];
    }
    out
}

/// About the bytes of a handout page with `items` checklist items (the
/// default theme takes about 600 bytes an item).
fn handout_size(items: usize) -> usize {
    32 * 1024 + 640 * items
}

/// Fills in each article's URL relative to the handout at `path`, and
/// moves the links in its items there.
pub(super) fn set_urls(list: &mut StageList, path: &str, site: &crate::model::Site) {
    let portable = site.config.portable;
    for a in &mut list.articles {
        let from = &site.pages[a.page].path;
        a.url = page_url(portable, path, from);
        for item in a.sections.iter_mut().flat_map(|s| &mut s.items) {
            if item.html.contains("href=") || item.html.contains("src=") {
                item.html = rebase_html(&item.html, from, path, portable).into();
            }
        }
    }
}

/// The guide's title in the handout's language.
fn guide_title<'a>(input: &RenderInput<'a>, lc: &LangCtx) -> &'a str {
    let c = &input.site.config;
    c.title.get(lc.lang, &c.default_language)
}

fn page_meta(input: &RenderInput, title: &str, path: &str, summary: Option<&str>) -> serde_json::Value {
    json!({
        "kind": "handout",
        "title": title,
        "summary": summary.unwrap_or(""),
        "permalink": input.site.config.permalink(path),
    })
}

/// An inline SVG QR code for `url`, only when the site has an absolute base
/// URL (a QR code of a relative path is useless on paper).
pub(super) fn qr_svg(url: &str, base_url: &str) -> Option<String> {
    if !base_url.contains("://") {
        return None;
    }
    let code = QrCode::new(url.as_bytes()).ok()?;
    let svg = code.render::<svg::Color>().min_dimensions(140, 140).quiet_zone(false).build();
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

/// `NAME.csv` and `NAME.json` beside the handout at `path`, each written
/// a row at a time (the series' exports of a large site are hundreds of MB).
fn exports(out: &mut Out, lists: &[StageList], path: &str, name: &str, guide: &str) {
    out.written(format!("{path}{name}.csv"), &|w| checklist::write_csv(w, export_rows(lists)));
    /// The rows, serialised as a list without being collected.
    struct Rows<'a>(&'a [StageList<'a>]);
    impl serde::Serialize for Rows<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(export_rows(self.0))
        }
    }
    #[derive(serde::Serialize)]
    struct Export<'a> {
        guide: &'a str,
        count: usize,
        items: Rows<'a>,
    }
    let count = export_rows(lists).count();
    out.written(format!("{path}{name}.json"), &|w| {
        let doc = Export { guide, count, items: Rows(lists) };
        serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    });
}
