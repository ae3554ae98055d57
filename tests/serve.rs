//! `lotse serve`: a server on an ephemeral port, real file edits, live
//! reload events, the error overlay and refused traversal.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use lotse::serve::{ServeOptions, start};

mod common;

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
    request(addr, &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
}

/// Sends `head` as is and reads the whole answer: status, head, body.
fn request(addr: SocketAddr, head: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
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
    serve_watching(root, false)
}

/// Serves `root`, watching by file-system events or (`poll`) by polling.
fn serve_watching(root: &Path, poll: bool) -> lotse::serve::Handle {
    let addr = "127.0.0.1:0".parse().unwrap();
    let opts = ServeOptions { root: root.to_path_buf(), addr, drafts: false, poll, allow_hosts: Vec::new() };
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
        // Page files hand over compressed JSON: read them as search.js does.
        let pages: Vec<String> = (0..4)
            .filter_map(|n| lotse::search::pack::read(get(addr, &format!("/search/en/d-{n}.js")).2.as_bytes()))
            .map(|(_, data)| data.to_string())
            .collect();
        pages.iter().any(|p| p.contains(word)) && get(addr, "/search/en/index.js").2 != manifest
    });
    assert!(!server.shared().search_stale());
}

// `lotse serve` as a process: Ctrl+C.

/// A `lotse serve --port 0` process on a copy of a fixture site, with its
/// address read from the `serving http://…/` line.
struct Process {
    child: std::process::Child,
    addr: SocketAddr,
    stderr: std::sync::mpsc::Receiver<String>,
    stderr_seen: String,
    _site: common::Site,
}

impl Process {
    fn start(fixture: &str, extra: &[&str]) -> Process {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let site = common::Site::from_fixture(fixture);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lotse"));
        cmd.args(["serve", "--root", common::SITE, "--port", "0"]).args(extra);
        cmd.current_dir(site.tmp.path()).env_clear().stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start lotse serve");
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let (line_tx, line_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                let _ = line_tx.send(line);
            }
        });
        let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let (err_tx, err_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = err_tx.send(line);
            }
        });
        let line = match line_rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "lotse serve did not say where it serves; stderr:\n{}",
                    err_rx.try_iter().collect::<Vec<_>>().join("\n")
                );
            }
        };
        let addr = line
            .strip_prefix("serving http://")
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Process { child, addr, stderr: err_rx, stderr_seen: String::new(), _site: site }
    }

    /// Stderr so far (waits up to `wait` for more).
    fn stderr(&mut self, wait: Duration) -> &str {
        while let Ok(line) = self.stderr.recv_timeout(wait) {
            self.stderr_seen.push_str(&line);
            self.stderr_seen.push('\n');
        }
        &self.stderr_seen
    }

    /// Waits up to 5 s for a stderr line containing `text`.
    fn wait_for_stderr(&mut self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(50)) {
                self.stderr_seen.push_str(&line);
                self.stderr_seen.push('\n');
            }
            if self.stderr_seen.contains(text) {
                return;
            }
        }
        panic!("no {text:?} on stderr; stderr:\n{}", self.stderr_seen);
    }

    fn interrupt(&self) {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: sends SIGINT to the child this test started.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    }

    /// Waits up to `limit` for the process to exit; kills it and panics
    /// (with its stderr) if it does not.
    fn wait_exit(mut self, limit: Duration) -> (std::process::ExitStatus, String) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, self.stderr(Duration::from_millis(500)).to_string());
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("lotse serve still running {limit:?} after Ctrl+C; stderr:\n{}", self.stderr(Duration::ZERO));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens the live-reload stream the way a browser tab does and reads its
/// response head; the connection stays open while the stream is returned.
fn open_event_stream(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET /__lotse/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(s.read(&mut byte).unwrap(), 1, "the event stream closed early");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_lowercase();
    assert!(head.starts_with("http/1.1 200") && head.contains("text/event-stream"), "{head}");
    s
}

#[test]
fn ctrl_c_stops_serve_while_a_browser_tab_listens_for_reloads() {
    let process = Process::start("atomic", &[]);
    let _tab = open_event_stream(process.addr);
    process.interrupt();
    let (status, stderr) = process.wait_exit(Duration::from_secs(5));
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("stopping"), "{stderr}");
}

