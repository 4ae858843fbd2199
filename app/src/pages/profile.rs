use casebook_domain::views::ProfileView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{profile, ApiError};
use crate::components::case_study_card::CardList;
use crate::components::error_view::ErrorView;
use crate::components::loaded::loaded;
use crate::components::verified_badge::VerifiedBadge;

#[component]
pub fn ProfilePage() -> impl IntoView {
    match use_params_map().get_untracked().get("id").and_then(|id| id.parse::<i32>().ok()) {
        Some(id) => loaded(profile(id), |person| view! { <Profile person/> }).into_any(),
        None => {
            view! { <ErrorView error=ApiError { kind: casebook_domain::ErrorKind::NotFound, message: "not found".into() }/> }.into_any()
        }
    }
}

#[component]
fn Profile(person: ProfileView) -> impl IntoView {
    let about = [Some(person.job_role.clone()).filter(|r| !r.is_empty()), person.organisation.as_ref().map(|o| o.name.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <Title text=person.display_name.clone()/>
        {person.is_demo.then(|| view! {
            <div class="notice notice-demo"><strong class="tag tag-grey">"Demo content"</strong>" This is a fictional person."</div>
        })}
        <h1 class="heading-xl">{person.display_name}</h1>
        {person.verified_domain.map(|domain| view! {
            <p><VerifiedBadge domain=domain.clone()/>" "<span class="caption">{format!("Their sign-in provider vouches for an email address at {domain}.")}</span></p>
        })}
        {(!about.is_empty()).then(|| view! { <p class="lead">{about}</p> })}
        {person.organisation.map(|o| view! { <p><a href=casebook_domain::paths::organisation(&o.slug)>{format!("More from {}", o.name)}</a></p> })}
        <div class="prose" inner_html=person.bio_html></div>
        {person.is_self.then(|| view! { <p><a class="button button-secondary" href="/account">"Edit your profile and account"</a></p> })}
        {(!person.networks.is_empty()).then(|| view! {
            <h2 class="heading-l">"Networks"</h2>
            <ul class="plain-list">
                {person.networks.into_iter().map(|m| view! {
                    <li><a href=casebook_domain::paths::network(&m.network.slug)>{m.network.name}</a>" ("{m.role.label().to_lowercase()}")"</li>
                }).collect_view()}
            </ul>
        })}
        {(person.is_self && !person.submissions.is_empty()).then(|| view! {
            <h2 class="heading-l">"Your case studies in networks"</h2>
            <table class="table">
                <caption class="visually-hidden">"Your submissions and the decisions on them"</caption>
                <thead><tr><th scope="col">"Case study"</th><th scope="col">"Network"</th><th scope="col">"Decision"</th><th scope="col">"When"</th></tr></thead>
                <tbody>
                    {person.submissions.into_iter().map(|s| view! {
                        <tr>
                            <td><a href=casebook_domain::paths::case_study(&s.case_study.slug)>{s.case_study.name}</a></td>
                            <td><a href=casebook_domain::paths::network(&s.network.slug)>{s.network.name}</a></td>
                            <td>
                                <strong class=format!("tag tag-submission-{}", s.state.slug())>{if s.hidden { "Hidden by the organisers" } else { s.state.label() }}</strong>
                                {s.reason.map(|reason| view! { <p class="body">{reason}</p> })}
                            </td>
                            <td><time datetime=s.at.iso>{s.at.display}</time></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <h2 class="heading-l">"Published case studies"</h2>
        <CardList cards=person.published empty="No published case studies yet."/>
        {person.is_self.then(|| view! {
            <h2 class="heading-l">"Your drafts"</h2>
            <p class="hint">"Only you and your co-authors can see these."</p>
            <CardList cards=person.drafts empty="You have no drafts."/>
        })}
    }
}
