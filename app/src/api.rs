//! Server functions: the one way pages get data. Each is thin: context, then a domain service,
//! then the view it returns. Called directly while rendering on the server, and over HTTP by islands.
mod case_studies;
mod catalogue;
mod collections;
mod datasets;
mod error;
mod identity;
mod networks;
mod notifications;
mod open_data;
mod search;

pub use case_studies::*;
pub use catalogue::*;
pub use collections::*;
pub use datasets::*;
pub use error::ApiError;
pub use identity::*;
pub use networks::*;
pub use notifications::*;
pub use open_data::*;
pub use search::*;

#[cfg(feature = "ssr")]
fn server_context() -> Result<crate::request::ServerContext, ApiError> {
    leptos::prelude::use_context::<crate::request::ServerContext>().ok_or_else(|| ApiError::internal("the server context is missing"))
}
