use casebook_domain::forms::limits;
use casebook_domain::paths;
use casebook_domain::views::{FormProblem, ReviewQueueView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{refused_post, review_queue, ApiError};
use crate::components::case_study_card::Card;
use crate::components::form_fields::{ProblemSummary, TextArea};
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::request::set_status;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    let load = async move { Ok::<_, ApiError>((review_queue(slug).await?, refused_post().await?)) };
    loaded(load, |(queue, problem)| view! { <Queue queue problem/> })
}

#[component]
fn Queue(queue: ReviewQueueView, problem: Option<FormProblem>) -> impl IntoView {
    if let Some(p) = &problem {
        set_status(if p.message.is_some() {
            casebook_domain::ErrorKind::Conflict.status()
        } else {
            casebook_domain::ErrorKind::Invalid.status()
        });
    }
    let errors = problem.as_ref().map(|p| p.errors.clone()).unwrap_or_default();
    let action = paths::network_page(&queue.slug, "review");
    let can_hide = queue.can_hide;
    view! {
        <Title text=format!("Review queue: {}", queue.name)/>
        <ProblemSummary problem/>
        <p><a href=paths::network(&queue.slug)>{format!("Back to {}", queue.name)}</a></p>
        <h1 class="heading-xl">{format!("Review queue: {}", queue.name)}</h1>
        <h2 class="heading-l" id="pending-heading">{format!("Waiting for review ({})", queue.pending.len())}</h2>
        {if queue.pending.is_empty() {
            view! { <p class="empty-state">"Nothing is waiting for review."</p> }.into_any()
        } else {
            view! {
                <ol class="queue" aria-labelledby="pending-heading">
                    {queue.pending.into_iter().map(|item| {
                        let id = item.submission_id;
                        let reason_id = format!("reason-{id}");
                        let title = item.card.title.clone();
                        view! {
                            <li class="queue-item">
                                <Card card=item.card/>
                                <p class="caption">
                                    "Submitted "<time datetime=item.submitted.iso>{item.submitted.display}</time>
                                    {item.submitted_by.map(|p| view! { " by "<a href=paths::person(p.user_id)>{p.name}</a> })}
                                </p>
                                <details class="details">
                                    <summary class="details-summary">"Preview the opening"<span class="visually-hidden">{format!(" of {title}")}</span></summary>
                                    <div class="prose" inner_html=item.preview_html></div>
                                </details>
                                <form method="post" action=action.clone() novalidate>
                                    <CsrfField/>
                                    <input type="hidden" name="submission" value=id.to_string()/>
                                    <TextArea id=reason_id.clone() name="reason" label=format!("Reason, if you do not accept “{title}”") value="" rows=3
                                        error=errors.get(&reason_id).map(str::to_string)
                                        hint=format!("Its authors will read this. Up to {} characters.", limits::REASON)/>
                                    <div class="button-group">
                                        <button type="submit" class="button" name="decision" value="approve">"Approve"<span class="visually-hidden">{format!(" “{title}”")}</span></button>
                                        <button type="submit" class="button button-warning" name="decision" value="reject">"Reject"<span class="visually-hidden">{format!(" “{title}”")}</span></button>
                                    </div>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <h2 class="heading-l" id="reports-heading">{format!("Reports ({})", queue.reports.len())}</h2>
        {if queue.reports.is_empty() {
            view! { <p class="empty-state">"No open reports."</p> }.into_any()
        } else {
            view! {
                <ol class="queue" aria-labelledby="reports-heading">
                    {queue.reports.into_iter().map(|r| {
                        let title = r.card.title.clone();
                        view! {
                            <li class="queue-item">
                                <Card card=r.card/>
                                <p class="body"><strong>"Reported: "</strong>{r.reason}</p>
                                <p class="caption">
                                    <time datetime=r.reported.iso>{r.reported.display}</time>
                                    {r.reported_by.map(|p| view! { " by "<a href=paths::person(p.user_id)>{p.name}</a> })}
                                </p>
                                <form method="post" action=action.clone() class="button-group">
                                    <CsrfField/>
                                    <input type="hidden" name="report" value=r.report_id.to_string()/>
                                    {(can_hide && !r.hidden).then(|| view! {
                                        <button type="submit" class="button button-warning" name="decision" value="hide">"Hide from this network"<span class="visually-hidden">{format!(": “{title}”")}</span></button>
                                    })}
                                    <button type="submit" class="button button-secondary" name="decision" value="dismiss">"Dismiss the report"<span class="visually-hidden">{format!(" on “{title}”")}</span></button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <h2 class="heading-l">"Changed since approval"</h2>
        {if queue.changed.is_empty() {
            view! { <p class="empty-state">"No approved case study has been edited since it was approved."</p> }.into_any()
        } else {
            view! {
                <ul class="queue">
                    {queue.changed.into_iter().map(|c| view! {
                        <li class="queue-item">
                            <Card card=c.card/>
                            <p class="body">
                                "Approved "<time datetime=c.approved.iso>{c.approved.display}</time>". Changed since: "
                                {if c.changed.is_empty() { "nothing that shows".to_string() } else { c.changed.join(", ") }}
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
