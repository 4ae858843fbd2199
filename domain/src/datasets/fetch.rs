//! Fetching addresses that people typed, safely: only public addresses (checked after DNS and
//! at every redirect), a few redirects, timeouts, a size cap, and each host's requests paced
//! through the database so that every instance together keeps to the limit.
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderMap, CONTENT_TYPE, LOCATION};
use reqwest::{Method, StatusCode};
use sea_orm::DatabaseConnection;
use url::Url;

use super::hosts;

/// How fetching behaves; read once from the configuration.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Names Casebook and the site's public address, so portals know who is asking.
    pub user_agent: String,
    /// Hosts (`name` or `name:port`) let through the public-address check: for tests only.
    pub allow_hosts: Vec<String>,
    pub connect_timeout: Duration,
    /// For the whole response, body included: a slow drip ends here.
    pub timeout: Duration,
    pub max_bytes: usize,
    pub max_redirects: usize,
    /// Requests to one host start at least this far apart: 550 ms for 2 a second, the tenth
    /// more covering the few tens of milliseconds a wake-up can be late, so that a late request
    /// and an on-time one never make three in one second.
    pub host_interval: Duration,
    /// A request waits at most this long for its host's turn; beyond it, the work is put off.
    pub max_wait: Duration,
}

impl FetchOptions {
    pub fn new(public_url: &str) -> FetchOptions {
        FetchOptions {
            user_agent: format!("Casebook/{} (+{public_url})", env!("CARGO_PKG_VERSION")),
            allow_hosts: Vec::new(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            max_bytes: 5 * 1024 * 1024,
            max_redirects: 5,
            host_interval: Duration::from_millis(550),
            max_wait: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum FetchError {
    #[error("only http and https addresses can be fetched")]
    Scheme,
    #[error("{0} is not a public address")]
    Refused(String),
    #[error("the address {0} could not be found")]
    Dns(String),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("no answer in time")]
    Timeout,
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    /// The host's turn is too far off; try again from this moment.
    #[error("the portal is busy until {0}")]
    Busy(DateTime<Utc>),
    #[error("{0}")]
    Other(String),
}

/// A response, after any redirects.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub url: Url,
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Where the first permanent redirect pointed, when the request began with one.
    pub moved_to: Option<Url>,
}

impl Fetched {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Clone, Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    db: DatabaseConnection,
    pub options: Arc<FetchOptions>,
}

/// The resolver's refusal, found again in the error chain.
#[derive(Debug, thiserror::Error)]
#[error("{0} resolves only to addresses that are not public")]
struct Blocked(String);

#[derive(Debug, thiserror::Error)]
#[error("{0} could not be resolved")]
struct NotFound(String);

/// Resolves names and drops every address that is not public, so a name pointing inside the
/// network (or rebinding to it) cannot be reached.
struct PublicOnly {
    allow: Arc<Vec<String>>,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| Box::new(NotFound(host.clone())) as Box<dyn std::error::Error + Send + Sync>)?
                .collect();
            let allowed = allow.iter().any(|a| allowed_name(a).eq_ignore_ascii_case(&host));
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| allowed || is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(Blocked(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The host name of an allow-list entry (`name` or `name:port`).
fn allowed_name(entry: &str) -> &str {
    entry.rsplit_once(':').filter(|(_, port)| port.parse::<u16>().is_ok()).map_or(entry, |(name, _)| name)
}

/// Public unicast addresses only: not loopback, private, link-local (cloud metadata lives at
/// 169.254.169.254), shared, documentation, multicast or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            let v4_at = |high: usize| Ipv4Addr::from((u32::from(segments[high]) << 16) | u32::from(segments[high + 1]));
            // Addresses that carry an IPv4 address reach it: they are as public as it is.
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let embedded = match segments {
                // IPv4-compatible `::a.b.c.d` (`::` and `::1` are not).
                [0, 0, 0, 0, 0, 0, high, _] if high != 0 => Some(vec![v4_at(6)]),
                // 6to4: the IPv4 address follows the prefix.
                [0x2002, ..] => Some(vec![v4_at(1)]),
                // Teredo: the server, and the client's address inverted.
                [0x2001, 0, ..] => Some(vec![v4_at(2), Ipv4Addr::from(!u32::from(v4_at(6)))]),
                _ => None,
            };
            if let Some(addresses) = embedded {
                return addresses.into_iter().all(|v4| is_public(IpAddr::V4(v4)));
            }
            let first = segments[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                // Site-local, deprecated but still routed inside some networks.
                || (first & 0xffc0) == 0xfec0
                || first == 0x2001 && segments[1] == 0x0db8
                // NAT64, well-known and local-use: it translates to whatever IPv4 address.
                || first == 0x0064 && segments[1] == 0xff9b)
        }
    }
}

fn chain_has<'a, E: std::error::Error + 'static>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a E> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<E>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

fn classify(error: reqwest::Error) -> FetchError {
    if let Some(blocked) = chain_has::<Blocked>(&error) {
        return FetchError::Refused(blocked.0.clone());
    }
    if let Some(missing) = chain_has::<NotFound>(&error) {
        return FetchError::Dns(missing.0.clone());
    }
    if error.is_timeout() {
        FetchError::Timeout
    } else if error.is_connect() {
        FetchError::Connect(error.to_string())
    } else {
        FetchError::Other(error.to_string())
    }
}

/// `name:port` as the pacing counts hosts; the port only where it is not the scheme's own.
pub fn host_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

impl Fetcher {
    pub fn new(db: DatabaseConnection, options: FetchOptions) -> Result<Fetcher, FetchError> {
        let options = Arc::new(options);
        let client = reqwest::Client::builder()
            .user_agent(options.user_agent.clone())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(PublicOnly { allow: Arc::new(options.allow_hosts.clone()) }))
            .build()
            .map_err(|e| FetchError::Other(e.to_string()))?;
        Ok(Fetcher { client, db, options })
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// GETs `url`, following redirects.
    pub async fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.fetch(Method::GET, url, None).await
    }

