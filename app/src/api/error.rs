use casebook_domain::ErrorKind;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The error every server function returns: what kind of failure, and a message fit to show.
/// Internal causes are logged on the server and never sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ApiError {
    pub fn internal(#[cfg_attr(not(feature = "ssr"), expect(unused_variables, reason = "logged on the server only"))] cause: &str) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(cause, "server function failed");
        ApiError { kind: ErrorKind::Internal, message: ErrorKind::Internal.explain().message.into() }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => ApiError { kind: ErrorKind::Invalid, message },
            other => ApiError::internal(&other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<casebook_domain::DomainError> for ApiError {
    fn from(error: casebook_domain::DomainError) -> Self {
        match error.kind() {
            ErrorKind::Internal => ApiError::internal(&error.to_string()),
            kind => {
                if let ErrorKind::Unavailable(dependency) = kind {
                    tracing::error!(%error, dependency = dependency.name(), "a service Casebook depends on is not answering");
                }
                ApiError { kind, message: error.public_message() }
            }
        }
    }
}
