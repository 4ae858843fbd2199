use casebook_domain::paths;
use casebook_domain::permissions::NetworkStanding;
use casebook_domain::views::{FormProblem, Link, NetworkView};
use casebook_domain::vocabulary::ReviewPolicy;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

use super::case_study_list::{filter_choices, filters_from_query, ListFilterForm};
use crate::api::{network_page, refused_post, ApiError};
use crate::components::case_study_card::CardList;
use crate::components::collection_list::CollectionList;
use crate::components::feed_link::FeedLink;
use crate::components::follow_button::FollowButton;
use crate::components::form_fields::ProblemSummary;
use crate::components::layout::{sign_in_href, CsrfField};
use crate::components::loaded::loaded;
use crate::components::pagination::Pagination;
use crate::request::set_status;
use casebook_domain::vocabulary::FollowTarget;

struct Loaded {
    network: NetworkView,
    patterns: Vec<Link>,
    organisations: Vec<Link>,
    problem: Option<FormProblem>,
}

#[component]
pub fn NetworkPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    let filters = filters_from_query();
    let load = async move {
        let network = network_page(slug, filters).await?;
        let (patterns, organisations) = filter_choices().await?;
        Ok::<_, ApiError>(Loaded { network, patterns, organisations, problem: refused_post().await? })
    };
    loaded(load, |data| view! { <Network data/> })
}

/// The join, request or leave button, as the person's standing allows.
#[component]
fn Membership(network: NetworkView) -> impl IntoView {
    let action = paths::network(&network.slug);
    let path = use_location().pathname.get_untracked();
    let button = |value: &'static str, label: &'static str, class: &'static str| {
        view! {
            <form method="post" action=action.clone() class="inline-form">
                <CsrfField/>
                <input type="hidden" name="action" value=value/>
                <button type="submit" class=class>{label}</button>
            </form>
        }
    };
    let status = match network.standing {
        NetworkStanding::Requested => Some("You have asked to join. An organiser will answer."),
        NetworkStanding::Invited => Some("You have been invited to join this network."),
        NetworkStanding::Member | NetworkStanding::Reviewer | NetworkStanding::Organiser => Some("You are a member of this network."),
        _ => None,
    };
    let joined_label = if network.standing == NetworkStanding::Invited { "Accept the invitation" } else { "Join this network" };
    view! {
        <div class="membership">
            {status.map(|text| view! { <p class="body"><strong>{text}</strong></p> })}
            {(network.standing == NetworkStanding::Anonymous).then(|| view! {
                <p class="body"><a href=sign_in_href(&path)>"Sign in to join this network"</a></p>
            })}
            {network.may.join.then(|| button("join", joined_label, "button"))}
            {network.may.request.then(|| button("join", "Request to join", "button"))}
            {network.may.leave.then(|| {
                let label = match network.standing {
                    NetworkStanding::Requested => "Withdraw your request",
                    NetworkStanding::Invited => "Decline the invitation",
                    _ => "Leave this network",
                };
                button("leave", label, "button button-secondary")
            })}
            {(network.standing == NetworkStanding::Outsider && !network.may.join && !network.may.request).then(|| view! {
                <p class="body">"This network is by invitation only: ask one of its organisers."</p>
            })}
        </div>
    }
}

