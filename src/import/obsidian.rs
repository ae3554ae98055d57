//! Obsidian: a vault's top-level folders become stages (ordered by an
//! order file, else by a number in front of the name, else by name), a
//! folder note (`Folder/Folder.md`, `index.md`, `README.md`) the stage
//! page; notes at the top stay pages (`index`/`Home`/`README` is the home
//! page); deeper notes are flattened into their stage. Titles are file
//! names unless the properties give one; inline `#tags` join the tags.
//! Callouts, `%%comments%%` and `==highlights==` are converted here;
//! wikilinks and embeds by [`links`](super::links).

use std::collections::BTreeMap;

use super::convert::{BodyCx, callout_kind};
use super::edits::Edits;
use super::plan::{
    Doc, Plan, Role, Tree, article_file, dir, is_markdown, number_prefix, page_file, stage_folder, stem,
    title_from_name,
};
use super::report::{ImportReport, Topic};
use super::scan::code_ranges;

const HOME: [&str; 3] = ["index", "home", "readme"];

/// The plan of the vault in `tree`; `order` lists top-level folders, one a line.
pub(crate) fn layout(tree: &Tree, order: Option<&str>, report: &mut ImportReport) -> Plan {
    let mut plan = Plan::default();
    let mut folders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &tree.files {
        if f.ends_with(".canvas") {
            report.add(Topic::SkippedFile, f, 0, "an Obsidian canvas: Lotse has no canvas pages");
        } else if !is_markdown(f) {
            continue;
        } else if let Some((top, _)) = f.split_once('/') {
            folders.entry(top.to_string()).or_default().push(f.clone());
        } else {
            let home =
                HOME.contains(&stem(f).to_lowercase().as_str()) && !plan.docs.iter().any(|d| d.role == Role::Home);
            let mut d = if home {
                Doc::from(f, "_index.md".into(), Role::Home)
            } else {
                Doc::from(f, page_file(stem(f)), Role::Page)
            };
            d.title = Some(stem(f).to_string());
            plan.docs.push(d);
        }
    }
    let ranked = rank(folders.keys().cloned().collect(), order);
    let mut stage_of = BTreeMap::new();
    for (n, name) in ranked.iter().enumerate() {
        let folder = stage_folder(n + 1, name);
        stage_of.insert(name.clone(), folder.clone());
        stage(tree, name, &folder, n + 1, &folders[name], &mut plan);
    }
    for f in &tree.files {
        if is_markdown(f) || f.ends_with(".canvas") {
            continue;
        }
        let dest = match f.split_once('/') {
            Some((top, rest)) => format!("content/{}/{rest}", stage_of.get(top).map_or(top, String::as_str)),
            None => format!("content/{f}"),
        };
        plan.assets.push((f.clone(), dest));
    }
    for d in &mut plan.docs {
        if let Some(src) = &d.src {
            let tags = inline_tags(tree.text(src).unwrap_or(""));
            if !tags.is_empty() {
                d.added.push(("tags".into(), tags.into()));
            }
        }
    }
    plan
}

