//! mdBook: `book.toml` for title, description, language and the source
//! folder; `SUMMARY.md` gives the order: each part (`# Part`) becomes a
//! stage with its chapters as articles, or, in a book without parts, each
//! top-level chapter becomes a stage with its sub-chapters; the first
//! prefix chapter becomes the home page, other prefix and suffix chapters
//! plain pages. Titles come from SUMMARY.md. `{{#include}}` (with line
//! ranges and anchors) is inlined; ```` ```admonish ```` blocks become callouts.

use super::convert::{Action, BodyCx, callout, callout_kind, fenced};
use super::edits::Edits;
use super::hugo::config;
use super::links::join;
use super::meta::scalar;
use super::plan::{Doc, Plan, Role, Tree, article_file, dir, is_markdown, page_file, stage_folder, stem};
use super::report::{ImportReport, Topic};
use super::scan::{Delim, Found};

/// One line of SUMMARY.md.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Part(String),
    /// A chapter: nesting depth (`None`: prefix or suffix chapter), title, path.
    Chapter(Option<usize>, String, String),
}

/// The entries of SUMMARY.md, in order.
fn summary(text: &str) -> Vec<(usize, Item)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if let Some(part) = t.strip_prefix("# ") {
            if !out.is_empty() || n > 0 && out.iter().any(|(_, i)| matches!(i, Item::Chapter(..))) {
                out.push((n + 1, Item::Part(part.trim().to_string())));
            }
            continue;
        }
        let indent = t.len() - t.trim_start().len();
        let s = t.trim_start();
        let (listed, s) = match s.strip_prefix("- ").or(s.strip_prefix("* ")) {
            Some(rest) => (true, rest),
            None => match s.split_once(". ") {
                Some((num, rest)) if num.chars().all(|c| c.is_ascii_digit()) && !num.is_empty() => (true, rest),
                _ => (false, s),
            },
        };
        let Some(rest) = s.strip_prefix('[') else { continue };
        let Some((title, after)) = rest.split_once("](") else { continue };
        let path = after.trim_end().strip_suffix(')').unwrap_or(after).trim();
        let depth = listed.then_some(indent / 2);
        out.push((n + 1, Item::Chapter(depth, title.to_string(), path.to_string())));
    }
    out
}

/// The plan of the mdBook in `tree`.
pub(crate) fn layout(tree: &Tree, report: &mut ImportReport) -> Plan {
    let cfg = tree.text("book.toml").and_then(|t| config(t, "book.toml")).unwrap_or_default();
    let book = cfg.get("book").cloned().unwrap_or_default();
    let src = book.get("src").and_then(scalar).unwrap_or_else(|| "src".into());
    let mut plan = Plan { content_root: src.clone(), ..Plan::default() };
    plan.title = book.get("title").and_then(scalar);
    plan.description = book.get("description").and_then(scalar);
    plan.language = book.get("language").and_then(scalar);
    let summary_path = format!("{src}/SUMMARY.md");
    let items = summary(tree.text(&summary_path).unwrap_or(""));
    if items.is_empty() {
        report.add(Topic::SkippedFile, &summary_path, 0, "no SUMMARY.md with chapters: nothing to import");
    }
    chapters(&items, &src, &summary_path, tree, &mut plan, report);
    let listed: Vec<String> = plan.docs.iter().filter_map(|d| d.src.clone()).collect();
    for f in tree.under(&src) {
        if f == &summary_path {
            continue;
        }
        if is_markdown(f) {
            if !listed.contains(f) {
                report.add(Topic::SkippedFile, f, 0, "not in SUMMARY.md, so mdBook does not publish it");
            }
        } else {
            plan.assets.push((f.clone(), format!("content/{}", &f[src.len() + 1..])));
        }
    }
    plan
}

