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
                let (title, message) = match kind {
                    ErrorKind::NotFound => ("Page not found", "If you typed the web address, check it is correct."),
                    ErrorKind::Forbidden => ("You cannot do that", "You do not have permission to do that."),
                    ErrorKind::Unauthenticated => {
                        ("Your session has ended", "Sign in again. Your browser's back button returns to the form with your answers.")
                    }
                    ErrorKind::Invalid => ("There is a problem", "Some of the information given was not valid."),
                    ErrorKind::Conflict => ("That cannot be done", "It clashes with something already there."),
                    ErrorKind::Unavailable => {
                        tracing::error!(error = %error, "a service Casebook depends on is not answering");
                        ("Sorry, this is not working at the moment", "Try again in a few minutes.")
                    }
                    ErrorKind::Internal => {
                        tracing::error!(error = %error, "request failed");
                        ("Sorry, there is a problem with the service", "Try again later.")
                    }
                };
                (StatusCode::from_u16(kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), title, message)
            }
            HttpError::BadForm(cause) => {
                tracing::info!(cause, "unreadable form");
                (StatusCode::BAD_REQUEST, "There is a problem", "The form could not be read. Go back and try again.")
            }
            HttpError::Internal(cause) => {
                tracing::error!(cause, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service", "Try again later.")
            }
            HttpError::Csrf => {
                tracing::warn!("form token mismatch");
                (StatusCode::FORBIDDEN, "This form has expired", "Go back, reload the page and try again.")
            }
        };
        (status, Html(page(title, message, ("/", "Go to the home page")))).into_response()
    }
}

/// A page for errors outside the Leptos app, styled like the rest of the site.
pub fn page(title: &str, message: &str, (next_href, next_label): (&str, &str)) -> String {
    let (title, message) = (escape(title), escape(message));
    format!(
        r#"<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} – Casebook</title><link rel="stylesheet" href="/pkg/casebook.css"></head><body><header class="site-header"><div class="width-container header-inner"><a href="/" class="site-name">Casebook</a></div></header><div class="width-container"><main id="main-content"><h1 class="heading-xl">{title}</h1><p class="body">{message}</p><p><a href="{next_href}">{next_label}</a></p></main></div></body></html>"#
    )
}

/// Messages may quote what a provider sent; nothing of it may become markup.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
