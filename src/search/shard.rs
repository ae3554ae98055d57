//! Splits one language's word forms into shards of about [`SHARD_BUDGET`]
//! bytes, so the browser loads only the few small files a query needs.
//!
//! Shards are consecutive ranges of the sorted word forms (the leaf level
//! of a B-tree). Each has a key: the shortest prefix of its first form that
//! sorts after the last form of the shard before (the first key is empty).
//! A form lives in the shard of the last key not greater than it, and the
//! forms starting with a prefix lie in consecutive shards. Each shard
//! carries the stems of its forms with their postings, so one shard
//! answers a word.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// A shard is closed when the next form would take it past this many bytes
/// (one form with a very long postings list makes a larger shard alone).
pub const SHARD_BUDGET: usize = 24 * 1024;

/// The pages a stem occurs on: `(page number, score)` in page order.
pub type Postings = Vec<(u32, u32)>;

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
    /// Postings of each stem, flattened: page, score, page, score, ...
    pub p: Vec<Vec<u32>>,
}

type Entry<'a> = (&'a str, &'a str);

/// Shards for `vocab` (word form -> stem), in key order.
pub fn split<'a>(vocab: &'a BTreeMap<String, String>, postings: &'a BTreeMap<String, Postings>) -> Vec<Shard<'a>> {
    let entries: Vec<Entry> = vocab.iter().map(|(f, s)| (f.as_str(), s.as_str())).collect();
    let mut shards = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let end = start + fill(&entries[start..], postings);
        let key = match start {
            0 => String::new(),
            _ => separator(entries[start - 1].0, entries[start].0).to_string(),
        };
        shards.push(shard(key, &entries[start..end], postings));
        start = end;
    }
    shards
}

/// How many of `entries` (at least one) fit into one shard.
fn fill(entries: &[Entry], postings: &BTreeMap<String, Postings>) -> usize {
    let mut stems = BTreeSet::new();
    let mut size = 0;
    for (n, (form, stem)) in entries.iter().enumerate() {
        let mut cost = form.len() + 8;
        if !stems.contains(stem) {
            cost += stem.len() + 8 + postings.get(*stem).map_or(0, |p| p.len() * 9);
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

fn shard<'a>(key: String, group: &[Entry<'a>], postings: &'a BTreeMap<String, Postings>) -> Shard<'a> {
    let s: Vec<&str> = group.iter().map(|(_, s)| *s).collect::<BTreeSet<_>>().into_iter().collect();
    let w = group.iter().map(|(f, st)| (*f, s.binary_search(st).unwrap_or(0))).collect();
    let p = s
        .iter()
        .map(|st| postings.get(*st).map_or(Vec::new(), |p| p.iter().flat_map(|&(d, sc)| [d, sc]).collect()))
        .collect();
    Shard { key, w, s, p }
}

/// The index of the shard that holds `form`: the last key not greater.
pub fn shard_of(keys: &[&str], form: &str) -> usize {
    keys.partition_point(|k| *k <= form).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(forms: &[String], posts: usize) -> (BTreeMap<String, String>, BTreeMap<String, Postings>) {
        let v: BTreeMap<String, String> = forms.iter().map(|f| (f.clone(), f.clone())).collect();
        let p = forms.iter().map(|f| (f.clone(), vec![(0, 1); posts])).collect();
        (v, p)
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
    fn a_form_with_huge_postings_gets_a_shard_of_its_own() {
        let forms: Vec<String> = ["aa", "bb", "cc"].map(String::from).to_vec();
        let (v, p) = vocab(&forms, 4000);
        assert_eq!(split(&v, &p).len(), 3);
    }
}
