//! Decides whether an output folder may be replaced, after resolving
//! symlinks: the one check every command that writes goes through.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

pub use crate::error::Refused;

/// An output folder that passed [`resolve`]: an absolute path whose parent
/// has every symlink resolved (the last part may itself be a symlink, which
/// a build replaces without touching its target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDir {
    /// The resolved path.
    pub path: PathBuf,
    /// `path` is a mount point (e.g. a Docker volume): it cannot be renamed,
    /// so its contents are swapped instead of the folder itself.
    pub mount_point: bool,
}

/// Resolves `out` for a build of the site at `root` and refuses folders
/// whose replacement would destroy something: the site or a folder above
/// it, anything inside its source folders (also through symlinks), an
/// existing file, or a folder that holds something other than a built site.
pub fn resolve(root: &Path, out: &Path) -> Result<OutDir, Refused> {
    let refuse = |reason: String| Refused { path: out.to_path_buf(), reason };
    let io_refuse = |e: io::Error| refuse(format!("cannot resolve the path ({e})"));
    let root = physical(root).map_err(io_refuse)?;
    let path = physical_parent(out).map_err(io_refuse)?;
    if root.starts_with(&path) {
        return Err(refuse(format!("it contains the site itself ({})", root.display())));
    }
    for src in ["content", "static", "templates", "themes"] {
        let lexical = root.join(src);
        let real = physical(&lexical).unwrap_or_else(|_| lexical.clone());
        if path.starts_with(&lexical) || path.starts_with(&real) {
            return Err(refuse(format!("it is inside the site's {src}/ folder")));
        }
    }
    check_existing(&path).map_err(refuse)?;
    let mount_point = is_mount_point(&path);
    Ok(OutDir { path, mount_point })
}

/// What is at `path` already must be a folder Lotse may replace.
fn check_existing(path: &Path) -> Result<(), String> {
    let Ok(meta) = fs::symlink_metadata(path) else { return Ok(()) };
    if meta.file_type().is_symlink() {
        return match fs::metadata(path) {
            Ok(m) if !m.is_dir() => Err("it is a symlink to a file; the output must be a folder".into()),
            _ => Ok(()),
        };
    }
    if !meta.is_dir() {
        return Err("it is a file; the output must be a folder (choose another --out)".into());
    }
    let names: Vec<String> = match fs::read_dir(path) {
        Ok(entries) => entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(e) => return Err(format!("cannot read the folder ({e})")),
    };
    if names.iter().any(|n| n == ".git") {
        return Err("it holds a .git folder, which a build would delete (Lotse replaces the whole output folder); \
                    build into another folder and copy the files into the repository"
            .into());
    }
    if names.iter().any(|n| n == "site.yaml") {
        return Err("it holds a site.yaml: it looks like a site's sources, not a built site".into());
    }
    if !names.is_empty() && !names.iter().any(|n| n == "index.html") {
        return Err("it is a folder that is not empty and holds no index.html, so it is not a site Lotse built; \
                    Lotse replaces the whole output folder (choose a new or empty folder, or empty this one)"
            .into());
    }
    Ok(())
}

/// `p` as an absolute path with every symlink resolved.
fn physical(p: &Path) -> io::Result<PathBuf> {
    fs::canonicalize(p)
}

/// `p` as an absolute path whose existing ancestors have their symlinks
/// resolved; the last part stays as it is (unless it is `.` or `..`).
fn physical_parent(p: &Path) -> io::Result<PathBuf> {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) };
    match abs.components().next_back() {
        Some(Component::Normal(name)) => {
            let parent = abs.parent().unwrap_or(Path::new("/"));
            Ok(existing_prefix_resolved(parent)?.join(name))
        }
        _ => existing_prefix_resolved(&abs),
    }
}

/// Resolves the longest existing prefix of `p` and appends the rest, which
/// does not exist (and so holds no symlinks); `..` in the rest is lexical.
fn existing_prefix_resolved(p: &Path) -> io::Result<PathBuf> {
    let mut base = p.to_path_buf();
    let mut rest = Vec::new();
    while fs::symlink_metadata(&base).is_err() {
        match (base.file_name(), base.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                base = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&base)?;
    for part in rest.iter().rev() {
        match Path::new(part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(part),
        }
    }
    Ok(out)
}

/// Whether `path` is a mount point: on another device than its parent, or
/// listed in `/proc/self/mountinfo` (bind mounts share the device).
fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(meta), Some(parent)) = (fs::symlink_metadata(path), path.parent()) else { return false };
    if !meta.is_dir() {
        return false;
    }
    if fs::metadata(parent).is_ok_and(|p| p.dev() != meta.dev()) {
        return true;
    }
    let Ok(info) = fs::read_to_string("/proc/self/mountinfo") else { return false };
    info.lines().filter_map(|l| l.split(' ').nth(4)).any(|m| Path::new(&unescape_mountinfo(m)) == path)
}

/// Mount points in mountinfo escape spaces and some bytes as `\ooo`.
fn unescape_mountinfo(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b.get(i + 1..i + 4).filter(|d| b[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        if let Some(d) = octal {
            out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lotse-guard-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("site/content")).unwrap();
        dir
    }

    #[test]
    fn refuses_the_site_folders_above_and_sources() {
        let dir = tmp("lexical");
        let root = dir.join("site");
        assert!(resolve(&root, &root).is_err());
        assert!(resolve(&root, &dir).is_err());
        assert!(resolve(&root, &root.join("content/x")).is_err());
        assert!(resolve(&root, &root.join("public/../content")).is_err());
        assert_eq!(resolve(&root, &root.join("public")).unwrap().path, fs::canonicalize(&root).unwrap().join("public"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn resolves_symlinks_before_comparing() {
        let dir = tmp("links");
        let root = dir.join("site");
        std::os::unix::fs::symlink(&root, dir.join("alias")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), dir.join("into-content")).unwrap();
        // The site given through an alias, the output named directly.
        assert!(resolve(&dir.join("alias"), &root).is_err());
        assert!(resolve(&root, &dir.join("into-content/public")).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_files_and_folders_that_are_not_built_sites() {
        let dir = tmp("existing");
        let root = dir.join("site");
        fs::write(dir.join("notes.txt"), "keep").unwrap();
        assert!(resolve(&root, &dir.join("notes.txt")).unwrap_err().reason.contains("is a file"));
        fs::create_dir_all(dir.join("docs")).unwrap();
        fs::write(dir.join("docs/letter.odt"), "keep").unwrap();
        assert!(resolve(&root, &dir.join("docs")).unwrap_err().reason.contains("no index.html"));
        fs::create_dir_all(dir.join("deploy/.git")).unwrap();
        fs::write(dir.join("deploy/index.html"), "").unwrap();
        assert!(resolve(&root, &dir.join("deploy")).unwrap_err().reason.contains(".git"));
        fs::create_dir_all(dir.join("built")).unwrap();
        fs::write(dir.join("built/index.html"), "").unwrap();
        assert!(resolve(&root, &dir.join("built")).is_ok());
        assert!(resolve(&root, &dir.join("empty-or-new")).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unescapes_mountinfo_paths() {
        assert_eq!(unescape_mountinfo(r"/mnt/my\040volume"), "/mnt/my volume");
        assert_eq!(unescape_mountinfo(r"/a\\b"), r"/a\\b");
    }
}
