//! Where an output kind's files go: rendered by Tera, or folded into a
//! fingerprint of exactly what the templates would be given. Every kind
//! builds its contexts once, through [`Out::ctx`] and [`Ctx::insert`], and
//! runs in either mode; so the preview's fingerprints cover every value a
//! template sees by construction, with no list of fields to keep in step.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use serde::Serialize;
use tera::Context;

use super::{RenderInput, render_bytes};
use crate::error::Diagnostic;
use crate::output::{OutputFile, Sink, WriteFile};

/// A template context, or the fingerprint of one.
pub(crate) enum Ctx {
    /// Values for Tera.
    Render(Context),
    /// The hash of the keys and values inserted so far.
    Print(FxHasher),
}

impl Ctx {
    /// Adds `value` under `key` (hashing its serialised form when printing).
    pub(crate) fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        match self {
            Ctx::Render(ctx) => ctx.insert(key, value),
            Ctx::Print(h) => {
                key.hash(h);
                hash_serialised(h, value);
            }
        }
    }

    /// Adds a value shared by many contexts, serialised once; `hash` is the
    /// hash of its serialised form ([`serialised_hash`]).
    pub(crate) fn insert_value(&mut self, key: &'static str, value: &tera::Value, hash: u64) {
        match self {
            Ctx::Render(ctx) => ctx.insert_value(key, value.clone()),
            Ctx::Print(h) => (key, hash).hash(h),
        }
    }
}

/// The hash of `value` (see [`super::fingerprint`]).
pub(crate) fn serialised_hash<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    hash_serialised(&mut h, value);
    h.finish()
}

fn hash_serialised<T: Serialize + ?Sized>(h: &mut FxHasher, value: &T) {
    super::fingerprint::hash_into(h, value);
}

/// The files of one output group, or their fingerprint.
pub(crate) struct Out<'i, 'a> {
    input: &'i RenderInput<'a>,
    files: Vec<OutputFile>,
    print: Option<FxHasher>,
    /// Where files go as soon as they are rendered, instead of `files`.
    sink: Option<&'i dyn Sink>,
    /// Notes for the build summary (a PDF left out, and why).
    notes: Vec<String>,
}

impl<'i, 'a> Out<'i, 'a> {
    /// Renders files.
    pub(crate) fn rendering(input: &'i RenderInput<'a>) -> Self {
        Out { input, files: Vec::new(), print: None, sink: None, notes: Vec::new() }
    }

    /// Renders files into `sink`, each as soon as it is made: a group of
    /// many files (a large stage's handout parts) never holds them all.
    pub(crate) fn writing(input: &'i RenderInput<'a>, sink: &'i dyn Sink) -> Self {
        Out { input, files: Vec::new(), print: None, sink: Some(sink), notes: Vec::new() }
    }

    /// Fingerprints what would be rendered, starting from `seed` (what all
    /// outputs depend on: configuration, theme, the site's pages).
    pub(crate) fn printing(input: &'i RenderInput<'a>, seed: u64) -> Self {
        let mut h = FxHasher::default();
        seed.hash(&mut h);
        Out { input, files: Vec::new(), print: Some(h), sink: None, notes: Vec::new() }
    }

    /// A new, empty context of this mode.
    pub(crate) fn ctx(&self) -> Ctx {
        if self.print.is_some() { Ctx::Print(FxHasher::default()) } else { Ctx::Render(Context::new()) }
    }

    /// Another group of the same mode, for work done in parallel; its
    /// results come back in order through [`Out::join`].
    pub(crate) fn fork(&self) -> Self {
        let print = self.print.as_ref().map(|_| FxHasher::default());
        Out { input: self.input, files: Vec::new(), print, sink: self.sink, notes: Vec::new() }
    }

    /// Takes back forked groups, in order.
    pub(crate) fn join(&mut self, parts: Vec<Out<'i, 'a>>) {
        for part in parts {
            self.notes.extend(part.notes);
            match (&mut self.print, part.print) {
                (Some(h), Some(p)) => p.finish().hash(h),
                _ => self.files.extend(part.files),
            }
        }
    }

    /// Renders `template` with `ctx` into `path` (about `size` bytes).
    pub(crate) fn template(&mut self, path: String, template: &str, ctx: Ctx, size: usize) -> Result<(), Diagnostic> {
        match (ctx, &mut self.print) {
            (Ctx::Render(ctx), _) => {
                let bytes = render_bytes(self.input, template, &ctx, size)?;
                self.put(OutputFile::bytes(path, bytes));
            }
            (Ctx::Print(c), Some(h)) => (path, template, c.finish()).hash(h),
            (Ctx::Print(_), None) => {}
        }
        Ok(())
    }

    /// Adds a file made without a template (exports, `robots.txt`).
    pub(crate) fn file(&mut self, file: OutputFile) {
        match &mut self.print {
            Some(h) => (&file.path, file.bytes.as_slice()).hash(h),
            None => self.put(file),
        }
    }

    /// Adds the file at `path` that `write` writes in pieces (a large
    /// export): into the sink without being in memory at once.
    pub(crate) fn written(&mut self, path: String, write: WriteFile) {
        match (&mut self.print, self.sink) {
            (Some(h), _) => {
                path.hash(h);
                let _ = write(&mut HashWriter(h));
            }
            (None, Some(sink)) => sink.offer_written(path, write),
            (None, None) => {
                let mut bytes = Vec::new();
                if write(&mut bytes).is_ok() {
                    self.files.push(OutputFile::bytes(path, bytes));
                }
            }
        }
    }

    fn put(&mut self, file: OutputFile) {
        match self.sink {
            Some(sink) => sink.offer(std::slice::from_ref(&file)),
            None => self.files.push(file),
        }
    }

    /// Typesets `doc` into the PDF at `path`, with the site's images it
    /// shows ([`crate::pdf::images`]) and through the PDF cache where the
    /// build has one; when fingerprinting, hashes the document instead (its
    /// markup and files are all it depends on).
    pub(crate) fn pdf(&mut self, path: String, doc: crate::pdf::Document) -> Result<(), Diagnostic> {
        let site = self.input.site;
        let doc = crate::pdf::images::embed(doc, &site.pdf_images);
        if let Some(h) = &mut self.print {
            (&path, &doc.source, &doc.ident).hash(h);
            for (name, bytes) in &doc.files {
                (name, bytes.as_slice()).hash(h);
            }
            return Ok(());
        }
        let bytes = crate::pdf::typeset(&doc, site.config.pdf_cache.as_deref()).map_err(|why| {
            Diagnostic::error(&path, "", 0, format!("the PDF could not be typeset: {why}"))
                .with_hint("this is a bug in Lotse or its document template; please report it with the page's Markdown")
        })?;
        self.put(OutputFile::bytes(path, bytes));
        Ok(())
    }

    /// Notes `note` for the build summary.
    pub(crate) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// The notes so far.
    pub(crate) fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// The files rendered (none when [`Out::writing`]).
    pub(crate) fn into_files(self) -> Vec<OutputFile> {
        self.files
    }

    /// The fingerprint (0 when rendering).
    pub(crate) fn fingerprint(&self) -> u64 {
        self.print.as_ref().map_or(0, Hasher::finish)
    }
}

/// Feeds what is written into a hash (fingerprinting a written file).
struct HashWriter<'h>(&'h mut FxHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::hash::Hasher::write(self.0, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
