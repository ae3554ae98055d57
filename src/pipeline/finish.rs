//! The last steps: warnings about missing translations, the counts of the
//! summary line, and the static, content and theme files copied beside the
//! generated ones.

use crate::Stats;
use crate::error::Diagnostic;
use crate::load::Asset;
use crate::markdown::Rendered;
use crate::model::{Kind, Site};
use crate::output::{OutputFile, Paths};
use crate::theme::Theme;

/// Warns about pages of the default language that lack a translation.
pub(crate) fn translation_warnings(site: &Site) -> Vec<Diagnostic> {
    let others: Vec<&String> = site.config.languages.iter().filter(|l| !site.config.is_default_language(l)).collect();
    let mut out = Vec::new();
    for (id, p) in site.pages.iter().enumerate() {
        if !site.config.is_default_language(&p.lang) {
            continue;
        }
        for lang in &others {
            if !site.translations[id].iter().any(|&t| &&site.pages[t].lang == lang) {
                let stem = p.rel.strip_suffix(".md").unwrap_or(&p.rel);
                out.push(
                    Diagnostic::warning(&p.source, &p.text, 0, format!("no `{lang}` translation of this page"))
                        .with_hint(format!("add `content/{stem}.{lang}.md`")),
                );
            }
        }
    }
    out
}

/// Counts for the summary line.
pub(crate) fn stats(site: &Site, rendered: &[Rendered]) -> Stats {
    let checklist_items = site
        .pages
        .iter()
        .zip(rendered)
        .filter(|(p, _)| p.kind == Kind::Article && p.meta.checklist())
        .map(|(_, r)| r.tasks.len())
        .sum();
    Stats {
        pages: site.pages.len(),
        stages: site.stages.len(),
        languages: site.books.iter().map(|b| b.lang.clone()).collect(),
        checklist_items,
        files: 0,
    }
}

/// What a file to copy would collide with: a generated file at its path or
/// above it, or a generated folder at its path.
fn clash(path: &str, is_file: &dyn Fn(&str) -> bool, is_dir: &dyn Fn(&str) -> bool) -> Option<String> {
    if is_file(path) {
        return Some(format!("Lotse generates `{path}` itself"));
    }
    if is_dir(path) {
        return Some(format!("Lotse generates the folder `{path}/` (pages are written into it)"));
    }
    path.match_indices('/')
        .map(|(i, _)| &path[..i])
        .find(|above| is_file(above))
        .map(|above| format!("Lotse generates the file `{above}`, so there can be no folder of that name"))
}

/// The site's `static/` (which wins over theme files), the files beside the
/// Markdown in `content/`, then the theme's assets. A file at the path of a
/// generated file is not copied, with a warning.
pub(crate) fn copy_assets(
    generated: &Paths,
    theme: &Theme,
    static_files: &[Asset],
    content: &[Asset],
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let site_static = static_files.iter().map(|a| ("static", a.rel.as_str(), &a.bytes));
    let content = content.iter().map(|a| ("content", a.rel.as_str(), &a.bytes));
    let theme_files = theme.static_files.iter().map(|(p, b)| ("theme", p.as_str(), b));
    for (origin, path, bytes) in site_static.chain(content).chain(theme_files) {
        if let Some(why) = clash(path, &|p| generated.has_file(p), &|p| generated.has_dir(p)) {
            if origin != "theme" {
                warnings.push(
                    Diagnostic::warning(&format!("{origin}/{path}"), "", 0, format!("not copied: {why}"))
                        .with_hint("rename or remove the file"),
                );
            }
        } else if seen.insert(path) {
            files.push(OutputFile::bytes(path, bytes.clone()));
        }
    }
    (files, warnings)
}
