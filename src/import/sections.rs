//! The layout Hugo and Zola share: `content/` with sections (folders with
//! an `_index.md`), pages, and page bundles (a folder with `index.md` and
//! its files). Top-level sections become stages ordered by weight, then
//! title; pages of nested sections are flattened into their stage with the
//! section's name in front (`sub-page.md`); pages at the top stay pages.

use std::collections::BTreeMap;

use super::meta::Meta;
use super::plan::{
    Doc, Plan, Role, Tree, article_file, dir, int, is_markdown, page_file, stage_folder, stem, title_from_name,
};
use super::report::{ImportReport, Topic};

/// A section folder's contents, before flattening.
#[derive(Default)]
struct Section {
    index: Option<String>,
    pages: Vec<String>,
    subs: BTreeMap<String, Section>,
}

/// A page, or a nested section with its name.
type Item<'a> = Result<&'a String, (&'a String, &'a Section)>;

/// Weight, inverted date, title.
type SortKey = (i64, String, String);

/// Sorting key: weight (unweighted last), date (newest first if the
/// section sorts by date), title.
fn key(tree: &Tree, src: &str, by_date: bool) -> (i64, String, String) {
    let m: Meta = tree.meta(src);
    let weight = int(m.get("weight")).filter(|w| *w != 0).unwrap_or(i64::MAX);
    let date = if by_date { m.text(&["date"]).unwrap_or_default() } else { String::new() };
    let inverted: String =
        date.chars().map(|c| if c.is_ascii_digit() { (b'9' - c as u8 + b'0') as char } else { c }).collect();
    (weight, inverted, title(tree, src).to_lowercase())
}

fn title(tree: &Tree, src: &str) -> String {
    let m = tree.meta(src);
    m.text(&["title"]).unwrap_or_else(|| {
        let s = stem(src);
        let name = if s == "index" || s == "_index" { stem(dir(src)) } else { s };
        title_from_name(name)
    })
}

