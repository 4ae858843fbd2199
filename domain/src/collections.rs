//! Collections curated by network organisers: the collection (`records`), its ordered items and
//! the curators' notes (`items`), and the pages that show them (`queries`). Curating is asked of
//! `crate::permissions::may_in_network` for each owning network.
mod items;
mod queries;
mod records;

pub use items::change_items;
pub use queries::{addable_for, for_network, list, view, view_whole};
pub use records::{create, editor, update};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::{collection, collection_network, network};
use crate::permissions::{Actor, NetworkAction};
use crate::DomainError;

/// The collection at `slug` and the networks that own it.
pub(crate) async fn find(db: &impl ConnectionTrait, slug: &str) -> Result<(collection::Model, Vec<network::Model>), DomainError> {
    let found = collection::Entity::find().filter(collection::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
    let owners = owners(db, &[found.id]).await?.into_iter().map(|(_, n)| n).collect();
    Ok((found, owners))
}

/// The owning networks of these collections, as (collection id, network) pairs.
pub(crate) async fn owners(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<(i32, network::Model)>, DomainError> {
    let links = collection_network::Entity::find().filter(collection_network::Column::CollectionId.is_in(ids.to_vec())).all(db).await?;
    let networks =
        network::Entity::find().filter(network::Column::Id.is_in(links.iter().map(|l| l.network_id).collect::<Vec<_>>())).all(db).await?;
    let mut pairs: Vec<(i32, network::Model)> =
        links.iter().filter_map(|l| networks.iter().find(|n| n.id == l.network_id).map(|n| (l.collection_id, n.clone()))).collect();
    pairs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    Ok(pairs)
}

/// The version a collection is at now.
pub async fn version_of(db: &impl ConnectionTrait, slug: &str) -> Result<i32, DomainError> {
    Ok(find(db, slug).await?.0.version)
}

/// Whether this actor curates a collection owned by these networks.
pub(crate) fn curates(actor: &Actor, owners: &[network::Model]) -> bool {
    actor.is_admin || owners.iter().any(|n| actor.may_in(n.id, n.join_policy, NetworkAction::Curate))
}
