//! `lotse serve`: builds into memory (never into `public/`), serves over
//! HTTP, watches the site's sources, rebuilds on change and tells open
//! browser tabs to reload (server-sent events). A build with errors keeps
//! the last good site online and shows the errors in an overlay.

mod cache;
mod host;
mod http;
mod incremental;
mod watch;

pub use cache::{Cache, build_cached, build_changed, refresh_pdfs, refresh_search, refresh_search_unless};
pub use host::parse_host_name;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::{Diagnostic, Options, Report};

/// What to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// Address to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Include drafts.
    pub drafts: bool,
    /// Use the polling watcher (for network file systems).
    pub poll: bool,
    /// Host names answered to beside `localhost` and IP addresses
    /// (`--allow-host`); requests for any other name get 403.
    pub allow_hosts: Vec<String>,
}

/// The site as currently served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Output files by path (`01-a/index.html`).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Errors of the latest build (the files are from the last good one).
    pub errors: Vec<Diagnostic>,
    /// Incremented on every rebuild.
    pub version: u64,
}

/// What the browser is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The site changed: reload.
    Reload,
    /// The latest build failed: show the overlay.
    Errors,
}

/// State shared by the HTTP handlers and the watcher.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    /// Set when a fast rebuild left the search index behind.
    search_stale: AtomicBool,
    /// Set when a rebuild left PDFs to typeset after the reload.
    pdf_stale: AtomicBool,
    /// File-system events seen so far.
    events_seen: AtomicU64,
    cache: std::sync::Mutex<Cache>,
    events: broadcast::Sender<Event>,
    options: Options,
}

