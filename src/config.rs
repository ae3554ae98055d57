//! `site.yaml` -> [`Config`]: title, base URL, languages, theme, branding,
//! print and Markdown options, with defaults for everything but nothing unknown.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::frontmatter::parse_yaml;

/// The site configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The guide's title, shown in the header and on handouts.
    pub title: LangText,
    /// One sentence describing the guide (meta description, feed subtitle).
    pub description: LangText,
    /// Where the site is published, e.g. `https://example.com/guide/`.
    pub base_url: String,
    /// The language of `name.md` files.
    pub default_language: String,
    /// All languages of the site; `name.<code>.md` files are translations.
    pub languages: Vec<String>,
    /// Theme folder name under `themes/`; `default` is built in.
    pub theme: String,
    /// Logo, accent colour and footer text.
    pub branding: Branding,
    /// Handout printing options.
    pub print: Print,
    /// Page sizes of long listings and handouts.
    pub paginate: Paginate,
    /// Markdown rendering options.
    pub markdown: MarkdownConfig,
    /// Search index options.
    pub search: SearchConfig,
    /// The position check's answer scale.
    pub assessment: AssessmentConfig,
    /// Links end in `index.html`, so the site works from disk (`file://`)
    /// without JavaScript; `lotse build --portable` sets it too.
    pub portable: bool,
    /// Default owner and review period of every page.
    pub review: ReviewConfig,
    /// A link to edit each page's source, with `{path}` for its path from
    /// the site root (`https://github.com/o/r/edit/main/{path}`).
    pub edit_url: Option<String>,
    /// How `lotse check --external` checks `http(s)` links.
    pub external: ExternalConfig,
    /// Publish the content-health report at `/report/` (`lotse report`
    /// writes it in any case).
    pub report: bool,
    /// Who the site is for: `all` shows facilitator text (labelled),
    /// `participants` leaves it out of every file; `lotse build --audience`
    /// sets it too.
    pub audience: Audience,
    /// Free data for custom themes.
    pub extra: serde_json::Value,
    /// The date reviews are judged by (not read from site.yaml; see
    /// the `review` module). `None`: the system clock.
    #[serde(skip)]
    pub today: Option<crate::calendar::Date>,
    /// Where typeset PDFs are kept between builds (not read from
    /// site.yaml: `lotse build` sets it, see [`crate::pdf::cache`]).
    #[serde(skip)]
    pub pdf_cache: Option<std::sync::Arc<crate::pdf::cache::Cache>>,
}

/// `external:` in site.yaml: the external link check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalConfig {
    /// URL patterns not to check (`*` matches any text).
    pub skip: Vec<String>,
    /// Seconds one request may take.
    pub timeout: u64,
    /// Further tries after a timeout, 429 or 5xx.
    pub retries: u32,
    /// How long a result stays in the cache, e.g. `1 day`.
    pub cache: String,
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig { skip: Vec::new(), timeout: 10, retries: 2, cache: "1 day".into() }
    }
}

/// Defaults for ownership and review (`review:` in site.yaml).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewConfig {
    /// Owner of pages that name none (nor their stage); one text, or one
    /// per language.
    pub owner: Option<LangText>,
    /// Review period of pages that give none (nor their stage).
    pub every: Option<String>,
}

/// Who a build is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Everyone: facilitator text shows, labelled, and workshop pages exist.
    #[default]
    All,
    /// Participants: no facilitator text and no workshop pages anywhere.
    Participants,
}

/// A text of the site in every language: one string for all, or a map from
/// language codes to strings (`title: {de: "…", en: "…"}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LangText {
    /// The same text in every language.
    All(String),
    /// A text per language; a language without one uses the default
    /// language's (or else the first one given).
    ByLanguage(BTreeMap<String, String>),
}

