//! Extractors that answer a request they cannot read with a problem, as the document says,
//! rather than axum's plain-text rejection.
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::Problem;

pub struct ApiQuery<T>(pub T);

/// Parameters that take a number or a vocabulary term, where an empty value is a mistake.
const NOT_EMPTY: &[&str] = &["limit", "page", "phase", "service_area"];

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let query = parts.uri.query().unwrap_or_default();
        // An empty value would read as no value at all, hiding a mistake.
        let pairs: Vec<(String, String)> = serde_html_form::from_str(query).unwrap_or_default();
        if let Some((key, _)) = pairs.iter().find(|(k, v)| NOT_EMPTY.contains(&k.as_str()) && v.is_empty()) {
            return Err(Problem::bad_request(format!("`{key}` must not be empty")));
        }
        serde_html_form::from_str(query)
            .map(ApiQuery)
            .map_err(|error| Problem::bad_request(format!("The query string could not be read: {error}")))
    }
}

pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|error| Problem::bad_request(error.body_text()))
    }
}

/// A page size: 1 to 100, 20 when not given.
pub fn limit(given: Option<u64>) -> Result<u64, Problem> {
    match given {
        None => Ok(20),
        Some(n @ 1..=100) => Ok(n),
        Some(_) => Err(Problem::bad_request("`limit` must be from 1 to 100")),
    }
}

/// A cursor from a page's `next_cursor`: a position, in digits; empty for the first page.
pub fn cursor(given: Option<&str>) -> Result<Option<u64>, Problem> {
    match given {
        None | Some("") => Ok(None),
        Some(c) if (1..=18).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()) => Ok(c.parse().ok()),
        Some(_) => Err(Problem::bad_request("`cursor` must be a `next_cursor` from an earlier page")),
    }
}
