//! Which `Host` names the preview answers to, against DNS rebinding: a page
//! on `attacker.example` whose name is made to resolve to 127.0.0.1 runs in
//! the browser with that name as its origin, and could read the preview if
//! it answered to any name. It answers to `localhost` (and `*.localhost`),
//! to IP addresses (a page cannot have one as its name and still be the
//! attacker's) and to names given with `--allow-host`; the port is not
//! checked (port forwarding changes it, and the name is what matters).

use axum::http::uri::Authority;
use axum::http::{HeaderMap, Uri, Version, header};

/// The names allowed beside loopback names and IP addresses.
#[derive(Debug, Clone, Default)]
pub(crate) struct AllowedHosts {
    names: Vec<String>,
}

/// What to do with a request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Allowed,
    /// A name the preview does not answer to (403).
    Refused(String),
    /// No usable Host (400), with the reason.
    Malformed(&'static str),
}

impl AllowedHosts {
    /// `names` as given to `--allow-host` (case and a final dot ignored).
    pub(crate) fn new(names: &[String]) -> AllowedHosts {
        AllowedHosts { names: names.iter().map(|n| normalize(n)).collect() }
    }

    /// Judges a request by its `Host` header and, in the absolute form
    /// (`GET http://name/ HTTP/1.1`), the name in its target: both must be
    /// allowed. HTTP/1.0 requests may come without a name.
    pub(crate) fn check(&self, version: Version, uri: &Uri, headers: &HeaderMap) -> Verdict {
        let mut values = headers.get_all(header::HOST).iter();
        let host = match (values.next(), values.next()) {
            (Some(_), Some(_)) => return Verdict::Malformed("more than one Host header"),
            (Some(v), None) => match Authority::try_from(v.as_bytes()) {
                Ok(a) => Some(a),
                Err(_) => return Verdict::Malformed("the Host header is not a host name"),
            },
            (None, None) | (None, Some(_)) => None,
        };
        if host.is_none() && uri.authority().is_none() && version >= Version::HTTP_11 {
            return Verdict::Malformed("an HTTP/1.1 request needs a Host header");
        }
        for authority in host.iter().chain(uri.authority()) {
            if authority.as_str().contains('@') {
                return Verdict::Malformed("the Host header is not a host name");
            }
            let name = normalize(authority.host());
            if !self.allows(&name) {
                return Verdict::Refused(name);
            }
        }
        Verdict::Allowed
    }

    /// Whether the preview answers to `name` (lower case, no final dot).
    fn allows(&self, name: &str) -> bool {
        let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => name.parse::<std::net::Ipv4Addr>().is_ok(),
        };
        ip || name == "localhost" || name.ends_with(".localhost") || self.names.iter().any(|n| n == name)
    }
}

fn normalize(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.strip_suffix('.') {
        Some(stripped) if !stripped.is_empty() => stripped.to_string(),
        _ => name,
    }
}

/// Reads a `--allow-host` value: a host name (or IP address) without
/// scheme, port or path. Returns it in lower case without a final dot.
pub fn parse_host_name(value: &str) -> Result<String, String> {
    if let Some((scheme, rest)) = value.split_once("://") {
        return Err(format!("give the name without `{scheme}://`: --allow-host {}", rest.trim_end_matches('/')));
    }
    let authority = Authority::try_from(value)
        .ok()
        .filter(|a| !value.is_empty() && !a.as_str().contains('@'))
        .ok_or_else(|| "not a host name (expected e.g. mybox.local)".to_string())?;
    if authority.port().is_some() {
        return Err(format!("give the name without a port (any port is accepted): --allow-host {}", authority.host()));
    }
    Ok(normalize(authority.host()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn check(hosts: &AllowedHosts, version: Version, uri: &str, host: &[&'static str]) -> Verdict {
        let mut headers = HeaderMap::new();
        for h in host {
            headers.append(header::HOST, HeaderValue::from_static(h));
        }
        hosts.check(version, &uri.parse().unwrap(), &headers)
    }

    #[test]
    fn judges_names_not_ports() {
        let hosts = AllowedHosts::new(&["Preview.LAN.".to_string()]);
        let v11 = Version::HTTP_11;
        for ok in ["localhost", "localhost:1111", "LOCALHOST.", "a.localhost", "127.0.0.1:9", "[::1]:1", "10.1.2.3"] {
            assert_eq!(check(&hosts, v11, "/", &[ok]), Verdict::Allowed, "{ok}");
        }
        assert_eq!(check(&hosts, v11, "/", &["preview.lan:80"]), Verdict::Allowed);
        for bad in ["attacker.example", "localhost.attacker.example:1111", "127.0.0.1.nip.io", "[v1.x]"] {
            assert!(matches!(check(&hosts, v11, "/", &[bad]), Verdict::Refused(_)), "{bad}");
        }
        assert_eq!(check(&hosts, v11, "http://evil.example/", &["localhost"]), Verdict::Refused("evil.example".into()));
    }

    #[test]
    fn a_missing_or_doubled_host_is_malformed_except_in_http_1_0() {
        let hosts = AllowedHosts::default();
        assert_eq!(check(&hosts, Version::HTTP_10, "/", &[]), Verdict::Allowed);
        assert!(matches!(check(&hosts, Version::HTTP_11, "/", &[]), Verdict::Malformed(_)));
        assert!(matches!(check(&hosts, Version::HTTP_11, "/", &["localhost", "evil.example"]), Verdict::Malformed(_)));
        assert!(matches!(check(&hosts, Version::HTTP_11, "/", &["localhost@evil.example"]), Verdict::Malformed(_)));
    }

    #[test]
    fn allow_host_values_are_bare_names() {
        assert_eq!(parse_host_name("MyBox.Local.").as_deref(), Ok("mybox.local"));
        assert_eq!(parse_host_name("[::1]").as_deref(), Ok("[::1]"));
        for bad in ["", "a b", "http://x", "x:80", "u@x", "x/y"] {
            assert!(parse_host_name(bad).is_err(), "{bad}");
        }
    }
}
