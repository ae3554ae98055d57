//! Other generators' front-matter: YAML between `---` lines or TOML
//! between `+++` lines, read into one ordered list of fields, each with
//! the line it is written on.

use serde_json::{Map, Value};

use super::edits::line_of;

/// A source file split into its front-matter fields and its body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    /// Fields in the order written (TOML tables last, as TOML has them).
    pub fields: Vec<(String, Value)>,
    /// 1-based line of each field in the file.
    pub lines: Vec<usize>,
    /// Byte offset of the body in the file.
    pub body_start: usize,
}

impl Meta {
    /// The value of field `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of the first of `keys` that is set, as text.
    pub fn text(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.get(k).and_then(scalar))
    }

    /// The line of field `key` (the first line of the front-matter if unknown).
    pub fn line(&self, key: &str) -> usize {
        self.fields.iter().position(|(k, _)| k == key).map_or(1, |i| self.lines[i])
    }
}

/// A string, number or boolean as text.
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Splits `text` into front-matter and body. A file without front-matter
/// has no fields; front-matter that does not parse is an error with its
/// 1-based line.
pub(crate) fn split(text: &str) -> Result<Meta, (usize, String)> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let t = &text[text_start..];
    let first_end = t.find('\n').map_or(t.len(), |i| i + 1);
    let fence = t[..first_end].trim_end();
    if fence != "---" && fence != "+++" {
        return Ok(Meta { body_start: text_start, ..Meta::default() });
    }
    let mut pos = first_end;
    while pos < t.len() {
        let end = t[pos..].find('\n').map_or(t.len(), |i| pos + i + 1);
        let line = t[pos..end].trim_end();
        if line == fence || (fence == "---" && line == "...") {
            let block = &t[first_end..pos];
            let offset = text_start + first_end;
            let value = parse(block, fence == "+++").map_err(|(at, msg)| (line_of(text, offset + at), msg))?;
            let fields = match value {
                Value::Object(map) => ordered(block, map),
                Value::Null => Vec::new(),
                _ => return Err((line_of(text, offset), "front-matter is not a list of `name: value` fields".into())),
            };
            let lines = fields.iter().map(|(k, _)| line_of(text, offset + key_at(block, k))).collect();
            return Ok(Meta { fields, lines, body_start: text_start + end });
        }
        pos = end;
    }
    Err((1, format!("front-matter opened with `{fence}` is never closed")))
}

fn parse(block: &str, toml: bool) -> Result<Value, (usize, String)> {
    if !toml {
        return crate::frontmatter::yaml_value(block);
    }
    match block.parse::<toml::Table>() {
        Ok(t) => Ok(toml_to_json(toml::Value::Table(t))),
        Err(e) => Err((e.span().map_or(0, |s| s.start), format!("TOML: {}", e.message()))),
    }
}

/// A TOML value as JSON; dates and times as their text (`2024-05-01`).
pub(crate) fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// The fields in the order they are written in `block`.
fn ordered(block: &str, map: Map<String, Value>) -> Vec<(String, Value)> {
    let mut fields: Vec<(String, Value)> = map.into_iter().collect();
    fields.sort_by_key(|(k, _)| key_at(block, k));
    fields
}

/// Byte offset of the line that sets top-level key `key` (`key:`,
/// `key =`, `[key]`), or the end of the block.
fn key_at(block: &str, key: &str) -> usize {
    let mut at = 0;
    for line in block.split_inclusive('\n') {
        let l = line.trim_start_matches(['"', '\'']);
        let table = line.trim() == format!("[{key}]");
        if table || (line.starts_with(key) || l.starts_with(key)) && after_key(l, key) {
            return at;
        }
        at += line.len();
    }
    block.len()
}

fn after_key(line: &str, key: &str) -> bool {
    let rest = line[key.len()..].trim_start_matches(['"', '\'']).trim_start();
    rest.starts_with(':') || rest.starts_with('=')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_front_matter_in_written_order_with_lines() {
        let m = split("---\ntitle: A\nweight: 3\ndate: 2024-05-01\n---\nBody\n").unwrap();
        let keys: Vec<&str> = m.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["title", "weight", "date"]);
        assert_eq!(m.lines, [2, 3, 4]);
        assert_eq!(m.text(&["date"]).as_deref(), Some("2024-05-01"));
        assert_eq!(&"---\ntitle: A\nweight: 3\ndate: 2024-05-01\n---\nBody\n"[m.body_start..], "Body\n");
    }

    #[test]
    fn reads_toml_front_matter_with_dates_and_tables() {
        let m = split("+++\ntitle = \"B\"\ndate = 2024-05-01\n[extra]\nlevel = 2\n+++\n\nBody").unwrap();
        assert_eq!(m.text(&["title"]).as_deref(), Some("B"));
        assert_eq!(m.text(&["date"]).as_deref(), Some("2024-05-01"));
        assert_eq!(m.line("extra"), 4);
        assert_eq!(m.get("extra").unwrap()["level"], 2);
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let m = split("# Title\n").unwrap();
        assert!(m.fields.is_empty());
        assert_eq!(m.body_start, 0);
    }

    #[test]
    fn reports_the_line_of_bad_front_matter() {
        let (line, msg) = split("+++\ntitle = \"B\"\ndate = = 3\n+++\n").unwrap_err();
        assert_eq!(line, 3, "{msg}");
        assert!(split("---\ntitle: a\n").unwrap_err().1.contains("never closed"));
    }
}
