//! The script files of the index: `LotseSearch.add("<lang>/<name>", data)`.
//! The manifest hands over plain JSON; every other file hands over its JSON
//! compressed with raw DEFLATE and written as one Base64 string, which
//! search.js unpacks with the browser's `DecompressionStream`. A `<script>`
//! tag works from file:// where fetch does not; the compression makes the
//! page texts (most of the index) about 2.3 times smaller on disk and on
//! the wire, also where a server does not compress.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use serde::Serialize;

use crate::render::OutputFile;

/// DEFLATE level: the fastest. zlib's default (6) makes the index a
/// quarter smaller (10,000 pages: 36 MB instead of 48 MB, both far below a
/// third of the pages) but costs about 0.7 s more CPU time in the search
/// phase (1.9 s instead of 1.2 s; BENCHMARKS.md).
const LEVEL: u32 = 1;

/// A script that hands `data` as plain JSON to search.js.
pub fn plain(dir: &str, lang: &str, stem: &str, data: &impl Serialize) -> OutputFile {
    let json = serde_json::to_vec(data).unwrap_or_default();
    OutputFile::bytes(format!("{dir}{stem}.js"), wrap(lang, stem, &json))
}

/// A script that hands `data` to search.js as compressed JSON.
pub fn packed(dir: &str, lang: &str, stem: &str, data: &impl Serialize) -> OutputFile {
    let json = serde_json::to_vec(data).unwrap_or_default();
    let mut z = DeflateEncoder::new(Vec::with_capacity(json.len() / 3 + 64), Compression::new(LEVEL));
    // Writing to a Vec cannot fail.
    let deflated = z.write_all(&json).and_then(|()| z.finish()).unwrap_or_default();
    let mut quoted = Vec::with_capacity(deflated.len() * 4 / 3 + 8);
    quoted.push(b'"');
    quoted.extend_from_slice(BASE64.encode(&deflated).as_bytes());
    quoted.push(b'"');
    OutputFile::bytes(format!("{dir}{stem}.js"), wrap(lang, stem, &quoted))
}

fn wrap(lang: &str, stem: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 64);
    out.extend_from_slice(b"LotseSearch.add(\"");
    out.extend_from_slice(lang.as_bytes());
    out.push(b'/');
    out.extend_from_slice(stem.as_bytes());
    out.extend_from_slice(b"\",");
    out.extend_from_slice(data);
    out.extend_from_slice(b");\n");
    out
}

/// The id and data of a search script, as search.js receives them
/// (unpacked); `None` if `bytes` is not one. For tests and tools.
pub fn read(bytes: &[u8]) -> Option<(String, serde_json::Value)> {
    let s = std::str::from_utf8(bytes).ok()?;
    let body = s.strip_prefix("LotseSearch.add(\"")?.strip_suffix(");\n")?;
    let (id, data) = body.split_once("\",")?;
    let value: serde_json::Value = serde_json::from_str(data).ok()?;
    let value = match value {
        serde_json::Value::String(b64) => {
            let deflated = BASE64.decode(b64).ok()?;
            let mut json = Vec::new();
            let mut z = flate2::write::DeflateDecoder::new(&mut json);
            z.write_all(&deflated).ok()?;
            z.finish().ok()?;
            serde_json::from_slice(&json).ok()?
        }
        other => other,
    };
    Some((id.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn packed_scripts_read_back_as_the_same_data() {
        let data = json!({"x": "Größe ".repeat(200), "n": [1, 2, 3]});
        let f = packed("search/de/", "de", "d-7", &data);
        assert_eq!(f.path, "search/de/d-7.js");
        assert!(f.bytes.starts_with(b"LotseSearch.add(\"de/d-7\",\""), "{:?}", String::from_utf8_lossy(&f.bytes));
        assert!(f.bytes.len() < 400, "repetitive text compresses: {} bytes", f.bytes.len());
        assert_eq!(read(&f.bytes), Some(("de/d-7".to_string(), data)));
    }

    #[test]
    fn plain_scripts_read_back_and_other_files_do_not() {
        let f = plain("search/en/", "en", "index", &json!({"docs": 3}));
        assert_eq!(String::from_utf8_lossy(&f.bytes), "LotseSearch.add(\"en/index\",{\"docs\":3});\n");
        assert_eq!(read(&f.bytes), Some(("en/index".to_string(), json!({"docs": 3}))));
        assert_eq!(read(b"alert(1);\n"), None);
        assert_eq!(read(b"LotseSearch.add(\"de/t-1\",\"not base64!\");\n"), None);
    }
}
