//! Ownership and review dates: who owns a page, when it was last reviewed,
//! how often it must be, and which pages are overdue.
//!
//! A page's `owner` and `review_every` come from its own front-matter, else
//! from its default-language original (for a translation), else from its
//! stage's `_index.md` (same language, then default language), else from
//! `review:` in site.yaml. `reviewed` comes from the page or its original
//! only: a page without a review date is "never reviewed", never overdue.
//!
//! "Today" is [`crate::config::Config::today`], set once per build from
//! `LOTSE_TODAY`, else `SOURCE_DATE_EPOCH`, else the system clock (UTC).

use crate::error::Diagnostic;
use crate::frontmatter::key_offset;
use crate::model::{Kind, PageId, Site};

pub use crate::calendar::{Date, PERIOD_HINT, Period, Unit, today_from_env};

/// The review facts of one page, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review<'a> {
    /// Who owns the page (a role or a name).
    pub owner: Option<&'a str>,
    /// When it was last reviewed.
    pub reviewed: Option<Date>,
    /// How often it must be reviewed.
    pub every: Option<Period>,
    /// `reviewed` plus `every`.
    pub due: Option<Date>,
}

impl Review<'_> {
    /// Days past the due date on `today` (negative: days left), if due at all.
    pub fn days_overdue(&self, today: Date) -> Option<i64> {
        self.due.map(|d| today.0 - d.0)
    }

    /// Whether the page is past its review date on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        self.days_overdue(today).is_some_and(|d| d > 0)
    }
}

/// The page whose front-matter a translation falls back to: its
/// default-language original (itself for a default-language page).
fn original(site: &Site, id: PageId) -> PageId {
    let default = &site.config.default_language;
    if site.pages[id].lang == *default {
        return id;
    }
    site.translations[id].iter().copied().find(|&t| site.pages[t].lang == *default).unwrap_or(id)
}

/// The stage pages a page of a stage falls back to: same language first.
fn stage_pages(site: &Site, id: PageId) -> Vec<PageId> {
    let page = &site.pages[id];
    let Some(stage) = page.stage.filter(|_| page.kind == Kind::Article) else { return Vec::new() };
    let mut out: Vec<PageId> = Vec::new();
    for lang in [page.lang.as_str(), site.config.default_language.as_str()] {
        let found = site.book(lang).and_then(|b| b.stages.iter().find(|bs| bs.stage == stage)).map(|bs| bs.page);
        out.extend(found.filter(|p| !out.contains(p)));
    }
    out
}

/// The review facts of page `id`, with the fallbacks described above.
pub fn review(site: &Site, id: PageId) -> Review<'_> {
    let own = [id, original(site, id)];
    let metas = || own.iter().chain(stage_pages(site, id).iter()).map(|&p| &site.pages[p].meta).collect::<Vec<_>>();
    let chain = metas();
    let c = &site.config;
    let site_owner = c.review.owner.as_ref().map(|o| o.get(&site.pages[id].lang, &c.default_language));
    let owner = chain.iter().find_map(|m| m.owner()).or(site_owner);
    let every = chain
        .iter()
        .find_map(|m| m.review_every())
        .or(site.config.review.every.as_deref())
        .and_then(|s| Period::parse(s).ok());
    let reviewed = own.iter().find_map(|&p| site.pages[p].meta.reviewed()).and_then(Date::parse);
    let due = reviewed.zip(every).map(|(r, e)| e.after(r));
    Review { owner: owner.filter(|o| !o.trim().is_empty()), reviewed, every, due }
}

/// Today as the site's configuration says (else the system clock).
pub fn today(site: &Site) -> Date {
    site.config.today.unwrap_or_else(Date::system_today)
}

/// A page with a review due date, as `lotse check --stale` and the
/// report list them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Due {
    /// Path relative to the site root.
    pub path: String,
    /// 1-based line and column of `reviewed:` (of the page or its original).
    pub line: usize,
    /// See `line`.
    pub col: usize,
    /// Page title.
    pub title: String,
    /// Language code.
    pub lang: String,
    /// Owner, if any.
    pub owner: Option<String>,
    /// Last review, `YYYY-MM-DD`.
    pub reviewed: String,
    /// The period, e.g. `6 months`.
    pub every: String,
    /// Due date, `YYYY-MM-DD`.
    pub due: String,
    /// Days past the due date (negative: days left).
    pub days_overdue: i64,
}

/// Every page with a due date, most overdue first (then by path).
pub fn due_list(site: &Site) -> Vec<Due> {
    let today = today(site);
    let mut out: Vec<Due> = (0..site.pages.len())
        .filter_map(|id| {
            let r = review(site, id);
            let (reviewed, every, due) = (r.reviewed?, r.every?, r.due?);
            let at = [id, original(site, id)].into_iter().find(|&p| site.pages[p].meta.reviewed().is_some())?;
            let p = &site.pages[at];
            let offset = key_offset(p.yaml(), p.yaml.0, "reviewed").unwrap_or(0);
            let (line, col) = crate::error::line_col(&p.text, offset);
            let page = &site.pages[id];
            Some(Due {
                path: if at == id { page.source.clone() } else { p.source.clone() },
                line,
                col,
                title: page.meta.title().to_string(),
                lang: page.lang.clone(),
                owner: r.owner.map(str::to_string),
                reviewed: reviewed.to_string(),
                every: every.to_string(),
                due: due.to_string(),
                days_overdue: today.0 - due.0,
            })
        })
        .collect();
    out.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then_with(|| (&a.path, &a.lang).cmp(&(&b.path, &b.lang))));
    out
}

/// Errors that need today's date: a `reviewed` date in the future.
pub fn diagnostics(site: &Site) -> Vec<Diagnostic> {
    let today = today(site);
    let mut out = Vec::new();
    for p in &site.pages {
        let Some(date) = p.meta.reviewed().and_then(Date::parse) else { continue };
        if date > today {
            let at = key_offset(p.yaml(), p.yaml.0, "reviewed").unwrap_or(0);
            out.push(
                Diagnostic::error(
                    &p.source,
                    &p.text,
                    at,
                    format!("`reviewed` is in the future ({date}, today is {today})"),
                )
                .with_hint(
                    "write the date of the last review that happened; set LOTSE_TODAY to build as of another day",
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn overdue_counts_days_after_the_due_date() {
        let r = Review { owner: None, reviewed: Some(d("2026-01-01")), every: None, due: Some(d("2026-07-01")) };
        assert_eq!(r.days_overdue(d("2026-07-11")), Some(10));
        assert!(r.overdue(d("2026-07-02")));
        assert!(!r.overdue(d("2026-07-01")), "due today is not overdue yet");
    }
}
