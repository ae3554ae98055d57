//! Checks of workshop plans and worksheets that need the whole site: roles
//! that exist, links that resolve, worksheet ids that are unique within
//! their stage and exist where an agenda names them, times that add up.

use std::collections::{BTreeSet, HashMap};

use super::{Workshop, parse_clock};
use crate::error::{Diagnostic, did_you_mean};
use crate::links::Resolver;
use crate::markdown::{LinkRef, Rendered};
use crate::model::{BookStage, Page, PageId, Site};

/// Every problem of every stage's workshop plan and worksheets.
pub(crate) fn check(site: &Site, pages: &[Rendered], resolver: &Resolver) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for page in site.pages.iter().zip(pages).filter(|(p, r)| p.stage.is_none() && !r.worksheets.is_empty()) {
        let (page, r) = page;
        let at = page.body_offset + r.worksheets[0].offset;
        diags.push(
            Diagnostic::error(&page.source, &page.text, at, "a worksheet outside the stages")
                .with_hint("worksheets are printed per stage: move it into an article of a stage"),
        );
    }
    for book in &site.books {
        let roles: BTreeSet<&str> = book
            .series
            .iter()
            .chain(&book.pages)
            .flat_map(|&p| site.pages[p].meta.roles())
            .map(String::as_str)
            .collect();
        for bs in &book.stages {
            let sheets = stage_worksheets(site, pages, bs, &mut diags);
            if let Some(w) = site.pages[bs.page].meta.workshop() {
                let plan = Plan { site, pages, resolver, page: bs.page, roles: &roles, sheets: &sheets };
                plan.check(w, &mut diags);
            }
        }
    }
    diags
}

/// Worksheet ids of a stage with the page each is on; a second use of an
/// id is an error.
fn stage_worksheets<'a>(
    site: &Site,
    pages: &'a [Rendered],
    bs: &BookStage,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<&'a str, PageId> {
    let mut ids: HashMap<&str, PageId> = HashMap::new();
    for &id in std::iter::once(&bs.page).chain(&bs.articles) {
        let page = &site.pages[id];
        for w in &pages[id].worksheets {
            if let Some(&first) = ids.get(w.sheet.id.as_str()) {
                let at = page.body_offset + w.offset;
                let msg = format!("worksheet id `{}` is used twice in this stage", w.sheet.id);
                let hint = format!("the other is in {}; give one an `id:` of its own", site.pages[first].source);
                diags.push(Diagnostic::error(&page.source, &page.text, at, msg).with_hint(hint));
            } else {
                ids.insert(&w.sheet.id, id);
            }
        }
    }
    ids
}

/// What checking one stage's plan needs.
struct Plan<'a> {
    site: &'a Site,
    pages: &'a [Rendered],
    resolver: &'a Resolver<'a>,
    page: PageId,
    roles: &'a BTreeSet<&'a str>,
    sheets: &'a HashMap<&'a str, PageId>,
}

