//! Typeset PDFs kept between builds in `<root>/.lotse/cache/pdf/`, so a
//! `lotse build` typesets only the documents whose markup or files changed.
//!
//! An entry's name is a SHA-256 of everything the PDF's bytes depend on
//! (the markup, every file with its virtual path, the document id, the
//! Lotse version and binary); its content is a header with a SHA-256 of
//! the PDF, then the PDF. Entries are written to a temporary file and
//! renamed, read back only when their checksum holds, and the entries a
//! build did not use are removed after it ([`Cache::prune`]). Any failure
//! to read or write (a read-only site, a full disk) only means the PDF is
//! typeset: the cache never changes what a build writes.
//!
//! This module and the external-link cache are the only places besides
//! the loader and the writer that touch the disk.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::Document;

/// Where the cache lives below the site root.
pub const DIR: &str = ".lotse/cache/pdf";

/// Starts every entry; bumped when the entry format or the way a
/// document becomes PDF bytes changes without a new Lotse version.
const MAGIC: &[u8] = b"lotse-pdf-cache 1\n";

/// The file ending of an entry.
const ENTRY: &str = ".pdf";

/// The PDF cache of one build.
pub struct Cache {
    dir: PathBuf,
    /// What tells this Lotse apart from others (version and binary).
    salt: Vec<u8>,
    /// The entries this build asked for.
    used: Mutex<HashSet<String>>,
    /// Set after a write failed: the build writes no more entries.
    read_only: AtomicBool,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The build's state is no part of the configuration it hangs on.
        f.debug_struct("Cache").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl Cache {
    /// The cache of the site at `root` (nothing is created until the
    /// first entry is written).
    pub fn new(root: &Path) -> Cache {
        Cache::at(root.join(DIR), lotse_identity())
    }

    fn at(dir: PathBuf, salt: Vec<u8>) -> Cache {
        Cache {
            dir,
            salt,
            used: Mutex::default(),
            read_only: AtomicBool::new(false),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The entry name of `doc`: a SHA-256 of its markup, its files and
    /// their virtual paths, its document id and this Lotse, as hex.
    pub fn key(&self, doc: &Document) -> String {
        let mut h = Sha256::new();
        let mut part = |bytes: &[u8]| {
            // Each part with its length: no two documents hash alike by
            // moving bytes from one part to the next.
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        part(MAGIC);
        part(&self.salt);
        part(doc.ident.as_bytes());
        part(doc.source.as_bytes());
        for (path, bytes) in &doc.files {
            part(path.as_bytes());
            part(bytes);
        }
        hex(&h.finalize())
    }

    /// The PDF stored under `key`, if there is a whole one; notes `key`
    /// as used by this build either way.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string());
        let found = fs::read(self.entry(key)).ok().and_then(|bytes| unframe(&bytes).map(<[u8]>::to_vec));
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `pdf` under `key`: written to a temporary file, then renamed
    /// into place, so a reader never sees half an entry. Failures are
    /// silent (and end the writing for this build).
    pub fn put(&self, key: &str, pdf: &[u8]) {
        if self.read_only.load(Ordering::Relaxed) {
            return;
        }
        let tmp = self.dir.join(format!("{key}.tmp-{}", std::process::id()));
        let written = fs::create_dir_all(&self.dir)
            .and_then(|()| fs::write(&tmp, frame(pdf)))
            .and_then(|()| fs::rename(&tmp, self.entry(key)));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
            self.read_only.store(true, Ordering::Relaxed);
        }
    }

    /// Removes every file of the cache folder this build did not use
    /// (entries of changed or removed documents, leftovers of an
    /// interrupted write), so the cache does not grow without bound.
    /// Call it after a build that typeset all its PDFs.
    pub fn prune(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else { return };
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for entry in entries.flatten() {
            let name = entry.file_name();
            let keep = name.to_str().and_then(|n| n.strip_suffix(ENTRY)).is_some_and(|k| used.contains(k));
            if !keep && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// PDFs read from the cache and typeset so far by this build.
    pub fn counts(&self) -> (usize, usize) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}{ENTRY}"))
    }
}

/// The Lotse version and, where the system tells, the size and time of
/// the running binary: a rebuilt or updated Lotse never reuses the PDFs of
/// another, even with the same version number.
fn lotse_identity() -> Vec<u8> {
    let mut id = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    let meta = std::env::current_exe().and_then(fs::metadata);
    if let Ok(meta) = meta {
        id.extend(meta.len().to_le_bytes());
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        id.extend(modified.map_or(0, |d| d.as_nanos()).to_le_bytes());
    }
    id
}

/// An entry's bytes: the header, the PDF's SHA-256, the PDF.
fn frame(pdf: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + 32 + pdf.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&Sha256::digest(pdf));
    out.extend_from_slice(pdf);
    out
}

/// The PDF of an entry, if the entry is whole (header and checksum hold).
fn unframe(entry: &[u8]) -> Option<&[u8]> {
    let rest = entry.strip_prefix(MAGIC)?;
    if rest.len() < 32 {
        return None;
    }
    let (sum, pdf) = rest.split_at(32);
    (Sha256::digest(pdf).as_slice() == sum).then_some(pdf)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn doc(source: &str) -> Document {
        Document { source: source.into(), files: vec![("/a.png".into(), Arc::new(vec![1, 2]))], ident: "x.pdf".into() }
    }

    fn cache(dir: &Path) -> Cache {
        Cache::at(dir.join(DIR), b"test".to_vec())
    }

    #[test]
    fn keys_change_with_markup_files_paths_ident_and_lotse() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path());
        let base = c.key(&doc("a"));
        assert_eq!(base.len(), 64);
        assert_eq!(base, c.key(&doc("a")));
        assert_ne!(base, c.key(&doc("b")));
        let mut d = doc("a");
        d.files[0].1 = Arc::new(vec![1, 3]);
        assert_ne!(base, c.key(&d));
        let mut d = doc("a");
        d.files[0].0 = "/b.png".into();
        assert_ne!(base, c.key(&d));
        let mut d = doc("a");
        d.ident = "y.pdf".into();
        assert_ne!(base, c.key(&d));
        assert_ne!(base, Cache::at(tmp.path().into(), b"other".to_vec()).key(&doc("a")));
        // Bytes moved from one part to the next give another key.
        let (mut d, mut e) = (doc("ab"), doc("a"));
        d.files.clear();
        e.files = vec![("b".into(), Arc::new(Vec::new()))];
        e.source = String::new();
        assert_ne!(c.key(&d), c.key(&e));
    }

