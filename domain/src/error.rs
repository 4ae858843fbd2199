//! The errors the domain reports, and the one table that says how each kind of failure reaches
//! people: its HTTP status, a machine-readable code, a title and a message. HTML pages, server
//! functions, the JSON API and sign-in all read `ErrorKind::explain`; none writes its own.
use serde::{Deserialize, Serialize};

use crate::forms::FieldErrors;

/// Something Casebook depends on that can stop answering, named so that people are told what
/// is not working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dependency {
    Search,
    SignInProvider,
    DataPortal,
}

impl Dependency {
    pub fn name(self) -> &'static str {
        match self {
            Dependency::Search => "search",
            Dependency::SignInProvider => "sign-in",
            Dependency::DataPortal => "the data portal",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    Unauthenticated,
    Invalid,
    Conflict,
    /// The request body is over the limit for its route.
    TooLarge,
    /// Too many requests of this kind from one place in a short time.
    RateLimited,
    /// Something the service depends on is not answering.
    Unavailable(Dependency),
    Internal,
}

/// How one kind of failure is put to people and programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub status: u16,
    /// For JSON answers: a stable word a program can match on.
    pub code: &'static str,
    pub title: &'static str,
    pub message: &'static str,
}

impl ErrorKind {
    /// The table.
    pub fn explain(self) -> Explanation {
        let (status, code, title, message) = match self {
            ErrorKind::NotFound => (
                404,
                "not_found",
                "Page not found",
                "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address. Drafts can only be seen by their authors.",
            ),
            ErrorKind::Forbidden => {
                (403, "forbidden", "You cannot do that", "You do not have permission to do that. Only the authors of a case study, and admins, can change it.")
            }
            ErrorKind::Unauthenticated => (401, "unauthenticated", "Sign in to continue", "You need to sign in to do that."),
            ErrorKind::Invalid => (422, "invalid", "There is a problem", "Some of the information given was not valid."),
            ErrorKind::Conflict => (409, "conflict", "That cannot be done", "It clashes with something already there."),
            ErrorKind::TooLarge => {
                (413, "too_large", "That is too much to send at once", "What was sent is over the size this page accepts. Shorten it and try again.")
            }
            ErrorKind::RateLimited => {
                (429, "rate_limited", "Too many attempts", "There have been too many attempts from here in a short time. Wait a little and try again.")
            }
            ErrorKind::Unavailable(Dependency::Search) => (
                503,
                "unavailable",
                "Sorry, search is not working at the moment",
                "Try again in a few minutes. You can still browse case studies by pattern, organisation or dataset.",
            ),
            ErrorKind::Unavailable(Dependency::SignInProvider) => {
                (502, "unavailable", "Sign-in is not working at the moment", "Try again in a few minutes, or choose another way to sign in.")
            }
            ErrorKind::Unavailable(Dependency::DataPortal) => {
                (502, "unavailable", "The data portal is not answering", "Try again in a few minutes. What you typed has been kept.")
            }
            ErrorKind::Internal => {
                (500, "internal", "Sorry, there is a problem with the service", "Try again later. Nothing you submitted has been lost.")
            }
        };
        Explanation { status, code, title, message }
    }

    pub fn status(self) -> u16 {
        self.explain().status
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("not found")]
    NotFound,
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("sign in to do that")]
    Unauthenticated,
    #[error("{}", .0.summary())]
    Invalid(FieldErrors),
    /// The request clashes with what is already there; the message says how, for people.
    #[error("{0}")]
    Conflict(String),
    /// Too many of one kind of request; the window ends in this many seconds.
    #[error("too many requests")]
    RateLimited { retry_after: i64 },
    /// Someone else saved the thing first; what they saved is in the conflict.
    #[error("the case study was changed by someone else while it was being edited")]
    EditConflict(Box<crate::views::EditConflict>),
    #[cfg(feature = "server")]
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[cfg(feature = "server")]
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// Files in the data folder (the bulk dumps) could not be written or read.
    #[error("files: {0}")]
    Files(String),
}

impl DomainError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            DomainError::NotFound => ErrorKind::NotFound,
            DomainError::Forbidden => ErrorKind::Forbidden,
            DomainError::Unauthenticated => ErrorKind::Unauthenticated,
            DomainError::Invalid(_) => ErrorKind::Invalid,
            DomainError::Conflict(_) => ErrorKind::Conflict,
            DomainError::RateLimited { .. } => ErrorKind::RateLimited,
            DomainError::EditConflict(_) => ErrorKind::Conflict,
            #[cfg(feature = "server")]
            DomainError::Database(_) => ErrorKind::Internal,
            #[cfg(feature = "server")]
            DomainError::Search(_) => ErrorKind::Unavailable(Dependency::Search),
            DomainError::Files(_) => ErrorKind::Internal,
        }
    }

    /// What may be shown to people: the field messages or the conflict for errors they can fix,
    /// the table's message for the rest (internal causes are for the log only).
    pub fn public_message(&self) -> String {
        match self {
            DomainError::Invalid(errors) => errors.summary(),
            DomainError::Conflict(message) => message.clone(),
            DomainError::EditConflict(_) => self.to_string(),
            other => other.kind().explain().message.to_string(),
        }
    }
}

#[cfg(feature = "server")]
impl From<sea_orm::TransactionError<DomainError>> for DomainError {
    fn from(error: sea_orm::TransactionError<DomainError>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(db) => DomainError::Database(db),
            sea_orm::TransactionError::Transaction(inner) => inner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unavailable_dependency_is_named_in_its_title_or_message() {
        for dependency in [Dependency::Search, Dependency::SignInProvider, Dependency::DataPortal] {
            let explained = ErrorKind::Unavailable(dependency).explain();
            let text = format!("{} {}", explained.title, explained.message).to_lowercase();
            let named = dependency.name().trim_start_matches("the ");
            assert!(text.contains(named), "{dependency:?}: {text}");
            assert!(explained.status >= 500);
        }
    }
}
