//! Reading collections: one with its items a page at a time, the list, a network's, and the ones
//! a curator can add a case study to. A fixed number of queries per page, whatever its length.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{curates, find, owners};
use crate::case_studies::cards;
use crate::entities::{collection, collection_item, collection_network, network};
use crate::identity::roles;
use crate::markdown;
use crate::permissions::{Actor, NetworkAction};
use crate::text::timestamp_text;
use crate::views::{check_page, CollectionEntry, CollectionSummary, CollectionView, CollectionsView, Link, Page, MAX_LIST_PAGE};
use crate::vocabulary::CollectionStatus;
use crate::DomainError;

const ITEMS_PER_PAGE: u64 = 50;

/// A collection as `viewer` sees it, one page of its items. Drafts exist only for curators.
pub async fn view(db: &DatabaseConnection, viewer: Option<i32>, slug: &str, page: Option<u64>) -> Result<CollectionView, DomainError> {
    let page = check_page(page.unwrap_or(1), MAX_LIST_PAGE).map_err(DomainError::Invalid)?;
    load(db, viewer, slug, Some(page)).await
}

/// A collection as `viewer` sees it with every item, for the public API.
pub async fn view_whole(db: &DatabaseConnection, viewer: Option<i32>, slug: &str) -> Result<CollectionView, DomainError> {
    load(db, viewer, slug, None).await
}

/// One page of the items, or all of them (`None`).
async fn load(db: &DatabaseConnection, viewer: Option<i32>, slug: &str, page: Option<u64>) -> Result<CollectionView, DomainError> {
    let (found, owners) = find(db, slug).await?;
    let actor = roles::actor(db, viewer).await?;
    let can_curate = curates(&actor, &owners);
    if found.status == CollectionStatus::Draft && !can_curate {
        return Err(DomainError::NotFound);
    }
    let ordered = collection_item::Entity::find()
        .filter(collection_item::Column::CollectionId.eq(found.id))
        .order_by_asc(collection_item::Column::Position)
        .order_by_asc(collection_item::Column::Id);
    let (items, page, per_page, total_items) = match page {
        Some(page) => {
            let paginator = ordered.paginate(db, ITEMS_PER_PAGE);
            (paginator.fetch_page(page - 1).await?, page, ITEMS_PER_PAGE, paginator.num_items().await?)
        }
        None => {
            let items = ordered.all(db).await?;
            let n = items.len() as u64;
            (items, 1, n.max(1), n)
        }
    };
    let ids: Vec<i32> = items.iter().filter_map(|i| i.case_study_id).collect();
    let models = cards::published_by_ids(db, ids).await?;
    let mut readable: HashMap<i32, crate::views::CaseStudyCard> = HashMap::new();
    let published_ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    for (id, card) in published_ids.into_iter().zip(cards::cards(db, models).await?) {
        readable.insert(id, card);
    }
    let entries = items
        .into_iter()
        .map(|i| CollectionEntry {
            item_id: i.id,
            position: i.position,
            card: i.case_study_id.and_then(|id| readable.remove(&id)),
            note: i.note,
            title: i.title,
        })
        .collect();
    Ok(CollectionView {
        slug: found.slug,
        title: found.title,
        introduction_html: markdown::render(&found.introduction),
        status: found.status,
        featured: found.featured,
        networks: owners.into_iter().map(|n| Link { slug: n.slug, name: n.name }).collect(),
        updated: timestamp_text(found.updated_at),
        is_demo: found.is_demo,
        items: Page { items: entries, page, per_page, total_items, total_pages: total_items.div_ceil(per_page) },
        version: found.version,
        can_curate,
    })
}

