//! What a case study's page offers about networks and collections: its authors submit it to
//! their networks and see each decision; anyone signed in reports it to a network's organisers;
//! curators add it to a collection. Every action is a plain form post.
use casebook_domain::forms::limits;
use casebook_domain::paths;
use casebook_domain::views::{FormProblem, Link, SharingView};
use casebook_domain::vocabulary::SubmissionState;
use leptos::prelude::*;

use super::form_fields::{Choices, Select, TextArea};
use super::layout::CsrfField;

/// Adding one case study to a collection the person curates, from wherever it is shown.
#[component]
pub fn AddToCollection(
    case_study: String,
    collections: Vec<Link>,
    #[prop(into)] return_to: String,
    #[prop(into)] id: String,
) -> impl IntoView {
    if collections.is_empty() {
        return ().into_any();
    }
    let first = collections[0].slug.clone();
    let choices: Vec<(String, String)> = collections.into_iter().map(|c| (c.slug, c.name)).collect();
    view! {
        <form method="post" action=paths::ADD_TO_COLLECTION class="add-to-collection">
            <CsrfField/>
            <input type="hidden" name="case_study" value=case_study/>
            <input type="hidden" name="return_to" value=return_to/>
            <Select id=id name="collection" label="Add to a collection" choices selected=first/>
            <button type="submit" class="button button-secondary button-small">"Add"</button>
        </form>
    }
    .into_any()
}

#[component]
pub fn SharingPanel(slug: String, sharing: SharingView, problem: Option<FormProblem>) -> impl IntoView {
    let action = paths::case_study(&slug);
    let errors = problem.map(|p| p.errors).unwrap_or_default();
    let SharingView { shared_in, submissions, submit_to, report_to, add_to, .. } = sharing;
    let nothing = shared_in.is_empty() && submissions.is_empty() && submit_to.is_empty() && report_to.is_empty() && add_to.is_empty();
    if nothing {
        return ().into_any();
    }
    view! {
        <section class="sharing" aria-labelledby="networks-heading">
            <h2 class="heading-l" id="networks-heading">"Networks and collections"</h2>
            {if shared_in.is_empty() {
                view! { <p class="body">"Not shared in any network yet."</p> }.into_any()
            } else {
                view! {
                    <p class="body">"Shared in "
                        {shared_in.into_iter().enumerate().map(|(i, n)| view! { {(i > 0).then_some(", ")}<a href=paths::network(&n.slug)>{n.name}</a> }).collect_view()}
                        "."
                    </p>
                }.into_any()
            }}
            {(!submissions.is_empty()).then(|| view! {
                <h3 class="heading-m">"Your submissions"</h3>
                <ul class="plain-list submissions">
                    {submissions.into_iter().map(|s| {
                        let withdrawable = matches!(s.state, SubmissionState::Pending | SubmissionState::Approved);
                        let label = if s.hidden { "Hidden by the organisers".to_string() } else { s.state.label().to_string() };
                        view! {
                            <li class="submission">
                                <a href=paths::network(&s.network.slug)>{s.network.name.clone()}</a>": "
                                <strong class=format!("tag tag-submission-{}", s.state.slug())>{label}</strong>
                                " "<span class="caption"><time datetime=s.at.iso>{s.at.display}</time></span>
                                {s.reason.map(|reason| view! { <p class="body"><strong>"Reason: "</strong>{reason}</p> })}
                                {withdrawable.then(|| view! {
                                    <form method="post" action=action.clone() class="inline-form">
                                        <CsrfField/>
                                        <input type="hidden" name="action" value="withdraw"/>
                                        <input type="hidden" name="network" value=s.network.slug.clone()/>
                                        <button type="submit" class="link-button">"Withdraw it"<span class="visually-hidden">{format!(" from {}", s.network.name)}</span></button>
                                    </form>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!submit_to.is_empty()).then(|| view! {
                <form method="post" action=action.clone() novalidate>
                    <CsrfField/>
                    <input type="hidden" name="action" value="submit"/>
                    <Choices id="networks" legend="Submit it to your networks" multiple=true small=true
                        hint="Each network's organisers review it before it is shared there, unless the network trusts you."
                        error=errors.get("networks").map(str::to_string)
                        choices=submit_to.into_iter().map(|n| (n.slug, n.name)).collect() selected=Vec::new()/>
                    <button type="submit" class="button">"Submit"</button>
                </form>
            })}
            {(!add_to.is_empty()).then(|| view! {
                <AddToCollection case_study=slug.clone() collections=add_to return_to=action.clone() id="add-to-collection"/>
            })}
            {(!report_to.is_empty()).then(|| view! {
                <details class="details" open=errors.get("report-reason").is_some()>
                    <summary class="details-summary">"Report a problem with this case study"</summary>
                    <form method="post" action=action.clone() novalidate>
                        <CsrfField/>
                        <input type="hidden" name="action" value="report"/>
                        <Select id="report-network" name="network" label="To the organisers of" selected=String::new()
                            error=errors.get("report-network").map(str::to_string)
                            choices=report_to.into_iter().map(|n| (n.slug, n.name)).collect()/>
                        <TextArea id="report-reason" name="reason" label="What is wrong" value="" rows=3 error=errors.get("report-reason").map(str::to_string)
                            hint=format!("Up to {} characters. The organisers will see your name.", limits::REASON)/>
                        <button type="submit" class="button button-secondary">"Send the report"</button>
                    </form>
                </details>
            })}
        </section>
    }
    .into_any()
}
