use casebook_domain::forms::limits;
use casebook_domain::paths;
use casebook_domain::views::CollectionEditorView;
use casebook_domain::vocabulary::CollectionStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::collection_editor;
use crate::components::form_fields::{Choices, ErrorSummary, TextArea, TextInput};
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::request::set_status;

#[component]
pub fn NewCollectionPage() -> impl IntoView {
    loaded(collection_editor(None), |editor| view! { <Editor editor/> })
}

#[component]
pub fn EditCollectionPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    loaded(collection_editor(Some(slug)), |editor| view! { <Editor editor/> })
}

#[component]
fn Editor(editor: CollectionEditorView) -> impl IntoView {
    let CollectionEditorView { slug, form, errors, networks } = editor;
    if !errors.is_empty() {
        set_status(casebook_domain::ErrorKind::Invalid.status());
    }
    let error = |field: &str| errors.get(field).map(str::to_string);
    let heading = if slug.is_some() { format!("Edit {}", form.title) } else { "Start a collection".to_string() };
    let action = slug.as_deref().map_or_else(|| paths::NEW_COLLECTION.to_string(), |s| paths::collection_page(s, "edit"));
    let statuses: Vec<(String, String)> = CollectionStatus::ALL
        .iter()
        .map(|s| {
            (
                s.slug().to_string(),
                if *s == CollectionStatus::Draft { "Draft: only curators can see it" } else { "Published: everyone can read it" }
                    .to_string(),
            )
        })
        .collect();
    let title = if errors.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    view! {
        <Title text=title/>
        {slug.clone().map(|s| view! { <p><a href=paths::collection(&s)>"Back to the collection"</a></p> })}
        <h1 class="heading-xl">{heading}</h1>
        <ErrorSummary errors=errors.clone()/>
        <form method="post" action=action novalidate>
            <CsrfField/>
            <input type="hidden" name="version" value=form.version.clone()/>
            <TextInput id="title" label="Title" value=form.title error=error("title") hint=format!("Up to {} characters.", limits::COLLECTION_TITLE)/>
            <TextInput id="slug" label="Web address" value=form.slug error=error("slug")
                hint="The last part of the collection's address. Leave it empty to make one from the title."/>
            <TextArea id="introduction" label="Introduction" value=form.introduction error=error("introduction") rows=6
                hint=format!("What the collection is for and how to read it. You can use Markdown. Up to {} characters.", limits::INTRODUCTION)/>
            <Choices id="networks" legend="Networks that own it" multiple=true small=true error=error("networks")
                hint="Their organisers all curate it."
                choices=networks.into_iter().map(|n| (n.slug, n.name)).collect() selected=form.networks/>
            <Choices id="status" legend="Status" choices=statuses selected=vec![form.status] error=error("status")/>
            <div class="form-group">
                <div class="checkboxes checkboxes-small">
                    <div class="choice">
                        <input class="choice-input" id="featured" name="featured" type="checkbox" value="on" checked=form.featured.is_some()/>
                        <label class="label choice-label" for="featured">"Feature it on its networks' pages"</label>
                    </div>
                </div>
            </div>
            <button type="submit" class="button">{if slug.is_some() { "Save the collection" } else { "Start the collection" }}</button>
        </form>
    }
}
