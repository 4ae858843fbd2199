//! Reordering a collection by dragging. Without JavaScript it stays hidden, and each item's move
//! up, move down and move to position forms do the job. With it (the `Reorder` island) the items
//! show as a list to drag with a mouse or finger, or with the keyboard: focus an item, press
//! Space to pick it up, the arrow keys to move it, Space again to drop it (Escape puts it back).
//! Each drop saves the whole order at once, only over the version the page showed; a clash with
//! another curator's change is said, and the page asks to be reloaded.
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderItem {
    pub id: i32,
    pub title: String,
}

#[component]
pub fn CollectionOrder(slug: String, version: i32, items: Vec<OrderItem>) -> impl IntoView {
    view! {
        <section class="reorder" id="reorder" aria-labelledby="reorder-heading" hidden data-slug=slug data-version=version.to_string()>
            <h2 class="heading-m" id="reorder-heading">"Change the order"</h2>
            <p class="hint" id="reorder-hint">"Drag a case study to its new place, or focus it and press Space, move it with the arrow keys and press Space again. Each move is saved."</p>
            <ol class="reorder-list" aria-describedby="reorder-hint">
                {items.into_iter().map(|OrderItem { id, title }| { let shown = title.clone(); view! {
                    <li class="reorder-item" id=format!("reorder-{id}") data-id=id.to_string() data-title=title
                        tabindex="0" draggable="true" aria-roledescription="sortable item">
                        <span class="reorder-handle" aria-hidden="true">"↕"</span>
                        {shown}
                    </li>
                }}).collect_view()}
            </ol>
            <p class="body" id="reorder-status" role="status" aria-live="polite"></p>
            <Reorder/>
        </section>
    }
}

#[island]
fn Reorder() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(section) = crate::browser::by_id("reorder") {
        in_browser::wire(section);
    }
}

