//! The search index: per language, word forms -> Snowball stems -> pages,
//! written as small script files under `search/<lang>/` that the default
//! theme's search.js loads on demand with `<script>` tags. No fetch and no
//! WebAssembly, so search works offline and from file://; term shards and
//! page chunks keep each file small, so a 10,000-page site loads only what a
//! query needs.
//!
//! Files of one language (each calls `LotseSearch.add(id, data)`; all but
//! the manifest hand over compressed JSON, see [`pack`]):
//! - `index.js`: page count, shard keys, folding table, a version hash;
//! - `t-<n>.js`: a range of word forms with their stems, each stem's page
//!   count and best pages;
//! - `p-<n>.js`: the further pages of stems, best first, in blocks;
//! - `d-<n>.js`: page `n`: URL, title, stage, summary, text for snippets.

mod analyze;
pub mod pack;
mod shard;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;
use serde::Serialize;

pub use analyze::{Analyzer, fold, terms, words};
pub use shard::{FIRST_BLOCK, Postings, SHARD_BUDGET, TAIL_BLOCK, shard_of};

use crate::markdown::Rendered;
use crate::model::{Book, PageId, Site};
use crate::render::OutputFile;

/// Pages per page file (`d-<n>.js`). One: a results page loads the data
/// of exactly the pages it shows (as Pagefind loads one fragment per hit).
pub const DOCS_PER_CHUNK: usize = 1;
/// Characters of a page's text kept for snippets: the page files are most
/// of the index, and a page about this long is where the index is largest
/// against the page's HTML (about a quarter). A hit further down shows the
/// page's summary instead of a passage.
const TEXT_CHARS: usize = 16_000;

/// A page as the index sees it; it borrows what the built site has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc<'a> {
    /// Output folder relative to the site root: `en/02-goals/goal-map/`.
    pub path: Cow<'a, str>,
    /// Title.
    pub title: Cow<'a, str>,
    /// Number and title of the page's stage.
    pub stage: Option<(usize, Cow<'a, str>)>,
    /// Shown when the text has no hit; from front-matter or first paragraph.
    pub summary: Cow<'a, str>,
    /// Front-matter summary and tags: weigh more than the body.
    pub keywords: Cow<'a, str>,
    /// Headings: anchor id and text.
    pub headings: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The body as plain text.
    pub text: Cow<'a, str>,
}

/// Whether `path` is one of the files [`build`] writes:
/// `search/<lang>/index.js`, `t-<n>.js`, `p-<n>.js` or `d-<n>.js`.
pub fn is_index_file(path: &str) -> bool {
    let Some((lang, name)) = path.strip_prefix("search/").and_then(|p| p.split_once('/')) else { return false };
    let Some(stem) = name.strip_suffix(".js") else { return false };
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    !lang.is_empty() && (stem == "index" || numbered("t-") || numbered("p-") || numbered("d-"))
}

/// The search files of every language of a built site.
pub fn index_files(site: &Site, rendered: &[Rendered]) -> Vec<OutputFile> {
    index_files_unless(site, rendered, &|| false).unwrap_or_default()
}

/// What may stop an index build half-way (`lotse serve` stops it when the
/// next edit comes in); checked between pages.
pub type Cancel<'a> = &'a (dyn Fn() -> bool + Sync);

/// [`index_files`], or `None` as soon as `cancel` returns true.
pub fn index_files_unless(site: &Site, rendered: &[Rendered], cancel: Cancel) -> Option<Vec<OutputFile>> {
    let per_book: Option<Vec<Vec<OutputFile>>> = site
        .books
        .par_iter()
        .map(|book| {
            let docs = book_docs(site, rendered, book, cancel)?;
            let files = build_unless(&book.lang, &docs, cancel);
            drop_in_parallel(docs);
            files
        })
        .collect();
    Some(per_book?.into_iter().flatten().collect())
}

/// Drops the items of `v` on all threads: a large site's pages and word
/// counts are millions of small allocations, too slow to free on one.
fn drop_in_parallel<T: Send>(v: Vec<T>) {
    v.into_par_iter().for_each(drop);
}

/// The pages of a book in reading order: home, the series, other pages.
fn book_docs<'a>(site: &'a Site, rendered: &'a [Rendered], book: &Book, cancel: Cancel) -> Option<Vec<Doc<'a>>> {
    let ids = book_order(book);
    ids.into_par_iter().map(|id| (!cancel()).then(|| page_doc(site, book, id, &rendered[id]))).collect()
}

