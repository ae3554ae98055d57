//! The site's images in the PDFs. The Markdown's Typst markup writes every
//! image as `#lotse-image("/path", [alt], alt: "alt")`: its alternative
//! text in a frame. [`embed`] turns each call whose path names an image
//! file of the site (`static/` or beside the pages in `content/`, as the
//! loader read them) into `#lotse-picture(…)` and adds the file to the
//! document under `/site/<path>`. A file that is too large, of a format
//! Typst does not show, or that Typst cannot decode stays a frame; so do
//! remote images. Typst reads only the document's files, so no image can
//! bring any other file into a PDF.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use typst::foundations::{Bytes, Smart};
use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};

use super::Document;
use super::literal::string;
use crate::load::Asset;
use crate::output::OutputFile;

/// The largest image file shown in a PDF (larger ones stay frames).
pub const MAX_BYTES: usize = 8 << 20;

/// Where the site's files are in a document's virtual file system.
pub const PREFIX: &str = "/site/";

const FRAME: &str = "#lotse-image(\"";
const PICTURE: &str = "#lotse-picture(";

/// The image files of the site, by their path from the output root. The
/// files stay where the loader put them; a PDF gets a copy of those it
/// shows.
#[derive(Debug, Clone, Default)]
pub struct Images {
    by_path: Arc<HashMap<String, ImageFile>>,
}

#[derive(Debug)]
struct ImageFile {
    bytes: Source,
    /// Its bytes, if Typst decodes it: found out the first time it is shown.
    shown: OnceLock<Option<Arc<Vec<u8>>>>,
}

/// Where an image's bytes are.
#[derive(Debug)]
enum Source {
    /// One of the files the loader read (kept for the build).
    Listed(Arc<[Asset]>, usize),
    /// A file of the output (kept by the preview).
    Shared(Arc<Vec<u8>>),
}

impl Source {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Listed(files, i) => &files[*i].bytes,
            Source::Shared(bytes) => bytes,
        }
    }

    /// The bytes for a document: shared where they are, else copied.
    fn for_document(&self) -> Arc<Vec<u8>> {
        match self {
            Source::Listed(files, i) => Arc::new(files[*i].bytes.clone()),
            Source::Shared(bytes) => Arc::clone(bytes),
        }
    }
}

/// A format Typst shows, by file ending (as Typst itself picks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Raster(ExchangeFormat),
    Svg,
}

fn format(path: &str) -> Option<Format> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => Format::Raster(ExchangeFormat::Png),
        "jpg" | "jpeg" => Format::Raster(ExchangeFormat::Jpg),
        "gif" => Format::Raster(ExchangeFormat::Gif),
        "svg" => Format::Svg,
        _ => return None,
    })
}

impl Images {
    /// The image files among `groups` (files by output path), the first
    /// of each path winning: pass `static/` before `content/`, as the
    /// files are copied to the output. Other files and those over
    /// [`MAX_BYTES`] are left out.
    pub fn new(groups: &[&Arc<[Asset]>]) -> Images {
        let mut by_path = HashMap::new();
        for files in groups {
            for (index, a) in files.iter().enumerate() {
                if format(&a.rel).is_some() && a.bytes.len() <= MAX_BYTES && !by_path.contains_key(&a.rel) {
                    let file = ImageFile { bytes: Source::Listed(Arc::clone(files), index), shown: OnceLock::new() };
                    by_path.insert(a.rel.clone(), file);
                }
            }
        }
        Images { by_path: Arc::new(by_path) }
    }

    /// The file at `path` (from the output root), if Typst can show it.
    fn shown(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        let file = self.by_path.get(path)?;
        let format = format(path)?;
        let shown = file.shown.get_or_init(|| decodes(file.bytes.bytes(), format).then(|| file.bytes.for_document()));
        shown.as_ref()
    }

    /// The same images with their bytes taken from `outputs` (the copied
    /// files, by output path) where they are there, so a preview that
    /// keeps the output keeps no second copy of the files it read.
    pub fn sharing(&self, outputs: &[OutputFile]) -> Images {
        let copied: HashMap<&str, &Arc<Vec<u8>>> = outputs.iter().map(|o| (o.path.as_str(), &o.bytes)).collect();
        let by_path = self
            .by_path
            .iter()
            .map(|(path, file)| {
                let bytes = match copied.get(path.as_str()) {
                    // The copy of this very file (a theme file of the same
                    // path is never copied over a site's own).
                    Some(&b) if b.as_slice() == file.bytes.bytes() => Arc::clone(b),
                    _ => file.bytes.for_document(),
                };
                (path.clone(), ImageFile { bytes: Source::Shared(bytes), shown: OnceLock::new() })
            })
            .collect();
        Images { by_path: Arc::new(by_path) }
    }
}

