//! Pages for anonymous readers, rendered once and served from memory until the event log says
//! something they show has changed.
//!
//! A page that does not depend on who asks (no session cookie, no form token handed out, a
//! plain 200 HTML answer) is kept with the positions of the event log and the search index it
//! was rendered at. Each request reads the current positions (`positions`, shared by the
//! requests of a moment), so a change committed on any instance is seen by the very next
//! request on every instance: nothing is served stale, and nothing expires by time. Every
//! change that alters a page writes an event (case studies, datasets and their checks,
//! networks and their members, collections, profiles); related case studies and search pages
//! come from the index, hence its position too.
//!
//! Kept pages carry a strong ETag, answer `If-None-Match` with 304, are served gzip-compressed
//! from a copy made once, and tell shared caches to check back every time (`no-cache`) and to
//! keep signed-in people's pages apart (`Vary: Cookie`). Every other page is `private`.
mod positions;

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

pub use positions::{PositionReader, Positions};

use crate::conditional::{digest, matches_tag};
use crate::security::{FormTokenHandedOut, SESSION_COOKIE};
use crate::AppState;

/// The longest address kept: longer ones are rendered every time.
const MAX_KEY: usize = 1024;
/// The largest page kept.
const MAX_PAGE: usize = 2 * 1024 * 1024;
const SHARED: HeaderValue = HeaderValue::from_static("public, no-cache");
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-cache");
const VARY: HeaderValue = HeaderValue::from_static("Cookie, Accept-Encoding");

/// One rendered page, as sent and gzip-compressed.
struct Page {
    at: Positions,
    headers: HeaderMap,
    body: Bytes,
    gzip: Bytes,
    etag: HeaderValue,
}

impl Page {
    fn size(&self, key: &str) -> usize {
        key.len() + self.body.len() + self.gzip.len() + 512
    }

    fn respond(&self, held: Option<&str>, gzip: bool) -> Response {
        let tag = self.etag.to_str().unwrap_or_default();
        let mut response = if held.is_some_and(|held| matches_tag(held, tag)) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            let body = if gzip { self.gzip.clone() } else { self.body.clone() };
            let mut response = Response::new(Body::from(body));
            *response.headers_mut() = self.headers.clone();
            if gzip {
                response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, SHARED);
        headers.insert(header::VARY, VARY);
        response
    }
}

/// The kept pages, within a budget of bytes.
pub struct PageCache {
    pages: RwLock<HashMap<String, Arc<Page>>>,
    bytes: AtomicUsize,
    budget: usize,
    positions: Arc<PositionReader>,
}

impl PageCache {
    pub fn new(budget: usize, positions: Arc<PositionReader>) -> Self {
        PageCache { pages: RwLock::new(HashMap::new()), bytes: AtomicUsize::new(0), budget, positions }
    }

    fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(key).cloned()
    }

    /// Keeps a page. Over budget, pages rendered before the newest change go first (they would
    /// be rendered again anyway), then any others, until it fits.
    fn put(&self, key: String, page: Arc<Page>) {
        let size = page.size(&key);
        if size > self.budget {
            return;
        }
        let mut pages = self.pages.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(old) = pages.insert(key.clone(), page.clone()) {
            self.bytes.fetch_sub(old.size(&key), Ordering::Relaxed);
        }
        let mut bytes = self.bytes.fetch_add(size, Ordering::Relaxed) + size;
        if bytes > self.budget {
            let current = page.at;
            pages.retain(|k, p| {
                let keep = p.at == current || bytes <= self.budget;
                if !keep {
                    bytes -= p.size(k);
                }
                keep
            });
            pages.retain(|k, p| {
                let keep = k == &key || bytes <= self.budget;
                if !keep {
                    bytes -= p.size(k);
                }
                keep
            });
            self.bytes.store(bytes, Ordering::Relaxed);
        }
    }

    /// How many pages are kept, and their bytes: for tests and the benchmark.
    pub fn usage(&self) -> (usize, usize) {
        (self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner()).len(), self.bytes.load(Ordering::Relaxed))
    }
}

/// Serves kept pages to anonymous readers, keeps the pages they are sent, and marks every other
/// page private.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (Some(cache), Some(key)) = (state.pages.as_ref(), cache_key(&request)) else { return private(next.run(request).await) };
    let Some(now) = cache.positions.read().await else { return private(next.run(request).await) };
    let held = request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
    let gzip = accepts_gzip(request.headers());
    if let Some(page) = cache.get(&key).filter(|page| page.at == now) {
        return page.respond(held.as_deref(), gzip);
    }
    let response = next.run(request).await;
    if !keepable(&response) {
        return private(response);
    }
    let (parts, body) = match whole_if_small(response).await {
        Ok(page) => page,
        Err(too_large) => return private(too_large),
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let page = Arc::new(Page { at: now, etag: etag(&body), gzip: compress(&body), body, headers });
    cache.put(key, page.clone());
    page.respond(held.as_deref(), gzip)
}

