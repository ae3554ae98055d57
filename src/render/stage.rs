//! Stage pages: the stage's text and the list of its articles, split into
//! pages of `paginate.stage` articles (`/<stage>/`, `/<stage>/page/2/`, ...).

use super::fingerprint::Hashed;
use super::frame::Out;
use super::paginate::{Paginator, chunks, page_path};
use super::{LangCtx, RenderInput, base_context, page_context, page_view};
use crate::error::Diagnostic;
use crate::model::PageId;

/// The listing pages of stage page `id`: one, exactly as any content page,
/// when its articles fit on one page.
pub(crate) fn render_stage(
    input: &RenderInput,
    lc: &LangCtx,
    id: PageId,
    out: &mut Out,
) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let page = &site.pages[id];
    let ranges = chunks(article_count(input, id), site.config.paginate.stage);
    // The page's own HTML and about 8 KB of layout around it, and 1 KB a card.
    let size = |n: usize| input.pages[id].html.len() + 8 * 1024 + n * 1024;
    let template = page.kind.template();
    if ranges.len() < 2 {
        let mut ctx = page_context(input, lc, id, out);
        ctx.insert("paginator", &None::<Paginator>);
        let file = format!("{}index.html", page.path);
        return out.template(file, template, ctx, size(ranges[0].len())).map_err(|d| vec![d]);
    }
    for (i, range) in ranges.iter().enumerate() {
        let n = i + 1;
        let at = page_path(&page.path, n);
        let mut ctx = base_context(input, lc, &at, Some(id), out);
        let mut view = page_view(input, lc, id, &at, Some(range.clone()));
        let rebased;
        if n > 1 {
            // The stage's text, for themes that show it on every page.
            rebased = crate::links::rebase_html(&input.pages[id].html, &page.path, &at, site.config.portable);
            view.content = Hashed { text: &rebased, hash: 0 };
            view.permalink = site.config.permalink(&at);
            ctx.insert("languages", &languages(input, lc, id, &at));
        }
        ctx.insert("page", &view);
        ctx.insert("paginator", &Paginator::new(input, &page.path, &ranges, n));
        out.template(format!("{at}index.html"), template, ctx, size(range.len())).map_err(|d| vec![d])?;
    }
    let (count, per) = (ranges.last().map_or(0, |r| r.end), site.config.paginate.stage);
    out.note(format!("{} lists {count} articles on {} pages of {per} (paginate.stage)", page.path, ranges.len()));
    Ok(())
}

/// The number of listing pages of content page `id` (1 unless it is a
/// stage with more articles than `paginate.stage`).
pub(crate) fn listing_pages(input: &RenderInput, id: PageId) -> usize {
    if input.site.pages[id].kind != crate::model::Kind::Stage {
        return 1;
    }
    chunks(article_count(input, id), input.site.config.paginate.stage).len()
}

/// Articles listed on stage page `id`.
fn article_count(input: &RenderInput, id: PageId) -> usize {
    let site = input.site;
    let page = &site.pages[id];
    let book = site.book(&page.lang);
    book.and_then(|b| b.stages.iter().find(|bs| Some(bs.stage) == page.stage)).map_or(0, |bs| bs.articles.len())
}

/// The language switcher of a later page: other languages lead to the
/// stage's first page there (their listings may split differently, so no
/// `hreflang` alternates), this one to the page itself.
fn languages(input: &RenderInput, lc: &LangCtx, id: PageId, at: &str) -> Vec<super::views::LangView> {
    let mut links = super::languages(input, lc.lang, at, Some(id));
    for l in &mut links {
        if l.current {
            l.permalink = input.site.config.permalink(at);
        } else {
            l.translated = false;
        }
    }
    links
}
