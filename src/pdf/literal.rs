//! Typst string literals: the one way text reaches Typst code as data
//! (escaped, so no title or path can end the string and run code). A leaf
//! module: the Markdown's Typst writer, the PDF templates and the PDF
//! images all use it.

use std::fmt::Write;

/// `s` as a Typst string literal.
pub fn string_into(out: &mut String, s: &str) {
    out.push('"');
    string_body(out, s);
    out.push('"');
}

/// `s` escaped for the inside of a Typst string literal.
pub fn string_body(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// `s` as a Typst string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    string_into(&mut out, s);
    out
}
