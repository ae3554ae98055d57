//! The PDFs beside the pages they print: each stage's handout
//! (`/<stage>/checklist/checklist.pdf`), the series checklist
//! (`/checklists/checklists.pdf`) and the whole guide of each language
//! (`/print/guide.pdf`), typeset by [`crate::pdf`] from the same data as
//! the HTML pages.

use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::frame::Out;
use super::{LangCtx, RenderInput, summary};
use crate::checklist::{self, ArticleList, StageList};
use crate::error::Diagnostic;
use crate::markdown::typst::{escape, label, string};
use crate::model::{Book, Kind, Site};
use crate::pdf::Document;
use crate::pdf::template::{Setup, preamble};

/// The file name of a stage handout's PDF (beside `checklist.csv`).
pub const HANDOUT: &str = "checklist.pdf";
/// The file name of the series checklist's PDF.
pub const SERIES: &str = "checklists.pdf";
/// The file name of the whole guide's PDF, in the print page's folder.
pub const GUIDE: &str = "guide.pdf";
/// The file name of a facilitator guide's PDF (in `/<stage>/workshop/`).
pub const WORKSHOP: &str = "workshop.pdf";
/// The file name of a worksheet's PDF (in `/<stage>/worksheets/<id>/`).
pub const WORKSHEET: &str = "worksheet.pdf";
/// The file name of the position check's questionnaire (in `/assessment/`).
pub const ASSESSMENT: &str = "assessment.pdf";

/// Most checklist items a handout PDF holds (about 60 pages): typesetting
/// a stage of a 10,000-page wiki with 9,000 items took 3 s and 1 GB each.
pub const MAX_HANDOUT_ITEMS: usize = 1000;

/// Whether the site writes PDFs at all (`print.pdf`).
pub fn enabled(site: &Site) -> bool {
    site.config.print.pdf
}

/// Whether `book` gets a whole-guide PDF: PDFs on, a print version, and
/// fewer pages than `print.pdf_max_pages`.
pub fn guide_wanted(site: &Site, book: &Book) -> bool {
    enabled(site)
        && super::print::wanted(site, book)
        && book.series.len() + book.pages.len() < site.config.print.pdf_max_pages
}

/// The heading level of a page's title in the whole guide: articles sit
/// under their stage, everything else at the top.
pub fn title_level(kind: Kind) -> u8 {
    if kind == Kind::Article { 2 } else { 1 }
}

/// The handout PDFs of one language: every stage with items, and the series.
pub(crate) fn render_handouts(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    if !enabled(site) || input.facts(lc.lang).is_none_or(|f| f.items == 0) {
        return Ok(());
    }
    let Some(book) = site.book(lc.lang) else { return Ok(()) };
    let lists = checklist::stage_lists(site, input.pages, lc.lang);
    for l in lists.iter().filter(|l| l.count > MAX_HANDOUT_ITEMS) {
        out.note(format!(
            "{}checklist/{HANDOUT} not written: {} checklist items, more than {MAX_HANDOUT_ITEMS} (the HTML handout and its exports have them all)",
            l.path, l.count
        ));
    }
    let mut jobs: Vec<(String, Document)> = lists
        .iter()
        .filter(|l| l.count > 0 && l.count <= MAX_HANDOUT_ITEMS)
        .map(|l| {
            let path = format!("{}checklist/{HANDOUT}", l.path);
            let doc = handout(input, lc, std::slice::from_ref(l), &l.permalink, &path);
            (path, doc)
        })
        .collect();
    let total: usize = lists.iter().map(|l| l.count).sum();
    if super::print::wanted(site, book) && total <= MAX_HANDOUT_ITEMS {
        let path = format!("{}checklists/{SERIES}", book.prefix);
        let home = site.config.permalink(&book.prefix);
        jobs.push((path.clone(), handout(input, lc, &lists, &home, &path)));
    }
    typeset_all(out, jobs)
}