/// A client that sent half a request holds a stopping server for up to
/// `GRACE`; a second Ctrl+C does not wait for it and exits with 130 (a
/// server that ignored it would exit with 0 once `GRACE` is over).
#[test]
fn a_second_ctrl_c_exits_at_once() {
    let mut process = Process::start("atomic", &[]);
    let mut stalled = TcpStream::connect(process.addr).unwrap();
    stalled.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    process.interrupt();
    process.wait_for_stderr("stopping");
    process.interrupt();
    let (status, stderr) = process.wait_exit(Duration::from_secs(5));
    assert_eq!(status.code(), Some(130), "{stderr}");
}

// The watcher: folders that disappear, come back or appear while serving.

/// Builds a folder beside the site, then renames it to `rel`: the folder
/// appears at once, complete (as a checkout that replaces it would leave it).
fn put_folder(root: &Path, rel: &str, files: &[(&str, &str)]) {
    let staging = root.join(format!("{rel}.new"));
    for (name, text) in files {
        write(&staging, name, text);
    }
    fs::rename(&staging, root.join(rel)).unwrap();
}

/// With polling, waits until the next write lands in a new second: notify
/// 8.2's poll watcher compares write times in whole seconds, so a second
/// write within the same second goes unseen (notify-rs/notify#981, merged
/// after 8.2.1). File events need no wait.
fn next_second_if_polling(poll: bool) {
    if poll {
        std::thread::sleep(Duration::from_millis(1100));
    }
}

fn page_title(addr: SocketAddr) -> String {
    let (_, _, body) = get(addr, "/01-a/page/");
    body.split_once("<h1>")
        .and_then(|(_, rest)| rest.split_once("</h1>"))
        .map(|(t, _)| t.to_string())
        .unwrap_or_default()
}

fn content_files(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_index.md", "---\ntitle: Home\n---\nWelcome.\n".to_string()),
        ("01-a/_index.md", "---\ntitle: Stage A\n---\nIntro.\n".to_string()),
        ("01-a/page.md", format!("---\ntitle: {title}\n---\n## Part\n\n- [ ] Tick me\n")),
    ]
}

/// `git checkout` or a branch switch removes `content/` and writes it again:
/// edits after that are still seen, whether the folder was renamed away or
/// deleted, and whether it came back at once or file by file; with file
/// events and with polling.
#[test]
fn edits_are_seen_after_content_is_removed_and_restored() {
    for poll in [false, true] {
        let dir = site();
        let root = dir.path();
        let server = serve_watching(root, poll);
        for (round, how) in ["renamed away", "deleted", "deleted and written file by file"].into_iter().enumerate() {
            let how = format!("{how}{}", if poll { " (polling)" } else { "" });
            let restored = format!("Restored {round}");
            let files = content_files(&restored);
            let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
            next_second_if_polling(poll);
            match round {
                0 => fs::rename(root.join("content"), root.join("content.old")).unwrap(),
                _ => fs::remove_dir_all(root.join("content")).unwrap(),
            }
            if round == 2 {
                for (name, text) in &files {
                    write(root, &format!("content/{name}"), text);
                }
            } else {
                put_folder(root, "content", &files);
            }
            let _ = fs::remove_dir_all(root.join("content.old"));
            wait_for(&format!("the restored content ({how})"), || page_title(server.addr) == restored);
            next_second_if_polling(poll);
            let edited = format!("Edited {round}");
            write(root, "content/01-a/page.md", &format!("---\ntitle: {edited}\n---\nText.\n"));
            wait_for(&format!("the edit after content/ was {how}"), || page_title(server.addr) == edited);
        }
        server.stop();
    }
}