fn page_doc<'a>(site: &'a Site, book: &Book, id: PageId, r: &'a Rendered) -> Doc<'a> {
    let page = &site.pages[id];
    let stage = page.stage.and_then(|s| {
        let bs = book.stages.iter().find(|bs| bs.stage == s)?;
        Some((site.stages[s].number, Cow::Borrowed(site.pages[bs.page].meta.title())))
    });
    let mut keywords = page.meta.summary().unwrap_or_default().to_string();
    for tag in page.meta.tags() {
        keywords.push(' ');
        keywords.push_str(tag);
    }
    Doc {
        path: Cow::Borrowed(&page.path),
        title: Cow::Borrowed(page.meta.title()),
        stage,
        summary: Cow::Borrowed(crate::render::summary(page, r)),
        keywords: Cow::Owned(keywords),
        headings: r.headings.iter().map(|h| (Cow::Borrowed(h.id.as_str()), Cow::Borrowed(h.text.as_str()))).collect(),
        text: Cow::Borrowed(&r.plain),
    }
}

/// `text` with runs of whitespace as single spaces, and without the spaces
/// that the plain text has where inline markup or a typographic apostrophe
/// split it: `Plan , der` -> `Plan, der`, `people ’ s` -> `people’s`.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Text before `copied` is in `out`; a word's whitespace is only written
    // out where it is not already the single space it becomes.
    let (mut copied, mut prev): (usize, Option<usize>) = (0, None);
    for (start, end) in crate::scan::non_space_runs(text) {
        let Some(prev_end) = prev.replace(end) else {
            copied = start;
            continue;
        };
        let (before, word) = (&text[..prev_end], &text[start..end]);
        let glued = match word.as_bytes().first() {
            Some(b',' | b'.' | b';' | b':' | b'!' | b'?' | b')') => true,
            Some(b) if b.is_ascii() => false,
            _ => word.starts_with(['’', '”']),
        } || match before.as_bytes().last() {
            Some(b'(') => true,
            Some(b) if b.is_ascii() => false,
            Some(_) => {
                before.ends_with(['‘', '„'])
                    || (before.ends_with('’') && word.len() <= 2 && word.starts_with(|c: char| c.is_lowercase()))
            }
            None => false,
        };
        if glued || start != prev_end + 1 || text.as_bytes()[prev_end] != b' ' {
            out.push_str(&text[copied..prev_end]);
            if !glued {
                out.push(' ');
            }
            copied = start;
        }
    }
    if let Some(end) = prev {
        out.push_str(&text[copied..end]);
    }
    out
}

/// How often a word occurs in each field of a page.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    title: u32,
    headings: u32,
    keywords: u32,
    body: u32,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.title += other.title;
        self.headings += other.headings;
        self.keywords += other.keywords;
        self.body += other.body;
    }
}

/// A page's word forms with their counts, and its body length in words.
/// A form that is the word as written (most are) borrows it from the page.
struct Counted<'a> {
    forms: Vec<(Cow<'a, str>, Counts)>,
    length: usize,
}

fn count<'a>(doc: &'a Doc) -> Counted<'a> {
    /// The slot of words that are not indexed.
    const SKIP: u32 = u32::MAX;
    // Words as written -> their form's slot: most words recur on a page,
    // and each is folded only once.
    let mut seen: HashMap<&str, u32> = HashMap::with_capacity_and_hasher(256, Default::default());
    let mut slots: HashMap<Cow<'a, str>, u32> = HashMap::with_capacity_and_hasher(256, Default::default());
    let mut counts: Vec<Counts> = Vec::with_capacity(256);
    let mut form = String::new();
    let mut add = |text: &'a str, field: fn(&mut Counts) -> &mut u32| {
        let mut n = 0;
        for (_, word) in words(text) {
            let slot = match seen.get(word) {
                Some(&slot) => slot,
                None => {
                    form.clear();
                    analyze::fold_into(word, &mut form);
                    let slot = if !analyze::indexable(&form) {
                        SKIP
                    } else if let Some(&slot) = slots.get(form.as_str()) {
                        slot
                    } else {
                        let slot = counts.len() as u32;
                        counts.push(Counts::default());
                        let key = if form == word { Cow::Borrowed(word) } else { Cow::Owned(form.clone()) };
                        slots.insert(key, slot);
                        slot
                    };
                    seen.insert(word, slot);
                    slot
                }
            };
            if let Some(c) = counts.get_mut(slot as usize) {
                *field(c) += 1;
                n += 1;
            }
        }
        n
    };
    add(&doc.title, |c| &mut c.title);
    for (_, h) in &doc.headings {
        add(h, |c| &mut c.headings);
    }
    add(&doc.keywords, |c| &mut c.keywords);
    let length = add(&doc.text, |c| &mut c.body);
    let forms = slots.into_iter().map(|(form, slot)| (form, counts[slot as usize])).collect();
    Counted { forms, length }
}

