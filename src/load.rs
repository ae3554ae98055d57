//! Reads a site from disk: `site.yaml`, `content/`, `static/`, `templates/`
//! and the theme folder. This is the only module that reads files.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error};

/// A Markdown file of `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to `content/`, `/`-separated: `01-goals/goal-map.md`.
    pub rel: String,
    /// The file text, UTF-8, without a byte-order mark.
    pub text: String,
}

/// Any other file: an image in `content/`, a file of `static/`, a theme asset.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the folder it was found in, `/`-separated.
    pub rel: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Everything a build reads, before any parsing.
#[derive(Debug, Default)]
pub struct Input {
    /// `site.yaml`, if present.
    pub config: Option<String>,
    /// Markdown files of `content/`, sorted by path.
    pub markdown: Vec<SourceFile>,
    /// Other files of `content/`, copied beside the pages.
    pub content_assets: Vec<Asset>,
    /// Files of `static/`.
    pub static_files: Vec<Asset>,
    /// Files of the site's `templates/` folder (overrides).
    pub templates: Vec<Asset>,
    /// Problems found while reading (invalid UTF-8, symlinks out of the tree).
    pub diagnostics: Vec<Diagnostic>,
    /// Date (`YYYY-MM-DD`) of the last git commit of each Markdown file,
    /// by path relative to `content/`, when the site is a git checkout.
    pub git_dates: HashMap<String, String>,
    /// The folder the site was read from (none for a tree built in
    /// memory): a streaming build reads each page's file again there
    /// instead of keeping every file until its batch.
    pub root: Option<std::path::PathBuf>,
    /// Files of `content/` whose names were not in NFC: the name used
    /// (NFC) -> the name on disk.
    pub renamed: HashMap<String, String>,
}

/// Reads the site at `root`; `theme` names the theme folder to look for.
pub fn load(root: &Path) -> Result<Input, Error> {
    let config_path = root.join("site.yaml");
    let config = read_optional_text(&config_path)?;
    let content = root.join("content");
    if config.is_none() && !content.is_dir() {
        return Err(Error::NotASite(root.to_path_buf()));
    }
    if content.exists() && !content.is_dir() {
        let msg = "this is a file, but content/ must be the folder that holds the pages";
        return Err(Error::io(content, std::io::Error::other(msg)));
    }
    let mut input = Input { config, root: Some(root.to_path_buf()), ..Input::default() };
    let (files, mut diags) = walk(root, &content, &mut input.renamed)?;
    let (md, other): (Vec<_>, Vec<_>) = files.into_iter().partition(|(rel, _)| rel.ends_with(".md"));
    let texts: Vec<Result<SourceFile, Diagnostic>> =
        md.into_par_iter().map(|(rel, bytes)| decode(rel, bytes)).collect();
    for t in texts {
        match t {
            Ok(f) => input.markdown.push(f),
            Err(d) => diags.push(d),
        }
    }
    input.content_assets = other.into_iter().map(|(rel, bytes)| Asset { rel, bytes }).collect();
    input.static_files = read_tree(root, &root.join("static"), &mut diags)?;
    input.templates = read_tree(root, &root.join("templates"), &mut diags)?;
    input.diagnostics = diags;
    input.git_dates = git_dates(root);
    Ok(input)
}

/// Settings that would let a repository's own `.git/config` run programs
/// from `git log` (a site archive is not trusted): signature checks run
/// `gpg.program`, `core.fsmonitor` and a pager are commands, lazy fetches
/// of a partial clone run transports. Command-line settings win over every
/// config file, includes too.
const GIT_SAFE: [&str; 12] = [
    "-c",
    "log.showSignature=false",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.pager=cat",
    "-c",
    "protocol.allow=never",
    "-c",
    "diff.external=",
    "-c",
    "core.hooksPath=/dev/null",
];

/// Last commit dates of the files under `content/`, from one `git log`
/// run; empty when git or the repository is missing. Git runs with
/// [`GIT_SAFE`], so the repository cannot make it run anything else.
fn git_dates(root: &Path) -> std::collections::HashMap<String, String> {
    let mut dates = std::collections::HashMap::new();
    let out = std::process::Command::new("git")
        .args(GIT_SAFE)
        .arg("--no-pager")
        .arg("-C")
        .arg(root)
        .args(["log", "--no-show-signature", "--no-textconv", "--no-ext-diff", "--format=%x00%cs"])
        .args(["--name-only", "--no-renames", "--relative", "--", "content"])
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    let Ok(out) = out else { return dates };
    if !out.status.success() {
        return dates;
    }
    let mut current = String::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = date.to_string();
        } else if let Some(rel) = line.strip_prefix("content/") {
            dates.entry(rel.to_string()).or_insert_with(|| current.clone());
        }
    }
    dates
}

/// Whether `path` is a file (`Some(true)`), something else (`Some(false)`),
/// or absent (`None`), without following a symlink.
pub fn is_file(path: &Path) -> Option<bool> {
    fs::symlink_metadata(path).ok().map(|m| m.is_file())
}