/// Summaries of these collections, in the order given, with three queries for the lot.
async fn summaries(db: &impl ConnectionTrait, found: Vec<collection::Model>) -> Result<Vec<CollectionSummary>, DomainError> {
    let ids: Vec<i32> = found.iter().map(|c| c.id).collect();
    let counts: HashMap<i32, i64> = collection_item::Entity::find()
        .select_only()
        .column(collection_item::Column::CollectionId)
        .column_as(collection_item::Column::Id.count(), "n")
        .filter(collection_item::Column::CollectionId.is_in(ids.clone()))
        .group_by(collection_item::Column::CollectionId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut owned: HashMap<i32, Vec<Link>> = HashMap::new();
    for (collection_id, n) in owners(db, &ids).await? {
        owned.entry(collection_id).or_default().push(Link { slug: n.slug, name: n.name });
    }
    Ok(found
        .into_iter()
        .map(|c| CollectionSummary {
            item_count: counts.get(&c.id).copied().unwrap_or(0) as u64,
            networks: owned.remove(&c.id).unwrap_or_default(),
            updated: timestamp_text(c.updated_at),
            slug: c.slug,
            title: c.title,
            status: c.status,
            featured: c.featured,
        })
        .collect())
}

/// Published collections, newest change first; the person's own drafts too, for curators.
pub async fn list(db: &DatabaseConnection, viewer: Option<i32>) -> Result<CollectionsView, DomainError> {
    let actor = roles::actor(db, viewer).await?;
    let curated = curated_ids(db, &actor).await?;
    let mut query = collection::Entity::find();
    query = match &curated {
        Curated::All => query,
        Curated::Some(ids) => query.filter(
            sea_orm::Condition::any()
                .add(collection::Column::Status.eq(CollectionStatus::Published))
                .add(collection::Column::Id.is_in(ids.clone())),
        ),
    };
    let found = query.order_by_desc(collection::Column::UpdatedAt).order_by_desc(collection::Column::Id).limit(500).all(db).await?;
    let can_create = actor.is_admin || actor.organises().next().is_some();
    Ok(CollectionsView { collections: summaries(db, found).await?, can_create })
}

enum Curated {
    All,
    Some(Vec<i32>),
}

/// The collections this actor curates.
async fn curated_ids(db: &impl ConnectionTrait, actor: &Actor) -> Result<Curated, DomainError> {
    if actor.is_admin {
        return Ok(Curated::All);
    }
    let networks: Vec<i32> = actor.organises().collect();
    Ok(Curated::Some(
        collection_network::Entity::find()
            .select_only()
            .column(collection_network::Column::CollectionId)
            .filter(collection_network::Column::NetworkId.is_in(networks))
            .into_tuple()
            .all(db)
            .await?,
    ))
}

/// A network's collections: featured first, then the newest changed; drafts only for curators.
pub async fn for_network(db: &impl ConnectionTrait, n: &network::Model, actor: &Actor) -> Result<Vec<CollectionSummary>, DomainError> {
    let ids: Vec<i32> = collection_network::Entity::find()
        .select_only()
        .column(collection_network::Column::CollectionId)
        .filter(collection_network::Column::NetworkId.eq(n.id))
        .into_tuple()
        .all(db)
        .await?;
    let mut query = collection::Entity::find().filter(collection::Column::Id.is_in(ids));
    if !actor.may_in(n.id, n.join_policy, NetworkAction::Curate) {
        query = query.filter(collection::Column::Status.eq(CollectionStatus::Published));
    }
    let found = query
        .order_by_desc(collection::Column::Featured)
        .order_by_desc(collection::Column::UpdatedAt)
        .order_by_desc(collection::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    summaries(db, found).await
}

/// The collections this actor may add a case study to, by title.
pub async fn addable_for(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<Link>, DomainError> {
    if actor.user_id.is_none() {
        return Ok(Vec::new());
    }
    let query = match curated_ids(db, actor).await? {
        Curated::All => collection::Entity::find(),
        Curated::Some(ids) if ids.is_empty() => return Ok(Vec::new()),
        Curated::Some(ids) => collection::Entity::find().filter(collection::Column::Id.is_in(ids)),
    };
    Ok(query
        .order_by_asc(collection::Column::Title)
        .limit(200)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Link { slug: c.slug, name: c.title })
        .collect())
}
