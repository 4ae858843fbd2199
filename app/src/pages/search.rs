use casebook_domain::search::{Dimension, FacetValue, FacetView, SearchHitView, SearchParams, SearchView, Sort};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{addable_collections, refused_post, search_case_studies, ApiError};
use crate::components::case_study_card::Card;
use crate::components::follow_button::FollowButton;
use crate::components::form_fields::ProblemSummary;
use crate::components::island_scripts::IslandScripts;
use crate::components::live_search::LiveSearchField;
use crate::components::loaded::loaded;
use crate::components::pagination::Pagination;
use crate::components::sharing_panel::AddToCollection;
use casebook_domain::views::Link;
use casebook_domain::vocabulary::FollowTarget;

/// Values listed per facet before "more".
const SHOWN_VALUES: usize = 8;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let parsed = SearchParams::parse((&query).into_iter().map(|(key, value)| (key.as_ref(), value)));
    let load = async move {
        match parsed {
            Ok(params) => Ok((search_case_studies(params).await?, addable_collections().await?, refused_post().await?)),
            Err(errors) => Err(ApiError {
                kind: casebook_domain::ErrorKind::Invalid,
                message: errors.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(". "),
            }),
        }
    };
    view! {
        <IslandScripts/>
        {loaded(load, |(results, collections, problem)| view! { <ProblemSummary problem/><Results results collections/> })}
    }
}

fn count_text(view: &SearchView) -> String {
    let found = match view.total {
        0 => "No case studies".to_string(),
        1 => "1 case study".to_string(),
        n => format!("{n} case studies"),
    };
    match view.params.q.as_str() {
        "" => found,
        q => format!("{found} for “{q}”"),
    }
}

#[component]
fn Results(results: SearchView, collections: Vec<Link>) -> impl IntoView {
    let params = results.params.clone();
    let count = count_text(&results);
    let title = match (params.q.as_str(), params.page) {
        ("", 1) => "Search case studies".to_string(),
        ("", page) => format!("Search case studies (page {page})"),
        (q, 1) => format!("{q}: search"),
        (q, page) => format!("{q}: search (page {page})"),
    };
    let hidden_filters = params.filters.iter().map(|(d, v)| view! { <input type="hidden" name=d.key() value=v.clone()/> }).collect_view();
    let sort_option = |sort: Sort, label: &'static str| view! { <option value=sort.key() selected=params.sort == sort>{label}</option> };
    view! {
        <Title text=title/>
        <form class="search-form" method="get" action="/search" role="search" aria-label="Case studies">
            <h1 class="heading-xl"><label for="q">"Search case studies"</label></h1>
            <div id="q-hint" class="hint">"For example bin collection, bus times or planning. Results show as you type."</div>
            <div class="search-row">
                <LiveSearchField value=params.q.clone()/>
                <button type="submit" class="button">"Search"</button>
            </div>
            {hidden_filters}
            <div class="search-sort">
                <label class="label" for="sort">"Sort by"</label>
                <select class="select" id="sort" name="sort">
                    {sort_option(Sort::Relevance, "Best match")}
                    {sort_option(Sort::Newest, "Newest")}
                </select>
            </div>
        </form>
        <p id="search-status" class="visually-hidden" role="status">{count.clone()}</p>
        <div id="search-results">
            <Chips results=results.clone()/>
            {(!params.q.is_empty() || !params.filters.is_empty()).then(|| {
                let saved = SearchParams { page: 1, sort: Default::default(), ..params.clone() };
                view! { <FollowButton target=FollowTarget::Search key=saved.query_string()/> }
            })}
            <div class="list-layout">
                <aside class="facets" aria-labelledby="facets-heading">
                    <h2 class="heading-m" id="facets-heading">"Filter"</h2>
                    {results.facets.iter().filter(|f| !f.values.is_empty()).map(|facet| view! { <Facet facet=facet.clone() params=params.clone()/> }).collect_view()}
                </aside>
                <section class="results" aria-labelledby="results-heading">
                    <h2 class="heading-m" id="results-heading">{count}</h2>
                    <Hits hits=results.hits params=params.clone() collections/>
                    <Pagination page=params.page total_pages=results.total_pages href=move |n| params.on_page(n).href()/>
                </section>
            </div>
        </div>
    }
}

