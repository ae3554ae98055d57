//! `lotse check --external` against a local HTTP server (never the
//! network): a broken link and a timeout are found at their lines, skip
//! patterns are honoured, and a second run within the cache's age asks the
//! server nothing.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::Site;

/// Serves `/ok` (200), `/gone` (404) and `/slow` (answers after 3 s) on
/// 127.0.0.1; returns the port and the number of requests so far.
fn server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 2048];
                let n = stream.read(&mut buf).unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                seen.fetch_add(1, Ordering::SeqCst);
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let status = match path {
                    "/ok" => "200 OK",
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        "200 OK"
                    }
                    _ => "404 Not Found",
                };
                let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            });
        }
    });
    (port, count)
}

fn site(port: u16) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: T\ndefault_language: en\nexternal:\n  timeout: 1\n  retries: 0\n  skip: [\"http://127.0.0.1:*/skipped*\"]\n",
    );
    site.write("content/_index.md", "---\ntitle: Home\n---\nHi.\n");
    site.write(
        "content/links.md",
        format!(
            "---\ntitle: Links\n---\n\nFine: [ok](http://127.0.0.1:{port}/ok).\n\nBroken: [gone](http://127.0.0.1:{port}/gone)\n\n<a href=\"http://127.0.0.1:{port}/slow\">slow</a>\n\nNot checked: [s](http://127.0.0.1:{port}/skipped/x)\n"
        ),
    );
    site
}

#[test]
fn finds_the_404_and_the_timeout_and_then_answers_from_the_cache() {
    let (port, requests) = server();
    let site = site(port);
    let run = site.check(&["--external"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "content/links.md:7:9: error: external link `http://127.0.0.1:{port}/gone` answers 404"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("content/links.md:9:10: error: external link `http://127.0.0.1:{port}/slow` timed out")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("/ok`"), "{}", run.stderr);
    assert!(!run.stderr.contains("/skipped/x`"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "2 external links are broken; 3 URLs requested, 0 from the cache (younger than `external.cache`), 1 skipped"
        ),
        "{}",
        run.stderr
    );
    let first = requests.load(Ordering::SeqCst);
    assert!(first >= 3, "{first} requests");
    assert!(site.path(".lotse-links.json").exists());

    let again = site.check(&["--external"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("0 URLs requested, 3 from the cache"), "{}", again.stderr);
    assert!(again.stderr.contains("answers 404"));
    // The slow handler may still be counting its first request.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(requests.load(Ordering::SeqCst), first, "the second run asked the server");
}

#[test]
fn all_fine_exits_zero_and_a_bad_cache_age_is_a_located_error() {
    let (port, _) = server();
    let site = site(port);
    let text = site.read("content/links.md");
    let ok_only = text.lines().filter(|l| !l.contains("gone") && !l.contains("slow")).collect::<Vec<_>>().join("\n");
    site.write("content/links.md", ok_only);
    let run = site.check(&["--external"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("external links: all fine; 1 URL requested"), "{}", run.stdout);

    let yaml = site.read("site.yaml").replace("  retries: 0\n", "  retries: 0\n  cache: \"a while\"\n");
    site.write("site.yaml", yaml);
    let run = site.check(&["--external"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("site.yaml:6:10: error: invalid period `a while` in `external.cache`"),
        "{}",
        run.stderr
    );
}
