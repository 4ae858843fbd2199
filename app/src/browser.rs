//! The islands' work in the browser, in plain DOM calls. Islands take no props and hold no
//! signals: the server renders all their markup (hidden where it needs JavaScript) and they
//! only attach behaviour to it. That keeps the WASM within a few KB of what the Leptos runtime
//! costs with one empty island (`./dev bench` weighs both).
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, EventTarget, UrlSearchParams};

/// What is said when the server could not be asked or gave no answer worth showing.
const NO_ANSWER: &str = "Something went wrong on our side. Try again in a moment.";

pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

pub fn by_id(id: &str) -> Option<Element> {
    document()?.get_element_by_id(id)
}

pub fn by_id_as<T: JsCast>(id: &str) -> Option<T> {
    by_id(id)?.dyn_into().ok()
}

/// Every element under `root` that matches `selector`.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(found) = root.query_selector_all(selector) else { return Vec::new() };
    (0..found.length()).filter_map(|i| found.item(i)?.dyn_into().ok()).collect()
}

/// Runs `handler` on every `event` at `target` for as long as the page lives.
pub fn listen(target: &EventTarget, event: &str, handler: impl FnMut(web_sys::Event) + 'static) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Shows what the server rendered hidden because it needs JavaScript.
pub fn reveal(element: &Element) {
    let _ = element.remove_attribute("hidden");
}

/// POSTs form-encoded `fields` to `url`: the answer's status and text.
pub async fn post(url: &str, fields: &UrlSearchParams) -> Result<(u16, String), JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(fields);
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await?.dyn_into()?;
    let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    Ok((response.status(), text))
}

/// Calls one of the server functions under `/fn/` with form-encoded arguments: its JSON answer,
/// or the message of the error it returned.
pub async fn call(endpoint: &str, arguments: Option<UrlSearchParams>) -> Result<JsValue, String> {
    let arguments = arguments.ok_or_else(|| NO_ANSWER.to_string())?;
    let (status, text) = post(&format!("/fn/{endpoint}"), &arguments).await.map_err(|_| NO_ANSWER.to_string())?;
    let answer = js_sys::JSON::parse(&text).map_err(|_| NO_ANSWER.to_string())?;
    if (200..300).contains(&status) {
        return Ok(answer);
    }
    let message = js_sys::Reflect::get(&answer, &JsValue::from_str("message")).ok().and_then(|m| m.as_string());
    Err(message.unwrap_or_else(|| NO_ANSWER.to_string()))
}

/// Form-encoded arguments from pairs.
pub fn arguments(pairs: &[(&str, &str)]) -> Option<UrlSearchParams> {
    let params = UrlSearchParams::new().ok()?;
    for (name, value) in pairs {
        params.append(name, value);
    }
    Some(params)
}