fn chapters(
    items: &[(usize, Item)],
    src: &str,
    summary_path: &str,
    tree: &Tree,
    plan: &mut Plan,
    report: &mut ImportReport,
) {
    let has_parts = items.iter().any(|(_, i)| matches!(i, Item::Part(_)));
    let mut stage = 0usize;
    let mut folder = String::new();
    let mut order = 0i64;
    let mut seen_numbered = false;
    for (line, item) in items {
        match item {
            Item::Part(title) => {
                stage += 1;
                folder = stage_folder(stage, title);
                let mut d = Doc::generated(format!("{folder}/_index.md"), Role::Stage, title.clone());
                d.order = Some(stage as i64);
                plan.docs.push(d);
                order = 0;
            }
            Item::Chapter(depth, title, path) => {
                if path.is_empty() {
                    report.add(Topic::SkippedFile, summary_path, *line, format!("draft chapter `{title}` (no file)"));
                    continue;
                }
                let file = join(src, path.split('#').next().unwrap_or(path));
                if !tree.has(&file) {
                    report.add(
                        Topic::UnresolvedLink,
                        summary_path,
                        *line,
                        format!("chapter `{title}`: `{path}` does not exist"),
                    );
                    continue;
                }
                let (role, dest) = match depth {
                    None if !seen_numbered && !plan.docs.iter().any(|d| d.role == Role::Home) => {
                        (Role::Home, "_index.md".to_string())
                    }
                    None => (Role::Page, page_file(&name_of(&file))),
                    Some(0) if !has_parts || stage == 0 => {
                        stage += 1;
                        folder = stage_folder(stage, title);
                        order = 0;
                        (Role::Stage, format!("{folder}/_index.md"))
                    }
                    Some(_) => {
                        order += 1;
                        (Role::Article, format!("{folder}/{}", article_file(&name_of(&file))))
                    }
                };
                seen_numbered |= depth.is_some();
                let mut d = Doc::from(&file, dest, role);
                d.title = Some(title.clone());
                d.order = match role {
                    Role::Stage => Some(stage as i64),
                    Role::Article => Some(order),
                    _ => None,
                };
                plan.docs.push(d);
            }
        }
    }
    if !plan.docs.iter().any(|d| d.role == Role::Home) {
        let mut home =
            Doc::generated("_index.md".into(), Role::Home, plan.title.clone().unwrap_or_else(|| "Book".into()));
        home.body = plan.description.clone().unwrap_or_default();
        plan.docs.insert(0, home);
    }
}

/// A chapter's file name; `README.md` takes its folder's name.
fn name_of(file: &str) -> String {
    let s = stem(file);
    if s.eq_ignore_ascii_case("readme") || s == "index" {
        let d = stem(dir(file));
        if d.is_empty() { "introduction".into() } else { d.to_string() }
    } else {
        s.to_string()
    }
}

/// Converts `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}` and `{{#title}}`.
pub(crate) fn handler(found: &[Found], i: usize, body: &str, cx: &mut BodyCx) -> Action {
    let f = &found[i];
    if f.delim != Delim::Hash || body[..f.range.start].ends_with('\\') {
        return Action::Keep;
    }
    let name = f.name().to_string();
    let spec = f.inner[name.len()..].trim().to_string();
    match name.as_str() {
        "include" | "rustdoc_include" | "playground" => {
            let (path, range) = spec.split_once(':').map_or((spec.as_str(), ""), |(p, r)| (p, r));
            let file = join(dir(cx.src), path.trim());
            match cx.tree.text(&file) {
                Some(t) => {
                    let text = select(t, range);
                    if name == "playground" && !f.in_code {
                        Action::Replace(fenced("rust", &text))
                    } else {
                        Action::Replace(text)
                    }
                }
                None => Action::Mark(format!("mdBook `{name}` of `{file}`, which is not there")),
            }
        }
        "title" => Action::Drop("mdBook `{{#title}}` (the page title comes from SUMMARY.md)".into()),
        _ => Action::Mark(format!("mdBook `{{{{#{name}}}}}`")),
    }
}

