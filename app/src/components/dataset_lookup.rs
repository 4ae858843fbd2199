//! A dataset row's "Look up", an island. Without JavaScript the button posts the form, and the
//! editor comes back with what was found; with it, the look-up runs in place and "Use these
//! details" copies what was found into the row.
use casebook_domain::views::DatasetLookupView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::look_up_dataset;

/// The row's inputs, by the ids the editor gives them.
#[cfg(feature = "hydrate")]
fn input(row: usize, field: &str) -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.get_element_by_id(&format!("dataset_{field}_{row}"))?.dyn_into().ok()
}

#[island]
pub fn DatasetLookup(row: usize, found: Option<DatasetLookupView>) -> impl IntoView {
    let result = RwSignal::new(found);
    let running = RwSignal::new(false);
    let busy = RwSignal::new(false);
    Effect::new(move |_| running.set(true));
    let look_up = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        let url = input(row, "url").map(|i| i.value()).unwrap_or_default();
        #[cfg(not(feature = "hydrate"))]
        let url = String::new();
        busy.set(true);
        spawn_local(async move {
            let answer = look_up_dataset(url.clone()).await.unwrap_or_else(|error| DatasetLookupView {
                url,
                problem: Some(error.message),
                ..DatasetLookupView::default()
            });
            result.set(Some(answer));
            busy.set(false);
        });
    };
    let use_details = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(found) = result.get_untracked() {
            for (field, value) in
                [("title", found.title), ("publisher", found.publisher), ("licence", found.licence), ("format", found.formats)]
            {
                if let (Some(i), false) = (input(row, field), value.is_empty()) {
                    i.set_value(&value);
                }
            }
        }
    };
    view! {
        <div class="dataset-lookup">
            <button type="submit" class="button button-secondary" name="lookup" value=row.to_string() formnovalidate
                on:click=look_up disabled=move || busy.get()>
                "Look up"<span class="visually-hidden">{format!(" dataset {row}")}</span>
            </button>
            <div class="dataset-found" aria-live="polite" id=format!("dataset_found_{row}")>
                {move || busy.get().then(|| view! { <p class="hint">"Looking it up…"</p> })}
                {move || result.get().map(|found| match found.problem {
                    Some(problem) => view! { <p class="dataset-found-problem">{problem}</p> }.into_any(),
                    None => view! {
                        <div class="inset">
                            <p><strong>{format!("Found on {}", found.source)}</strong></p>
                            <dl class="summary-list">
                                <div class="summary-list-row"><dt class="summary-list-key">"Title"</dt><dd class="summary-list-value">{found.title.clone()}</dd></div>
                                {(!found.publisher.is_empty()).then(|| view! { <div class="summary-list-row"><dt class="summary-list-key">"Publisher"</dt><dd class="summary-list-value">{found.publisher.clone()}</dd></div> })}
                                {(!found.licence.is_empty()).then(|| view! { <div class="summary-list-row"><dt class="summary-list-key">"Licence"</dt><dd class="summary-list-value">{found.licence.clone()}</dd></div> })}
                                {(!found.formats.is_empty()).then(|| view! { <div class="summary-list-row"><dt class="summary-list-key">"Formats"</dt><dd class="summary-list-value">{found.formats.clone()}</dd></div> })}
                            </dl>
                            <p class="hint">"Once saved, the case study shows the portal’s details and keeps them up to date, unless you choose to show your own below."</p>
                            <button type="button" class="button button-secondary" hidden=move || !running.get() on:click=use_details>
                                "Use these details"<span class="visually-hidden">{format!(" for dataset {row}")}</span>
                            </button>
                        </div>
                    }.into_any(),
                })}
            </div>
        </div>
    }
}
