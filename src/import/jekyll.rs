//! Jekyll: `_config.yml` for title, description, language and collections;
//! collections (and `_posts`) become stages, as do top-level folders, or
//! the values of a front-matter field (`--stage-field`); other pages stay
//! pages. Static files go to `static/` at the same path. Liquid tags are
//! converted where Lotse has the same thing (`link`, `post_url`,
//! `site.baseurl`, `highlight`, `raw`, `comment`, callout and image
//! includes, includes of plain files), the rest is marked.

use std::collections::BTreeMap;

use super::convert::{Action, BodyCx, callout, callout_kind, fenced, figure, find_close, verbatim};
use super::edits::Edits;
use super::meta::scalar;
use super::plan::{
    Doc, Plan, Role, Tree, article_file, dir, int, is_markdown, page_file, stage_folder, stem, title_from_name,
};
use super::report::{ImportReport, Topic};
use super::scan::{Delim, Found, code_ranges};

const NOT_CONTENT: [&str; 8] =
    ["_layouts", "_includes", "_sass", "_data", "_site", "_plugins", "vendor", ".jekyll-cache"];
const ROOT_FILES: [&str; 8] =
    ["Gemfile", "Gemfile.lock", "_config.yml", "_config.yaml", "CNAME", "LICENSE", "package.json", "Rakefile"];

struct Config {
    collections: Vec<String>,
    exclude: Vec<String>,
}

/// The plan of the Jekyll site in `tree`.
pub(crate) fn layout(tree: &Tree, stage_field: Option<&str>, report: &mut ImportReport) -> Plan {
    let mut plan = Plan::default();
    let cfg_text = tree.text("_config.yml").or(tree.text("_config.yaml")).unwrap_or("");
    let cfg = crate::frontmatter::yaml_value(cfg_text).unwrap_or_default();
    plan.title = cfg.get("title").and_then(scalar);
    plan.description = cfg.get("description").and_then(scalar);
    plan.language = cfg.get("lang").or(cfg.get("locale")).and_then(scalar);
    let config = Config { collections: collections(&cfg, cfg_text), exclude: list(cfg.get("exclude")) };
    let mut groups: BTreeMap<(usize, String), Vec<String>> = BTreeMap::new();
    let mut pages = Vec::new();
    for f in &tree.files {
        match place(tree, f, &config, report) {
            Place::Skip => {}
            Place::Static => plan.assets.push((f.clone(), format!("static/{f}"))),
            Place::Group(rank, name) => groups.entry((rank, name)).or_default().push(f.clone()),
            Place::Page => pages.push(f.clone()),
        }
    }
    if let Some(field) = stage_field {
        by_field(tree, field, &mut pages, &mut groups, report);
    }
    for f in pages {
        let role = if f == "index.md" || f == "index.markdown" { Role::Home } else { Role::Page };
        let dest = if role == Role::Home {
            "_index.md".to_string()
        } else {
            page_file(&f.trim_end_matches(".md").replace('/', "-"))
        };
        plan.docs.push(Doc::from(&f, dest, role));
    }
    stages(tree, groups, stage_field, &mut plan);
    urls(tree, &mut plan);
    super::hugo::skip_folders(tree, &NOT_CONTENT, "templates, includes, data or build output", report);
    plan
}

enum Place {
    Skip,
    Static,
    Page,
    /// A stage: rank (collections first, in config order) and name.
    Group(usize, String),
}