/// The whole guide of one language as one PDF.
pub(crate) fn render_guide(input: &RenderInput, lc: &LangCtx, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let (Some(book), Some(pb)) = (site.book(lc.lang), input.print.iter().find(|b| b.lang == lc.lang)) else {
        return Ok(());
    };
    if !guide_wanted(site, book) {
        let pages = book.series.len() + book.pages.len();
        if enabled(site) && super::print::wanted(site, book) {
            out.note(format!(
                "{}print/{GUIDE} not written: {pages} pages, print.pdf_max_pages is {} (the handouts are written)",
                book.prefix, site.config.print.pdf_max_pages
            ));
        }
        return Ok(());
    }
    let path = format!("{}print/{GUIDE}", book.prefix);
    let doc = guide(input, lc, pb, &path);
    typeset_all(out, vec![(path, doc)])
}

/// Typesets the documents into forks of `out`, joined in order, on two
/// threads (where there are two cores) taking the next document as they
/// finish one: a group of many documents (the facilitator guides and
/// worksheets of a language) that is typeset last no longer leaves a core
/// idle. In `lotse build`, Typst's memo cache is trimmed after each
/// document (see `pdf::one_off_process`).
pub(super) fn typeset_all(out: &mut Out, jobs: Vec<(String, Document)>) -> Result<(), Vec<Diagnostic>> {
    let tasks: Vec<Mutex<Option<(String, Document, Out)>>> =
        jobs.into_iter().map(|(path, doc)| Mutex::new(Some((path, doc, out.fork())))).collect();
    let done: Vec<Mutex<Option<Result<Out, Diagnostic>>>> = tasks.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut i = next.fetch_add(1, Ordering::SeqCst);
        while let Some(task) = tasks.get(i) {
            if let Some((path, doc, part)) = lock(task).take() {
                *lock(&done[i]) = Some(typeset_one(path, doc, part));
            }
            i = next.fetch_add(1, Ordering::SeqCst);
        }
    };
    let threads = rayon::current_num_threads().clamp(1, 2).min(tasks.len());
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let mut parts = Vec::new();
    let mut diags = Vec::new();
    for r in done.into_iter().filter_map(|d| d.into_inner().unwrap_or_else(|e| e.into_inner())) {
        match r {
            Ok(p) => parts.push(p),
            Err(d) => diags.push(d),
        }
    }
    out.join(parts);
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// Typesets one document into `part`, or notes why it is left out.
fn typeset_one<'i, 'a>(path: String, doc: Document, mut part: Out<'i, 'a>) -> Result<Out<'i, 'a>, Diagnostic> {
    let doc = Document { source: crate::pdf::resolve_refs(&doc.source), ..doc };
    match crate::pdf::fits(&doc) {
        Ok(()) => {
            let len = doc.source.len();
            let done = part.pdf(path, doc).map(|()| part);
            // In `lotse build`, what this document laid out is not needed again.
            crate::pdf::after_document(len);
            done
        }
        Err(why) => {
            part.note(format!("{path} not written: {why}"));
            Ok(part)
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs the typesetting jobs on as many threads as there are cores (at
/// most two: Typst's memo cache grows with every document typeset at the
/// same time), in the jobs' order but for those `large` picks (the whole
/// guides): one thread typesets them one after the other, then helps with
/// the rest. The results come back in the jobs' order. A job's own
/// documents are typeset on two threads again ([`typeset_all`]), so up to
/// four documents are under way at once (the flagship's cold build peaked
/// at 470 instead of 460 MB when this was measured; since `lotse build`
/// empties the memo cache after each document, at 260-300 MB).
///
/// The threads share Typst's memo cache; it is only trimmed while no
/// document is being typeset (`pdf::after_document`).
pub(super) fn run_jobs<J: Send, R: Send>(
    jobs: Vec<J>,
    large: impl Fn(&J) -> bool,
    run: impl Fn(J) -> R + Sync,
) -> Vec<R> {
    let n = jobs.len();
    let (big, small): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| large(&jobs[i]));
    let slots: Vec<Mutex<Option<J>>> = jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
    let results: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next_small = AtomicUsize::new(0);
    let take = |i: usize| {
        if let Some(job) = lock(&slots[i]).take() {
            let r = run(job);
            *lock(&results[i]) = Some(r);
        }
    };
    let help = || {
        while let Some(&i) = small.get(next_small.fetch_add(1, Ordering::SeqCst)) {
            take(i);
        }
    };
    let threads = rayon::current_num_threads().clamp(1, 2);
    std::thread::scope(|scope| {
        if threads > 1 {
            scope.spawn(help);
        }
        for &i in &big {
            take(i);
        }
        help();
    });
    results.into_iter().filter_map(|r| r.into_inner().unwrap_or_else(|e| e.into_inner())).collect()
}

pub(super) fn t<'a>(lc: &'a LangCtx, key: &str, default: &'a str) -> &'a str {
    lc.strings.get(key).map_or(default, String::as_str)
}

/// The preamble's values for a document of `lc`'s language.
pub(super) fn setup<'a>(input: &'a RenderInput, lc: &'a LangCtx, title: &'a str, running_stage: bool) -> Setup<'a> {
    let c = &input.site.config;
    Setup {
        title,
        lang: lc.lang,
        paper: match c.print.paper {
            crate::config::Paper::A4 => "a4",
            crate::config::Paper::Letter => "us-letter",
        },
        margin: c.print.margin_length().unwrap_or("18mm"),
        accent: &c.branding.accent,
        header: c.title.get(lc.lang, &c.default_language),
        page_word: t(lc, "pdf_page", "Page"),
        running_stage,
        justify: false,
    }
}

/// A QR code of `url` as a file of `doc` (none without an absolute base URL).
fn qr_file(input: &RenderInput, url: &str, doc: &mut Document) -> bool {
    let Some(svg) = super::handout::qr_svg(url, &input.site.config.base_url) else { return false };
    doc.files.push(("/qr.svg".into(), Arc::new(svg.into_bytes())));
    true
}

/// A handout: one stage, or the whole series (`lists` of every stage),
/// laid out like the HTML handout (`handout.html`).
fn handout(input: &RenderInput, lc: &LangCtx, lists: &[StageList], online: &str, path: &str) -> Document {
    let site = input.site;
    let c = &site.config;
    let guide_title = c.title.get(lc.lang, &c.default_language);
    let series = lists.len() != 1 || path.ends_with(SERIES);
    let heading = if series {
        t(lc, "all_checklists", "Checklists").to_string()
    } else {
        format!("{} {}: {}", t(lc, "stage", "Stage"), lists[0].number, lists[0].title)
    };
    let doc_title = format!("{} – {heading}", t(lc, "handout_title", "Checklist"));
    let mut doc = Document { ident: path.to_string(), ..Document::default() };
    let qr = qr_file(input, online, &mut doc);
    let mut s = preamble(&setup(input, lc, &doc_title, series));
    let total: usize = lists.iter().map(|l| l.count).sum();
    // Head: title block at the left, QR code at the right.
    s.push_str("#grid(columns: (1fr, auto), column-gutter: 12pt, [\n");
    let _ = writeln!(
        s,
        "#text(size: 0.85em, fill: luma(80))[{} · {}]\n",
        escape(guide_title),
        escape(t(lc, "handout_title", "Checklist"))
    );
    let _ = writeln!(s, "#heading(level: 1, outlined: false)[{}]\n", escape(&heading));
    if let (false, Some(outcome)) = (series, lists[0].outcome) {
        let _ = writeln!(s, "#strong[{}:] {}\n", escape(t(lc, "outcome", "Outcome")), escape(outcome));
    }
    let _ = writeln!(s, "{total} {}\n", escape(t(lc, "checklist_items", "checklist items")));
    s.push_str("], [\n");
    if qr {
        let _ = writeln!(
            s,
            "#align(center)[#image(\"/qr.svg\", width: 26mm)\n#text(size: 0.75em)[{}]]",
            escape(t(lc, "online", "Online"))
        );
    }
    s.push_str("])\n\n");
    // The fill-in fields.
    let _ = writeln!(
        s,
        "#table(columns: (auto, 1fr, auto, 1fr), rows: 2.2em, align: horizon, [*{}*], [], [*{}*], [], [*{}*], table.cell(colspan: 3)[])\n",
        escape(t(lc, "date", "Date")),
        escape(t(lc, "facilitator", "Facilitator")),
        escape(t(lc, "participants", "Participants"))
    );
    for list in lists.iter().filter(|l| l.count > 0) {
        if series {
            let _ = writeln!(
                s,
                "#heading(level: 1)[{} {}: {}]\n",
                escape(t(lc, "stage", "Stage")),
                list.number,
                escape(list.title)
            );
        }
        for a in &list.articles {
            article_items(&mut s, lc, a);
        }
    }
    doc.source = s;
    doc
}

/// One article's items: its title with the online address, the table of
/// items (a row is never split across pages), and lines for notes.
pub(super) fn article_items(s: &mut String, lc: &LangCtx, a: &ArticleList) {
    let link = if a.permalink.contains("://") {
        format!("#link({})[{}]", string(&a.permalink), escape(a.title))
    } else {
        escape(a.title)
    };
    let _ = writeln!(s, "#heading(level: 2)[{link}]");
    // Sticky: the title and address never end a page without the table.
    let _ = writeln!(s, "#block(sticky: true)[#text(size: 0.8em, fill: luma(80))[{}]]\n", escape(&a.permalink));
    let _ = writeln!(
        s,
        "#table(columns: (1.7em, 1fr, 30mm, 20mm), align: (center + top, left, left, left), inset: (x: 5pt, y: 6pt),\n  table.header([], [{}], [{}], [{}]),",
        escape(t(lc, "item", "Item")),
        escape(t(lc, "owner", "Owner")),
        escape(t(lc, "due", "Due"))
    );
    for sec in &a.sections {
        for (n, item) in sec.items.iter().enumerate() {
            let head = match sec.heading {
                Some(h) if n == 0 => {
                    format!("#text(size: 0.85em, weight: \"bold\", fill: luma(70))[{}]\\\n", escape(h))
                }
                _ => String::new(),
            };
            let pad = if item.depth > 0 { format!("#h({}em)", item.depth) } else { String::new() };
            let _ = writeln!(s, "  [#lotse-box({})], [{head}{pad}{}], [], [],", item.checked, item.typst);
        }
    }
    s.push_str(")\n");
    let _ = writeln!(
        s,
        "#block(breakable: false)[#text(size: 0.85em, fill: luma(80))[{}] #v(1.2em) #line(length: 100%, stroke: 0.4pt + luma(150)) #v(1.2em) #line(length: 100%, stroke: 0.4pt + luma(150))]\n",
        escape(t(lc, "notes", "Notes"))
    );
}

/// The whole guide: cover, table of contents, then every page in print
/// order, stages starting on a new page.
fn guide(input: &RenderInput, lc: &LangCtx, pb: &super::print::PrintBook, path: &str) -> Document {
    let site = input.site;
    let c = &site.config;
    let title = c.title.get(lc.lang, &c.default_language);
    let mut doc = Document { ident: path.to_string(), ..Document::default() };
    let home = site.book(lc.lang).map_or(String::new(), |b| c.permalink(&b.prefix));
    let qr = qr_file(input, &home, &mut doc);
    let mut s = preamble(&Setup { justify: true, ..setup(input, lc, title, true) });
    // Cover.
    s.push_str("#page(header: none, footer: none)[\n#v(25%)\n");
    let _ = writeln!(s, "#text(size: 2.4em, weight: \"bold\", fill: lotse-accent)[{}]\n", escape(title));
    let description = c.description.get(lc.lang, &c.default_language);
    if !description.is_empty() {
        let _ = writeln!(s, "#text(size: 1.25em)[{}]\n", escape(description));
    }
    let newest = pb.sections.iter().filter_map(|sec| site.pages[sec.page].last_updated.as_deref()).max();
    if let Some(d) = newest {
        let _ = writeln!(
            s,
            "#v(1em)\n{} {}\n",
            escape(t(lc, "as_of", "As of")),
            escape(&super::local_date(&lc.strings, d))
        );
    }
    if qr {
        let _ = writeln!(s, "#v(1fr)\n#image(\"/qr.svg\", width: 30mm)\n#text(size: 0.85em)[{}]\n", escape(&home));
    }
    s.push_str("]\n");
    let _ = writeln!(
        s,
        "#outline(title: [{}], depth: 2, indent: 1.2em)\n#pagebreak()\n",
        escape(t(lc, "pdf_contents", "Contents"))
    );
    for (i, sec) in pb.sections.iter().enumerate() {
        let p = &site.pages[sec.page];
        if let (Kind::Stage, Some(st)) = (p.kind, p.stage) {
            let articles = pb.sections[i + 1..].iter().take_while(|a| site.pages[a.page].kind == Kind::Article);
            stage_divider(&mut s, input, lc, sec, site.stages[st].number, articles);
            s.push_str(&sec.typst);
            s.push('\n');
            continue;
        }
        let level = title_level(p.kind);
        if level == 1 {
            s.push_str("#pagebreak(weak: true)\n");
        }
        let _ = writeln!(s, "#heading(level: {level})[{}]<{}>\n", escape(p.meta.title()), label(&sec.anchor));
        let sum = super::own_summary(p);
        if p.kind != Kind::Home && !sum.is_empty() {
            let _ = writeln!(s, "#text(size: 1.08em, fill: luma(60))[{}]\n", escape(sum));
        }
        if let Some(outcome) = p.meta.outcome() {
            let _ = writeln!(
                s,
                "#block(fill: luma(244), inset: 7pt, width: 100%)[#strong[{}:] {}]\n",
                escape(t(lc, "outcome", "Outcome")),
                escape(outcome)
            );
        }
        s.push_str(&sec.typst);
        s.push('\n');
    }
    doc.source = s;
    doc
}

/// A stage's divider page in the whole guide: its number and title set
/// large (the heading the table of contents and the running header show
/// is `Stage 3: Title`), its summary and outcome, and its articles with
/// their page numbers, each a link. The stage's own text follows on the
/// next page.
fn stage_divider<'s>(
    s: &mut String,
    input: &RenderInput,
    lc: &LangCtx,
    sec: &super::print::PrintSection,
    number: usize,
    articles: impl Iterator<Item = &'s super::print::PrintSection>,
) {
    let site = input.site;
    let p = &site.pages[sec.page];
    let stage = format!("{} {number}", t(lc, "stage", "Stage"));
    s.push_str("#pagebreak(weak: true)\n#page(header: none)[\n#v(16%)\n");
    // Shown as two lines; the heading itself keeps the whole title.
    let _ = writeln!(
        s,
        "#[#show heading: it => block(below: 1.4em)[#text(size: 1.3em, weight: \"regular\")[{}]#linebreak()#text(size: 1.75em)[{}]]\n#heading(level: 1)[{}: {}]<{}>]\n",
        escape(&stage),
        escape(p.meta.title()),
        escape(&stage),
        escape(p.meta.title()),
        label(&sec.anchor)
    );
    let sum = summary(p, &input.pages[sec.page]);
    if !sum.is_empty() {
        let _ = writeln!(s, "#text(size: 1.15em, fill: luma(60))[{}]\n", escape(sum));
    }
    if let Some(outcome) = p.meta.outcome() {
        let _ = writeln!(
            s,
            "#block(fill: luma(244), inset: 8pt, width: 100%)[#strong[{}:] {}]\n",
            escape(t(lc, "outcome", "Outcome")),
            escape(outcome)
        );
    }
    let rows: Vec<String> = articles
        .map(|a| {
            let l = label(&a.anchor);
            format!(
                "  [#lotse-ref(\"{l}\", [{}])], [#context counter(page).at(<{l}>).first()],\n",
                escape(site.pages[a.page].meta.title())
            )
        })
        .collect();
    if !rows.is_empty() {
        let _ = writeln!(
            s,
            "#v(1.2em)\n#text(weight: \"bold\", fill: lotse-accent)[{}]\n#v(0.3em)\n#grid(columns: (1fr, auto), column-gutter: 1em, row-gutter: 0.75em, align: (left, right),\n{})",
            escape(t(lc, "articles", "Articles in this stage")),
            rows.concat()
        );
    }
    s.push_str("]\n");
}