/// The search files of one language: `search/<lang>/...`.
pub fn build(lang: &str, docs: &[Doc]) -> Vec<OutputFile> {
    build_unless(lang, docs, &|| false).unwrap_or_default()
}

/// [`build`], or `None` as soon as `cancel` returns true.
fn build_unless(lang: &str, docs: &[Doc], cancel: Cancel) -> Option<Vec<OutputFile>> {
    let mut index = LangIndex::new(lang, docs.len());
    let numbered: Vec<(u32, &Doc)> = docs.iter().enumerate().map(|(n, d)| (n as u32, d)).collect();
    let pages = index.add(&numbered, cancel)?;
    let Finished { mut files, manifest } = index.finish(cancel)?;
    files.extend(pages);
    files.push(manifest);
    Some(files)
}

/// The index of a site, built a batch of pages at a time (a streaming
/// build adds each batch while its plain text exists, then drops it).
pub struct Indexer {
    books: Vec<LangIndex>,
    /// Per page: its book and number in that book's index.
    slots: Vec<Option<(usize, u32)>>,
}

impl Indexer {
    /// An empty index of every book of `site`.
    pub fn new(site: &Site) -> Indexer {
        let mut slots = vec![None; site.pages.len()];
        let books = site
            .books
            .iter()
            .enumerate()
            .map(|(b, book)| {
                let ids = book_order(book);
                for (n, &id) in ids.iter().enumerate() {
                    slots[id] = Some((b, n as u32));
                }
                LangIndex::new(&book.lang, ids.len())
            })
            .collect();
        Indexer { books, slots }
    }

    /// Indexes the pages `ids` (whose plain text `rendered` has) and
    /// returns their page files (`d-<n>.js`).
    pub fn add(&mut self, site: &Site, rendered: &[Rendered], ids: impl Iterator<Item = PageId>) -> Vec<OutputFile> {
        let mut per_book: Vec<Vec<(u32, Doc)>> = self.books.iter().map(|_| Vec::new()).collect();
        for id in ids {
            if let Some((b, n)) = self.slots[id] {
                per_book[b].push((n, page_doc(site, &site.books[b], id, &rendered[id])));
            }
        }
        let mut out = Vec::new();
        for (index, docs) in self.books.iter_mut().zip(per_book) {
            let numbered: Vec<(u32, &Doc)> = docs.iter().map(|(n, d)| (*n, d)).collect();
            out.extend(index.add(&numbered, &|| false).unwrap_or_default());
        }
        out
    }

    /// The other files of every language (shards, tails, manifest), once
    /// every page has been added.
    pub fn finish(self) -> Vec<OutputFile> {
        let mut out = Vec::new();
        for index in self.books {
            if let Some(Finished { files, manifest }) = index.finish(&|| false) {
                out.extend(files);
                out.push(manifest);
            }
        }
        out
    }
}

/// The pages of a book in reading order: home, the series, other pages.
fn book_order(book: &Book) -> Vec<PageId> {
    book.home.into_iter().chain(book.series.iter().copied()).chain(book.pages.iter().copied()).collect()
}

/// One language's index while pages are added: what [`LangIndex::finish`]
/// needs of them, which is much less than their text.
struct LangIndex {
    lang: String,
    analyzer: Analyzer,
    /// Word form -> stem number.
    forms: HashMap<String, u32>,
    /// Stems by number, and their numbers.
    stems: Vec<String>,
    stem_ids: HashMap<String, u32>,
    /// Per stem: the pages it is on with its [`Hit`], in the order added.
    hits: Vec<Vec<(u32, Hit)>>,
    /// Per page: length of the body in words.
    lengths: Vec<u32>,
    /// Per page: hash of its page file, for the version.
    hashes: Vec<u64>,
}

/// A stem on a page: its weighted count (headings x3, summary and tags x2,
/// body) shifted left by one, the low bit set when the title has it.
type Hit = u32;

fn hit(n: &Counts) -> Hit {
    let tf = 3 * n.headings + 2 * n.keywords + n.body;
    tf.min(u32::MAX >> 1) << 1 | u32::from(n.title > 0)
}

