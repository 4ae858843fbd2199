//! Reordering a collection by dragging, an island. Without JavaScript it renders nothing that
//! shows, and each item's move up, move down and move to position forms do the job. Running, it
//! shows the items as a list to drag with a mouse or finger, or with the keyboard: focus an item,
//! press Space to pick it up, the arrow keys to move it, Space again to drop it (Escape puts it
//! back). Each drop saves the whole order at once, only over the version the page showed; a
//! clash with another curator's change is said, and the page asks to be reloaded.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    pub id: i32,
    pub title: String,
}

#[island]
pub fn CollectionOrder(slug: String, version: i32, items: Vec<OrderItem>) -> impl IntoView {
    let order = RwSignal::new(items);
    let version = RwSignal::new(version);
    // Picked up with the keyboard: the item's id and the order before it moved.
    let grabbed = RwSignal::new(None::<(i32, Vec<OrderItem>)>);
    let dragging = RwSignal::new(None::<i32>);
    let status = RwSignal::new(String::new());
    let running = RwSignal::new(false);
    Effect::new(move |_| running.set(true));
    let slug = StoredValue::new(slug);

    let save = move || {
        let ids: Vec<i32> = order.get_untracked().iter().map(|i| i.id).collect();
        let at = version.get_untracked();
        leptos::task::spawn_local(async move {
            match crate::api::reorder_collection(slug.get_value(), at, ids.clone()).await {
                Ok(next) => {
                    version.set(next);
                    status.set("The new order is saved.".into());
                    #[cfg(feature = "hydrate")]
                    show_in_page(&ids, next);
                }
                Err(error) => status.set(format!("{} Reload the page to see the collection as it is now.", error.message)),
            }
        });
    };
    let move_by = move |id: i32, by: isize| {
        order.update(|items| {
            if let Some(at) = items.iter().position(|i| i.id == id) {
                let to = (at as isize + by).clamp(0, items.len() as isize - 1) as usize;
                let item = items.remove(at);
                items.insert(to, item);
            }
        });
    };
    let announce = move |id: i32| {
        let items = order.get_untracked();
        if let Some(at) = items.iter().position(|i| i.id == id) {
            status.set(format!("{}: position {} of {}.", items[at].title, at + 1, items.len()));
        }
    };
    let on_key = move |id: i32, event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        " " | "Enter" => {
            event.prevent_default();
            if grabbed.get_untracked().is_some() {
                grabbed.set(None);
                save();
            } else {
                grabbed.set(Some((id, order.get_untracked())));
                let title = order.get_untracked().iter().find(|i| i.id == id).map(|i| i.title.clone()).unwrap_or_default();
                status.set(format!("Picked up {title}. Use the up and down arrow keys to move it, Space to drop it, Escape to cancel."));
            }
        }
        "ArrowUp" | "ArrowDown" if grabbed.get_untracked().is_some() => {
            event.prevent_default();
            move_by(id, if event.key() == "ArrowUp" { -1 } else { 1 });
            announce(id);
            // After the list has re-rendered the item in its new place (which takes focus away).
            #[cfg(feature = "hydrate")]
            set_timeout(move || refocus(id), std::time::Duration::ZERO);
        }
        "Escape" => {
            if let Some((_, before)) = grabbed.get_untracked() {
                order.set(before);
                grabbed.set(None);
                status.set("Moving cancelled.".into());
            }
        }
        _ => {}
    };
    let on_drop = move |target: i32| {
        if let Some(id) = dragging.get_untracked() {
            let items = order.get_untracked();
            if let (Some(from), Some(to)) = (items.iter().position(|i| i.id == id), items.iter().position(|i| i.id == target)) {
                move_by(id, to as isize - from as isize);
                announce(id);
                save();
            }
        }
        dragging.set(None);
    };

    view! {
        <section class="reorder" aria-labelledby="reorder-heading" hidden=move || !running.get()>
            <h2 class="heading-m" id="reorder-heading">"Change the order"</h2>
            <p class="hint" id="reorder-hint">"Drag a case study to its new place, or focus it and press Space, move it with the arrow keys and press Space again. Each move is saved."</p>
            <ol class="reorder-list" aria-describedby="reorder-hint">
                <For each=move || order.get() key=|item| item.id let:item>
                    {
                        let id = item.id;
                        view! {
                            <li
                                class="reorder-item"
                                class:reorder-grabbed=move || grabbed.get().is_some_and(|(g, _)| g == id)
                                id=format!("reorder-{id}")
                                tabindex="0"
                                draggable="true"
                                aria-roledescription="sortable item"
                                on:keydown=move |event| on_key(id, event)
                                on:dragstart=move |_| dragging.set(Some(id))
                                on:dragover=move |event: leptos::ev::DragEvent| event.prevent_default()
                                on:drop=move |event: leptos::ev::DragEvent| { event.prevent_default(); on_drop(id) }
                            >
                                <span class="reorder-handle" aria-hidden="true">"↕"</span>
                                {item.title.clone()}
                            </li>
                        }
                    }
                </For>
            </ol>
            <p class="body" role="status" aria-live="polite">{move || status.get()}</p>
        </section>
    }
}

/// Keeps keyboard focus on the item that moved (the list re-renders it in its new place).
#[cfg(feature = "hydrate")]
fn refocus(id: i32) {
    use wasm_bindgen::JsCast;
    let found = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("reorder-{id}")));
    if let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Puts the page's own list of cards in the saved order, with its new positions, and gives every
/// form on the page the new version, so what is shown and what is posted stay true.
#[cfg(feature = "hydrate")]
fn show_in_page(ids: &[i32], version: i32) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    for (index, id) in ids.iter().enumerate() {
        let Some(item) = document.get_element_by_id(&format!("item-{id}")) else { continue };
        if let Some(parent) = item.parent_node() {
            let _ = parent.append_child(&item);
        }
        let position = (index + 1).to_string();
        let _ = item.set_attribute("value", &position);
        if let Ok(Some(shown)) = item.query_selector(".collection-position") {
            shown.set_text_content(Some(&position));
        }
        if let Ok(Some(input)) = item.query_selector("input[name=position]") {
            if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                input.set_value(&position);
            }
        }
    }
    if let Ok(inputs) = document.query_selector_all("input[name=version]") {
        for index in 0..inputs.length() {
            if let Some(input) = inputs.item(index).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                input.set_value(&version.to_string());
            }
        }
    }
}
