//! Finds the template tags of other generators in a Markdown body:
//! Hugo shortcodes (`{{< x >}}`, `{{% x %}}`), Zola shortcodes and Liquid
//! (`{{ x }}`, `{% x %}`), mdBook's `{{#include}}`; and which of them sit in
//! code, where generators leave most tags alone.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The delimiters of a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delim {
    /// `{{< … >}}` (Hugo, inner Markdown not rendered).
    Angle,
    /// `{{% … %}}` (Hugo, inner Markdown rendered).
    Percent,
    /// `{{ … }}` (Liquid output, Zola inline shortcode).
    Expr,
    /// `{% … %}` (Liquid tag, Zola body shortcode).
    Stmt,
    /// `{{#name …}}` (mdBook).
    Hash,
}

/// A tag as found.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Byte range in the body, delimiters included.
    pub range: Range<usize>,
    pub delim: Delim,
    /// What is between the delimiters, trimmed (Liquid's `-` stripped).
    pub inner: String,
    /// Hugo's and Zola's escaped form, `{{</* x */>}}`: shown as written.
    pub escaped: bool,
    /// Inside a code block or code span.
    pub in_code: bool,
}

impl Found {
    /// The tag's name: its first word, without a leading `/` and without
    /// Zola's argument list (`note(kind="x")` -> `note`).
    pub fn name(&self) -> &str {
        let s = self.inner.trim_start_matches('/').trim_start();
        let end = s.find(|c: char| c.is_whitespace() || c == '(' || c == '"').unwrap_or(s.len());
        &s[..end]
    }

    /// A closing Hugo shortcode (`{{< /x >}}`).
    pub fn closing(&self) -> bool {
        self.inner.starts_with('/')
    }

    /// The arguments after the name.
    pub fn args(&self) -> Args {
        let s = self.inner.trim_start_matches('/').trim_start();
        let rest = &s[self.name().len()..];
        let rest = rest.trim().trim_end_matches('/').trim();
        let rest = match rest.strip_prefix('(') {
            Some(r) => r.strip_suffix(')').unwrap_or(r),
            None => rest,
        };
        Args::parse(rest)
    }
}

/// Arguments of a tag: positional and named (`key="v"`, `key=v`, `key: v`).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Args {
    pub positional: Vec<String>,
    pub named: Vec<(String, String)>,
}

impl Args {
    fn parse(s: &str) -> Args {
        let mut out = Args::default();
        let toks = tokens(s);
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            if !t.1 && (t.0.ends_with('=') || t.0.ends_with(':')) && i + 1 < toks.len() {
                out.named.push((t.0[..t.0.len() - 1].to_string(), toks[i + 1].0.clone()));
                i += 2;
            } else if let (false, Some((k, v))) = (t.1, t.0.split_once('=')) {
                out.named.push((k.to_string(), v.to_string()));
                i += 1;
            } else {
                out.positional.push(t.0.clone());
                i += 1;
            }
        }
        out
    }

    /// The named argument `key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.named.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// A named argument, else the positional one at `i`.
    pub fn get_or(&self, key: &str, i: usize) -> Option<&str> {
        self.get(key).or(self.positional.get(i).map(String::as_str))
    }
}

