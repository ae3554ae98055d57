//! Content health (`lotse report`): what keeps a wiki from rotting, counted
//! from a checked site. [`Health::compute`] works on the site, its rendered
//! Markdown and its backlinks; [`text`] and [`html`] present it (the CLI
//! prints the one and writes the other; `report: true` in site.yaml
//! publishes the HTML at `/report/` too).

pub mod html;
pub mod links;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

pub use links::{ExternalLink, external_links};

use crate::markdown::Rendered;
use crate::model::{Kind, PageId, Site};
use crate::review::{self, Date, Due};

/// Where `report: true` publishes the report in the site.
pub const PUBLISHED: &str = "report/index.html";

/// Reviews due within this many days count as "due soon".
pub const SOON_DAYS: i64 = 30;
/// Articles with fewer words are "very short".
pub const SHORT_WORDS: usize = 150;
/// Articles with more words are "very long".
pub const LONG_WORDS: usize = 4000;
/// Pages last changed longer ago than this are "unchanged for a year".
pub const STALE_DAYS: i64 = 365;

/// A page as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRef {
    /// Path from the site root.
    pub path: String,
    /// Title.
    pub title: String,
    /// Language code.
    pub lang: String,
}

/// A page with a number (words) or a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageWith<T> {
    /// The page.
    #[serde(flatten)]
    pub page: PageRef,
    /// Words, a date, or the missing languages.
    pub value: T,
}

/// Overdue and soon-due reviews of one owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerLine {
    /// The owner (`-` for pages without one).
    pub owner: String,
    /// Pages past their review date.
    pub overdue: usize,
    /// Pages due within [`SOON_DAYS`].
    pub soon: usize,
}

/// Pages of one language sharing a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// Language code.
    pub lang: String,
    /// The title as the first page writes it.
    pub title: String,
    /// Their paths.
    pub paths: Vec<String>,
}

/// External links to one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Host {
    /// The host name (lowercase).
    pub host: String,
    /// Its links, by file and position.
    pub links: Vec<ExternalLink>,
}

/// The content-health report.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// The guide's title (default language).
    pub title: String,
    /// The date the report judges by.
    pub today: String,
    /// Content pages in all languages.
    pub pages: usize,
    /// Reviews past due, most overdue first.
    pub overdue: Vec<Due>,
    /// Reviews due within [`SOON_DAYS`].
    pub due_soon: Vec<Due>,
    /// Overdue and soon-due reviews by owner.
    pub by_owner: Vec<OwnerLine>,
    /// Pages without a `reviewed` date (nor one on their original).
    pub never_reviewed: Vec<PageRef>,
    /// Articles and pages no other page links to (navigation aside).
    pub orphans: Vec<PageRef>,
    /// Articles without a front-matter `summary`.
    pub without_summary: Vec<PageRef>,
    /// Articles without checklist items.
    pub without_checklist: Vec<PageRef>,
    /// Stages without a workshop plan, where other stages of their language have one.
    pub stages_without_workshop: Vec<PageRef>,
    /// Stages without position-check statements, where other stages of their language have some.
    pub stages_without_assessment: Vec<PageRef>,
    /// Default-language pages and the languages they lack.
    pub missing_translations: Vec<PageWith<Vec<String>>>,
    /// Articles over [`LONG_WORDS`] words.
    pub long_pages: Vec<PageWith<usize>>,
    /// Articles under [`SHORT_WORDS`] words.
    pub short_pages: Vec<PageWith<usize>>,
    /// Pages last changed (front-matter `updated`, else git) over
    /// [`STALE_DAYS`] days ago.
    pub unchanged: Vec<PageWith<String>>,
    /// Titles used by more than one page of a language.
    pub duplicate_titles: Vec<Duplicate>,
    /// External links by host, hosts by name.
    pub external: Vec<Host>,
}

fn page_ref(site: &Site, id: PageId) -> PageRef {
    let p = &site.pages[id];
    PageRef { path: p.source.clone(), title: p.meta.title().to_string(), lang: p.lang.clone() }
}

/// Pages read from a file (a generated home page has none).
fn real(site: &Site) -> impl Iterator<Item = PageId> + '_ {
    (0..site.pages.len()).filter(|&id| site.pages[id].body_offset > 0)
}

impl Health {
    /// Counts everything from the site, each page's rendered Markdown, the
    /// pages linking to each page, and the external links.
    pub fn compute(site: &Site, pages: &[Rendered], backlinks: &[Vec<PageId>], external: Vec<ExternalLink>) -> Health {
        let today = review::today(site);
        let dues = review::due_list(site);
        let articles = || real(site).filter(|&id| site.pages[id].kind == Kind::Article);
        let refs = |ids: &mut dyn Iterator<Item = PageId>| ids.map(|id| page_ref(site, id)).collect::<Vec<_>>();
        let words = |pred: &dyn Fn(usize) -> bool| {
            articles()
                .filter(|&id| pred(pages[id].words))
                .map(|id| PageWith { page: page_ref(site, id), value: pages[id].words })
                .collect::<Vec<_>>()
        };
        Health {
            title: site.config.title.get(&site.config.default_language, &site.config.default_language).to_string(),
            today: today.to_string(),
            pages: site.pages.len(),
            by_owner: by_owner(&dues),
            overdue: dues.iter().filter(|d| d.days_overdue > 0).cloned().collect(),
            due_soon: dues.iter().filter(|d| (-SOON_DAYS..=0).contains(&d.days_overdue)).cloned().collect(),
            never_reviewed: refs(&mut real(site).filter(|&id| review::review(site, id).reviewed.is_none())),
            orphans: refs(
                &mut real(site).filter(|&id| {
                    matches!(site.pages[id].kind, Kind::Article | Kind::Page) && backlinks[id].is_empty()
                }),
            ),
            without_summary: refs(
                &mut articles().filter(|&id| site.pages[id].meta.summary().is_none_or(|s| s.trim().is_empty())),
            ),
            without_checklist: refs(&mut articles().filter(|&id| pages[id].tasks.is_empty())),
            stages_without_workshop: refs(&mut stages_lacking(site, &|m| m.workshop.is_some()).into_iter()),
            stages_without_assessment: refs(&mut stages_lacking(site, &|m| !m.assessment.is_empty()).into_iter()),
            missing_translations: missing_translations(site),
            long_pages: words(&|w| w > LONG_WORDS),
            short_pages: words(&|w| w < SHORT_WORDS),
            unchanged: unchanged(site, today),
            duplicate_titles: duplicate_titles(site),
            external: by_host(external),
        }
    }
}