/// The lines of `text` a range names: `3`, `3:7`, `3:`, `:7`, or an anchor;
/// `ANCHOR` lines are left out.
fn select(text: &str, range: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let picked: Vec<&str> = if range.is_empty() {
        lines
    } else if range.chars().next().is_some_and(|c| c.is_ascii_digit() || c == ':') {
        let (a, b) = range.split_once(':').map_or((range, Some(range)), |(a, b)| (a, Some(b)));
        let from = a.parse::<usize>().unwrap_or(1).max(1) - 1;
        let to = b.and_then(|b| b.parse::<usize>().ok()).unwrap_or(lines.len()).min(lines.len());
        lines.get(from..to.max(from)).unwrap_or(&[]).to_vec()
    } else {
        let start = lines.iter().position(|l| l.contains(&format!("ANCHOR: {range}")));
        let end = lines.iter().position(|l| l.contains(&format!("ANCHOR_END: {range}")));
        match (start, end) {
            (Some(s), Some(e)) if s < e => lines[s + 1..e].to_vec(),
            _ => Vec::new(),
        }
    };
    picked.into_iter().filter(|l| !l.contains("ANCHOR: ") && !l.contains("ANCHOR_END: ")).collect::<Vec<_>>().join("\n")
}

/// ```` ```admonish warning title="X" ```` blocks (mdbook-admonish) -> callouts.
pub(crate) fn admonish(body: &str, cx: &mut BodyCx) -> (String, Edits) {
    let mut edits = Edits::default();
    let mut at = 0;
    let mut open: Option<(usize, String, Option<String>, String)> = None;
    for line in body.split_inclusive('\n') {
        let t = line.trim();
        match &open {
            None if t.starts_with("```admonish") => {
                let info = t.trim_start_matches('`').trim_start_matches("admonish").trim();
                let kind = info.split_whitespace().next().and_then(callout_kind).unwrap_or("NOTE").to_string();
                let title = info.split_once("title=\"").and_then(|(_, r)| r.split('"').next()).map(str::to_string);
                open = Some((at, kind, title, String::new()));
            }
            Some((start, kind, title, text)) if t == "```" => {
                edits.replace(*start, at + line.len(), format!("{}\n", callout(kind, title.as_deref(), text, "")));
                cx.converted += 1;
                open = None;
            }
            Some(_) => {
                if let Some((_, _, _, text)) = &mut open {
                    text.push_str(line);
                }
            }
            None => {}
        }
        at += line.len();
    }
    let out = edits.apply(body);
    (out, edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parts_chapters_and_prefix_chapters() {
        let s = summary(
            "# Summary\n\n[Intro](README.md)\n\n# Guide\n\n- [A](a.md)\n  - [A1](a/one.md)\n- [Draft]()\n\n---\n\n[Notes](notes.md)\n",
        );
        let items: Vec<Item> = s.into_iter().map(|(_, i)| i).collect();
        assert_eq!(
            items,
            vec![
                Item::Chapter(None, "Intro".into(), "README.md".into()),
                Item::Part("Guide".into()),
                Item::Chapter(Some(0), "A".into(), "a.md".into()),
                Item::Chapter(Some(1), "A1".into(), "a/one.md".into()),
                Item::Chapter(Some(0), "Draft".into(), String::new()),
                Item::Chapter(None, "Notes".into(), "notes.md".into()),
            ]
        );
    }

    #[test]
    fn includes_line_ranges_and_anchors() {
        let t = "1\n2\n// ANCHOR: x\n3\n// ANCHOR_END: x\n4";
        assert_eq!(select(t, "1:2"), "1\n2");
        assert_eq!(select(t, "x"), "3");
        assert_eq!(select(t, "6:"), "4");
        assert_eq!(select(t, ""), "1\n2\n3\n4");
    }
}
