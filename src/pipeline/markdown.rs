//! The Markdown step: every page's Markdown rendered with its links
//! resolved (reusing what an earlier build rendered from the same text in
//! the same link environment), and the pages again as sections of the
//! one-page print version.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::hash::hash_of;
use crate::links::{Edge, Resolver};
use crate::markdown::{self, LinkKind, MdOptions, Rendered, TypstMode};
use crate::model::{PageId, Site};
use crate::render;
use crate::theme::Theme;

/// The Markdown step's result for one page, kept by the preview and handed
/// back while the page's text and the link environment stay the same.
#[derive(Debug, Clone)]
pub(crate) struct PageMarkdown {
    pub(crate) text: u64,
    pub(crate) rendered: Rendered,
    pub(crate) edges: Vec<Edge>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Markdown results by page path, for a later build.
pub(crate) fn by_path(
    pages: Vec<crate::model::Page>,
    rendered: Vec<Rendered>,
    meta: Vec<MdMeta>,
) -> HashMap<String, PageMarkdown> {
    pages
        .into_iter()
        .zip(rendered.into_iter().zip(meta))
        .map(|(p, (rendered, m))| {
            (p.rel, PageMarkdown { text: m.text, rendered, edges: m.edges, diagnostics: m.diagnostics })
        })
        .collect()
}

/// Callout titles and other UI strings per language, and the options
/// every page shares.
pub(crate) struct UiStrings {
    strings: Vec<(String, std::collections::BTreeMap<String, String>)>,
    safe: bool,
    facilitator: bool,
    portable: bool,
}

impl UiStrings {
    pub(crate) fn new(site: &Site, theme: &Theme) -> Self {
        let strings = site.config.languages.iter().map(|l| (l.clone(), theme.strings_for(l))).collect();
        let c = &site.config;
        let facilitator = c.audience == crate::config::Audience::All;
        UiStrings { strings, safe: c.markdown.safe, facilitator, portable: c.portable }
    }

    /// The UI string `key` in `lang`.
    pub(crate) fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.strings.iter().find(|(l, _)| l == lang).and_then(|(_, s)| s.get(key)).map(String::as_str)
    }

    /// Options for a page of `lang`; `worksheets` is the URL from where the
    /// page is written to its stage's worksheets (`None` outside stages).
    pub(crate) fn options<'a>(
        &'a self,
        lang: &str,
        seed: &'a str,
        prefix: &'a str,
        worksheets: Option<&'a str>,
    ) -> MdOptions<'a> {
        let s = &self.strings.iter().find(|(l, _)| l == lang).unwrap_or(&self.strings[0]).1;
        let title = |k: &str, d: &'static str| s.get(k).map_or(d, |v| v.as_str());
        let suffix = if self.portable { "index.html" } else { "" };
        MdOptions {
            callout_titles: [
                title("callout_note", "Note"),
                title("callout_tip", "Tip"),
                title("callout_important", "Important"),
                title("callout_warning", "Warning"),
                title("callout_caution", "Caution"),
            ],
            id_seed: seed,
            id_prefix: prefix,
            safe: self.safe,
            facilitator: self.facilitator.then(|| title("facilitator_notes", "For facilitators")),
            worksheet_label: title("worksheet", "Worksheet"),
            worksheet_print: title("worksheet_print", "Printable worksheet"),
            worksheet_url: worksheets.map(|w| (w, suffix)),
            typst: crate::markdown::TypstMode::Off,
            permalink: None,
            html: true,
            problems: true,
        }
    }
}

/// The absolute URL of the output folder `path`, when the site has an
/// absolute base URL (the PDFs' links need one).
fn absolute_permalink(site: &Site, path: &str) -> Option<String> {
    site.config.base_url.contains("://").then(|| site.config.permalink(path))
}

/// The URL from output folder `at` to the worksheets of page `id`'s stage.
pub(crate) fn worksheets_url(site: &Site, id: PageId, at: &str) -> Option<String> {
    let page = &site.pages[id];
    let stage = page.stage?;
    let bs = site.book(&page.lang)?.stages.iter().find(|bs| bs.stage == stage)?;
    Some(crate::links::relative_url(at, &format!("{}worksheets/", site.pages[bs.page].path)))
}

