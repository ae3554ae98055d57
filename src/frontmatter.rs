//! Splits the `---` front-matter from a Markdown file and parses it into typed
//! metadata. Positions in errors are positions in the Markdown file.
//!
//! serde_yaml is archived upstream; it is used only here and in `config.rs`.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, did_you_mean};

/// Front-matter of an article or of a page outside the stages.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// The page title (required).
    pub title: String,
    /// One or two sentences shown in lists and meta tags.
    #[serde(default)]
    pub summary: Option<String>,
    /// Position within its stage; lower comes first.
    #[serde(default)]
    pub order: Option<i64>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Who should read it (`management`, `crm-lead`, ...).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Content paths (relative to `content/`) of related pages.
    #[serde(default)]
    pub related: Vec<String>,
    /// Left out of the build unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// Date of the last substantial update, `YYYY-MM-DD`.
    #[serde(default)]
    pub updated: Option<String>,
    /// `false` keeps this page's task items out of the handouts.
    #[serde(default = "yes")]
    pub checklist: bool,
    /// Who owns the page: a role or a name.
    #[serde(default)]
    pub owner: Option<String>,
    /// Date of the last review, `YYYY-MM-DD`.
    #[serde(default)]
    pub reviewed: Option<String>,
    /// How often the page must be reviewed: `6 months`, `90 days`.
    #[serde(default)]
    pub review_every: Option<String>,
    /// Facts a reader scans first (`duration`, `participants`, ...).
    #[serde(default)]
    pub facts: Facts,
    /// Free data for custom themes.
    #[serde(default)]
    pub extra: serde_json::Value,
}

/// Front-matter of a stage's `_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageMeta {
    /// The stage title (required).
    pub title: String,
    /// Position in the series; defaults to the folder's numeric prefix.
    #[serde(default)]
    pub order: Option<i64>,
    /// What the stage is about.
    #[serde(default)]
    pub summary: Option<String>,
    /// What the stage must deliver.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Statements of the position check (`/assessment/`).
    #[serde(default)]
    pub assessment: Vec<crate::assessment::Statement>,
    /// Who owns the stage page, and by default its articles: a role or a name.
    #[serde(default)]
    pub owner: Option<String>,
    /// Date of the last review, `YYYY-MM-DD`.
    #[serde(default)]
    pub reviewed: Option<String>,
    /// How often; by default also for its articles: `6 months`, `90 days`.
    #[serde(default)]
    pub review_every: Option<String>,
    /// The stage's workshop plan.
    #[serde(default)]
    pub workshop: Option<crate::workshop::Workshop>,
    /// Free data for custom themes.
    #[serde(default)]
    pub extra: serde_json::Value,
}

/// Front-matter of the home page, `content/_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    /// The home page title (required).
    pub title: String,
    /// Introduction shown in meta tags.
    #[serde(default)]
    pub summary: Option<String>,
    /// Who owns the page: a role or a name.
    #[serde(default)]
    pub owner: Option<String>,
    /// Date of the last review, `YYYY-MM-DD`.
    #[serde(default)]
    pub reviewed: Option<String>,
    /// How often the page must be reviewed: `6 months`, `90 days`.
    #[serde(default)]
    pub review_every: Option<String>,
    /// Free data for custom themes.
    #[serde(default)]
    pub extra: serde_json::Value,
}

/// The `facts:` map of a page, in the order written, each value as text
/// (numbers are written as they were).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Facts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Value(String);
        impl<'de> Deserialize<'de> for Value {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = Value;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a text or a number")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
                        Ok(Value(v.to_string()))
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
                        Ok(Value(v.to_string()))
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
                        Ok(Value(v.to_string()))
                    }
                    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
                        Ok(Value(v.to_string()))
                    }
                }
                d.deserialize_any(V)
            }
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Facts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of `name: value` lines")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Facts, E> {
                Ok(Facts::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Facts, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    out.push((k, v.0));
                }
                Ok(Facts(out))
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn yes() -> bool {
    true
}

/// Longest folder name most file systems allow, in bytes (a slug of a
/// page, tag or role becomes one).
pub const MAX_SLUG: usize = 255;

/// The two taxonomies: lists of terms in front-matter, each term with a
/// page under `/<taxonomy>/<term>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    /// Topics (`tags`).
    Tags,
    /// Who should read a page (`roles`).
    Roles,
}

impl Taxonomy {
    /// Both, in the order their pages are listed.
    pub const ALL: [Taxonomy; 2] = [Taxonomy::Tags, Taxonomy::Roles];

    /// The front-matter key and URL folder: `tags`, `roles`.
    pub fn name(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Roles => "roles",
        }
    }
}

