use casebook_domain::search::Fragment;
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

/// Text with the words that matched a search marked.
#[component]
pub fn Marked(fragments: Vec<Fragment>) -> impl IntoView {
    fragments.into_iter().map(|f| if f.matched { view! { <mark>{f.text}</mark> }.into_any() } else { f.text.into_any() }).collect_view()
}

/// A case study's card; a search result passes its title and summary with matches marked.
#[component]
pub fn Card(card: CaseStudyCard, #[prop(optional)] marked: Option<(Vec<Fragment>, Vec<Fragment>)>) -> impl IntoView {
    let href = casebook_domain::paths::case_study(&card.slug);
    let (title, summary) = match marked {
        Some((title, summary)) => (view! { <Marked fragments=title/> }.into_any(), view! { <Marked fragments=summary/> }.into_any()),
        None => (card.title.into_any(), card.summary.into_any()),
    };
    let organisations = card.organisations.iter().map(|o| o.name.clone()).collect::<Vec<_>>().join(", ");
    view! {
        <article class="card">
            <h3 class="card-title"><a href=href>{title}</a></h3>
            <p class="card-summary">{summary}</p>
            <dl class="card-facts">
                <div><dt>"Phase"</dt><dd><PhaseTag phase=card.phase/></dd></div>
                <div><dt>"Service area"</dt><dd>{card.service_area.label()}</dd></div>
                <div><dt>"Region"</dt><dd>{card.region}</dd></div>
                {(!organisations.is_empty()).then(|| view! { <div><dt>"By"</dt><dd>{organisations}</dd></div> })}
            </dl>
            <ul class="pattern-list" aria-label="Patterns">
                {card.patterns.into_iter().map(|p| view! { <li><a class="pattern-link" href=casebook_domain::paths::pattern(&p.slug)>{p.name}</a></li> }).collect_view()}
            </ul>
            {card.is_demo.then(|| view! { <strong class="tag tag-grey">"Demo content"</strong> })}
        </article>
    }
}

#[component]
pub fn PhaseTag(phase: casebook_domain::vocabulary::Phase) -> impl IntoView {
    view! { <strong class=format!("tag tag-phase-{}", phase.slug())>{phase.label()}</strong> }
}
