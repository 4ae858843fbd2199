//! The story field: a plain textarea that posts with the form and, once JavaScript has loaded,
//! a button to preview the Markdown as it will be published (the `StoryPreview` island).
use leptos::prelude::*;

#[component]
pub fn BodyEditor(value: String, error: Option<String>, hint: String) -> impl IntoView {
    let describedby = if error.is_some() { "body-hint body-error" } else { "body-hint" };
    let class = if error.is_some() { "form-group form-group-error" } else { "form-group" };
    view! {
        <div class=class>
            <label class="label" for="body">"Story"</label>
            <div id="body-hint" class="hint">{hint}</div>
            {error.map(|error| view! { <p id="body-error" class="error-message"><span class="visually-hidden">"Error: "</span>{error}</p> })}
            <textarea class="textarea" id="body" name="body" rows="16" aria-describedby=describedby>{value}</textarea>
            // Needs JavaScript, so hidden until the island runs.
            <button type="button" class="button button-secondary" id="body-preview-button" hidden>"Preview the story"</button>
            <div class="preview" id="body-preview" aria-live="polite"></div>
            <StoryPreview/>
        </div>
    }
}

/// Shows the preview button and, when it is pressed, the server's rendering of what the
/// textarea holds then (read at that moment, so nothing typed while the page loaded is lost).
#[island]
fn StoryPreview() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    wire_preview();
}

#[cfg(feature = "hydrate")]
fn wire_preview() {
    use crate::browser::{arguments, by_id, by_id_as, call, listen, reveal};
    let (Some(button), Some(preview)) = (by_id("body-preview-button"), by_id("body-preview")) else { return };
    reveal(&button);
    listen(&button, "click", move |_| {
        let markdown = by_id_as::<web_sys::HtmlTextAreaElement>("body").map(|t| t.value()).unwrap_or_default();
        let preview = preview.clone();
        leptos::task::spawn_local(async move {
            match call("preview_markdown", arguments(&[("markdown", &markdown)])).await {
                Ok(html) => preview.set_inner_html(&format!(
                    r#"<h3 class="heading-s">Preview</h3><div class="prose">{}</div>"#,
                    html.as_string().unwrap_or_default()
                )),
                Err(message) => {
                    preview.set_inner_html(r#"<p class="error-message"></p>"#);
                    if let Some(shown) = preview.first_element_child() {
                        shown.set_text_content(Some(&message));
                    }
                }
            }
        });
    });
}
