//! How failures of the plain-HTTP routes reach people: one mapping from domain errors to
//! statuses and pages. Internal causes are logged, never shown.
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use casebook_domain::{DomainError, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("the form could not be read: {0}")]
    BadForm(String),
    #[error("the request body is over the limit of {0} bytes")]
    TooLarge(usize),
    #[error("the form token did not match")]
    Csrf,
    #[error("{0}")]
    Internal(String),
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            HttpError::Domain(error) => {
                let kind = error.kind();
                match kind {
                    ErrorKind::Unavailable(dependency) => {
                        tracing::error!(error = %error, dependency = dependency.name(), "a service Casebook depends on is not answering")
                    }
                    ErrorKind::Internal => tracing::error!(error = %error, "request failed"),
                    _ => {}
                }
                explained(kind)
            }
            HttpError::BadForm(cause) => {
                tracing::info!(cause, "unreadable form");
                (StatusCode::BAD_REQUEST, "There is a problem", "The form could not be read. Go back and try again.")
            }
            HttpError::TooLarge(limit) => {
                tracing::info!(limit, "request body over the limit");
                explained(ErrorKind::TooLarge)
            }
            HttpError::Internal(cause) => {
                tracing::error!(cause, "request failed");
                explained(ErrorKind::Internal)
            }
            HttpError::Csrf => {
                tracing::warn!("form token mismatch");
                (StatusCode::FORBIDDEN, "This form has expired", "Go back, reload the page and try again.")
            }
        };
        let mut response = (status, Html(page(title, message, ("/", "Go to the home page")))).into_response();
        if let HttpError::Domain(DomainError::RateLimited { retry_after }) = self {
            crate::rate_limits::with_retry_after(&mut response, retry_after);
        }
        response
    }
}

fn explained(kind: ErrorKind) -> (StatusCode, &'static str, &'static str) {
    let explained = kind.explain();
    (status_of(kind), explained.title, explained.message)
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    StatusCode::from_u16(kind.explain().status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A page for errors outside the Leptos app, styled like the rest of the site.
pub fn page(title: &str, message: &str, (next_href, next_label): (&str, &str)) -> String {
    let (title, message) = (escape(title), escape(message));
    format!(
        r#"<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} – Casebook</title><link rel="stylesheet" href="/pkg/casebook.css"></head><body><header class="site-header"><div class="width-container header-inner"><a href="/" class="site-name">Casebook</a></div></header><div class="width-container"><main id="main-content"><h1 class="heading-xl">{title}</h1><p class="body">{message}</p><p><a href="{next_href}">{next_label}</a></p></main></div></body></html>"#
    )
}

/// Messages may quote what a provider sent, and highlights what people wrote; nothing of it may
/// become markup, in text or in an attribute quoted either way.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_leaves_no_markup_and_no_way_out_of_an_attribute() {
        assert_eq!(super::escape(r#"<b a='1' b="2">&"#), "&lt;b a=&#39;1&#39; b=&quot;2&quot;&gt;&amp;");
    }
}
