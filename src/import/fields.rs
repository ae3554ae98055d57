//! Maps other generators' front-matter fields to Lotse's typed schema:
//! what has a Lotse field is kept under its Lotse name (checked), facts go
//! to `facts`, the rest to `extra`; template settings and URLs are dropped.
//! Every field that is not kept as it was is reported with its line.

use serde_json::{Map, Value};

use super::meta::{Meta, scalar};
use super::plan::{Doc, Role};
use super::report::{ImportReport, Topic};
use crate::frontmatter::valid_date;

const SUMMARY: [&str; 3] = ["summary", "description", "excerpt"];
const ORDER: [&str; 5] = ["weight", "order", "nav_order", "sidebar_position", "position"];
const UPDATED: [&str; 5] = ["updated", "lastmod", "last_modified_at", "modified", "last_modified"];
const TAGS: [&str; 4] = ["tags", "categories", "tag", "category"];
const ALIASES: [&str; 4] = ["aliases", "redirect_from", "alias", "redirect_to"];
const URLS: [&str; 4] = ["slug", "url", "permalink", "path"];
/// Fields that choose templates, menus or listings of the old generator.
const TEMPLATE: [&str; 24] = [
    "layout",
    "template",
    "page_template",
    "type",
    "menu",
    "menus",
    "toc",
    "sort_by",
    "paginate_by",
    "paginate_path",
    "insert_anchor_links",
    "render",
    "transparent",
    "in_search_index",
    "generate_feeds",
    "sitemap",
    "nav_exclude",
    "has_children",
    "has_toc",
    "parent",
    "grand_parent",
    "outputs",
    "build",
    "cascade",
];
/// Fact names of other tools and the Lotse fact each becomes.
const FACTS: [(&str, &str); 14] = [
    ("duration", "duration"),
    ("time", "duration"),
    ("time_required", "duration"),
    ("timeRequired", "duration"),
    ("time_needed", "duration"),
    ("estimated_time", "duration"),
    ("timebox", "duration"),
    ("participants", "participants"),
    ("group_size", "participants"),
    ("difficulty", "difficulty"),
    ("level", "difficulty"),
    ("preparation", "preparation"),
    ("prep_time", "preparation"),
    ("facts", ""),
];
/// Tables whose entries become `extra` entries.
const EXTRA_TABLES: [&str; 2] = ["extra", "params"];
const PASS: [&str; 4] = ["roles", "owner", "reviewed", "review_every"];

/// Lotse front-matter being built, in the order it is written.
#[derive(Default)]
struct Out {
    fields: Vec<(String, Value)>,
    tags: Vec<String>,
    facts: Map<String, Value>,
    extra: Map<String, Value>,
}

/// What the mapping needs besides the file.
pub(crate) struct FieldCx<'a> {
    /// Source path for the report.
    pub src: &'a str,
    /// Whether the category field is a stage field (then not a tag).
    pub stage_field: Option<&'a str>,
}

/// The Lotse front-matter (YAML, without `---` lines) for `doc`, whose
/// source front-matter is `meta` and whose title is `title`.
pub(crate) fn map(doc: &Doc, meta: &Meta, title: &str, cx: &FieldCx, report: &mut ImportReport) -> String {
    let mut out = Out::default();
    out.fields.push(("title".into(), Value::String(title.to_string())));
    let summary_key = SUMMARY.iter().find(|k| meta.get(k).and_then(scalar).is_some());
    if let Some(k) = summary_key {
        out.fields.push(("summary".into(), Value::String(meta.text(&[k]).unwrap_or_default())));
    }
    if let Some(order) = doc.order {
        out.fields.push(("order".into(), Value::from(order)));
    }
    let fields: Vec<(String, Value)> = meta.fields.iter().cloned().chain(doc.added.iter().cloned()).collect();
    for (key, value) in &fields {
        let line = meta.line(key);
        if key == "title" || Some(&key.as_str()) == summary_key || doc.used.contains(key) {
            continue;
        }
        one(key, value, line, doc, &mut out, cx, report);
    }
    finish(out, doc.role, cx, report, meta)
}