impl LangText {
    /// The text for `lang`, falling back to `default`'s, then to any.
    pub fn get<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        match self {
            LangText::All(s) => s,
            LangText::ByLanguage(m) => {
                m.get(lang).or_else(|| m.get(default)).or_else(|| m.values().next()).map_or("", |s| s.as_str())
            }
        }
    }

    /// Language codes the text names (none for one text for all).
    fn languages(&self) -> impl Iterator<Item = &str> {
        let map = match self {
            LangText::All(_) => None,
            LangText::ByLanguage(m) => Some(m.keys().map(|k| k.as_str())),
        };
        map.into_iter().flatten()
    }
}

impl From<&str> for LangText {
    fn from(s: &str) -> Self {
        LangText::All(s.to_string())
    }
}

impl<'de> Deserialize<'de> for LangText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LangText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, or a map from language codes to strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LangText, E> {
                Ok(LangText::All(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<LangText, E> {
                Ok(LangText::All(String::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<LangText, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.insert(k, v);
                }
                Ok(LangText::ByLanguage(out))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Branding that needs no template edits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Branding {
    /// Path of a logo image inside `static/`, e.g. `logo.svg`.
    pub logo: Option<String>,
    /// Accent colour as a CSS hex colour.
    pub accent: String,
    /// Footer text (plain text), for all languages or per language.
    pub footer: Option<LangText>,
}

/// Paper sizes for printed handouts.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
pub enum Paper {
    /// ISO A4, 210 x 297 mm.
    A4,
    /// US Letter, 8.5 x 11 in.
    Letter,
}

/// Handout printing options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Print {
    /// Paper size of handouts and the printable guide.
    pub paper: Paper,
    /// The one-page print version is made for languages with at most this
    /// many pages (a 10,000-page wiki is not printed in one piece).
    pub max_pages: usize,
    /// Write PDFs of the handouts and the whole guide.
    pub pdf: bool,
    /// The whole-guide PDF is made for languages with fewer pages than
    /// this (typesetting takes about 10 ms and 2.5 MB a page).
    pub pdf_max_pages: usize,
    /// Page margins of the PDFs: a length in `mm`, `cm`, `in` or `pt`.
    pub margin: String,
}

impl Print {
    /// The margin as a Typst length, if it is one.
    pub fn margin_length(&self) -> Option<&str> {
        let m = self.margin.trim();
        let number = ["mm", "cm", "in", "pt"].iter().find_map(|u| m.strip_suffix(u))?;
        let ok = !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit() || c == '.')
            && number.matches('.').count() <= 1
            && number.parse::<f64>().is_ok_and(|n| n < 200.0);
        ok.then_some(m)
    }
}

/// `paginate:` in site.yaml: how long listings and handouts are split
/// into pages (`/page/2/`, ...); 0 turns a kind off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Paginate {
    /// Articles per page of a stage listing.
    pub stage: usize,
    /// Articles per page of a tag or role page.
    pub terms: usize,
    /// Checklist items per part of a handout (articles are never split).
    pub handout: usize,
}

impl Default for Paginate {
    fn default() -> Self {
        Paginate { stage: 100, terms: 100, handout: 200 }
    }
}

/// Search index options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the search index and show the search box.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// The position check (`/assessment/`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentConfig {
    /// Labels of the answer levels, lowest first (each one text or one per
    /// language); without it, the theme's four levels.
    pub scale: Option<Vec<LangText>>,
}

impl AssessmentConfig {
    /// At least two levels, each with a label in every language.
    fn validate(&self, path: &str, text: &str, languages: &[String], default: &str) -> Vec<Diagnostic> {
        let Some(scale) = &self.scale else { return Vec::new() };
        let key = crate::frontmatter::key_offset(text, 0, "  scale").or(crate::frontmatter::key_offset(
            text,
            0,
            "assessment",
        ));
        let at =
            |n: Option<usize>| n.and_then(|n| crate::assessment::entry_start(text, "  scale", n)).or(key).unwrap_or(0);
        let err = |n, message: String, hint: &str| Diagnostic::error(path, text, at(n), message).with_hint(hint);
        if scale.len() < 2 {
            let hint =
                "give at least two levels, lowest first, e.g. `- {de: \"trifft nicht zu\", en: \"does not apply\"}`";
            return vec![err(None, format!("`assessment.scale` has {} level(s)", scale.len()), hint)];
        }
        let mut out = Vec::new();
        for (n, level) in scale.iter().enumerate() {
            for lang in languages.iter().filter(|l| level.get(l, default).trim().is_empty()) {
                let message = format!("level {} of `assessment.scale` has no label in `{lang}`", n + 1);
                out.push(err(Some(n), message, "give every level a label"));
            }
            for lang in level.languages().filter(|l| !languages.iter().any(|x| x == l)) {
                let message = format!("unknown language `{lang}` in `assessment.scale`");
                out.push(err(Some(n), message, "use the site's languages"));
            }
        }
        out
    }
}

/// Markdown options.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Sanitise raw HTML in Markdown (scripts, event handlers, `javascript:`
    /// URLs are removed), for wikis with many authors.
    pub safe: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Lotse guide".into(),
            description: "".into(),
            base_url: "/".into(),
            // What `lotse init` writes.
            default_language: "en".into(),
            languages: Vec::new(),
            theme: "default".into(),
            branding: Branding::default(),
            print: Print::default(),
            paginate: Paginate::default(),
            markdown: MarkdownConfig::default(),
            search: SearchConfig::default(),
            assessment: AssessmentConfig::default(),
            portable: false,
            review: ReviewConfig::default(),
            edit_url: None,
            external: ExternalConfig::default(),
            report: false,
            audience: Audience::All,
            extra: serde_json::Value::Null,
            today: None,
            pdf_cache: None,
        }
    }
}