/// Whether Typst decodes `bytes` as `format` (a file it cannot decode
/// would fail the whole document).
fn decodes(bytes: &[u8], format: Format) -> bool {
    // Typst's decoders memoise: they run as a compile does (see `Active`).
    let _active = super::Active::start();
    let data = Bytes::new(bytes.to_vec());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::Raster(f) => RasterImage::new(data, f, Smart::Auto).is_ok(),
        Format::Svg => SvgImage::new(data).is_ok(),
    }))
    .unwrap_or(false)
}

/// `doc` with each image of the site that Typst can show as a picture,
/// its file added under [`PREFIX`]; the other images stay frames.
pub fn embed(doc: Document, images: &Images) -> Document {
    if !doc.source.contains(FRAME) {
        return doc;
    }
    let Document { source, mut files, ident } = doc;
    let mut out = String::with_capacity(source.len());
    let mut rest = source.as_str();
    while let Some(i) = rest.find(FRAME) {
        out.push_str(&rest[..i]);
        let call = &rest[i..];
        let literal = &call[FRAME.len() - 1..];
        let picture = string_value(literal).and_then(|(path, len)| {
            let file = images.shown(path.strip_prefix('/')?)?;
            let vpath = format!("{PREFIX}{}", path.trim_start_matches('/'));
            super::file_id(&vpath)?;
            if !files.iter().any(|(p, _)| *p == vpath) {
                files.push((vpath.clone(), file.clone()));
            }
            Some((vpath, len))
        });
        match picture {
            Some((vpath, len)) => {
                out.push_str(PICTURE);
                out.push_str(&string(&vpath));
                rest = &literal[len..];
            }
            None => {
                out.push_str(FRAME);
                rest = &call[FRAME.len()..];
            }
        }
    }
    out.push_str(rest);
    Document { source: out, files, ident }
}

/// `doc` with every picture a frame again and no image files: what is
/// typeset when Typst fails on a document with pictures.
pub fn without_pictures(doc: &Document) -> Option<Document> {
    if !doc.source.contains(PICTURE) {
        return None;
    }
    Some(Document {
        source: doc.source.replace(PICTURE, "#lotse-image("),
        files: doc.files.iter().filter(|(p, _)| !p.starts_with(PREFIX)).cloned().collect(),
        ident: doc.ident.clone(),
    })
}

