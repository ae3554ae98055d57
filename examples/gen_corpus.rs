//! Generates a deterministic synthetic guide for the build benchmarks
//! (`bench/run.sh`, issue 7), as a Lotse site or as the same logical corpus
//! for Hugo or Zola.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --pages 1000 --out /tmp/c1k
//! cargo run --release --example gen_corpus -- --pages 1000 --out /tmp/c1k-hugo --format hugo
//! cargo run --release --example gen_corpus -- --pages 1000 --out /tmp/c1k-zola --format zola
//! cargo run --release --example gen_corpus -- --pages 10000 --out /tmp/c10k-skewed --shape skewed
//! ```
//!
//! `--pages N` is the number of articles; every corpus also has a home page
//! and six stages (folders with `_index.md`), so it holds N + 7 Markdown
//! files. The same `--seed` gives the same bytes on every run and machine:
//! the text comes from a small xorshift generator, not from the clock.
//!
//! Each article has front-matter (title, summary, order, tags, roles, date),
//! 600 to 1,200 words of German-ish or English-ish filler under `##` and
//! `###` headings, a bullet list, a table, a code block, a task list of 3 to
//! 8 items and 3 to 5 cross-links to other articles. `--shape skewed` makes
//! a corpus of another shape: a few very large stages, short and very long
//! pages, up to 15 links. The Markdown bodies are identical in all three
//! formats except for the link destinations:
//!
//! | format | links | front-matter |
//! |---|---|---|
//! | lotse | relative `.md` paths (`../02-ziele/article-00017.md`) | YAML |
//! | hugo | `{{< relref "/02-ziele/article-00017.md" >}}` (checked by Hugo) | YAML, `order` also as `weight` |
//! | zola | `@/02-ziele/article-00017.md` (checked by Zola) | TOML, `weight`, tags/roles as `[taxonomies]` |
//!
//! The Hugo and Zola sites come with minimal templates (home, section,
//! page, tag and role pages) that render every page with navigation, table
//! of contents, terms and previous/next links.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

/// Generates a synthetic guide for benchmarks.
#[derive(Debug, Parser)]
#[command(name = "gen_corpus")]
struct Args {
    /// Number of articles (the corpus also has a home page and six stage pages).
    #[arg(long)]
    pages: usize,
    /// Output folder; must not exist or be empty.
    #[arg(long)]
    out: PathBuf,
    /// Which generator the site is laid out for.
    #[arg(long, value_enum, default_value_t = Format::Lotse)]
    format: Format,
    /// Seed of the text generator; the same seed gives the same corpus.
    #[arg(long, default_value_t = 20_260_701)]
    seed: u64,
    /// How pages are spread and sized: `uniform` (six equal stages, 600 to
    /// 1,200 words, 3 to 5 links) or `skewed` (stages of 40, 25, 15, 10, 6
    /// and 4 % of the articles; 30 % short pages of 80 to 250 words, 10 %
    /// long ones of 3,000 to 6,000; 2 to 15 links), to check that the
    /// pipeline, not one corpus, is fast.
    #[arg(long, value_enum, default_value_t = Shape::Uniform)]
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Shape {
    Uniform,
    Skewed,
}

impl Shape {
    /// Percent of the articles in each stage.
    fn stage_weights(self) -> [usize; 6] {
        match self {
            Shape::Uniform => [0; 6],
            Shape::Skewed => [40, 25, 15, 10, 6, 4],
        }
    }

    /// Words of the next article (drawn only for the skewed shape, so the
    /// uniform corpus stays what it always was).
    fn words(self, rng: &mut Rng) -> (usize, usize) {
        match self {
            Shape::Uniform => (600, 1200),
            Shape::Skewed => match rng.range(1, 10) {
                1..=3 => (80, 250),
                4 => (3000, 6000),
                _ => (600, 1200),
            },
        }
    }

