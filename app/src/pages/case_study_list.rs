use casebook_domain::views::{CaseStudyCard, Link, ListFilters, Page};
use casebook_domain::vocabulary::{Phase, ServiceArea};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{case_study_list, organisations, patterns, ApiError};
use crate::components::case_study_card::CardList;
use crate::components::feed_link::FeedLink;
use crate::components::form_fields::{Choice, Select, TextInput};
use crate::components::loaded::loaded;
use crate::components::pagination::Pagination;

struct ListPage {
    results: Page<CaseStudyCard>,
    patterns: Vec<Link>,
    organisations: Vec<Link>,
}

async fn load(filters: ListFilters) -> Result<ListPage, ApiError> {
    let results = case_study_list(filters).await?;
    let (patterns, organisations) = filter_choices().await?;
    Ok(ListPage { results, patterns, organisations })
}

fn choices(links: Vec<Link>) -> Vec<Choice> {
    links.into_iter().map(|l| (l.slug, l.name)).collect()
}

/// The list's filters as the address gives them.
pub fn filters_from_query() -> ListFilters {
    let query = use_query_map().get_untracked();
    let given = |key: &str| query.get(key).filter(|v| !v.trim().is_empty());
    ListFilters {
        pattern: given("pattern"),
        service_area: given("service_area"),
        phase: given("phase"),
        organisation: given("organisation"),
        tag: given("tag"),
        network: None,
        page: query.get("page").filter(|p| !p.trim().is_empty()).map(|p| p.trim().parse().unwrap_or(0)),
    }
}

/// The filters form, sent to `action` (the case study list, or a network's page).
#[component]
pub fn ListFilterForm(action: String, filters: ListFilters, patterns: Vec<Link>, organisations: Vec<Link>) -> impl IntoView {
    let selected = |value: &Option<String>| value.clone().unwrap_or_default();
    let areas: Vec<Choice> = ServiceArea::ALL.iter().map(|a| (a.slug().to_string(), a.label().to_string())).collect();
    let phases: Vec<Choice> = Phase::ALL.iter().map(|p| (p.slug().to_string(), p.label().to_string())).collect();
    let clear = action.clone();
    view! {
        <form class="filters" method="get" action=action aria-labelledby="filters-heading">
            <h2 class="heading-m" id="filters-heading">"Filter"</h2>
            <Select id="pattern" label="Pattern" choices=choices(patterns) selected=selected(&filters.pattern) placeholder="Any pattern"/>
            <Select id="service_area" label="Service area" choices=areas selected=selected(&filters.service_area) placeholder="Any service area"/>
            <Select id="phase" label="Phase" choices=phases selected=selected(&filters.phase) placeholder="Any phase"/>
            <Select id="organisation" label="Organisation" choices=choices(organisations) selected=selected(&filters.organisation) placeholder="Any organisation"/>
            <TextInput id="tag" label="Tag" value=selected(&filters.tag) hint="For example bin collection"/>
            <button type="submit" class="button">"Apply filters"</button>
            <p><a href=clear>"Clear filters"</a></p>
        </form>
    }
}

/// The choices the filters offer.
pub async fn filter_choices() -> Result<(Vec<Link>, Vec<Link>), ApiError> {
    let patterns = patterns().await?.into_iter().map(|p| Link { slug: p.slug, name: p.name }).collect();
    let organisations = organisations().await?.into_iter().map(|o| Link { slug: o.slug, name: o.name }).collect();
    Ok((patterns, organisations))
}

#[component]
pub fn CaseStudyListPage() -> impl IntoView {
    let filters = filters_from_query();
    loaded(load(filters.clone()), move |data| {
        let ListPage { results, patterns, organisations } = data;
        let count = match results.total_items {
            1 => "1 case study".to_string(),
            n => format!("{n} case studies"),
        };
        let title = if results.page > 1 {
            format!("Case studies (page {} of {})", results.page, results.total_pages)
        } else {
            "Case studies".to_string()
        };
        view! {
            <Title text=title/>
            <h1 class="heading-xl">"Case studies"</h1>
            <div class="list-layout">
                <ListFilterForm action=casebook_domain::paths::CASE_STUDIES.to_string() filters=filters.clone() patterns organisations/>
                <section class="results" aria-labelledby="results-heading">
                    <h2 class="heading-m" id="results-heading" aria-live="polite">{count}</h2>
                    <CardList cards=results.items empty="No case studies match these filters. Try removing a filter."/>
                    <FeedLink href=casebook_domain::paths::LATEST_FEED.to_string() title="The newest case studies".to_string()/>
                    <Pagination page=results.page total_pages=results.total_pages
                        href=move |n| casebook_domain::paths::case_studies(&filters.query_for_page(n))/>
                </section>
            </div>
        }
    })
}
