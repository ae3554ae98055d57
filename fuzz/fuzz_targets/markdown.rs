//! Fuzzes Markdown rendering with link and checklist extraction: every link
//! is offered to the rewrite closure with an offset inside the body, heading
//! ids and checklist ids are unique, and safe mode leaves no `<script`.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use lotse::markdown::{LinkRef, MdOptions, render};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let body = String::from_utf8_lossy(rest);
    let opts = MdOptions {
        callout_titles: ["Note", "Tip", "Important", "Warning", "<b>Caution</b>"],
        id_seed: "01-a/x.md",
        id_prefix: if flags & 1 == 1 { "x--" } else { "" },
        safe: flags & 2 == 2,
        facilitator: (flags & 4 == 0).then_some("<i>Facilitators</i>"),
        worksheet_label: "Worksheet",
        worksheet_print: "Print",
        worksheet_url: (flags & 8 == 8).then_some(("../worksheets/", "")),
    };
    let mut links: Vec<LinkRef> = Vec::new();
    let r = render(&body, &opts, &mut |l| {
        links.push(l.clone());
        // Rewrite some links, keep others, as the resolver does.
        (l.dest.len() % 2 == 0).then(|| format!("../{}/#x", l.dest.len()))
    });
    for l in &links {
        assert!(l.offset < body.len() && body.is_char_boundary(l.offset), "link offset {}", l.offset);
    }
    let mut ids = HashSet::new();
    for h in &r.headings {
        assert!(h.id.starts_with(opts.id_prefix));
        assert!(h.offset < body.len(), "heading offset {}", h.offset);
        assert!(ids.insert(h.id.as_str()), "duplicate heading id `{}`", h.id);
        assert!((1..=6).contains(&h.level));
    }
    let mut task_ids = HashSet::new();
    for t in &r.tasks {
        assert!(t.offset < body.len(), "task offset {}", t.offset);
        assert!(!t.text.is_empty());
        assert!(task_ids.insert(t.id.as_str()), "duplicate checklist id `{}`", t.id);
    }
    for w in &r.warnings {
        assert!(w.offset <= body.len(), "warning offset {}", w.offset);
    }
    if opts.safe {
        let html = r.html.to_ascii_lowercase();
        assert!(!html.contains("<script"), "script survived safe mode");
    }
});
