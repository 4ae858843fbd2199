use leptos::prelude::*;

/// Loads the JavaScript and WASM that bring islands to life. Only pages with islands render it,
/// so reading pages ship none at all. The loader is a file (`public/islands.js`), not an inline
/// script, so the Content-Security-Policy allows scripts from this site alone.
#[component]
pub fn IslandScripts() -> impl IntoView {
    view! {
        <link rel="modulepreload" href="/pkg/casebook.js"/>
        <link rel="preload" href="/pkg/casebook.wasm" r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" src="/islands.js"></script>
    }
}