    /// How many links an article has.
    fn links(self) -> (usize, usize) {
        match self {
            Shape::Uniform => (3, 5),
            Shape::Skewed => (2, 15),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Lotse,
    Hugo,
    Zola,
}

/// xorshift64*: small, fast, deterministic; good enough for filler text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Never zero, and different seeds spread apart.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.range(1, 100) <= percent
    }
}

const STAGES: [(&str, &str, &str); 6] = [
    ("01-fuehrung", "Führung und Mandat", "Ein unterschriebenes Mandat mit benanntem Sponsor."),
    ("02-ziele", "Ziele und Kundennutzen", "Eine Ziel-Landkarte mit messbaren Kennzahlen."),
    ("03-taktik", "Taktik und Prozesse", "Beschriebene Abläufe mit klaren Zuständigkeiten."),
    ("04-software", "Software und Daten", "Ein ausgewähltes System und ein Datenmodell."),
    ("05-einfuehrung", "Einführung und Akzeptanz", "Geschulte Teams, die das System nutzen."),
    ("06-betrieb", "Betrieb und Weiterentwicklung", "Ein Rhythmus für Pflege und Verbesserung."),
];

const DE: &[&str] = &[
    "Kunde",
    "Vertrieb",
    "Ziel",
    "Mandat",
    "Führung",
    "Daten",
    "Prozess",
    "Team",
    "Nutzen",
    "System",
    "Bericht",
    "Termin",
    "Angebot",
    "Kennzahl",
    "Entscheidung",
    "Verantwortung",
    "Pflege",
    "Abstimmung",
    "Schulung",
    "Einführung",
    "Qualität",
    "Übersicht",
    "Workshop",
    "Außendienst",
    "Innendienst",
    "Geschäftsleitung",
    "Rückmeldung",
    "Vorhaben",
    "Landkarte",
    "Ablauf",
    "Werkzeug",
    "Beziehung",
    "Erfolg",
    "Budget",
    "Zeitplan",
    "Schnittstelle",
    "der",
    "die",
    "das",
    "und",
    "oder",
    "mit",
    "für",
    "ohne",
    "über",
    "nach",
    "vor",
    "bei",
    "jede",
    "viele",
    "klare",
    "neue",
    "gemeinsame",
    "wichtige",
    "messbare",
    "tägliche",
    "früh",
    "später",
    "deshalb",
    "zuerst",
    "wird",
    "braucht",
    "liefert",
    "prüft",
    "entscheidet",
    "beschreibt",
    "vereinbart",
    "nutzt",
    "pflegt",
    "zeigt",
    "verändert",
    "sichert",
    "stärkt",
    "plant",
];

const EN: &[&str] = &[
    "customer",
    "sales",
    "goal",
    "mandate",
    "leadership",
    "data",
    "process",
    "team",
    "benefit",
    "system",
    "report",
    "meeting",
    "offer",
    "metric",
    "decision",
    "ownership",
    "upkeep",
    "alignment",
    "training",
    "rollout",
    "quality",
    "overview",
    "workshop",
    "field",
    "office",
    "board",
    "feedback",
    "project",
    "roadmap",
    "workflow",
    "tool",
    "relationship",
    "success",
    "budget",
    "schedule",
    "interface",
    "the",
    "a",
    "and",
    "or",
    "with",
    "for",
    "without",
    "about",
    "after",
    "before",
    "at",
    "every",
    "many",
    "clear",
    "new",
    "shared",
    "important",
    "measurable",
    "daily",
    "early",
    "later",
    "therefore",
    "first",
    "will",
    "needs",
    "delivers",
    "checks",
    "decides",
    "describes",
    "agrees",
    "uses",
    "keeps",
    "shows",
    "changes",
    "secures",
    "strengthens",
    "plans",
];

const TAGS: &[&str] = &[
    "Führung",
    "Strategie",
    "Kultur",
    "Ziele",
    "Kennzahlen",
    "Kundennutzen",
    "Prozesse",
    "Daten",
    "Datenqualität",
    "Auswahl",
    "Implementierung",
    "Schulung",
    "Akzeptanz",
    "Kommunikation",
    "Betrieb",
    "Reporting",
    "Vertrieb",
    "Service",
    "Marketing",
    "Governance",
    "Workshop",
    "Budget",
    "Risiko",
    "Integration",
    "Rollout",
    "Pilot",
];

const ROLES: &[&str] = &["management", "crm-lead", "project-lead", "sales", "it", "facilitator"];

/// A piece of an article body: text, or a link to another page.
#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Link { text: String, to: Target },
}

/// What a link points to.
#[derive(Debug, Clone, Copy)]
enum Target {
    Article(usize),
    Stage(usize),
}

/// One Markdown file of the logical corpus, independent of the format.
#[derive(Debug)]
struct Doc {
    kind: DocKind,
    title: String,
    summary: String,
    body: Vec<Piece>,
}

#[derive(Debug)]
enum DocKind {
    Home,
    Stage {
        index: usize,
    },
    Article {
        number: usize,
        stage: usize,
        order: usize,
        tags: Vec<&'static str>,
        roles: Vec<&'static str>,
        date: String,
    },
}

/// Where each article lives: its stage and its number.
struct Layout {
    stage_of: Vec<usize>,
}