fn place(tree: &Tree, f: &str, cfg: &Config, report: &mut ImportReport) -> Place {
    let first = f.split('/').next().unwrap_or(f);
    let hidden = f.split('/').any(|p| p.starts_with('.'));
    if hidden
        || ROOT_FILES.contains(&f)
        || NOT_CONTENT.contains(&first)
        || cfg.exclude.iter().any(|e| f.starts_with(e.trim_end_matches('/')))
    {
        return Place::Skip;
    }
    let coll = first.strip_prefix('_');
    let text = tree.text(f).unwrap_or("");
    let has_fm = text.starts_with("---");
    if !is_markdown(f) {
        if coll.is_some() && first != "_posts" {
            return Place::Skip;
        }
        if has_fm && (f.ends_with(".html") || f.ends_with(".scss") || f.ends_with(".xml") || f.ends_with(".json")) {
            report.add(
                Topic::SkippedFile,
                f,
                0,
                "a file Jekyll renders with Liquid (HTML page, Sass, feed); Lotse makes its own",
            );
            return Place::Skip;
        }
        return Place::Static;
    }
    if first == "README.md" && (tree.has("index.md") || tree.has("index.html")) {
        report.add(Topic::SkippedFile, f, 0, "the repository's README (the site has its own index page)");
        return Place::Skip;
    }
    match coll {
        Some("posts") | Some("drafts") => Place::Group(cfg.collections.len(), "Posts".into()),
        Some(c) => match cfg.collections.iter().position(|x| x == c) {
            Some(rank) => Place::Group(rank, c.to_string()),
            None => {
                report.add(
                    Topic::SkippedFile,
                    f,
                    0,
                    format!("`_{c}/` is no collection in _config.yml, so Jekyll does not publish it"),
                );
                Place::Skip
            }
        },
        None if f.contains('/') => Place::Group(cfg.collections.len() + 1, first.to_string()),
        None => Place::Page,
    }
}

/// Collection names in the order `_config.yml` lists them.
fn collections(cfg: &serde_json::Value, text: &str) -> Vec<String> {
    let mut names: Vec<String> = match cfg.get("collections") {
        Some(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        Some(v) => list(Some(v)),
        None => Vec::new(),
    };
    names.retain(|n| n != "posts");
    names.sort_by_key(|n| text.find(&format!("{n}:")).or(text.find(n.as_str())).unwrap_or(usize::MAX));
    names
}

fn list(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array()).map(|a| a.iter().filter_map(scalar).collect()).unwrap_or_default()
}

/// `--stage-field`: pages whose field has a value go to that value's stage
/// (a page titled like the value becomes the stage page).
fn by_field(
    tree: &Tree,
    field: &str,
    pages: &mut Vec<String>,
    groups: &mut BTreeMap<(usize, String), Vec<String>>,
    report: &mut ImportReport,
) {
    let all: Vec<String> = pages.drain(..).chain(groups.values().flatten().cloned()).collect();
    groups.clear();
    for f in all {
        let m = tree.meta(&f);
        let value = m.get(field).and_then(|v| v.as_array().and_then(|a| a.first()).or(Some(v))).and_then(scalar);
        match value {
            Some(v) => groups.entry((0, v)).or_default().push(f),
            None if f.starts_with("_posts/") => groups.entry((1, "Posts".into())).or_default().push(f),
            None => pages.push(f),
        }
    }
    let titles: Vec<(String, String)> =
        pages.iter().map(|p| (tree.meta(p).text(&["title"]).unwrap_or_default(), p.clone())).collect();
    for ((_, name), members) in groups.iter_mut() {
        if let Some((_, p)) = titles.iter().find(|(t, _)| t == name) {
            pages.retain(|x| x != p);
            members.insert(0, format!("index:{p}"));
        }
    }
    if groups.is_empty() {
        report.add(Topic::SkippedFile, "_config.yml", 0, format!("no page sets `{field}`, so there are no stages"));
    }
}

/// A stage's sort key, name and member files.
type Ranked = ((usize, i64, String), String, Vec<String>);

fn stages(tree: &Tree, groups: BTreeMap<(usize, String), Vec<String>>, field: Option<&str>, plan: &mut Plan) {
    let mut list: Vec<Ranked> = groups
        .into_iter()
        .map(|((rank, name), members)| {
            let index = members.first().and_then(|m| m.strip_prefix("index:"));
            let order = index.and_then(|i| int(tree.meta(i).get("nav_order"))).unwrap_or(i64::MAX);
            ((rank, order, name.to_lowercase()), name, members)
        })
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0));
    for (n, (_, name, members)) in list.into_iter().enumerate() {
        let folder = stage_folder(n + 1, &name);
        let mut members = members;
        let mut index = match members.first().and_then(|m| m.strip_prefix("index:")).map(str::to_string) {
            Some(i) => {
                members.remove(0);
                Doc::from(&i, format!("{folder}/_index.md"), Role::Stage)
            }
            None => {
                let folder_index = members.iter().position(|m| stem(m) == "index" && dir(m) == name);
                match folder_index.map(|i| members.remove(i)) {
                    Some(i) => Doc::from(&i, format!("{folder}/_index.md"), Role::Stage),
                    None => Doc::generated(format!("{folder}/_index.md"), Role::Stage, title_from_name(&name)),
                }
            }
        };
        index.order = Some(n as i64 + 1);
        plan.docs.push(index);
        members.sort_by_key(|m| sort_key(tree, m));
        for (i, m) in members.iter().enumerate() {
            let name_in = m.split_once('/').map_or(m.as_str(), |(_, rest)| rest);
            let base = if field.is_some() {
                stem(m).to_string()
            } else {
                name_in.rsplit_once('.').map_or(name_in, |(s, _)| s).replace('/', "-")
            };
            let mut d = Doc::from(m, format!("{folder}/{}", article_file(post_slug(&base))), Role::Article);
            d.order = Some(i as i64 + 1);
            if let Some(date) = post_date(m) {
                d.added.push(("date".into(), date.into()));
            }
            if m.starts_with("_drafts/") {
                d.added.push(("draft".into(), true.into()));
            }
            if let Some(f) = field {
                d.used.push(f.to_string());
            }
            plan.docs.push(d);
        }
    }
}

