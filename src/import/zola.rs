//! Zola: `config.toml` for title, description and language, `content/`
//! laid out by [`sections`](super::sections) (TOML `+++` front-matter,
//! `@/` links), `static/` copied; shortcodes (`{{ name(…) }}`,
//! `{% name(…) %}…{% end %}`) converted where Lotse has the same thing.

use super::convert::{Action, BodyCx, callout, callout_kind, fenced, figure, find_close, inner};
use super::hugo::{THEME_FILES, config, copy_static, skip_folders};
use super::meta::scalar;
use super::plan::{Plan, Tree};
use super::report::ImportReport;
use super::scan::{Delim, Found};
use super::sections;

/// The plan of the Zola site in `tree`.
pub(crate) fn layout(tree: &Tree, report: &mut ImportReport) -> Plan {
    let mut plan = sections::layout(tree, "content", report);
    if let Some(cfg) = tree.text("config.toml").or(tree.text("zola.toml")).and_then(|t| config(t, "config.toml")) {
        plan.title = cfg.get("title").and_then(scalar);
        plan.description = cfg.get("description").and_then(scalar);
        plan.language = cfg.get("default_language").and_then(scalar);
    }
    copy_static(tree, "static", &mut plan);
    skip_folders(tree, &["templates", "themes", "sass", "public"], THEME_FILES, report);
    plan
}

/// A Zola shortcode call: `name(…)`, or the `end` of a body shortcode.
fn is_call(f: &Found) -> bool {
    let n = f.name();
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && f.inner[n.len()..].trim_start().starts_with('(')
        && f.inner.ends_with(')')
}

fn is_end(f: &Found) -> bool {
    f.delim == Delim::Stmt && f.inner == "end"
}

/// Converts one Zola shortcode.
pub(crate) fn handler(found: &[Found], i: usize, body: &str, cx: &mut BodyCx) -> Action {
    let f = &found[i];
    if is_end(f) {
        return Action::Mark("end of a Zola body shortcode".into());
    }
    if !is_call(f) || !matches!(f.delim, Delim::Expr | Delim::Stmt) {
        return Action::Keep;
    }
    let name = f.name().to_string();
    let args = f.args();
    if f.delim == Delim::Expr {
        return match name.as_str() {
            "image" | "figure" | "img" | "resize_image" => {
                let src = args.get("src").or(args.get("path")).unwrap_or_default();
                let caption = args.get("caption");
                Action::Replace(figure(
                    src,
                    args.get("alt").or(caption).unwrap_or_default(),
                    args.get("title"),
                    caption,
                ))
            }
            _ => Action::Mark(format!("Zola shortcode `{name}`")),
        };
    }
    let Some(close) = find_close(found, i, |g| g.delim == Delim::Stmt && is_call(g), is_end) else {
        return Action::Mark(format!("Zola body shortcode `{name}` without `{{% end %}}`"));
    };
    if name == "code" || name == "highlight" {
        let text = &body[f.range.end..found[close].range.start];
        return Action::Block { close, with: fenced(args.get_or("lang", 0).unwrap_or(""), text) };
    }
    let given = args.get("type").or(args.get("kind")).or(args.get("level")).and_then(callout_kind);
    let Some(kind) = callout_kind(&name).map(|k| if k == "NOTE" { given.unwrap_or(k) } else { k }) else {
        return Action::Mark(format!("Zola body shortcode `{name}`"));
    };
    let text = inner(found, i, close, body, handler, cx);
    let before = body[..f.range.start].rsplit('\n').next().unwrap_or("");
    Action::Block { close, with: callout(kind, args.get("title").or(args.get("header")), &text, before) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::convert::{convert, with_test_cx};

    #[test]
    fn converts_body_shortcodes_and_marks_unknown_ones() {
        let body = "{% note(title=\"Heads up\") %}\nRead [this](@/a.md).\n{% end %}\n\n{{ youtube(id=\"x\") }}\n\n{{ page.title }} stays.\n\n{% mermaid(width=\"A\") %}\nQ\n{% end %}\n";
        let (out, r) = with_test_cx(body, "a.md", &Tree::default(), |cx| convert(body, handler, cx).0);
        assert_eq!(
            out,
            "> [!NOTE]\n> **Heads up**\n>\n> Read [this](@/a.md).\n\n`not imported: {{ youtube(id=\"x\") }}`\n\n{{ page.title }} stays.\n\n`not imported: {% mermaid(width=\"A\") %}`\nQ\n`not imported: {% end %}`\n"
        );
        let lines: Vec<usize> = r.entries.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![5, 9, 11]);
    }
}
