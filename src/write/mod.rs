//! Writes output files into the output folder atomically: everything goes
//! into a sibling temporary folder, which then replaces the old output in
//! one rename. This is the only module that writes files.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::Error;
use crate::interrupt::Interrupt;
use crate::output::{OutputFile, Paths, Sink, WriteFile};

mod guard;
mod lock;

pub use guard::{OutDir, Refused, resolve};

/// An output folder being written: files go into a temporary folder as
/// they are produced ([`Staging::put`], from any thread), and
/// [`Staging::commit`] puts it in place of the output in one rename.
/// Dropped without a commit, the temporary folder is removed and the old
/// output stays as it was.
#[derive(Debug)]
pub struct Staging {
    target: Target,
    interrupt: Interrupt,
    /// Folders known to exist inside the temporary folder.
    made: Mutex<HashSet<PathBuf>>,
    /// Paths offered, relative to the output.
    paths: Paths,
    /// The first write error; later files are not written.
    failed: Mutex<Option<Error>>,
    committed: bool,
}

/// The folders of a build that writes.
#[derive(Debug)]
struct Target {
    out: OutDir,
    /// The temporary folder: beside `out`, or inside it for a mount point.
    dir: PathBuf,
    /// Where the previous output goes during the swap.
    old: PathBuf,
    /// No other build writes into `out` while this one is held.
    _lock: lock::OutputLock,
}

impl Staging {
    /// Waits until no other build writes into `out`, then creates the
    /// temporary folder (removing ones left behind by killed builds).
    pub fn new(out: &OutDir, interrupt: Interrupt) -> Result<Staging, Error> {
        interrupt.check()?;
        let parent = out.path.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let lock = lock::OutputLock::take(&parent)?;
        let name = out.path.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let pid = std::process::id();
        // A mount point cannot be renamed: its contents are swapped instead.
        let (home, prefix) =
            if out.mount_point { (out.path.clone(), String::new()) } else { (parent, format!(".{name}")) };
        // Under the lock, every temporary folder of this output is stale.
        remove_stale(&home, &format!("{prefix}.lotse-"));
        let dir = home.join(format!("{prefix}.lotse-new-{pid}"));
        let old = home.join(format!("{prefix}.lotse-old-{pid}"));
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let made = Mutex::new(HashSet::from([dir.clone()]));
        let target = Target { out: out.clone(), dir, old, _lock: lock };
        Ok(Staging { target, interrupt, made, paths: Paths::default(), failed: Mutex::default(), committed: false })
    }

    /// Writes one file (its folders are created as needed).
    pub fn put(&self, file: &OutputFile) -> Result<(), Error> {
        self.put_with(&file.path, |f| f.write_all(&file.bytes))
    }

