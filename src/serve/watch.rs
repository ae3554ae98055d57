//! Watches the site's sources with notify and triggers debounced rebuilds.
//! Falls back to polling where native events are not available. Source
//! folders that appear, disappear or are replaced while serving (`lotse
//! init`, `git checkout`) are watched again.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::{QUIET, Shared};
use crate::load::is_ignored;

/// Quiet time after a fast rebuild before the search index is updated.
const SEARCH_AFTER: Duration = Duration::from_millis(50);

/// The folders below the root that hold sources: each is watched
/// recursively while it exists; the root itself (with `site.yaml`) is
/// watched on its own, which also shows these folders come and go.
const SOURCE_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// A notify watcher, shared by the handle that keeps it alive and the
/// rebuild loop that adds and removes watches.
type Inner = Arc<Mutex<Box<dyn notify::Watcher + Send>>>;

/// Keeps the notify watcher and the rebuild thread alive.
pub struct Watcher {
    _inner: Inner,
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
        let (inner, arms) = if poll {
            log("watching by polling (--poll)");
            Arms::start(root, poll_watcher(tx)?)?
        } else {
            match RecommendedWatcher::new(tx.clone(), notify::Config::default())
                .map_err(io)
                .and_then(|w| Arms::start(root, w))
            {
                Ok(w) => w,
                Err(e) => {
                    log(&format!("native file events unavailable ({e}); watching by polling"));
                    Arms::start(root, poll_watcher(tx)?)?
                }
            }
        };
        std::thread::Builder::new().name("lotse-watch".into()).spawn(move || rebuild_loop(arms, rx, shared, log))?;
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

/// Which source folders have a watch, kept in step with the disk by the
/// rebuild loop (it holds the watcher weakly: dropping the [`Watcher`] ends
/// the loop).
struct Arms {
    root: PathBuf,
    watcher: Weak<Mutex<Box<dyn notify::Watcher + Send>>>,
    armed: [bool; SOURCE_DIRS.len()],
}

impl Arms {
    /// Watches the root, then each source folder that exists.
    fn start<W: notify::Watcher + Send + 'static>(root: &Path, w: W) -> std::io::Result<(Inner, Arms)> {
        let inner: Inner = Arc::new(Mutex::new(Box::new(w)));
        let mut arms = Arms { root: root.to_path_buf(), watcher: Arc::downgrade(&inner), armed: Default::default() };
        let mut watcher = inner.lock().unwrap_or_else(PoisonError::into_inner);
        watcher.watch(root, RecursiveMode::NonRecursive).map_err(io)?;
        for (name, armed) in SOURCE_DIRS.iter().zip(&mut arms.armed) {
            let dir = root.join(name);
            if dir.is_dir() {
                watcher.watch(&dir, RecursiveMode::Recursive).map_err(io)?;
                *armed = true;
            }
        }
        drop(watcher);
        Ok((inner, arms))
    }

    /// Brings the watches in step after a burst: a source folder that
    /// appeared gets a watch, one that went away loses it, and one the
    /// burst created, removed or renamed (`replaced`), or every one after
    /// lost events, is watched afresh: a folder written again is a new
    /// folder to the OS, and the old watch sees nothing of it.
    fn update(&mut self, replaced: &[PathBuf], lost: bool, log: fn(&str)) {
        let Some(inner) = self.watcher.upgrade() else { return };
        let mut watcher = inner.lock().unwrap_or_else(PoisonError::into_inner);
        for (name, armed) in SOURCE_DIRS.iter().zip(&mut self.armed) {
            let dir = self.root.join(name);
            let present = dir.is_dir();
            let renew = present && (lost || replaced.contains(&dir));
            if present == *armed && !renew {
                continue;
            }
            if *armed {
                // Fails when notify already dropped the watch with the folder.
                let _ = watcher.unwatch(&dir);
            }
            *armed = present
                && match watcher.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => true,
                    Err(e) => {
                        log(&format!("cannot watch {name}/ ({e}); will try again after the next change"));
                        false
                    }
                };
        }
    }
}

/// Whether an event may mean a folder was created, removed or replaced.
fn structural(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_))
            | EventKind::Any
            | EventKind::Other
    )
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

fn rebuild_loop(mut arms: Arms, rx: mpsc::Receiver<notify::Result<notify::Event>>, shared: Arc<Shared>, log: fn(&str)) {
    let root = arms.root.clone();
    loop {
        // After fast rebuilds, the search index catches up once the
        // editor has been quiet for a moment (and gives way to new events).
        let first = if shared.search_due() || shared.pdf_due() {
            match rx.recv_timeout(SEARCH_AFTER) {
                Ok(e) => e,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(line) = shared.refresh_search() {
                        log(&line);
                    }
                    // PDFs after the search index: both follow the reload.
                    if let Some(line) = shared.refresh_pdfs() {
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
        let mut replaced = Vec::new();
        let mut known = true;
        let mut note = |e: notify::Result<notify::Event>| match e {
            Ok(e) if !matches!(e.kind, EventKind::Access(_)) => {
                known &= !e.paths.is_empty() && !e.need_rescan();
                if structural(&e.kind) {
                    replaced.extend(e.paths.iter().filter(|p| p.parent() == Some(root.as_path())).cloned());
                }
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
        // Watch first, then build: whatever changes after the new watches
        // is seen, whatever changed before them is read by the build.
        arms.update(&replaced, !known, log);
        paths.sort();
        paths.dedup();
        log(&shared.rebuild_changed(known.then_some(paths.as_slice())));
    }
}