/// Reads one Markdown file of `content/` (the preview's fast path): `rel`
/// is its path relative to `content/`. `None` if it cannot be read; a
/// located problem (invalid UTF-8) as a diagnostic.
pub fn read_page(path: &Path, rel: String) -> Result<SourceFile, Option<Diagnostic>> {
    let bytes = fs::read(path).map_err(|_| None)?;
    decode(rel, bytes).map_err(Some)
}

/// Reads `themes/<name>/` of the site, if it exists, with the problems
/// found while reading it (symlinks out of the folder).
pub fn load_theme(root: &Path, name: &str) -> Result<(Option<Vec<Asset>>, Vec<Diagnostic>), Error> {
    // A plain folder name only: `theme: /` or `../x` must not read outside.
    let plain = matches!(Path::new(name).components().collect::<Vec<_>>()[..], [std::path::Component::Normal(_)]);
    let dir = root.join("themes").join(name);
    if !plain || !dir.is_dir() {
        return Ok((None, Vec::new()));
    }
    let mut diags = Vec::new();
    let files = read_tree(root, &dir, &mut diags)?;
    Ok((Some(files), diags))
}

fn read_optional_text(path: &Path) -> Result<Option<String>, Error> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(strip_bom(&bytes)).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Turns bytes into text, or a located diagnostic at the first invalid byte.
pub(crate) fn decode(rel: String, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        // Bytes below 0x20 never occur inside a multi-byte UTF-8 sequence,
        // so a byte scan finds exactly the control characters.
        Ok(text) => match control_character(text.as_bytes()) {
            // Not allowed in XML (the feed), invisible in editors; NUL means a binary file.
            Some(at) => {
                let c = text[at..].chars().next().map_or(0, |c| c as u32);
                Err(Diagnostic::error(
                    &format!("content/{rel}"),
                    &text,
                    at,
                    format!("control character U+{c:04X} in the file"),
                )
                .with_hint("remove it (editors do not show it); a file full of them is not a text file"))
            }
            None => Ok(SourceFile { rel, text: nfc(text) }),
        },
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes);
            let path = format!("content/{rel}");
            Err(Diagnostic::error(&path, &text, valid, "file is not valid UTF-8")
                .with_hint("save the file as UTF-8 in your editor"))
        }
    }
}

/// The first byte below 0x20 other than tab, line feed and carriage
/// return. Eight bytes at a time: a file is mostly printable bytes.
fn control_character(bytes: &[u8]) -> Option<usize> {
    const LOW: u64 = u64::from_ne_bytes([0x20; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let is_control = |b: u8| b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r');
    let mut chunks = bytes.chunks_exact(8);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(w);
        // A high bit for each byte below 0x20 (and maybe for none other).
        if x.wrapping_sub(LOW) & !x & HIGH != 0
            && let Some(j) = chunk.iter().position(|&b| is_control(b))
        {
            return Some(i * 8 + j);
        }
    }
    let tail = chunks.remainder();
    tail.iter().position(|&b| is_control(b)).map(|j| bytes.len() - tail.len() + j)
}

/// `text` in Unicode NFC, so a heading or link typed decomposed (as some
/// macOS tools write it) gets the same id and slug as one typed composed.
fn nfc(text: String) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    match is_nfc_quick(non_ascii_runs(&text).flat_map(str::chars)) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// The runs of non-ASCII characters in `text`. ASCII characters are in NFC
/// and of combining class 0; leaving them out of the quick check can turn
/// a "yes" into a "maybe" (two marks no longer separated by a letter),
/// never the other way round, and a "maybe" only normalises.
fn non_ascii_runs(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at + 8 <= bytes.len()
            && u64::from_ne_bytes(bytes[at..at + 8].try_into().ok()?) & 0x8080_8080_8080_8080 == 0
        {
            at += 8;
        }
        let start = at + bytes[at..].iter().position(|b| !b.is_ascii())?;
        let end = start + bytes[start..].iter().position(u8::is_ascii).unwrap_or(bytes.len() - start);
        at = end;
        // Both ends are at ASCII bytes or the end: character boundaries.
        text.get(start..end)
    })
}

/// Whether a file or folder name is hidden or an editor's temporary file.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
}

type Files = Vec<(String, Vec<u8>)>;

/// Walks `dir`, reading every file that is not ignored; symlinks must stay
/// inside `dir`. Returns `(path relative to dir, bytes)` sorted by path.
/// Names changed to NFC go into `renamed`.
fn walk(root: &Path, dir: &Path, renamed: &mut HashMap<String, String>) -> Result<(Files, Vec<Diagnostic>), Error> {
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return Ok((Vec::new(), diags));
    }
    let canonical_dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk failed")))
        })?;
        let ft = entry.file_type();
        if ft.is_symlink() {
            match check_symlink(root, &canonical_dir, entry.path()) {
                Ok(true) => paths.push(entry.path().to_path_buf()),
                Ok(false) => {}
                Err(d) => diags.push(d),
            }
        } else if ft.is_file() {
            paths.push(entry.path().to_path_buf());
        }
    }
    let read: Vec<Result<(String, Vec<u8>), Error>> = paths
        .into_par_iter()
        .map(|p| {
            let bytes = fs::read(&p).map_err(|e| Error::io(&p, e))?;
            Ok((rel_slash(dir, &p), bytes))
        })
        .collect();
    let files = read.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok((nfc_names(root, dir, files, renamed, &mut diags), diags))
}

