use casebook_domain::views::{encode_query_value, Persona, SignInOption};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::sign_in_page;
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;

#[component]
pub fn SignInPage() -> impl IntoView {
    let return_to = use_query_map().get_untracked().get("return_to").unwrap_or_default();
    loaded(sign_in_page(), move |page| {
        let providers = if page.options.is_empty() {
            view! { <p class="body">"No way of signing in has been set up on this site yet."</p> }.into_any()
        } else {
            view! { <Providers options=page.options return_to=return_to.clone()/> }.into_any()
        };
        view! {
            <Title text="Sign in"/>
            <h1 class="heading-xl">"Sign in"</h1>
            <p class="lead">"Sign in to share a case study or edit your own. Reading needs no account."</p>
            {providers}
            <h2 class="heading-m">"What Casebook does with your details"</h2>
            <p class="body">
                "The service you choose tells Casebook your name, an identifier for your account and, if it has checked it, your email address. "
                "Casebook keeps the identifier to recognise you next time, and shows your name on your profile and your case studies. "
                "Your email address is never shown or shared: it is used only to mark you as a verified public servant when it is at a public-sector domain, and to let administrators find your account. "
                "Casebook receives no password and cannot act on your account with that service."
            </p>
            <p class="body">"You can download everything Casebook holds about you, or delete your account, from your account page at any time."</p>
            {(!page.personas.is_empty()).then(|| view! { <DevPersonas personas=page.personas return_to=return_to.clone()/> })}
        }
    })
}

#[component]
fn Providers(options: Vec<SignInOption>, return_to: String) -> impl IntoView {
    let query = if return_to.is_empty() { String::new() } else { format!("?return_to={}", encode_query_value(&return_to)) };
    view! {
        <ul class="provider-list">
            {options.into_iter().map(|option| view! {
                <li><a class="button button-provider" href=casebook_domain::paths::sign_in_with(&option.id, &query)>{format!("Sign in with {}", option.label)}</a></li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn DevPersonas(personas: Vec<Persona>, return_to: String) -> impl IntoView {
    view! {
        <h2 class="heading-m">"Development sign-in"</h2>
        <div class="warning-text" role="note">
            <strong>"For development only. "</strong>
            "Choose a demo persona to try Casebook. This is switched on by CASEBOOK_DEV_LOGIN and never on a real service."
        </div>
        <ul class="persona-list">
            {personas.into_iter().map(|p| {
                let about = match p.organisation { Some(org) => format!("{}, {org}", p.job_role), None => p.job_role };
                view! {
                    <li class="persona">
                        <form method="post" action="/sign-in/dev">
                            <CsrfField/>
                            <input type="hidden" name="persona" value=p.user_id/>
                            <input type="hidden" name="return_to" value=return_to.clone()/>
                            <button type="submit" class="button button-secondary">{format!("Sign in as {}", p.display_name)}</button>
                            <p class="caption">{about}</p>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