impl Layout {
    fn new(articles: usize, shape: Shape) -> Self {
        let weights = shape.stage_weights();
        let stage_of = (0..articles)
            .map(|i| match shape {
                Shape::Uniform => i * STAGES.len() / articles.max(1),
                // The stage whose cumulative share first exceeds i's place.
                Shape::Skewed => {
                    let at = i * 100 / articles.max(1);
                    let mut sum = 0;
                    weights
                        .iter()
                        .position(|w| {
                            sum += w;
                            at < sum
                        })
                        .unwrap_or(STAGES.len() - 1)
                }
            })
            .collect();
        Layout { stage_of }
    }

    /// Path relative to `content/`.
    fn rel(&self, t: Target) -> String {
        match t {
            Target::Article(n) => format!("{}/{}", STAGES[self.stage_of[n]].0, article_file(n)),
            Target::Stage(s) => format!("{}/_index.md", STAGES[s].0),
        }
    }

    /// The folder (relative to `content/`) of a document.
    fn dir(&self, kind: &DocKind) -> String {
        match kind {
            DocKind::Home => String::new(),
            DocKind::Stage { index } => STAGES[*index].0.to_string(),
            DocKind::Article { stage, .. } => STAGES[*stage].0.to_string(),
        }
    }
}

fn article_file(n: usize) -> String {
    format!("article-{n:05}.md")
}

struct Writer {
    rng: Rng,
    /// German-ish (true) or English-ish filler for the current document.
    german: bool,
    words: usize,
}

impl Writer {
    fn word(&mut self) -> &'static str {
        let w = if self.german { DE } else { EN };
        self.rng.pick(w)
    }

    fn capitalised(&mut self) -> String {
        let w = self.word();
        let mut c = w.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }

    /// A phrase of `lo..=hi` words, first word capitalised, no full stop.
    fn phrase(&mut self, lo: usize, hi: usize) -> String {
        let n = self.rng.range(lo, hi);
        let mut s = self.capitalised();
        for _ in 1..n {
            s.push(' ');
            s.push_str(self.word());
        }
        self.words += n;
        s
    }

    fn sentence(&mut self) -> String {
        let mut s = self.phrase(6, 16);
        if self.rng.chance(25) {
            s.push_str(", ");
            let tail = self.phrase(3, 7);
            s.push_str(&tail.to_lowercase());
        }
        s.push('.');
        s
    }

    fn paragraph(&mut self) -> String {
        let n = self.rng.range(3, 6);
        let sentences: Vec<String> = (0..n).map(|_| self.sentence()).collect();
        sentences.join(" ")
    }

    fn title(&mut self) -> String {
        let n = self.rng.range(2, 5);
        let mut parts = Vec::with_capacity(n);
        for _ in 0..n {
            parts.push(self.capitalised());
        }
        self.words += n;
        parts.join(" ")
    }

    fn list(&mut self, task: bool, lo: usize, hi: usize) -> String {
        let n = self.rng.range(lo, hi);
        let mut out = String::new();
        for _ in 0..n {
            let item = self.phrase(3, 10);
            out.push_str(if task { "- [ ] " } else { "- " });
            out.push_str(&item);
            out.push('\n');
        }
        out
    }

    fn table(&mut self) -> String {
        let cols = self.rng.range(3, 4);
        let rows = self.rng.range(3, 6);
        let mut out = String::new();
        let head: Vec<String> = (0..cols).map(|_| self.phrase(1, 2)).collect();
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(cols));
        for r in 0..rows {
            let mut cells: Vec<String> = (0..cols - 1).map(|_| self.phrase(2, 5)).collect();
            cells.push(((r + 1) * self.rng.range(3, 97)).to_string());
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out
    }

    fn code(&mut self) -> String {
        let mut out = String::from("```yaml\n");
        let lines = self.rng.range(4, 8);
        for i in 0..lines {
            let key = self.word().to_lowercase();
            let value = self.rng.range(1, 500);
            let _ = writeln!(out, "{key}_{i}: {value}");
        }
        out.push_str("```\n");
        out
    }
}

