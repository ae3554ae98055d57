//! The position check of one language, `/assessment/`: every stage's
//! statements as a questionnaire, and the same statements, stages and
//! scale as JSON for the page script (chart, scores, team view), so no
//! text is kept twice.

use serde::Serialize;
use serde_json::json;

use super::frame::Out;
use super::{LangCtx, RenderInput, base_context};
use crate::assessment::book::{self, StageAsked};
use crate::error::Diagnostic;

/// Version of the page data and of the answer files the script writes.
const DATA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct StatementView<'a> {
    id: &'a str,
    text: &'a str,
    hint: Option<&'a str>,
    see: Option<Link<'a>>,
}

#[derive(Serialize)]
struct StageView<'a> {
    number: usize,
    title: &'a str,
    url: String,
    /// The stage's first article, where the weakest stage's advice points.
    first: Option<Link<'a>>,
    statements: Vec<StatementView<'a>>,
}

/// Renders `/assessment/` (or `/<lang>/assessment/`) when any stage of
/// the language has statements.
pub(crate) fn render_assessment(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else { return Ok(()) };
    if !book::has_statements(site, book) {
        return Ok(());
    }
    let path = format!("{}assessment/", book.prefix);
    let asked = book::stages(site, lc.lang);
    let stages: Vec<StageView> = asked.iter().map(|s| stage_view(input, &path, s)).collect();
    let scale = book::scale(&site.config, &lc.strings, lc.lang);
    let mut ctx = base_context(input, lc, &path, None, out);
    let languages = super::language_links(input, lc.lang, &path, |b| {
        book::has_statements(site, b).then(|| format!("{}assessment/", b.prefix))
    });
    ctx.insert("languages", &languages);
    let title = lc.strings.get("assess_title").map_or("Position check", String::as_str);
    let summary = lc.strings.get("assess_summary").map_or("", String::as_str);
    let c = &site.config;
    ctx.insert(
        "page",
        &json!({ "kind": "assessment", "title": title, "summary": summary, "permalink": c.permalink(&path) }),
    );
    let levels: Vec<serde_json::Value> =
        scale.iter().enumerate().map(|(value, label)| json!({ "value": value, "label": label })).collect();
    ctx.insert("scale", &levels);
    ctx.insert("assessed", &stages);
    ctx.insert("statement_count", &stages.iter().map(|s| s.statements.len()).sum::<usize>());
    ctx.insert("data", &page_data(input, lc, &stages, &scale));
    ctx.insert("pdf_url", &super::pdf::enabled(site).then_some(super::pdf::ASSESSMENT));
    ctx.insert("pdf_name", &format!("{}-{}.pdf", crate::markdown::slugify(title), lc.lang));
    let size = 24 * 1024 + stages.iter().flat_map(|s| &s.statements).map(|s| 2 * s.text.len() + 1200).sum::<usize>();
    out.template(format!("{path}index.html"), "assessment.html", ctx, size).map_err(|d| vec![d])
}

fn stage_view<'a>(input: &RenderInput<'a>, path: &str, s: &'a StageAsked<'a>) -> StageView<'a> {
    let site = input.site;
    let link = |id: usize| Link { title: site.pages[id].meta.title(), url: input.url(path, &site.pages[id].path) };
    let book = site.book(&site.pages[s.page].lang);
    let first = book.and_then(|b| b.stages[s.index].articles.first().copied());
    StageView {
        number: site.pages[s.page].stage.map_or(0, |st| site.stages[st].number),
        title: site.pages[s.page].meta.title(),
        url: input.url(path, &site.pages[s.page].path),
        first: first.map(link),
        statements: s
            .statements
            .iter()
            .map(|a| StatementView {
                id: &a.id,
                text: a.statement.text.trim(),
                hint: a.statement.hint.as_deref().map(str::trim).filter(|h| !h.is_empty()),
                see: a.see.map(link),
            })
            .collect(),
    }
}

/// The JSON the page script reads, safe inside a `<script>` element:
/// stages with their statements, the scale, and the script's UI strings.
fn page_data(input: &RenderInput, lc: &LangCtx, stages: &[StageView], scale: &[String]) -> String {
    let c = &input.site.config;
    let strings: serde_json::Map<String, serde_json::Value> = lc
        .strings
        .iter()
        .filter(|(k, _)| k.starts_with("assess_"))
        .map(|(k, v)| (k["assess_".len()..].to_string(), json!(v)))
        .collect();
    let data = json!({
        "version": DATA_VERSION,
        "guide": c.title.get(lc.lang, &c.default_language),
        "lang": lc.lang,
        "scale": scale,
        "stages": stages,
        "t": strings,
    });
    // `<` only occurs inside JSON strings, where `\u003c` means the same;
    // so the text can never close the script element.
    data.to_string().replace('<', "\\u003c")
}