impl Shared {
    fn new(options: Options) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            search_stale: AtomicBool::new(false),
            pdf_stale: AtomicBool::new(false),
            events_seen: AtomicU64::new(0),
            // PDFs are typeset after each reload, not before it.
            cache: std::sync::Mutex::new(Cache { defer_pdf: true, ..Cache::default() }),
            events,
            options,
        })
    }

    /// Events sent to browsers from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Rebuilds everything and publishes the result; returns a one-line summary.
    pub fn rebuild(&self) -> String {
        self.rebuild_changed(None)
    }

    /// Rebuilds after `changed` files were modified (the fast path when
    /// only page bodies changed), publishes the result and then, if the
    /// build deferred it, the updated search index; returns a summary line.
    pub fn rebuild_changed(&self, changed: Option<&[PathBuf]>) -> String {
        let start = Instant::now();
        let mut cache = match self.cache.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        let built = match changed {
            Some(paths) => build_changed(&self.options, &mut cache, paths, true),
            None => build_cached(&self.options, &mut cache, false),
        };
        let search_pending = built.as_ref().is_ok_and(|r| r.search_pending && r.error_count() == 0);
        let report = match built {
            Ok(r) => r,
            Err(e) => Report {
                diagnostics: vec![Diagnostic {
                    severity: crate::Severity::Error,
                    path: self.options.root.display().to_string(),
                    line: 1,
                    col: 1,
                    message: e.to_string(),
                    hint: None,
                    source_line: String::new(),
                    unplaced: None,
                }],
                ..Report::default()
            },
        };
        let errors: Vec<Diagnostic> = report.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        let old = self.snapshot();
        // Phase timings, collected only with LOTSE_TIMINGS set.
        let laps = if report.timings.is_empty() { String::new() } else { format!(" [{}]", report.timings.join("; ")) };
        let (next, event, line) = if errors.is_empty() {
            let files: HashMap<String, Arc<Vec<u8>>> = report.files.into_iter().map(|f| (f.path, f.bytes)).collect();
            let same = |p: &String, b: &Arc<Vec<u8>>| old.files.get(p).is_some_and(|o| Arc::ptr_eq(o, b) || o == b);
            let changed = files.iter().filter(|(p, b)| !same(p, b)).count();
            let line = format!(
                "rebuilt in {} ms: {changed} files changed ({} of {} outputs rendered{}){laps}",
                start.elapsed().as_millis(),
                cache.outputs_rendered,
                cache.outputs_rendered + cache.outputs_reused,
                if cache.fast_path { ", only the edited pages read" } else { "" },
            );
            (Snapshot { files, errors, version: old.version + 1 }, Event::Reload, line)
        } else {
            let line = format!("build failed with {} error(s); still serving the last good build", errors.len());
            (Snapshot { files: old.files.clone(), errors, version: old.version + 1 }, Event::Errors, line)
        };
        // The errors, then the summary: the caller logs both.
        let line = next.errors.iter().map(|d| format!("{d}\n\n")).collect::<String>() + &line;
        if let Ok(mut s) = self.snapshot.write() {
            *s = Arc::new(next);
        }
        let _ = self.events.send(event);
        if search_pending {
            self.search_stale.store(true, Ordering::SeqCst);
        }
        if cache.pdf_pending {
            self.pdf_stale.store(true, Ordering::SeqCst);
        }
        line
    }

    /// Whether PDFs wait to be typeset after the latest (good) build.
    pub(crate) fn pdf_due(&self) -> bool {
        self.pdf_stale.load(Ordering::SeqCst) && self.snapshot().errors.is_empty()
    }

    /// Typesets the PDFs the latest rebuild deferred and publishes them
    /// (no reload: a PDF is fetched when it is opened). Returns a log line.
    pub fn refresh_pdfs(&self) -> Option<String> {
        if !self.pdf_due() {
            return None;
        }
        let start = Instant::now();
        let mut cache = match self.cache.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        self.pdf_stale.store(false, Ordering::SeqCst);
        match refresh_pdfs(&mut cache) {
            Ok(files) => {
                let n = files.len();
                if let Ok(mut s) = self.snapshot.write() {
                    let mut all = s.files.clone();
                    all.extend(files.into_iter().map(|f| (f.path, f.bytes)));
                    *s = Arc::new(Snapshot { files: all, errors: s.errors.clone(), version: s.version });
                }
                Some(format!("{n} PDFs up to date in {} ms", start.elapsed().as_millis()))
            }
            Err(errors) => Some(errors.iter().map(|d| format!("{d}\n")).collect()),
        }
    }

    /// Whether the last rebuild took the fast path for body edits.
    pub fn last_rebuild_was_fast(&self) -> bool {
        self.cache.lock().map(|c| c.fast_path).unwrap_or(false)
    }

    /// Whether the served search index lags behind the pages.
    pub fn search_stale(&self) -> bool {
        self.search_stale.load(Ordering::SeqCst)
    }

    /// Whether the search index should be brought up to date: it lags
    /// behind and the latest build succeeded (after a failed one, the next
    /// edit decides).
    pub(crate) fn search_due(&self) -> bool {
        self.search_stale() && self.snapshot().errors.is_empty()
    }

    /// Counts a file-system event (the search refresh gives way to edits).
    pub(crate) fn note_event(&self) {
        self.events_seen.fetch_add(1, Ordering::SeqCst);
    }

    /// Brings the search index up to date after fast rebuilds, unless the
    /// latest build failed; gives up as soon as another file event comes
    /// in (the rebuild goes first). Returns a log line when it published.
    pub fn refresh_search(&self) -> Option<String> {
        if !self.search_due() {
            return None;
        }
        let start = Instant::now();
        let seen = self.events_seen.load(Ordering::SeqCst);
        let cancel = || self.events_seen.load(Ordering::SeqCst) != seen;
        let mut cache = match self.cache.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        let files = refresh_search_unless(&mut cache, &cancel)?;
        self.search_stale.store(false, Ordering::SeqCst);
        self.publish_search(files);
        Some(format!("search index updated in {} ms", start.elapsed().as_millis()))
    }

    /// Replaces the search files of the current snapshot (no reload: open
    /// pages keep working, the next page load gets the new index).
    fn publish_search(&self, search: Vec<crate::OutputFile>) {
        let Ok(mut s) = self.snapshot.write() else { return };
        let mut files: HashMap<String, Arc<Vec<u8>>> = s
            .files
            .iter()
            .filter(|(p, _)| !crate::search::is_index_file(p))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect();
        files.extend(search.into_iter().map(|f| (f.path, f.bytes)));
        *s = Arc::new(Snapshot { files, errors: s.errors.clone(), version: s.version });
    }
}

/// A running server.
pub struct Handle {
    /// The address it listens on.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    /// Set to `true` to stop: the listener closes and open live-reload
    /// streams end.
    stop: tokio::sync::watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
    _watcher: watch::Watcher,
}

