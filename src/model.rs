//! The site model: pages, stages and one ordered book per language.
//! Built once by `assemble`, immutable afterwards.

use crate::config::Config;
use crate::frontmatter::FrontMatter;

/// Index of a page in [`Site::pages`].
pub type PageId = usize;

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `content/_index.md`.
    Home,
    /// A stage folder's `_index.md`.
    Stage,
    /// A Markdown file in a stage folder.
    Article,
    /// A Markdown file outside the stages (a glossary, an imprint).
    Page,
}

impl Kind {
    /// The kind as templates see it: `home`, `stage`, `article`, `page`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Stage => "stage",
            Kind::Article => "article",
            Kind::Page => "page",
        }
    }

    /// The theme template that renders a page of this kind.
    pub fn template(self) -> &'static str {
        match self {
            Kind::Home => "home.html",
            Kind::Stage => "stage.html",
            Kind::Article => "article.html",
            Kind::Page => "page.html",
        }
    }
}

/// One Markdown file, in one language.
#[derive(Debug, Clone)]
pub struct Page {
    /// Home, stage, article or page.
    pub kind: Kind,
    /// Language code.
    pub lang: String,
    /// Path relative to the site root: `content/01-goals/goal-map.en.md`.
    pub source: String,
    /// Path relative to `content/`: `01-goals/goal-map.en.md`.
    pub rel: String,
    /// Translation key: the default-language path, `01-goals/goal-map.md`.
    pub key: String,
    /// Output folder relative to the site root, ending in `/` unless empty:
    /// `en/01-goals/goal-map/`.
    pub path: String,
    /// Index into [`Site::stages`] for stage pages and articles.
    pub stage: Option<usize>,
    /// Front-matter, typed by kind.
    pub meta: FrontMatter,
    /// The whole file (for diagnostics).
    pub text: String,
    /// Byte offset of the Markdown body in `text`.
    pub body_offset: usize,
    /// Byte offset of the YAML in `text`, and its length.
    pub yaml: (usize, usize),
    /// `updated` from front-matter, else the file's last git commit date.
    pub last_updated: Option<String>,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The YAML front-matter.
    pub fn yaml(&self) -> &str {
        &self.text[self.yaml.0..self.yaml.0 + self.yaml.1]
    }
}

/// A stage folder, shared by all languages.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Folder name under `content/`.
    pub dir: String,
    /// URL segment.
    pub slug: String,
    /// Position in the series (1-based number shown to readers).
    pub number: usize,
}

/// A stage as it appears in one language.
#[derive(Debug, Clone)]
pub struct BookStage {
    /// Index into [`Site::stages`].
    pub stage: usize,
    /// The stage's `_index` page in this language.
    pub page: PageId,
    /// Its articles in order.
    pub articles: Vec<PageId>,
}

/// All pages of one language, in reading order.
#[derive(Debug, Clone)]
pub struct Book {
    /// Language code.
    pub lang: String,
    /// URL prefix: empty for the default language, else `en/`.
    pub prefix: String,
    /// The home page, if there is one in this language.
    pub home: Option<PageId>,
    /// Stages in series order.
    pub stages: Vec<BookStage>,
    /// Pages outside the stages, by order then title.
    pub pages: Vec<PageId>,
    /// The reading path: each stage page followed by its articles.
    pub series: Vec<PageId>,
}

/// The whole site, ordered.
#[derive(Debug, Clone)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Every page of every language.
    pub pages: Vec<Page>,
    /// Stage folders in series order.
    pub stages: Vec<Stage>,
    /// One book per configured language, default language first.
    pub books: Vec<Book>,
    /// Translations of each page (other languages), by page id.
    pub translations: Vec<Vec<PageId>>,
    /// Keys of draft pages left out of this build.
    pub drafts: std::collections::HashSet<String>,
    /// Files whose front-matter could not be read (already reported); links
    /// to them are not reported again.
    pub unparsed: std::collections::HashSet<String>,
    /// The image files the PDFs may show (none unless PDFs are made).
    pub pdf_images: crate::pdf::images::Images,
}

impl Site {
    /// The book of `lang`.
    pub fn book(&self, lang: &str) -> Option<&Book> {
        self.books.iter().find(|b| b.lang == lang)
    }

    /// Number of articles in all languages.
    pub fn article_count(&self) -> usize {
        self.pages.iter().filter(|p| p.kind == Kind::Article).count()
    }
}
