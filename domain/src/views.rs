//! What pages are rendered from: plain, serialisable views built by the services, one file per
//! area. Shared with the browser build, so no persistence here.
mod case_studies;
mod catalogue;
mod collections;
mod common;
mod datasets;
mod identity;
mod networks;
mod notifications;
mod open_data;

pub use case_studies::*;
pub use catalogue::*;
pub use collections::*;
pub use common::*;
pub use datasets::*;
pub use identity::*;
pub use networks::*;
pub use notifications::*;
pub use open_data::*;
