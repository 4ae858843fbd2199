//! Why a sign-in was refused: each reason gets a clear page and a log line, and no session.
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use casebook_domain::identity::AttemptError;
use casebook_domain::{DomainError, ErrorKind};

use crate::error::{page, status_of};

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("no enabled provider {0:?}")]
    UnknownProvider(String),
    #[error("the provider answered with error {error:?}: {description}")]
    ProviderRefused { provider: String, error: String, description: String },
    #[error("the callback had no {0}")]
    Incomplete(&'static str),
    #[error("the callback's state does not belong to this browser")]
    OtherBrowser,
    #[error(transparent)]
    Attempt(#[from] AttemptError),
    #[error("{provider} could not be reached: {detail}")]
    Unreachable { provider: String, timed_out: bool, detail: String },
    #[error("{provider} refused the authorization code: {detail}")]
    CodeRefused { provider: String, detail: String },
    #[error("{provider} answered with something unusable: {detail}")]
    ProviderBroken { provider: String, detail: String },
    #[error("the ID token failed verification: {0}")]
    InvalidIdToken(String),
    #[error("linking needs the person who started it to be signed in")]
    NotLinker,
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl SignInError {
    fn status_and_text(&self) -> (StatusCode, &'static str, String) {
        const AGAIN: &str = "You have not been signed in. Go back to the sign-in page and start again.";
        match self {
            SignInError::UnknownProvider(_) => {
                (StatusCode::NOT_FOUND, "That way of signing in is not available", "Choose one of the options on the sign-in page.".into())
            }
            SignInError::ProviderRefused { provider, error, .. } if error == "access_denied" => (
                StatusCode::BAD_REQUEST,
                "Sign-in was cancelled",
                format!("{provider} did not sign you in, because access was not allowed. You can try again or choose another way to sign in."),
            ),
            SignInError::ProviderRefused { provider, error, .. } => (
                StatusCode::BAD_REQUEST,
                "Sign-in did not work",
                format!("{provider} reported a problem ({error}). {AGAIN}"),
            ),
            SignInError::Incomplete(_) | SignInError::OtherBrowser | SignInError::Attempt(_) => (
                StatusCode::BAD_REQUEST,
                "This sign-in link has expired",
                format!(
                    "Sign-in links work once, for 10 minutes, in the browser that started them. This one was used already, has expired or came from somewhere else. {AGAIN}"
                ),
            ),
            SignInError::Unreachable { provider, timed_out: true, .. } => (
                StatusCode::GATEWAY_TIMEOUT,
                "Sign-in is taking too long",
                format!("{provider} did not answer in time. Try again in a few minutes."),
            ),
            SignInError::Unreachable { provider, .. } | SignInError::ProviderBroken { provider, .. } => (
                StatusCode::BAD_GATEWAY,
                "Sign-in is not working at the moment",
                format!("We could not complete signing in with {provider}. Try again in a few minutes, or choose another way to sign in."),
            ),
            SignInError::CodeRefused { provider, .. } => (
                StatusCode::BAD_REQUEST,
                "Sign-in did not work",
                format!("{provider} would not confirm this sign-in; the link may have been used already. {AGAIN}"),
            ),
            SignInError::InvalidIdToken(_) => (
                StatusCode::BAD_REQUEST,
                "We could not check who you are",
                format!("The sign-in provider's answer failed our security checks. {AGAIN}"),
            ),
            SignInError::NotLinker => (
                StatusCode::FORBIDDEN,
                "Sign in to link an account",
                "Linking another account needs you to be signed in, in the same browser, as the person who started it.".into(),
            ),
            SignInError::Domain(DomainError::Conflict(message)) => (StatusCode::CONFLICT, "That account is already in use", message.clone()),
            SignInError::Domain(error) => {
                if error.kind() == ErrorKind::Internal {
                    tracing::error!(%error, "sign-in failed on our side");
                }
                let explained = error.kind().explain();
                (status_of(error.kind()), explained.title, format!("You have not been signed in. {}", explained.message))
            }
        }
    }
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        tracing::warn!(reason = %self, "sign-in refused");
        let (status, title, message) = self.status_and_text();
        let mut response = (status, Html(page(title, &message, ("/sign-in", "Go back to the sign-in page")))).into_response();
        if let SignInError::Domain(DomainError::RateLimited { retry_after }) = self {
            crate::rate_limits::with_retry_after(&mut response, retry_after);
        }
        response
    }
}

fn causes<'a>(error: &'a (dyn std::error::Error + 'static)) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |e| e.source())
}

/// A failed request to a provider: whether it timed out (wherever in the chain of causes, which
/// oauth2 wraps in a `Box`), and the whole chain for the log.
pub fn unreachable(provider: &str, error: &(dyn std::error::Error + 'static)) -> SignInError {
    let timed_out = causes(error).any(|e| {
        e.downcast_ref::<reqwest::Error>()
            .or_else(|| e.downcast_ref::<Box<reqwest::Error>>().map(|b| &**b))
            .is_some_and(reqwest::Error::is_timeout)
    });
    let detail = causes(error).map(|e| e.to_string()).collect::<Vec<_>>().join(": ");
    SignInError::Unreachable { provider: provider.to_string(), timed_out, detail }
}

/// A provider answered, but with something that cannot be used.
pub fn broken(provider: &str, detail: impl std::fmt::Display) -> SignInError {
    SignInError::ProviderBroken { provider: provider.to_string(), detail: detail.to_string() }
}
