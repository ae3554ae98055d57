//! Typesetting with Typst as a library: a [`Document`] (Typst markup and
//! the few files it shows) becomes PDF bytes, with the fonts shipped in the
//! binary, no system fonts, no network and no clock.
//!
//! Typst memoises its work in a process-wide cache (comemo). Documents may
//! compile in parallel; the cache is trimmed only while no compile is under
//! way (evicting during a compile made Typst panic): [`trim_cache`] never
//! waits for one, and a trim due after a large document
//! ([`after_document`]) holds back new compiles until the running ones end. A panic inside Typst is caught and becomes an error
//! naming the document.
//!
//! [`typeset`] adds what a build needs around [`compile`]: the PDF cache
//! between builds ([`cache`]) and the fallback for images Typst cannot
//! show ([`images`]).

pub mod cache;
pub mod images;
mod links;
pub mod literal;
pub(crate) mod template;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, LazyLock, Mutex, MutexGuard};

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// A document to typeset: its Typst markup and the files it refers to by
/// absolute virtual path (`/qr.svg`, `/site/01-x/diagram.png`).
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The Typst markup of the whole document.
    pub source: String,
    /// Files the markup reads, by virtual path.
    pub files: Vec<(String, Arc<Vec<u8>>)>,
    /// A stable identifier (the output path): the PDF's document id is
    /// derived from it, so two builds give the same bytes.
    pub ident: String,
}

/// The fonts shipped in the binary (Libertinus Serif for text, DejaVu Sans
/// Mono for code; both under open licences), parsed once.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        // The math fonts are not needed: no formulas in guides.
        .filter(|data| !is_math_font(data))
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