/// How [`Handle::run_until`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Ctrl+C, and the server stopped.
    Stopped,
    /// A second Ctrl+C came while the server was still stopping.
    Forced,
}

impl Handle {
    /// The state the server serves.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Stops the server and waits for it: live-reload streams end at once,
    /// other requests in flight get up to [`GRACE`] to finish.
    pub fn stop(mut self) {
        self.stop_inner();
    }

    /// Serves until `ctrl_c` fires, then stops. A second Ctrl+C while
    /// stopping returns at once with [`Ended::Forced`] (the caller exits).
    pub fn run_until(self, ctrl_c: CtrlC, log: fn(&str)) -> std::io::Result<Ended> {
        let CtrlC { rt, mut signal } = ctrl_c;
        rt.block_on(signal.recv());
        log("stopping (Ctrl+C again to quit at once)");
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        std::thread::Builder::new().name("lotse-stop".into()).spawn(move || {
            self.stop();
            let _ = done_tx.send(());
        })?;
        Ok(rt.block_on(async {
            tokio::select! {
                _ = done_rx => Ended::Stopped,
                _ = signal.recv() => Ended::Forced,
            }
        }))
    }

    fn stop_inner(&mut self) {
        self.stop.send_replace(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Ctrl+C (SIGINT), caught from the moment [`CtrlC::listen`] returns, so
/// none is lost between printing the address and waiting.
pub struct CtrlC {
    rt: tokio::runtime::Runtime,
    signal: tokio::signal::unix::Signal,
}

impl CtrlC {
    /// Starts catching Ctrl+C (it no longer ends the process by itself).
    pub fn listen() -> std::io::Result<CtrlC> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let signal = {
            let _in_runtime = rt.enter();
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?
        };
        Ok(CtrlC { rt, signal })
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

/// How long requests in flight may take to finish once the server stops.
pub const GRACE: Duration = Duration::from_secs(2);

/// Builds the site, starts the HTTP server and the watcher; returns once
/// the server listens. Progress lines go to `log`.
pub fn start(opts: ServeOptions, log: fn(&str)) -> std::io::Result<Handle> {
    let std_listener = std::net::TcpListener::bind(opts.addr)?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let root = opts.root.canonicalize()?;
    let options = Options {
        root: root.clone(),
        base_url: Some(format!("http://{addr}/")),
        drafts: opts.drafts,
        ..Options::default()
    };
    let shared = Shared::new(options);
    log(&shared.rebuild());
    let watcher = watch::Watcher::start(&root, opts.poll, shared.clone(), log)?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let app = http::router(shared.clone(), stopped.clone(), host::AllowedHosts::new(&opts.allow_hosts));
    let thread = std::thread::Builder::new().name("lotse-http".into()).spawn(move || {
        let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(rt) => rt,
            Err(e) => return log(&format!("error: cannot start the server runtime: {e}")),
        };
        rt.block_on(serve_until_stopped(std_listener, app, stopped, log));
        rt.shutdown_timeout(Duration::from_millis(100));
    })?;
    Ok(Handle { addr, shared, stop, thread: Some(thread), _watcher: watcher })
}

/// Serves `app` until `stopped` turns true (or its sender is gone), then
/// gives requests in flight up to [`GRACE`] and drops what is left.
async fn serve_until_stopped(
    listener: std::net::TcpListener,
    app: axum::Router,
    stopped: tokio::sync::watch::Receiver<bool>,
    log: fn(&str),
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => return log(&format!("error: {e}")),
    };
    let server = axum::serve(listener, app).with_graceful_shutdown(until_stopped(stopped.clone()));
    let deadline = async {
        until_stopped(stopped).await;
        tokio::time::sleep(GRACE).await;
    };
    tokio::select! {
        served = std::future::IntoFuture::into_future(server) => {
            if let Err(e) = served {
                log(&format!("error: server stopped: {e}"));
            }
        }
        () = deadline => {}
    }
}

/// Completes once `stopped` is `true` or its sender is gone.
pub(crate) async fn until_stopped(mut stopped: tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|s| *s).await;
}

/// Debounce window: events closer together than this are one change.
pub(crate) const QUIET: Duration = Duration::from_millis(10);