/// Builds the whole logical corpus: home, six stages, `articles` articles.
fn corpus(articles: usize, seed: u64, shape: Shape) -> (Layout, Vec<Doc>) {
    let layout = Layout::new(articles, shape);
    let mut w = Writer { rng: Rng::new(seed), german: true, words: 0 };
    let mut docs = Vec::with_capacity(articles + 7);

    let mut body = vec![Piece::Text(format!("{}\n\n## {}\n\n", w.paragraph(), w.title()))];
    for (i, (_, title, _)) in STAGES.iter().enumerate() {
        body.push(Piece::Text(format!("{}. ", i + 1)));
        body.push(Piece::Link { text: (*title).to_string(), to: Target::Stage(i) });
        body.push(Piece::Text(format!(": {}\n", w.sentence())));
    }
    docs.push(Doc { kind: DocKind::Home, title: "Benchmark-Leitfaden".into(), summary: w.sentence(), body });

    for (i, (_, title, _)) in STAGES.iter().enumerate() {
        let mut body = vec![Piece::Text(format!("{}\n\n{}\n\n", w.paragraph(), w.paragraph()))];
        if i + 1 < STAGES.len() {
            body.push(Piece::Text("Weiter geht es mit ".into()));
            body.push(Piece::Link { text: STAGES[i + 1].1.to_string(), to: Target::Stage(i + 1) });
            body.push(Piece::Text(".\n".into()));
        }
        docs.push(Doc { kind: DocKind::Stage { index: i }, title: (*title).to_string(), summary: w.sentence(), body });
    }

    let mut order_in_stage = [0usize; 6];
    let titles: Vec<String> = (0..articles)
        .map(|n| {
            w.german = w.rng.chance(60);
            format!("{} {}", w.title(), n)
        })
        .collect();
    for n in 0..articles {
        let stage = layout.stage_of[n];
        order_in_stage[stage] += 1;
        w.german = w.rng.chance(60);
        let mut tags: Vec<&str> = (0..w.rng.range(1, 4)).map(|_| w.rng.pick(TAGS)).collect();
        tags.sort_unstable();
        tags.dedup();
        let mut roles: Vec<&str> = (0..w.rng.range(1, 3)).map(|_| w.rng.pick(ROLES)).collect();
        roles.sort_unstable();
        roles.dedup();
        let date = format!("{}-{:02}-{:02}", w.rng.range(2019, 2025), w.rng.range(1, 12), w.rng.range(1, 28));
        let links = link_targets(&mut w.rng, &layout, n, shape.links());
        let words = shape.words(&mut w.rng);
        let body = article_body(&mut w, &links, &titles, words);
        docs.push(Doc {
            kind: DocKind::Article { number: n, stage, order: order_in_stage[stage], tags, roles, date },
            title: titles[n].clone(),
            summary: w.sentence(),
            body,
        });
    }
    (layout, docs)
}

/// `lo` to `hi` distinct other articles, half of them in the same stage
/// where possible.
fn link_targets(rng: &mut Rng, layout: &Layout, from: usize, (lo, hi): (usize, usize)) -> Vec<usize> {
    let total = layout.stage_of.len();
    if total < 2 {
        return Vec::new();
    }
    let want = rng.range(lo, hi).min(total - 1);
    let mut out = Vec::with_capacity(want);
    while out.len() < want {
        let to = if rng.chance(50) {
            // Near neighbours are usually in the same stage.
            let d = rng.range(1, 20);
            if rng.chance(50) { from.saturating_sub(d) } else { (from + d).min(total - 1) }
        } else {
            rng.range(0, total - 1)
        };
        if to != from && !out.contains(&to) {
            out.push(to);
        }
    }
    out
}

/// An article of `lo` to `hi` words.
fn article_body(w: &mut Writer, links: &[usize], titles: &[String], (lo, hi): (usize, usize)) -> Vec<Piece> {
    w.words = 0;
    let target = w.rng.range(lo, hi);
    // Blocks of Markdown; paragraphs are remembered so links can go into them.
    let mut blocks: Vec<String> = vec![w.paragraph()];
    let mut paragraphs = vec![0];
    let mut seen = Vec::new();
    let (mut list_done, mut table_done, mut code_done) = (false, false, false);
    // Stop early enough that the links, the task list and the code block
    // (about 80 words) land the article inside lo..=hi words.
    let room = |w: &Writer| w.words + 80 < target;
    while room(w) {
        blocks.push(format!("## {}", heading(w, &mut seen)));
        for _ in 0..w.rng.range(1, 3) {
            paragraphs.push(blocks.len());
            blocks.push(w.paragraph());
            if !room(w) {
                break;
            }
        }
        if !list_done {
            blocks.push(w.list(false, 3, 6));
            list_done = true;
        } else if !table_done {
            blocks.push(w.table());
            table_done = true;
        } else if !code_done {
            blocks.push(w.code());
            code_done = true;
        }
        if room(w) && w.rng.chance(50) {
            blocks.push(format!("### {}", heading(w, &mut seen)));
            paragraphs.push(blocks.len());
            blocks.push(w.paragraph());
        }
    }
    if !list_done {
        blocks.push(w.list(false, 3, 6));
    }
    if !table_done {
        blocks.push(w.table());
    }
    if !code_done {
        blocks.push(w.code());
    }
    blocks.push(format!("## {}", if w.german { "Checkliste" } else { "Checklist" }));
    blocks.push(w.list(true, 3, 8));

    // Spread the links evenly over the paragraphs; each ends one paragraph.
    // (An article has about ten paragraphs, so there are always enough.)
    let mut link_at: Vec<Option<usize>> = vec![None; blocks.len()];
    for (k, &to) in links.iter().enumerate() {
        match paragraphs.get(k * paragraphs.len() / links.len()) {
            Some(&slot) if paragraphs.len() >= links.len() => link_at[slot] = Some(to),
            _ => {
                link_at.push(Some(to));
                blocks.push(w.sentence());
            }
        }
    }
    fit_words(w, &mut blocks, &paragraphs, links, titles, (lo, hi));
    let mut body = Vec::with_capacity(blocks.len() + links.len() * 2);
    let mut text = String::new();
    for (i, block) in blocks.iter().enumerate() {
        text.push_str(block.trim_end());
        if let Some(to) = link_at[i] {
            text.push_str(if w.german { " Mehr dazu in " } else { " See also " });
            body.push(Piece::Text(std::mem::take(&mut text)));
            body.push(Piece::Link { text: titles[to].clone(), to: Target::Article(to) });
            text.push('.');
        }
        text.push_str("\n\n");
    }
    body.push(Piece::Text(text));
    body
}