    /// Creates the file at `rel` and writes it with `write`.
    fn put_with(&self, rel: &str, write: impl FnOnce(&mut fs::File) -> std::io::Result<()>) -> Result<(), Error> {
        self.interrupt.check()?;
        let path = self.target.dir.join(rel);
        if let Some(parent) = path.parent() {
            let known = self.made.lock().map(|m| m.contains(parent)).unwrap_or(false);
            if !known {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        let mut f = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        write(&mut f).map_err(|e| Error::io(&path, e))
    }

    /// Files offered so far.
    pub fn written(&self) -> usize {
        self.paths.count()
    }

    /// Puts the written folder in place of the output, or reports the
    /// first write error (the old output stays).
    pub fn commit(mut self) -> Result<(), Error> {
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        self.interrupt.check()?;
        let t = &self.target;
        if t.out.mount_point {
            swap_contents(&t.dir, &t.out.path, &t.old)?;
        } else {
            swap_in(&t.dir, &t.out.path, &t.old)?;
        }
        self.committed = true;
        if remove_all(&t.old).is_err() {
            let _ = fs::remove_dir_all(&t.old);
        }
        Ok(())
    }
}

/// Removes folder `dir` and everything in it, on all cores: the old output
/// of a large site is tens of thousands of files, and removing them took
/// a tenth of a 10,000-page build on one. If `dir` is a link (an output
/// folder that was a symlink), only the link goes.
fn remove_all(dir: &Path) -> std::io::Result<()> {
    if !fs::symlink_metadata(dir)?.is_dir() {
        return fs::remove_file(dir);
    }
    let entries = fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    entries.par_iter().try_for_each(|e| {
        // A link to a folder is removed, never followed.
        if e.file_type()?.is_dir() { remove_all(&e.path()) } else { fs::remove_file(e.path()) }
    })?;
    fs::remove_dir(dir)
}

impl Sink for Staging {
    /// Writes `files` (in parallel) and notes their paths; a write error is
    /// kept for [`Staging::commit`] to report, and stops later writes.
    fn offer(&self, files: &[OutputFile]) {
        self.paths.note(files);
        if self.failed.lock().map(|f| f.is_some()).unwrap_or(true) {
            return;
        }
        if let Err(e) = files.par_iter().try_for_each(|f| self.put(f))
            && let Ok(mut failed) = self.failed.lock()
        {
            failed.get_or_insert(e);
        }
    }

    fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Writes the file piece by piece: it is never in memory at once.
    fn offer_written(&self, path: String, write: WriteFile) {
        self.paths.note_paths(std::iter::once(path.as_str()));
        if self.failed.lock().map(|f| f.is_some()).unwrap_or(true) {
            return;
        }
        let buffered = |f: &mut fs::File| {
            let mut w = std::io::BufWriter::with_capacity(64 * 1024, f);
            write(&mut w)?;
            w.flush()
        };
        if let Err(e) = self.put_with(&path, buffered)
            && let Ok(mut failed) = self.failed.lock()
        {
            failed.get_or_insert(e);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.target.dir);
        }
    }
}

/// Removes temporary folders (names starting with `prefix`) left behind
/// by killed builds; the caller holds the output's lock.
fn remove_stale(home: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(home) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(prefix) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Puts `staging` in place of `out`, moving the old output to `old`.
fn swap_in(staging: &Path, out: &Path, old: &Path) -> Result<(), Error> {
    if fs::symlink_metadata(out).is_ok() {
        #[cfg(target_os = "linux")]
        if exchange(staging, out).is_ok() {
            return fs::rename(staging, old).map_err(|e| Error::io(staging, e));
        }
        fs::rename(out, old).map_err(|e| Error::io(out, e))?;
    }
    fs::rename(staging, out).map_err(|e| Error::io(out, e))
}

/// For an output that is a mount point (`staging` and `old` inside it):
/// moves its entries into `old`, then those of `staging` up into `out`.
/// Not one atomic step, but every step is a rename on one file system; a
/// failure while moving the old entries puts them back.
fn swap_contents(staging: &Path, out: &Path, old: &Path) -> Result<(), Error> {
    fs::create_dir_all(old).map_err(|e| Error::io(old, e))?;
    let ours = |n: &std::ffi::OsStr| Some(n) == staging.file_name() || Some(n) == old.file_name();
    let entries: Vec<_> = fs::read_dir(out).map_err(|e| Error::io(out, e))?.flatten().map(|e| e.file_name()).collect();
    let mut moved = Vec::new();
    for name in entries.iter().filter(|n| !ours(n)) {
        if let Err(e) = fs::rename(out.join(name), old.join(name)) {
            for back in moved {
                let _ = fs::rename(old.join(back), out.join(back));
            }
            return Err(Error::io(out.join(name), e));
        }
        moved.push(name);
    }
    for e in fs::read_dir(staging).map_err(|e| Error::io(staging, e))?.flatten() {
        let to = out.join(e.file_name());
        fs::rename(e.path(), &to).map_err(|err| Error::io(to, err))?;
    }
    let _ = fs::remove_dir(staging);
    Ok(())
}

/// Atomically exchanges two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` so that `out` holds exactly them; `out` is replaced in
    /// one step, so a reader (or a crash) never sees a half-written folder.
    fn write_atomic(out: &OutDir, files: &[OutputFile]) -> Result<(), Error> {
        let staging = Staging::new(out, Interrupt::default())?;
        files.par_iter().try_for_each(|f| staging.put(f))?;
        staging.commit()
    }

    #[test]
    fn replaces_output_completely() {
        let dir = std::env::temp_dir().join(format!("lotse-write-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let out = resolve(&dir, &dir.join("public")).unwrap();
        let f = |p: &str, s: &str| OutputFile::text(p, s.to_string());
        write_atomic(&out, &[f("a/index.html", "1"), f("old.txt", "x")]).unwrap();
        write_atomic(&out, &[f("a/index.html", "2")]).unwrap();
        assert_eq!(fs::read_to_string(out.path.join("a/index.html")).unwrap(), "2");
        assert!(!out.path.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn removing_a_tree_removes_links_but_not_what_they_point_to() {
        let dir = std::env::temp_dir().join(format!("lotse-remove-{}", std::process::id()));
        let (tree, kept) = (dir.join("tree"), dir.join("kept"));
        fs::create_dir_all(tree.join("a/b/c")).unwrap();
        fs::create_dir_all(&kept).unwrap();
        fs::write(kept.join("keep.txt"), "k").unwrap();
        for (i, sub) in ["", "a", "a/b", "a/b/c"].iter().enumerate() {
            fs::write(tree.join(sub).join(format!("{i}.html")), "x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, tree.join("a/link")).unwrap();
        remove_all(&tree).unwrap();
        assert!(!tree.exists());
        assert!(kept.join("keep.txt").exists(), "the link's target survives");
        // A tree that is itself a link (an output folder symlinked elsewhere).
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&kept, &tree).unwrap();
            remove_all(&tree).unwrap();
            assert!(fs::symlink_metadata(&tree).is_err(), "the link is gone");
            assert!(kept.join("keep.txt").exists(), "the linked folder's files survive");
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
