//! The floor under Casebook's islands: what the Leptos runtime costs with one island that does
//! nothing. `./dev bench` builds it exactly as the site's WASM is built and weighs both.
use leptos::prelude::*;

#[island]
pub fn Empty() -> impl IntoView {
    view! { <span></span> }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
