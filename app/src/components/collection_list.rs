use casebook_domain::paths;
use casebook_domain::views::CollectionSummary;
use casebook_domain::vocabulary::CollectionStatus;
use leptos::prelude::*;

/// Collections as a list of cards, or `empty` when there are none.
#[component]
pub fn CollectionList(collections: Vec<CollectionSummary>, #[prop(into)] empty: String) -> impl IntoView {
    if collections.is_empty() {
        return view! { <p class="empty-state">{empty}</p> }.into_any();
    }
    view! {
        <ul class="card-list">
            {collections.into_iter().map(|c| {
                let items = if c.item_count == 1 { "1 case study".to_string() } else { format!("{} case studies", c.item_count) };
                let owners = c.networks.iter().map(|n| n.name.clone()).collect::<Vec<_>>().join(", ");
                view! {
                    <li>
                        <article class="card">
                            <h3 class="card-title"><a href=paths::collection(&c.slug)>{c.title}</a></h3>
                            <dl class="card-facts">
                                <div><dt>"Holds"</dt><dd>{items}</dd></div>
                                <div><dt>"Curated by"</dt><dd>{owners}</dd></div>
                                <div><dt>"Updated"</dt><dd><time datetime=c.updated.iso>{c.updated.display}</time></dd></div>
                            </dl>
                            {c.featured.then(|| view! { <strong class="tag">"Featured"</strong> })}
                            {(c.status == CollectionStatus::Draft).then(|| view! { " " <strong class="tag tag-grey">"Draft"</strong> })}
                        </article>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
