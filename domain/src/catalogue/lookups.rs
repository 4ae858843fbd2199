//! Ids by slug, for any table with a slug column, and the choices the case study form offers.
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{organisation, pattern};
use crate::views::Link;
use crate::DomainError;

/// The id of the row of `E` whose slug column equals `slug`.
pub async fn id_for_slug<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    slug_column: E::Column,
    slug: &str,
) -> Result<Option<i32>, DbErr> {
    E::find().select_only().column(id).filter(slug_column.eq(slug)).into_tuple().one(db).await
}

/// The ids of the rows of `E` whose slugs are among `slugs`.
pub async fn ids_for_slugs<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    slug_column: E::Column,
    slugs: &[String],
) -> Result<Vec<i32>, DbErr> {
    E::find().select_only().column(id).filter(slug_column.is_in(slugs.to_vec())).into_tuple().all(db).await
}

/// The patterns and organisations a case study can choose from.
pub async fn choices(db: &impl ConnectionTrait) -> Result<(Vec<Link>, Vec<Link>), DomainError> {
    let patterns = pattern::Entity::find()
        .order_by_asc(pattern::Column::Position)
        .order_by_asc(pattern::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| Link { slug: p.slug, name: p.name })
        .collect();
    let organisations = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| Link { slug: o.slug, name: o.name })
        .collect();
    Ok((patterns, organisations))
}