impl Default for Branding {
    fn default() -> Self {
        Branding { logo: None, accent: "#0b6e6e".into(), footer: None }
    }
}

impl Default for Print {
    fn default() -> Self {
        Print { paper: Paper::A4, max_pages: 1000, pdf: true, pdf_max_pages: 200, margin: "18mm".into() }
    }
}

impl Config {
    /// Parses `site.yaml` text; `path` is used in diagnostics.
    pub fn parse(path: &str, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = parse_yaml(path, text, text, 0).map_err(|d| vec![d])?;
        config.normalise();
        let problems = config.validate(path, text);
        if problems.is_empty() { Ok(config) } else { Err(problems) }
    }

    /// Puts the default language first and removes duplicates.
    fn normalise(&mut self) {
        let mut langs = vec![self.default_language.clone()];
        for l in &self.languages {
            if !langs.contains(l) {
                langs.push(l.clone());
            }
        }
        self.languages = langs;
        if let Ok(url) = base_url(&self.base_url) {
            self.base_url = url;
        }
    }

    fn validate(&self, path: &str, text: &str) -> Vec<Diagnostic> {
        let at = |key: &str| crate::frontmatter::key_offset(text, 0, key).unwrap_or(0);
        let mut out = Vec::new();
        for lang in &self.languages {
            let ok = (2..=8).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                out.push(
                    Diagnostic::error(path, text, at("languages"), format!("invalid language code `{lang}`"))
                        .with_hint("use a short code such as `de` or `en`"),
                );
            }
        }
        if self.print.margin_length().is_none() {
            out.push(
                Diagnostic::error(path, text, at("print"), format!("invalid `print.margin` `{}`", self.print.margin))
                    .with_hint("give a length such as `18mm`, `2cm`, `0.75in` or `54pt`"),
            );
        }
        if let Err(why) = base_url(&self.base_url) {
            out.push(
                Diagnostic::error(path, text, at("base_url"), format!("invalid base_url `{}`: {why}", self.base_url))
                    .with_hint("use a full URL such as `https://example.org/guide/`, or a path such as `/guide/`"),
            );
        }
        let footer = self.branding.footer.as_ref().map(|f| ("footer", at("  footer").max(at("branding")), f));
        let texts = [("title", at("title"), &self.title), ("description", at("description"), &self.description)];
        for (name, offset, value) in texts.into_iter().chain(footer) {
            for lang in value.languages().filter(|l| !self.languages.iter().any(|x| x == l)) {
                out.push(
                    Diagnostic::error(path, text, offset, format!("unknown language `{lang}` in `{name}`"))
                        .with_hint(format!("the site's languages are {}", self.languages.join(", "))),
                );
            }
        }
        out.extend(self.assessment.validate(path, text, &self.languages, &self.default_language));
        if let Err(why) = crate::calendar::Period::parse(&self.external.cache) {
            out.push(
                Diagnostic::error(
                    path,
                    text,
                    at("  cache").max(at("external")),
                    format!("invalid period `{}` in `external.cache`: {why}", self.external.cache),
                )
                .with_hint(crate::calendar::PERIOD_HINT),
            );
        }
        if let Some(every) = &self.review.every
            && let Err(why) = crate::calendar::Period::parse(every)
        {
            out.push(
                Diagnostic::error(
                    path,
                    text,
                    at("  every").max(at("review")),
                    format!("invalid period `{every}` in `review.every`: {why}"),
                )
                .with_hint(crate::calendar::PERIOD_HINT),
            );
        }
        if let Some(url) = &self.edit_url
            && let Err(why) = edit_url(url)
        {
            out.push(
                Diagnostic::error(path, text, at("edit_url"), format!("invalid edit_url `{url}`: {why}"))
                    .with_hint("e.g. `https://github.com/org/guide/edit/main/{path}`"),
            );
        }
        let accent = &self.branding.accent;
        let hex = accent.strip_prefix('#').is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
        if !(hex && matches!(accent.len(), 4 | 7)) {
            out.push(
                Diagnostic::error(
                    path,
                    text,
                    at("  accent").max(at("branding")),
                    format!("invalid accent colour `{accent}`"),
                )
                .with_hint("use a hex colour such as `#0b6e6e`"),
            );
        }
        out
    }

    /// The path part of `base_url` (`/guide/` for `https://x.org/guide/`).
    pub fn base_path(&self) -> String {
        let rest = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, r)| r);
        let path = if self.base_url.contains("://") { rest.find('/').map_or("/", |i| &rest[i..]) } else { rest };
        if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
    }

    /// The absolute URL of output path `path` (`01-a/goal-map/`), for
    /// canonical links, feeds, the sitemap and QR codes.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Whether `lang` is the default language.
    pub fn is_default_language(&self, lang: &str) -> bool {
        lang == self.default_language
    }
}

