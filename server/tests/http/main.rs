//! The site over HTTP, in process, on fresh databases with the demo content: one test binary,
//! so the suite links once.
mod support;

mod accounts;
mod collections;
mod datasets;
mod feeds_and_linked_data;
mod hostile_requests;
mod importing;
mod mail;
mod networks;
mod notifications;
mod open_data;
mod page_cache;
mod pages;
mod permissions;
mod publishing;
mod search;
mod server_functions;