/// Diagnostics reported per file at most (each costs a scan of the file).
const MAX_PROBLEMS_PER_FILE: usize = 100;

/// Per-page results of the Markdown stage besides the HTML.
pub(crate) struct MdMeta {
    /// Hash of the page's text (for the preview's cache; 0 in one-off builds).
    pub(crate) text: u64,
    /// Its links to other pages.
    pub(crate) edges: Vec<Edge>,
    /// Its problems.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Which pages' bodies (HTML and plain text) the Markdown step keeps.
#[derive(Clone, Copy)]
pub(crate) enum Bodies<'a> {
    /// Every page's (the preview keeps them).
    All,
    /// The plain text of every page, the HTML of those selected (`lotse
    /// check` renders a few pages, the report none).
    Html(&'a (dyn Fn(PageId) -> bool + Sync)),
    /// None: a streaming build renders them again, a batch of pages at a
    /// time, just before their templates ([`fill_bodies`]).
    Later,
}

/// Renders every page's Markdown in parallel, resolving links as it goes;
/// pages whose text is in `old` (from a build with the same link
/// environment) are moved out of it instead. `hash` computes text hashes
/// (for the next build's cache); `bodies` says which bodies to keep;
/// `sources`, where the files are when the site holds only their front
/// matter.
pub(crate) fn render_markdown(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    hash: bool,
    old: Option<HashMap<String, PageMarkdown>>,
    (bodies, sources): (Bodies, Option<&Sources>),
) -> (Vec<Rendered>, Vec<MdMeta>, usize) {
    let mut texts: Vec<u64> =
        if hash { site.pages.par_iter().map(|p| hash_of(&p.text)).collect() } else { vec![0; site.pages.len()] };
    // A page with embeds shows other pages' text: it is reused only while
    // no page's text changed.
    if hash && site.pages.iter().any(|p| p.text.contains(EMBED)) {
        let all = hash_of(&texts);
        for (t, p) in texts.iter_mut().zip(&site.pages) {
            if p.text.contains(EMBED) {
                *t = hash_of((*t, all));
            }
        }
    }
    let mut old = old.unwrap_or_default();
    let slots: Vec<Option<PageMarkdown>> =
        site.pages.iter().zip(&texts).map(|(p, t)| old.remove(&p.rel).filter(|m| m.text == *t)).collect();
    let per_page: Vec<(Rendered, MdMeta, bool)> = slots
        .into_par_iter()
        .enumerate()
        .map(|(id, slot)| match slot {
            Some(m) => (m.rendered, MdMeta { text: m.text, edges: m.edges, diagnostics: m.diagnostics }, true),
            None => {
                let html = match bodies {
                    Bodies::All => true,
                    Bodies::Html(wanted) => wanted(id),
                    Bodies::Later => false,
                };
                let (mut rendered, meta) = match file(site, sources, id) {
                    Ok(file) => page_markdown(site, strings, resolver, id, (&file, texts[id]), html),
                    Err(d) => (Rendered::default(), MdMeta { text: 0, edges: Vec::new(), diagnostics: vec![d] }),
                };
                if matches!(bodies, Bodies::Later) {
                    rendered.plain = String::new();
                }
                (rendered, meta, false)
            }
        })
        .collect();
    let reused = per_page.iter().filter(|(_, _, hit)| *hit).count();
    let (rendered, meta): (Vec<Rendered>, Vec<MdMeta>) = per_page.into_iter().map(|(r, m, _)| (r, m)).unzip();
    (rendered, meta, reused)
}

/// Where a streaming build finds the pages' files again for their bodies.
pub(crate) enum Sources {
    /// In the site: pages with embeds show other pages' text.
    Site,
    /// Taken out of the site (a tree read into memory): each is freed after
    /// its batch.
    Taken(Vec<String>),
    /// Read again from disk, a batch at a time: until then only each
    /// file's length and hash stay (and its front matter, in the site), so
    /// no page's text waits for the others (730 MB at 100,000 pages).
    Disk { root: PathBuf, renamed: HashMap<String, String>, seen: Vec<(usize, u64)> },
}

impl Sources {
    /// Takes the files out of `site` if nothing else reads them: to read
    /// them again under `root` (`renamed`: the names on disk of files
    /// whose names were not in NFC), or else to keep them here.
    pub(crate) fn take(site: &mut Site, root: Option<(&Path, &HashMap<String, String>)>) -> Sources {
        if site.pages.iter().any(|p| p.text.contains(EMBED)) {
            return Sources::Site;
        }
        match root {
            Some((root, renamed)) => {
                // The front matter stays: checks after this point find
                // their lines in it.
                let seen = site
                    .pages
                    .par_iter_mut()
                    .map(|p| {
                        let seen = (p.text.len(), hash_of(p.text.as_str()));
                        p.text.truncate(p.body_offset);
                        p.text.shrink_to_fit();
                        seen
                    })
                    .collect();
                Sources::Disk { root: root.to_path_buf(), renamed: renamed.clone(), seen }
            }
            None => Sources::Taken(site.pages.iter_mut().map(|p| std::mem::take(&mut p.text)).collect()),
        }
    }