/// The files of a finished language but its page files.
struct Finished {
    /// Shards and tails.
    files: Vec<OutputFile>,
    manifest: OutputFile,
}

impl LangIndex {
    fn new(lang: &str, pages: usize) -> LangIndex {
        LangIndex {
            lang: lang.to_string(),
            analyzer: Analyzer::new(lang),
            forms: HashMap::default(),
            stems: Vec::new(),
            stem_ids: HashMap::default(),
            hits: Vec::new(),
            lengths: vec![0; pages],
            hashes: vec![0; pages],
        }
    }

    /// Adds pages (numbered in the book's order) and returns their page
    /// files, or `None` as soon as `cancel` returns true.
    fn add(&mut self, docs: &[(u32, &Doc)], cancel: Cancel) -> Option<Vec<OutputFile>> {
        let counted: Vec<Counted> =
            docs.par_iter().map(|(_, d)| (!cancel()).then(|| count(d))).collect::<Option<_>>()?;
        // Stem the forms not seen before, then give each page its stems.
        let new: HashSet<&str> = counted
            .par_iter()
            .fold(HashSet::default, |mut new, c| {
                new.extend(c.forms.iter().map(|(f, _)| f.as_ref()).filter(|f| !self.forms.contains_key(*f)));
                new
            })
            .reduce(HashSet::default, |mut a, b| {
                a.extend(b);
                a
            });
        let mut new: Vec<&str> = new.into_iter().collect();
        new.sort_unstable();
        let stemmed: Vec<String> = new.par_iter().map(|f| self.analyzer.stem(f)).collect();
        for (form, stem) in new.into_iter().zip(stemmed) {
            let id = match self.stem_ids.get(&stem) {
                Some(&id) => id,
                None => {
                    let id = self.stems.len() as u32;
                    self.stems.push(stem.clone());
                    self.stem_ids.insert(stem, id);
                    self.hits.push(Vec::new());
                    id
                }
            };
            self.forms.insert(form.to_string(), id);
        }
        let forms = &self.forms;
        let per_doc: Vec<Vec<(u32, Hit)>> = counted
            .par_iter()
            .map(|c| {
                let mut v: Vec<(u32, Counts)> = c.forms.iter().map(|(form, n)| (forms[form.as_ref()], *n)).collect();
                v.sort_unstable_by_key(|(s, _)| *s);
                // Forms of one stem are now adjacent: sum them into the first.
                let mut merged: Vec<(u32, Counts)> = Vec::with_capacity(v.len());
                for (s, n) in v {
                    match merged.last_mut() {
                        Some((last, sum)) if *last == s => sum.add(&n),
                        _ => merged.push((s, n)),
                    }
                }
                merged.into_iter().map(|(s, n)| (s, hit(&n))).collect()
            })
            .collect();
        for (((n, _), c), stems) in docs.iter().zip(&counted).zip(per_doc) {
            self.lengths[*n as usize] = c.length as u32;
            for (s, h) in stems {
                self.hits[s as usize].push((*n, h));
            }
        }
        drop_in_parallel(counted);
        let dir = format!("search/{}/", self.lang);
        let pages: Vec<(u32, OutputFile)> = docs
            .par_iter()
            .map(|(n, doc)| {
                (!cancel()).then(|| (*n, pack::packed(&dir, &self.lang, &format!("d-{n}"), &[DocView::new(doc)])))
            })
            .collect::<Option<_>>()?;
        for (n, file) in &pages {
            self.hashes[*n as usize] = file_hash(file);
        }
        Some(pages.into_iter().map(|(_, f)| f).collect())
    }

