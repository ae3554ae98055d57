//! Serialisable, borrowed views of the site handed to templates. URLs in
//! views are relative to the page being rendered.

use serde::Serialize;

use crate::markdown::Heading;

/// A link to another page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView<'a> {
    /// Title.
    pub title: &'a str,
    /// Relative URL.
    pub url: String,
    /// Summary, if any.
    pub summary: Option<&'a str>,
}

/// One entry of the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct LangView {
    /// Language code.
    pub code: String,
    /// The language's own name ("Deutsch").
    pub name: String,
    /// Relative URL of this page in that language (or that language's home).
    pub url: String,
    /// Absolute URL, for `hreflang`.
    pub permalink: String,
    /// Whether the page itself is in this language.
    pub current: bool,
    /// Whether this page has a translation in that language.
    pub translated: bool,
}

/// One stage in the stage map.
#[derive(Debug, Clone, Serialize)]
pub struct StageNav<'a> {
    /// 1-based position.
    pub number: usize,
    /// Title.
    pub title: &'a str,
    /// Relative URL.
    pub url: String,
    /// The page being rendered belongs to this stage.
    pub current: bool,
    /// Articles, listed for the current stage only (empty if very many).
    pub articles: Vec<NavItem<'a>>,
    /// Number of articles in the stage.
    pub article_count: usize,
}

/// An article in the stage map.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem<'a> {
    /// Title.
    pub title: &'a str,
    /// Relative URL.
    pub url: String,
    /// The page being rendered.
    pub current: bool,
}

/// A tag or role with the URL of its listing page.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// The key as written in front-matter.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Relative URL of the listing page.
    pub url: String,
}

/// An article as listed on its stage page or the home page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCard<'a> {
    /// Title.
    pub title: &'a str,
    /// Relative URL.
    pub url: String,
    /// Summary (front-matter, else the first paragraph).
    pub summary: &'a str,
    /// Number of checklist items.
    pub checklist_count: usize,
    /// Reading time in minutes.
    pub reading_minutes: usize,
    /// The facts box, in the page's language.
    pub facts: Vec<crate::facts::FactView>,
}

/// A stage as listed on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct StageCard<'a> {
    /// 1-based position.
    pub number: usize,
    /// Title.
    pub title: &'a str,
    /// Relative URL.
    pub url: String,
    /// Summary.
    pub summary: &'a str,
    /// Outcome.
    pub outcome: Option<&'a str>,
    /// Articles.
    pub articles: Vec<ArticleCard<'a>>,
    /// Relative URL of the stage's handout (none without checklist items).
    pub handout_url: Option<String>,
}

/// The page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// `home`, `stage`, `article` or `page`.
    pub kind: &'static str,
    /// Title.
    pub title: &'a str,
    /// Summary (front-matter, else the first paragraph).
    pub summary: &'a str,
    /// Absolute URL.
    pub permalink: String,
    /// Rendered Markdown body.
    pub content: &'a str,
    /// Headings of level 2 and 3.
    pub toc: Vec<&'a Heading>,
    /// Tags.
    pub tags: Vec<TermView>,
    /// Roles.
    pub roles: Vec<TermView>,
    /// Publication date (`YYYY-MM-DD`).
    pub date: Option<&'a str>,
    /// Last update (`YYYY-MM-DD`).
    pub updated: Option<&'a str>,
    /// Publication date as the page's language writes it.
    pub date_text: Option<String>,
    /// Last update as the page's language writes it.
    pub updated_text: Option<String>,
    /// The stage this page belongs to.
    pub stage: Option<StageRef<'a>>,
    /// Previous page in the series.
    pub prev: Option<LinkView<'a>>,
    /// Next page in the series.
    pub next: Option<LinkView<'a>>,
    /// Pages linking here.
    pub backlinks: Vec<LinkView<'a>>,
    /// Related pages.
    pub related: Vec<LinkView<'a>>,
    /// Reading time in minutes.
    pub reading_minutes: usize,
    /// Number of checklist items on the page.
    pub checklist_count: usize,
    /// Id of the heading above the page's first checklist item, if any.
    pub checklist_anchor: Option<&'a str>,
    /// A stage's outcome.
    pub outcome: Option<&'a str>,
    /// A stage's articles.
    pub articles: Vec<ArticleCard<'a>>,
    /// Free data from front-matter.
    pub extra: &'a serde_json::Value,
    /// Owner and review state.
    pub review: ReviewView<'a>,
    /// Link to edit the page's source (`edit_url` in site.yaml).
    pub edit_url: Option<String>,
    /// The facts box, in the page's language.
    pub facts: Vec<crate::facts::FactView>,
}

/// Owner and review state of a page.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView<'a> {
    /// Who owns the page.
    pub owner: Option<&'a str>,
    /// Last review (`YYYY-MM-DD`).
    pub reviewed: Option<String>,
    /// Last review as the page's language writes it.
    pub reviewed_text: Option<String>,
    /// Next review due (`YYYY-MM-DD`), if the page has a period.
    pub due: Option<String>,
    /// Past the due date on the build's date.
    pub overdue: bool,
    /// The notice for an overdue page, in the page's language.
    pub notice: Option<String>,
}

/// The stage of a page.
#[derive(Debug, Clone, Serialize)]
pub struct StageRef<'a> {
    /// 1-based position.
    pub number: usize,
    /// Title.
    pub title: &'a str,
    /// Relative URL.
    pub url: String,
    /// Relative URL of its handout (none without checklist items).
    pub handout_url: Option<String>,
    /// Relative URL of its facilitator guide (none for participants).
    pub workshop_url: Option<String>,
}

/// Site-wide values, in the language of the page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView<'a> {
    /// Guide title.
    pub title: &'a str,
    /// One-sentence description.
    pub description: &'a str,
    /// Base URL, ending in `/`.
    pub base_url: &'a str,
    /// The default language's code (for `hreflang="x-default"`).
    pub default_language: &'a str,
    /// Accent colour as configured (the brand colour).
    pub accent: &'a str,
    /// Accents for light and dark mode with AA contrast, derived from it.
    pub accents: super::colour::Accents,
    /// Logo path relative to the root, if any.
    pub logo: Option<&'a str>,
    /// Footer text.
    pub footer: Option<&'a str>,
    /// `A4` or `Letter`.
    pub paper: &'static str,
    /// Links end in `index.html` (a build for use from disk).
    pub portable: bool,
    /// The title as a quoted CSS string (for print margins).
    pub title_css: String,
    /// Free data from site.yaml.
    pub extra: &'a serde_json::Value,
}
