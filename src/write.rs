//! Writes output files into the output folder atomically: everything goes
//! into a sibling temporary folder, which then replaces the old output in
//! one rename. This is the only module that writes files.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

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
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = out.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.lotse-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.lotse-old-{}", std::process::id()));
    remove_stale(&parent, &name);
    fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    if let Err(e) = write_tree(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, out, &old)?;
    let _ = fs::remove_dir_all(&old);
    Ok(())
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

fn write_tree(dir: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let mut dirs: Vec<PathBuf> =
        files.iter().filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p))).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        let mut file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        file.write_all(&f.bytes).map_err(|e| Error::io(&path, e))
    })
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
