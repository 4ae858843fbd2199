//! The errors the domain reports. `ErrorKind` is what callers map to an HTTP status, in one place each.
use serde::{Deserialize, Serialize};

use crate::forms::FieldErrors;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    Unauthenticated,
    Invalid,
    Conflict,
    /// Something the service depends on (the search engine) is not answering.
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::NotFound => 404,
            ErrorKind::Forbidden => 403,
            ErrorKind::Unauthenticated => 401,
            ErrorKind::Invalid => 422,
            ErrorKind::Conflict => 409,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
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
    #[error("the submission has {} error(s)", .0.len())]
    Invalid(FieldErrors),
    /// The request clashes with what is already there; the message says how, for people.
    #[error("{0}")]
    Conflict(String),
    #[cfg(feature = "server")]
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[cfg(feature = "server")]
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
}

impl DomainError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            DomainError::NotFound => ErrorKind::NotFound,
            DomainError::Forbidden => ErrorKind::Forbidden,
            DomainError::Unauthenticated => ErrorKind::Unauthenticated,
            DomainError::Invalid(_) => ErrorKind::Invalid,
            DomainError::Conflict(_) => ErrorKind::Conflict,
            #[cfg(feature = "server")]
            DomainError::Database(_) => ErrorKind::Internal,
            #[cfg(feature = "server")]
            DomainError::Search(_) => ErrorKind::Unavailable,
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