/// The value of the Typst string literal at the start of `s` (as
/// [`string`] writes them) and the literal's length in bytes.
fn string_value(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, i + 1)),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                'r' => value.push('\r'),
                't' => value.push('\t'),
                'u' => {
                    let rest = &s[chars.next()?.0 + 1..];
                    let end = rest.find('}')?;
                    value.push(char::from_u32(u32::from_str_radix(&rest[..end], 16).ok()?)?);
                    for _ in 0..=end {
                        chars.next();
                    }
                }
                c => value.push(c),
            },
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×1 PNG (red, blue).
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7b, 0x40, 0xe8, 0xdd, 0x00, 0x00, 0x00,
        0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0x00, 0x04, 0xff, 0x01, 0x07, 0x00, 0x01, 0xff,
        0xe2, 0x23, 0x9e, 0x59, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    const SVG: &[u8] =
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"red\"/></svg>";

    fn files(files: &[(&str, &[u8])]) -> Arc<[Asset]> {
        files.iter().map(|(rel, bytes)| Asset { rel: rel.to_string(), bytes: bytes.to_vec() }).collect()
    }

    fn images() -> Images {
        let big = vec![0u8; MAX_BYTES + 1];
        let static_files = files(&[("img/logo.svg", SVG)]);
        let content = files(&[
            ("01-a/pic.png", PNG),
            // A later file of the same path (content/ after static/) loses.
            ("img/logo.svg", b"<svg/>"),
            ("01-a/broken.png", b"\x89PNG\r\n\x1a\nnot really"),
            ("01-a/notes.txt", b"text"),
            ("01-a/big.png", &big),
        ]);
        Images::new(&[&static_files, &content])
    }

    fn doc(source: &str) -> Document {
        Document { source: source.into(), files: Vec::new(), ident: "t".into() }
    }

    #[test]
    fn images_of_the_site_become_pictures_with_their_files() {
        let d = embed(
            doc(
                "a #lotse-image(\"/01-a/pic.png\", [A], alt: \"A\") b #lotse-image(\"/img/logo.svg\", [L], alt: \"L\") #lotse-image(\"/01-a/pic.png\", [B], alt: \"B\")",
            ),
            &images(),
        );
        assert_eq!(
            d.source,
            "a #lotse-picture(\"/site/01-a/pic.png\", [A], alt: \"A\") b #lotse-picture(\"/site/img/logo.svg\", [L], alt: \"L\") #lotse-picture(\"/site/01-a/pic.png\", [B], alt: \"B\")"
        );
        let paths: Vec<&str> = d.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["/site/01-a/pic.png", "/site/img/logo.svg"]);
        assert_eq!(d.files[1].1.as_slice(), SVG, "static/ wins over content/");
    }

    #[test]
    fn images_shared_with_the_output_show_the_same() {
        let images = images();
        let outputs = vec![
            OutputFile::bytes("01-a/pic.png", PNG.to_vec()),
            OutputFile::bytes("img/logo.svg", b"<svg/>".to_vec()),
        ];
        let shared = images.sharing(&outputs);
        let source = "#lotse-image(\"/01-a/pic.png\", [A], alt: \"A\") #lotse-image(\"/img/logo.svg\", [L], alt: \"L\") #lotse-image(\"/01-a/broken.png\", [B], alt: \"B\")";
        let (a, b) = (embed(doc(source), &images), embed(doc(source), &shared));
        assert_eq!(a.source, b.source);
        assert_eq!(a.files, b.files);
        assert!(Arc::ptr_eq(&b.files[0].1, &outputs[0].bytes), "the output's bytes are shared");
        assert!(!Arc::ptr_eq(&b.files[1].1, &outputs[1].bytes), "another file of the same path is not taken");
    }

    #[test]
    fn other_images_stay_frames() {
        for src in [
            "https://e.org/x.png",
            "",
            "/01-a/broken.png",
            "/01-a/notes.txt",
            "/01-a/big.png",
            "/01-a/missing.png",
            "/01-a/pic.png/",
            "/../01-a/pic.png",
        ] {
            let source = format!("#lotse-image({}, [x], alt: \"x\")", string(src));
            let d = embed(doc(&source), &images());
            assert_eq!(d.source, source, "{src}");
            assert!(d.files.is_empty(), "{src}");
        }
    }

    #[test]
    fn string_literals_are_read_as_written() {
        for s in ["plain", "a\"b\\c", "line\nbreak\ttab", "\u{1}x\u{7f}", "ünï €"] {
            let lit = string(s);
            assert_eq!(string_value(&format!("{lit}, rest")), Some((s.to_string(), lit.len())), "{lit}");
        }
        assert_eq!(string_value("\"open"), None);
        assert_eq!(string_value("x\"\""), None);
    }

    #[test]
    fn a_document_with_pictures_typesets_and_has_a_fallback() {
        let setup = super::super::template::Setup {
            title: "T",
            lang: "de",
            paper: "a4",
            margin: "18mm",
            accent: "#0b6e6e",
            header: "H",
            page_word: "Seite",
            running_stage: false,
            justify: false,
        };
        let source = format!(
            "{}\nText #lotse-image(\"/01-a/pic.png\", [Bild], alt: \"Bild\")\n\n#lotse-image(\"/img/logo.svg\", [Logo], alt: \"Logo\")",
            super::super::template::preamble(&setup)
        );
        let d = embed(doc(&source), &images());
        let pdf = super::super::compile(&d).unwrap();
        assert!(String::from_utf8_lossy(&pdf).contains("/Subtype/Image"), "the PNG is in the PDF");
        let plain = without_pictures(&d).unwrap();
        assert!(plain.files.is_empty() && !plain.source.contains(PICTURE));
        assert!(super::super::compile(&plain).is_ok());
        assert!(without_pictures(&plain).is_none());
    }
}