impl std::fmt::Display for Taxonomy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A page's front-matter, typed by what the page is: each kind accepts
/// its own fields and nothing else.
#[derive(Debug, Clone)]
pub enum FrontMatter {
    /// `content/_index.md`.
    Home(HomeMeta),
    /// A stage folder's `_index.md`.
    Stage(StageMeta),
    /// A Markdown file in a stage folder.
    Article(PageMeta),
    /// A Markdown file outside the stages.
    Page(PageMeta),
}

impl FrontMatter {
    /// Checks what the types cannot say: a title, no control characters in
    /// shown texts, dates as `YYYY-MM-DD`, tags and roles that give URLs.
    /// `split` is the file's split; errors point into `text`.
    pub fn validate(&self, path: &str, text: &str, split: &Split) -> Result<(), Diagnostic> {
        let at = |key: &str| key_offset(split.yaml, split.yaml_offset, key).unwrap_or(0);
        if self.title().trim().is_empty() {
            return Err(
                Diagnostic::error(path, text, at("title"), "`title` is empty").with_hint("give the page a title")
            );
        }
        let texts = [
            ("title", Some(self.title())),
            ("summary", self.summary()),
            ("outcome", self.outcome()),
            ("owner", self.owner()),
        ];
        let lists =
            Taxonomy::ALL.into_iter().flat_map(|t| self.terms(t).iter().map(move |v| (t.name(), Some(v.as_str()))));
        for (key, value) in texts.into_iter().chain(lists) {
            if let Some(c) = value.and_then(|v| v.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')))
            {
                return Err(Diagnostic::error(
                    path,
                    text,
                    at(key),
                    format!("control character U+{:04X} in `{key}`", c as u32),
                )
                .with_hint("remove the escape sequence; control characters cannot be shown or printed"));
            }
        }
        for (key, value) in [("date", self.date()), ("updated", self.updated())] {
            if let Some(v) = value.filter(|v| !valid_date(v)) {
                return Err(Diagnostic::error(path, text, at(key), format!("invalid date `{v}` in `{key}`"))
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2026-03-31"));
            }
        }
        if let Err((offset, message, hint)) =
            crate::calendar::validate_review(self.reviewed(), self.review_every(), self.owner(), &at)
                .and_then(|()| crate::facts::validate(self.facts(), &|k, v| entry_at(split, "facts", k, v)))
        {
            return Err(Diagnostic::error(path, text, offset, message).with_hint(hint));
        }
        for (key, values) in Taxonomy::ALL.map(|t| (t.name(), self.terms(t))) {
            if let Some(v) = values.iter().find(|v| !(1..=MAX_SLUG).contains(&crate::markdown::slugify(v).len())) {
                let at = entry_offset(split.yaml, split.yaml_offset, key, v).unwrap_or(0);
                return Err(Diagnostic::error(path, text, at, format!("`{v}` in `{key}` gives no usable URL"))
                    .with_hint(format!("use letters or digits, at most {MAX_SLUG} bytes")));
            }
        }
        if let FrontMatter::Stage(m) = self {
            crate::assessment::validate(&m.assessment, path, text, split.yaml, split.yaml_offset)?;
        }
        Ok(())
    }

    fn page(&self) -> Option<&PageMeta> {
        match self {
            FrontMatter::Article(m) | FrontMatter::Page(m) => Some(m),
            _ => None,
        }
    }

    /// The title.
    pub fn title(&self) -> &str {
        match self {
            FrontMatter::Home(m) => &m.title,
            FrontMatter::Stage(m) => &m.title,
            FrontMatter::Article(m) | FrontMatter::Page(m) => &m.title,
        }
    }

    /// The summary, if given.
    pub fn summary(&self) -> Option<&str> {
        match self {
            FrontMatter::Home(m) => m.summary.as_deref(),
            FrontMatter::Stage(m) => m.summary.as_deref(),
            FrontMatter::Article(m) | FrontMatter::Page(m) => m.summary.as_deref(),
        }
    }

    /// The explicit order (stages, articles and pages).
    pub fn order(&self) -> Option<i64> {
        match self {
            FrontMatter::Home(_) => None,
            FrontMatter::Stage(m) => m.order,
            FrontMatter::Article(m) | FrontMatter::Page(m) => m.order,
        }
    }

    /// Free data for custom themes.
    pub fn extra(&self) -> &serde_json::Value {
        match self {
            FrontMatter::Home(m) => &m.extra,
            FrontMatter::Stage(m) => &m.extra,
            FrontMatter::Article(m) | FrontMatter::Page(m) => &m.extra,
        }
    }

    /// A stage's outcome.
    pub fn outcome(&self) -> Option<&str> {
        match self {
            FrontMatter::Stage(m) => m.outcome.as_deref(),
            _ => None,
        }
    }

    /// A stage's workshop plan.
    pub fn workshop(&self) -> Option<&crate::workshop::Workshop> {
        match self {
            FrontMatter::Stage(m) => m.workshop.as_ref(),
            _ => None,
        }
    }

    /// The terms of `taxonomy` (articles and pages).
    pub fn terms(&self, taxonomy: Taxonomy) -> &[String] {
        match taxonomy {
            Taxonomy::Tags => self.tags(),
            Taxonomy::Roles => self.roles(),
        }
    }

    /// Tags (articles and pages).
    pub fn tags(&self) -> &[String] {
        self.page().map_or(&[], |m| &m.tags)
    }

    /// Roles (articles and pages).
    pub fn roles(&self) -> &[String] {
        self.page().map_or(&[], |m| &m.roles)
    }

    /// Related content paths, as written.
    pub fn related(&self) -> &[String] {
        self.page().map_or(&[], |m| &m.related)
    }

    /// Publication date, `YYYY-MM-DD`.
    pub fn date(&self) -> Option<&str> {
        self.page().and_then(|m| m.date.as_deref())
    }

    /// Date of the last update, `YYYY-MM-DD`.
    pub fn updated(&self) -> Option<&str> {
        self.page().and_then(|m| m.updated.as_deref())
    }

    /// Whether the page's task items go into handouts.
    pub fn checklist(&self) -> bool {
        self.page().is_none_or(|m| m.checklist)
    }

    /// Left out of the build unless drafts are asked for.
    pub fn draft(&self) -> bool {
        self.page().is_some_and(|m| m.draft)
    }

    /// Who owns the page, as written.
    pub fn owner(&self) -> Option<&str> {
        match self {
            FrontMatter::Home(m) => m.owner.as_deref(),
            FrontMatter::Stage(m) => m.owner.as_deref(),
            FrontMatter::Article(m) | FrontMatter::Page(m) => m.owner.as_deref(),
        }
    }

    /// Date of the last review, as written.
    pub fn reviewed(&self) -> Option<&str> {
        match self {
            FrontMatter::Home(m) => m.reviewed.as_deref(),
            FrontMatter::Stage(m) => m.reviewed.as_deref(),
            FrontMatter::Article(m) | FrontMatter::Page(m) => m.reviewed.as_deref(),
        }
    }

    /// The review period, as written.
    pub fn review_every(&self) -> Option<&str> {
        match self {
            FrontMatter::Home(m) => m.review_every.as_deref(),
            FrontMatter::Stage(m) => m.review_every.as_deref(),
            FrontMatter::Article(m) | FrontMatter::Page(m) => m.review_every.as_deref(),
        }
    }

    /// The facts box (articles and pages).
    pub fn facts(&self) -> &[(String, String)] {
        self.page().map_or(&[], |m| &m.facts.0)
    }
}

/// A file split into its front-matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `text` (the whole file, BOM already removed) at its `---` lines.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, text, 0, "empty file: a page needs front-matter with a `title`")
            .with_hint("start the file with `---`, a line `title: \"...\"`, and `---`"));
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error(path, text, 0, "missing front-matter: the file must start with a `---` line")
            .with_hint("add `---`, a line `title: \"...\"`, and `---` at the top of the file"));
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[first_end..pos],
                yaml_offset: first_end,
                body: &text[end..],
                body_offset: end,
            });
        }
        pos = end;
    }
    Err(Diagnostic::error(path, text, 0, "front-matter is never closed")
        .with_hint("add a line `---` after the last front-matter field"))
}