    /// Page `id`'s file, or an error if it cannot be read again or
    /// changed since the build read it.
    pub(crate) fn text<'a>(&'a self, site: &'a Site, id: PageId) -> Result<Cow<'a, str>, Diagnostic> {
        let page = &site.pages[id];
        match self {
            Sources::Site => Ok(Cow::Borrowed(&page.text)),
            Sources::Taken(texts) => Ok(Cow::Borrowed(&texts[id])),
            // A generated page (the home page a site lacks) has no file.
            Sources::Disk { seen, .. } if seen[id].0 == 0 => Ok(Cow::Borrowed("")),
            Sources::Disk { root, renamed, seen } => {
                let changed = || {
                    Diagnostic::error(&page.source, "", 0, "the file changed while the site was being built")
                        .with_hint("build again")
                };
                let rel = renamed.get(&page.rel).unwrap_or(&page.rel);
                let bytes = std::fs::read(root.join("content").join(rel)).map_err(|e| {
                    Diagnostic::error(&page.source, "", 0, format!("cannot read the file again: {e}"))
                        .with_hint("build again once nothing moves or deletes files in content/")
                })?;
                // An unchanged file whose text is its bytes (no byte-order
                // mark, already in NFC: nearly every file) is only checked
                // as UTF-8, not decoded again.
                let bytes = if (bytes.len(), crate::hash::hash_of_text_bytes(&bytes)) == seen[id] {
                    match String::from_utf8(bytes) {
                        Ok(text) => return Ok(Cow::Owned(text)),
                        Err(e) => e.into_bytes(),
                    }
                } else {
                    bytes
                };
                let file = crate::load::decode(page.rel.clone(), bytes).map_err(|_| changed())?;
                if (file.text.len(), hash_of(file.text.as_str())) != seen[id] {
                    return Err(changed());
                }
                Ok(Cow::Owned(file.text))
            }
        }
    }