    #[test]
    fn an_entry_written_is_read_back_and_a_damaged_one_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path());
        let key = c.key(&doc("a"));
        assert_eq!(c.get(&key), None);
        c.put(&key, b"%PDF-1.7 body");
        assert_eq!(c.get(&key).as_deref(), Some(&b"%PDF-1.7 body"[..]));
        assert_eq!(c.counts(), (1, 1));
        let path = c.entry(&key);
        let whole = fs::read(&path).unwrap();
        for cut in [0, 5, MAGIC.len() + 10, whole.len() - 1] {
            fs::write(&path, &whole[..cut]).unwrap();
            assert_eq!(c.get(&key), None, "cut at {cut}");
        }
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 1;
        fs::write(&path, flipped).unwrap();
        assert_eq!(c.get(&key), None);
        let names: Vec<_> = fs::read_dir(&c.dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    }

    #[test]
    fn prune_keeps_only_what_the_build_used() {
        let tmp = tempfile::tempdir().unwrap();
        let first = cache(tmp.path());
        let (a, b) = (first.key(&doc("a")), first.key(&doc("b")));
        first.put(&a, b"%PDF a");
        first.put(&b, b"%PDF b");
        fs::write(first.dir.join("stale.tmp-1"), b"half").unwrap();
        let second = cache(tmp.path());
        assert!(second.get(&a).is_some());
        second.prune();
        let mut names: Vec<String> =
            fs::read_dir(&second.dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
        names.sort();
        assert_eq!(names, [format!("{a}.pdf")]);
    }

    #[test]
    fn an_unwritable_cache_is_skipped_silently() {
        let tmp = tempfile::tempdir().unwrap();
        // A file where the cache folder would be: nothing can be created
        // below it (root ignores permissions, so they prove nothing here).
        fs::write(tmp.path().join(".lotse"), b"").unwrap();
        let c = cache(tmp.path());
        let key = c.key(&doc("a"));
        assert_eq!(c.get(&key), None);
        c.put(&key, b"%PDF");
        assert_eq!(c.get(&key), None);
        c.prune();
        assert!(tmp.path().join(".lotse").is_file());
    }
}