/// A heading text not yet used in this article (duplicates get `-1` anchors).
fn heading(w: &mut Writer, seen: &mut Vec<String>) -> String {
    loop {
        let t = w.title();
        if !seen.contains(&t) && t != "Checkliste" && t != "Checklist" {
            seen.push(t.clone());
            return t;
        }
    }
}

/// Words of Markdown text: tokens with a letter or digit (not `|`, `-`, `##`).
fn count_words(text: &str) -> usize {
    text.split_whitespace().filter(|t| t.chars().any(char::is_alphanumeric)).count()
}

/// Shortens or lengthens paragraphs, a sentence at a time, until the article
/// (with its link sentences) has `lo` to `hi` words (a short article keeps
/// at least its first sentence per paragraph, so it may end a little longer).
fn fit_words(
    w: &mut Writer,
    blocks: &mut [String],
    paragraphs: &[usize],
    links: &[usize],
    titles: &[String],
    (lo, hi): (usize, usize),
) {
    let lead = if w.german { 3 } else { 2 };
    let link_words: usize = links.iter().map(|&to| count_words(&titles[to]) + lead).sum();
    let mut total = blocks.iter().map(|b| count_words(b)).sum::<usize>() + link_words;
    while total > hi {
        // Drop the last sentence of the longest paragraph.
        let Some(&p) = paragraphs.iter().max_by_key(|&&p| blocks[p].len()) else {
            break;
        };
        let Some(cut) = blocks[p].rfind(". ") else { break };
        total -= count_words(&blocks[p][cut + 1..]);
        blocks[p].truncate(cut + 1);
    }
    let mut k = 0;
    while total < lo {
        let p = paragraphs[k % paragraphs.len()];
        let s = w.sentence();
        total += count_words(&s);
        blocks[p].push(' ');
        blocks[p].push_str(&s);
        k += 1;
    }
}

/// `../02-ziele/article-00017.md` as seen from folder `from_dir`.
fn relative(from_dir: &str, to_rel: &str) -> String {
    if from_dir.is_empty() {
        return to_rel.to_string();
    }
    match to_rel.strip_prefix(&format!("{from_dir}/")) {
        Some(rest) => rest.to_string(),
        None => format!("../{to_rel}"),
    }
}

fn render_body(format: Format, layout: &Layout, doc: &Doc) -> String {
    let dir = layout.dir(&doc.kind);
    let mut out = String::new();
    for piece in &doc.body {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Link { text, to } => {
                let rel = layout.rel(*to);
                let dest = match format {
                    Format::Lotse => relative(&dir, &rel),
                    Format::Hugo => format!("{{{{< relref \"/{rel}\" >}}}}"),
                    Format::Zola => format!("@/{rel}"),
                };
                let _ = write!(out, "[{text}]({dest})");
            }
        }
    }
    out
}

fn yaml_list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}

fn quoted_list(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", q.join(", "))
}