#[component]
fn Network(data: Loaded) -> impl IntoView {
    let Loaded { network, patterns, organisations, problem } = data;
    if let Some(p) = &problem {
        set_status(if p.message.is_some() {
            casebook_domain::ErrorKind::Conflict.status()
        } else {
            casebook_domain::ErrorKind::Invalid.status()
        });
    }
    let slug = network.slug.clone();
    let results = network.case_studies.clone();
    let filters = network.filters.clone();
    let policy = match network.review_policy {
        ReviewPolicy::Every => "Organisers or reviewers approve every case study before it is shared here.".to_string(),
        ReviewPolicy::OrganisersTrusted => {
            "Organisers and reviewers share their own case studies at once; others' are reviewed first.".to_string()
        }
        ReviewPolicy::TrustedAfter => format!(
            "Members' case studies are reviewed until {} of theirs have been approved; after that they are shared at once.",
            network.trusted_after
        ),
    };
    let count = match results.total_items {
        1 => "1 case study shared".to_string(),
        n => format!("{n} case studies shared"),
    };
    let page_slug = slug.clone();
    view! {
        <Title text=network.name.clone()/>
        <ProblemSummary problem/>
        {network.is_demo.then(|| view! {
            <div class="notice notice-demo"><strong class="tag tag-grey">"Demo content"</strong>" This network is illustrative: the people and organisations in it are fictional."</div>
        })}
        <span class="caption-l">"Network"</span>
        <h1 class="heading-xl">{network.name.clone()}</h1>
        <FollowButton target=FollowTarget::Network key=network.slug.clone()/>
        <div class="case-study-layout">
            <div class="case-study-main">
                <div class="prose" inner_html=network.description_html.clone()></div>
                {(!network.website.is_empty()).then(|| view! {
                    <p><a href=network.website.clone() rel="nofollow noopener">"The network's website"<span class="visually-hidden">{format!(": {}", network.name)}</span></a></p>
                })}
                <Membership network=network.clone()/>
                {(network.may.review || network.may.edit || network.may.manage).then(|| view! {
                    <ul class="inline-list organiser-links">
                        {network.may.review.then(|| view! { <li><a href=paths::network_page(&slug, "review")>{format!("Review queue ({} waiting)", network.waiting)}</a></li> })}
                        {network.may.manage.then(|| view! { <li><a href=paths::network_page(&slug, "members")>"Manage members"</a></li> })}
                        {network.may.edit.then(|| view! { <li><a href=paths::network_page(&slug, "edit")>"Edit this network"</a></li> })}
                        {network.may.curate.then(|| view! { <li><a href=paths::NEW_COLLECTION>"Start a collection"</a></li> })}
                    </ul>
                })}
                <h2 class="heading-l" id="collections-heading">"Collections"</h2>
                <CollectionList collections=network.collections.clone() empty="This network has no collections yet."/>
            </div>
            <aside class="case-study-facts" aria-labelledby="facts-heading">
                <h2 class="heading-m" id="facts-heading">"About this network"</h2>
                <dl class="summary-list">
                    <div class="summary-list-row"><dt class="summary-list-key">"Organisers"</dt><dd class="summary-list-value">
                        <ul class="plain-list">{network.organisers.iter().map(|o| view! { <li><a href=paths::person(o.user_id)>{o.name.clone()}</a></li> }).collect_view()}</ul>
                    </dd></div>
                    <div class="summary-list-row"><dt class="summary-list-key">"Members"</dt><dd class="summary-list-value">
                        {if network.may.see_members {
                            view! { <a href=paths::network_page(&slug, "members")>{network.member_count.to_string()}</a> }.into_any()
                        } else {
                            network.member_count.to_string().into_any()
                        }}
                    </dd></div>
                    <div class="summary-list-row"><dt class="summary-list-key">"Joining"</dt><dd class="summary-list-value">{network.join_policy.label()}</dd></div>
                    <div class="summary-list-row"><dt class="summary-list-key">"Review"</dt><dd class="summary-list-value">{policy}</dd></div>
                </dl>
            </aside>
        </div>
        <h2 class="heading-l" id="shared-heading">"Case studies shared in this network"</h2>
        <div class="list-layout">
            <ListFilterForm action=paths::network(&slug) filters=filters.clone() patterns organisations/>
            <section class="results" aria-labelledby="results-count">
                <h3 class="heading-m" id="results-count">{count}</h3>
                <CardList cards=results.items empty="No case studies shared here match these filters."/>
                <FeedLink href=paths::feed("networks", &slug) title=format!("Case studies shared in {}", network.name)/>
                <Pagination page=results.page total_pages=results.total_pages
                    href=move |n| paths::with_query(&paths::network(&page_slug), &filters.query_for_page(n))/>
            </section>
        </div>
    }
}