/// Checks a base URL (from site.yaml or `--base-url`) and gives it its one
/// spelling, ending in `/`: a full `http(s)://host/path/` URL or a path
/// from the root (`/guide/`). Anything else would end up in canonical
/// links, feeds and the sitemap as given.
pub fn base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.is_empty() {
        return Ok("/".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
        return Err("it contains spaces, control characters or backslashes".into());
    }
    if url.contains(['?', '#']) {
        return Err("a base URL has no query (`?`) or fragment (`#`)".into());
    }
    let path = match url.split_once("://") {
        Some((scheme, rest)) => {
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return Err(format!("`{scheme}:` is not a web address (use http or https)"));
            }
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            if host.is_empty() || host.contains('@') {
                return Err("it names no host (or hides one behind `@`)".into());
            }
            path
        }
        None if url.starts_with("//") => return Err("a protocol-relative URL needs its scheme".into()),
        None if url.starts_with('/') => url,
        None => return Err("it is neither a full URL (`https://…`) nor a path starting with `/`".into()),
    };
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("it contains `.` or `..` segments".into());
    }
    Ok(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

/// Checks an `edit_url`: an `http(s)://` URL with `{path}` in it.
fn edit_url(url: &str) -> Result<(), &'static str> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err("it must start with https:// or http://");
    }
    if !url.contains("{path}") {
        return Err("it has no `{path}` for the page's path");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>') {
        return Err("it contains spaces, quotes or angle brackets");
    }
    Ok(())
}

impl Config {
    /// The edit link of the page at `source` (a path from the site root),
    /// if `edit_url` is set.
    pub fn edit_link(&self, source: &str) -> Option<String> {
        let encoded: String = source
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        self.edit_url.as_ref().map(|u| u.replace("{path}", &encoded))
    }
}

