//! The external `http(s)` links of every page, with their positions: the
//! Markdown rendered again with a callback that only looks (links in raw
//! HTML and wikilinks included, embeds left out).

use rayon::prelude::*;
use serde::Serialize;

use crate::error::line_col;
use crate::markdown::{self, LinkKind, MdOptions};
use crate::model::Site;

/// An external link and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalLink {
    /// Path from the site root.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// The URL as written.
    pub url: String,
    /// Its host, lowercase.
    pub host: String,
    /// The line it is on (for diagnostics).
    #[serde(skip)]
    pub source_line: String,
}

/// The host of an `http(s)://` URL, lowercase; `None` for other links.
pub fn host(url: &str) -> Option<String> {
    let lower = url.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("").split(':').next().unwrap_or("");
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Every external link of every page, by page order and position.
pub fn external_links(site: &Site) -> Vec<ExternalLink> {
    let opts = MdOptions {
        callout_titles: [""; 5],
        id_seed: "",
        id_prefix: "",
        safe: false,
        // Facilitator text is content too: its links are listed.
        facilitator: Some(""),
        worksheet_label: "",
        worksheet_print: "",
        worksheet_url: None,
        typst: crate::markdown::TypstMode::Off,
        permalink: None,
        // Only the links are wanted.
        html: false,
        problems: false,
    };
    site.pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut found = Vec::new();
            markdown::render(page.body(), &opts, &mut |link| {
                if link.kind != LinkKind::Embed
                    && let Some(host) = host(link.dest.trim())
                {
                    let (line, col) = line_col(&page.text, page.body_offset + link.offset);
                    found.push(ExternalLink {
                        path: page.source.clone(),
                        line,
                        col,
                        url: link.dest.trim().into(),
                        host,
                        source_line: crate::error::line_text(&page.text, line).to_string(),
                    });
                }
                None
            });
            found
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_web_links_only() {
        assert_eq!(host("https://User@Example.ORG:8443/a?b").as_deref(), Some("example.org"));
        assert_eq!(host("HTTP://x.de").as_deref(), Some("x.de"));
        assert_eq!(host("mailto:a@b.c"), None);
        assert_eq!(host("../a.md"), None);
        assert_eq!(host("https://"), None);
    }
}