/// Parses YAML found at `yaml_offset` of file `text` into `T`, turning
/// serde_yaml's errors into a located diagnostic with a hint.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    path: &str,
    text: &str,
    yaml: &str,
    yaml_offset: usize,
) -> Result<T, Diagnostic> {
    parse_located(yaml).map_err(|(index, message, hint)| {
        // A missing field has no place but the opening `---`.
        let offset = index.map_or(yaml_offset.saturating_sub(4), |i| yaml_offset + i);
        let diag = Diagnostic::error(path, text, offset, message);
        match hint {
            Some(h) => diag.with_hint(h),
            None => diag,
        }
    })
}

/// Parses a YAML block inside Markdown (a worksheet's spec) into `T`; an
/// error has its byte index in `yaml` (0 for a missing field), a message
/// and a hint.
pub(crate) fn parse_block<T: DeserializeOwned>(yaml: &str) -> Result<T, (usize, String, Option<String>)> {
    parse_located(yaml).map_err(|(index, message, hint)| (index.unwrap_or(0), message, hint))
}

/// serde_yaml with its errors in our words, at a byte index of `yaml`
/// (`None` for a missing field).
fn parse_located<T: DeserializeOwned>(yaml: &str) -> Result<T, (Option<usize>, String, Option<String>)> {
    // An empty YAML block is an empty mapping, so "missing field" is reported.
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(source).map_err(|e| {
        let raw = e.to_string();
        if let Some(field) = raw.split("duplicate field `").nth(1).and_then(|r| r.split('`').next()) {
            let at = nth_key_offset(yaml, 0, field, 1).unwrap_or(0);
            return (Some(at), format!("field `{field}` appears twice"), Some("keep one of the two lines".into()));
        }
        // Some errors (control characters) carry their place only in the text.
        let index = position_in(&raw).or_else(|| e.location().map(|l| l.index())).unwrap_or(0).min(yaml.len());
        let (message, mut hint) = explain_yaml_error(&raw);
        if yaml.as_bytes().get(index) == Some(&b'\t') {
            hint = Some("indent with spaces: YAML does not allow tabs there".into());
        }
        let index = (!message.starts_with("missing field")).then_some(index);
        (index, message, hint)
    })
}

