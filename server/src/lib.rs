//! The Casebook web server: typed configuration, the router that serves the Leptos app, the
//! plain-HTTP routes (health, form posts, sign-in with providers), and the security around them.
mod account;
mod api;
mod browser_policy;
mod collections;
mod conditional;
pub mod config;
mod datasets;
mod downloads;
mod error;
mod feeds;
mod forms;
mod health;
pub mod housekeeping;
mod import;
pub mod mail;
mod networks;
mod notifications;
pub mod page_cache;
mod page_markup;
pub mod query_count;
mod rate_limits;
mod render;
mod routes;
mod security;
mod sign_in;
mod state;
pub mod workers;

pub use config::Config;
pub use routes::router;
pub use state::AppState;
