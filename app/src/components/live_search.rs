//! The search page's search box: a plain input that submits with its form and, once JavaScript
//! has loaded (the `LiveSearch` island), results that follow the words as they are typed, the
//! address kept in step so that it can still be shared.
use leptos::prelude::*;

#[component]
pub fn LiveSearchField(value: String) -> impl IntoView {
    view! {
        <input class="input search-input" type="search" id="q" name="q" value=value autocomplete="off" aria-describedby="q-hint"/>
        <LiveSearch/>
    }
}

/// Quiet time after the last keystroke before searching, in milliseconds.
#[cfg(feature = "hydrate")]
const DEBOUNCE_MS: i32 = 250;

#[island]
fn LiveSearch() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    wire_live_search();
}

#[cfg(feature = "hydrate")]
fn wire_live_search() {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let (Some(window), Some(input)) = (web_sys::window(), crate::browser::by_id_as::<web_sys::HtmlInputElement>("q")) else { return };
    let Some(form) = input.form() else { return };
    // The search each answer belongs to: an answer arriving after a newer search began is dropped.
    let latest = Rc::new(Cell::new(0u64));
    let pending = Rc::new(Cell::new(None::<i32>));
    let search = Closure::<dyn Fn()>::new(move || {
        let number = latest.get() + 1;
        latest.set(number);
        let (form, latest) = (form.clone(), latest.clone());
        leptos::task::spawn_local(async move {
            if let Err(error) = refresh(form, number, latest).await {
                web_sys::console::warn_2(&"live search failed".into(), &error);
            }
        });
    });
    let target = input.clone();
    crate::browser::listen(&target, "input", move |_| {
        if let Some(handle) = pending.take() {
            window.clear_timeout_with_handle(handle);
        }
        let handle = window.set_timeout_with_callback_and_timeout_and_arguments_0(search.as_ref().unchecked_ref(), DEBOUNCE_MS);
        pending.set(handle.ok());
    });
}

/// Fetches the search page for the form's current values and puts its results in place of
/// these, unless a newer search has started meanwhile.
#[cfg(feature = "hydrate")]
async fn refresh(
    form: web_sys::HtmlFormElement,
    number: u64,
    latest: std::rc::Rc<std::cell::Cell<u64>>,
) -> Result<(), wasm_bindgen::JsValue> {
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
    if latest.get() != number {
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
