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
    let (title, body) = match error.kind {
        ErrorKind::NotFound => ("Page not found", "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address. Drafts can only be seen by their authors.".to_string()),
        ErrorKind::Forbidden => ("You cannot do that", "Only the authors of a case study, and admins, can change it.".to_string()),
        ErrorKind::Unauthenticated => ("Sign in to continue", "You need to sign in to do that.".to_string()),
        ErrorKind::Invalid => ("There is a problem", error.message),
        ErrorKind::Conflict => ("That cannot be done", error.message),
        ErrorKind::Unavailable => ("Sorry, search is not working at the moment", "Try again in a few minutes. You can still browse case studies by pattern, organisation or dataset.".to_string()),
        ErrorKind::Internal => ("Sorry, there is a problem with the service", "Try again later. Nothing you submitted has been lost.".to_string()),
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