/// File names in NFC (macOS writes NFD: `u` + combining diaeresis), so that
/// slugs and links see one spelling; two names that are the same in NFC
/// are one page twice, an error at the second. Changed names go into
/// `renamed` (NFC name -> name on disk).
fn nfc_names(
    root: &Path,
    dir: &Path,
    files: Files,
    renamed: &mut HashMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Files {
    use unicode_normalization::{UnicodeNormalization, is_nfc};
    let mut files: Files = files
        .into_iter()
        .map(|(rel, b)| {
            if is_nfc(&rel) {
                (rel, b)
            } else {
                let composed: String = rel.nfc().collect();
                renamed.insert(composed.clone(), rel);
                (composed, b)
            }
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let base = rel_slash(root, dir);
    files.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            let shown = format!("{base}/{}", later.0);
            diags.push(
                Diagnostic::error(&shown, "", 0, "two files have this name, written in different Unicode forms")
                    .with_hint("macOS writes names decomposed (NFD); delete or rename one of the two files"),
            );
        }
        same
    });
    files
}

/// A symlink to a file inside `dir` is read (`Ok(true)`); a symlinked folder
/// is skipped (`Ok(false)`); one that leaves `dir` or dangles is an error.
fn check_symlink(root: &Path, dir: &Path, path: &Path) -> Result<bool, Diagnostic> {
    let shown = rel_slash(root, path);
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(Diagnostic::error(&shown, "", 0, "symlink loop: the link leads back to itself")
                .with_hint("remove the link or point it at a file inside the folder"));
        }
        Err(_) => {
            return Err(Diagnostic::error(&shown, "", 0, "broken symlink (its target does not exist)")
                .with_hint("remove the link or point it at a file inside the folder"));
        }
    };
    if !target.starts_with(dir) {
        return Err(Diagnostic::error(&shown, "", 0, "symlink points outside its folder; it was not read")
            .with_hint("copy the file into the folder instead of linking to it"));
    }
    Ok(target.is_file())
}

fn read_tree(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Result<Vec<Asset>, Error> {
    let (files, d) = walk(root, dir, &mut HashMap::new())?;
    diags.extend(d);
    Ok(files.into_iter().map(|(rel, bytes)| Asset { rel, bytes }).collect())
}

/// `path` relative to `base`, with `/` separators.
pub fn rel_slash(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_hidden_and_editor_files() {
        for name in [".git", ".#a.md", "#a.md#", "a.md~", "a.md.swp", "x.tmp"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.md"));
    }

    #[test]
    fn decode_reports_first_invalid_byte() {
        let d = decode("a.md".into(), b"---\nti\xfftle".to_vec()).unwrap_err();
        assert_eq!((d.path.as_str(), d.line, d.col), ("content/a.md", 2, 3));
    }

    #[test]
    fn decode_strips_bom() {
        let f = decode("a.md".into(), b"\xEF\xBB\xBF---".to_vec()).unwrap();
        assert_eq!(f.text, "---");
    }

    #[test]
    fn finds_control_characters_in_any_position() {
        for len in 0..20 {
            let text = "a\tb\r\nc".repeat(3)[..len.min(18)].to_string() + &"x".repeat(len);
            assert_eq!(control_character(text.as_bytes()), None, "{text:?}");
            for at in 0..text.len() {
                for c in [0u8, 0x1b, 0x1f, 0x7f] {
                    let mut bytes = text.clone().into_bytes();
                    bytes[at] = c;
                    let expected = bytes.iter().position(|&b| b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r'));
                    assert_eq!(control_character(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn non_ascii_runs_and_normalisation() {
        let runs: Vec<&str> = non_ascii_runs("Größe und Maße – ok, äöü!").collect();
        assert_eq!(runs, ["öß", "ß", "–", "äöü"]);
        assert_eq!(non_ascii_runs("plain ASCII text, long enough to take chunks").count(), 0);
        let long = format!("{}é{}", "a".repeat(17), "b".repeat(9));
        assert_eq!(non_ascii_runs(&long).collect::<Vec<_>>(), ["é"]);
        // Decomposed forms are composed, also beside ASCII letters.
        assert_eq!(nfc("Gro\u{308}\u{df}e".to_string()), "Größe");
        assert_eq!(nfc("Cafe\u{301} ok".to_string()), "Café ok");
        assert_eq!(nfc("Größe".to_string()), "Größe");
    }
}
