//! Writes the imported site: `site.yaml`, the pages, the copied files and
//! `IMPORT-REPORT.md`, into a temporary folder beside DEST that is renamed
//! to DEST at the end (an interrupted import leaves no half site).

use std::fs;
use std::path::{Path, PathBuf};

use super::plan::Plan;
use super::report::{ImportReport, Topic};
use crate::error::Error;

/// Writes everything; the number of files written.
pub(crate) fn write(
    src: &Path,
    dest: &Path,
    pages: &[(String, String)],
    plan: &Plan,
    report: &mut ImportReport,
) -> Result<usize, Error> {
    let tmp = temp_beside(dest);
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    let result = write_into(src, &tmp, pages, plan, report);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if dest.exists() {
        fs::remove_dir(dest).map_err(|e| Error::io(dest, e))?;
    }
    fs::rename(&tmp, dest).map_err(|e| Error::io(dest, e))?;
    result
}

fn temp_beside(dest: &Path) -> PathBuf {
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    dest.with_file_name(format!(".{name}.lotse-import"))
}

fn write_into(
    src: &Path,
    out: &Path,
    pages: &[(String, String)],
    plan: &Plan,
    report: &mut ImportReport,
) -> Result<usize, Error> {
    let mut n = 0;
    put(out, "site.yaml", site_yaml(plan).as_bytes())?;
    fs::create_dir_all(out.join("static")).map_err(|e| Error::io(out.join("static"), e))?;
    for (rel, text) in pages {
        put(out, &format!("content/{rel}"), text.as_bytes())?;
        n += 1;
    }
    let mut copied = 0;
    for (from, to) in &plan.assets {
        let target = out.join(to);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        match fs::copy(src.join(from), &target) {
            Ok(_) => copied += 1,
            Err(e) => report.add(Topic::SkippedFile, from, 0, format!("could not be copied: {e}")),
        }
    }
    report.count("files copied", copied);
    report.finish();
    put(out, "IMPORT-REPORT.md", report.to_markdown().as_bytes())?;
    Ok(n + copied + 2)
}

fn put(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), Error> {
    let path = out.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
}

/// `site.yaml` with the source site's title, description and language.
pub(crate) fn site_yaml(plan: &Plan) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let lang = plan
        .language
        .as_deref()
        .and_then(|l| l.split(['-', '_']).next())
        .map(str::to_lowercase)
        .filter(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()))
        .unwrap_or_else(|| "en".into());
    let mut out = String::from("# Written by `lotse import`; see IMPORT-REPORT.md for what did not carry over.\n");
    out.push_str(&format!("title: {}\n", q(plan.title.as_deref().unwrap_or("Imported site"))));
    if let Some(d) = plan.description.as_deref().filter(|d| !d.trim().is_empty()) {
        out.push_str(&format!("description: {}\n", q(d.trim())));
    }
    out.push_str(&format!("base_url: \"/\"\ndefault_language: {lang}\nlanguages: [{lang}]\n"));
    out
}
