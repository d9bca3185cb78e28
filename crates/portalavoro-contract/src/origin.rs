//! The origin of a URL (scheme, host, port): what decides whether the
//! kiosk token may be sent somewhere, and whether plain http is allowed.

use std::fmt;

/// The scheme, host and port of a URL: what decides whether the kiosk token
/// may be sent there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlOrigin {
    pub scheme: String,
    /// Lower case; IPv6 addresses without brackets.
    pub host: String,
    pub port: u16,
}

impl UrlOrigin {
    /// Parses the origin of an absolute http(s) URL.
    pub fn of(url: &str) -> Result<UrlOrigin, String> {
        let (scheme, rest) = url.split_once("://").ok_or("missing http:// or https://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            other => return Err(format!("unsupported scheme {other:?}")),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return Err("credentials in the URL are not allowed; use hub.token_file".into());
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or("unclosed '[' in host")?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err("missing host".into());
        }
        let port = match port {
            None | Some("") => default_port,
            Some(p) => p.parse().map_err(|_| format!("bad port {p:?}"))?,
        };
        Ok(UrlOrigin {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// `localhost`, `127.0.0.0/8` or `::1`. Not `*.localhost`: glibc sends
    /// those names to DNS, which may answer with any address.
    pub fn is_loopback(&self) -> bool {
        if self.host == "localhost" {
            return true;
        }
        self.host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
    }

    /// Plain http to a host other than loopback: readable and changeable
    /// on the way, so refused unless a trusted network is declared
    /// (`hub.allow_insecure_http`), for the hub as for pictures.
    pub fn is_insecure(&self) -> bool {
        self.scheme == "http" && !self.is_loopback()
    }

    /// `scheme://host:port`, to prefix an origin-relative path.
    pub fn as_prefix(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for UrlOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default_port = if self.scheme == "https" { 443 } else { 80 };
        if self.port == default_port {
            write!(f, "{}://{host}", self.scheme)
        } else {
            write!(f, "{}://{host}:{}", self.scheme, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_effective_port() {
        let a = UrlOrigin::of("https://Hub.Example.org/api/v1").unwrap();
        assert_eq!(
            a,
            UrlOrigin::of("https://hub.example.org:443/media/x.jpg").unwrap()
        );
        assert_ne!(a, UrlOrigin::of("http://hub.example.org/api/v1").unwrap());
        assert_ne!(a, UrlOrigin::of("https://cdn.example.org/api/v1").unwrap());
        assert_ne!(a, UrlOrigin::of("https://hub.example.org:8443/").unwrap());
        let v6 = UrlOrigin::of("http://[::1]:8080/api").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 8080));
        assert!(v6.is_loopback());
        assert!(UrlOrigin::of("http://127.0.0.2:1/").unwrap().is_loopback());
        assert!(!UrlOrigin::of("http://10.0.0.1/").unwrap().is_loopback());
        assert!(UrlOrigin::of("http://10.0.0.1/").unwrap().is_insecure());
        assert!(!UrlOrigin::of("https://10.0.0.1/").unwrap().is_insecure());
        assert!(!v6.is_insecure());
        assert!(
            UrlOrigin::of("http://LocalHost:8080/")
                .unwrap()
                .is_loopback()
        );
        assert!(
            !UrlOrigin::of("http://hub.localhost/")
                .unwrap()
                .is_loopback()
        );
        assert!(
            !UrlOrigin::of("http://localhost.example.org/")
                .unwrap()
                .is_loopback()
        );
        assert!(UrlOrigin::of("https://user:pw@hub.example.org/").is_err());
        assert!(UrlOrigin::of("hub.example.org").is_err());
        assert!(UrlOrigin::of("https:///x").is_err());
        assert_eq!(v6.to_string(), "http://[::1]:8080");
        assert_eq!(a.to_string(), "https://hub.example.org");
    }
}