fn front_matter(format: Format, doc: &Doc) -> String {
    let (title, summary) = (&doc.title, &doc.summary);
    let mut fm = String::new();
    match (format, &doc.kind) {
        (Format::Zola, DocKind::Home) => {
            let _ = write!(fm, "+++\ntitle = \"{title}\"\ndescription = \"{summary}\"\nsort_by = \"weight\"\n+++\n");
        }
        (Format::Zola, DocKind::Stage { index }) => {
            let _ = write!(
                fm,
                "+++\ntitle = \"{title}\"\ndescription = \"{summary}\"\nweight = {}\nsort_by = \"weight\"\n\
                 [extra]\noutcome = \"{}\"\n+++\n",
                index + 1,
                STAGES[*index].2
            );
        }
        (Format::Zola, DocKind::Article { order, tags, roles, date, .. }) => {
            let _ = write!(
                fm,
                "+++\ntitle = \"{title}\"\ndescription = \"{summary}\"\ndate = {date}\nweight = {order}\n\
                 [taxonomies]\ntags = {}\nroles = {}\n+++\n",
                quoted_list(tags),
                quoted_list(roles)
            );
        }
        (_, DocKind::Home) => {
            let _ = write!(fm, "---\ntitle: \"{title}\"\nsummary: \"{summary}\"\n---\n");
        }
        (_, DocKind::Stage { index }) => {
            let weight = if format == Format::Hugo { format!("weight: {}\n", index + 1) } else { String::new() };
            let _ = write!(
                fm,
                "---\ntitle: \"{title}\"\norder: {}\n{weight}summary: \"{summary}\"\noutcome: \"{}\"\n---\n",
                index + 1,
                STAGES[*index].2
            );
        }
        (_, DocKind::Article { order, tags, roles, date, .. }) => {
            let weight = if format == Format::Hugo { format!("weight: {order}\n") } else { String::new() };
            let _ = write!(
                fm,
                "---\ntitle: \"{title}\"\nsummary: \"{summary}\"\norder: {order}\n{weight}tags: {}\nroles: {}\n\
                 date: {date}\n---\n",
                yaml_list(tags),
                yaml_list(roles)
            );
        }
    }
    fm
}

fn doc_path(layout: &Layout, doc: &Doc) -> String {
    match &doc.kind {
        DocKind::Home => "_index.md".into(),
        DocKind::Stage { index } => layout.rel(Target::Stage(*index)),
        DocKind::Article { number, .. } => layout.rel(Target::Article(*number)),
    }
}

const LOTSE_SITE: &str = "\
# Synthetic benchmark guide made by examples/gen_corpus.rs.
title: \"Benchmark-Leitfaden\"
description: \"Ein synthetischer Leitfaden zum Messen der Bauzeit.\"
base_url: \"/\"
default_language: de
languages: [de]
theme: default
";

const HUGO_CONFIG: &str = "\
# Synthetic benchmark guide made by examples/gen_corpus.rs.
baseURL = \"/\"
title = \"Benchmark-Leitfaden\"
languageCode = \"de\"
defaultContentLanguage = \"de\"
# The outputs Lotse has too: pages, sections, home, tag and role pages, one
# feed of the latest 50 pages, sitemap.xml and robots.txt. Lotse's handouts,
# print page and checklist exports have no counterpart here, so Lotse does
# more work than this site.
enableRobotsTXT = true