/// The byte index of `... at position N` in a serde_yaml message.
fn position_in(raw: &str) -> Option<usize> {
    raw.rsplit_once(" at position ")?.1.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Rewrites a serde_yaml message into our wording: field first, expected type
/// in plain words, a did-you-mean for unknown names.
fn explain_yaml_error(raw: &str) -> (String, Option<String>) {
    let msg = raw.split(" at line ").next().unwrap_or(raw);
    let msg = msg.split(" at position ").next().unwrap_or(msg).trim();
    // Nested errors carry the field path first: `print.paper: unknown variant ...`.
    let (within, msg) = match ["unknown field `", "unknown variant `", "missing field `"]
        .iter()
        .find_map(|p| msg.find(&format!(": {p}")))
    {
        Some(i) => (format!(" in `{}`", &msg[..i]), &msg[i + 2..]),
        None => (String::new(), msg),
    };
    let (message, hint) = explain_plain(msg);
    (format!("{message}{within}"), hint)
}

fn explain_plain(msg: &str) -> (String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match did_you_mean(field, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known fields: {}; put free data under `extra`", known.join(", ")),
        };
        return (format!("unknown field `{field}`"), Some(hint));
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return (format!("unknown value `{value}`"), Some(format!("expected one of: {}", known.join(", "))));
    }
    if let Some(field) = msg.strip_prefix("missing field `") {
        let field = field.trim_end_matches('`');
        return (format!("missing field `{field}`"), Some(format!("add a line `{field}: ...` to the front-matter")));
    }
    if let Some((field, detail)) = msg.split_once(": invalid type: ") {
        let (found, expected) = detail.split_once(", expected ").unwrap_or((detail, "another type"));
        if let Some(n) = found.strip_prefix("integer `").and_then(|r| r.split('`').next())
            && plain_type(expected) == "an integer"
        {
            return (format!("field `{field}` must be an integer from {} to {}, found {n}", i64::MIN, i64::MAX), None);
        }
        return (format!("field `{field}` must be {}, found {found}", plain_type(expected)), None);
    }
    if msg.starts_with("invalid type: ") {
        return ("front-matter must be a mapping of `field: value` lines".into(), None);
    }
    let hint = match msg {
        "repetition limit exceeded" => "YAML aliases (`*name`) expand to too much data here; write the values out",
        "recursion limit exceeded" => "the values are nested too deeply; flatten them",
        m if m.starts_with("control characters") => {
            "remove the invisible control character (tabs and line breaks are fine)"
        }
        _ => "check indentation, and quote values that contain `:` or `#`",
    };
    (format!("invalid YAML: {msg}"), Some(hint.into()))
}

fn plain_type(expected: &str) -> &str {
    match expected {
        "a string" => "a string",
        "i64" | "u32" | "u64" | "usize" | "an integer" => "an integer",
        "a boolean" => "`true` or `false`",
        "a sequence" => "a list",
        e if e.starts_with("struct") || e.starts_with("a map") => "a mapping",
        other => other,
    }
}

/// Byte offset (in the file) of the start of the `n`-th (0-based) line
/// that sets top-level key `key`.
fn nth_key_offset(yaml: &str, yaml_offset: usize, key: &str, n: usize) -> Option<usize> {
    let mut pos = 0;
    let mut seen = 0;
    for line in yaml.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            if seen == n {
                return Some(yaml_offset + pos);
            }
            seen += 1;
        }
        pos += line.len();
    }
    None
}

