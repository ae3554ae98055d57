//! Long listings and handouts split into pages: which items go on which
//! page, the pages' folders (page 1 at the listing's own URL, then
//! `page/2/`, `page/3/`, as in Zola and Hugo) and the pager templates show.

use std::ops::Range;

use serde::Serialize;

use super::RenderInput;

/// Items `0..len` in pages of at most `per`; one page when `per` is 0 (off)
/// or everything fits.
pub(crate) fn chunks(len: usize, per: usize) -> Vec<Range<usize>> {
    if per == 0 || len <= per {
        return std::iter::once(0..len).collect();
    }
    (0..len).step_by(per).map(|start| start..(start + per).min(len)).collect()
}

/// Units of the given `weights` (an article's checklist items) packed in
/// order into parts of at most `budget`, never splitting a unit: a unit
/// heavier than the budget is a part of its own. One part when `budget`
/// is 0 (off) or everything fits.
pub(crate) fn pack(weights: &[usize], budget: usize) -> Vec<Range<usize>> {
    if budget == 0 || weights.iter().sum::<usize>() <= budget {
        return std::iter::once(0..weights.len()).collect();
    }
    let mut parts = Vec::new();
    let (mut start, mut sum) = (0, 0);
    for (i, &w) in weights.iter().enumerate() {
        if i > start && sum + w > budget {
            parts.push(start..i);
            (start, sum) = (i, 0);
        }
        sum += w;
    }
    parts.push(start..weights.len());
    parts
}

/// The output folder of page `n` (1-based) of the listing at `base`.
pub(crate) fn page_path(base: &str, n: usize) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") }
}

/// The pager of one page of a listing, URLs relative to that page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Paginator {
    /// This page's number (1-based).
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Number (1-based) of the first and last item on this page.
    pub first: usize,
    /// See `first`.
    pub last: usize,
    /// Items on all pages.
    pub items: usize,
    /// The previous page, if any.
    pub prev_url: Option<String>,
    /// The next page, if any.
    pub next_url: Option<String>,
    /// The page numbers to show: the first, the last, and two either
    /// side of this one; a gap between them has number 0.
    pub links: Vec<PageLink>,
}

/// One entry of the pager's list of pages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    /// Page number; 0 for a gap (`…`).
    pub number: usize,
    /// Relative URL (empty for a gap).
    pub url: String,
    /// The page being rendered.
    pub current: bool,
}

/// Page numbers shown either side of the current one.
const WINDOW: usize = 2;

impl Paginator {
    /// The pager of page `n` of the listing at `base` whose pages hold the
    /// items `ranges`; `None` when there is only one page.
    pub(crate) fn new(input: &RenderInput, base: &str, ranges: &[Range<usize>], n: usize) -> Option<Paginator> {
        let total = ranges.len();
        if total < 2 || n == 0 || n > total {
            return None;
        }
        let at = page_path(base, n);
        let url = |k: usize| input.url(&at, &page_path(base, k));
        let links = window(n, total)
            .into_iter()
            .map(|k| PageLink { number: k, url: if k == 0 { String::new() } else { url(k) }, current: k == n })
            .collect();
        let range = &ranges[n - 1];
        Some(Paginator {
            current: n,
            total,
            first: range.start + 1,
            last: range.end,
            items: ranges.last().map_or(0, |r| r.end),
            prev_url: (n > 1).then(|| url(n - 1)),
            next_url: (n < total).then(|| url(n + 1)),
            links,
        })
    }
}

/// The page numbers a pager of `total` pages shows on page `n`: the
/// first, the last and [`WINDOW`] either side of `n`, with 0 for a gap (a
/// gap of one page shows that page instead).
fn window(n: usize, total: usize) -> Vec<usize> {
    let shown: Vec<usize> = (1..=total).filter(|&k| k == 1 || k == total || k.abs_diff(n) <= WINDOW).collect();
    let mut out = Vec::with_capacity(shown.len() + 2);
    for (i, &k) in shown.iter().enumerate() {
        if let Some(&prev) = i.checked_sub(1).and_then(|j| shown.get(j)) {
            match k - prev {
                2 => out.push(prev + 1),
                d if d > 2 => out.push(0),
                _ => {}
            }
        }
        out.push(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_item_once() {
        assert_eq!(chunks(250, 100), vec![0..100, 100..200, 200..250]);
        assert_eq!(chunks(200, 100), vec![0..100, 100..200]);
        assert_eq!(chunks(100, 100), vec![0..100]);
        assert_eq!(chunks(5, 0), vec![0..5], "0 turns pagination off");
        assert_eq!(chunks(0, 10), vec![0..0], "an empty listing still has its first page");
    }

    #[test]
    fn pack_keeps_units_whole() {
        assert_eq!(pack(&[3, 3, 3, 3], 6), vec![0..2, 2..4]);
        assert_eq!(pack(&[3, 3, 3, 3], 7), vec![0..2, 2..4]);
        assert_eq!(pack(&[9, 1, 1], 5), vec![0..1, 1..3], "a heavy unit is a part of its own");
        assert_eq!(pack(&[1, 9, 1], 5), vec![0..1, 1..2, 2..3]);
        assert_eq!(pack(&[2, 2], 4), vec![0..2]);
        assert_eq!(pack(&[2, 2], 0), vec![0..2]);
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_neighbourhood() {
        assert_eq!(window(1, 3), vec![1, 2, 3]);
        assert_eq!(window(1, 10), vec![1, 2, 3, 0, 10]);
        assert_eq!(window(5, 10), vec![1, 2, 3, 4, 5, 6, 7, 0, 10], "a gap of one page shows the page");
        assert_eq!(window(6, 12), vec![1, 0, 4, 5, 6, 7, 8, 0, 12]);
        assert_eq!(window(12, 12), vec![1, 0, 10, 11, 12]);
    }

    #[test]
    fn page_one_keeps_the_listing_url() {
        assert_eq!(page_path("01-start/", 1), "01-start/");
        assert_eq!(page_path("01-start/", 3), "01-start/page/3/");
        assert_eq!(page_path("", 2), "page/2/");
    }
}
