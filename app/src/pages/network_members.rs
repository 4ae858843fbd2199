use casebook_domain::paths;
use casebook_domain::views::{FormProblem, MemberRow, MembersView};
use casebook_domain::vocabulary::{MembershipState, NetworkRole};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{network_members, refused_post, ApiError};
use crate::components::form_fields::{ProblemSummary, TextInput};
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::request::set_status;

#[component]
pub fn NetworkMembersPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    let load = async move { Ok::<_, ApiError>((network_members(slug).await?, refused_post().await?)) };
    loaded(load, |(members, problem)| view! { <Members members problem/> })
}

/// One organiser's action on one person, as a small form.
fn action_form(action: String, user_id: i32, value: &'static str, label: String, extra: Option<AnyView>) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            <CsrfField/>
            <input type="hidden" name="action" value=value/>
            <input type="hidden" name="user" value=user_id.to_string()/>
            {extra}
            <button type="submit" class="button button-secondary button-small">{label}</button>
        </form>
    }
}

#[component]
fn Members(members: MembersView, problem: Option<FormProblem>) -> impl IntoView {
    if problem.is_some() {
        set_status(casebook_domain::ErrorKind::Conflict.status());
    }
    let action = paths::network_page(&members.slug, "members");
    let can_manage = members.can_manage;
    let who_error = problem.as_ref().and_then(|p| p.errors.get("who").map(str::to_string));
    let row = {
        let action = action.clone();
        move |m: MemberRow| {
            let name = m.person.name.clone();
            let roles =
                NetworkRole::ALL.iter().map(|r| view! { <option value=r.slug() selected=*r == m.role>{r.label()}</option> }).collect_view();
            let select_id = format!("role-{}", m.person.user_id);
            view! {
                <tr>
                    <td><a href=paths::person(m.person.user_id)>{m.person.name.clone()}</a></td>
                    <td>{if m.state == MembershipState::Active { m.role.label() } else { m.state.label() }}</td>
                    <td><time datetime=m.since.iso>{m.since.display}</time></td>
                    {can_manage.then(|| view! {
                        <td class="actions">
                            {(m.state == MembershipState::Requested).then(|| action_form(action.clone(), m.person.user_id, "admit", format!("Let {name} in"), None))}
                            {(m.state == MembershipState::Active).then(|| action_form(action.clone(), m.person.user_id, "role", format!("Change {name}'s role"), Some(view! {
                                <label class="visually-hidden" for=select_id.clone()>{format!("Role for {name}")}</label>
                                <select class="select" id=select_id.clone() name="role">{roles}</select>
                            }.into_any())))}
                            {action_form(action.clone(), m.person.user_id, "remove", format!("Remove {name}"), None)}
                        </td>
                    })}
                </tr>
            }
        }
    };
    let table = |caption: &'static str, rows: Vec<MemberRow>| {
        let row = row.clone();
        view! {
            <table class="table">
                <caption class="table-caption">{caption}</caption>
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Since"</th>{can_manage.then(|| view! { <th scope="col">"Actions"</th> })}</tr></thead>
                <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
            </table>
        }
    };
    view! {
        <Title text=format!("Members of {}", members.name)/>
        <ProblemSummary problem/>
        <p><a href=paths::network(&members.slug)>{format!("Back to {}", members.name)}</a></p>
        <h1 class="heading-xl">{format!("Members of {}", members.name)}</h1>
        {(!members.waiting.is_empty()).then(|| table("Waiting: asked to join or invited", members.waiting))}
        {table("Members", members.members)}
        {can_manage.then(|| view! {
            <h2 class="heading-l">"Invite someone"</h2>
            <form method="post" action=action.clone() novalidate>
                <CsrfField/>
                <input type="hidden" name="action" value="invite"/>
                <TextInput id="who" label="Their email address or profile number" value="" error=who_error
                    hint="They need to have signed in to Casebook once. Their profile number is in their profile's address."/>
                <button type="submit" class="button">"Send the invitation"</button>
            </form>
        })}
    }
}
