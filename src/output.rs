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
}

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
        self.count.fetch_add(files.len(), Ordering::Relaxed);
        if let Ok(mut paths) = self.files.lock() {
            paths.extend(files.iter().map(|f| f.path.clone()));
        }
        if let Ok(mut dirs) = self.dirs.lock() {
            for f in files {
                let mut path = f.path.as_str();
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
