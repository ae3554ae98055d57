//! What the knowledge-base features show on a page: owner and review
//! state, the review notice, the edit link and the facts box.

use std::collections::BTreeMap;

use super::local_date;
use super::views::ReviewView;
use crate::facts::{self, FactView};
use crate::model::{PageId, Site};
use crate::review;

/// Owner, last review and, when the page has a due date, the notice shown
/// once it has passed: rendered visible if it has passed on the build's
/// date, else hidden for the theme's script to reveal when it passes.
pub(crate) fn review_view<'a>(site: &'a Site, strings: &BTreeMap<String, String>, id: PageId) -> ReviewView<'a> {
    let r = review::review(site, id);
    let today = review::today(site);
    let due = r.due.map(|d| d.to_string());
    let notice = due.as_deref().map(|d| {
        let text = strings.get("review_overdue").map_or("Due for review since {date}.", String::as_str);
        text.replace("{date}", &local_date(strings, d))
    });
    ReviewView {
        owner: r.owner,
        reviewed: r.reviewed.map(|d| d.to_string()),
        reviewed_text: r.reviewed.map(|d| local_date(strings, &d.to_string())),
        overdue: r.overdue(today),
        due,
        notice,
    }
}

/// The page's facts in the language of `strings`.
pub(crate) fn facts_view(site: &Site, strings: &BTreeMap<String, String>, id: PageId) -> Vec<FactView> {
    facts::view(site.pages[id].meta.facts(), strings)
}

/// The edit link of a page read from a file (none for a generated home
/// page, which has no front-matter; the text itself may be freed by now).
pub(crate) fn edit_url(site: &Site, id: PageId) -> Option<String> {
    let page = &site.pages[id];
    if page.body_offset == 0 { None } else { site.config.edit_link(&page.source) }
}