    /// Frees what is kept of pages `ids` once their batch is done.
    pub(crate) fn free(&mut self, ids: std::ops::Range<PageId>) {
        if let Sources::Taken(texts) = self {
            texts[ids].iter_mut().for_each(|t| *t = String::new());
        }
    }
}

/// Page `id`'s file: from `sources`, else the site's text.
fn file<'a>(site: &'a Site, sources: Option<&'a Sources>, id: PageId) -> Result<Cow<'a, str>, Diagnostic> {
    sources.map_or(Ok(Cow::Borrowed(site.pages[id].text.as_str())), |s| s.text(site, id))
}

/// Places the diagnostics found in the front matter kept of a file
/// (`Sources::Disk`) but pointing into its body, reading the file again.
pub(crate) fn place(diags: &mut [Diagnostic], site: &Site, sources: &Sources) {
    if !diags.iter().any(|d| d.unplaced.is_some()) {
        return;
    }
    let by_source: HashMap<&str, PageId> =
        site.pages.iter().enumerate().map(|(id, p)| (p.source.as_str(), id)).collect();
    for d in diags.iter_mut().filter(|d| d.unplaced.is_some()) {
        if let Some(text) = by_source.get(d.path.as_str()).and_then(|&id| sources.text(site, id).ok()) {
            d.place(&text);
        }
    }
}

/// Renders the bodies of pages `ids` again, into `rendered` (the Markdown
/// step left them out: [`Bodies::Later`]); the rest is as it was. Returns
/// the errors of files that could not be read again.
pub(crate) fn fill_bodies(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    rendered: &mut [Rendered],
    ids: std::ops::Range<PageId>,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let start = ids.start;
    rendered[ids]
        .par_iter_mut()
        .enumerate()
        .filter_map(|(i, r)| {
            let id = start + i;
            let text = match sources.text(site, id) {
                Ok(text) => text,
                Err(d) => return Some(d),
            };
            // Its problems were found by the Markdown step.
            let (body, _) = page_markdown_as(site, strings, resolver, id, (&text, 0), (true, false), TypstMode::Off);
            r.html = body.html;
            r.plain = body.plain;
            None
        })
        .collect()
}

/// Drops the bodies of pages `ids` after their batch.
pub(crate) fn drop_bodies(rendered: &mut [Rendered], ids: std::ops::Range<PageId>, plain: bool) {
    rendered[ids].par_iter_mut().for_each(|r| {
        r.html = String::new();
        if plain {
            r.plain = String::new();
        }
    });
}

/// What starts an embed; pages without it show only their own text.
pub(crate) const EMBED: &str = "![[";

/// Renders page `id`'s Markdown from its file `file`, resolving its links
/// and locating its problems; `text` is the hash of its text, kept for
/// the cache. Without `html` the page's HTML stays empty (all else is
/// found).
pub(crate) fn page_markdown(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    id: PageId,
    (file, text): (&str, u64),
    html: bool,
) -> (Rendered, MdMeta) {
    let typst = if site.config.print.pdf { TypstMode::Tasks } else { TypstMode::Off };
    page_markdown_as(site, strings, resolver, id, (file, text), (html, true), typst)
}

/// [`page_markdown`] of the page's file `file` (with the hash of its text)
/// with the Typst markup `typst`.
fn page_markdown_as(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    id: PageId,
    (file, text): (&str, u64),
    (html, problems): (bool, bool),
    typst: TypstMode,
) -> (Rendered, MdMeta) {
    let page = &site.pages[id];
    let worksheets = worksheets_url(site, id, &page.path);
    let permalink = absolute_permalink(site, &page.path);
    let opts = MdOptions {
        typst,
        permalink: permalink.as_deref(),
        html,
        problems,
        ..strings.options(&page.lang, &page.key, "", worksheets.as_deref())
    };
    let mut edges = Vec::new();
    let mut diags = Vec::new();
    let mut link_errors = 0;
    let rendered = markdown::render(&file[page.body_offset..], &opts, &mut |link| {
        if link_errors >= MAX_PROBLEMS_PER_FILE {
            return None;
        }
        if link.kind == LinkKind::Embed {
            let e = super::embed::expand(site, strings, resolver, id, link, &page.path);
            edges.extend(e.edge);
            link_errors += usize::from(e.diagnostic.is_some());
            diags.extend(e.diagnostic);
            return e.html;
        }
        let r = resolver.resolve(id, link);
        edges.extend(r.edge);
        link_errors += usize::from(r.diagnostic.as_ref().is_some_and(Diagnostic::is_error));
        diags.extend(r.diagnostic);
        r.href
    });
    if link_errors >= MAX_PROBLEMS_PER_FILE || rendered.warnings.len() > MAX_PROBLEMS_PER_FILE {
        // Only what is printed is capped: errors among the rest still fail
        // the build (they come first below), warnings never do.
        diags.push(
            Diagnostic::warning(
                &page.source,
                file,
                page.body_offset,
                format!("more than {MAX_PROBLEMS_PER_FILE} problems in this file; the rest are not reported"),
            )
            .with_hint("fix the ones shown and build again"),
        );
    }
    let (errors, warnings): (Vec<_>, Vec<_>) = rendered.warnings.iter().partition(|w| w.is_error);
    let shown = errors.into_iter().take(MAX_PROBLEMS_PER_FILE).chain(warnings.into_iter().take(MAX_PROBLEMS_PER_FILE));
    for w in shown {
        let at = page.body_offset + w.offset;
        let mut d = if w.is_error {
            Diagnostic::error(&page.source, file, at, &w.message)
        } else {
            Diagnostic::warning(&page.source, file, at, &w.message)
        };
        d.hint = w.hint.clone();
        diags.push(d);
    }
    // The preview fingerprints pages by this hash instead of their HTML.
    let rendered = Rendered { html_hash: if text == 0 { 0 } else { hash_of(&rendered.html) | 1 }, ..rendered };
    (rendered, MdMeta { text, edges, diagnostics: diags })
}

/// Renders every page of each language again for the one-page print
/// version: heading ids prefixed per page, links pointing inside the page;
/// the files from `sources` where the site holds only their front matter.
pub(crate) fn render_print_sections(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    sources: Option<&Sources>,
) -> Result<Vec<render::print::PrintBook>, Vec<Diagnostic>> {
    site.books
        .iter()
        .filter(|book| render::print::wanted(site, book))
        .map(|book| {
            let order: Vec<PageId> =
                book.home.into_iter().chain(book.series.iter().copied()).chain(book.pages.iter().copied()).collect();
            let sections = order
                .par_iter()
                .map(|&id| {
                    file(site, sources, id).map(|f| print_section(site, strings, resolver, &book.prefix, id, &f))
                })
                .collect::<Result<Vec<_>, Diagnostic>>()
                .map_err(|d| vec![d])?;
            Ok(render::print::PrintBook { lang: book.lang.clone(), sections })
        })
        .collect()
}

/// Page `id` as a section of the print version of the book at `prefix`.
pub(crate) fn print_section(
    site: &Site,
    strings: &UiStrings,
    resolver: &Resolver,
    prefix: &str,
    id: PageId,
    file: &str,
) -> render::print::PrintSection {
    let at = format!("{prefix}print/");
    let page = &site.pages[id];
    let anchor = render::print::section_id(page);
    let prefix = format!("{anchor}--");
    let worksheets = worksheets_url(site, id, &at);
    let permalink = absolute_permalink(site, &at);
    let pdf = site.book(&page.lang).is_some_and(|b| render::pdf::guide_wanted(site, b));
    let typst = if pdf { TypstMode::Page { shift: render::pdf::title_level(page.kind) } } else { TypstMode::Off };
    let opts = MdOptions {
        typst,
        permalink: permalink.as_deref(),
        ..strings.options(&page.lang, &page.key, &prefix, worksheets.as_deref())
    };
    let r = markdown::render(&file[page.body_offset..], &opts, &mut |link| {
        if link.kind == LinkKind::Embed {
            return super::embed::expand(site, strings, resolver, id, link, &at).html;
        }
        let r = resolver.resolve_at(id, link, &at);
        match r.edge {
            Some(e) if site.pages[e.to].lang == page.lang => {
                let target = render::print::section_id(&site.pages[e.to]);
                Some(match e.anchor.filter(|a| !a.is_empty()) {
                    Some(a) if e.to == id => format!("#{prefix}{a}"),
                    Some(a) => format!("#{target}--{a}"),
                    None => format!("#{target}"),
                })
            }
            _ => r.href,
        }
    });
    render::print::PrintSection { page: id, anchor, html: r.html, typst: r.typst }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::load::SourceFile;

    fn site(files: &[(&str, &str)]) -> Site {
        let config = Config::parse("site.yaml", "title: T\n").expect("config");
        let files =
            files.iter().map(|(rel, text)| SourceFile { rel: rel.to_string(), text: text.to_string() }).collect();
        crate::assemble::assemble(&config, files, false, &Default::default()).0
    }

    const PAGE: &str = "---\ntitle: Page\n---\nText.\n";

    fn id(site: &Site, rel: &str) -> PageId {
        site.pages.iter().position(|p| p.rel == rel).expect("page")
    }

    /// A site folder with `PAGE` at `content/<name>`.
    fn on_disk(name: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join("content").join(name), PAGE).expect("write");
        dir
    }

