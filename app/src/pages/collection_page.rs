use casebook_domain::forms::limits;
use casebook_domain::paths;
use casebook_domain::views::{CollectionEntry, CollectionView, FormProblem};
use casebook_domain::vocabulary::CollectionStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{collection, refused_post, ApiError};
use crate::components::case_study_card::Card;
use crate::components::collection_order::{CollectionOrder, OrderItem};
use crate::components::feed_link::FeedLink;
use crate::components::form_fields::ProblemSummary;
use crate::components::island_scripts::IslandScripts;
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::components::pagination::Pagination;
use crate::request::set_status;

#[component]
pub fn CollectionPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    let page = use_query_map().get_untracked().get("page").filter(|p| !p.trim().is_empty()).map(|p| p.trim().parse().unwrap_or(0));
    let load = async move { Ok::<_, ApiError>((collection(slug, page).await?, refused_post().await?)) };
    loaded(load, |(collection, problem)| view! { <Collection collection problem/> })
}

/// A curator's action on one item, as a form that works without JavaScript.
fn item_form(action: &str, version: i32, item: i32, value: &'static str, children: impl IntoView) -> impl IntoView {
    view! {
        <form method="post" action=action.to_string() class="inline-form">
            <CsrfField/>
            <input type="hidden" name="version" value=version.to_string()/>
            <input type="hidden" name="item" value=item.to_string()/>
            <input type="hidden" name="action" value=value/>
            {children}
        </form>
    }
}

#[component]
fn Curate(entry: CollectionEntry, action: String, version: i32, total: u64) -> impl IntoView {
    let id = entry.item_id;
    let name = entry.title.clone();
    let position_id = format!("position-{id}");
    let note_id = format!("note-{id}");
    view! {
        <div class="curate">
            {item_form(&action, version, id, "up", view! { <button type="submit" class="button button-secondary button-small" disabled=entry.position == 1>"Move up"<span class="visually-hidden">{format!(" {name}")}</span></button> })}
            {item_form(&action, version, id, "down", view! { <button type="submit" class="button button-secondary button-small" disabled=entry.position as u64 == total>"Move down"<span class="visually-hidden">{format!(" {name}")}</span></button> })}
            {item_form(&action, version, id, "to", view! {
                <label class="label-inline" for=position_id.clone()>"Position"<span class="visually-hidden">{format!(" of {name}")}</span></label>
                <input class="input input-width-3" id=position_id.clone() name="position" type="number" min="1" max=total.to_string() value=entry.position.to_string()/>
                <button type="submit" class="button button-secondary button-small">"Move"<span class="visually-hidden">{format!(" {name}")}</span></button>
            })}
            {item_form(&action, version, id, "note", view! {
                <label class="label" for=note_id.clone()>"Curator's note"<span class="visually-hidden">{format!(" on {name}")}</span></label>
                <textarea class="textarea" id=note_id.clone() name="note" rows="2" maxlength=limits::CURATOR_NOTE.to_string()>{entry.note.clone()}</textarea>
                <button type="submit" class="button button-secondary button-small">"Save the note"<span class="visually-hidden">{format!(" on {name}")}</span></button>
            })}
            {item_form(&action, version, id, "remove", view! { <button type="submit" class="button button-warning button-small">"Remove"<span class="visually-hidden">{format!(" {name}")}</span></button> })}
        </div>
    }
}

#[component]
fn Collection(collection: CollectionView, problem: Option<FormProblem>) -> impl IntoView {
    if let Some(p) = &problem {
        set_status(if p.message.is_some() {
            casebook_domain::ErrorKind::Conflict.status()
        } else {
            casebook_domain::ErrorKind::Invalid.status()
        });
    }
    let slug = collection.slug.clone();
    let action = paths::collection(&slug);
    let items = collection.items.clone();
    let (version, total, can_curate) = (collection.version, items.total_items, collection.can_curate);
    let owners = collection.networks.clone();
    let order: Vec<OrderItem> = items.items.iter().map(|e| OrderItem { id: e.item_id, title: e.title.clone() }).collect();
    // Drag and drop reorders the whole collection, so it is offered when it fits on one page.
    let drag = can_curate && items.total_pages <= 1 && order.len() > 1;
    let page_slug = slug.clone();
    view! {
        <Title text=collection.title.clone()/>
        {drag.then(|| view! { <IslandScripts/> })}
        <ProblemSummary problem/>
        {collection.is_demo.then(|| view! {
            <div class="notice notice-demo"><strong class="tag tag-grey">"Demo content"</strong>" This collection is illustrative."</div>
        })}
        {(collection.status == CollectionStatus::Draft).then(|| view! {
            <div class="notice" role="status"><strong>"This collection is a draft. Only its curators can see it."</strong></div>
        })}
        <span class="caption-l">"Collection"</span>
        <h1 class="heading-xl">{collection.title.clone()}</h1>
        <p class="caption">
            "Curated by "
            {owners.into_iter().enumerate().map(|(i, n)| view! { {(i > 0).then_some(", ")}<a href=paths::network(&n.slug)>{n.name}</a> }).collect_view()}
            ". Last updated "<time datetime=collection.updated.iso.clone()>{collection.updated.display.clone()}</time>"."
        </p>
        <div class="prose" inner_html=collection.introduction_html.clone()></div>
        {can_curate.then(|| view! {
            <p><a class="button button-secondary" href=paths::collection_page(&slug, "edit")>"Edit the collection"</a>" "
            <a href=paths::search("")>"Find case studies to add"</a></p>
        })}
        {drag.then(|| view! { <CollectionOrder slug=slug.clone() version items=order/> })}
        <h2 class="heading-l" id="items-heading">{if total == 1 { "1 case study".to_string() } else { format!("{total} case studies") }}</h2>
        {if items.items.is_empty() {
            view! { <p class="empty-state">"This collection is empty."</p> }.into_any()
        } else {
            view! {
                <ol class="collection-items" aria-labelledby="items-heading">
                    {items.items.into_iter().map(|entry| {
                        let position = entry.position;
                        view! {
                            <li class="collection-item" value=position.to_string() id=format!("item-{}", entry.item_id)>
                                <p class="collection-position" aria-hidden="true">{position}</p>
                                {match entry.card.clone() {
                                    Some(card) => view! { <Card card/> }.into_any(),
                                    None => view! {
                                        <article class="card card-gone">
                                            <h3 class="card-title">{entry.title.clone()}</h3>
                                            <p class="card-summary">"This case study is no longer available."</p>
                                        </article>
                                    }.into_any(),
                                }}
                                {(!entry.note.is_empty()).then(|| view! {
                                    <blockquote class="curator-note"><p class="pre-line">{entry.note.clone()}</p></blockquote>
                                })}
                                {can_curate.then(|| view! { <Curate entry=entry.clone() action=action.clone() version total/> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {(collection.status == CollectionStatus::Published).then(|| view! {
            <FeedLink href=paths::feed("collections", &slug) title=format!("The collection {}", collection.title)/>
        })}
        <Pagination page=items.page total_pages=items.total_pages
            href=move |n| paths::with_query(&paths::collection(&page_slug), &if n > 1 { format!("page={n}") } else { String::new() })/>
    }
}