fn one(key: &str, value: &Value, line: usize, doc: &Doc, out: &mut Out, cx: &FieldCx, r: &mut ImportReport) {
    let src = cx.src;
    let k = key;
    if ORDER.contains(&k) {
        if doc.order.is_none() {
            extra(out, k, value, line, src, r);
        }
    } else if k == "date" || UPDATED.contains(&k) {
        let name = if k == "date" { "date" } else { "updated" };
        match scalar(value).as_deref().map(date_part) {
            Some(Some(d)) if !out.fields.iter().any(|(f, _)| f == name) => out.fields.push((name.into(), d.into())),
            _ => extra(out, k, value, line, src, r),
        }
    } else if k == "draft" || k == "published" {
        match value.as_bool().or_else(|| scalar(value).and_then(|s| s.parse().ok())) {
            Some(b) => {
                let draft = if k == "draft" { b } else { !b };
                if draft {
                    out.fields.push(("draft".into(), Value::Bool(true)));
                }
                if k == "published" {
                    r.add(Topic::MovedField, src, line, format!("`published: {b}` -> `draft: {draft}`"));
                }
            }
            None => extra(out, k, value, line, src, r),
        }
    } else if TAGS.contains(&k) && Some(k) != cx.stage_field {
        let before = out.tags.len();
        push_terms(&mut out.tags, value);
        if k != "tags" && out.tags.len() > before {
            r.add(Topic::MovedField, src, line, format!("`{k}` -> `tags`"));
        }
    } else if k == "taxonomies" {
        taxonomies(value, line, out, src, r);
    } else if ALIASES.contains(&k) {
        for a in terms(value) {
            r.add(
                Topic::Alias,
                src,
                line,
                format!("`{k}`: `{a}` (no redirect; the page is now `content/{}`)", doc.dest),
            );
        }
    } else if URLS.contains(&k) {
        let v = scalar(value).unwrap_or_default();
        let why = format!("Lotse takes the URL from the file name (`content/{}`)", doc.dest);
        r.add(Topic::DroppedField, src, line, format!("`{k}: {v}` dropped: {why}"));
    } else if TEMPLATE.contains(&k) {
        let v = scalar(value).unwrap_or_else(|| value.to_string());
        r.add(Topic::DroppedField, src, line, format!("`{k}: {v}` dropped: it set up the old generator's templates"));
    } else if let Some((_, fact)) = FACTS.iter().find(|(f, _)| *f == k) {
        facts(k, fact, value, line, out, src, r);
    } else if EXTRA_TABLES.contains(&k) && value.is_object() {
        for (ek, ev) in value.as_object().into_iter().flatten() {
            out.extra.insert(ek.clone(), ev.clone());
        }
        if k != "extra" {
            r.add(Topic::MovedField, src, line, format!("`{k}` entries -> `extra`"));
        }
    } else if PASS.contains(&k) && scalar_or_list(value) {
        out.fields.push((k.into(), value.clone()));
    } else {
        extra(out, k, value, line, src, r);
    }
}

fn scalar_or_list(v: &Value) -> bool {
    scalar(v).is_some() || v.as_array().is_some_and(|a| a.iter().all(|x| x.is_string()))
}

fn extra(out: &mut Out, key: &str, value: &Value, line: usize, src: &str, r: &mut ImportReport) {
    out.extra.insert(key.to_string(), value.clone());
    r.add(Topic::MovedField, src, line, format!("`{key}` -> `extra.{key}`"));
}

/// The `YYYY-MM-DD` at the start of a date or date-time.
fn date_part(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    valid_date(d).then(|| d.to_string())
}

fn terms(value: &Value) -> Vec<String> {
    match value {
        Value::Array(a) => a.iter().filter_map(scalar).collect(),
        Value::String(s) if s.contains(',') => s.split(',').map(|t| t.trim().to_string()).collect(),
        Value::String(s) if s.contains(' ') && !s.trim().contains("  ") => {
            s.split_whitespace().map(str::to_string).collect()
        }
        v => scalar(v).into_iter().collect(),
    }
}

