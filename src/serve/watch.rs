//! Watches the site's sources with notify and triggers debounced rebuilds.
//! Falls back to polling where native events are not available.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::{QUIET, Shared};
use crate::load::is_ignored;

/// Quiet time after a fast rebuild before the search index is updated.
const SEARCH_AFTER: Duration = Duration::from_millis(50);

/// Keeps the notify watcher and the rebuild thread alive.
pub struct Watcher {
    _inner: Box<dyn notify::Watcher + Send>,
}

/// Passes events to the rebuild loop and counts them, so that a running
/// search refresh can give way to the rebuild they ask for.
#[derive(Clone)]
struct Tx {
    tx: mpsc::Sender<notify::Result<notify::Event>>,
    shared: Arc<Shared>,
}

impl notify::EventHandler for Tx {
    fn handle_event(&mut self, event: notify::Result<notify::Event>) {
        if !matches!(&event, Ok(e) if matches!(e.kind, EventKind::Access(_))) {
            self.shared.note_event();
        }
        let _ = self.tx.send(event);
    }
}

impl Watcher {
    /// Watches `root`'s `content/`, `templates/`, `themes/`, `static/` and
    /// `site.yaml`; rebuilds `shared` after each burst of changes.
    pub fn start(root: &Path, poll: bool, shared: Arc<Shared>, log: fn(&str)) -> std::io::Result<Watcher> {
        let (tx, rx) = mpsc::channel();
        let tx = Tx { tx, shared: shared.clone() };
        let inner = if poll {
            log("watching by polling (--poll)");
            watch_all(poll_watcher(tx)?, root)?
        } else {
            match RecommendedWatcher::new(tx.clone(), notify::Config::default())
                .map_err(io)
                .and_then(|w| watch_all(w, root))
            {
                Ok(w) => w,
                Err(e) => {
                    log(&format!("native file events unavailable ({e}); watching by polling"));
                    watch_all(poll_watcher(tx)?, root)?
                }
            }
        };
        let root = root.to_path_buf();
        std::thread::Builder::new().name("lotse-watch".into()).spawn(move || rebuild_loop(&root, rx, shared, log))?;
        Ok(Watcher { _inner: inner })
    }
}

fn io(e: notify::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

fn poll_watcher(tx: Tx) -> std::io::Result<PollWatcher> {
    let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
    PollWatcher::new(tx, config).map_err(io)
}

fn watch_all<W: notify::Watcher + Send + 'static>(
    mut w: W,
    root: &Path,
) -> std::io::Result<Box<dyn notify::Watcher + Send>> {
    for dir in ["content", "templates", "themes", "static"] {
        let p = root.join(dir);
        if p.is_dir() {
            w.watch(&p, RecursiveMode::Recursive).map_err(io)?;
        }
    }
    w.watch(root, RecursiveMode::NonRecursive).map_err(io)?;
    Ok(Box::new(w))
}

/// Whether an event concerns a source file (not the output, not temp files).
fn relevant(root: &Path, event: &notify::Event) -> bool {
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if is_ignored(&name) {
            return false;
        }
        match p.strip_prefix(root) {
            Ok(rel) => {
                let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
                matches!(first.as_deref(), Some("content" | "templates" | "themes" | "static" | "site.yaml"))
            }
            Err(_) => true,
        }
    })
}

fn rebuild_loop(root: &Path, rx: mpsc::Receiver<notify::Result<notify::Event>>, shared: Arc<Shared>, log: fn(&str)) {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    loop {
        // After fast rebuilds, the search index catches up once the
        // editor has been quiet for a moment (and gives way to new events).
        let first = if shared.search_due() {
            match rx.recv_timeout(SEARCH_AFTER) {
                Ok(e) => e,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(line) = shared.refresh_search() {
                        log(&line);
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            let Ok(e) = rx.recv() else { return };
            e
        };
        if !first.as_ref().is_ok_and(|e| relevant(&root, e)) {
            continue;
        }
        // Coalesce a burst: wait until no event came for QUIET (at most 1 s),
        // noting the paths; an event without paths (an overflow) means
        // anything may have changed.
        let mut paths = Vec::new();
        let mut known = true;
        let mut note = |e: notify::Result<notify::Event>| match e {
            Ok(e) if !matches!(e.kind, EventKind::Access(_)) => {
                known &= !e.paths.is_empty() && !e.need_rescan();
                paths.extend(e.paths);
            }
            Ok(_) => {}
            Err(_) => known = false,
        };
        note(first);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(1) {
            match rx.recv_timeout(QUIET) {
                Ok(e) => note(e),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        paths.sort();
        paths.dedup();
        log(&shared.rebuild_changed(known.then_some(paths.as_slice())));
    }
}
