//! HTTP side of `lotse serve` (axum): files from the in-memory snapshot,
//! the live-reload event stream, the error status and the overlay script,
//! all behind the Host check.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::host::{AllowedHosts, Verdict};
use super::{Event, Shared, until_stopped};

const LIVE_JS: &str = include_str!("live.js");
const LIVE_TAG: &str = "<script src=\"/__lotse/live.js\" defer></script>";

/// Longest request path accepted.
const MAX_PATH: usize = 2048;

/// What the handlers share: the site and the stop signal.
#[derive(Clone)]
struct App {
    shared: Arc<Shared>,
    stopped: watch::Receiver<bool>,
}

impl FromRef<App> for Arc<Shared> {
    fn from_ref(app: &App) -> Arc<Shared> {
        app.shared.clone()
    }
}

/// The preview's routes, for the `hosts` only; live-reload streams end when
/// `stopped` turns true.
pub fn router(shared: Arc<Shared>, stopped: watch::Receiver<bool>, hosts: AllowedHosts) -> Router {
    Router::new()
        .route("/__lotse/events", get(events))
        .route("/__lotse/status", get(status))
        .route(
            "/__lotse/live.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS) }),
        )
        .fallback(file)
        .with_state(App { shared, stopped })
        .layer(middleware::from_fn_with_state(Arc::new(hosts), check_host))
}

/// Answers only requests for an allowed host name (see `host.rs`).
async fn check_host(State(hosts): State<Arc<AllowedHosts>>, req: Request, next: Next) -> Response {
    match hosts.check(req.version(), req.uri(), req.headers()) {
        Verdict::Allowed => next.run(req).await,
        Verdict::Malformed(why) => plain(StatusCode::BAD_REQUEST, why),
        Verdict::Refused(name) => {
            let text = format!(
                "This Lotse preview answers only to localhost, IP addresses and names given with \
                 --allow-host, not to `{name}` (a page elsewhere could use that name to read it).\n\
                 If you opened the preview by this name yourself, restart it with: \
                 lotse serve --allow-host {name}\n"
            );
            let mut r =
                (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response();
            r.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            r
        }
    }
}

/// The live-reload stream: one event per rebuild, until the server stops
/// (an open browser tab must not keep a stopping server alive).
async fn events(State(app): State<App>) -> Sse<impl tokio_stream::Stream<Item = Result<SseEvent, Infallible>>> {
    let rebuilds = BroadcastStream::new(app.shared.events.subscribe()).map(Some);
    let stop = tokio_stream::once(()).then(move |()| until_stopped(app.stopped.clone())).map(|()| None);
    let stream = rebuilds.merge(stop).map_while(|e| e).filter_map(|e| {
        let name = match e.ok()? {
            Event::Reload => "reload",
            Event::Errors => "errors",
        };
        Some(Ok(SseEvent::default().event(name).data(name)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let snap = shared.snapshot();
    let errors: Vec<serde_json::Value> = snap
        .errors
        .iter()
        .map(|d| {
            serde_json::json!({
                "location": format!("{}:{}:{}", d.path, d.line, d.col),
                "message": d.message,
                "line": d.source_line,
                "hint": d.hint,
            })
        })
        .collect();
    let body = serde_json::json!({ "version": snap.version, "errors": errors }).to_string();
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// Serves a file of the snapshot; the site's 404 page with status 404 for
/// anything missing; 400 for paths that try to leave the site.
async fn file(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    let raw = req.uri().path();
    let Some(path) = clean_path(raw) else {
        return plain(StatusCode::BAD_REQUEST, "bad request path");
    };
    let snap = shared.snapshot();
    let lookup = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
    if let Some(bytes) = snap.files.get(&lookup) {
        return respond(StatusCode::OK, &lookup, bytes);
    }
    if snap.files.contains_key(&format!("{path}/index.html")) {
        let location = format!("/{path}/");
        let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved");
        if let Ok(v) = HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    // The 404 page of the language whose folder the path is in (`en/404.html`).
    let lang_404 = path.split_once('/').map(|(first, _)| format!("{first}/404.html"));
    let page = lang_404.filter(|p| snap.files.contains_key(p)).unwrap_or_else(|| "404.html".into());
    match snap.files.get(&page) {
        Some(bytes) => respond(StatusCode::NOT_FOUND, &page, bytes),
        None => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

/// Decodes and checks a request path: no `..`, no backslashes, no NUL, no
/// control characters, no drive letters; returns it without the leading `/`.
pub(crate) fn clean_path(raw: &str) -> Option<String> {
    if raw.len() > MAX_PATH {
        return None;
    }
    let decoded = percent_decode(raw)?;
    if decoded.contains('\\') || decoded.chars().any(|c| c.is_control()) {
        return None;
    }
    let path = decoded.strip_prefix('/')?;
    if path.starts_with('/') || path.split('/').any(|seg| seg == ".." || seg == "." || seg.contains(':')) {
        return None;
    }
    Some(path.to_string())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn respond(status: StatusCode, path: &str, bytes: &Arc<Vec<u8>>) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text"
        || mime.essence_str() == "application/javascript"
        || mime.essence_str() == "application/json"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html { inject(bytes) } else { bytes.to_vec() };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// Adds the live-reload script before `</body>` (or at the end).
fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{LIVE_TAG}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_TAG}").into_bytes(),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_traversal_in_every_spelling() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/C:/x",
            "/a%00b",
            "/%zz",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(clean_path("/01-a/b/").as_deref(), Some("01-a/b/"));
        assert_eq!(clean_path("/%C3%BCber/").as_deref(), Some("über/"));
    }

    #[test]
    fn injects_live_reload_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body>x</body></html>")).unwrap();
        assert_eq!(out, format!("<html><body>x{LIVE_TAG}</body></html>"));
    }
}
