use leptos::prelude::*;

/// Loads the JavaScript and WASM that bring islands to life. Only pages with islands render it,
/// so reading pages ship none at all.
#[component]
pub fn IslandScripts() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::request::ServerContext>()
            .map(|context| view! { <HydrationScripts options=context.leptos_options islands=true/> })
    }
    #[cfg(not(feature = "ssr"))]
    {}
}