/// Builds the plan of a Hugo or Zola site whose pages are under `root`.
pub(crate) fn layout(tree: &Tree, root: &str, report: &mut ImportReport) -> Plan {
    let mut plan = Plan { content_root: root.to_string(), ..Plan::default() };
    let mut top = Section::default();
    let files: Vec<&String> = tree.under(root).collect();
    let bundles: Vec<String> = files.iter().filter(|f| f.ends_with("/index.md")).map(|f| dir(f).to_string()).collect();
    for f in &files {
        let rel = &f[root.len() + 1..];
        if !is_markdown(f) {
            continue;
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let in_bundle = bundles.iter().any(|b| dir(f).starts_with(b.as_str()) && f.as_str() != format!("{b}/index.md"));
        if in_bundle {
            report.add(Topic::SkippedFile, f, 0, "Markdown file inside a page bundle (a bundle resource); not a page");
            continue;
        }
        let mut sec = &mut top;
        let folders =
            if parts.last() == Some(&"index.md") { &parts[..parts.len() - 2] } else { &parts[..parts.len() - 1] };
        for p in folders {
            sec = sec.subs.entry((*p).to_string()).or_default();
        }
        if parts.last() == Some(&"_index.md") {
            sec.index = Some((*f).clone());
        } else {
            sec.pages.push((*f).clone());
        }
    }
    if let Some(home) = &top.index {
        plan.docs.push(Doc::from(home, "_index.md".into(), Role::Home));
    }
    for p in &top.pages {
        plan.docs.push(Doc::from(p, page_file(&page_name(p)), Role::Page));
    }
    stages(tree, &top, root, &mut plan, report);
    assets(tree, root, &mut plan);
    urls(tree, root, &mut plan);
    plan
}

/// The name of a page: its file name, or its bundle folder's.
fn page_name(src: &str) -> String {
    if stem(src) == "index" { stem(dir(src)).to_string() } else { stem(src).to_string() }
}

fn stages(tree: &Tree, top: &Section, root: &str, plan: &mut Plan, report: &mut ImportReport) {
    let mut secs: Vec<(&String, &Section)> = top.subs.iter().collect();
    let sort_key = |name: &String, s: &Section| match &s.index {
        Some(i) => key(tree, i, false),
        None => (i64::MAX, String::new(), name.to_lowercase()),
    };
    secs.sort_by_key(|(name, s)| sort_key(name, s));
    for (n, (name, sec)) in secs.into_iter().enumerate() {
        let folder = stage_folder(n + 1, name);
        let mut index = match &sec.index {
            Some(i) => Doc::from(i, format!("{folder}/_index.md"), Role::Stage),
            None => Doc::generated(format!("{folder}/_index.md"), Role::Stage, title_from_name(name)),
        };
        index.order = Some(n as i64 + 1);
        plan.docs.push(index);
        let by_date = sec.index.as_ref().is_some_and(|i| tree.meta(i).text(&["sort_by"]).as_deref() == Some("date"));
        let mut order = 0;
        flatten(tree, sec, &folder, "", by_date, &mut order, plan, report);
        let _ = root;
    }
}

#[allow(clippy::too_many_arguments)]
fn flatten(
    tree: &Tree,
    sec: &Section,
    folder: &str,
    prefix: &str,
    by_date: bool,
    order: &mut i64,
    plan: &mut Plan,
    report: &mut ImportReport,
) {
    let mut items: Vec<(SortKey, Item)> = Vec::new();
    for p in &sec.pages {
        items.push((key(tree, p, by_date), Ok(p)));
    }
    for (name, s) in &sec.subs {
        let k = match &s.index {
            Some(i) => key(tree, i, by_date),
            None => (i64::MAX, String::new(), name.to_lowercase()),
        };
        items.push((k, Err((name, s))));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, item) in items {
        match item {
            Ok(p) => {
                *order += 1;
                let dest = format!("{folder}/{prefix}{}", article_file(&page_name(p)));
                if !prefix.is_empty() {
                    report.add(Topic::Moved, p, 0, format!("nested section flattened: now `content/{dest}`"));
                }
                let mut d = Doc::from(p, dest, Role::Article);
                d.order = Some(*order);
                plan.docs.push(d);
            }
            Err((name, s)) => {
                let sub_prefix = format!("{prefix}{}-", crate::markdown::slugify(name));
                if let Some(i) = &s.index {
                    *order += 1;
                    let dest = format!("{folder}/{prefix}{}", article_file(name));
                    report.add(Topic::Moved, i, 0, format!("nested section's page: now `content/{dest}`"));
                    let mut d = Doc::from(i, dest, Role::Article);
                    d.order = Some(*order);
                    plan.docs.push(d);
                }
                flatten(tree, s, folder, &sub_prefix, by_date, order, plan, report);
            }
        }
    }
}

/// Files beside the pages keep their place under the renamed stage folder.
fn assets(tree: &Tree, root: &str, plan: &mut Plan) {
    let stage_of: BTreeMap<String, String> = plan
        .docs
        .iter()
        .filter(|d| d.role == Role::Stage)
        .map(|d| {
            let folder = dir(&d.dest).to_string();
            let name = folder.split_once('-').map_or(folder.clone(), |(_, n)| n.to_string());
            (name, folder)
        })
        .collect();
    let sources: BTreeMap<String, String> = plan
        .docs
        .iter()
        .filter(|d| d.role == Role::Stage)
        .filter_map(|d| Some((d.src.as_ref().map(|s| dir(s).to_string())?, dir(&d.dest).to_string())))
        .collect();
    for f in tree.under(root) {
        if is_markdown(f) {
            continue;
        }
        let rel = &f[root.len() + 1..];
        let (first, rest) = rel.split_once('/').unwrap_or(("", rel));
        let folder = sources
            .get(&format!("{root}/{first}"))
            .or_else(|| stage_of.get(&crate::markdown::slugify(first)))
            .cloned()
            .unwrap_or_else(|| first.to_string());
        let dest = if first.is_empty() { format!("content/{rest}") } else { format!("content/{folder}/{rest}") };
        plan.assets.push((f.clone(), dest));
    }
}

/// The URL each page had: its path without `.md`, `index` or `_index`,
/// and the `url`, `slug` or `path` it set.
fn urls(tree: &Tree, root: &str, plan: &mut Plan) {
    for d in &plan.docs {
        let Some(src) = &d.src else { continue };
        let rel = &src[root.len() + 1..];
        let path = rel.trim_end_matches(".md").trim_end_matches("_index").trim_end_matches("index");
        plan.urls.push((format!("/{}", path.trim_end_matches('/')), src.clone()));
        plan.urls.push((format!("/{}", path.trim_end_matches('/').to_lowercase()), src.clone()));
        let m = tree.meta(src);
        if let Some(u) = m.text(&["url", "path"]) {
            plan.urls.push((format!("/{}", u.trim_matches('/')), src.clone()));
        }
        if let Some(slug) = m.text(&["slug"]) {
            plan.urls.push((format!("/{}/{slug}", dir(path.trim_end_matches('/'))), src.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_become_ordered_stages_and_nested_ones_are_flattened() {
        let tree = Tree::from_files(&[
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            ("content/about.md", "---\ntitle: About\n---\n"),
            ("content/later/_index.md", "---\ntitle: Later\nweight: 2\n---\n"),
            ("content/first/_index.md", "---\ntitle: First\nweight: 1\n---\n"),
            ("content/first/b.md", "---\ntitle: B\n---\n"),
            ("content/first/a.md", "---\ntitle: Zed\nweight: 1\n---\n"),
            ("content/first/bundle/index.md", "---\ntitle: Bundle\n---\n"),
            ("content/first/bundle/pic.png", ""),
            ("content/first/sub/_index.md", "---\ntitle: Sub\n---\n"),
            ("content/first/sub/c.md", "---\ntitle: C\n---\n"),
        ]);
        let mut r = ImportReport::default();
        let plan = layout(&tree, "content", &mut r);
        let docs: Vec<(String, Option<i64>)> = plan.docs.iter().map(|d| (d.dest.clone(), d.order)).collect();
        assert_eq!(
            docs,
            vec![
                ("_index.md".to_string(), None),
                ("about.md".into(), None),
                ("01-first/_index.md".into(), Some(1)),
                ("01-first/a.md".into(), Some(1)),
                ("01-first/b.md".into(), Some(2)),
                ("01-first/bundle.md".into(), Some(3)),
                ("01-first/sub.md".into(), Some(4)),
                ("01-first/sub-c.md".into(), Some(5)),
                ("02-later/_index.md".into(), Some(2)),
            ]
        );
        assert_eq!(
            plan.assets,
            vec![("content/first/bundle/pic.png".to_string(), "content/01-first/bundle/pic.png".to_string())]
        );
        assert!(plan.urls.contains(&("/first/bundle".to_string(), "content/first/bundle/index.md".to_string())));
    }
}