    #[test]
    fn files_are_read_again_from_disk_and_a_changed_file_is_an_error() {
        let dir = on_disk("page.md");
        let mut s = site(&[("page.md", PAGE)]);
        let sources = Sources::take(&mut s, Some((dir.path(), &HashMap::new())));
        assert!(matches!(sources, Sources::Disk { .. }));
        assert!(s.pages.iter().all(|p| p.text.len() == p.body_offset), "only the front matter stays");
        assert!(s.pages[id(&s, "page.md")].text.starts_with("---"), "{:?}", s.pages[id(&s, "page.md")].text);
        let page = id(&s, "page.md");
        assert_eq!(sources.text(&s, page).expect("read").as_ref(), PAGE);
        // The generated home page has no file.
        let home = s.pages.iter().position(|p| p.rel == "_index.md").expect("home");
        assert_eq!(sources.text(&s, home).expect("no file").as_ref(), "");

        std::fs::write(dir.path().join("content/page.md"), PAGE.replace("Text", "Test")).expect("write");
        let e = sources.text(&s, page).expect_err("changed");
        assert!(e.message.contains("changed while the site was being built"), "{}", e.message);
        std::fs::remove_file(dir.path().join("content/page.md")).expect("rm");
        let e = sources.text(&s, page).expect_err("gone");
        assert!(e.message.contains("cannot read the file again"), "{}", e.message);
    }