fn push_terms(tags: &mut Vec<String>, value: &Value) {
    for t in terms(value) {
        let t = t.trim().trim_start_matches('#').to_string();
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
}

fn taxonomies(value: &Value, line: usize, out: &mut Out, src: &str, r: &mut ImportReport) {
    for (name, terms) in value.as_object().into_iter().flatten() {
        if TAGS.contains(&name.as_str()) {
            push_terms(&mut out.tags, terms);
            if name != "tags" {
                r.add(Topic::MovedField, src, line, format!("taxonomy `{name}` -> `tags`"));
            }
        } else {
            out.extra.insert(name.clone(), terms.clone());
            r.add(Topic::MovedField, src, line, format!("taxonomy `{name}` -> `extra.{name}`"));
        }
    }
}

fn facts(key: &str, fact: &str, value: &Value, line: usize, out: &mut Out, src: &str, r: &mut ImportReport) {
    if key == "facts" {
        for (k, v) in value.as_object().into_iter().flatten() {
            add_fact(k, k, v, line, out, src, r);
        }
        return;
    }
    add_fact(key, fact, value, line, out, src, r);
}

/// Keeps a fact under its Lotse name when its value passes Lotse's check,
/// else under its own name (shown as written).
fn add_fact(key: &str, fact: &str, value: &Value, line: usize, out: &mut Out, src: &str, r: &mut ImportReport) {
    let Some(text) = scalar(value).map(|s| fact_value(fact, &s)) else {
        return extra(out, key, value, line, src, r);
    };
    let fits = |name: &str| crate::facts::validate(&[(name.to_string(), text.clone())], &|_, _| 0).is_ok();
    let name = if fits(fact) && !out.facts.contains_key(fact) {
        fact.to_string()
    } else if fits(key) && !out.facts.contains_key(key) && !crate::facts::KNOWN.contains(&key) {
        key.to_string()
    } else {
        return extra(out, key, value, line, src, r);
    };
    if name != key || scalar(value).as_deref() != Some(text.as_str()) {
        r.add(Topic::MovedField, src, line, format!("`{key}: {text}` -> `facts.{name}`"));
    } else {
        r.add(Topic::MovedField, src, line, format!("`{key}` -> `facts.{name}`"));
    }
    out.facts.insert(name, Value::String(text));
}

/// A value in the words Lotse's facts check knows: `beginner` -> `easy`,
/// a bare number of minutes -> `30 min`.
fn fact_value(fact: &str, v: &str) -> String {
    let v = v.trim();
    match fact {
        "difficulty" => match v.to_lowercase().as_str() {
            "beginner" | "basic" | "low" | "easy" => "easy".into(),
            "intermediate" | "medium" | "moderate" => "medium".into(),
            "advanced" | "expert" | "high" | "hard" => "hard".into(),
            _ => v.to_string(),
        },
        "duration" | "preparation" if v.chars().all(|c| c.is_ascii_digit()) => format!("{v} min"),
        _ => v.to_string(),
    }
}

/// Moves fields a page of `role` cannot have into `extra`, and writes YAML.
fn finish(mut out: Out, role: Role, cx: &FieldCx, r: &mut ImportReport, meta: &Meta) -> String {
    if !out.tags.is_empty() {
        out.fields.push(("tags".into(), Value::from(out.tags.clone())));
    }
    if !out.facts.is_empty() {
        out.fields.push(("facts".into(), Value::Object(std::mem::take(&mut out.facts))));
    }
    let allowed: &[&str] = match role {
        Role::Article | Role::Page => &[],
        Role::Stage => &["title", "order", "summary", "owner", "reviewed", "review_every"],
        Role::Home => &["title", "summary", "owner", "reviewed", "review_every"],
    };
    let mut kept = Vec::new();
    for (k, v) in std::mem::take(&mut out.fields) {
        if allowed.is_empty() || allowed.contains(&k.as_str()) {
            kept.push((k, v));
        } else {
            let what = if role == Role::Home { "the home page" } else { "a stage page" };
            r.add(Topic::MovedField, cx.src, meta.line(&k), format!("`{k}` -> `extra.{k}` ({what} has no `{k}`)"));
            out.extra.insert(k, v);
        }
    }
    if !out.extra.is_empty() {
        kept.push(("extra".into(), Value::Object(out.extra)));
    }
    crate::frontmatter::write_yaml(&kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::meta::split;

    fn mapped(text: &str, role: Role, order: Option<i64>) -> (String, ImportReport) {
        let meta = split(text).unwrap();
        let mut doc = Doc::from("a.md", "01-x/a.md".into(), role);
        doc.order = order;
        let mut r = ImportReport::default();
        let cx = FieldCx { src: "a.md", stage_field: None };
        (map(&doc, &meta, "A", &cx, &mut r), r)
    }

    #[test]
    fn keeps_what_lotse_has_and_moves_the_rest() {
        let (yaml, r) = mapped(
            "+++\ntitle = \"A\"\ndescription = \"D\"\nweight = 5\ndate = 2024-05-01T10:00:00Z\ndraft = true\nlayout = \"wide\"\naliases = [\"/old/\"]\ncategories = [\"x\"]\nauthor = \"Kim\"\ntime_required = \"90\"\n[extra]\nicon = \"i\"\n+++\n",
            Role::Article,
            Some(2),
        );
        assert_eq!(
            yaml,
            "title: A\nsummary: D\norder: 2\ndate: 2024-05-01\ndraft: true\ntags:\n- x\nfacts:\n  duration: 90 min\nextra:\n  author: Kim\n  icon: i\n"
        );
        let msgs: Vec<String> = r.entries.iter().map(|e| format!("{:?} {} {}", e.topic, e.line, e.message)).collect();
        assert!(
            msgs.contains(&"DroppedField 7 `layout: wide` dropped: it set up the old generator's templates".into()),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.starts_with("Alias 8 `aliases`: `/old/`")), "{msgs:?}");
        assert!(msgs.contains(&"MovedField 9 `categories` -> `tags`".into()), "{msgs:?}");
        assert!(msgs.contains(&"MovedField 11 `time_required: 90 min` -> `facts.duration`".into()), "{msgs:?}");
    }

    #[test]
    fn a_stage_keeps_only_stage_fields() {
        let (yaml, r) = mapped("---\ntitle: S\ndate: 2024-01-02\ntags: [a]\n---\n", Role::Stage, Some(1));
        assert_eq!(yaml, "title: A\norder: 1\nextra:\n  date: 2024-01-02\n  tags:\n  - a\n");
        assert_eq!(r.entries.len(), 2);
    }

    #[test]
    fn an_unchecked_fact_stays_under_its_own_name_or_goes_to_extra() {
        let (yaml, _) = mapped("---\nlevel: Profi\nduration: a while\n---\n", Role::Article, None);
        assert_eq!(yaml, "title: A\nfacts:\n  level: Profi\nextra:\n  duration: a while\n");
    }
}
