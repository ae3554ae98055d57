//! Splits one language's word forms into shards of about [`SHARD_BUDGET`]
//! bytes, so the browser loads only the few small files a query needs.
//!
//! Shards are consecutive ranges of the sorted word forms (the leaf level
//! of a B-tree). Each has a key: the shortest prefix of its first form that
//! sorts after the last form of the shard before (the first key is empty).
//! A form lives in the shard of the last key not greater than it, and the
//! forms starting with a prefix lie in consecutive shards.
//!
//! Each shard carries the stems of its forms with their page count and
//! their best [`FIRST_BLOCK`] pages, which answer a one-word query. The
//! other pages of a stem follow, best first, in blocks of [`TAIL_BLOCK`]
//! packed into tail files (`p-<n>.js`) that search.js loads only when a
//! query needs them ("more results", or words whose best pages do not
//! overlap), so a query for a word on most pages of a 100,000-page site
//! loads kilobytes, not its whole postings list. A block lists its pages
//! in page order as `page - previous page, score` pairs: small numbers.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

/// A shard is closed when the next form would take it past this many bytes
/// of JSON (before compression).
pub const SHARD_BUDGET: usize = 24 * 1024;
/// Pages of a stem kept in its shard: its best, by score.
pub const FIRST_BLOCK: usize = 50;
/// Pages per further block of a stem.
pub const TAIL_BLOCK: usize = 1000;
/// A tail file is closed when the next block would take it past this many
/// bytes of JSON (one block is at most about 12 KB).
pub const TAIL_BUDGET: usize = 32 * 1024;

/// The pages a stem occurs on: `(page number, score)` in page order.
pub type Postings = Vec<(u32, u32)>;

/// A stem's blocks: the first for its shard, references to the others.
#[derive(Debug, Default)]
pub struct Blocks {
    /// Pages the stem occurs on.
    pub df: usize,
    /// The best pages, encoded (see the module doc).
    pub first: Vec<u32>,
    /// Further blocks, best first: tail file, index in it, tail file, ...
    pub tails: Vec<u32>,
}

/// One shard, as serialised into its script file.
#[derive(Debug, Serialize)]
pub struct Shard<'a> {
    /// Lower bound of its forms (see the module doc).
    #[serde(skip)]
    pub key: String,
    /// Word form -> index into `s`.
    pub w: BTreeMap<&'a str, usize>,
    /// The stems of the forms, sorted.
    pub s: Vec<&'a str>,
    /// Pages of each stem.
    pub n: Vec<usize>,
    /// First block of each stem.
    pub p: Vec<&'a [u32]>,
    /// Tail blocks of each stem (see [`Blocks::tails`]).
    pub m: Vec<&'a [u32]>,
}

/// Blocks of every stem, and the tail files (each a list of blocks).
pub fn blocks(postings: BTreeMap<String, Postings>) -> (BTreeMap<String, Blocks>, Vec<Vec<Vec<u32>>>) {
    let split: Vec<(String, usize, Vec<Vec<u32>>)> = postings
        .into_par_iter()
        .map(|(stem, mut p)| {
            let df = p.len();
            p.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let first = encode(&p[..df.min(FIRST_BLOCK)]);
            let mut blocks = vec![first];
            blocks.extend(p.get(FIRST_BLOCK..).unwrap_or_default().chunks(TAIL_BLOCK).map(encode));
            (stem, df, blocks)
        })
        .collect();
    let mut files: Vec<Vec<Vec<u32>>> = Vec::new();
    let mut size = 0;
    let mut out = BTreeMap::new();
    for (stem, df, mut bs) in split {
        let tail_blocks = bs.split_off(1.min(bs.len()));
        let mut tails = Vec::with_capacity(2 * tail_blocks.len());
        for block in tail_blocks {
            let len = json_len(&block) + 1;
            match files.last_mut() {
                Some(file) if size + len <= TAIL_BUDGET => file.push(block),
                _ => {
                    files.push(vec![block]);
                    size = 0;
                }
            }
            size += len;
            let n = files.len() - 1;
            tails.extend([n as u32, (files[n].len() - 1) as u32]);
        }
        let first = bs.pop().unwrap_or_default();
        out.insert(stem, Blocks { df, first, tails });
    }
    (out, files)
}

