use casebook_domain::views::CaseStudyCard;
use leptos::prelude::*;

/// A list of case study cards, or `empty` when there are none.
#[component]
pub fn CardList(cards: Vec<CaseStudyCard>, #[prop(into)] empty: String) -> impl IntoView {
    if cards.is_empty() {
        return view! { <p class="empty-state">{empty}</p> }.into_any();
    }
    view! {
        <ul class="card-list">
            {cards.into_iter().map(|card| view! { <li><Card card/></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn Card(card: CaseStudyCard) -> impl IntoView {
    let href = format!("/case-studies/{}", card.slug);
    let organisations = card.organisations.iter().map(|o| o.name.clone()).collect::<Vec<_>>().join(", ");
    view! {
        <article class="card">
            <h3 class="card-title"><a href=href>{card.title}</a></h3>
            <p class="card-summary">{card.summary}</p>
            <dl class="card-facts">
                <div><dt>"Phase"</dt><dd><PhaseTag phase=card.phase/></dd></div>
                <div><dt>"Service area"</dt><dd>{card.service_area.label()}</dd></div>
                <div><dt>"Region"</dt><dd>{card.region}</dd></div>
                {(!organisations.is_empty()).then(|| view! { <div><dt>"By"</dt><dd>{organisations}</dd></div> })}
            </dl>
            <ul class="pattern-list" aria-label="Patterns">
                {card.patterns.into_iter().map(|p| view! { <li><a class="pattern-link" href=format!("/patterns/{}", p.slug)>{p.name}</a></li> }).collect_view()}
            </ul>
            {card.is_demo.then(|| view! { <strong class="tag tag-grey">"Demo content"</strong> })}
        </article>
    }
}

#[component]
pub fn PhaseTag(phase: casebook_domain::vocabulary::Phase) -> impl IntoView {
    view! { <strong class=format!("tag tag-phase-{}", phase.slug())>{phase.label()}</strong> }
}