fn sort_key(tree: &Tree, f: &str) -> (i64, String, String) {
    let m = tree.meta(f);
    let order = int(m.get("nav_order").or(m.get("order")).or(m.get("weight"))).unwrap_or(i64::MAX);
    let date = m.text(&["date"]).or_else(|| post_date(f)).unwrap_or_default();
    let newest_first: String =
        date.chars().map(|c| if c.is_ascii_digit() { (b'9' - c as u8 + b'0') as char } else { c }).collect();
    (order, newest_first, m.text(&["title"]).unwrap_or_else(|| stem(f).to_string()).to_lowercase())
}

/// `2024-05-01` from `_posts/2024-05-01-hello.md`.
fn post_date(f: &str) -> Option<String> {
    let s = stem(f);
    let d = s.get(..10)?;
    (f.starts_with("_posts/") && crate::frontmatter::valid_date(d)).then(|| d.to_string())
}

/// `hello` from `2024-05-01-hello`.
fn post_slug(s: &str) -> &str {
    match s.get(..11) {
        Some(p) if crate::frontmatter::valid_date(&p[..10]) && p.ends_with('-') => &s[11..],
        _ => s,
    }
}

/// The URLs Jekyll gave the pages: `/a/b.html`, `/a/b/`, posts under
/// `/YYYY/MM/DD/slug.html` (with categories in front), and `permalink`s.
fn urls(tree: &Tree, plan: &mut Plan) {
    for d in &plan.docs {
        let Some(src) = d.src.clone() else { continue };
        let m = tree.meta(&src);
        let path = src.rsplit_once('.').map_or(src.as_str(), |(p, _)| p).to_string();
        let mut forms = vec![path.trim_end_matches("index").to_string()];
        if let (Some(date), true) = (post_date(&src), src.starts_with("_posts/")) {
            let slug = post_slug(stem(&src));
            let dated = format!("{}/{slug}", date.replace('-', "/"));
            let cats: Vec<String> =
                ["categories", "category"].iter().flat_map(|k| m.get(k).map(terms).unwrap_or_default()).collect();
            forms.push(dated.clone());
            if !cats.is_empty() {
                forms.push(format!("{}/{dated}", cats.join("/").to_lowercase()));
            }
        }
        if let Some(p) = m.text(&["permalink"]).filter(|p| !p.contains(':')) {
            forms.push(p);
        }
        for form in forms {
            let form = form.trim_matches('/').trim_end_matches(".html").to_string();
            plan.urls.push((form.clone(), src.clone()));
            plan.urls.push((format!("{form}.html"), src.clone()));
        }
    }
}

fn terms(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(a) => a.iter().filter_map(scalar).collect(),
        v => scalar(v).map(|s| s.split_whitespace().map(str::to_string).collect()).unwrap_or_default(),
    }
}

/// Converts one Liquid tag or output.
pub(crate) fn handler(found: &[Found], i: usize, body: &str, cx: &mut BodyCx) -> Action {
    let f = &found[i];
    match f.delim {
        Delim::Expr => output(f, cx),
        Delim::Stmt => tag(found, i, body, cx),
        _ => Action::Keep,
    }
}