/// `(page, score)` pairs in page order as `page - previous page, score`.
fn encode(block: &[(u32, u32)]) -> Vec<u32> {
    let mut sorted = block.to_vec();
    sorted.sort_unstable();
    let mut prev = 0;
    sorted
        .into_iter()
        .flat_map(|(page, score)| {
            let delta = page - prev;
            prev = page;
            [delta, score]
        })
        .collect()
}

/// The bytes of `numbers` as a JSON array.
fn json_len(numbers: &[u32]) -> usize {
    let digits: usize = numbers.iter().map(|&n| n.checked_ilog10().unwrap_or(0) as usize + 1).sum();
    digits + numbers.len().max(1) + 1
}

type Entry<'a> = (&'a str, &'a str);

/// Shards for `vocab` (word form -> stem), in key order.
pub fn split<'a>(vocab: &'a BTreeMap<String, String>, blocks: &'a BTreeMap<String, Blocks>) -> Vec<Shard<'a>> {
    let entries: Vec<Entry> = vocab.iter().map(|(f, s)| (f.as_str(), s.as_str())).collect();
    let mut shards = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let end = start + fill(&entries[start..], blocks);
        let key = match start {
            0 => String::new(),
            _ => separator(entries[start - 1].0, entries[start].0).to_string(),
        };
        shards.push(shard(key, &entries[start..end], blocks));
        start = end;
    }
    shards
}

/// How many of `entries` (at least one) fit into one shard.
fn fill(entries: &[Entry], blocks: &BTreeMap<String, Blocks>) -> usize {
    let mut stems = BTreeSet::new();
    let mut size = 0;
    for (n, (form, stem)) in entries.iter().enumerate() {
        let mut cost = form.len() + 8;
        if !stems.contains(stem) {
            cost += stem.len() + 16 + blocks.get(*stem).map_or(0, |b| json_len(&b.first) + json_len(&b.tails));
        }
        if n > 0 && size + cost > SHARD_BUDGET {
            return n;
        }
        stems.insert(*stem);
        size += cost;
    }
    entries.len()
}

/// The shortest prefix of `next` that sorts after `prev` (`prev < next`).
fn separator<'a>(prev: &str, next: &'a str) -> &'a str {
    next.char_indices().map(|(i, c)| &next[..i + c.len_utf8()]).find(|p| *p > prev).unwrap_or(next)
}

/// The first `n` characters of `s` (all of it if shorter).
pub fn char_prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s; // no more characters than bytes
    }
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

fn shard<'a>(key: String, group: &[Entry<'a>], blocks: &'a BTreeMap<String, Blocks>) -> Shard<'a> {
    let s: Vec<&str> = group.iter().map(|(_, s)| *s).collect::<BTreeSet<_>>().into_iter().collect();
    let w = group.iter().map(|(f, st)| (*f, s.binary_search(st).unwrap_or(0))).collect();
    let of: Vec<Option<&Blocks>> = s.iter().map(|st| blocks.get(*st)).collect();
    let n = of.iter().map(|b| b.map_or(0, |b| b.df)).collect();
    let p = of.iter().map(|b| b.map_or(&[][..], |b| &b.first[..])).collect();
    let m = of.iter().map(|b| b.map_or(&[][..], |b| &b.tails[..])).collect();
    Shard { key, w, s, n, p, m }
}