/// Parses a theme's UI strings file (`i18n/<lang>.yaml`): a flat map of
/// names to texts.
pub fn parse_strings(path: &str, text: &str) -> Result<std::collections::BTreeMap<String, String>, Diagnostic> {
    parse_yaml(path, text, text, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_has_defaults() {
        let c = Config::parse("site.yaml", "").unwrap();
        // As `lotse init` writes it.
        assert_eq!(c.languages, vec!["en"]);
        assert!(!c.portable);
        assert_eq!(c.print.paper, Paper::A4);
        assert_eq!(c.base_url, "/");
    }

    #[test]
    fn rejects_unknown_keys_with_hint() {
        let d = Config::parse("site.yaml", "title: X\nbase_ur: /\n").unwrap_err();
        assert_eq!(d[0].message, "unknown field `base_ur`");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `base_url`?"));
        assert_eq!((d[0].line, d[0].col), (2, 1));
    }

    #[test]
    fn rejects_unknown_paper() {
        let d = Config::parse("site.yaml", "print:\n  paper: A5\n").unwrap_err();
        assert_eq!(d[0].message, "unknown value `A5` in `print.paper`");
        assert_eq!((d[0].line, d[0].col), (2, 10));
    }

    #[test]
    fn default_language_comes_first() {
        let c = Config::parse("site.yaml", "default_language: de\nlanguages: [en, de]\n").unwrap();
        assert_eq!(c.languages, vec!["de", "en"]);
    }

    #[test]
    fn base_urls_are_checked_and_end_with_a_slash() {
        assert_eq!(base_url("https://x.org/guide").unwrap(), "https://x.org/guide/");
        assert_eq!(base_url("/guide").unwrap(), "/guide/");
        assert_eq!(base_url("").unwrap(), "/");
        for bad in ["example.org/guide", "https://x.org/?a=1", "/g/#top", "javascript:alert(1)", "//x.org/", "ftp://x/"]
        {
            assert!(base_url(bad).is_err(), "{bad}");
        }
        let d = Config::parse("site.yaml", "title: T\nbase_url: example.org/guide\n").unwrap_err();
        assert!(d[0].message.starts_with("invalid base_url `example.org/guide`"), "{}", d[0].message);
        assert_eq!((d[0].line, d[0].col), (2, 11));
    }

    #[test]
    fn texts_are_one_string_or_one_per_language() {
        let c = Config::parse(
            "site.yaml",
            "default_language: de\nlanguages: [de, en, fr]\ntitle: {de: Leitfaden, en: Guide}\ndescription: Eins\nbranding:\n  footer:\n    en: Foot\n",
        )
        .unwrap();
        assert_eq!(c.title.get("en", "de"), "Guide");
        assert_eq!(c.title.get("fr", "de"), "Leitfaden", "falls back to the default language");
        assert_eq!(c.description.get("fr", "de"), "Eins");
        assert_eq!(c.branding.footer.as_ref().unwrap().get("de", "de"), "Foot", "falls back to any");
    }

    #[test]
    fn rejects_texts_for_unknown_languages_and_wrong_types() {
        let d = Config::parse("site.yaml", "languages: [en]\ntitle:\n  fr: Guide\n").unwrap_err();
        assert_eq!(d[0].message, "unknown language `fr` in `title`");
        assert_eq!(d[0].hint.as_deref(), Some("the site's languages are en"));
        assert_eq!(d[0].line, 2);
        let d = Config::parse("site.yaml", "title: [a, b]\n").unwrap_err();
        assert!(d[0].message.contains("a string, or a map from language codes to strings"), "{}", d[0].message);
    }

    #[test]
    fn base_path_of_urls() {
        let mut c = Config { base_url: "https://x.org/guide/".into(), ..Config::default() };
        assert_eq!(c.base_path(), "/guide/");
        c.base_url = "https://x.org/".into();
        assert_eq!(c.base_path(), "/");
    }
}
