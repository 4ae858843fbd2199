//! The story field, an island: a plain textarea that posts with the form, plus, once JavaScript
//! has loaded, a preview of the Markdown as it will be published.
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::preview_markdown;

#[island]
pub fn BodyEditor(value: String, error: Option<String>, hint: String) -> impl IntoView {
    // The textarea is left to the browser: what it holds is read when the preview is asked for.
    // (Setting its value from a signal would, at hydration, wipe what someone typed while the
    // page was still loading.)
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let preview = RwSignal::new(None::<Result<String, String>>);
    // The preview button needs JavaScript, so it stays hidden until the island is running.
    let running = RwSignal::new(false);
    Effect::new(move |_| running.set(true));
    let show_preview = move |_| {
        let markdown = textarea.get_untracked().map(|t| t.value()).unwrap_or_default();
        spawn_local(async move {
            preview.set(Some(preview_markdown(markdown).await.map_err(|e| e.message)));
        });
    };
    let describedby = if error.is_some() { "body-hint body-error" } else { "body-hint" };
    let class = if error.is_some() { "form-group form-group-error" } else { "form-group" };
    view! {
        <div class=class>
            <label class="label" for="body">"Story"</label>
            <div id="body-hint" class="hint">{hint}</div>
            {error.map(|error| view! { <p id="body-error" class="error-message"><span class="visually-hidden">"Error: "</span>{error}</p> })}
            <textarea
                class="textarea"
                id="body"
                name="body"
                rows="16"
                aria-describedby=describedby
                node_ref=textarea
            >
                {value}
            </textarea>
            <button type="button" class="button button-secondary" hidden=move || !running.get() on:click=show_preview>
                "Preview the story"
            </button>
            <div class="preview" aria-live="polite">
                {move || match preview.get() {
                    Some(Ok(html)) => view! { <h3 class="heading-s">"Preview"</h3><div class="prose" inner_html=html></div> }.into_any(),
                    Some(Err(message)) => view! { <p class="error-message">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </div>
    }
}