/// Byte offset (in the file) of the value of top-level key `key`, if present.
pub fn key_offset(yaml: &str, yaml_offset: usize, key: &str) -> Option<usize> {
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && let Some(after) = rest.strip_prefix(':')
        {
            let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
            return Some(yaml_offset + pos + key.len() + 1 + ws);
        }
        pos += line.len();
    }
    None
}

/// Byte offset (in the file) of the first occurrence of `needle` at or after
/// the line of top-level `key`; used to point at one entry of a list.
pub fn entry_offset(yaml: &str, yaml_offset: usize, key: &str, needle: &str) -> Option<usize> {
    let start = key_offset(yaml, yaml_offset, key)? - yaml_offset;
    yaml[start..].find(needle).map(|i| yaml_offset + start + i)
}

/// Byte offset (in the file) of `value` after `name` in the block of
/// top-level `key` (`facts:` → `duration:` → `90 min`), else of the
/// closest of these found.
fn entry_at(split: &Split, key: &str, name: &str, value: &str) -> usize {
    let Some(block) = key_offset(split.yaml, split.yaml_offset, key) else { return split.yaml_offset };
    let rest = &split.yaml[block - split.yaml_offset..];
    let Some(n) = rest.find(name) else { return block };
    let after = &rest[n..];
    let line_end = after.find('\n').unwrap_or(after.len());
    block + n + after[..line_end].find(value).unwrap_or(0)
}

/// Checks a `YYYY-MM-DD` date.
pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Parses any YAML front-matter into a JSON value, for `lotse import`
/// (other generators' fields, before they are mapped to Lotse's).
pub(crate) fn yaml_value(yaml: &str) -> Result<serde_json::Value, (usize, String)> {
    parse_block::<serde_json::Value>(yaml).map_err(|(at, msg, _)| (at, msg))
}

/// Writes front-matter fields as YAML lines, in the order given (for
/// `lotse import`).
pub(crate) fn write_yaml(entries: &[(String, serde_json::Value)]) -> String {
    let mut map = serde_yaml::Mapping::new();
    for (k, v) in entries {
        map.insert(serde_yaml::Value::String(k.clone()), serde_yaml::to_value(v).unwrap_or_default());
    }
    if map.is_empty() {
        return String::new();
    }
    serde_yaml::to_string(&map).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<PageMeta, Diagnostic> {
        let s = split("a.md", text)?;
        parse_yaml("a.md", text, s.yaml, s.yaml_offset)
    }

    #[test]
    fn splits_front_matter_and_body_with_crlf() {
        let text = "---\r\ntitle: A\r\n---\r\nBody\r\n";
        let s = split("a.md", text).unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(page(text).unwrap().title, "A");
    }

    #[test]
    fn errors_on_unknown_field_with_suggestion_at_file_line() {
        let d = page("---\ntitle: A\nsumary: x\n---\n").unwrap_err();
        assert_eq!((d.line, d.col), (3, 1));
        assert_eq!(d.message, "unknown field `sumary`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `summary`?"));
    }

    #[test]
    fn errors_on_wrong_type_naming_field_and_type() {
        let d = page("---\ntitle: A\norder: first\n---\n").unwrap_err();
        assert_eq!((d.line, d.col), (3, 8));
        assert_eq!(d.message, "field `order` must be an integer, found string \"first\"");
    }

    #[test]
    fn errors_on_missing_title_at_opening_line() {
        let d = page("---\nsummary: x\n---\n").unwrap_err();
        assert_eq!((d.line, d.col, d.message.as_str()), (1, 1, "missing field `title`"));
    }

    #[test]
    fn errors_on_unclosed_front_matter() {
        let d = split("a.md", "---\ntitle: A\n\nBody").unwrap_err();
        assert_eq!(d.message, "front-matter is never closed");
    }

    #[test]
    fn checklist_defaults_to_true() {
        assert!(page("---\ntitle: A\n---\n").unwrap().checklist);
    }

    #[test]
    fn finds_key_offsets() {
        let yaml = "title: A\ndate:  2026-13-01\n";
        assert_eq!(key_offset(yaml, 4, "date"), Some(4 + 9 + 7));
        assert_eq!(entry_offset("related: [a.md, b.md]\n", 0, "related", "b.md"), Some(16));
    }

    #[test]
    fn validates_dates() {
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2023-02-29"));
        assert!(!valid_date("2026-13-01"));
        assert!(!valid_date("26-01-01"));
    }
}
