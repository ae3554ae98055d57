//! Converts each planned page: its body through the tool's passes (syntax
//! of the tool, template tags, links), its front-matter through
//! [`fields`](super::fields); the title from the front-matter, the plan
//! (SUMMARY.md, file name) or the first heading.

use std::collections::HashMap;

use super::convert::{self, BodyCx};
use super::edits::{Edits, line_of};
use super::fields::{self, FieldCx};
use super::links::{self, LinkCx, Targets};
use super::plan::{Doc, Plan, Role, Tree, stem, title_from_name};
use super::report::{ImportReport, Topic};
use super::{ImportOptions, Tool, hugo, jekyll, mdbook, obsidian, zola};

/// A pass over a body: the new body and its edits.
type Pass = fn(&str, &mut BodyCx) -> (String, Edits);

/// Every page of the plan as `(path under content/, text)`.
pub(crate) fn convert_all(
    tree: &Tree,
    plan: &Plan,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Vec<(String, String)> {
    let targets = Targets::new(plan);
    let roles: HashMap<String, Role> = plan.docs.iter().map(|d| (format!("content/{}", d.dest), d.role)).collect();
    let site_title = plan.title.clone().unwrap_or_default();
    let mut out = Vec::new();
    let mut converted = 0;
    for doc in &plan.docs {
        let one = Page { tree, doc, targets: &targets, roles: &roles, site_title: &site_title, opts };
        let (text, n) = one.convert(report);
        converted += n;
        report.count(role_name(doc.role), 1);
        out.push((doc.dest.clone(), text));
    }
    if converted > 0 {
        report.count("shortcodes and tags converted", converted);
    }
    out
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Home => "home pages",
        Role::Stage => "stages",
        Role::Article => "articles",
        Role::Page => "pages outside stages",
    }
}

struct Page<'a> {
    tree: &'a Tree,
    doc: &'a Doc,
    targets: &'a Targets,
    roles: &'a HashMap<String, Role>,
    site_title: &'a str,
    opts: &'a ImportOptions,
}

/// The source line of an offset in the body after `chain`'s passes.
fn source_line(text: &str, body_start: usize, chain: &[Edits], mut off: usize) -> usize {
    for e in chain.iter().rev() {
        off = e.old_offset(off);
    }
    line_of(text, body_start + off)
}

impl Page<'_> {
    fn convert(&self, report: &mut ImportReport) -> (String, usize) {
        let src = self.doc.src.as_deref().unwrap_or("");
        let text = self.tree.text(src).unwrap_or(&self.doc.body);
        if let Some((line, msg)) = self.tree.meta_error(src) {
            report.add(
                Topic::DroppedField,
                src,
                *line,
                format!("front-matter could not be read ({msg}); it stays in the page as text"),
            );
        }
        let meta = self.tree.meta(src);
        let body = &text[meta.body_start..];
        let title = meta
            .text(&["title"])
            .or_else(|| self.doc.title.clone())
            .or_else(|| first_heading(body))
            .unwrap_or_else(|| title_from_name(stem(src)));
        let mut chain: Vec<Edits> = Vec::new();
        let mut body = body.to_string();
        let mut converted = 0;
        for pass in self.passes() {
            let line = |o: usize| source_line(text, meta.body_start, &chain, o);
            let mut cx = BodyCx {
                src,
                tree: self.tree,
                title: &title,
                site_title: self.site_title,
                line: &line,
                report: &mut *report,
                base: 0,
                converted: 0,
            };
            let (new, edits) = pass(&body, &mut cx);
            converted += cx.converted;
            chain.push(edits);
            body = new;
        }
        let (new, edits) = drop_title_heading(&body, &title);
        chain.push(edits);
        let line = |o: usize| source_line(text, meta.body_start, &chain, o);
        let cx = LinkCx {
            src,
            dest: &self.doc.dest,
            targets: self.targets,
            wiki: self.opts.from == Tool::Obsidian,
            line: &line,
            roles: self.roles,
        };
        let (body, _) = links::rewrite(&new, &cx, report);
        let fcx = FieldCx { src, stage_field: self.opts.stage_field.as_deref() };
        let yaml = fields::map(self.doc, &meta, &title, &fcx, report);
        let body = body.trim_start_matches('\n');
        (format!("---\n{yaml}---\n\n{body}"), converted)
    }

    fn passes(&self) -> Vec<Pass> {
        match self.opts.from {
            Tool::Hugo => vec![|b, cx| convert::convert(b, hugo::handler, cx)],
            Tool::Zola => vec![|b, cx| convert::convert(b, zola::handler, cx)],
            Tool::Jekyll => vec![|b, cx| convert::convert(b, jekyll::handler, cx), jekyll::kramdown],
            Tool::Mdbook => vec![|b, cx| convert::convert(b, mdbook::handler, cx), mdbook::admonish],
            Tool::Obsidian => vec![obsidian::syntax],
        }
    }
}

/// The text of the first `# ` heading, if the body starts with one.
fn first_heading(body: &str) -> Option<String> {
    let line = body.lines().find(|l| !l.trim().is_empty())?;
    let h = line.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
    (!h.is_empty()).then(|| h.to_string())
}

/// Removes a first `# Title` line that repeats the page title (Lotse shows
/// the title as the page's heading).
fn drop_title_heading(body: &str, title: &str) -> (String, Edits) {
    let mut edits = Edits::default();
    let start = body.len() - body.trim_start_matches(['\n', ' ', '\r']).len();
    let start = body[..start].rfind('\n').map_or(0, |i| i + 1).min(start);
    let end = body[start..].find('\n').map_or(body.len(), |i| start + i + 1);
    if first_heading(body).is_some_and(|h| h == title.trim()) {
        edits.replace(start, end, "");
    }
    let out = edits.apply(body);
    (out, edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_heading_that_repeats_the_title_goes() {
        assert_eq!(drop_title_heading("\n# Intro\n\nText\n", "Intro").0, "\n\nText\n");
        assert_eq!(drop_title_heading("# Other\n\nText\n", "Intro").0, "# Other\n\nText\n");
        assert_eq!(first_heading("\n# A #\n").as_deref(), Some("A"));
    }
}
