//! Sessions and forms: who is signed in, and proof that a posted form came from this site.
//!
//! The session cookie holds a random id signed with the server's key; the session itself lives
//! in the database. Every form carries a token that must equal the one in a signed, SameSite
//! cookie of its own (double submit), so a form posted from another site is refused.
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, SameSite, SignedCookieJar};
use casebook_app::request::{FormToken, RequestState};
use casebook_domain::identity::{random_token, SessionPolicy};
use casebook_domain::views::Viewer;
use casebook_domain::DomainError;
use cookie::time::Duration;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::HttpError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "casebook_session";
/// The form token's cookie. Over https it carries the `__Host-` prefix, which browsers keep to
/// cookies set Secure, for the whole site, by the site itself: a sibling subdomain cannot plant one.
fn csrf_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-casebook_csrf"
    } else {
        "casebook_csrf"
    }
}
/// The largest case study form accepted: a full story in multi-byte characters, percent-encoded,
/// with room for the rest.
pub const CASE_STUDY_FORM_BYTES: usize = 1024 * 1024;
/// Every other form: a profile, or a token and a choice.
pub const SMALL_FORM_BYTES: usize = 64 * 1024;

fn cookie(name: &'static str, value: String, secure: bool, same_site: SameSite) -> Cookie<'static> {
    Cookie::build((name, value)).path("/").http_only(true).secure(secure).same_site(same_site).build()
}

pub fn session_cookie(token: String, secure: bool, policy: SessionPolicy) -> Cookie<'static> {
    let mut cookie = cookie(SESSION_COOKIE, token, secure, SameSite::Lax);
    cookie.set_max_age(Some(Duration::seconds(policy.absolute.num_seconds())));
    cookie
}

/// The cookies of a new sign-in: the session, and a new form token, so that a token planted or
/// seen before sign-in is worth nothing after it.
pub fn signed_in_cookies(jar: SignedCookieJar, session: String, state: &AppState) -> SignedCookieJar {
    jar.add(session_cookie(session, state.secure_cookies, state.session_policy)).add(cookie(
        csrf_cookie(state.secure_cookies),
        random_token(),
        state.secure_cookies,
        SameSite::Lax,
    ))
}

pub fn removal_cookie() -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE).path("/").build()
}

/// Finds who is signed in and the form token, for handlers and pages alike; issues the form
/// token cookie on a first visit to a page with a form.
pub async fn load_request_state(State(state): State<AppState>, jar: SignedCookieJar, mut request: Request, next: Next) -> Response {
    // Stylesheets, scripts and WASM are the same for everyone: no session to look up.
    if request.uri().path().starts_with("/pkg/") || request.uri().path() == "/islands.js" {
        return next.run(request).await;
    }
    let (viewer, now) = match jar.get(SESSION_COOKIE) {
        Some(session) => match casebook_domain::identity::session_viewer(&state.db, session.value(), state.session_policy).await {
            Ok(found) => found,
            Err(error) => {
                tracing::error!(%error, "could not read the session");
                Default::default()
            }
        },
        None => Default::default(),
    };
    let existing = jar.get(csrf_cookie(state.secure_cookies)).map(|c| c.value().to_string()).filter(|t| t.len() == 64);
    let had_one = existing.is_some();
    let token = FormToken::new(existing.unwrap_or_else(random_token));
    request.extensions_mut().insert(RequestState { viewer, form_token: token.clone(), now: Arc::new(now) });
    let mut response = next.run(request).await;
    if !token.handed_out() {
        return response;
    }
    response.extensions_mut().insert(FormTokenHandedOut);
    if had_one {
        return response;
    }
    // Lax, not Strict: a visit from a link on another site must not replace the token that forms
    // already open in other tabs carry. Cross-site posts still arrive without it.
    let jar = jar.add(cookie(csrf_cookie(state.secure_cookies), token.expected().to_string(), state.secure_cookies, SameSite::Lax));
    (jar, response).into_response()
}

/// Marks a response whose page carries the browser's form token: it is that browser's alone.
#[derive(Clone, Copy, Debug)]
pub struct FormTokenHandedOut;

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf_token: String,
}

/// A posted form, read whole within `LIMIT` bytes, with whether its token matched. Only a
/// handler that must keep the answers when the token did not match (the case study form) takes
/// this; the rest take `CsrfForm`.
pub struct PostedForm<T, const LIMIT: usize = SMALL_FORM_BYTES> {
    pub parts: Parts,
    pub fields: T,
    pub token_matches: bool,
}

