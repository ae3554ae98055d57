//! `lotse serve`: a server on an ephemeral port, real file edits, live
//! reload events, the error overlay and refused traversal.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use lotse::serve::{ServeOptions, start};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", "title: Serve test\ndefault_language: en\n");
    write(root, "content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    write(root, "content/01-a/_index.md", "---\ntitle: Stage A\n---\nIntro.\n");
    write(root, "content/01-a/page.md", "---\ntitle: First title\n---\n## Part\n\n- [ ] Tick me\n");
    dir
}

fn log(_: &str) {}

/// A raw HTTP/1.1 GET, so paths reach the server exactly as written.
fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

fn serve(root: &Path) -> lotse::serve::Handle {
    let opts =
        ServeOptions { root: root.to_path_buf(), addr: "127.0.0.1:0".parse().unwrap(), drafts: false, poll: false };
    start(opts, log).unwrap()
}

#[test]
fn serves_pages_with_live_reload_script_and_content_types() {
    let dir = site();
    let server = serve(dir.path());
    let (status, head, body) = get(server.addr, "/01-a/page/");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("<h1>First title</h1>"));
    assert!(body.contains("/__lotse/live.js"));
    let (status, head, _) = get(server.addr, "/style.css");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: text/css"), "{head}");
    let (status, head, _) = get(server.addr, "/01-a/page");
    assert_eq!(status, 301);
    assert!(head.contains("location: /01-a/page/") || head.contains("Location: /01-a/page/"), "{head}");
    server.stop();
}

#[test]
fn missing_pages_get_the_site_404_page_with_status_404() {
    let dir = site();
    let server = serve(dir.path());
    let (status, _, body) = get(server.addr, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
    server.stop();
}

#[test]
fn missing_pages_under_a_language_get_that_languages_404_page() {
    let dir = site();
    write(dir.path(), "site.yaml", "title: Serve test\ndefault_language: de\nlanguages: [de, en]\n");
    write(dir.path(), "content/_index.en.md", "---\ntitle: Home\n---\nWelcome.\n");
    let server = serve(dir.path());
    let (status, _, body) = get(server.addr, "/en/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html lang=\"en\"") && body.contains("Page not found"), "{body}");
    let (status, _, body) = get(server.addr, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Seite nicht gefunden"), "{body}");
    server.stop();
}

#[test]
fn refuses_traversal_and_never_returns_files_outside_the_site() {
    let dir = site();
    fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = serve(dir.path());
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/01-a/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
    ] {
        let (status, _, body) = get(server.addr, path);
        assert!((400..500).contains(&status), "{path}: {status}");
        assert!(!body.contains("TOP SECRET") && !body.contains("root:"), "{path}");
    }
    server.stop();
}

#[test]
fn an_edit_is_rebuilt_and_announced_as_reload() {
    let dir = site();
    let server = serve(dir.path());
    let mut events = server.shared().subscribe();
    write(dir.path(), "content/01-a/page.md", "---\ntitle: Second title\n---\nChanged.\n");
    wait_for("new content", || get(server.addr, "/01-a/page/").2.contains("<h1>Second title</h1>"));
    wait_for("reload event", || events.try_recv().ok() == Some(lotse::serve::Event::Reload));
    server.stop();
}

#[test]
fn a_broken_edit_shows_errors_and_keeps_serving_the_last_good_page() {
    let dir = site();
    let server = serve(dir.path());
    write(dir.path(), "content/01-a/page.md", "---\ntitel: Oops\n---\n");
    wait_for("error status", || get(server.addr, "/__lotse/status").2.contains("unknown field `titel`"));
    let (_, _, status) = get(server.addr, "/__lotse/status");
    assert!(status.contains("content/01-a/page.md:2:1"), "{status}");
    assert!(get(server.addr, "/01-a/page/").2.contains("<h1>First title</h1>"));
    write(dir.path(), "content/01-a/page.md", "---\ntitle: Fixed\n---\n");
    wait_for("errors cleared", || get(server.addr, "/__lotse/status").2.contains("\"errors\":[]"));
    assert!(get(server.addr, "/01-a/page/").2.contains("<h1>Fixed</h1>"));
    server.stop();
}

#[test]
fn a_burst_of_edits_ends_in_the_final_state() {
    let dir = site();
    let server = serve(dir.path());
    for i in 0..1000 {
        write(dir.path(), "content/01-a/page.md", &format!("---\ntitle: Version {i}\n---\n"));
    }
    wait_for("final version", || get(server.addr, "/01-a/page/").2.contains("<h1>Version 999</h1>"));
    server.stop();
}

#[test]
fn never_writes_public() {
    let dir = site();
    let server = serve(dir.path());
    assert_eq!(get(server.addr, "/").0, 200);
    server.stop();
    assert!(!dir.path().join("public").exists());
}

#[test]
fn rejects_oversized_and_malformed_requests() {
    let dir = site();
    let server = serve(dir.path());
    let long = format!("/{}", "a".repeat(5000));
    assert_eq!(get(server.addr, &long).0, 400);
    // A request line that is not HTTP at all.
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"NONSENSE\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 4"), "{text}");
    // Headers far beyond any browser's.
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let huge = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(1 << 20));
    let _ = s.write_all(huge.as_bytes());
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 4"), "{text}");
    // The server still answers.
    assert_eq!(get(server.addr, "/").0, 200);
    server.stop();
}

/// 10,000 requests from four clients while a file is rewritten over and
/// over: every request gets a complete 200 answer. Bounded in count (10,000)
/// and time (60 s), loopback only.
#[test]
fn ten_thousand_requests_during_edits_all_succeed() {
    let dir = site();
    let server = serve(dir.path());
    let addr = server.addr;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let stop = stop.clone();
        let root = dir.path().to_path_buf();
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 2000 {
                write(&root, "content/01-a/page.md", &format!("---\ntitle: Version {i}\n---\nText {i}.\n"));
                i += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let clients: Vec<_> = (0..4)
        .map(|c| {
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..2500 {
                    if Instant::now() > deadline {
                        failures.push("deadline".to_string());
                        break;
                    }
                    let path = if (i + c) % 2 == 0 { "/01-a/page/" } else { "/style.css" };
                    let (status, _, body) = get(addr, path);
                    if status != 200 || body.is_empty() {
                        failures.push(format!("{path}: {status}"));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    editor.join().unwrap();
    assert!(failures.is_empty(), "{} failed requests, first: {:?}", failures.len(), failures.first());
    server.stop();
}

/// A body edit takes the fast path: the page is served at once, and the
/// search index catches up a moment later (the page's search record and the
/// word's shard hold the new word).
#[test]
fn a_body_edit_updates_the_page_then_the_search_index() {
    let dir = site();
    let server = serve(dir.path());
    let addr = server.addr;
    let word = "Quastenflosser";
    let (_, _, manifest) = get(addr, "/search/en/index.js");
    assert!(manifest.contains("LotseSearch.add"), "{manifest}");
    write(
        dir.path(),
        "content/01-a/page.md",
        &format!("---\ntitle: First title\n---\n## Part\n\n{word} here.\n\n- [ ] Tick me\n"),
    );
    wait_for("the page to show the edit", || get(addr, "/01-a/page/").2.contains(word));
    assert!(server.shared().last_rebuild_was_fast());
    wait_for("the search index to hold the word", || {
        let pages: Vec<String> = (0..4).map(|n| get(addr, &format!("/search/en/d-{n}.js")).2).collect();
        pages.iter().any(|p| p.contains(word)) && get(addr, "/search/en/index.js").2 != manifest
    });
    assert!(!server.shared().search_stale());
}
