use casebook_domain::ErrorKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use super::layout::sign_in_href;

use crate::api::ApiError;
use crate::request::set_status;

/// The page shown for a failed request, answered with the matching HTTP status.
#[component]
pub fn ErrorView(error: ApiError) -> impl IntoView {
    set_status(error.kind.status());
    let path = use_location().pathname.get_untracked();
    let explained = error.kind.explain();
    let title = explained.title;
    // Problems people can fix carry their own message; for the rest the table's says enough.
    let body = match error.kind {
        ErrorKind::Invalid | ErrorKind::Conflict => error.message,
        _ => explained.message.to_string(),
    };
    view! {
        <Title text=title/>
        <h1 class="heading-xl">{title}</h1>
        <p class="body">{body}</p>
        {(error.kind == ErrorKind::Unauthenticated).then(|| view! { <p><a href=sign_in_href(&path) class="button">"Sign in"</a></p> })}
        <p><a href="/case-studies">"Browse case studies"</a></p>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorView error=ApiError { kind: ErrorKind::NotFound, message: "not found".into() }/> }
}
