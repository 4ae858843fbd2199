//! What every response tells the browser about this site, and the refusal of state-changing
//! requests that another site started.
//!
//! The Content-Security-Policy allows scripts, styles, images and connections from this site
//! alone: the islands load from a file (`/islands.js`), so no inline script needs a nonce or a
//! hash, and `'wasm-unsafe-eval'` is the one allowance WebAssembly needs. Stories cannot show
//! third-party images (trackers), and no page can be framed.
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::page_markup::InlineScripts;
use crate::AppState;

const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; font-src 'self'; \
                   connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()";
/// Two years, as the HSTS preload list asks.
const HSTS: &str = "max-age=63072000; includeSubDomains";

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    // A page that hands resources to its islands keeps their inline scripts, allowed by hash.
    let csp = match response.extensions().get::<InlineScripts>() {
        Some(InlineScripts(hashes)) => HeaderValue::from_str(&CSP.replace("script-src 'self'", &format!("script-src 'self' {hashes}")))
            .unwrap_or(HeaderValue::from_static(CSP)),
        None => HeaderValue::from_static(CSP),
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(HeaderName::from_static("permissions-policy"), PERMISSIONS);
    set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if state.secure_cookies {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

/// Refuses any request but GET and HEAD that a browser says came from another site, before
/// anything reads it: every form post and server function is safe by default, whatever its own
/// checks. Browsers send `Sec-Fetch-Site`; older ones send `Origin`, which must then be this
/// site's. Requests with neither come from programs, which carry no one's cookies.
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // A mail program's one-click unsubscribe (RFC 8058) posts from wherever it runs, and its
    // token is all the authority it carries.
    let one_click = request.uri().path().starts_with("/unsubscribe/");
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) || one_click || is_same_site(&request, &state.public_url) {
        return next.run(request).await;
    }
    tracing::warn!(
        path = request.uri().path(),
        origin = ?request.headers().get(header::ORIGIN),
        fetch_site = ?request.headers().get("sec-fetch-site"),
        "cross-site request refused"
    );
    let explained = (
        StatusCode::FORBIDDEN,
        axum::response::Html(crate::error::page(
            "This request came from another site",
            "Casebook only accepts changes sent from its own pages. Go back to Casebook and try again there.",
            ("/", "Go to the home page"),
        )),
    );
    explained.into_response()
}

fn is_same_site(request: &Request, public_url: &str) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        // "none": the person typed the address or used a bookmark.
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
            origin == public_url
                || origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")).is_some_and(|o| !host.is_empty() && o == host)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut request = Request::builder().method(Method::POST).uri("/fn/account").header(header::HOST, "casebook.example");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::empty()).expect("a request")
    }

    #[test]
    fn only_this_sites_pages_may_change_things() {
        let public = "https://casebook.example";
        assert!(is_same_site(&post(&[("sec-fetch-site", "same-origin")]), public));
        assert!(is_same_site(&post(&[]), public), "programs send neither header");
        assert!(is_same_site(&post(&[("origin", "https://casebook.example")]), public));
        for refused in [
            vec![("sec-fetch-site", "cross-site")],
            vec![("sec-fetch-site", "same-site")],
            vec![("origin", "https://evil.example")],
            vec![("origin", "null")],
            vec![("sec-fetch-site", "cross-site"), ("origin", "https://casebook.example")],
        ] {
            assert!(!is_same_site(&post(&refused), public), "{refused:?}");
        }
    }
}
