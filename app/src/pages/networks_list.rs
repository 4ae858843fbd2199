use casebook_domain::paths;
use casebook_domain::views::NetworksView;
use leptos::prelude::*;
use leptos_meta::Title;

use super::catalogue_pages::page_param;
use crate::api::networks_page;
use crate::components::loaded::loaded;
use crate::components::pagination::Pagination;

fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[component]
pub fn NetworksPage() -> impl IntoView {
    loaded(networks_page(page_param()), |view: NetworksView| {
        view! {
            <Title text="Networks"/>
            <h1 class="heading-xl">"Networks"</h1>
            <p class="lead">"Practitioners share case studies through their networks. Each network's organisers review what is shared in it and curate collections."</p>
            {view.can_create.then(|| view! { <p><a class="button button-secondary" href=paths::NEW_NETWORK>"Start a network"</a></p> })}
            {if view.networks.items.is_empty() {
                view! { <p class="empty-state">"There are no networks yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {view.networks.items.into_iter().map(|n| view! {
                            <li>
                                <article class="card">
                                    <h2 class="card-title"><a href=paths::network(&n.slug)>{n.name}</a></h2>
                                    <p class="card-summary">{n.blurb}</p>
                                    <dl class="card-facts">
                                        <div><dt>"Members"</dt><dd>{count(n.member_count, "member", "members")}</dd></div>
                                        <div><dt>"Shared"</dt><dd>{count(n.case_study_count, "case study", "case studies")}</dd></div>
                                        <div><dt>"Collections"</dt><dd>{count(n.collection_count, "collection", "collections")}</dd></div>
                                        <div><dt>"Joining"</dt><dd>{n.join_policy.label()}</dd></div>
                                    </dl>
                                    {n.is_demo.then(|| view! { <strong class="tag tag-grey">"Demo content"</strong> })}
                                </article>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Pagination page=view.networks.page total_pages=view.networks.total_pages href=|n| format!("{}?page={n}", paths::NETWORKS)/>
        }
    })
}
