//! Which requests count against which limit (`casebook_domain::rate_limits::Action`), asked
//! before any handler does any work: every form post and server function, and anonymous
//! searches and API calls. A refusal is a 429 with `Retry-After`: problem+json for the API, an
//! error page elsewhere, and for the case study form the form itself with every answer kept.
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use casebook_app::api::ApiError;
use casebook_app::request::RequestState;
use casebook_domain::rate_limits::{self, Action, Asker};
use casebook_domain::{paths, DomainError, ErrorKind};

use crate::api::Problem;
use crate::error::HttpError;
use crate::security::client_address;
use crate::AppState;

/// A form refused for its rate whose handler shows it again with every answer (the case study
/// form and the profile): nothing typed is lost to a limit.
#[derive(Clone, Copy, Debug)]
pub struct SaveRefused {
    pub retry_after: i64,
}

impl SaveRefused {
    /// What the form says above its answers.
    pub fn message(self) -> String {
        format!(
            "You have saved many times in a short while, so this was not saved. Your answers are below: save again in {} seconds.",
            self.retry_after.max(1)
        )
    }

    /// The status and header of the page that shows the form again.
    pub fn mark(self, response: &mut Response) {
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        with_retry_after(response, self.retry_after);
    }
}

/// The forms whose handlers show themselves again when refused for their rate.
fn shows_answers_again(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    matches!(parts.as_slice(), ["case-studies", "new"] | ["case-studies", _, "edit"] | ["account"])
}

/// The one table from a request to what it counts against; `None` for what is not limited.
pub fn action_for(method: &Method, path: &str, signed_in: bool) -> Option<Action> {
    // Every request passes here: a signed-in person's reads are not limited, and cost nothing.
    if signed_in && method != Method::POST {
        return None;
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if method == Method::POST {
        return match parts.as_slice() {
            ["case-studies", "new"] | ["case-studies", _, "edit"] => Some(Action::SaveCaseStudy),
            // Submitting, withdrawing and reporting (reports count as `Report` too, in the handler).
            ["case-studies", _] => Some(Action::Submission),
            ["networks", "new"] | ["networks", _, "edit"] => Some(Action::NetworkChange),
            ["networks", _] | ["networks", _, "members"] => Some(Action::Membership),
            ["networks", _, "review"] => Some(Action::Submission),
            ["collections", ..] => Some(Action::CollectionChange),
            ["auth", _, "link"] => Some(Action::SignInStart),
            ["account"] | ["account", "delete"] => Some(Action::ProfileSave),
            ["following"] | ["notifications"] => Some(Action::Follow),
            ["unsubscribe", _] => Some(Action::Unsubscribe),
            // Asking for a paused dataset's check: it fetches from the portal, as a look-up does.
            ["datasets", "health"] => Some(Action::LookUpDataset),
            _ if path == paths::IMPORT || path == paths::IMPORT_CONFIRM => Some(Action::Import),
            ["fn", name] if name.starts_with("preview_markdown") => Some(Action::Preview),
            ["fn", name] if name.starts_with("reorder_collection") => Some(Action::CollectionChange),
            ["fn", ..] if !signed_in => Some(Action::Api),
            ["api", "v1", ..] if !signed_in => Some(Action::Api),
            _ => None,
        };
    }
    match parts.as_slice() {
        ["search"] | ["api", "v1", "search"] => Some(Action::Search),
        ["unsubscribe", _] => Some(Action::Unsubscribe),
        ["api", "v1", ..] => Some(Action::Api),
        _ => None,
    }
}

/// The middleware: counts the request and refuses it once over a limit.
pub async fn refuse_floods(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let viewer = request.extensions().get::<RequestState>().and_then(|s| s.viewer.as_ref().map(|v| v.user_id));
    let Some(action) = action_for(request.method(), request.uri().path(), viewer.is_some()) else { return next.run(request).await };
    if state.rate_limit_scale == 0 {
        return next.run(request).await;
    }
    let address = client_address(request.headers(), request.extensions(), state.behind_proxy);
    let asker = Asker { user_id: viewer, address: Some(&address) };
    let counted = if action.read() {
        state.read_tally.check(&state.db, action, &asker, state.rate_limit_scale).await
    } else {
        rate_limits::check(&state.db, action, &asker, state.rate_limit_scale).await
    };
    let Err(error) = counted else { return next.run(request).await };
    let retry_after = match error {
        DomainError::RateLimited { retry_after } => retry_after,
        _ => 60,
    };
    tracing::warn!(action = action.name(), address, user = viewer, "rate limited");
    if viewer.is_some() && shows_answers_again(request.uri().path()) {
        request.extensions_mut().insert(SaveRefused { retry_after });
        return next.run(request).await;
    }
    refusal(request.uri().path(), retry_after)
}

/// A 429 in the shape the route answers in, saying when to come back.
fn refusal(path: &str, retry_after: i64) -> Response {
    let error = DomainError::RateLimited { retry_after };
    let mut response = if path.starts_with("/api/") {
        Problem::from(error).into_response()
    } else if path.starts_with("/fn/") {
        let kind = ErrorKind::RateLimited;
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(ApiError { kind, message: kind.explain().message.to_string() })).into_response()
    } else {
        HttpError::Domain(error).into_response()
    };
    with_retry_after(&mut response, retry_after);
    response
}

pub fn with_retry_after(response: &mut Response, retry_after: i64) {
    if let Ok(value) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_write_counts_against_a_limit_and_anonymous_reads_of_search_and_the_api_too() {
        let post = |path: &str| action_for(&Method::POST, path, true);
        assert_eq!(post("/case-studies/new"), Some(Action::SaveCaseStudy));
        assert_eq!(post("/case-studies/bins/edit"), Some(Action::SaveCaseStudy));
        assert_eq!(post("/case-studies/bins"), Some(Action::Submission));
        assert_eq!(post("/networks/new"), Some(Action::NetworkChange));
        assert_eq!(post("/networks/lgd"), Some(Action::Membership));
        assert_eq!(post("/networks/lgd/members"), Some(Action::Membership));
        assert_eq!(post("/networks/lgd/review"), Some(Action::Submission));
        assert_eq!(post("/collections/add"), Some(Action::CollectionChange));
        assert_eq!(post("/account"), Some(Action::ProfileSave));
        assert_eq!(post("/import"), Some(Action::Import));
        assert_eq!(post("/import/confirm"), Some(Action::Import));
        assert_eq!(post("/fn/preview_markdown"), Some(Action::Preview));
        assert_eq!(post("/auth/github/link"), Some(Action::SignInStart));
        assert_eq!(post("/sign-out"), None);
        let get = |path: &str, signed_in| action_for(&Method::GET, path, signed_in);
        assert_eq!(get("/search", false), Some(Action::Search));
        assert_eq!(get("/api/v1/search", false), Some(Action::Search));
        assert_eq!(get("/api/v1/case-studies", false), Some(Action::Api));
        assert_eq!(get("/api/v1/case-studies", true), None);
        assert_eq!(get("/case-studies", false), None);
    }
}
