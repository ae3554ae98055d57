//! Writes output files into the output folder atomically: everything goes
//! into a sibling temporary folder, which then replaces the old output in
//! one rename. This is the only module that writes files.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::Error;
use crate::render::OutputFile;

/// Refuses output folders whose replacement would destroy the site: the
/// root itself, a folder above it, or a source folder.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), String> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        normalise(&p)
    };
    let (root, out) = (abs(root), abs(out));
    if root.starts_with(&out) {
        return Err(format!("refusing to write to {}: it contains the site itself", out.display()));
    }
    for src in ["content", "static", "templates", "themes"] {
        if out.starts_with(root.join(src)) {
            return Err(format!("refusing to write to {}: it is inside the site's {src}/ folder", out.display()));
        }
    }
    Ok(())
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `files` so that `out` holds exactly them; `out` is replaced in
/// one step, so a reader (or a crash) never sees a half-written folder.
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let staging = Staging::new(out)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.commit()
}

/// An output folder being written: files go into a sibling temporary
/// folder as they are produced ([`Staging::put`], from any thread), and
/// [`Staging::commit`] puts it in place of the output in one rename.
/// Dropped without a commit, the temporary folder is removed and the old
/// output stays as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    /// The temporary folder; `None` discards what is offered (`lotse check`).
    dir: Option<PathBuf>,
    old: PathBuf,
    /// Folders known to exist inside `dir`.
    made: Mutex<HashSet<PathBuf>>,
    /// Paths written, relative to the output.
    paths: Mutex<HashSet<String>>,
    /// The first write error; later files are not written.
    failed: Mutex<Option<Error>>,
    written: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Creates the temporary folder beside `out` (removing ones left
    /// behind by killed builds).
    pub fn new(out: &Path) -> Result<Staging, Error> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = out.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.lotse-new-{}", std::process::id()));
        let old = parent.join(format!(".{name}.lotse-old-{}", std::process::id()));
        remove_stale(&parent, &name);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let made = Mutex::new(HashSet::from([dir.clone()]));
        Ok(Staging {
            out: out.to_path_buf(),
            dir: Some(dir),
            old,
            made,
            paths: Mutex::default(),
            failed: Mutex::default(),
            written: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// A staging area that writes nothing: files are counted and dropped
    /// (for checking a site without building it).
    pub fn discard() -> Staging {
        Staging {
            out: PathBuf::new(),
            dir: None,
            old: PathBuf::new(),
            made: Mutex::default(),
            paths: Mutex::default(),
            failed: Mutex::default(),
            written: AtomicUsize::new(0),
            committed: false,
        }
    }

    /// Writes one file (its folders are created as needed).
    pub fn put(&self, file: &OutputFile) -> Result<(), Error> {
        let Some(dir) = &self.dir else {
            self.written.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        };
        let path = dir.join(&file.path);
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
        f.write_all(&file.bytes).map_err(|e| Error::io(&path, e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Writes `files` (in parallel) and notes their paths; a write error is
    /// kept for [`Staging::commit`] to report, and stops later writes.
    pub fn offer(&self, files: &[OutputFile]) {
        if self.failed.lock().map(|f| f.is_some()).unwrap_or(true) {
            return;
        }
        if let Err(e) = files.par_iter().try_for_each(|f| self.put(f))
            && let Ok(mut failed) = self.failed.lock()
        {
            failed.get_or_insert(e);
        }
        if let Ok(mut paths) = self.paths.lock() {
            paths.extend(files.iter().map(|f| f.path.clone()));
        }
    }

    /// Whether `path` (relative to the output) was offered.
    pub fn has(&self, path: &str) -> bool {
        self.paths.lock().map(|p| p.contains(path)).unwrap_or(false)
    }

    /// Files written so far.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Puts the written folder in place of the output, or reports the
    /// first write error (the old output stays).
    pub fn commit(mut self) -> Result<(), Error> {
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        let Some(dir) = self.dir.clone() else { return Ok(()) };
        swap_in(&dir, &self.out, &self.old)?;
        self.committed = true;
        let _ = fs::remove_dir_all(&self.old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir
            && !self.committed
        {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

/// Removes temporary folders left behind by killed builds.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&format!(".{name}.lotse-")) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Puts `staging` in place of `out`, moving the old output to `old`.
fn swap_in(staging: &Path, out: &Path, old: &Path) -> Result<(), Error> {
    if out.exists() {
        #[cfg(target_os = "linux")]
        if exchange(staging, out).is_ok() {
            return fs::rename(staging, old).map_err(|e| Error::io(staging, e));
        }
        fs::rename(out, old).map_err(|e| Error::io(out, e))?;
    }
    fs::rename(staging, out).map_err(|e| Error::io(out, e))
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

    #[test]
    fn refuses_dangerous_out_dirs() {
        let root = Path::new("/srv/site");
        assert!(check_out_dir(root, Path::new("/srv/site")).is_err());
        assert!(check_out_dir(root, Path::new("/srv")).is_err());
        assert!(check_out_dir(root, Path::new("/srv/site/content/x")).is_err());
        assert!(check_out_dir(root, Path::new("/srv/site/public")).is_ok());
        assert!(check_out_dir(root, Path::new("/srv/site/public/../content")).is_err());
    }

    #[test]
    fn replaces_output_completely() {
        let dir = std::env::temp_dir().join(format!("lotse-write-{}", std::process::id()));
        let out = dir.join("public");
        let f = |p: &str, s: &str| OutputFile::text(p, s.to_string());
        write_atomic(&out, &[f("a/index.html", "1"), f("old.txt", "x")]).unwrap();
        write_atomic(&out, &[f("a/index.html", "2")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "2");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
