//! A dataset row's "Look up". Without JavaScript the button posts the form and the editor comes
//! back with what was found; with it (the `DatasetLookups` island) the same post runs in the
//! background and only the row's findings are put in place, with "Use these details" to copy
//! them into the row. Both ways show the markup rendered here.
use casebook_domain::views::DatasetLookupView;
use leptos::prelude::*;

#[component]
pub fn DatasetLookup(row: usize, found: Option<DatasetLookupView>) -> impl IntoView {
    view! {
        <div class="dataset-lookup">
            <button type="submit" class="button button-secondary" name="lookup" value=row.to_string() formnovalidate>
                "Look up"<span class="visually-hidden">{format!(" dataset {row}")}</span>
            </button>
            <div class="dataset-found" aria-live="polite" id=format!("dataset_found_{row}")>
                {found.map(|found| view! { <Found row found/> })}
            </div>
        </div>
    }
}

#[component]
fn Found(row: usize, found: DatasetLookupView) -> impl IntoView {
    if let Some(problem) = found.problem {
        return view! { <p class="dataset-found-problem">{problem}</p> }.into_any();
    }
    let detail = |key: &'static str, value: String| {
        (!value.is_empty()).then(|| {
            view! { <div class="summary-list-row"><dt class="summary-list-key">{key}</dt><dd class="summary-list-value">{value}</dd></div> }
        })
    };
    view! {
        <div class="inset">
            <p><strong>{format!("Found on {}", found.source)}</strong></p>
            <dl class="summary-list">
                <div class="summary-list-row"><dt class="summary-list-key">"Title"</dt><dd class="summary-list-value">{found.title.clone()}</dd></div>
                {detail("Publisher", found.publisher.clone())}
                {detail("Licence", found.licence.clone())}
                {detail("Formats", found.formats.clone())}
            </dl>
            <p class="hint">"Once saved, the case study shows the portal’s details and keeps them up to date, unless you choose to show your own below."</p>
            // Copies the details into the row's fields; needs JavaScript, so hidden until the
            // island runs (without it, the look-up has already filled the empty fields).
            <button type="button" class="button button-secondary dataset-use" hidden
                data-row=row.to_string() data-title=found.title data-publisher=found.publisher data-licence=found.licence data-format=found.formats>
                "Use these details"<span class="visually-hidden">{format!(" for dataset {row}")}</span>
            </button>
        </div>
    }
    .into_any()
}

/// Runs every row's "Look up" in place: the form is posted as the button would post it, and the
/// row's findings are taken from the page that comes back.
#[island]
pub fn DatasetLookups() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(document) = crate::browser::document().and_then(|d| d.body()) {
        for button in crate::browser::all(&document, "button[name=lookup]") {
            wire_lookup(button);
        }
        wire_use_buttons(&document);
    }
}

#[cfg(feature = "hydrate")]
fn wire_lookup(button: web_sys::Element) {
    use crate::browser::{by_id, listen, post};
    use wasm_bindgen::JsCast;
    let Ok(button) = button.dyn_into::<web_sys::HtmlButtonElement>() else { return };
    let target = button.clone();
    listen(&target, "click", move |event| {
        event.prevent_default();
        let (Some(form), row) = (button.form(), button.value()) else { return };
        let Some(area) = by_id(&format!("dataset_found_{row}")) else { return };
        let Some(fields) = web_sys::FormData::new_with_form(&form)
            .ok()
            .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data.into()).ok())
        else {
            return;
        };
        fields.set("lookup", &row);
        area.set_inner_html(r#"<p class="hint">Looking it up…</p>"#);
        button.set_disabled(true);
        let button = button.clone();
        leptos::task::spawn_local(async move {
            let fresh = post(&form.action(), &fields).await.ok().and_then(|(_, page)| {
                let parsed = web_sys::DomParser::new().ok()?.parse_from_string(&page, web_sys::SupportedType::TextHtml).ok()?;
                Some(parsed.get_element_by_id(&format!("dataset_found_{row}"))?.inner_html())
            });
            area.set_inner_html(&fresh.unwrap_or_else(|| {
                r#"<p class="dataset-found-problem">The look-up did not finish. Try again, or save the case study and look it up later.</p>"#.into()
            }));
            wire_use_buttons(&area);
            button.set_disabled(false);
        });
    });
}

/// "Use these details": the found values go into the row's fields.
#[cfg(feature = "hydrate")]
fn wire_use_buttons(root: &web_sys::Element) {
    use crate::browser::{all, by_id_as, listen, reveal};
    for button in all(root, ".dataset-use") {
        reveal(&button);
        let source = button.clone();
        listen(&button, "click", move |_| {
            let row = source.get_attribute("data-row").unwrap_or_default();
            for field in ["title", "publisher", "licence", "format"] {
                let value = source.get_attribute(&format!("data-{field}")).unwrap_or_default();
                if let (Some(input), false) = (by_id_as::<web_sys::HtmlInputElement>(&format!("dataset_{field}_{row}")), value.is_empty()) {
                    input.set_value(&value);
                }
            }
        });
    }
}
