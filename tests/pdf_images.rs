//! Images of the site in the PDFs (fixture `pdf-images`): a PNG beside the
//! page, an SVG of `static/` and a GIF appear as pictures in the whole
//! guide and the handout; a corrupt PNG and a remote image keep their
//! framed alternative text, and neither fails the build. Checked with
//! poppler's `pdfimages` and `pdftotext`; skipped (with a message) where
//! they are missing, unless `LOTSE_REQUIRE_BROWSER` is set.

mod common;

use std::path::Path;

use common::{Site, compact, run_tool};

fn tools(test: &str) -> bool {
    common::have_browser_tools(test, &["pdfimages", "pdftotext"])
}

/// The raster images of `pdf` as (width, height), from `pdfimages -list`.
fn images(pdf: &Path) -> Vec<(u32, u32)> {
    let list = run_tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    list.lines()
        .skip(2)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            Some((cols.get(3)?.parse().ok()?, cols.get(4)?.parse().ok()?))
        })
        .collect()
}

#[test]
fn images_of_the_site_are_pictures_in_the_pdfs_and_bad_ones_stay_text() {
    let site = Site::from_fixture("pdf-images");
    site.build(&[]).expect_clean_success();
    let out = site.public();
    if !tools("images_of_the_site_are_pictures_in_the_pdfs_and_bad_ones_stay_text") {
        return;
    }
    let guide = out.join("print/guide.pdf");
    let found = images(&guide);
    assert!(found.contains(&(40, 20)), "the PNG is in the guide: {found:?}");
    assert!(found.contains(&(1, 1)), "the GIF is in the guide: {found:?}");
    let text = compact(&run_tool("pdftotext", &[guide.to_str().unwrap(), "-"]));
    // Pictures carry their alternative text as such, not as visible text.
    for shown in ["A red and blue chart", "Logo of the guide", "A red dot"] {
        assert!(!text.contains(&compact(shown)), "`{shown}` shows as text: the image is missing");
    }
    for framed in ["A broken picture", "A remote picture"] {
        assert!(text.contains(&compact(framed)), "`{framed}` is not in the guide");
    }
    let raw = String::from_utf8_lossy(&std::fs::read(&guide).unwrap()).into_owned();
    assert!(raw.contains("/Alt"), "pictures have alternative text for screen readers");
    let handout = out.join("01-pictures/checklist/checklist.pdf");
    assert!(images(&handout).contains(&(40, 20)), "the image of a checklist item is in the handout");
}

/// The PDFs of `report`, by path.
fn pdfs(report: &lotse::Report) -> std::collections::BTreeMap<String, Vec<u8>> {
    assert_eq!(report.error_count(), 0, "{:?}", report.diagnostics);
    report.files.iter().filter(|f| f.path.ends_with(".pdf")).map(|f| (f.path.clone(), f.bytes.to_vec())).collect()
}

#[test]
fn the_preview_typesets_the_same_pictures_as_a_build_after_an_edit() {
    use lotse::serve::{Cache, build_cached, build_changed};
    let site = Site::from_fixture("pdf-images");
    let options = lotse::Options { root: site.root(), ..lotse::Options::default() };
    let mut cache = Cache::default();
    let first = pdfs(&build_cached(&options, &mut cache, false).unwrap());
    assert_eq!(first, pdfs(&lotse::build(&options).unwrap()));
    // An edit the preview renders from what it kept (its images shared
    // with the copied files): the guide and the handout are typeset again.
    let page = "content/01-pictures/photos.md";
    site.write(page, site.read(page).replace("- [ ] Check the chart", "- [ ] Check the new chart"));
    let again = pdfs(&build_changed(&options, &mut cache, &[site.path(page)], false).unwrap());
    assert!(cache.fast_path, "the edit takes the preview's fast path");
    let full = pdfs(&lotse::build(&options).unwrap());
    assert_eq!(again.keys().collect::<Vec<_>>(), full.keys().collect::<Vec<_>>());
    for (path, bytes) in &full {
        assert!(again[path] == *bytes, "{path} differs between the preview and a build");
    }
    assert_ne!(first["print/guide.pdf"], full["print/guide.pdf"], "the edit changed the guide");
}