/// Stage pages without what `has` looks for, in languages where another
/// stage has it.
fn stages_lacking(site: &Site, has: &dyn Fn(&crate::frontmatter::StageMeta) -> bool) -> Vec<PageId> {
    let stage = |id: PageId| match &site.pages[id].meta {
        crate::frontmatter::FrontMatter::Stage(m) => Some(has(m)),
        _ => None,
    };
    site.books
        .iter()
        .flat_map(|b| {
            let with: Vec<(PageId, bool)> =
                b.stages.iter().filter_map(|bs| stage(bs.page).map(|h| (bs.page, h))).collect();
            let any = with.iter().any(|&(_, h)| h);
            with.into_iter().filter(move |&(_, h)| any && !h).map(|(id, _)| id)
        })
        .collect()
}

fn by_owner(dues: &[Due]) -> Vec<OwnerLine> {
    let mut owners: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for d in dues {
        let owner = d.owner.clone().unwrap_or_else(|| "-".into());
        let line = owners.entry(owner).or_default();
        if d.days_overdue > 0 {
            line.0 += 1;
        } else if d.days_overdue >= -SOON_DAYS {
            line.1 += 1;
        }
    }
    owners
        .into_iter()
        .filter(|(_, (o, s))| o + s > 0)
        .map(|(owner, (overdue, soon))| OwnerLine { owner, overdue, soon })
        .collect()
}

fn missing_translations(site: &Site) -> Vec<PageWith<Vec<String>>> {
    let c = &site.config;
    real(site)
        .filter(|&id| c.is_default_language(&site.pages[id].lang))
        .filter_map(|id| {
            let missing: Vec<String> = c
                .languages
                .iter()
                .filter(|l| !c.is_default_language(l))
                .filter(|l| !site.translations[id].iter().any(|&t| &site.pages[t].lang == *l))
                .cloned()
                .collect();
            (!missing.is_empty()).then(|| PageWith { page: page_ref(site, id), value: missing })
        })
        .collect()
}

fn unchanged(site: &Site, today: Date) -> Vec<PageWith<String>> {
    real(site)
        .filter_map(|id| {
            let last = site.pages[id].last_updated.as_deref()?;
            let date = Date::parse(last)?;
            (today.0 - date.0 > STALE_DAYS).then(|| PageWith { page: page_ref(site, id), value: last.to_string() })
        })
        .collect()
}

fn duplicate_titles(site: &Site) -> Vec<Duplicate> {
    let mut by_title: BTreeMap<(String, String), Vec<PageId>> = BTreeMap::new();
    for id in real(site) {
        let p = &site.pages[id];
        let key = p.meta.title().split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        by_title.entry((p.lang.clone(), key)).or_default().push(id);
    }
    by_title
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|((lang, _), ids)| Duplicate {
            lang,
            title: site.pages[ids[0]].meta.title().to_string(),
            paths: ids.iter().map(|&id| site.pages[id].source.clone()).collect(),
        })
        .collect()
}

fn by_host(links: Vec<ExternalLink>) -> Vec<Host> {
    let mut hosts: BTreeMap<String, Vec<ExternalLink>> = BTreeMap::new();
    for l in links {
        hosts.entry(l.host.clone()).or_default().push(l);
    }
    hosts.into_iter().map(|(host, links)| Host { host, links }).collect()
}

/// One line of the summary table: what is counted, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// What is counted.
    pub what: String,
    /// How many.
    pub count: usize,
}

impl Health {
    /// The summary table's lines, in the order the report shows them.
    pub fn counts(&self) -> Vec<Count> {
        let links: usize = self.external.iter().map(|h| h.links.len()).sum();
        [
            ("reviews overdue".to_string(), self.overdue.len()),
            (format!("reviews due within {SOON_DAYS} days"), self.due_soon.len()),
            ("pages never reviewed".into(), self.never_reviewed.len()),
            ("orphans (no page links to them)".into(), self.orphans.len()),
            ("articles without summary".into(), self.without_summary.len()),
            ("articles without checklist".into(), self.without_checklist.len()),
            ("stages without a workshop plan (others have one)".into(), self.stages_without_workshop.len()),
            (
                "stages without position-check statements (others have some)".into(),
                self.stages_without_assessment.len(),
            ),
            ("pages missing a translation".into(), self.missing_translations.len()),
            (format!("very long articles (over {LONG_WORDS} words)"), self.long_pages.len()),
            (format!("very short articles (under {SHORT_WORDS} words)"), self.short_pages.len()),
            (format!("pages unchanged for over {STALE_DAYS} days"), self.unchanged.len()),
            ("titles used twice or more".into(), self.duplicate_titles.len()),
            ("external links".into(), links),
            ("hosts linked to".into(), self.external.len()),
        ]
        .into_iter()
        .map(|(what, count)| Count { what, count })
        .collect()
    }
}
