//! `checklist-items.js`: every checklist item id of the guide (all
//! languages) with its pair key, as a plain script, so a handout can tell
//! an item removed from the guide from one of another stage when it merges
//! a progress file, also from `file://`.

use std::collections::BTreeMap;

use super::RenderInput;
use super::frame::Out;
use crate::checklist;
use crate::error::Diagnostic;

/// The file's path at the site root.
pub(crate) const PATH: &str = "checklist-items.js";

/// Writes `checklist-items.js` when the guide has checklist items.
pub(crate) fn render_item_index(input: &RenderInput, out: &mut Out) -> Result<(), Vec<Diagnostic>> {
    let site = input.site;
    let mut items: BTreeMap<&str, String> = BTreeMap::new();
    for book in &site.books {
        for list in checklist::stage_lists(site, input.pages, &book.lang) {
            for item in list.articles.iter().flat_map(|a| &a.sections).flat_map(|s| &s.items) {
                items.insert(item.id, item.pair.clone());
            }
        }
    }
    if items.is_empty() {
        return Ok(());
    }
    // Written as it is serialised: at 100,000 pages the file is 30 MB.
    out.written(PATH.to_string(), &|w| {
        w.write_all(b"window.LotseChecklistItems = ")?;
        serde_json::to_writer(&mut *w, &items).map_err(std::io::Error::other)?;
        w.write_all(b";\n")
    });
    Ok(())
}