/// `{{ site.baseurl }}`, `{{ "/x" | relative_url }}`, `{{ page.title }}`, …
fn output(f: &Found, cx: &BodyCx) -> Action {
    let parts: Vec<&str> = f.inner.split('|').map(str::trim).collect();
    let head = parts[0];
    let filters = &parts[1..];
    let url_filter =
        filters.iter().all(|p| matches!(*p, "relative_url" | "absolute_url") || p.starts_with("prepend: site.baseurl"));
    let quoted = (head.starts_with('"') || head.starts_with('\'')) && head.len() >= 2;
    if quoted && url_filter && !filters.is_empty() {
        return Action::Replace(head[1..head.len() - 1].to_string());
    }
    match head {
        "site.baseurl" | "site.url" | "site.github.url" | "site.url | append: site.baseurl" if filters.is_empty() => {
            Action::Replace(String::new())
        }
        "site.title" if filters.is_empty() => Action::Replace(cx.site_title.to_string()),
        "page.title" if filters.is_empty() => Action::Replace(cx.title.to_string()),
        _ => Action::Mark("Liquid output".into()),
    }
}

fn tag(found: &[Found], i: usize, body: &str, cx: &mut BodyCx) -> Action {
    let f = &found[i];
    let name = f.name().to_string();
    let args = f.args();
    let end = format!("end{name}");
    let close = || {
        find_close(
            found,
            i,
            |g| g.delim == Delim::Stmt && g.name() == name,
            |g| g.delim == Delim::Stmt && g.name() == end,
        )
    };
    match name.as_str() {
        "link" => {
            Action::Replace(format!("/{}", args.positional.first().map_or("", String::as_str).trim_start_matches('/')))
        }
        "post_url" => {
            let want = args.positional.first().cloned().unwrap_or_default();
            let post = cx
                .tree
                .under("_posts")
                .find(|p| p.trim_end_matches(".md").trim_end_matches(".markdown").ends_with(want.as_str()));
            match post {
                Some(p) => Action::Replace(format!("/{p}")),
                None => Action::Mark(format!("`post_url` to `{want}`, which is no post")),
            }
        }
        "highlight" => match close() {
            Some(c) => Action::Block {
                close: c,
                with: fenced(args.positional.first().map_or("", String::as_str), verbatim(found, i, c, body)),
            },
            None => Action::Mark("`highlight` without `endhighlight`".into()),
        },
        "raw" => match close() {
            Some(c) => Action::Block { close: c, with: verbatim(found, i, c, body).to_string() },
            None => Action::Drop("`raw` without `endraw`".into()),
        },
        "endraw" if f.in_code => Action::Replace(String::new()),
        "comment" => match close() {
            Some(c) => {
                Action::Block { close: c, with: format!("<!--{}-->", verbatim(found, i, c, body).replace("--", "- -")) }
            }
            None => Action::Mark("`comment` without `endcomment`".into()),
        },
        "include" | "include_relative" => include(found, i, body, cx, name == "include_relative"),
        _ => Action::Mark(format!("Liquid tag `{name}`")),
    }
}

/// Callout and image includes become callouts and images; an include of
/// a file without Liquid is inlined; others are marked.
fn include(found: &[Found], i: usize, body: &str, cx: &mut BodyCx, relative: bool) -> Action {
    let args = found[i].args();
    let file = args.positional.first().cloned().unwrap_or_default();
    let base = stem(&file).to_lowercase();
    if let Some(kind) = callout_kind(&base) {
        if let Some(text) = args.get("content").or(args.get("text")) {
            let before = body[..found[i].range.start].rsplit('\n').next().unwrap_or("");
            return Action::Replace(callout(kind, args.get("title"), text, before));
        }
    }
    if matches!(base.as_str(), "image" | "figure" | "img") {
        if let Some(src) = args.get("file").or(args.get("src")).or(args.get("url")).or(args.get("path")) {
            let caption = args.get("caption");
            let alt = args.get("alt").or(caption).unwrap_or_default();
            return Action::Replace(figure(src, alt, args.get("title"), caption));
        }
    }
    let path = if relative { super::links::join(dir(cx.src), &file) } else { format!("_includes/{file}") };
    match cx.tree.text(&path) {
        Some(t) if !t.contains("{{") && !t.contains("{%") => Action::Replace(t.trim_end().to_string()),
        Some(_) => Action::Mark(format!("include of `{path}`, which holds Liquid")),
        None => Action::Mark(format!("include of `{path}`, which is not there")),
    }
}