/// The index of the shard that holds `form`: the last key not greater.
pub fn shard_of(keys: &[&str], form: &str) -> usize {
    keys.partition_point(|k| *k <= form).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(forms: &[String], posts: u32) -> (BTreeMap<String, String>, BTreeMap<String, Blocks>) {
        let v: BTreeMap<String, String> = forms.iter().map(|f| (f.clone(), f.clone())).collect();
        let p = forms.iter().map(|f| (f.clone(), (0..posts).map(|d| (d, 1 + d % 7)).collect())).collect();
        (v, blocks(p).0)
    }

    /// The `(page, score)` pairs of an encoded block, in page order.
    fn decode(block: &[u32]) -> Postings {
        let mut page = 0;
        block
            .chunks(2)
            .map(|c| {
                page += c[0];
                (page, c[1])
            })
            .collect()
    }

    #[test]
    fn small_vocabularies_fit_one_shard_with_an_empty_key() {
        let forms: Vec<String> = ["apfel", "ast", "birne", "übel"].map(String::from).to_vec();
        let (v, p) = vocab(&forms, 1);
        let shards = split(&v, &p);
        assert_eq!(shards.len(), 1);
        assert_eq!(shards[0].key, "");
        assert_eq!(shards[0].w.len(), 4);
    }

    #[test]
    fn separators_are_the_shortest_prefix_after_the_previous_form() {
        assert_eq!(separator("gebiet", "geschäft"), "ges");
        assert_eq!(separator("ge", "gebiet"), "geb");
        assert_eq!(separator("apfel", "birne"), "b");
    }

    #[test]
    fn large_vocabularies_split_near_the_budget_and_every_form_is_found() {
        let forms: Vec<String> = (0..6000).map(|i| format!("ge{:x}x{i}", i % 37)).collect();
        let (v, p) = vocab(&forms, 20);
        let shards = split(&v, &p);
        assert!(shards.len() > 20, "{} shards", shards.len());
        let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "keys ascend");
        for s in &shards {
            let size = serde_json::to_string(s).unwrap().len();
            assert!(size < SHARD_BUDGET + 1024, "shard {} has {size} bytes", s.key);
        }
        for form in &forms {
            assert!(shards[shard_of(&keys, form)].w.contains_key(form.as_str()), "{form} is in its shard");
        }
    }

    #[test]
    fn a_shard_keeps_the_best_pages_and_tail_files_the_rest_best_first() {
        let many: Postings = (0..2500u32).map(|d| (d, 1 + (d * 7919) % 1000)).collect();
        let few: Postings = vec![(3, 5), (9, 2)];
        let postings = BTreeMap::from([("aa".to_string(), many.clone()), ("bb".to_string(), few.clone())]);
        let (blocks, files) = blocks(postings);
        assert_eq!(decode(&blocks["bb"].first), few);
        assert!(blocks["bb"].tails.is_empty());
        let aa = &blocks["aa"];
        assert_eq!(aa.df, 2500);
        let mut ranked = many.clone();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut expected: Vec<Postings> = vec![ranked[..FIRST_BLOCK].to_vec()];
        expected.extend(ranked[FIRST_BLOCK..].chunks(TAIL_BLOCK).map(<[_]>::to_vec));
        let mut got = vec![decode(&aa.first)];
        got.extend(aa.tails.chunks(2).map(|r| decode(&files[r[0] as usize][r[1] as usize])));
        assert_eq!(got.len(), expected.len());
        for (g, mut e) in got.into_iter().zip(expected) {
            e.sort();
            assert_eq!(g, e, "each block holds the next best pages, in page order");
        }
        assert!(files.iter().all(|f| serde_json::to_string(f).unwrap().len() <= TAIL_BUDGET + TAIL_BLOCK * 10));
    }

    #[test]
    fn blocks_are_delta_coded_and_json_length_is_exact() {
        assert_eq!(encode(&[(7, 3), (2, 10), (100, 1)]), [2, 10, 5, 3, 93, 1]);
        for numbers in [&[][..], &[0], &[9, 10, 4_000_000_000], &[1, 22, 333]] {
            assert_eq!(json_len(numbers), serde_json::to_string(numbers).unwrap().len(), "{numbers:?}");
        }
    }
}