/// The filters in force, each a link that removes it.
#[component]
fn Chips(results: SearchView) -> impl IntoView {
    if results.chips.is_empty() {
        return ().into_any();
    }
    let params = results.params;
    let clear = params.without_filters().href();
    view! {
        <div class="chips">
            <h2 class="heading-s" id="chips-heading">"Filtered by"</h2>
            <ul class="chip-list" aria-labelledby="chips-heading">
                {results.chips.into_iter().map(|(dimension, value)| view! {
                    <li>
                        <a class="chip" href=params.without_filter(dimension, &value.value).href()>
                            <span class="visually-hidden">"Remove filter "</span>
                            {format!("{}: {}", dimension.label(), value.label)}
                            <span aria-hidden="true">" ×"</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
            <p><a href=clear>"Clear all filters"</a></p>
        </div>
    }
    .into_any()
}

fn facet_link(dimension: Dimension, value: FacetValue, params: &SearchParams) -> impl IntoView {
    let href =
        if value.selected { params.without_filter(dimension, &value.value) } else { params.with_filter(dimension, &value.value) }.href();
    view! {
        <li>
            <a class="facet-link" class:facet-selected=value.selected href=href aria-current=value.selected.then_some("true")>
                {value.selected.then(|| view! { <span aria-hidden="true">"✓ "</span> })}
                {value.label}
                <span class="facet-count">{format!(" ({})", value.count)}</span>
                {value.selected.then(|| view! { <span class="visually-hidden">", selected: select to remove"</span> })}
            </a>
        </li>
    }
}

#[component]
fn Facet(facet: FacetView, params: SearchParams) -> impl IntoView {
    let dimension = facet.dimension;
    let heading = format!("facet-{}", dimension.key());
    let mut values = facet.values;
    let more: Vec<FacetValue> = if values.len() > SHOWN_VALUES { values.split_off(SHOWN_VALUES) } else { Vec::new() };
    let more_count = more.len();
    view! {
        <div class="facet">
            <h3 class="heading-s" id=heading.clone()>{dimension.label()}</h3>
            <ul class="facet-list" aria-labelledby=heading>
                {values.into_iter().map(|v| facet_link(dimension, v, &params)).collect_view()}
            </ul>
            {(more_count > 0).then(|| view! {
                <details class="facet-more">
                    <summary>{format!("{more_count} more")}<span class="visually-hidden">{format!(" {}", dimension.label().to_lowercase())}</span></summary>
                    <ul class="facet-list">{more.into_iter().map(|v| facet_link(dimension, v, &params)).collect_view()}</ul>
                </details>
            })}
        </div>
    }
}

#[component]
fn Hits(hits: Vec<SearchHitView>, params: SearchParams, collections: Vec<Link>) -> impl IntoView {
    if hits.is_empty() {
        let mut advice = Vec::new();
        if !params.filters.is_empty() {
            advice.push(
                view! { <li>"remove a filter, or "<a href=params.without_filters().href()>"search without filters"</a></li> }.into_any(),
            );
        }
        if !params.q.is_empty() {
            advice.push(view! { <li>"check the spelling, or use fewer or more general words"</li> }.into_any());
        }
        advice.push(view! { <li><a href="/case-studies">"browse all case studies"</a></li> }.into_any());
        return view! {
            <div class="empty-state">
                <p class="body">"No case studies match this search. You could:"</p>
                <ul class="bullet-list">{advice}</ul>
            </div>
        }
        .into_any();
    }
    view! {
        <ul class="card-list">
            {hits.into_iter().map(|hit| {
                let slug = hit.card.slug.clone();
                view! {
                    <li>
                        <Card card=hit.card marked=(hit.title, hit.summary)/>
                        <AddToCollection case_study=slug.clone() collections=collections.clone() return_to=params.href() id=format!("add-{slug}")/>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