/// The address of a page an anonymous reader asks for, or `None` where the answer may depend on
/// who asks or is not a page.
fn cache_key(request: &Request) -> Option<String> {
    if request.method() != Method::GET {
        return None;
    }
    let signed_in = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim_start().starts_with(SESSION_COOKIE) && c.trim_start()[SESSION_COOKIE.len()..].starts_with('='));
    let path = request.uri().path();
    // An unsubscribe page belongs to the one person whose token it carries.
    let not_pages = ["/pkg/", "/api/", "/fn/", "/data/", "/feeds/", "/auth/", "/unsubscribe/", "/dev/"];
    let a_file = path.rsplit('/').next().is_some_and(|last| last.contains('.'));
    if signed_in || a_file || not_pages.iter().any(|p| path.starts_with(p)) || matches!(path, "/healthz" | "/readyz") {
        return None;
    }
    let key = request.uri().path_and_query().map_or(path, |pq| pq.as_str());
    (key.len() <= MAX_KEY).then(|| key.to_string())
}

fn keepable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CACHE_CONTROL)
        && !headers.contains_key(header::CONTENT_ENCODING)
        && response.extensions().get::<FormTokenHandedOut>().is_none()
}

/// A rendered page's head and bytes, to keep; or, over `MAX_PAGE`, the page to send unkept.
async fn whole_if_small(response: Response) -> Result<(axum::http::response::Parts, Bytes), Response> {
    let (parts, body) = response.into_parts();
    // Every page has passed through `page_markup::tidy`, which holds it whole within its limit.
    match to_bytes(body, crate::page_markup::MAX_PAGE_BYTES).await {
        Ok(bytes) if bytes.len() <= MAX_PAGE => Ok((parts, bytes)),
        Ok(bytes) => Err(Response::from_parts(parts, Body::from(bytes))),
        Err(error) => {
            tracing::error!(%error, "a page could not be read whole");
            Err(Response::from_parts(parts, Body::empty()))
        }
    }
}

/// Pages not kept may show who is signed in, or carry their form token: no shared cache keeps them.
fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let html = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if html && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, PRIVATE);
        headers.insert(header::VARY, VARY);
    }
    response
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|coding| {
        let mut parts = coding.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|p| matches!(p.trim().replace(' ', "").as_str(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

/// A strong tag: the kept bytes are the same for everyone until the page is rendered again.
fn etag(body: &[u8]) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", digest(body))).unwrap_or(HeaderValue::from_static("\"\""))
}

fn compress(body: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    Bytes::from(encoder.finish().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str, cookie: Option<&str>) -> Request {
        let mut request = Request::builder().uri(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::empty()).expect("a request")
    }

    #[tokio::test]
    async fn a_page_too_large_to_keep_is_sent_whole() {
        let page = |size: usize| Response::new(Body::from(vec![b'a'; size]));
        assert_eq!(whole_if_small(page(MAX_PAGE)).await.map(|(_, bytes)| bytes.len()).ok(), Some(MAX_PAGE));
        let Err(sent) = whole_if_small(page(MAX_PAGE + 1)).await else { panic!("a page over the limit is not kept") };
        assert_eq!(to_bytes(sent.into_body(), usize::MAX).await.map(|b| b.len()).ok(), Some(MAX_PAGE + 1));
    }

    #[test]
    fn only_anonymous_page_requests_are_kept() {
        assert_eq!(cache_key(&get("/case-studies?phase=live", None)).as_deref(), Some("/case-studies?phase=live"));
        assert_eq!(cache_key(&get("/", Some("casebook_csrf=abc"))).as_deref(), Some("/"), "a form token cookie is no session");
        assert_eq!(cache_key(&get("/", Some("a=1; casebook_session=xyz"))), None);
        for not_a_page in ["/pkg/casebook.css", "/api/v1/patterns", "/data/case-studies.csv", "/catalog.ttl", "/healthz"] {
            assert_eq!(cache_key(&get(not_a_page, None)), None, "{not_a_page}");
        }
        assert_eq!(cache_key(&get(&format!("/search?q={}", "a".repeat(MAX_KEY)), None)), None);
        let post = Request::builder().method(Method::POST).uri("/").body(Body::empty()).expect("a request");
        assert_eq!(cache_key(&post), None);
    }

    #[test]
    fn gzip_is_sent_only_to_those_who_take_it() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("a value"));
            accepts_gzip(&headers)
        };
        assert!(with("gzip, deflate, br"));
        assert!(with("br;q=1.0, gzip;q=0.8"));
        assert!(!with("gzip;q=0"));
        assert!(!with("br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn over_budget_the_oldest_renders_go_first() {
        let reader = PositionReader::new(casebook_domain::db::DatabaseConnection::default(), String::new());
        let body = Bytes::from(vec![b'x'; 1000]);
        let page = |log| {
            Arc::new(Page {
                at: Positions { log, search: 0 },
                headers: HeaderMap::new(),
                body: body.clone(),
                gzip: Bytes::new(),
                etag: etag(&body),
            })
        };
        let cache = PageCache::new(3 * page(0).size("/a"), reader);
        cache.put("/a".into(), page(1));
        cache.put("/b".into(), page(2));
        cache.put("/c".into(), page(2));
        assert_eq!(cache.usage().0, 3);
        cache.put("/d".into(), page(2));
        assert!(cache.get("/a").is_none(), "rendered before the newest change");
        assert!(cache.get("/d").is_some());
        assert!(cache.usage().1 <= 3 * page(0).size("/a"));
    }
}