/// After `lotse init` a site may get `templates/` while the preview runs:
/// the new folder is used, and so is every later edit in it; with file
/// events and with polling.
#[test]
fn a_templates_folder_created_while_serving_is_watched() {
    let article = |marker: &str| {
        format!(
            "{{% extends \"base.html\" %}}\n{{% block main %}}<article><h1>{{{{ page.title }}}}</h1><p class=\"marker\">{marker}</p>{{{{ page.content | safe }}}}</article>{{% endblock main %}}\n"
        )
    };
    for poll in [false, true] {
        let dir = site();
        let root = dir.path();
        assert!(!root.join("templates").exists());
        let server = serve_watching(root, poll);
        put_folder(root, "templates", &[("article.html", &article("first override"))]);
        wait_for("the new templates/ to be used", || get(server.addr, "/01-a/page/").2.contains("first override"));
        next_second_if_polling(poll);
        write(root, "templates/article.html", &article("second override"));
        let what = format!("the edit in templates/ to be used (polling: {poll})");
        wait_for(&what, || get(server.addr, "/01-a/page/").2.contains("second override"));
        server.stop();
    }
}

// DNS rebinding: the preview answers only to names that mean this machine.

fn get_as(addr: SocketAddr, host: &str, path: &str) -> (u16, String) {
    let (status, _, body) = request(addr, &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
    (status, body)
}

/// A page on attacker.example whose name was made to resolve to 127.0.0.1
/// must not read the preview: any other name gets 403 with the way out.
#[test]
fn refuses_requests_for_other_host_names() {
    let dir = site();
    let server = serve(dir.path());
    let addr = server.addr;
    let port = addr.port();
    for host in
        ["attacker.example".to_string(), format!("attacker.example:{port}"), "localhost.attacker.example".into()]
    {
        for path in ["/", "/01-a/page/", "/__lotse/status", "/__lotse/events", "/__lotse/live.js", "/no/such/"] {
            let (status, body) = get_as(addr, &host, path);
            assert_eq!(status, 403, "{host} {path}: {body}");
            let name = host.split(':').next().unwrap();
            assert!(body.contains(&format!("lotse serve --allow-host {name}")), "{body}");
            assert!(!body.contains("Stage A") && !body.contains("errors"), "{body}");
        }
    }
    // The name in an absolute request target counts too.
    let (status, _, _) =
        request(addr, "GET http://attacker.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 403);
    // HTTP/1.1 without Host is malformed; HTTP/1.0 had no Host (no browser sends it).
    assert_eq!(request(addr, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").0, 400);
    assert_eq!(request(addr, "GET / HTTP/1.0\r\n\r\n").0, 200);
    server.stop();
}

/// Loopback names and IP addresses (a rebinding page cannot have an IP
/// address as its name), with or without the port, in any case.
#[test]
fn answers_to_loopback_names_and_ip_addresses() {
    let dir = site();
    let server = serve(dir.path());
    let addr = server.addr;
    let port = addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".into(),
        format!("localhost:{port}"),
        "LocalHost".into(),
        "localhost.".into(),
        format!("[::1]:{port}"),
        format!("docs.localhost:{port}"),
        format!("192.168.1.20:{port}"),
    ] {
        let (status, body) = get_as(addr, &host, "/01-a/page/");
        assert_eq!(status, 200, "{host}: {body}");
        assert!(body.contains("<h1>First title</h1>"), "{host}");
    }
    assert_eq!(get_as(addr, &format!("127.0.0.1:{port}"), "/__lotse/status").0, 200);
    server.stop();
}

/// `--allow-host NAME` (repeatable) lets a name in, e.g. the machine's name
/// on the LAN with `--bind 0.0.0.0`; other names stay out.
#[test]
fn allow_host_lets_a_named_host_in() {
    let process = Process::start("atomic", &["--allow-host", "preview.lan", "--allow-host", "Docs.Example."]);
    let addr = process.addr;
    for host in ["preview.lan".to_string(), format!("preview.lan:{}", addr.port()), "docs.example".into()] {
        assert_eq!(get_as(addr, &host, "/").0, 200, "{host}");
    }
    assert_eq!(get_as(addr, "attacker.example", "/").0, 403);
}

#[test]
fn allow_host_rejects_what_is_not_a_host_name() {
    let site = common::Site::from_fixture("atomic");
    for (value, says) in [
        ("http://preview.lan", "without `http://`"),
        ("preview.lan:8080", "without a port"),
        ("preview lan", "not a host name"),
        ("", "not a host name"),
    ] {
        let run = site.run(&["serve", "--root", common::SITE, "--port", "0", "--allow-host", value]);
        run.expect_code(2);
        assert!(run.stderr.contains(says), "{value:?}: {}", run.stderr);
    }
}
