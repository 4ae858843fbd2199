//! The search page's search box, an island: a plain input that submits with its form and,
//! once JavaScript has loaded, results that follow the words as they are typed, the address
//! kept in step so that it can still be shared.
use leptos::prelude::*;

/// Quiet time after the last keystroke before searching.
#[cfg(feature = "hydrate")]
const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(250);

#[island]
pub fn LiveSearchField(value: String) -> impl IntoView {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let latest = StoredValue::new(0u64);
    let on_input = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let form = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|input| input.form());
            let Some(form) = form else { return };
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let handle = set_timeout_with_handle(
                move || {
                    let number = latest.get_value() + 1;
                    latest.set_value(number);
                    leptos::task::spawn_local(async move {
                        if let Err(error) = refresh(form, number, latest).await {
                            leptos::logging::warn!("live search failed: {error:?}");
                        }
                    });
                },
                DEBOUNCE,
            );
            pending.set_value(handle.ok());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, pending, latest);
    };
    view! {
        <input
            class="input search-input"
            type="search"
            id="q"
            name="q"
            value=value
            autocomplete="off"
            aria-describedby="q-hint"
            on:input=on_input
        />
    }
}

/// Fetches the search page for the form's current values and puts its results in place of
/// these, unless a newer search has started meanwhile.
#[cfg(feature = "hydrate")]
async fn refresh(form: web_sys::HtmlFormElement, number: u64, latest: StoredValue<u64>) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    let values: JsValue = web_sys::FormData::new_with_form(&form)?.into();
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&values)?;
    // The same address the server's links give this search: no defaults, no page.
    params.delete("page");
    if params.get("sort").as_deref() == Some("relevance") {
        params.delete("sort");
    }
    if params.get("q").is_some_and(|q| q.trim().is_empty()) {
        params.delete("q");
    }
    let query = String::from(params.to_string());
    let url = casebook_domain::paths::search(&query);
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url)).await?.dyn_into()?;
    let html = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    if latest.get_value() != number {
        return Ok(());
    }
    let fresh = web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    let document = window.document().ok_or("no document")?;
    for id in ["search-results", "search-status"] {
        if let (Some(new), Some(old)) = (fresh.get_element_by_id(id), document.get_element_by_id(id)) {
            old.set_inner_html(&new.inner_html());
        }
    }
    document.set_title(&fresh.title());
    window.history()?.replace_state_with_url(&JsValue::NULL, "", Some(&url))
}
