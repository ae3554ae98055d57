//! Resolving wikilink targets: `[[Title]]`, `[[slug]]` or
//! `[[stage/slug]]`, within the linking page's language. A title matches
//! case-insensitively with its spaces collapsed; a slug is the file name
//! without `.md` (a stage's is its folder name); the path form is the
//! file's path under `content/` without `.md`. More than one page for a
//! target is an error that lists them, as is none (with the closest).

use std::collections::HashMap;

use crate::error::Diagnostic;
use crate::markdown::{WIKI_SYNTAX_HINT, slugify};
use crate::model::{Kind, PageId, Site};

/// Every name a page can be wikilinked by, per language.
pub(crate) struct Index {
    by_name: HashMap<(String, String), Vec<PageId>>,
}

/// A name as compared: lowercase, whitespace runs as one space.
fn normalise(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The names of page `id`: its title, its slug and its path.
fn names(site: &Site, id: PageId) -> Vec<String> {
    let p = &site.pages[id];
    let path = p.key.strip_suffix(".md").unwrap_or(&p.key);
    let mut out = vec![normalise(p.meta.title()), normalise(path)];
    match p.kind {
        Kind::Stage => {
            let dir = path.strip_suffix("/_index").unwrap_or(path);
            out.push(normalise(dir));
            out.extend(p.stage.map(|s| site.stages[s].slug.clone()));
        }
        Kind::Home => {}
        _ => out.push(normalise(path.rsplit('/').next().unwrap_or(path))),
    }
    out.sort();
    out.dedup();
    out
}

impl Index {
    pub(crate) fn new(site: &Site) -> Index {
        let mut by_name: HashMap<(String, String), Vec<PageId>> = HashMap::new();
        for id in 0..site.pages.len() {
            for name in names(site, id) {
                by_name.entry((site.pages[id].lang.clone(), name)).or_default().push(id);
            }
        }
        Index { by_name }
    }

    /// The page `target` names in the language of page `from`, or the
    /// error (at `offset` of `from`'s body) that it names none or several.
    pub(crate) fn find(&self, site: &Site, from: PageId, target: &str, offset: usize) -> Result<PageId, Diagnostic> {
        let page = &site.pages[from];
        let key = normalise(target.trim_start_matches("./").trim_end_matches(".md"));
        let found = self.by_name.get(&(page.lang.clone(), key.clone())).map_or(&[][..], Vec::as_slice);
        let error = |msg: String| Diagnostic::error(&page.source, &page.text, page.body_offset + offset, msg);
        match found {
            [one] => Ok(*one),
            [] => {
                let close = self.closest(site, &page.lang, &key);
                let d = error(format!("wikilink `[[{target}]]`: no page in `{}` has this title or name", page.lang));
                Err(if close.is_empty() {
                    d.with_hint(WIKI_SYNTAX_HINT)
                } else {
                    d.with_hint(format!("candidates: {}", listing(site, &close)))
                })
            }
            many => Err(error(format!("wikilink `[[{target}]]` is ambiguous: {} pages match", many.len())).with_hint(
                format!(
                    "candidates: {}; link one by its path, e.g. `[[{}]]`",
                    listing(site, many),
                    path_name(site, many[0])
                ),
            )),
        }
    }

    /// Up to three pages of `lang` whose names are closest to `key`.
    fn closest(&self, site: &Site, lang: &str, key: &str) -> Vec<PageId> {
        let mut scored: Vec<(f64, PageId)> = self
            .by_name
            .iter()
            .filter(|((l, _), _)| l == lang)
            .flat_map(|((_, name), ids)| {
                let score = strsim::jaro_winkler(key, name).max(if name.contains(key) { 0.9 } else { 0.0 });
                ids.iter().map(move |&id| (score, id))
            })
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<PageId> = Vec::new();
        for (_, id) in scored {
            if !out.contains(&id) && site.pages[id].kind != Kind::Home {
                out.push(id);
            }
        }
        out.truncate(3);
        out
    }
}

/// `[[stage/file]]` for a page: the form that always names one page.
fn path_name(site: &Site, id: PageId) -> String {
    let key = &site.pages[id].key;
    key.strip_suffix("/_index.md").or_else(|| key.strip_suffix(".md")).unwrap_or(key).to_string()
}

/// `` `[[01-a/x]]` ("Title") `` for each page.
fn listing(site: &Site, ids: &[PageId]) -> String {
    ids.iter()
        .map(|&id| format!("`[[{}]]` (\"{}\")", path_name(site, id), site.pages[id].meta.title()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The heading id a wikilink's `#heading` means: an id as written, else
/// the id its text gives (`#Key figures` -> `key-figures`).
pub(crate) fn anchor_id(heading: &str) -> String {
    let plain = heading.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if plain { heading.to_string() } else { slugify(heading) }
}