    #[test]
    fn a_file_whose_text_is_not_its_bytes_is_decoded_again() {
        // On disk: a byte-order mark and a decomposed é; the build read it
        // as text without the mark and with the composed é.
        let dir = on_disk("page.md");
        let raw = format!("\u{feff}{}", PAGE.replace("Text", "Te\u{301}xt"));
        std::fs::write(dir.path().join("content/page.md"), raw).expect("write");
        let text = PAGE.replace("Text", "T\u{e9}xt");
        let mut s = site(&[("page.md", text.as_str())]);
        let sources = Sources::take(&mut s, Some((dir.path(), &HashMap::new())));
        assert_eq!(sources.text(&s, id(&s, "page.md")).expect("read").as_ref(), text);
    }

    #[test]
    fn a_file_named_in_nfd_on_disk_is_read_under_that_name() {
        let dir = on_disk("u\u{308}ber.md");
        let mut s = site(&[("über.md", PAGE)]);
        let renamed = HashMap::from([("über.md".to_string(), "u\u{308}ber.md".to_string())]);
        let sources = Sources::take(&mut s, Some((dir.path(), &renamed)));
        assert_eq!(sources.text(&s, id(&s, "über.md")).expect("read").as_ref(), PAGE);
    }

    #[test]
    fn a_tree_in_memory_keeps_its_files_and_embeds_keep_them_in_the_site() {
        let mut s = site(&[("page.md", PAGE)]);
        let mut sources = Sources::take(&mut s, None);
        let page = id(&s, "page.md");
        assert_eq!(sources.text(&s, page).expect("kept").as_ref(), PAGE);
        sources.free(0..s.pages.len());
        assert_eq!(sources.text(&s, page).expect("freed").as_ref(), "");

        let embed = "---\ntitle: E\n---\n![[page]]\n";
        let mut s = site(&[("page.md", PAGE), ("e.md", embed)]);
        assert!(matches!(Sources::take(&mut s, None), Sources::Site));
        assert_eq!(s.pages[id(&s, "e.md")].text, embed, "the site keeps its files");
    }
}
