//! Hugo: `hugo.toml`/`config.*` for the title, `content/` laid out by
//! [`sections`](super::sections), `static/` copied; shortcodes converted
//! where Lotse has the same thing (`ref`/`relref` links, `figure`,
//! `highlight`, admonitions, `details`), the others marked.

use super::convert::{Action, BodyCx, callout, callout_kind, fenced, figure, find_close, inner, is_hugo, verbatim};
use super::meta::{scalar, toml_to_json};
use super::plan::{Plan, Tree};
use super::report::{ImportReport, Topic};
use super::scan::Found;
use super::sections;

const CONFIGS: [&str; 8] = [
    "hugo.toml",
    "config.toml",
    "hugo.yaml",
    "config.yaml",
    "hugo.yml",
    "config.yml",
    "config/_default/hugo.toml",
    "config/_default/config.toml",
];

/// Folders of a Hugo site that hold templates or build output, not content.
const NOT_CONTENT: [&str; 8] = ["layouts", "themes", "archetypes", "assets", "data", "i18n", "resources", "public"];

/// The plan of the Hugo site in `tree`.
pub(crate) fn layout(tree: &Tree, report: &mut ImportReport) -> Plan {
    let found = CONFIGS.iter().find_map(|c| Some((*c, config(tree.text(c)?, c)?)));
    let lang = found
        .as_ref()
        .and_then(|(_, c)| c.get("defaultContentLanguage").and_then(scalar))
        .unwrap_or_else(|| "en".into());
    let dir = found.as_ref().and_then(|(_, c)| {
        let in_lang = c.get("languages").and_then(|l| l.get(&lang)).and_then(|l| l.get("contentDir"));
        c.get("contentDir").or(in_lang).and_then(scalar)
    });
    let mut plan = sections::layout(tree, dir.as_deref().unwrap_or("content").trim_matches('/'), report);
    if let Some((name, cfg)) = found {
        plan.title = cfg.get("title").and_then(scalar);
        plan.description = cfg.get("params").and_then(|p| p.get("description")).and_then(scalar);
        plan.language = cfg.get("defaultContentLanguage").or(cfg.get("languageCode")).and_then(scalar);
        if cfg.get("languages").is_some_and(|l| l.as_object().is_some_and(|o| o.len() > 1)) {
            report.add(
                Topic::SkippedFile,
                name,
                0,
                "several languages are configured; only the default language's files are imported as that language",
            );
        }
    }
    copy_static(tree, "static", &mut plan);
    skip_folders(tree, &NOT_CONTENT, THEME_FILES, report);
    plan
}

/// A config file (TOML or YAML) as JSON.
pub(crate) fn config(text: &str, name: &str) -> Option<serde_json::Value> {
    if name.ends_with(".toml") {
        text.parse::<toml::Table>().ok().map(|t| toml_to_json(toml::Value::Table(t)))
    } else {
        crate::frontmatter::yaml_value(text).ok()
    }
}

/// Copies `dir/…` to `static/…`.
pub(crate) fn copy_static(tree: &Tree, dir: &str, plan: &mut Plan) {
    for f in tree.under(dir) {
        plan.assets.push((f.clone(), format!("static/{}", &f[dir.len() + 1..])));
    }
}

/// What a Hugo or Zola site's template and output folders hold.
pub(crate) const THEME_FILES: &str = "templates, theme or build output: Lotse uses its own theme";

/// One report entry per folder of `folders` that holds files: `N files
/// of WHAT`.
pub(crate) fn skip_folders(tree: &Tree, folders: &[&str], what: &str, report: &mut ImportReport) {
    for d in folders {
        let n = tree.under(d).count();
        if n > 0 {
            report.add(Topic::SkippedFile, &format!("{d}/"), 0, format!("{n} files of {what}"));
        }
    }
}

