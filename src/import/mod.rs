//! `lotse import`: turns a Hugo, Zola, Jekyll, mdBook or Obsidian site into
//! a new Lotse site, and reports everything that did not carry over.
//!
//! The steps: read the source folder ([`plan::Tree`]), let the tool's
//! module decide what becomes what ([`plan::Plan`]), convert each page
//! (front-matter in [`fields`], template tags in [`convert`] with the
//! tool's handler, links in [`links`]), then write the new site into a
//! temporary folder that becomes DEST in one rename. The source is only
//! read. The CLI then runs `lotse check` on DEST.

mod convert;
mod edits;
mod fields;
mod hugo;
mod jekyll;
mod links;
mod mdbook;
mod meta;
mod obsidian;
mod page;
mod plan;
pub mod report;
mod scan;
mod sections;
mod write;
mod zola;

use std::path::{Path, PathBuf};

use crate::error::Error;
pub use report::{Entry, ImportReport, Topic};

/// The generators Lotse imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Hugo,
    Zola,
    Jekyll,
    Mdbook,
    Obsidian,
}

impl Tool {
    /// The tool's name as typed after `--from`.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Hugo => "hugo",
            Tool::Zola => "zola",
            Tool::Jekyll => "jekyll",
            Tool::Mdbook => "mdbook",
            Tool::Obsidian => "obsidian",
        }
    }
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub from: Tool,
    /// The source site (only read).
    pub src: PathBuf,
    /// The new site's folder: must be empty or not exist.
    pub dest: PathBuf,
    /// Jekyll: group pages into stages by this front-matter field.
    pub stage_field: Option<String>,
    /// Obsidian: a file listing the top-level folders in stage order.
    pub order_file: Option<PathBuf>,
}

/// The outcome of an import.
#[derive(Debug)]
pub struct Imported {
    pub report: ImportReport,
    /// Files written into DEST.
    pub files: usize,
}

/// Imports `opts.src` into `opts.dest`; the report of what did not carry over.
pub fn import(opts: &ImportOptions) -> Result<Imported, Error> {
    check_folders(&opts.src, &opts.dest)?;
    let tree = plan::Tree::read(&opts.src)?;
    let mut report = ImportReport { from: opts.from.name().to_string(), ..ImportReport::default() };
    let order = match &opts.order_file {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?),
        None => None,
    };
    let mut plan = match opts.from {
        Tool::Hugo => hugo::layout(&tree, &mut report),
        Tool::Zola => zola::layout(&tree, &mut report),
        Tool::Jekyll => jekyll::layout(&tree, opts.stage_field.as_deref(), &mut report),
        Tool::Mdbook => mdbook::layout(&tree, &mut report),
        Tool::Obsidian => obsidian::layout(&tree, order.as_deref(), &mut report),
    };
    plan.dedupe(&mut report);
    let site = page::convert_all(&tree, &plan, opts, &mut report);
    let files = write::write(&opts.src, &opts.dest, &site, &plan, &mut report)?;
    Ok(Imported { report, files })
}

/// SRC must be a folder; DEST empty or absent, and not inside SRC (the
/// source is never written to).
fn check_folders(src: &Path, dest: &Path) -> Result<(), Error> {
    if !src.is_dir() {
        return Err(Error::Usage(format!("{} is not a folder; give the source site's folder", src.display())));
    }
    if dest.exists() {
        let mut entries = std::fs::read_dir(dest).map_err(|e| Error::io(dest, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty; `lotse import` writes a new site into an empty or new folder",
                dest.display()
            )));
        }
    }
    let src_abs = src.canonicalize().map_err(|e| Error::io(src, e))?;
    let dest_abs = absolute(dest);
    if dest_abs.starts_with(&src_abs) {
        return Err(Error::Usage(format!(
            "{} is inside the source folder {}; choose a folder outside it (the source is never changed)",
            dest.display(),
            src.display()
        )));
    }
    Ok(())
}

/// `path` made absolute, with its existing part resolved.
fn absolute(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut p =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    loop {
        if let Ok(c) = p.canonicalize() {
            return missing.into_iter().rev().fold(c, |acc: PathBuf, m| acc.join(m));
        }
        match (p.file_name().map(|n| n.to_os_string()), p.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                p = parent.to_path_buf();
            }
            _ => return p,
        }
    }
}
