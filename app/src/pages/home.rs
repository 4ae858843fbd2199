use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::home_page;
use crate::components::case_study_card::CardList;
use crate::components::feed_link::FeedLink;
use crate::components::loaded::loaded;

#[component]
pub fn HomePage() -> impl IntoView {
    loaded(home_page(), |home| {
        view! {
            <Title text=""/>
            <div class="hero">
                <h1 class="heading-xl">"Learn how public services use open data"</h1>
                <p class="lead">
                    "Case studies from practitioners in OneTeamGov, LocalGovDigital, UKGovCamp and beyond: "
                    "the problem, the service they built, the data it uses, and what they learned."
                </p>
                <p class="button-group">
                    <a class="button" href="/case-studies">{format!("Browse {} case studies", home.published_total)}</a>
                    <a class="button button-secondary" href="/case-studies/new">"Share a case study"</a>
                </p>
            </div>
            <section aria-labelledby="featured-heading">
                <h2 class="heading-l" id="featured-heading">"Featured case studies"</h2>
                <CardList cards=home.featured empty="No case studies are featured yet."/>
            </section>
            <section aria-labelledby="patterns-heading">
                <h2 class="heading-l" id="patterns-heading">"Patterns at a glance"</h2>
                <ul class="pattern-grid">
                    {home.patterns.into_iter().map(|p| view! {
                        <li class="pattern-summary">
                            <h3 class="heading-s"><a href=casebook_domain::paths::pattern(&p.slug)>{p.name}</a></h3>
                            <p>{p.summary}</p>
                            <p class="caption">{format!("{} case {}", p.case_studies, if p.case_studies == 1 { "study" } else { "studies" })}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="latest-heading">
                <h2 class="heading-l" id="latest-heading">"Latest case studies"</h2>
                <CardList cards=home.latest empty="No case studies have been published yet."/>
                <p><a href="/case-studies">"See all case studies"</a></p>
                <FeedLink href=casebook_domain::paths::LATEST_FEED.to_string() title="The newest case studies".to_string()/>
            </section>
        }
    })
}
