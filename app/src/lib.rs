//! Casebook's user interface. Every page renders on the server and works without JavaScript;
//! islands (see `components::body_editor`) are the only parts hydrated in the browser.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod request;

pub use app::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
