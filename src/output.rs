//! What a build produces and where it goes: [`OutputFile`]s handed to a
//! [`Sink`] as soon as they are rendered. Rendering knows only this trait;
//! the staging folder (`write::Staging`, for `lotse build`), memory (the
//! preview, [`build`](crate::build)) and nothing at all (`lotse check`)
//! are its three implementations.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A file the build produces: a path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `/`-separated path relative to the output folder.
    pub path: String,
    /// The file's content (shared, so cached outputs cost no copies).
    pub bytes: std::sync::Arc<Vec<u8>>,
}

impl OutputFile {
    /// An output file from text.
    pub fn text(path: impl Into<String>, text: String) -> Self {
        OutputFile { path: path.into(), bytes: text.into_bytes().into() }
    }

    /// An output file from bytes.
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// Where finished files go, from any thread.
pub trait Sink: Sync {
    /// Takes `files` (a write error is kept by the sink and reported when
    /// the build finishes).
    fn offer(&self, files: &[OutputFile]);
    /// The paths offered so far (for files that would collide with them).
    fn paths(&self) -> &Paths;
    /// Whether one page per template and language is enough (`lotse
    /// check`: the templates are proven, the other pages only noted).
    fn samples(&self) -> bool {
        false
    }
    /// Takes the file at `path` that `write` writes in pieces, so that a
    /// large export (the series' checklists of a 100,000-page site are
    /// hundreds of MB) need not be in memory at once. The default collects
    /// the pieces and offers the file; a file whose writer fails is left
    /// out.
    fn offer_written(&self, path: String, write: WriteFile) {
        let mut bytes = Vec::new();
        if write(&mut bytes).is_ok() {
            self.offer(&[OutputFile::bytes(path, bytes)]);
        }
    }
}

/// Writes a file's bytes in pieces ([`Sink::offer_written`]).
pub type WriteFile<'a> = &'a (dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Sync);

/// The paths offered to a sink, and the folders they are in.
#[derive(Debug, Default)]
pub struct Paths {
    files: Mutex<HashSet<String>>,
    dirs: Mutex<HashSet<String>>,
    count: AtomicUsize,
}

impl Paths {
    /// Notes the paths of `files`.
    pub fn note(&self, files: &[OutputFile]) {
        self.note_paths(files.iter().map(|f| f.path.as_str()));
    }

    /// Notes `paths`.
    pub fn note_paths<'p>(&self, paths: impl Iterator<Item = &'p str> + Clone) {
        self.count.fetch_add(paths.clone().count(), Ordering::Relaxed);
        if let Ok(mut files) = self.files.lock() {
            files.extend(paths.clone().map(str::to_string));
        }
        if let Ok(mut dirs) = self.dirs.lock() {
            for mut path in paths {
                while let Some((parent, _)) = path.rsplit_once('/') {
                    if !dirs.insert(parent.to_string()) {
                        break;
                    }
                    path = parent;
                }
            }
        }
    }

    /// Whether a file at `path` was offered.
    pub fn has_file(&self, path: &str) -> bool {
        self.files.lock().is_ok_and(|p| p.contains(path))
    }

    /// Whether `path` is a folder of an offered file.
    pub fn has_dir(&self, path: &str) -> bool {
        self.dirs.lock().is_ok_and(|d| d.contains(path))
    }

    /// How many files were offered.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

/// Keeps the files in memory ([`crate::build`], the preview).
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<Vec<OutputFile>>,
    paths: Paths,
}

impl MemorySink {
    /// The files offered, sorted by path; of files with the same path the
    /// first one offered wins.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_default();
        // A stable sort keeps the first of equal paths first.
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|later, earlier| later.path == earlier.path);
        files
    }
}

impl Sink for MemorySink {
    fn offer(&self, files: &[OutputFile]) {
        self.paths.note(files);
        if let Ok(mut kept) = self.files.lock() {
            kept.extend(files.iter().cloned());
        }
    }

    fn paths(&self) -> &Paths {
        &self.paths
    }
}

/// Drops the files, noting their paths (`lotse check`).
#[derive(Debug, Default)]
pub struct DiscardSink {
    paths: Paths,
}

impl Sink for DiscardSink {
    fn offer(&self, files: &[OutputFile]) {
        self.paths.note(files);
    }

    /// Notes the path without writing the file.
    fn offer_written(&self, path: String, _write: WriteFile) {
        self.paths.note_paths(std::iter::once(path.as_str()));
    }

    fn paths(&self) -> &Paths {
        &self.paths
    }

    fn samples(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sink_sorts_and_keeps_the_first_of_a_path() {
        let sink = MemorySink::default();
        sink.offer(&[OutputFile::text("b", "1".into()), OutputFile::text("a/x", "2".into())]);
        sink.offer(&[OutputFile::text("b", "3".into())]);
        assert!(sink.paths().has_dir("a") && sink.paths().has_file("b") && !sink.paths().has_dir("b"));
        let files = sink.into_files();
        assert_eq!(
            files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect::<Vec<_>>(),
            [("a/x", b"2".as_slice()), ("b", b"1".as_slice())]
        );
    }
}
