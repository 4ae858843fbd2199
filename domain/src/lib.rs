//! Casebook's domain: the vocabularies, the views pages are rendered from, the rules a case study
//! must follow and, with the `server` feature, its persistence.
//!
//! Without `server` this crate holds only plain data types, so the WASM build can share them.

pub mod error;
pub mod forms;
pub mod paths;
pub mod permissions;
pub mod search;
pub mod views;
pub mod vocabulary;

#[cfg(feature = "server")]
pub mod case_studies;
#[cfg(feature = "server")]
pub mod catalogue;
#[cfg(feature = "server")]
pub mod collections;
#[cfg(feature = "server")]
pub mod datasets;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
pub mod entities;
#[cfg(feature = "server")]
pub mod events;
#[cfg(feature = "server")]
pub mod identity;
#[cfg(feature = "server")]
pub mod markdown;
#[cfg(feature = "server")]
mod namespaces;
#[cfg(feature = "server")]
pub mod networks;
#[cfg(feature = "server")]
pub mod notifications;
#[cfg(feature = "server")]
pub mod open_data;
#[cfg(feature = "server")]
pub mod pending_submissions;
#[cfg(feature = "server")]
pub mod rate_limits;
#[cfg(feature = "server")]
pub mod text;
#[cfg(feature = "server")]
pub mod workers;

pub use error::{DomainError, ErrorKind};
