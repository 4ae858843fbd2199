//! Sessions and forms: who is signed in, and proof that a posted form came from this site.
//!
//! The session cookie holds a random id signed with the server's key; the session itself lives
//! in the database. Every form carries a token that must equal the one in a signed, SameSite
//! cookie of its own (double submit), so a form posted from another site is refused.
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, SameSite, SignedCookieJar};
use casebook_app::request::RequestState;
use casebook_domain::identity::{random_token, SessionPolicy};
use casebook_domain::views::Viewer;
use casebook_domain::DomainError;
use cookie::time::Duration;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::HttpError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "casebook_session";
const CSRF_COOKIE: &str = "casebook_csrf";
/// The largest form accepted: a full story in multi-byte characters, with room for the rest.
const MAX_FORM_BYTES: usize = 1024 * 1024;

fn cookie(name: &'static str, value: String, secure: bool, same_site: SameSite) -> Cookie<'static> {
    Cookie::build((name, value)).path("/").http_only(true).secure(secure).same_site(same_site).build()
}

pub fn session_cookie(token: String, secure: bool, policy: SessionPolicy) -> Cookie<'static> {
    let mut cookie = cookie(SESSION_COOKIE, token, secure, SameSite::Lax);
    cookie.set_max_age(Some(Duration::seconds(policy.absolute.num_seconds())));
    cookie
}

pub fn removal_cookie() -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE).path("/").build()
}

/// Finds who is signed in and the form token, for handlers and pages alike; issues the form
/// token cookie on a first visit.
pub async fn load_request_state(State(state): State<AppState>, jar: SignedCookieJar, mut request: Request, next: Next) -> Response {
    // Stylesheets, scripts and WASM are the same for everyone: no session to look up.
    if request.uri().path().starts_with("/pkg/") {
        return next.run(request).await;
    }
    let viewer = match jar.get(SESSION_COOKIE) {
        Some(session) => match casebook_domain::identity::session_viewer(&state.db, session.value(), state.session_policy).await {
            Ok(viewer) => viewer,
            Err(error) => {
                tracing::error!(%error, "could not read the session");
                None
            }
        },
        None => None,
    };
    let existing = jar.get(CSRF_COOKIE).map(|c| c.value().to_string()).filter(|t| t.len() == 64);
    let csrf_token = existing.clone().unwrap_or_else(random_token);
    request.extensions_mut().insert(RequestState { viewer, csrf_token: csrf_token.clone() });
    let response = next.run(request).await;
    if existing.is_some() {
        return response;
    }
    // Lax, not Strict: a visit from a link on another site must not replace the token that forms
    // already open in other tabs carry. Cross-site posts still arrive without it.
    let jar = jar.add(cookie(CSRF_COOKIE, csrf_token, state.secure_cookies, SameSite::Lax));
    (jar, response).into_response()
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf_token: String,
}

/// A posted form, read whole, with whether its token matched.
pub struct PostedForm<T> {
    pub parts: Parts,
    pub fields: T,
    pub token_matches: bool,
}

pub async fn read_form<T: DeserializeOwned>(request: Request) -> Result<PostedForm<T>, HttpError> {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES).await.map_err(|e| HttpError::BadForm(e.to_string()))?;
    let expected = parts.extensions.get::<RequestState>().map(|s| s.csrf_token.clone()).unwrap_or_default();
    let token: Token = serde_html_form::from_bytes(&bytes).map_err(|e| HttpError::BadForm(e.to_string()))?;
    let fields: T = serde_html_form::from_bytes(&bytes).map_err(|e| HttpError::BadForm(e.to_string()))?;
    let token_matches = !expected.is_empty() && constant_time_eq(token.csrf_token.as_bytes(), expected.as_bytes());
    Ok(PostedForm { parts, fields, token_matches })
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A path on this site to return to after signing in; anything else becomes the home page.
pub fn safe_return_path(requested: &str) -> &str {
    let ok = requested.starts_with('/')
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