    /// Shards, tails and manifest, or `None` as soon as `cancel` returns
    /// true.
    fn finish(self, cancel: Cancel) -> Option<Finished> {
        let LangIndex { lang, forms, stems, hits, lengths, hashes, .. } = self;
        let vocab: BTreeMap<String, String> =
            forms.into_iter().map(|(form, s)| (form, stems[s as usize].clone())).collect();
        let postings = postings(stems, hits, &lengths, cancel)?;
        let (blocks, tails) = shard::blocks(postings);
        let shards = shard::split(&vocab, &blocks);
        if cancel() {
            return None;
        }
        let dir = format!("search/{lang}/");
        let mut files: Vec<OutputFile> = shards
            .par_iter()
            .enumerate()
            .map(|(i, s)| (!cancel()).then(|| pack::packed(&dir, &lang, &format!("t-{i}"), s)))
            .collect::<Option<_>>()?;
        let tail_files: Vec<OutputFile> = tails
            .par_iter()
            .enumerate()
            .map(|(i, t)| (!cancel()).then(|| pack::packed(&dir, &lang, &format!("p-{i}"), t)))
            .collect::<Option<_>>()?;
        files.extend(tail_files);
        let mut each: Vec<u64> = files.par_iter().map(file_hash).collect();
        each.extend(hashes);
        let manifest = Manifest {
            lang: &lang,
            v: version(&each),
            docs: lengths.len(),
            chunk: DOCS_PER_CHUNK,
            min: analyze::MIN_WORD_CHARS,
            keys: shards.iter().map(|s| s.key.as_str()).collect(),
            fold: fold_map(),
        };
        let manifest = pack::plain(&dir, &lang, "index", &manifest);
        drop(shards);
        drop_in_parallel(tails);
        Some(Finished { files, manifest })
    }
}

/// BM25 saturation and length normalisation (the usual values).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Added to the body score of a page whose title has the word; a body
/// score tends to 1 + K1, so a title hit outweighs all but dense bodies.
const TITLE_BONUS: f64 = 1.5;

/// Stem -> pages with scores, pages in order.
fn postings(
    stems: Vec<String>,
    hits: Vec<Vec<(u32, Hit)>>,
    lengths: &[u32],
    cancel: Cancel,
) -> Option<BTreeMap<String, Postings>> {
    let total = lengths.len().max(1) as f64;
    let avg = (lengths.iter().map(|&l| l as usize).sum::<usize>() as f64 / total).max(1.0);
    let scored: Vec<(String, Postings)> = stems
        .into_par_iter()
        .zip(hits)
        .map(|(stem, mut pages)| {
            if cancel() {
                return None;
            }
            let d = pages.len() as f64;
            let idf = (1.0 + (total - d + 0.5) / (d + 0.5)).ln();
            pages.sort_unstable_by_key(|(page, _)| *page);
            for (page, h) in &mut pages {
                let norm = 1.0 - B + B * f64::from(lengths[*page as usize]) / avg;
                *h = score(*h, norm, idf);
            }
            Some((stem, pages))
        })
        .collect::<Option<_>>()?;
    Some(scored.into_iter().collect())
}

/// A page's score for a stem (from its [`Hit`]): BM25 over headings (x3),
/// summary and tags (x2) and body, plus a bonus for the title; at least 1.
fn score(hit: Hit, norm: f64, idf: f64) -> u32 {
    let tf = f64::from(hit >> 1);
    let body = tf * (K1 + 1.0) / (tf + K1 * norm);
    let title = if hit & 1 == 1 { TITLE_BONUS } else { 0.0 };
    ((body + title) * idf * 100.0).round().max(1.0) as u32
}

/// What search.js needs before it loads any shard.
#[derive(Serialize)]
struct Manifest<'a> {
    lang: &'a str,
    /// Hash of all files of the language, appended to their URLs.
    v: String,
    docs: usize,
    chunk: usize,
    /// Shortest word.
    min: usize,
    /// Lower bounds of the shards `t-0.js`, `t-1.js`, ... (see [`shard`]).
    keys: Vec<&'a str>,
    fold: BTreeMap<char, &'static str>,
}

fn fold_map() -> BTreeMap<char, &'static str> {
    analyze::FOLD_TABLE.iter().flat_map(|(from, to)| from.chars().map(move |c| (c, *to))).collect()
}

/// A page in a page chunk.
#[derive(Serialize)]
struct DocView<'a> {
    /// Path from the site root.
    u: &'a str,
    t: &'a str,
    /// Stage number and title.
    s: Option<(usize, &'a str)>,
    /// Summary.
    d: &'a str,
    /// Text (cut at [`TEXT_CHARS`]).
    x: &'a str,
    /// Headings: offset in `x` in UTF-16 units (as JavaScript counts), id.
    h: Vec<(usize, &'a str)>,
}

impl<'a> DocView<'a> {
    fn new(doc: &'a Doc) -> Self {
        let x = shard::char_prefix(&doc.text, TEXT_CHARS);
        DocView {
            u: &doc.path,
            t: &doc.title,
            s: doc.stage.as_ref().map(|(n, t)| (*n, t.as_ref())),
            d: &doc.summary,
            x,
            h: heading_offsets(x, &doc.headings),
        }
    }
}

/// Where each heading's text occurs in `text`, searching forward in order;
/// headings whose text is not found (formatting changed it) are left out.
fn heading_offsets<'a>(text: &str, headings: &'a [(Cow<'_, str>, Cow<'_, str>)]) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let (mut at, mut utf16) = (0, 0);
    for (id, h) in headings {
        let h = collapse(h);
        if h.is_empty() {
            continue;
        }
        if let Some(i) = text[at..].find(&h) {
            utf16 += utf16_len(&text[at..at + i]);
            out.push((utf16, id.as_ref()));
            utf16 += utf16_len(&h);
            at += i + h.len();
        }
    }
    out
}

