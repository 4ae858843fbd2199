use casebook_domain::forms::limits;
use casebook_domain::paths;
use casebook_domain::views::NetworkEditorView;
use casebook_domain::vocabulary::{JoinPolicy, ReviewPolicy};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::network_editor;
use crate::components::form_fields::{Choices, ErrorSummary, TextArea, TextInput};
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::request::set_status;

#[component]
pub fn NewNetworkPage() -> impl IntoView {
    loaded(network_editor(None), |editor| view! { <Editor editor/> })
}

#[component]
pub fn EditNetworkPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    loaded(network_editor(Some(slug)), |editor| view! { <Editor editor/> })
}

#[component]
fn Editor(editor: NetworkEditorView) -> impl IntoView {
    let NetworkEditorView { slug, form, errors } = editor;
    if !errors.is_empty() {
        set_status(casebook_domain::ErrorKind::Invalid.status());
    }
    let error = |field: &str| errors.get(field).map(str::to_string);
    let heading = if slug.is_some() { format!("Edit {}", form.name) } else { "Start a network".to_string() };
    let action = slug.as_deref().map_or_else(|| paths::NEW_NETWORK.to_string(), |s| paths::network_page(s, "edit"));
    let join: Vec<(String, String)> = JoinPolicy::ALL.iter().map(|p| (p.slug().to_string(), p.label().to_string())).collect();
    let review: Vec<(String, String)> = ReviewPolicy::ALL.iter().map(|p| (p.slug().to_string(), p.label().to_string())).collect();
    let title = if errors.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    view! {
        <Title text=title/>
        {slug.clone().map(|s| view! { <p><a href=paths::network(&s)>"Back to the network"</a></p> })}
        <h1 class="heading-xl">{heading}</h1>
        <ErrorSummary errors=errors.clone()/>
        <form method="post" action=action novalidate>
            <CsrfField/>
            <TextInput id="name" label="Name" value=form.name error=error("name") hint=format!("Up to {} characters.", limits::NETWORK_NAME)/>
            <TextInput id="slug" label="Web address" value=form.slug error=error("slug")
                hint="The last part of the network's address, like local-digital-data. Leave it empty to make one from the name. Old addresses keep working after a change."/>
            <TextArea id="description" label="About the network" value=form.description error=error("description") rows=6
                hint=format!("Who it is for and how it works. You can use Markdown. Up to {} characters.", limits::DESCRIPTION)/>
            <TextInput id="website" label="Website (optional)" value=form.website error=error("website") input_type="url"/>
            <Choices id="join_policy" legend="Who may join" choices=join selected=vec![form.join_policy] error=error("join_policy")/>
            <Choices id="review_policy" legend="Which submissions are reviewed" choices=review selected=vec![form.review_policy] error=error("review_policy")/>
            <TextInput id="trusted_after" label="Approved submissions before a member is trusted" value=form.trusted_after error=error("trusted_after")
                hint="Used when members are trusted after a number of approved submissions."/>
            {slug.is_none().then(|| view! {
                <TextArea id="organisers" label="First organisers" value=form.organisers error=error("organisers") rows=3
                    hint="Email addresses or profile numbers, one per line. Each person must have signed in once."/>
            })}
            <button type="submit" class="button">{if slug.is_some() { "Save the network" } else { "Start the network" }}</button>
        </form>
    }
}
