//! The import report: what was carried over (counts per kind) and every
//! construct that was not, or only changed, with its source file and line.
//! Shown on the terminal and written as `IMPORT-REPORT.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a report entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// A front-matter field left out (its value is in no page).
    DroppedField,
    /// A front-matter field kept under another name (`extra`, `facts`, ...).
    MovedField,
    /// An alias or redirect: Lotse has none, so the old URL is gone.
    Alias,
    /// A shortcode, Liquid tag or other syntax left as a visible marker.
    NotConverted,
    /// A link whose target is not among the imported files.
    UnresolvedLink,
    /// A file not imported (a template, an HTML page, ...).
    SkippedFile,
    /// A page moved or renamed beyond the usual mapping (flattened folder).
    Moved,
}

impl Topic {
    /// The heading of the topic's section.
    pub fn heading(self) -> &'static str {
        match self {
            Topic::DroppedField => "Front-matter fields dropped",
            Topic::MovedField => "Front-matter fields moved",
            Topic::Alias => "Aliases and redirects (Lotse has none; the old URLs are gone)",
            Topic::NotConverted => "Shortcodes and tags not converted (marked `not imported:` in the page)",
            Topic::UnresolvedLink => "Links that could not be resolved",
            Topic::SkippedFile => "Files not imported",
            Topic::Moved => "Pages moved",
        }
    }
}

/// One entry: where in the source, and what happened.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub topic: Topic,
    /// Path relative to the source folder.
    pub src: String,
    /// 1-based line in the source file (0: the whole file).
    pub line: usize,
    pub message: String,
}

/// The whole report.
#[derive(Debug, Default, Clone)]
pub struct ImportReport {
    /// The tool imported from (`hugo`, ...).
    pub from: String,
    /// Counts of what was carried over, by kind (`pages`, `stages`, ...).
    pub counts: BTreeMap<&'static str, usize>,
    pub entries: Vec<Entry>,
}

impl ImportReport {
    /// Adds an entry.
    pub fn add(&mut self, topic: Topic, src: &str, line: usize, message: impl Into<String>) {
        self.entries.push(Entry { topic, src: src.to_string(), line, message: message.into() });
    }

    /// Adds `n` to the count of `kind`.
    pub fn count(&mut self, kind: &'static str, n: usize) {
        *self.counts.entry(kind).or_default() += n;
    }

    /// The entries of one topic.
    pub fn of(&self, topic: Topic) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.topic == topic)
    }

    /// Sorted by topic, file and line, duplicates removed.
    pub fn finish(&mut self) {
        self.entries.sort_by(|a, b| (a.topic, &a.src, a.line).cmp(&(b.topic, &b.src, b.line)));
        self.entries.dedup();
    }

    /// The one-line summary of the counts.
    pub fn summary(&self) -> String {
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, v)| format!("{v} {}", if *v == 1 { singular(k) } else { (*k).into() }))
            .collect();
        let open = self.entries.iter().filter(|e| e.topic != Topic::MovedField && e.topic != Topic::Moved).count();
        let look = if open == 1 { "1 item".to_string() } else { format!("{open} items") };
        format!("imported from {}: {}; {look} to look at", self.from, counts.join(", "))
    }

    /// The report as Markdown (`IMPORT-REPORT.md`).
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# Import report\n\n{}.\n\n| kind | count |\n|---|---|\n", self.summary());
        for (k, v) in &self.counts {
            let _ = writeln!(out, "| {k} | {v} |");
        }
        for topic in TOPICS {
            let entries: Vec<&Entry> = self.of(topic).collect();
            if entries.is_empty() {
                continue;
            }
            let _ = write!(out, "\n## {} ({})\n\n", topic.heading(), entries.len());
            for e in entries {
                let _ = writeln!(out, "- `{}`: {}", location(e), e.message.replace('\n', " "));
            }
        }
        out
    }

    /// The report for the terminal: `src:line: message` per entry.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for topic in TOPICS {
            let entries: Vec<&Entry> = self.of(topic).collect();
            if entries.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{} ({}):", topic.heading(), entries.len());
            for e in entries.iter().take(SHOWN) {
                let _ = writeln!(out, "  {}: {}", location(e), e.message.replace('\n', " "));
            }
            if entries.len() > SHOWN {
                let _ = writeln!(out, "  … and {} more in IMPORT-REPORT.md", entries.len() - SHOWN);
            }
        }
        out
    }
}

/// A count's kind for one of it: `files copied` -> `file copied`, `home
/// pages` -> `home page` (kinds are plural, most with the noun first).
fn singular(kind: &str) -> std::borrow::Cow<'_, str> {
    match kind {
        "shortcodes and tags converted" => "shortcode or tag converted".into(),
        "home pages" => "home page".into(),
        _ => match kind.split_once(' ') {
            Some((noun, rest)) => format!("{} {rest}", noun.strip_suffix('s').unwrap_or(noun)).into(),
            None => kind.strip_suffix('s').unwrap_or(kind).into(),
        },
    }
}

/// Entries per topic shown on the terminal (the file has all).
const SHOWN: usize = 12;

const TOPICS: [Topic; 7] = [
    Topic::UnresolvedLink,
    Topic::NotConverted,
    Topic::SkippedFile,
    Topic::Alias,
    Topic::DroppedField,
    Topic::MovedField,
    Topic::Moved,
];

fn location(e: &Entry) -> String {
    if e.line == 0 { e.src.clone() } else { format!("{}:{}", e.src, e.line) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_entries_by_topic_with_file_and_line() {
        let mut r = ImportReport { from: "hugo".into(), ..ImportReport::default() };
        r.count("pages", 3);
        r.add(Topic::NotConverted, "content/a.md", 4, "shortcode `youtube`");
        r.add(Topic::MovedField, "content/a.md", 2, "`layout` -> `extra.layout`");
        r.add(Topic::NotConverted, "content/a.md", 4, "shortcode `youtube`");
        r.finish();
        let md = r.to_markdown();
        assert!(md.contains("imported from hugo: 3 pages; 1 item to look at"), "{md}");
        let mut one = ImportReport { from: "zola".into(), ..ImportReport::default() };
        for kind in ["home pages", "files copied", "stages", "pages outside stages", "shortcodes and tags converted"] {
            one.count(kind, 1);
        }
        one.count("articles", 2);
        assert_eq!(
            one.summary(),
            "imported from zola: 2 articles, 1 file copied, 1 home page, 1 page outside stages, \
             1 shortcode or tag converted, 1 stage; 0 items to look at"
        );
        assert!(md.contains("## Shortcodes and tags not converted (marked `not imported:` in the page) (1)"), "{md}");
        assert!(md.contains("- `content/a.md:4`: shortcode `youtube`"), "{md}");
        assert!(r.to_text().contains("  content/a.md:2: `layout` -> `extra.layout`"));
    }
}