/// The length of `s` in UTF-16 units, as JavaScript counts: one per
/// character, two for those outside the Basic Multilingual Plane (the ones
/// of four bytes in UTF-8).
fn utf16_len(s: &str) -> usize {
    s.chars().count() + s.bytes().filter(|&b| b >= 0xf0).count()
}

/// A file's [`hash`]: of its path, then its bytes.
fn file_hash(f: &OutputFile) -> u64 {
    hash(hash(HASH_SEED, f.path.as_bytes()), &f.bytes)
}

/// The hash of the files' hashes ([`file_hash`]), as 16 hex digits.
fn version(each: &[u64]) -> String {
    let all = each.iter().fold(HASH_SEED, |h, x| hash(h, &x.to_le_bytes()));
    format!("{all:016x}")
}

const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// A 64-bit hash of `bytes`, continuing from `h`: FxHash's step over eight
/// bytes at a time (the step is a bijection of `h` for a fixed word, so
/// changing any one word changes the result), then the length, then a
/// SplitMix64 finish so that every output bit depends on every input bit.
/// Not cryptographic: it tells browsers when to load changed files.
fn hash(mut h: u64, bytes: &[u8]) -> u64 {
    fn step(h: u64, word: u64) -> u64 {
        (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
    }
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = step(h, u64::from_le_bytes(w));
    }
    let mut w = [0u8; 8];
    w[..tail.len()].copy_from_slice(tail);
    h = step(step(h, u64::from_le_bytes(w)), bytes.len() as u64);
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc(path: &str, title: &str, text: &str) -> Doc<'static> {
        let owned = |s: &str| Cow::Owned(s.to_string());
        Doc { path: owned(path), title: owned(title), text: owned(text), ..Doc::default() }
    }

    /// The data a script file hands to `LotseSearch.add`.
    fn data(f: &OutputFile) -> Value {
        pack::read(&f.bytes).unwrap_or_else(|| panic!("{} is not a search script", f.path)).1
    }

    fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a OutputFile {
        files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"))
    }

    /// What search.js does for a word seen in the corpus: fold it, load the
    /// shard of the last key not greater, map the form to its stem and
    /// return the pages, best first, from the first block and every tail
    /// block (each block best first, blocks of page-delta/score pairs).
    fn lookup(files: &[OutputFile], lang: &str, word: &str) -> Vec<u64> {
        let manifest = data(file(files, &format!("search/{lang}/index.js")));
        let form = fold(word);
        let keys: Vec<&str> = manifest["keys"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        let shard = data(file(files, &format!("search/{lang}/t-{}.js", shard_of(&keys, &form))));
        let Some(stem) = shard["w"][form.as_str()].as_u64() else {
            return Vec::new();
        };
        let numbers = |v: &Value| -> Vec<u64> { v.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect() };
        let mut blocks = vec![numbers(&shard["p"][stem as usize])];
        for r in numbers(&shard["m"][stem as usize]).chunks(2) {
            blocks.push(numbers(&data(file(files, &format!("search/{lang}/p-{}.js", r[0])))[r[1] as usize]));
        }
        let mut pages = Vec::new();
        for block in blocks {
            let mut hits: Vec<(u64, u64)> = block
                .chunks(2)
                .scan(0, |page, c| {
                    *page += c[0];
                    Some((*page, c[1]))
                })
                .collect();
            hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            pages.extend(hits.into_iter().map(|(d, _)| d));
        }
        assert_eq!(Some(pages.len() as u64), shard["n"][stem as usize].as_u64(), "page count of {word}");
        pages
    }

    fn german() -> Vec<Doc<'static>> {
        vec![
            doc("", "Start", "Willkommen. Hier geht es um Kunden."),
            doc("ziele/", "Ziel-Landkarte", "Wir setzen Ziele und messen sie."),
            doc("kennzahlen/", "Kennzahlen", "Eine Kennzahl misst ein Ziel. Übersicht aller Werte."),
        ]
    }

    #[test]
    fn writes_a_manifest_shards_and_page_chunks_per_language() {
        let files = build("de", &german());
        assert!(files.iter().all(|f| f.path.starts_with("search/de/") && f.path.ends_with(".js")));
        let manifest = data(file(&files, "search/de/index.js"));
        assert_eq!(manifest["docs"], 3);
        assert_eq!(manifest["fold"]["ü"], "u");
        let n = 1 / DOCS_PER_CHUNK;
        let at = 1 - n * DOCS_PER_CHUNK;
        let chunk = data(file(&files, &format!("search/de/d-{n}.js")));
        assert_eq!(chunk[at]["u"], "ziele/");
        assert_eq!(chunk[at]["t"], "Ziel-Landkarte");
    }

    #[test]
    fn inflected_and_unaccented_german_forms_find_the_page() {
        let files = build("de", &german());
        assert_eq!(lookup(&files, "de", "Zielen").first(), None, "unseen forms are the browser's fallback");
        assert_eq!(lookup(&files, "de", "Ziele"), [1, 2]);
        assert_eq!(lookup(&files, "de", "Ziel"), [1, 2], "the title hit ranks first");
        assert_eq!(lookup(&files, "de", "Ubersicht"), [2]);
    }

    #[test]
    fn every_form_is_in_its_shard_with_all_pages_of_its_stem() {
        let docs = german();
        let files = build("de", &docs);
        let an = Analyzer::new("de");
        let all: Vec<(String, usize)> = docs
            .iter()
            .enumerate()
            .flat_map(|(i, d)| terms(&format!("{} {}", d.title, d.text)).map(move |t| (t, i)).collect::<Vec<_>>())
            .collect();
        for (form, _) in &all {
            let mut expected: Vec<u64> =
                all.iter().filter(|(f, _)| an.stem(f) == an.stem(form)).map(|(_, i)| *i as u64).collect();
            expected.sort();
            expected.dedup();
            let mut found = lookup(&files, "de", form);
            found.sort();
            assert_eq!(found, expected, "{form}");
        }
    }

    #[test]
    fn english_pages_are_stemmed_as_english() {
        let files = build("en", &[doc("en/a/", "Metrics", "Understanding a metric.")]);
        assert_eq!(lookup(&files, "en", "metric"), [0]);
        assert_eq!(lookup(&files, "en", "understand"), Vec::<u64>::new(), "unseen form: prefix match in the browser");
        assert_eq!(lookup(&files, "en", "understanding"), [0]);
    }

    #[test]
    fn a_cancelled_build_stops_and_returns_nothing() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let cancel = || calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2;
        assert!(build_unless("de", &german(), &cancel).is_none());
        assert!(calls.load(std::sync::atomic::Ordering::SeqCst) >= 3);
        assert_eq!(build_unless("de", &german(), &|| false), Some(build("de", &german())));
    }

    #[test]
    fn recognises_its_own_file_names() {
        let files = build("de", &german());
        assert!(files.iter().all(|f| is_index_file(&f.path)));
        for other in ["search/de/t-.js", "search/de/x.js", "search/index.js", "static/search/de/d-1.js"] {
            assert!(!is_index_file(other), "{other}");
        }
    }

    #[test]
    fn builds_the_same_bytes_twice() {
        assert_eq!(build("de", &german()), build("de", &german()));
    }

    #[test]
    fn collapses_spaces_and_glues_punctuation() {
        assert_eq!(collapse("Ein  Plan , der ( kurz )  hilft .\n"), "Ein Plan, der (kurz) hilft.");
        assert_eq!(collapse("people ’ s „ Plan ” and dogs ’ food"), "people’s „Plan” and dogs’ food");
    }

    /// [`collapse`] as first written, with the standard library's splitting.
    fn collapse_plainly(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for word in text.split_whitespace() {
            let suffix = out.ends_with('’') && word.len() <= 2 && word.starts_with(|c: char| c.is_lowercase());
            let glued = word.starts_with([',', '.', ';', ':', '!', '?', ')', '’', '”'])
                || out.ends_with(['(', '‘', '„'])
                || suffix;
            if !out.is_empty() && !glued {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    #[test]
    fn fast_collapsing_matches_the_plain_definition() {
        let texts = [
            "Ein  Plan , der ( kurz )  hilft .\n",
            "people ’ s „ Plan ” and dogs ’ food ’ S ’ sss ‘ x ’ ( y ) ; z : ! ? ",
            "\t\x0b\x0c\r\n a\u{a0}b\u{85}c\u{2003}d\u{3000}e\u{200b}f Über ügel 😀 , x",
            "",
            "   ",
            "’ a",
            "x\u{1680}y\u{2028}z\u{feff}w",
        ];
        for text in texts {
            assert_eq!(collapse(text), collapse_plainly(text), "{text:?}");
        }
        let all = texts.concat();
        assert_eq!(collapse(&all), collapse_plainly(&all));
    }

    #[test]
    fn counts_utf16_units_and_cuts_at_characters() {
        for s in ["", "abc", "Größe", "😀 x 😀", "\u{ffff}\u{10000}", "U\u{308}"] {
            assert_eq!(utf16_len(s), s.encode_utf16().count(), "{s}");
        }
        assert_eq!(shard::char_prefix("Größe", 3), "Grö");
        assert_eq!(shard::char_prefix("Größe", 5), "Größe");
        assert_eq!(shard::char_prefix("Größe", 6), "Größe");
        assert_eq!(shard::char_prefix("abc", 3), "abc");
        assert_eq!(shard::char_prefix("😀😀", 1), "😀");
    }

    #[test]
    fn version_changes_with_any_byte_and_path() {
        let files = |path: &str, bytes: &[u8]| vec![file_hash(&OutputFile::bytes(path.to_string(), bytes.to_vec()))];
        let base = version(&files("a.js", b"0123456789abcdef-tail"));
        assert_eq!(base.len(), 16);
        assert_eq!(base, version(&files("a.js", b"0123456789abcdef-tail")));
        assert_ne!(base, version(&files("b.js", b"0123456789abcdef-tail")));
        for i in 0..21 {
            let mut bytes = b"0123456789abcdef-tail".to_vec();
            bytes[i] ^= 1;
            assert_ne!(base, version(&files("a.js", &bytes)), "byte {i}");
        }
        assert_ne!(base, version(&files("a.js", b"0123456789abcdef-tail\0")));
        assert_ne!(version(&files("a.js", b"")), version(&files("a.js", b"\0")));
    }

    #[test]
    fn heading_offsets_count_utf16_units() {
        let hs = [("a".into(), "Größe".into()), ("b".into(), "Ende".into())];
        assert_eq!(heading_offsets("😀 Größe x Ende", &hs), [(3, "a"), (11, "b")]);
        let same = [("a".into(), "Ziele".into()), ("b".into(), "Ziele".into())];
        assert_eq!(heading_offsets("Ziele x Ziele", &same), [(0, "a"), (8, "b")]);
    }

    /// 10,000 pages of made-up German-like words: no file is large, and a
    /// query loads the manifest, one shard and a few chunks.
    #[test]
    fn ten_thousand_pages_shard_into_small_files() {
        let mut seed: u64 = 7;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        let syll = [
            "ge", "ver", "an", "ziel", "kun", "de", "markt", "be", "trieb", "lei", "tung", "pro", "zess", "en", "er",
            "ung",
        ];
        let vocab: Vec<String> =
            (0..20_000).map(|_| (0..2 + next() % 3).map(|_| syll[next() % syll.len()]).collect()).collect();
        let docs: Vec<Doc> = (0..10_000)
            .map(|i| {
                let mut text: Vec<&str> = (0..60).map(|_| vocab[next() % vocab.len()].as_str()).collect();
                text.extend(std::iter::repeat_n("Quelle", if i % 3 == 0 { 1 + i % 5 } else { 0 }));
                doc(&format!("p{i}/"), &format!("Seite {i}"), &text.join(" "))
            })
            .collect();
        let files = build("de", &docs);
        let largest = files.iter().map(|f| f.bytes.len()).max().unwrap();
        let total: usize = files.iter().map(|f| f.bytes.len()).sum();
        let manifest = file(&files, "search/de/index.js").bytes.len();
        assert!(largest < 100 * 1024, "largest file {largest} bytes");
        assert!(manifest < 32 * 1024, "manifest {manifest} bytes");
        assert!(total / largest > 50, "{total} bytes in {} files", files.len());
        let quelle = lookup(&files, "de", "Quelle");
        assert_eq!(quelle.len(), 3334, "all pages, from the shard and {} tail blocks", 3334 / TAIL_BLOCK);
        assert!(quelle[..FIRST_BLOCK].iter().all(|d| d % 5 == 4), "the best pages have the word five times");
    }
}
