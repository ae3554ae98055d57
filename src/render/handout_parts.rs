//! Handouts in parts: a stage (or series) with more checklist items than
//! `paginate.handout` is split between articles into printable parts,
//! part 1 at the handout's own URL with an index of all parts.

use std::ops::Range;

use serde::Serialize;

use super::frame::Ctx;
use super::paginate::{Paginator, pack, page_path};
use super::views::LangView;
use super::{LangCtx, RenderInput};

/// How one handout is split: the articles and the items of each part.
pub(crate) struct Split {
    /// Articles of each part (indexes into the handout's articles).
    pub(crate) parts: Vec<Range<usize>>,
    /// Checklist items of each part (0-based, over the whole handout).
    items: Vec<Range<usize>>,
}

/// One entry of the index of parts on the first part.
#[derive(Debug, Serialize)]
pub(crate) struct PartView {
    /// 1-based part number.
    number: usize,
    /// Relative URL from the first part.
    url: String,
    /// The first and last article of the part.
    first: String,
    /// See `first`.
    last: String,
    /// Checklist items in the part.
    count: usize,
}

impl Split {
    /// Articles with `weights` checklist items in parts of at most `budget`.
    pub(crate) fn new(weights: &[usize], budget: usize) -> Split {
        let parts = pack(weights, budget);
        let mut start = 0;
        let items = parts
            .iter()
            .map(|r| {
                let end = start + weights[r.clone()].iter().sum::<usize>();
                let items = start..end;
                start = end;
                items
            })
            .collect();
        Split { parts, items }
    }

    fn split(&self) -> bool {
        self.parts.len() > 1
    }

    /// The index of parts of the handout at `base` (empty when it is one
    /// piece); `names` gives the first and last article of a part.
    pub(crate) fn index(
        &self,
        input: &RenderInput,
        base: &str,
        names: impl Fn(&Range<usize>) -> (String, String),
    ) -> Vec<PartView> {
        if !self.split() {
            return Vec::new();
        }
        self.parts
            .iter()
            .zip(&self.items)
            .enumerate()
            .map(|(i, (r, items))| {
                let (first, last) = names(r);
                PartView {
                    number: i + 1,
                    url: input.url(base, &page_path(base, i + 1)),
                    first,
                    last,
                    count: items.len(),
                }
            })
            .collect()
    }

    /// A note for the build summary when the handout at `base` is split.
    pub(crate) fn note(&self, out: &mut super::frame::Out, base: &str, budget: usize) {
        if self.split() {
            let items = self.items.last().map_or(0, |r| r.end);
            out.note(format!(
                "{base} is printed in {} parts of at most {budget} checklist items (paginate.handout); its exports hold all {items}",
                self.parts.len()
            ));
        }
    }

    /// The title of part `n`: `title (Part n/N)` when there are parts.
    pub(crate) fn title(&self, lc: &LangCtx, title: String, n: usize) -> String {
        if !self.split() {
            return title;
        }
        let part = lc.strings.get("part").map_or("Part", |s| s.as_str());
        format!("{title} ({part} {n}/{})", self.parts.len())
    }

    /// The language switcher of part `n` at `path`: from a later part,
    /// other languages lead to their handout's first part (split
    /// differently, so no `hreflang` alternates).
    pub(crate) fn languages(
        &self,
        input: &RenderInput,
        mut links: Vec<LangView>,
        path: &str,
        n: usize,
    ) -> Vec<LangView> {
        if n > 1 {
            for l in &mut links {
                if l.current {
                    l.permalink = input.site.config.permalink(path);
                }
                l.translated &= l.current;
            }
        }
        links
    }

    /// What a part's template needs besides a whole handout's: its pager,
    /// the index of parts (on the first) and the way to the exports beside
    /// the first part (on the others). Nothing for a handout in one piece.
    pub(crate) fn insert(&self, input: &RenderInput, ctx: &mut Ctx, base: &str, index: &[PartView], n: usize) {
        if !self.split() {
            return;
        }
        ctx.insert("paginator", &Paginator::new(input, base, &self.items, n));
        if n == 1 {
            ctx.insert("parts", index);
        } else {
            // Later parts sit at `page/N/`, two folders below the first.
            ctx.insert("exports_root", "../../");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_count_items_across_the_handout() {
        let split = Split::new(&[4, 4, 4, 1], 8);
        assert_eq!(split.parts, vec![0..2, 2..4]);
        assert_eq!(split.items, vec![0..8, 8..13]);
        let whole = Split::new(&[4, 4], 8);
        assert_eq!(whole.parts, vec![0..2]);
        assert!(!whole.split());
    }
}