impl<T: DeserializeOwned, S: Send + Sync, const LIMIT: usize> FromRequest<S> for PostedForm<T, LIMIT> {
    type Rejection = HttpError;

    async fn from_request(request: Request, _: &S) -> Result<Self, HttpError> {
        let (parts, body) = request.into_parts();
        let bytes = read_body(&parts, body, LIMIT).await?;
        let token: Token = serde_html_form::from_bytes(&bytes).map_err(|e| HttpError::BadForm(e.to_string()))?;
        let fields: T = serde_html_form::from_bytes(&bytes).map_err(|e| HttpError::BadForm(e.to_string()))?;
        let token_matches = token_matches(&parts, &token.csrf_token);
        Ok(PostedForm { parts, fields, token_matches })
    }
}

/// Whether `token` is the form token this browser's pages carry, compared whole.
pub fn token_matches(parts: &Parts, token: &str) -> bool {
    let expected = parts.extensions.get::<RequestState>().map(|s| s.form_token.expected().to_string()).unwrap_or_default();
    !expected.is_empty() && constant_time_eq(token.as_bytes(), expected.as_bytes())
}

/// A form posted from one of this site's pages: one whose token does not match is refused before
/// the handler runs.
pub struct CsrfForm<T> {
    pub parts: Parts,
    pub fields: T,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, HttpError> {
        let PostedForm::<T> { parts, fields, token_matches } = PostedForm::from_request(request, state).await?;
        if token_matches {
            Ok(CsrfForm { parts, fields })
        } else {
            Err(HttpError::Csrf)
        }
    }
}

/// The person signed in; for anyone else the handler does not run and they are asked to sign in.
pub struct SignedIn(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        Ok(SignedIn(signed_in(parts)?))
    }
}

/// The whole body, refused before it is read when its stated length is over `limit`, and as soon
/// as it grows past it otherwise.
pub async fn read_body(parts: &Parts, body: Body, limit: usize) -> Result<axum::body::Bytes, HttpError> {
    let stated = parts.headers.get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if stated.is_some_and(|length| length > limit as u64) {
        return Err(HttpError::TooLarge(limit));
    }
    // The only way reading a body of allowed length fails is the limit, or the client leaving.
    to_bytes(body, limit).await.map_err(|_| HttpError::TooLarge(limit))
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The longest return path kept: longer than any page's address with its filters.
const MAX_RETURN_PATH: usize = 1000;

/// A path on this site to return to after signing in; anything else becomes the home page.
pub fn safe_return_path(requested: &str) -> &str {
    let ok = requested.len() <= MAX_RETURN_PATH
        && requested.starts_with('/')
        && !requested.starts_with("//")
        && !requested.starts_with("/\\")
        && !requested.chars().any(|c| c.is_control() || c == '\\');
    if ok {
        requested
    } else {
        "/"
    }
}

/// The person signed in for this request, or `Unauthenticated`.
pub fn signed_in(parts: &Parts) -> Result<Viewer, HttpError> {
    Ok(parts.extensions.get::<RequestState>().and_then(|s| s.viewer.clone()).ok_or(DomainError::Unauthenticated)?)
}

/// Where a request comes from, for rate limits (`rate_limits::address_key`: IPv6 by its /64).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(&parts.headers, &parts.extensions, state.behind_proxy)))
    }
}

/// The connection's address, or behind a proxy the address the proxy appended last to
/// `X-Forwarded-For` (earlier ones are the client's to say).
pub fn client_address(headers: &axum::http::HeaderMap, extensions: &axum::http::Extensions, behind_proxy: bool) -> String {
    let forwarded = || headers.get("x-forwarded-for")?.to_str().ok()?.rsplit(',').next()?.trim().parse::<std::net::IpAddr>().ok();
    let connected = || extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let address = if behind_proxy { forwarded().or_else(connected) } else { connected() };
    address.map_or_else(|| "unknown".to_string(), casebook_domain::rate_limits::address_key)
}

/// For form posts that carry nothing but their token.
#[derive(Deserialize)]
pub struct NoFields {}

pub fn empty_request(parts: Parts) -> Request {
    Request::from_parts(parts, Body::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_are_returned_to() {
        assert_eq!(safe_return_path("/case-studies/new"), "/case-studies/new");
        assert_eq!(safe_return_path("/case-studies?phase=live"), "/case-studies?phase=live");
        for hostile in ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", "/\n/evil", "/a\\b"] {
            assert_eq!(safe_return_path(hostile), "/", "{hostile:?}");
        }
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert_eq!(random_token().len(), 64);
    }
}