[outputs]
home = [\"HTML\", \"RSS\"]
section = [\"HTML\"]
taxonomy = [\"HTML\"]
term = [\"HTML\"]

[services.rss]
limit = 50

[taxonomies]
tag = \"tags\"
role = \"roles\"

[markup.highlight]
# Lotse does not highlight code; neither does this site.
codeFences = false

[markup.goldmark.renderer]
unsafe = false
";

const HUGO_BASEOF: &str = r##"<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ end }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a class="brand" href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<nav class="stages"><ol>
{{- $cur := .CurrentSection -}}
{{- range site.Home.Sections.ByWeight }}
<li{{ if eq . $cur }} class="current"{{ end }}><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="count">{{ len .Pages }}</span>
{{- if and (eq . $cur) (le (len .Pages) 40) }}<ol>{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end -}}
</li>
{{- end }}
</ol></nav>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
"##;

const HUGO_SINGLE: &str = r##"{{ define "main" }}
<article class="article">
<header class="page-head">
{{ with .CurrentSection }}<p class="eyebrow"><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
<p class="meta"><span>{{ .ReadingTime }} min</span> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>
{{ with .GetTerms "roles" }}<p class="terms roles">{{ range . }}<a class="chip role" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .GetTerms "tags" }}<p class="terms tags">{{ range . }}<a class="chip" href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</header>
<details class="toc" open><summary>Inhalt</summary>{{ .TableOfContents }}</details>
<div class="content">{{ .Content }}</div>
<nav class="pager">
{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
</article>
{{ end }}
"##;

const HUGO_LIST: &str = r##"{{ define "main" }}
<section class="stage">
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
{{ with .Params.outcome }}<p class="outcome">{{ . }}</p>{{ end }}
<div class="content">{{ .Content }}</div>
<ol class="cards">
{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .ReadingTime }} min</span><p>{{ with .Params.summary }}{{ . }}{{ end }}</p></li>
{{ end }}</ol>
</section>
{{ end }}
"##;

const HUGO_HOME: &str = r##"{{ define "main" }}
<section class="home">
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
<div class="content">{{ .Content }}</div>
<ol class="stage-cards">
{{ range .Sections.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ len .Pages }}</span><p>{{ with .Params.summary }}{{ . }}{{ end }}</p></li>
{{ end }}</ol>
</section>
{{ end }}
"##;

const ZOLA_CONFIG: &str = "\
# Synthetic benchmark guide made by examples/gen_corpus.rs.
base_url = \"/\"
title = \"Benchmark-Leitfaden\"
default_language = \"de\"
compile_sass = false
build_search_index = false
# The outputs Lotse has too: pages, sections, home, tag and role pages, one
# feed of the latest 50 pages, sitemap.xml and robots.txt. Lotse's handouts,
# print page and checklist exports have no counterpart here, so Lotse does
# more work than this site.
generate_feeds = true
feed_limit = 50
generate_sitemap = true
generate_robots_txt = true
taxonomies = [{ name = \"tags\" }, { name = \"roles\" }]

[markdown]
# Lotse uses smart punctuation and does not highlight code.
smart_punctuation = true
";

const ZOLA_BASE: &str = r##"<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="stylesheet" href="{{ get_url(path="style.css") }}">
</head>
<body>
<header><a class="brand" href="{{ config.base_url | safe }}">{{ config.title }}</a></header>
{% set root = get_section(path="_index.md", metadata_only=true) %}
<nav class="stages"><ol>
{%- for s in root.subsections %}{% set sec = get_section(path=s, metadata_only=true) %}
<li{% if current_path is starting_with(sec.path) %} class="current"{% endif %}><a href="{{ sec.permalink | safe }}">{{ sec.title }}</a></li>
{%- endfor %}
</ol></nav>
<main>{% block main %}{% endblock main %}</main>
<footer><p>{{ config.title }}</p></footer>
</body>
</html>
"##;

const ZOLA_PAGE: &str = r##"{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock title %}
{% block main %}
<article class="article">
<header class="page-head">
<h1>{{ page.title }}</h1>
{% if page.description %}<p class="lead">{{ page.description }}</p>{% endif %}
<p class="meta"><span>{{ page.reading_time }} min</span> <time datetime="{{ page.date }}">{{ page.date }}</time></p>
<p class="terms roles">{% for r in page.taxonomies.roles %}<a class="chip role" href="{{ get_taxonomy_url(kind="roles", name=r) | safe }}">{{ r }}</a> {% endfor %}</p>
<p class="terms tags">{% for t in page.taxonomies.tags %}<a class="chip" href="{{ get_taxonomy_url(kind="tags", name=t) | safe }}">#{{ t }}</a> {% endfor %}</p>
</header>
<details class="toc" open><summary>Inhalt</summary><ol>
{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a>{% if h.children %}<ol>{% for c in h.children %}<li><a href="#{{ c.id }}">{{ c.title }}</a></li>{% endfor %}</ol>{% endif %}</li>{% endfor %}
</ol></details>
<div class="content">{{ page.content | safe }}</div>
{% if page.backlinks %}<aside class="backlinks"><h2>Verweise</h2><ul>{% for b in page.backlinks %}<li><a href="{{ b.permalink | safe }}">{{ b.title }}</a></li>{% endfor %}</ul></aside>{% endif %}
<nav class="pager">
{% if page.lower %}<a rel="prev" href="{{ page.lower.permalink | safe }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a rel="next" href="{{ page.higher.permalink | safe }}">{{ page.higher.title }}</a>{% endif %}
</nav>
</article>
{% endblock main %}
"##;

const ZOLA_SECTION: &str = r##"{% extends "base.html" %}
{% block title %}{{ section.title }} · {{ config.title }}{% endblock title %}
{% block main %}
<section class="stage">
<h1>{{ section.title }}</h1>
{% if section.description %}<p class="lead">{{ section.description }}</p>{% endif %}
{% if section.extra.outcome %}<p class="outcome">{{ section.extra.outcome }}</p>{% endif %}
<div class="content">{{ section.content | safe }}</div>
<ol class="cards">
{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <span>{{ p.reading_time }} min</span><p>{{ p.description }}</p></li>
{% endfor %}</ol>
</section>
{% endblock main %}
"##;

const ZOLA_INDEX: &str = r##"{% extends "base.html" %}
{% block main %}
<section class="home">
<h1>{{ section.title }}</h1>
{% if section.description %}<p class="lead">{{ section.description }}</p>{% endif %}
<div class="content">{{ section.content | safe }}</div>
<ol class="stage-cards">
{% for s in section.subsections %}{% set sec = get_section(path=s, metadata_only=true) %}<li><a href="{{ sec.permalink | safe }}">{{ sec.title }}</a><p>{{ sec.description }}</p></li>
{% endfor %}</ol>
</section>
{% endblock main %}
"##;

const ZOLA_TAXONOMY_LIST: &str = r##"{% extends "base.html" %}
{% block main %}
<section class="terms">
<h1>{{ taxonomy.name }}</h1>
<ul>{% for t in terms %}<li><a href="{{ t.permalink | safe }}">{{ t.name }}</a> <span>{{ t.page_count }}</span></li>
{% endfor %}</ul>
</section>
{% endblock main %}
"##;

const ZOLA_TAXONOMY_SINGLE: &str = r##"{% extends "base.html" %}
{% block title %}{{ term.name }} · {{ config.title }}{% endblock title %}
{% block main %}
<section class="term">
<h1>{{ term.name }}</h1>
<ol class="cards">
{% for p in term.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <span>{{ p.reading_time }} min</span><p>{{ p.description }}</p></li>
{% endfor %}</ol>
</section>
{% endblock main %}
"##;

const STYLE: &str = "body{font-family:sans-serif;max-width:48rem;margin:auto}.chip{padding:0 .3em}\n";

fn write(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn site_files(format: Format) -> &'static [(&'static str, &'static str)] {
    match format {
        Format::Lotse => &[("site.yaml", LOTSE_SITE)],
        Format::Hugo => &[
            ("config.toml", HUGO_CONFIG),
            ("layouts/_default/baseof.html", HUGO_BASEOF),
            ("layouts/_default/single.html", HUGO_SINGLE),
            ("layouts/_default/list.html", HUGO_LIST),
            ("layouts/index.html", HUGO_HOME),
            ("static/style.css", STYLE),
        ],
        Format::Zola => &[
            ("config.toml", ZOLA_CONFIG),
            ("templates/base.html", ZOLA_BASE),
            ("templates/page.html", ZOLA_PAGE),
            ("templates/section.html", ZOLA_SECTION),
            ("templates/index.html", ZOLA_INDEX),
            ("templates/taxonomy_list.html", ZOLA_TAXONOMY_LIST),
            ("templates/taxonomy_single.html", ZOLA_TAXONOMY_SINGLE),
            ("static/style.css", STYLE),
        ],
    }
}

fn run(args: &Args) -> Result<String, String> {
    if args.pages == 0 {
        return Err("--pages must be at least 1".into());
    }
    if let Ok(mut entries) = fs::read_dir(&args.out)
        && entries.next().is_some()
    {
        return Err(format!(
            "{} is not empty; give a new folder (the generator never deletes files)",
            args.out.display()
        ));
    }
    let io = |e: std::io::Error| format!("cannot write to {}: {e}", args.out.display());
    let (layout, docs) = corpus(args.pages, args.seed, args.shape);
    let content = args.out.join("content");
    let (mut bytes, mut words, mut links) = (0usize, 0usize, 0usize);
    for doc in &docs {
        let body = render_body(args.format, &layout, doc);
        let text = format!("{}\n{}", front_matter(args.format, doc), body);
        if let DocKind::Article { .. } = doc.kind {
            // Counted on the Lotse form, so all formats report the same.
            words += count_words(&render_body(Format::Lotse, &layout, doc));
        }
        links += doc.body.iter().filter(|p| matches!(p, Piece::Link { .. })).count();
        bytes += text.len();
        write(&content, &doc_path(&layout, doc), &text).map_err(io)?;
    }
    for (rel, text) in site_files(args.format) {
        write(&args.out, rel, text).map_err(io)?;
    }
    Ok(format!(
        "wrote {} Markdown files ({} articles, 6 stages, home) for {} to {}: {:.1} MiB, {} words per article on average, {} links",
        docs.len(),
        args.pages,
        match args.format {
            Format::Lotse => "Lotse",
            Format::Hugo => "Hugo",
            Format::Zola => "Zola",
        },
        args.out.display(),
        bytes as f64 / (1024.0 * 1024.0),
        words / args.pages,
        links
    ))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