/// Folder names in stage order: the order file's lines first, then by a
/// number in front of the name, then by name.
fn rank(mut names: Vec<String>, order: Option<&str>) -> Vec<String> {
    let listed: Vec<&str> = order
        .map(|o| o.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
        .unwrap_or_default();
    names.sort_by_key(|n| {
        let pos = listed.iter().position(|l| l.trim_end_matches('/') == n).unwrap_or(usize::MAX);
        (pos, number_prefix(n).unwrap_or(i64::MAX), n.to_lowercase())
    });
    names
}

fn stage(tree: &Tree, name: &str, folder: &str, n: usize, notes: &[String], plan: &mut Plan) {
    let is_index = |f: &String| {
        dir(f) == name && (stem(f) == name || ["index", "readme", "_index"].contains(&stem(f).to_lowercase().as_str()))
    };
    let mut index = match notes.iter().find(|f| is_index(f)) {
        Some(f) => Doc::from(f, format!("{folder}/_index.md"), Role::Stage),
        None => Doc::generated(format!("{folder}/_index.md"), Role::Stage, title_from_name(name)),
    };
    if index.src.is_some() {
        index.title = Some(title_from_name(name));
    }
    index.order = Some(n as i64);
    plan.docs.push(index);
    let mut rest: Vec<&String> = notes.iter().filter(|f| !is_index(f)).collect();
    rest.sort_by_key(|f| (number_prefix(stem(f)).unwrap_or(i64::MAX), f.to_lowercase()));
    for (i, f) in rest.into_iter().enumerate() {
        let inner = &f[name.len() + 1..];
        let flat = inner.rsplit_once('.').map_or(inner, |(s, _)| s).replace('/', "-");
        let mut d = Doc::from(f, format!("{folder}/{}", article_file(&flat)), Role::Article);
        d.title = Some(stem(f).to_string());
        d.order = Some(i as i64 + 1);
        plan.docs.push(d);
    }
    let _ = tree;
}

/// Inline `#tags` outside code (not headings, not `#123`).
fn inline_tags(text: &str) -> Vec<String> {
    let code = code_ranges(text);
    let mut out: Vec<String> = Vec::new();
    for (i, _) in text.match_indices('#') {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| !c.is_whitespace()) || code.iter().any(|r| r.contains(&i)) {
            continue;
        }
        let tag: String = text[i + 1..].chars().take_while(|c| c.is_alphanumeric() || "_-/".contains(*c)).collect();
        if tag.chars().any(|c| !c.is_ascii_digit()) && !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// Callouts (`> [!tip]- Title`), `%%comments%%`, `==highlights==`; plugin
/// query blocks (Dataview, Tasks) are reported.
pub(crate) fn syntax(body: &str, cx: &mut BodyCx) -> (String, Edits) {
    let code = code_ranges(body);
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    let mut edits = Edits::default();
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        if let Some(new) = callout_line(line).filter(|_| !in_code(at)) {
            edits.replace(at, at + line.len(), new);
        }
        let t = line.trim_start();
        for lang in ["```dataview", "```dataviewjs", "```tasks", "```query"] {
            if t.starts_with(lang) && t.trim_end().len() == lang.len() {
                let what = format!("`{}` block: a query of an Obsidian plugin, kept as code", &lang[3..]);
                cx.report.add(Topic::NotConverted, cx.src, (cx.line)(at), what);
            }
        }
        at += line.len();
    }
    pairs(body, "%%", &in_code, &mut edits, |t| format!("<!--{}-->", t.replace("--", "- -")));
    pairs(body, "==", &in_code, &mut edits, |t| format!("<mark>{t}</mark>"));
    let out = edits.apply(body);
    (out, edits)
}

fn callout_line(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix('>')?.trim_start().strip_prefix("[!")?;
    let (kind, after) = rest.split_once(']')?;
    let title = after.trim_start_matches(['-', '+']).trim();
    let k = callout_kind(kind).unwrap_or("NOTE");
    let title =
        if title.is_empty() && callout_kind(kind).is_none() { title_from_name(kind) } else { title.to_string() };
    Some(if title.is_empty() { format!("> [!{k}]\n") } else { format!("> [!{k}]\n> **{title}**\n>\n") })
}

/// `open`text`open` pairs outside code, replaced by `make(text)`.
fn pairs(body: &str, mark: &str, in_code: &dyn Fn(usize) -> bool, edits: &mut Edits, make: impl Fn(&str) -> String) {
    let mut from = 0;
    while let Some(s) = body[from..].find(mark).map(|i| from + i) {
        let Some(e) = body[s + 2..].find(mark).map(|i| s + 2 + i) else { break };
        let text = &body[s + 2..e];
        let ok = !in_code(s) && !text.is_empty() && (mark == "%%" || !text.contains('\n') && !text.starts_with(' '));
        if ok && !edits.touches(s, e + 2) {
            edits.replace(s, e + 2, make(text));
            from = e + 2;
        } else {
            from = s + 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_callouts_comments_and_highlights() {
        let body = "> [!tip]- Fold me\n> inside\n\nSome ==marked== text %%hidden%% and `==code==`.\n\n```dataview\nLIST\n```\n";
        let tree = Tree::default();
        let mut r = ImportReport::default();
        let line = |o: usize| crate::import::edits::line_of(body, o);
        let mut cx = BodyCx {
            src: "n.md",
            tree: &tree,
            title: "T",
            site_title: "S",
            line: &line,
            report: &mut r,
            base: 0,
            converted: 0,
        };
        let (out, _) = syntax(body, &mut cx);
        assert_eq!(
            out,
            "> [!TIP]\n> **Fold me**\n>\n> inside\n\nSome <mark>marked</mark> text <!--hidden--> and `==code==`.\n\n```dataview\nLIST\n```\n"
        );
        assert_eq!(r.entries[0].line, 6);
    }

    #[test]
    fn finds_inline_tags_and_orders_folders() {
        assert_eq!(inline_tags("A #tag and #two/sub, not a#b or #123\n\n# Heading\n\n`#code`"), vec!["tag", "two/sub"]);
        let names = vec!["Zeta".to_string(), "2 Beta".into(), "1 Alpha".into(), "Gamma".into()];
        assert_eq!(rank(names.clone(), None), vec!["1 Alpha", "2 Beta", "Gamma", "Zeta"]);
        assert_eq!(rank(names, Some("Zeta\n# comment\nGamma\n")), vec!["Zeta", "Gamma", "1 Alpha", "2 Beta"]);
    }
}
