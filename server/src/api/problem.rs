//! Errors as `application/problem+json` (RFC 9457), from the one table in `ErrorKind::explain`.
use std::collections::BTreeMap;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use casebook_domain::{DomainError, ErrorKind};
use serde::Serialize;
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// What went wrong, for programs (`code`, `status`) and people (`title`, `detail`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Where the kind of error is described.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    /// A stable word a program can match on: `not_found`, `invalid`, ...
    pub code: &'static str,
    /// For invalid parameters: each one's name and what is wrong with it.
    pub errors: BTreeMap<String, String>,
}

impl Problem {
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        let explained = kind.explain();
        Problem {
            kind: format!("/developers#error-{}", explained.code),
            title: explained.title,
            status: explained.status,
            detail: detail.into(),
            code: explained.code,
            errors: BTreeMap::new(),
        }
    }

    /// A request the API cannot read at all (an unknown parameter value, a bad cursor).
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem { status: 400, title: "The request could not be read", ..Problem::new(ErrorKind::Invalid, detail) }
    }

    pub fn with_errors(mut self, errors: BTreeMap<String, String>) -> Self {
        self.errors = errors;
        self
    }
}

impl From<DomainError> for Problem {
    fn from(error: DomainError) -> Self {
        let kind = error.kind();
        match kind {
            ErrorKind::Internal | ErrorKind::Unavailable(_) => tracing::error!(%error, "API request failed"),
            _ => {}
        }
        let problem = Problem::new(kind, kind.explain().message);
        match error {
            DomainError::Invalid(errors) => problem.with_errors(errors.0.into_iter().map(|e| (e.field, e.message)).collect()),
            _ => problem,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response()
    }
}
