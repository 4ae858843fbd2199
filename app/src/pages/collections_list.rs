use casebook_domain::paths;
use casebook_domain::views::CollectionsView;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::collections_page;
use crate::components::collection_list::CollectionList;
use crate::components::loaded::loaded;

#[component]
pub fn CollectionsPage() -> impl IntoView {
    loaded(collections_page(), |view: CollectionsView| {
        view! {
            <Title text="Collections"/>
            <h1 class="heading-xl">"Collections"</h1>
            <p class="lead">"Case studies chosen and introduced by network organisers, in the order they suggest reading them."</p>
            {view.can_create.then(|| view! { <p><a class="button button-secondary" href=paths::NEW_COLLECTION>"Start a collection"</a></p> })}
            <h2 class="heading-l">{if view.can_create { "Published collections and your drafts" } else { "Published collections" }}</h2>
            <CollectionList collections=view.collections empty="There are no published collections yet."/>
        }
    })
}