fn is_math_font(data: &[u8]) -> bool {
    Font::new(Bytes::new(data.to_vec()), 0).is_some_and(|f| f.info().family.contains("Math"))
}

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The one main file every document is compiled from (a fixed id: Typst's
/// file ids are interned for the life of the process).
fn main_id() -> FileId {
    static ID: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ").expect("a valid path"));
    *ID
}

fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

/// What Typst sees of the world while compiling one document.
struct DocWorld<'a> {
    doc: &'a Document,
    source: Source,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        main_id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == main_id() { Ok(self.source.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == main_id() {
            return Ok(Bytes::from_string(self.source.clone()));
        }
        self.doc
            .files
            .iter()
            .find(|(path, _)| file_id(path) == Some(id))
            .map(|(_, bytes)| Bytes::new(bytes.as_slice().to_vec()))
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // No clock: the same input gives the same bytes.
        None
    }
}

/// Most markup a document may have: about 2,000 pages of text (the
/// whole guide is limited by `print.pdf_max_pages` first; this catches a
/// few giant pages).
pub const MAX_MARKUP: usize = 16 << 20;
/// Longest line of markup (one paragraph, heading or table row): beyond
/// it, breaking the paragraph into lines takes Typst seconds.
pub const MAX_LINE: usize = 24 << 10;

/// Whether `doc` is small enough to typeset in reasonable time; else why not.
pub fn fits(doc: &Document) -> Result<(), String> {
    if doc.source.len() > MAX_MARKUP {
        return Err(format!("{} MB of text, more than {} MB", doc.source.len() >> 20, MAX_MARKUP >> 20));
    }
    match doc.source.lines().map(str::len).max() {
        Some(longest) if longest > MAX_LINE => {
            Err(format!("a paragraph, title or table row of {} KB, more than {} KB", longest >> 10, MAX_LINE >> 10))
        }
        _ => Ok(()),
    }
}

/// Turns each `#lotse-ref("label", [text])` of the generated markup into
/// a link to the label where the document defines it (`…]<label>`), else
/// into the text alone: resolved once here instead of by a query in Typst
/// for every link. The link's target is set after layout ([`links`]). (Text cannot contain the pattern: `#`, `(` and `"` in
/// text are escaped.)
pub fn resolve_refs(source: &str) -> String {
    const REF: &str = "#lotse-ref(\"";
    if !source.contains(REF) {
        return source.to_string();
    }
    let is_label = |c: char| c.is_ascii_alphanumeric() || "-_.:".contains(c);
    let mut defined = std::collections::HashSet::new();
    for (i, _) in source.match_indices("]<") {
        let rest = &source[i + 2..];
        let end = rest.find(|c: char| !is_label(c)).unwrap_or(rest.len());
        if rest[end..].starts_with('>') {
            defined.insert(&rest[..end]);
        }
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(i) = rest.find(REF) {
        out.push_str(&rest[..i]);
        let after = &rest[i + REF.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let target = &after[..end];
        if defined.contains(target) {
            out.push_str(&format!("#link(\"{}{target}\"", links::PREFIX));
        } else {
            out.push_str("#lotse-plain(");
            // Skip the `"label", ` before the text.
            rest = after[end..].strip_prefix("\", ").unwrap_or(&after[end..]);
            continue;
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Compiles under way, and whether a trim of the memo cache waits for
/// them to end (see [`after_document`]).
#[derive(Default)]
struct Gate {
    active: usize,
    trim_wanted: bool,
}

static GATE: Mutex<Gate> = Mutex::new(Gate { active: 0, trim_wanted: false });
static GATE_CHANGED: Condvar = Condvar::new();

fn gate() -> MutexGuard<'static, Gate> {
    GATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts a compile as under way while it lives.
struct Active;

impl Active {
    /// Waits while a trim is wanted and other compiles still run (the last
    /// of them trims), then counts this compile.
    fn start() -> Active {
        let mut g = gate();
        while g.trim_wanted {
            if g.active == 0 {
                evict(&mut g);
            } else {
                g = GATE_CHANGED.wait(g).unwrap_or_else(|e| e.into_inner());
            }
        }
        g.active += 1;
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        let mut g = gate();
        g.active -= 1;
        if g.active == 0 && g.trim_wanted {
            evict(&mut g);
        }
        GATE_CHANGED.notify_all();
    }
}

/// Trims the memo cache: in a one-off process to nothing (no document is
/// typeset twice; a cold flagship build peaks at 260-300 instead of
/// 410-460 MB, in the same time), else to what the last few compiles
/// used; only called with the gate held and no compile under way.
fn evict(g: &mut Gate) {
    debug_assert_eq!(g.active, 0);
    let max_age = if ONE_OFF.load(Ordering::SeqCst) { 0 } else { 2 };
    typst::comemo::evict(max_age);
    g.trim_wanted = false;
}

/// Typesets `doc` into PDF bytes, or says why not (Typst's first errors,
/// or a panic inside Typst).
pub fn compile(doc: &Document) -> Result<Vec<u8>, String> {
    let _active = Active::start();
    match catch_unwind(AssertUnwindSafe(|| compile_unguarded(doc))) {
        Ok(result) => result,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!("the typesetter failed: {why}"))
        }
    }
}

/// Typesets `doc` like [`compile`], reading the PDF from `cache` when it
/// holds one for the document and storing it there otherwise. When Typst
/// fails on a document with pictures, it is typeset again with every
/// image as its framed alternative text: a bad image never costs the PDF.
pub fn typeset(doc: &Document, cache: Option<&cache::Cache>) -> Result<Vec<u8>, String> {
    let key = cache.map(|c| c.key(doc));
    if let (Some(c), Some(k)) = (cache, &key)
        && let Some(pdf) = c.get(k)
    {
        return Ok(pdf);
    }
    let pdf = match compile(doc) {
        Ok(pdf) => pdf,
        Err(why) => compile(&images::without_pictures(doc).ok_or(why)?)?,
    };
    if let (Some(c), Some(k)) = (cache, &key) {
        c.put(k, &pdf);
    }
    Ok(pdf)
}

fn compile_unguarded(doc: &Document) -> Result<Vec<u8>, String> {
    let world = DocWorld { doc, source: Source::new(main_id(), doc.source.clone()) };
    let document: PagedDocument = typst::compile(&world).output.map_err(|e| describe(&world, &e))?;
    let document = links::resolve(document);
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(doc.ident.clone()),
        creator: Smart::Custom(Some("Lotse".into())),
        timestamp: None,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| describe(&world, &e))
}

/// The first errors as one line each, with the markup line they point at.
fn describe(world: &DocWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .filter(|e| e.severity == Severity::Error)
        .take(3)
        .map(|e| {
            let at = typst::WorldExt::range(world, e.span)
                .map(|r| {
                    let line = world.source.text()[..r.start].matches('\n').count() + 1;
                    format!(" (typeset markup line {line})")
                })
                .unwrap_or_default();
            format!("{}{at}", e.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Set by a process that builds once (`lotse build`): then nothing
/// typeset is needed again, and [`after_document`] trims the memo cache.
static ONE_OFF: AtomicBool = AtomicBool::new(false);

/// Says that this process builds once and exits (`lotse build`): Typst's
/// memo cache is emptied after every document, which halves the peak
/// memory. A long-lived process (the preview, a test run) keeps the cache
/// for its next build, which typesets unchanged documents ten times faster,
/// and trims it itself ([`trim_cache`]).
pub fn one_off_process() {
    ONE_OFF.store(true, Ordering::SeqCst);
}

/// Markup beyond which a document counts as large for [`after_document`]
/// (the whole guide has about 350 KB; a series checklist 50 KB).
pub const LARGE_MARKUP: usize = 200 << 10;

/// Called after each document: in a one-off process, trims the memo cache
/// now if no other document is being typeset; after a large document
/// (`source_len` bytes of markup) a trim is due in any case, so compiles
/// that start meanwhile wait until the running ones end and the last of
/// them trims (two whole guides' caches never add up).
pub fn after_document(source_len: usize) {
    if !ONE_OFF.load(Ordering::SeqCst) {
        return;
    }
    let mut g = gate();
    if g.active == 0 {
        evict(&mut g);
    } else if source_len > LARGE_MARKUP {
        g.trim_wanted = true;
    }
}

/// Trims Typst's memo cache to what the last few compiles used, unless a
/// document is being typeset right now (trimming under a running compile
/// made Typst panic): then it does nothing and a later trim catches up.
/// Never waits for a compile.
pub fn trim_cache() {
    let mut g = gate();
    if g.active == 0 {
        evict(&mut g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(source: &str) -> Document {
        Document { source: source.into(), files: Vec::new(), ident: "test".into() }
    }

    #[test]
    fn typesets_a_page_with_the_shipped_fonts() {
        let pdf = compile(&doc("#set text(font: \"Libertinus Serif\", lang: \"de\")\nHallo *Welt* `code`")).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("LibertinusSerif"), "the font is embedded");
        assert!(text.contains("DejaVuSansMono"), "the code font is embedded");
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let d = doc("#set document(title: \"T\", date: none)\n= Titel\nText");
        assert_eq!(compile(&d).unwrap(), compile(&d).unwrap());
    }

    #[test]
    fn errors_name_the_markup_line() {
        let e = compile(&doc("ok\n#nonexistent()\n")).unwrap_err();
        assert!(e.contains("unknown variable: nonexistent"), "{e}");
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn references_become_links_to_defined_labels_or_text() {
        let src = "#heading[A]<a-1>\n#lotse-ref(\"a-1\", [to a]) #lotse-ref(\"gone\", [to gone])";
        assert_eq!(resolve_refs(src), "#heading[A]<a-1>\n#link(\"lotse-ref:a-1\", [to a]) #lotse-plain([to gone])");
    }

    #[test]
    fn a_picture_typst_cannot_decode_falls_back_to_its_frame() {
        let mut d = doc(
            "#let lotse-image(src, body, alt: none) = body\n#let lotse-picture(src, body, alt: none) = image(src, alt: alt)\n#lotse-picture(\"/site/x.png\", [Bild], alt: \"Bild\")",
        );
        d.files.push(("/site/x.png".into(), Arc::new(b"\x89PNG\r\n\x1a\n broken".to_vec())));
        assert!(compile(&d).is_err());
        let pdf = typeset(&d, None).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(!String::from_utf8_lossy(&pdf).contains("/Subtype/Image"));
    }

    #[test]
    fn typesetting_through_the_cache_gives_the_same_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let d = doc("#set document(title: \"T\", date: none)\n= Titel\nText");
        let first = typeset(&d, Some(&cache::Cache::new(tmp.path()))).unwrap();
        let warm = cache::Cache::new(tmp.path());
        assert_eq!(typeset(&d, Some(&warm)).unwrap(), first);
        assert_eq!(warm.counts(), (1, 0));
    }

    #[test]
    fn files_are_only_those_given() {
        let e = compile(&doc("#image(\"/etc/passwd\")")).unwrap_err();
        assert!(e.contains("not found"), "{e}");
        let e = compile(&doc("#read(\"../x\")")).unwrap_err();
        assert!(!e.is_empty());
        let mut d = doc("#read(\"/a.txt\")");
        d.files.push(("/a.txt".into(), Arc::new(b"hello".to_vec())));
        assert!(compile(&d).is_ok());
    }
}