/// kramdown's attribute lists: `{: .note }` before a paragraph makes it a
/// callout; `{:toc}` and other attribute lists are removed (reported).
pub(crate) fn kramdown(body: &str, cx: &mut BodyCx) -> (String, Edits) {
    let code = code_ranges(body);
    let mut edits = Edits::default();
    let mut at = 0;
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = (at, lines[i]);
        at += line.len();
        i += 1;
        let t = line.trim();
        if !(t.starts_with("{:") && t.ends_with('}')) || code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let class = t
            .trim_start_matches("{:")
            .trim_end_matches('}')
            .trim()
            .strip_prefix('.')
            .map(|c| c.split_whitespace().next().unwrap_or(""));
        let kind = class.and_then(|c| callout_kind(c).or((c == "highlight").then_some("NOTE")));
        if let Some(kind) = kind.filter(|_| i < lines.len() && !lines[i].trim().is_empty()) {
            let mut para = String::new();
            let mut end = at;
            while i < lines.len() && !lines[i].trim().is_empty() {
                para.push_str(lines[i]);
                end += lines[i].len();
                i += 1;
            }
            edits.replace(start, end, format!("{}\n", callout(kind, None, &para, "")));
            cx.converted += 1;
            at = end;
            continue;
        }
        let toc = t.replace(' ', "") == "{:toc}";
        let prev_start = start - lines.get(i.wrapping_sub(2)).map_or(0, |l| l.len());
        let prev = if i >= 2 { lines[i - 2].trim() } else { "" };
        let from =
            if toc && (prev.ends_with("TOC") || prev.ends_with("Table of Contents")) { prev_start } else { start };
        let what = if toc {
            "kramdown table of contents (`{:toc}`): Lotse shows its own contents; removed"
        } else {
            "kramdown attribute list removed"
        };
        cx.report.add(Topic::NotConverted, cx.src, (cx.line)(start), format!("{what}: `{t}`"));
        edits.replace(from, at, "");
    }
    let out = edits.apply(body);
    (out, edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::convert::{convert, with_test_cx};

    fn run(body: &str, tree: &Tree) -> (String, ImportReport) {
        with_test_cx(body, "docs/a.md", tree, |cx| {
            let (out, _) = convert(body, handler, cx);
            kramdown(&out, cx).0
        })
    }

    #[test]
    fn converts_liquid_links_includes_and_blocks() {
        let tree = Tree::from_files(&[("_posts/2024-01-02-hi.md", ""), ("_includes/plain.md", "Plain *text*.\n")]);
        let (out, r) = run(
            concat!(
                "[a]({{ site.baseurl }}/docs/b.html) [c]({% link docs/c.md %}) [d]({% post_url 2024-01-02-hi %})\n\n",
                "{% include note.html content=\"Be careful.\" %}\n\n{% include plain.md %}\n\n",
                "{% highlight ruby %}\nputs {{ x }}\n{% endhighlight %}\n\n{% raw %}{{ kept }}{% endraw %} {{ page.title }}\n\n",
                "{% if x %}y{% endif %}\n\n{: .warning }\nMind the gap.\n\n* TOC\n{:toc}\n",
            ),
            &tree,
        );
        assert_eq!(
            out,
            concat!(
                "[a](/docs/b.html) [c](/docs/c.md) [d](/_posts/2024-01-02-hi.md)\n\n",
                "> [!NOTE]\n> Be careful.\n\nPlain *text*.\n\n",
                "```ruby\nputs {{ x }}\n```\n\n{{ kept }} Page\n\n",
                "`not imported: {% if x %}`y`not imported: {% endif %}`\n\n> [!WARNING]\n> Mind the gap.\n\n",
            )
        );
        let lines: Vec<(usize, &str)> = r.entries.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].1.contains("{:toc}"), "{lines:?}");
    }

    #[test]
    fn posts_get_their_date_and_slug_from_the_file_name() {
        assert_eq!(post_date("_posts/2024-01-02-hi.md").as_deref(), Some("2024-01-02"));
        assert_eq!(post_slug("2024-01-02-hi"), "hi");
        assert_eq!(post_slug("hello"), "hello");
    }
}