/// Words split at whitespace and commas, quotes removed; `key="v"` stays one
/// token `key=v`. Each with whether it was quoted as a whole.
fn tokens(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted_whole = false;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' || c == '`' => {
                quoted_whole = cur.is_empty();
                quote = Some(c);
            }
            None if c.is_whitespace() || c == ',' => {
                if !cur.is_empty() || quoted_whole {
                    out.push((std::mem::take(&mut cur), quoted_whole));
                }
                quoted_whole = false;
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() || quoted_whole {
        out.push((cur, quoted_whole));
    }
    out
}

/// Byte ranges of code blocks and code spans in `body`.
pub(crate) fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    for (e, r) in Parser::new_ext(body, opts).into_offset_iter() {
        match e {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => out.push(r),
            _ => {}
        }
    }
    out
}

/// Every tag in `body`, in order. A `{{` or `{%` without its closing
/// delimiter is no tag.
pub(crate) fn tags(body: &str) -> Vec<Found> {
    let code = code_ranges(body);
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = body[at..].find('{').map(|i| at + i) {
        at = i + 1;
        let Some(found) = tag_at(body, i) else { continue };
        at = found.range.end;
        let in_code = code.iter().any(|r| r.start <= i && i < r.end);
        out.push(Found { in_code, ..found });
    }
    out
}

fn tag_at(body: &str, i: usize) -> Option<Found> {
    let rest = &body[i..];
    let (delim, open, close) = if rest.starts_with("{{<") {
        (Delim::Angle, 3, ">}}")
    } else if rest.starts_with("{{%") {
        (Delim::Percent, 3, "%}}")
    } else if rest.starts_with("{{#") {
        (Delim::Hash, 3, "}}")
    } else if rest.starts_with("{{") {
        (Delim::Expr, 2, "}}")
    } else if rest.starts_with("{%") {
        (Delim::Stmt, 2, "%}")
    } else {
        return None;
    };
    let end = rest[open..].find(close)? + open;
    let raw = &rest[open..end];
    if raw.contains("\n\n") && delim != Delim::Stmt {
        return None;
    }
    let mut inner = raw.trim();
    let escaped = inner.starts_with("/*") && inner.ends_with("*/");
    if escaped {
        inner = inner[2..inner.len() - 2].trim();
    }
    let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
    Some(Found { range: i..i + end + close.len(), delim, inner: inner.to_string(), escaped, in_code: false })
}

/// The tag as a Hugo or Zola author reads it after escaping is undone:
/// `{{</* x */>}}` -> `{{< x >}}`.
pub(crate) fn unescaped(f: &Found) -> String {
    match f.delim {
        Delim::Angle => format!("{{{{< {} >}}}}", f.inner),
        Delim::Percent => format!("{{{{% {} %}}}}", f.inner),
        Delim::Expr => format!("{{{{ {} }}}}", f.inner),
        Delim::Stmt => format!("{{% {} %}}", f.inner),
        Delim::Hash => format!("{{{{#{}}}}}", f.inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hugo_zola_liquid_and_mdbook_tags() {
        let body = "a {{< ref \"x.md\" >}} b {{% notice tip %}} c {{ youtube(id=\"q\") }} {% link a.md %} {{#include f.rs:2:4}}";
        let t = tags(body);
        let kinds: Vec<_> = t.iter().map(|f| (f.delim, f.name().to_string())).collect();
        assert_eq!(
            kinds,
            vec![
                (Delim::Angle, "ref".into()),
                (Delim::Percent, "notice".into()),
                (Delim::Expr, "youtube".into()),
                (Delim::Stmt, "link".into()),
                (Delim::Hash, "include".into()),
            ]
        );
        assert_eq!(t[0].args().positional, vec!["x.md".to_string()]);
        assert_eq!(t[2].args().get("id"), Some("q"));
        assert_eq!(&body[t[3].range.clone()], "{% link a.md %}");
    }

    #[test]
    fn knows_tags_in_code_and_escaped_ones() {
        let body = "```\n{{< x >}}\n```\n\n`{{ y }}` and {{</* z */>}}\n";
        let t = tags(body);
        assert!(t[0].in_code && t[1].in_code && !t[2].in_code);
        assert!(t[2].escaped);
        assert_eq!(unescaped(&t[2]), "{{< z >}}");
    }

    #[test]
    fn parses_named_and_quoted_arguments() {
        let f = tags("{{< figure src=\"a b.png\" alt='An image' caption=\"c\" >}}").remove(0);
        let a = f.args();
        assert_eq!(a.get("src"), Some("a b.png"));
        assert_eq!(a.get("alt"), Some("An image"));
        let z = tags("{% note(kind=\"warning\", title=\"Careful\") %}").remove(0);
        assert_eq!(z.name(), "note");
        assert_eq!(z.args().get("title"), Some("Careful"));
        let l = tags("{% include note.html content=\"Be careful, really\" %}").remove(0);
        assert_eq!(l.args().positional, vec!["note.html".to_string()]);
        assert_eq!(l.args().get("content"), Some("Be careful, really"));
    }

    #[test]
    fn leaves_an_unclosed_brace_alone() {
        assert!(tags("a { b {{ c").is_empty());
        assert!(tags("{{ a\n\nb }}").is_empty());
    }
}