impl Plan<'_> {
    fn stage(&self) -> &Page {
        &self.site.pages[self.page]
    }

    /// The file offset of `needle` in the plan at or after file offset
    /// `from` and before `to`, else `from`.
    fn find(&self, needle: &str, from: usize, to: usize) -> usize {
        let text = &self.stage().text;
        text.get(from..to.min(text.len())).and_then(|s| s.find(needle)).map_or(from, |i| from + i)
    }

    fn error(&self, at: usize, message: impl Into<String>) -> Diagnostic {
        let p = self.stage();
        Diagnostic::error(&p.source, &p.text, at, message)
    }

    fn check(&self, w: &Workshop, diags: &mut Vec<Diagnostic>) {
        let p = self.stage();
        let end = p.yaml.0 + p.yaml.1;
        let start = self.find("workshop:", p.yaml.0, end);
        if w.title.trim().is_empty() {
            diags.push(self.error(self.find("title:", start, end), "the workshop's `title` is empty"));
        }
        if w.duration == 0 {
            diags.push(self.error(self.find("duration:", start, end), "the workshop's `duration` is 0 minutes"));
        }
        if let Some(s) = w.start.as_deref().filter(|s| parse_clock(s).is_none()) {
            diags.push(
                self.error(self.find("start:", start, end), format!("start time `{s}` is not a time of day"))
                    .with_hint("write it as HH:MM, e.g. `start: \"09:00\"`"),
            );
        }
        let roles_at = self.find("participants:", start, end);
        for role in w.participants.iter().filter(|r| !self.roles.contains(r.as_str())) {
            let mut d = self.error(self.find(role, roles_at, end), format!("unknown role `{role}` in `participants`"));
            d.hint = Some(match did_you_mean(role, self.roles.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the site's pages use these roles: {}", self.known_roles()),
            });
            diags.push(d);
        }
        let agenda = self.find("agenda:", start, end);
        let sum = w.agenda_minutes();
        if !w.agenda.is_empty() && sum != w.duration {
            diags.push(
                Diagnostic::warning(
                    &p.source,
                    &p.text,
                    agenda,
                    format!("the agenda adds up to {sum} minutes, but `duration` is {} minutes", w.duration),
                )
                .with_hint(if sum > w.duration {
                    format!("shorten steps by {} minutes or set `duration: {sum}`", sum - w.duration)
                } else {
                    format!("add {} minutes of steps (a break?) or set `duration: {sum}`", w.duration - sum)
                }),
            );
        }
        let starts = item_starts(&p.text, agenda, end);
        for (i, step) in w.agenda.iter().enumerate() {
            let from = starts.get(i).copied().unwrap_or(agenda);
            let to = starts.get(i + 1).copied().unwrap_or(end);
            if step.minutes == 0 {
                diags.push(
                    self.error(self.find("minutes:", from, to), format!("step `{}` takes 0 minutes", step.title)),
                );
            }
            if step.title.trim().is_empty() {
                diags.push(self.error(self.find("title:", from, to), "an agenda step without a title"));
            }
            if let Some(link) = &step.link {
                diags.extend(self.link(link, self.find(link, from, to)));
            }
            if let Some(sheet) = step.worksheet.as_deref().filter(|s| !self.sheets.contains_key(s)) {
                let mut d = self.error(self.find(sheet, from, to), format!("no worksheet `{sheet}` in this stage"));
                let known: Vec<&str> = self.sheets.keys().copied().collect();
                d.hint = Some(match did_you_mean(sheet, known.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if known.is_empty() => {
                        "add a ```worksheet block with this `id:` to one of the stage's articles".into()
                    }
                    None => format!("this stage's worksheets: {}", sorted(known)),
                });
                diags.push(d);
            }
        }
    }

    fn known_roles(&self) -> String {
        sorted(self.roles.iter().copied().collect())
    }

    /// Resolves an agenda link from the stage page; problems at `at`.
    fn link(&self, dest: &str, at: usize) -> Option<Diagnostic> {
        let p = self.stage();
        let r = self.resolver.resolve(
            self.page,
            &LinkRef { dest: dest.to_string(), offset: 0, image: false, kind: crate::markdown::LinkKind::Markdown },
        );
        let relocate = |d: Diagnostic| {
            let mut moved = if d.is_error() {
                Diagnostic::error(&p.source, &p.text, at, d.message)
            } else {
                Diagnostic::warning(&p.source, &p.text, at, d.message)
            };
            moved.hint = d.hint;
            moved
        };
        if let Some(d) = r.diagnostic {
            return Some(relocate(d));
        }
        let edge = r.edge?;
        let anchor = edge.anchor.filter(|a| !a.is_empty())?;
        let target = &self.pages[edge.to];
        let known = target.headings.iter().any(|h| h.id == anchor)
            || target.worksheets.iter().any(|w| format!("worksheet-{}", w.sheet.id) == anchor);
        (!known).then(|| {
            let ids = target.headings.iter().map(|h| h.id.as_str());
            let d = self.error(at, format!("broken anchor `#{anchor}` in `{dest}`"));
            match did_you_mean(&anchor, ids) {
                Some(best) => d.with_hint(format!("did you mean `#{best}`?")),
                None => d,
            }
        })
    }
}

fn sorted(mut v: Vec<&str>) -> String {
    v.sort_unstable();
    v.join(", ")
}

/// File offsets of the list items (`- `) of the block after `from`, at the
/// indentation of the first one.
fn item_starts(text: &str, from: usize, to: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut indent = None;
    let mut pos = text[from..].find('\n').map_or(to, |i| from + i + 1);
    while pos < to {
        let line = &text[pos..text[pos..].find('\n').map_or(text.len(), |i| pos + i)];
        let ws = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[ws..];
        if rest.starts_with("- ") || rest == "-" {
            match indent {
                None => {
                    indent = Some(ws);
                    starts.push(pos);
                }
                Some(i) if i == ws => starts.push(pos),
                _ => {}
            }
        } else if !rest.is_empty() && !rest.starts_with('#') && indent.map_or(ws == 0, |i| ws < i) {
            // The list is over: a key at the agenda's level or above.
            break;
        }
        pos += line.len() + 1;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::item_starts;

    #[test]
    fn finds_the_agenda_items() {
        let text = "workshop:\n  agenda:\n    - minutes: 5\n      title: a\n    - title: b\n      notes:\n        - x\n  materials: []\nnext: 1\n";
        let from = text.find("agenda:").unwrap();
        let starts = item_starts(text, from, text.len());
        assert_eq!(starts.len(), 2);
        assert!(text[starts[1]..].starts_with("    - title: b"));
    }
}
