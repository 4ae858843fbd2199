use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::dev_personas;
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;

#[component]
pub fn SignInPage() -> impl IntoView {
    let return_to = use_query_map().get_untracked().get("return_to").unwrap_or_default();
    loaded(dev_personas(), move |personas| {
        let body = if personas.is_empty() {
            view! {
                <p class="body">"Signing in with the account you already use at work (Microsoft, Google, GitHub, GitLab or your network's own sign-in) is coming soon."</p>
            }
            .into_any()
        } else {
            view! {
                <div class="warning-text" role="note">
                    <strong>"Development sign-in. "</strong>
                    "Choose a demo persona to try Casebook. This is switched on for development only and never on a real service."
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
            .into_any()
        };
        view! {
            <Title text="Sign in"/>
            <h1 class="heading-xl">"Sign in"</h1>
            <p class="lead">"Sign in to share a case study or edit your own. Reading needs no account."</p>
            {body}
        }
    })
}
