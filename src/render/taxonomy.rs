//! Tag and role pages: `/tags/`, `/tags/<tag>/`, `/roles/`, `/roles/<role>/`
//! per language, listing articles in series order.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::frame::Out;
use super::paginate::{Paginator, chunks, page_path};
use super::views::ArticleCard;
use super::{LangCtx, RenderInput, base_context, card};
use crate::error::Diagnostic;
use crate::frontmatter::Taxonomy;
use crate::markdown::slugify;
use crate::model::PageId;

/// One listing page: the index of a taxonomy (`term` is `None`) or a term.
struct TermPage<'a> {
    path: String,
    slug: Option<&'a str>,
    term: Option<String>,
    cards: Vec<ArticleCard<'a>>,
    links: Vec<TermLink>,
    /// The pager of a term with more articles than `paginate.terms`.
    paginator: Option<Paginator>,
}

#[derive(Serialize)]
struct TermLink {
    name: String,
    url: String,
    count: usize,
}

/// Renders the tag and role pages of one language (none for a taxonomy
/// that no page of the language uses).
pub(crate) fn render_taxonomies(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let Some(book) = site.book(lc.lang) else {
        return Ok(());
    };
    let mut diags = Vec::new();
    for (k, kind) in Taxonomy::ALL.into_iter().enumerate() {
        let terms = collect(input, &book.series, kind);
        if terms.is_empty() {
            continue;
        }
        let base = format!("{}{kind}/", book.prefix);
        let name_of = |key: &str| display_name(lc, kind, key);
        let links = |from: &str| -> Vec<TermLink> {
            terms
                .iter()
                .map(|(slug, (k, ids))| TermLink {
                    name: name_of(k),
                    url: input.url(from, &format!("{base}{slug}/")),
                    count: ids.len(),
                })
                .collect()
        };
        let title = lc.strings.get(&format!("{kind}_title")).cloned().unwrap_or_else(|| kind.to_string());
        let index = TermPage {
            path: base.clone(),
            slug: None,
            term: None,
            cards: Vec::new(),
            links: links(&base),
            paginator: None,
        };
        let mut pages = vec![index];
        for (slug, (key, ids)) in &terms {
            let first = format!("{base}{slug}/");
            let ranges = chunks(ids.len(), site.config.paginate.terms);
            for (i, range) in ranges.iter().enumerate() {
                let path = page_path(&first, i + 1);
                let cards = ids[range.clone()].iter().map(|&id| card(input, lc, &path, id)).collect();
                let paginator = Paginator::new(input, &first, &ranges, i + 1);
                let term = Some(name_of(key));
                pages.push(TermPage { links: links(&path), path, slug: Some(slug), term, cards, paginator });
            }
        }
        for TermPage { path, slug, term, cards, links, paginator } in pages {
            let later = paginator.as_ref().is_some_and(|p| p.current > 1);
            let mut ctx = base_context(input, lc, &path, None, out);
            // The same term's page in each language that has it.
            let languages = super::language_links(input, lc.lang, &path, |b| {
                let used = &input.facts(&b.lang)?.terms[k];
                let found = slug.map_or(!used.is_empty(), |s| used.contains(s));
                found.then(|| format!("{}{kind}/{}", b.prefix, slug.map_or(String::new(), |s| format!("{s}/"))))
            });
            // A later page: other languages' lists may split differently.
            let languages: Vec<_> = languages
                .into_iter()
                .map(|mut l| {
                    if later && l.current {
                        l.permalink = site.config.permalink(&path);
                    }
                    l.translated &= !later || l.current;
                    l
                })
                .collect();
            ctx.insert("languages", &languages);
            let heading = term.clone().map_or(title.clone(), |t| format!("{title}: {t}"));
            let lead = lc.strings.get(&format!("{kind}_lead")).filter(|_| term.is_none());
            let summary = lead.unwrap_or(&heading);
            ctx.insert(
                "page",
                &json!({ "kind": "taxonomy", "title": heading, "summary": summary, "permalink": site.config.permalink(&path) }),
            );
            ctx.insert("taxonomy", &kind);
            ctx.insert("term", &term);
            ctx.insert("terms", &links);
            ctx.insert("articles", &cards);
            ctx.insert("index_url", &input.url(&path, &base));
            if paginator.is_some() {
                ctx.insert("paginator", &paginator);
            }
            if let Err(d) = out.template(format!("{path}index.html"), "taxonomy.html", ctx, 16 * 1024) {
                diags.push(d);
            }
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// Terms of `kind` used in `series` by URL slug, so that `CRM` and `crm`
/// share one page: each with its first spelling and its pages in series order.
fn collect<'a>(input: &RenderInput<'a>, series: &[PageId], kind: Taxonomy) -> BTreeMap<String, (&'a str, Vec<PageId>)> {
    let mut terms: BTreeMap<String, (&str, Vec<PageId>)> = BTreeMap::new();
    for &id in series {
        let meta = &input.site.pages[id].meta;
        let values = meta.terms(kind);
        for v in values {
            let (_, ids) = terms.entry(slugify(v)).or_insert((v.as_str(), Vec::new()));
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }
    terms
}

fn display_name(lc: &LangCtx, kind: Taxonomy, key: &str) -> String {
    if kind == Taxonomy::Roles {
        lc.strings.get(&format!("role_{key}")).cloned().unwrap_or_else(|| key.to_string())
    } else {
        key.to_string()
    }
}
