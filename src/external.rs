//! `lotse check --external`: every `http(s)` link of the site requested
//! (HEAD, then GET where a server refuses HEAD), a few hosts at a time and
//! at most [`PER_HOST`] requests at once per host, with a timeout and
//! retries with backoff; results kept in a cache file so that a second run
//! within its age asks no server again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::report::links::ExternalLink;

/// Requests to one host at the same time, at most.
pub const PER_HOST: usize = 2;
/// Hosts checked at the same time, at most.
pub const HOSTS_AT_ONCE: usize = 8;

/// How to check.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Time for one request.
    pub timeout: Duration,
    /// Further tries after a timeout, a connection error, 429 or 5xx.
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// How long a cached result stays good.
    pub max_age: Duration,
    /// URL patterns not to check (`*` matches any text).
    pub skip: Vec<String>,
}

impl Settings {
    /// The settings of `external:` in site.yaml (checked when it was read).
    pub fn from_config(c: &crate::config::ExternalConfig) -> Settings {
        let days = crate::calendar::Period::parse(&c.cache).map_or(1, |p| p.approx_days());
        Settings {
            timeout: Duration::from_secs(c.timeout.max(1)),
            retries: c.retries,
            max_age: Duration::from_secs(days * 24 * 3600),
            skip: c.skip.clone(),
            ..Settings::default()
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(500),
            max_age: Duration::from_secs(24 * 3600),
            skip: Vec::new(),
        }
    }
}

/// What a URL answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// A status code (2xx and 3xx are fine; redirects are followed).
    Status(u16),
    /// No answer in time.
    Timeout,
    /// No connection (DNS, refused, TLS).
    Failed(String),
}

impl Outcome {
    /// Whether the link works.
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Status(s) if *s < 400)
    }

    fn worth_retrying(&self) -> bool {
        match self {
            Outcome::Status(s) => *s == 429 || *s >= 500,
            _ => true,
        }
    }
}

/// The cache file's contents: URL -> (seconds since the epoch, outcome).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// Format version.
    pub version: u32,
    /// Results by URL.
    pub results: BTreeMap<String, (u64, Outcome)>,
}

impl Cache {
    /// Parses a cache file's text; anything unreadable is an empty cache.
    pub fn parse(text: &str) -> Cache {
        serde_json::from_str::<Cache>(text).ok().filter(|c| c.version == 1).unwrap_or_default()
    }

    /// The cache file's text.
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(&Cache { version: 1, results: self.results.clone() }).unwrap_or_default()
    }
}

/// The result of checking the site's external links.
#[derive(Debug, Default)]
pub struct Checked {
    /// Each broken link with what it answered.
    pub broken: Vec<(ExternalLink, Outcome)>,
    /// Distinct URLs checked over the network.
    pub requested: usize,
    /// Distinct URLs answered from the cache.
    pub cached: usize,
    /// Distinct URLs skipped by a pattern.
    pub skipped: usize,
}

/// Whether `url` matches `pattern` (`*` matches any text, also none).
pub fn matches(pattern: &str, url: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == url;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !url.starts_with(first) || !url[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &url[first.len()..url.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Checks `links`, answering from `cache` where its result is younger than
/// `settings.max_age` and recording new results in it.
pub fn check(links: &[ExternalLink], settings: &Settings, cache: &mut Cache) -> Checked {
    let mut checked = Checked::default();
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    let fresh = now().saturating_sub(settings.max_age.as_secs());
    for l in links {
        if !seen.insert(l.url.as_str()) {
            continue;
        }
        if settings.skip.iter().any(|p| matches(p, &l.url)) {
            checked.skipped += 1;
        } else if cache.results.get(&l.url).is_some_and(|(at, _)| *at >= fresh) {
            checked.cached += 1;
        } else {
            by_host.entry(&l.host).or_default().push(&l.url);
        }
    }
    let results: Mutex<HashMap<String, Outcome>> = Mutex::new(HashMap::new());
    let hosts: Mutex<Vec<Vec<&str>>> = Mutex::new(by_host.into_values().collect());
    let agent = agent(settings);
    std::thread::scope(|s| {
        for _ in 0..HOSTS_AT_ONCE {
            s.spawn(|| {
                while let Some(urls) = hosts.lock().map_or(None, |mut h| h.pop()) {
                    check_host(&agent, &urls, settings, &results);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    checked.requested = results.len();
    let at = now();
    for (url, outcome) in results {
        cache.results.insert(url, (at, outcome));
    }
    for l in links {
        if let Some((_, outcome)) = cache.results.get(&l.url).filter(|(_, o)| !o.is_ok())
            && !settings.skip.iter().any(|p| matches(p, &l.url))
        {
            checked.broken.push((l.clone(), outcome.clone()));
        }
    }
    checked
}

/// One host's URLs, [`PER_HOST`] at a time.
fn check_host(agent: &ureq::Agent, urls: &[&str], settings: &Settings, results: &Mutex<HashMap<String, Outcome>>) {
    let next = Mutex::new(urls.iter());
    std::thread::scope(|s| {
        for _ in 0..PER_HOST.min(urls.len()) {
            s.spawn(|| {
                while let Some(url) = next.lock().ok().and_then(|mut i| i.next().copied()) {
                    let outcome = with_retries(agent, url, settings);
                    if let Ok(mut r) = results.lock() {
                        r.insert(url.to_string(), outcome);
                    }
                }
            });
        }
    });
}

fn with_retries(agent: &ureq::Agent, url: &str, settings: &Settings) -> Outcome {
    let mut wait = settings.backoff;
    let mut outcome = request(agent, url);
    for _ in 0..settings.retries {
        if !outcome.worth_retrying() {
            break;
        }
        std::thread::sleep(wait);
        wait *= 2;
        outcome = request(agent, url);
    }
    outcome
}

fn agent(settings: &Settings) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("lotse/", env!("CARGO_PKG_VERSION"), " (link check)"))
        .build()
        .into()
}

/// HEAD, then GET when the server does not answer HEAD properly.
fn request(agent: &ureq::Agent, url: &str) -> Outcome {
    let head = send(agent.head(url).call());
    match head {
        Outcome::Status(s) if s < 400 || s == 404 || s == 410 => head,
        _ => send(agent.get(url).call()),
    }
}

fn send(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Outcome {
    match r {
        Ok(resp) => Outcome::Status(resp.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Outcome::Timeout,
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns_match_with_stars() {
        assert!(matches("https://example.org/*", "https://example.org/a/b"));
        assert!(matches("*linkedin.com*", "https://www.linkedin.com/in/x"));
        assert!(matches("https://a.org/x", "https://a.org/x"));
        assert!(!matches("https://a.org/x", "https://a.org/xy"));
        assert!(!matches("https://*.org/*/z", "https://a.org/y"));
        assert!(matches("https://*.org/*/z", "https://a.org/y/z"));
    }
}
