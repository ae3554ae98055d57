//! The position check: `assessment:` statements in a stage's `_index.md`
//! (typed, validated at file positions, with stable ids), and in
//! [`book`] what a language's `/assessment/` page is made of.
//!
//! ```yaml
//! assessment:
//!   - text: "Die Geschäftsleitung hat das Vorhaben zu ihrer Sache gemacht."
//!     hint: "Wer leitet den Lenkungsausschuss?"
//!     see: crm-is-leadership.md
//! ```

pub mod book;

use serde::Deserialize;

use crate::error::Diagnostic;

/// One statement of a stage's position check.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The statement readers rate (required, not empty).
    pub text: String,
    /// A question or example that helps to answer it.
    #[serde(default)]
    pub hint: Option<String>,
    /// The article that covers it: a Markdown file relative to the stage
    /// folder (`goal-map.md`), as a link in the `_index.md` would name it.
    #[serde(default)]
    pub see: Option<String>,
    /// A fixed id, for a statement whose answers must survive rewording.
    #[serde(default)]
    pub id: Option<String>,
}

/// Longest explicit statement id.
const MAX_ID: usize = 64;

/// Checks a stage's statements: text given, no control characters, no
/// statement twice, explicit ids usable. `yaml` is the front-matter found
/// at `yaml_offset` of `text` (the whole file); errors point at the entry.
pub fn validate(
    statements: &[Statement],
    path: &str,
    text: &str,
    yaml: &str,
    yaml_offset: usize,
) -> Result<(), Diagnostic> {
    let at = |n: usize| entry_start(yaml, "assessment", n).map_or(yaml_offset, |o| yaml_offset + o);
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for (n, s) in statements.iter().enumerate() {
        let err = |message: String| Diagnostic::error(path, text, at(n), message);
        if s.text.trim().is_empty() {
            return Err(err(format!("statement {} of `assessment` has no text", n + 1))
                .with_hint("write the statement readers rate, or remove the entry"));
        }
        for (key, value) in [("text", Some(&s.text)), ("hint", s.hint.as_ref())] {
            if let Some(c) = value.and_then(|v| v.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
            {
                return Err(err(format!("control character U+{:04X} in `{key}` of statement {}", c as u32, n + 1))
                    .with_hint("remove the escape sequence; control characters cannot be shown or printed"));
            }
        }
        let norm = normalise(&s.text);
        if let Some((_, first)) = seen.iter().find(|(t, _)| *t == norm) {
            return Err(err(format!("statement {} repeats statement {} of `assessment`", n + 1, first + 1))
                .with_hint("ask each statement once: remove or reword one of them"));
        }
        seen.push((norm, n));
        if let Some(id) = s.id.as_deref() {
            if !valid_id(id) {
                return Err(err(format!("`{id}` is no usable statement id"))
                    .with_hint(format!("use lowercase letters, digits and `-`, at most {MAX_ID} characters")));
            }
            if ids.contains(&id) {
                return Err(
                    err(format!("statement id `{id}` is given twice")).with_hint("give each statement its own id")
                );
            }
            ids.push(id);
        }
    }
    Ok(())
}

/// Collapses whitespace and case, as checklist item ids do.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn valid_id(id: &str) -> bool {
    (1..=MAX_ID).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The stable id of a statement of the stage with translation key `stage`
/// (`01-leadership/_index.md`): its explicit `id`, else derived from the
/// stage and the statement's text (case and spacing ignored), so an answer
/// survives edits of other statements, like a checklist item's tick.
pub fn statement_id(stage: &str, statement: &Statement) -> String {
    if let Some(id) = &statement.id {
        return id.clone();
    }
    let hash = fnv1a(normalise(&statement.text).as_bytes(), fnv1a(stage.as_bytes(), 0xcbf2_9ce4_8422_2325));
    format!("s{:012x}", hash & 0xffff_ffff_ffff)
}

fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Byte offset (in `yaml`) of the `n`-th (0-based) entry of the block list
/// under key `key` (indented keys with their spaces: `"  scale"`), or of
/// the key's line for a flow list.
pub(crate) fn entry_start(yaml: &str, key: &str, n: usize) -> Option<usize> {
    let key_indent = key.len() - key.trim_start_matches(' ').len();
    let mut pos = 0;
    let mut lines = yaml.split_inclusive('\n');
    for line in lines.by_ref() {
        pos += line.len();
        if line.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            let key_line = pos - line.len();
            let mut seen = 0;
            let mut indent = None;
            for line in lines {
                let body = line.trim_start_matches(' ');
                let ind = line.len() - body.len();
                if body.trim().is_empty() || body.starts_with('#') {
                    pos += line.len();
                    continue;
                }
                if ind <= key_indent && !body.starts_with('-') {
                    break;
                }
                if body.starts_with('-') && indent.is_none_or(|i| i == ind) {
                    indent = Some(ind);
                    if seen == n {
                        return Some(pos + ind);
                    }
                    seen += 1;
                }
                pos += line.len();
            }
            return Some(key_line);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(text: &str) -> Statement {
        Statement { text: text.into(), ..Statement::default() }
    }

    fn check(yaml: &str, statements: &[Statement]) -> Result<(), Diagnostic> {
        let text = format!("---\n{yaml}---\n");
        validate(statements, "a/_index.md", &text, yaml, 4)
    }

    #[test]
    fn entries_are_found_in_block_lists() {
        let yaml = "title: A\nassessment:\n  - text: one\n    hint: h\n\n  - text: two\norder: 3\n";
        assert_eq!(entry_start(yaml, "assessment", 0), Some(yaml.find("- text: one").unwrap()));
        assert_eq!(entry_start(yaml, "assessment", 1), Some(yaml.find("- text: two").unwrap()));
        assert_eq!(entry_start(yaml, "assessment", 2), Some(yaml.find("assessment").unwrap()));
        assert_eq!(entry_start("assessment: [{text: a}]\n", "assessment", 0), Some(0));
        let nested = "assessment:\n  scale:\n    - a\n    - b\nx: 1\n";
        assert_eq!(entry_start(nested, "  scale", 1), Some(nested.find("- b").unwrap()));
    }

    #[test]
    fn errors_on_empty_text_at_its_entry() {
        let yaml = "title: A\nassessment:\n  - text: one\n  - text: \"  \"\n";
        let d = check(yaml, &[st("one"), st("  ")]).unwrap_err();
        assert_eq!((d.line, d.col), (5, 3));
        assert_eq!(d.message, "statement 2 of `assessment` has no text");
    }

    #[test]
    fn errors_on_a_repeated_statement_ignoring_case_and_spacing() {
        let yaml = "assessment:\n  - text: Ziele sind klar\n  - text: x\n  - text: ziele  sind klar\n";
        let d = check(yaml, &[st("Ziele sind klar"), st("x"), st("ziele  sind klar")]).unwrap_err();
        assert_eq!(d.message, "statement 3 repeats statement 1 of `assessment`");
        assert_eq!(d.line, 5);
    }

    #[test]
    fn errors_on_bad_or_repeated_ids() {
        let bad = Statement { id: Some("Not OK".into()), ..st("a") };
        assert!(check("assessment:\n  - text: a\n", &[bad]).unwrap_err().message.contains("no usable statement id"));
        let a = Statement { id: Some("x".into()), ..st("a") };
        let b = Statement { id: Some("x".into()), ..st("b") };
        assert_eq!(check("", &[a, b]).unwrap_err().message, "statement id `x` is given twice");
    }

    #[test]
    fn ids_are_stable_under_cosmetic_edits_and_differ_by_stage() {
        let a = statement_id("01/_index.md", &st("Ziele sind  klar"));
        assert_eq!(a, statement_id("01/_index.md", &st("ziele sind klar")));
        assert_ne!(a, statement_id("02/_index.md", &st("ziele sind klar")));
        assert_eq!(a.len(), 13);
        assert!(a.starts_with('s'));
        assert_eq!(statement_id("01/_index.md", &Statement { id: Some("fix".into()), ..st("x") }), "fix");
    }
}