    /// GETs `url` asking for this media type.
    pub async fn get_as(&self, url: &Url, accept: &str) -> Result<Fetched, FetchError> {
        self.fetch(Method::GET, url, Some(accept)).await
    }

    pub async fn head(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.fetch(Method::HEAD, url, None).await
    }

    async fn fetch(&self, method: Method, start: &Url, accept: Option<&str>) -> Result<Fetched, FetchError> {
        let mut url = start.clone();
        let mut moved_to = None;
        for hop in 0..=self.options.max_redirects {
            check_address(&self.options.allow_hosts, &url)?;
            hosts::wait_turn(&self.db, &host_key(&url), self.options.host_interval, self.options.max_wait).await?;
            let mut request = self.client.request(method.clone(), url.clone());
            if let Some(accept) = accept {
                request = request.header(reqwest::header::ACCEPT, accept);
            }
            let response = request.send().await.map_err(classify)?;
            let status = response.status();
            if status.is_redirection() {
                let next = location(response.headers()).and_then(|l| url.join(&l).ok());
                let Some(next) = next else { return Err(FetchError::Other(format!("a redirect ({status}) with no usable Location"))) };
                if hop == 0 && matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT) {
                    moved_to = Some(next.clone());
                }
                url = next;
                continue;
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
                .unwrap_or_default();
            // Only a success's body is read: an error page says nothing about the dataset.
            let body = if method == Method::HEAD || !status.is_success() { Vec::new() } else { self.read_capped(response).await? };
            return Ok(Fetched { url, status, content_type, body, moved_to });
        }
        Err(FetchError::TooManyRedirects(self.options.max_redirects))
    }

    /// Reads a body, stopping as soon as it passes the cap (before reading at all when the
    /// length is declared).
    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let cap = self.options.max_bytes;
        if response.content_length().is_some_and(|n| n as usize > cap) {
            return Err(FetchError::TooLarge(cap));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > cap {
                return Err(FetchError::TooLarge(cap));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// An address may be tried: http or https on their own ports, and a literal IP only when public
/// (names are checked when they resolve); the allow-list (tests only) lets its hosts through.
fn check_address(allow_hosts: &[String], url: &Url) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::Scheme);
    }
    let key = host_key(url);
    let host = url.host_str().unwrap_or("");
    let allowed = allow_hosts.iter().any(|a| a.eq_ignore_ascii_case(&key) || a.eq_ignore_ascii_case(host));
    // The resolver knows names, not ports: a name allowed only on some port is refused on
    // any other here.
    if !allowed && allow_hosts.iter().any(|a| allowed_name(a).eq_ignore_ascii_case(host)) {
        return Err(FetchError::Refused(key));
    }
    // Other ports reach services that were never meant for the web (mail, databases, admin).
    if !allowed && !matches!(url.port_or_known_default(), Some(80 | 443)) {
        return Err(FetchError::Refused(key));
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(FetchError::Refused(url.to_string())),
    };
    match literal {
        Some(ip) if !allowed && !is_public(ip) => Err(FetchError::Refused(key)),
        _ => Ok(()),
    }
}

fn location(headers: &HeaderMap) -> Option<String> {
    headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_count_as_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::a00:1",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "2001:0:a00:1::1",
            "fec0::1",
            "fefe::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private} counted as public");
        }
        for public in ["81.2.69.160", "2a00:1450:4009:80b::200e", "151.101.0.144", "2002:5102:45a0::1", "2001:0:5102:45a0:0:0:6afd:bb5f"] {
            assert!(is_public(public.parse().unwrap()), "{public} counted as private");
        }
    }

    #[test]
    fn only_the_web_ports_are_fetched_unless_a_test_allows_its_host() {
        let check =
            |allow: &[&str], url: &str| check_address(&allow.iter().map(|a| a.to_string()).collect::<Vec<_>>(), &Url::parse(url).unwrap());
        assert_eq!(check(&[], "https://data.example.org/x"), Ok(()));
        assert_eq!(check(&[], "http://data.example.org:80/x"), Ok(()));
        assert_eq!(check(&[], "https://data.example.org:8443/x"), Err(FetchError::Refused("data.example.org:8443".into())));
        assert_eq!(check(&[], "http://data.example.org:25/x"), Err(FetchError::Refused("data.example.org:25".into())));
        assert_eq!(check(&[], "http://[::127.0.0.1]/x"), Err(FetchError::Refused("[::7f00:1]".into())));
        assert_eq!(check(&[], "ftp://data.example.org/x"), Err(FetchError::Scheme));
        assert_eq!(check(&["127.0.0.1:3103"], "http://127.0.0.1:3103/x"), Ok(()));
        assert_eq!(check(&["127.0.0.1:3103"], "http://127.0.0.1:3104/x"), Err(FetchError::Refused("127.0.0.1:3104".into())));
    }

    #[test]
    fn hosts_are_counted_with_their_port_when_it_is_not_the_default() {
        assert_eq!(host_key(&Url::parse("https://Data.Gov.UK/dataset/x").unwrap()), "data.gov.uk");
        assert_eq!(host_key(&Url::parse("http://127.0.0.1:8081/x").unwrap()), "127.0.0.1:8081");
    }
}