#[cfg(feature = "hydrate")]
mod in_browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlElement};

    use crate::browser::{all, arguments, by_id, call, listen, reveal};

    /// The list as the person is changing it.
    struct Reordering {
        section: Element,
        list: Element,
        /// Picked up with the keyboard: the item and the order before it moved.
        grabbed: Option<(Element, Vec<Element>)>,
        dragging: Option<Element>,
    }

    pub fn wire(section: Element) {
        let Ok(Some(list)) = section.query_selector("ol") else { return };
        reveal(&section);
        let state = Rc::new(RefCell::new(Reordering { section, list: list.clone(), grabbed: None, dragging: None }));
        for item in all(&list, "li") {
            let (s, it) = (state.clone(), item.clone());
            listen(&item, "keydown", move |event| {
                if let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() {
                    on_key(&s, &it, event);
                }
            });
            let (s, it) = (state.clone(), item.clone());
            listen(&item, "dragstart", move |_| s.borrow_mut().dragging = Some(it.clone()));
            listen(&item, "dragover", |event| event.prevent_default());
            let (s, it) = (state.clone(), item.clone());
            listen(&item, "drop", move |event| {
                event.prevent_default();
                on_drop(&s, &it);
            });
        }
    }

    fn on_key(state: &Rc<RefCell<Reordering>>, item: &Element, event: &web_sys::KeyboardEvent) {
        let key = event.key();
        let mut now = state.borrow_mut();
        match key.as_str() {
            " " | "Enter" => {
                event.prevent_default();
                if let Some((held, _)) = now.grabbed.take() {
                    let _ = held.class_list().remove_1("reorder-grabbed");
                    drop(now);
                    save(state);
                } else {
                    now.grabbed = Some((item.clone(), items(&now.list)));
                    let _ = item.class_list().add_1("reorder-grabbed");
                    say(&format!(
                        "Picked up {}. Use the up and down arrow keys to move it, Space to drop it, Escape to cancel.",
                        title(item)
                    ));
                }
            }
            "ArrowUp" | "ArrowDown" if now.grabbed.is_some() => {
                event.prevent_default();
                move_by(&now.list, item, if key == "ArrowUp" { -1 } else { 1 });
                announce(&now.list, item);
                if let Some(element) = item.dyn_ref::<HtmlElement>() {
                    let _ = element.focus();
                }
            }
            "Escape" => {
                if let Some((held, before)) = now.grabbed.take() {
                    let _ = held.class_list().remove_1("reorder-grabbed");
                    for element in before {
                        let _ = now.list.append_child(&element);
                    }
                    say("Moving cancelled.");
                }
            }
            _ => {}
        }
    }

    fn on_drop(state: &Rc<RefCell<Reordering>>, target: &Element) {
        let Some(moving) = state.borrow_mut().dragging.take() else { return };
        let list = state.borrow().list.clone();
        let now = items(&list);
        if let (Some(from), Some(to)) = (position(&now, &moving), position(&now, target)) {
            move_by(&list, &moving, to as isize - from as isize);
            announce(&list, &moving);
            save(state);
        }
    }

    fn items(list: &Element) -> Vec<Element> {
        all(list, "li")
    }

    fn position(items: &[Element], item: &Element) -> Option<usize> {
        items.iter().position(|i| i == item)
    }

    fn title(item: &Element) -> String {
        item.get_attribute("data-title").unwrap_or_default()
    }

    /// Moves `item` `by` places, within the list's ends.
    fn move_by(list: &Element, item: &Element, by: isize) {
        let mut now = items(list);
        let Some(at) = position(&now, item) else { return };
        let to = (at as isize + by).clamp(0, now.len() as isize - 1) as usize;
        let moved = now.remove(at);
        now.insert(to, moved);
        let _ = list.insert_before(item, now.get(to + 1).map(|next| next.unchecked_ref::<web_sys::Node>()));
    }

    fn announce(list: &Element, item: &Element) {
        let now = items(list);
        if let Some(at) = position(&now, item) {
            say(&format!("{}: position {} of {}.", title(item), at + 1, now.len()));
        }
    }

    fn say(message: &str) {
        if let Some(status) = by_id("reorder-status") {
            status.set_text_content(Some(message));
        }
    }

    /// Saves the order shown over the version the page last had.
    fn save(state: &Rc<RefCell<Reordering>>) {
        let (section, list) = {
            let now = state.borrow();
            (now.section.clone(), now.list.clone())
        };
        let ids: Vec<String> = items(&list).iter().filter_map(|i| i.get_attribute("data-id")).collect();
        let slug = section.get_attribute("data-slug").unwrap_or_default();
        let version = section.get_attribute("data-version").unwrap_or_default();
        let names: Vec<String> = (0..ids.len()).map(|i| format!("order[{i}]")).collect();
        let mut pairs = vec![("slug", slug.as_str()), ("version", version.as_str())];
        pairs.extend(names.iter().map(String::as_str).zip(ids.iter().map(String::as_str)));
        let request = arguments(&pairs);
        leptos::task::spawn_local(async move {
            match call("reorder_collection", request).await {
                Ok(next) => {
                    let next = (next.as_f64().unwrap_or_default() as i64).to_string();
                    let _ = section.set_attribute("data-version", &next);
                    say("The new order is saved.");
                    show_in_page(&ids, &next);
                }
                Err(message) => say(&format!("{message} Reload the page to see the collection as it is now.")),
            }
        });
    }

    /// Puts the page's own list of cards in the saved order, with its new positions, and gives
    /// every form on the page the new version, so what is shown and what is posted stay true.
    fn show_in_page(ids: &[String], version: &str) {
        let Some(body) = crate::browser::document().and_then(|d| d.body()) else { return };
        for (index, id) in ids.iter().enumerate() {
            let Some(item) = by_id(&format!("item-{id}")) else { continue };
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
        for input in all(&body, "input[name=version]") {
            if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                input.set_value(version);
            }
        }
    }
}
