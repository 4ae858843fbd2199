//! Casebook's user interface. Every page renders on the server and works without JavaScript;
//! islands (see `components::body_editor`) are the only parts hydrated in the browser.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
#[cfg(feature = "hydrate")]
mod browser;
pub mod components;
pub mod pages;
pub mod request;

pub use app::{shell, App};

// Talc instead of the default dlmalloc: the same job in a few KB less of the islands' WASM.
#[cfg(all(feature = "hydrate", target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panics say where in the browser's console in debug builds; release builds leave the hook
    // out, as it brings Rust's formatting machinery into the WASM.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
