//! Pages for the things case studies link to: patterns, tags and organisations (datasets have
//! pages of their own).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api;
use casebook_domain::paths;

use crate::components::case_study_card::CardList;
use crate::components::feed_link::FeedLink;
use crate::components::follow_button::FollowButton;
use crate::components::loaded::loaded;
use crate::components::pagination::Pagination;
use casebook_domain::views::{CaseStudyCard, Page};
use casebook_domain::vocabulary::FollowTarget;

pub(crate) fn param(name: &str) -> String {
    use_params_map().get_untracked().get(name).unwrap_or_default()
}

/// The page number the address asks for, if any.
pub(crate) fn page_param() -> Option<u64> {
    leptos_router::hooks::use_query_map().get_untracked().get("page").and_then(|p| p.trim().parse().ok())
}

/// How many case studies, one page of their cards, and links to the other pages of `base`.
#[component]
fn ListedCaseStudies(cards: Page<CaseStudyCard>, base: String, empty: &'static str) -> impl IntoView {
    view! {
        <h2 class="heading-l">{count(cards.total_items as usize)}</h2>
        <CardList cards=cards.items empty=empty/>
        <Pagination page=cards.page total_pages=cards.total_pages href=move |n| format!("{base}?page={n}")/>
    }
}

pub(crate) fn count(n: usize) -> String {
    if n == 1 {
        "1 case study".into()
    } else {
        format!("{n} case studies")
    }
}

#[component]
pub fn PatternsPage() -> impl IntoView {
    loaded(api::patterns(), |patterns| {
        view! {
            <Title text="Patterns"/>
            <h1 class="heading-xl">"Patterns of open data in public services"</h1>
            <p class="lead">"Why a service released open data, and what it made possible."</p>
            <ul class="pattern-grid">
                {patterns.into_iter().map(|p| view! {
                    <li class="pattern-summary">
                        <h2 class="heading-m"><a href=casebook_domain::paths::pattern(&p.slug)>{p.name}</a></h2>
                        <p>{p.summary}</p>
                        <p class="caption">{count(p.case_studies as usize)}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
pub fn PatternPage() -> impl IntoView {
    loaded(api::pattern(param("slug"), page_param()), |listing| {
        let p = listing.subject;
        let feed = format!("Case studies using {}", p.name);
        view! {
            <Title text=p.name.clone()/>
            <span class="caption-l">"Pattern"</span>
            <h1 class="heading-xl">{p.name}</h1>
            <FollowButton target=FollowTarget::Pattern key=p.slug.clone()/>
            <p class="lead">{p.summary}</p>
            <p class="body">{p.description}</p>
            <ListedCaseStudies cards=listing.case_studies base=paths::pattern(&p.slug) empty="No published case studies use this pattern yet."/>
            <FeedLink href=paths::feed("patterns", &p.slug) title=feed/>
        }
    })
}

#[component]
pub fn TagPage() -> impl IntoView {
    loaded(api::tag(param("slug"), page_param()), |listing| {
        let feed = (paths::feed("tags", &listing.subject.slug), format!("Case studies tagged {}", listing.subject.name));
        view! {
            <Title text=format!("Tagged {}", listing.subject.name)/>
            <span class="caption-l">"Tag"</span>
            <h1 class="heading-xl">{listing.subject.name}</h1>
            <FollowButton target=FollowTarget::Tag key=listing.subject.slug.clone()/>
            <FeedLink href=feed.0 title=feed.1/>
            <ListedCaseStudies cards=listing.case_studies base=paths::tag(&listing.subject.slug) empty="No published case studies have this tag."/>
        }
    })
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    loaded(api::organisations(), |organisations| {
        view! {
            <Title text="Organisations"/>
            <h1 class="heading-xl">"Organisations"</h1>
            <ul class="plain-list">
                {organisations.into_iter().map(|o| view! {
                    <li><a href=casebook_domain::paths::organisation(&o.slug)>{o.name}</a><span class="caption">{format!(" · {}", o.kind.label())}</span></li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
pub fn OrganisationPage() -> impl IntoView {
    loaded(api::organisation(param("slug"), page_param()), |listing| {
        let o = listing.subject;
        let feed = format!("Case studies from {}", o.name);
        view! {
            <Title text=o.name.clone()/>
            <span class="caption-l">{o.kind.label()}</span>
            <h1 class="heading-xl">{o.name}</h1>
            <FollowButton target=FollowTarget::Organisation key=o.slug.clone()/>
            {o.website.map(|url| view! { <p><a href=url.clone() rel="nofollow noopener">{url.clone()}</a></p> })}
            <ListedCaseStudies cards=listing.case_studies base=paths::organisation(&o.slug) empty="This organisation has no published case studies yet."/>
            <FeedLink href=paths::feed("organisations", &o.slug) title=feed/>
        }
    })
}
