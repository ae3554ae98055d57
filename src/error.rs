//! Fatal errors (`Error`) and located content problems (`Diagnostic`).
//!
//! Content problems are collected, sorted and reported together; only I/O and
//! set-up failures abort a build early.

use std::fmt;
use std::path::PathBuf;

/// A failure that stops the build before content can be judged.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The site root has no `site.yaml` and no `content/`.
    #[error("{} is not a Lotse site: neither site.yaml nor content/ found (run `lotse init DIR` to start one)", .0.display())]
    NotASite(PathBuf),
    /// The output folder may not be written (see `write::resolve`).
    #[error(transparent)]
    OutDir(#[from] Refused),
    /// An option given to the build cannot be used.
    #[error("{0}")]
    Usage(String),
    /// The build was asked to stop (Ctrl+C); nothing was written.
    #[error("interrupted; the output was left as it was")]
    Interrupted,
}

/// Why an output folder was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("refusing to write to {}: {reason}", path.display())]
pub struct Refused {
    /// The output folder as given.
    pub path: PathBuf,
    /// What is wrong, with what to do instead.
    pub reason: String,
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

/// A content problem at a 1-based `line:col` of a file under the site root.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where we know.
    pub hint: Option<String>,
    /// The offending line, without its line ending.
    pub source_line: String,
    /// The byte offset in the file plus one, while the text it was found
    /// in ended before it: a one-off build holds only the front matter of
    /// each file after reading it, and [`Diagnostic::place`] finds the line
    /// once the file is read again. (Four bytes: a diagnostic stays as
    /// small as it was.)
    #[serde(skip)]
    pub unplaced: Option<std::num::NonZeroU32>,
}

impl Diagnostic {
    /// An error at `offset` (a byte offset into `text`, the whole file).
    pub fn error(path: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        Self::at(Severity::Error, path, text, offset, message)
    }

    /// A warning at `offset` (a byte offset into `text`, the whole file).
    pub fn warning(path: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        Self::at(Severity::Warning, path, text, offset, message)
    }

    fn at(severity: Severity, path: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(text, offset);
        Diagnostic {
            severity,
            path: path.to_string(),
            line,
            col,
            message: message.into(),
            hint: None,
            source_line: line_text(text, line).to_string(),
            unplaced: (offset >= text.len())
                .then(|| u32::try_from(offset + 1).ok().and_then(std::num::NonZeroU32::new))
                .flatten(),
        }
    }

    /// Places a diagnostic made from a shortened text ([`Diagnostic::unplaced`])
    /// in `text`, the whole file.
    pub fn place(&mut self, text: &str) {
        if let Some(offset) = self.unplaced.take() {
            (self.line, self.col) = line_col(text, offset.get() as usize - 1);
            self.source_line = line_text(text, self.line).to_string();
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (&self.path, self.line, self.col, self.severity, &self.message)
    }
}

/// Sorts diagnostics by path, position, then message, and removes exact duplicates.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error: message`, the line with a caret, then the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{}:{}:{}: {kind}: {}", self.path, self.line, self.col, self.message)?;
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        let (shown, caret_at) = excerpt(&self.source_line, self.col);
        writeln!(f, "{pad} |")?;
        writeln!(f, "{number} | {shown}")?;
        let caret_pad: String = shown.chars().take(caret_at).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        write!(f, "{pad} | {caret_pad}^")?;
        if let Some(hint) = &self.hint {
            write!(f, "\n{pad} = hint: {hint}")?;
        }
        Ok(())
    }
}

/// At most `WIDTH` characters of `line` around 1-based column `col`, with
/// `…` where text was cut, and the 0-based position of the column in it.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    let at = col.saturating_sub(1).min(chars.len());
    if chars.len() <= WIDTH {
        return (line.to_string(), at);
    }
    let start = at.saturating_sub(WIDTH / 3);
    let end = (start + WIDTH).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, at - start + usize::from(start > 0))
}

/// Turns a byte offset into a 1-based line and a 1-based column in characters.
///
/// Offsets past the end land on the last position; offsets inside a UTF-8
/// sequence count the character they belong to. `\r\n` ends a line like `\n`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = before[line_start..].iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
    (line, col)
}

/// The text of 1-based `line`, without its line ending (empty if out of range).
pub fn line_text(text: &str, line: usize) -> &str {
    text.split('\n').nth(line.saturating_sub(1)).map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or("")
}

/// The closest candidate to `word`, if one is close enough to suggest.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let text = "ab\nÜber x\r\nz";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // "Über " is 6 bytes, 5 chars: offset of 'x' is 3 + 6.
        assert_eq!(line_col(text, 9), (2, 6));
        assert_eq!(line_col(text, text.len()), (3, 2));
        assert_eq!(line_col(text, 999), (3, 2));
    }

    #[test]
    fn a_diagnostic_beyond_a_shortened_text_is_placed_in_the_whole_file() {
        let file = "---\ntitle: A\n---\n\nSee [x](y.md).\n";
        let front = &file[..file.find("\n\n").unwrap() + 1];
        let at = file.find("[x]").unwrap();
        let mut d = Diagnostic::error("content/a.md", front, at, "broken link");
        assert!(d.unplaced.is_some());
        d.place(file);
        assert_eq!((d.line, d.col, d.source_line.as_str()), (5, 5, "See [x](y.md)."));
        assert_eq!(d.unplaced, None);
        // Inside the text it is placed at once.
        assert_eq!(Diagnostic::error("content/a.md", file, 4, "x").unplaced, None);
    }

    #[test]
    fn line_text_strips_crlf() {
        assert_eq!(line_text("a\r\nb\r\n", 1), "a");
        assert_eq!(line_text("a\r\nb\r\n", 2), "b");
        assert_eq!(line_text("a", 5), "");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}[x](y.md){}", "a".repeat(300), "b".repeat(300));
        let (shown, at) = excerpt(&line, 301);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(at), Some('['));
    }

    #[test]
    fn suggests_close_names_only() {
        let fields = ["title", "summary", "order"];
        assert_eq!(did_you_mean("sumary", fields), Some("summary"));
        assert_eq!(did_you_mean("zzz", fields), None);
    }

    #[test]
    fn display_shows_location_line_caret_and_hint() {
        let d = Diagnostic::error("content/a.md", "---\nsumary: x\n", 4, "unknown field `sumary`")
            .with_hint("did you mean `summary`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: error: unknown field `sumary`\n  |\n2 | sumary: x\n  | ^\n  = hint: did you mean `summary`?"
        );
    }
}