/// Converts one Hugo shortcode.
pub(crate) fn handler(found: &[Found], i: usize, body: &str, cx: &mut BodyCx) -> Action {
    let f = &found[i];
    if !is_hugo(f) {
        return Action::Keep;
    }
    let name = f.name().to_string();
    if f.closing() {
        return Action::Mark(format!("closing tag of Hugo shortcode `{name}`"));
    }
    let args = f.args();
    let close = || {
        find_close(
            found,
            i,
            |g| is_hugo(g) && !g.closing() && g.name() == name,
            |g| is_hugo(g) && g.closing() && g.name() == name,
        )
    };
    match name.as_str() {
        "ref" | "relref" => match args.get_or("path", 0) {
            Some(p) => Action::Replace(p.to_string()),
            None => Action::Mark("Hugo `ref` without a path".into()),
        },
        "figure" => {
            let src = args.get("src").unwrap_or_default();
            let caption = args.get("caption");
            let alt = args.get("alt").or(caption).or(args.get("title")).unwrap_or_default();
            Action::Replace(figure(src, alt, args.get("title"), caption))
        }
        "highlight" => match close() {
            Some(c) => Action::Block {
                close: c,
                with: fenced(args.positional.first().map_or("", String::as_str), verbatim(found, i, c, body)),
            },
            None => Action::Mark("Hugo `highlight` without its closing tag".into()),
        },
        "details" => match close() {
            Some(c) => {
                let summary = args.get_or("summary", 0).unwrap_or("Details").to_string();
                let text = inner(found, i, c, body, handler, cx);
                Action::Block {
                    close: c,
                    with: format!("<details>\n<summary>{summary}</summary>\n\n{}\n\n</details>", text.trim()),
                }
            }
            None => Action::Mark("Hugo `details` without its closing tag".into()),
        },
        n => admonition(n, found, i, body, cx, close()),
    }
}

/// `{{< hint warning >}}`, `{{% notice tip %}}`, `{{< alert color="info" >}}`,
/// `{{< callout type="note" >}}` and the like.
fn admonition(name: &str, found: &[Found], i: usize, body: &str, cx: &mut BodyCx, close: Option<usize>) -> Action {
    let args = found[i].args();
    let kind = callout_kind(name).map(|k| {
        let given = args
            .get("type")
            .or(args.get("color"))
            .or(args.get("context"))
            .or(args.positional.first().map(String::as_str));
        match (k, given.and_then(callout_kind)) {
            ("NOTE", Some(g)) => g,
            _ => k,
        }
    });
    let (Some(kind), Some(c)) = (kind, close) else {
        return Action::Mark(format!("Hugo shortcode `{name}`"));
    };
    let title = args.get("title");
    let text = inner(found, i, c, body, handler, cx);
    let before = &body[..found[i].range.start];
    Action::Block { close: c, with: callout(kind, title, &text, before.rsplit('\n').next().unwrap_or("")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::convert::{convert, with_test_cx};

    fn run(body: &str) -> (String, ImportReport) {
        with_test_cx(body, "a.md", &Tree::default(), |cx| convert(body, handler, cx).0)
    }

    #[test]
    fn converts_refs_figures_highlights_and_admonitions() {
        let (out, r) = run(concat!(
            "See [install]({{< relref \"docs/install.md#x\" >}}).\n\n",
            "{{< figure src=\"pic.png\" caption=\"A pic\" >}}\n\n",
            "{{< highlight go >}}\nfmt.Println(\"{{ x }}\")\n{{< /highlight >}}\n\n",
            "{{% notice warning %}}\nMind **this**.\n{{% /notice %}}\n\n",
            "{{< hint >}}\nA {{< ref \"a.md\" >}} link.\n{{< /hint >}}\n\n",
            "{{< youtube w7Ft2ymGmfc >}}\n\n```\n{{< x >}}\n```\n",
        ));
        assert_eq!(
            out,
            concat!(
                "See [install](docs/install.md#x).\n\n",
                "![A pic](pic.png)\n*A pic*\n\n",
                "```go\nfmt.Println(\"{{ x }}\")\n```\n\n",
                "> [!WARNING]\n> Mind **this**.\n\n",
                "> [!NOTE]\n> A a.md link.\n\n",
                "`not imported: {{< youtube w7Ft2ymGmfc >}}`\n\n```\n{{< x >}}\n```\n",
            )
        );
        assert_eq!(r.entries.len(), 1);
        assert_eq!(r.entries[0].line, 17);
    }
}
