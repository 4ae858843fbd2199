//! Ids by slug, for any table with a slug column, and the choices the case study form offers.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::case_studies::published_ids;
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

/// How many published case studies link to each row, through the link table `E` whose columns
/// `other_id` and `case_study_id` are given, by the row's id.
pub(crate) async fn published_counts<E: EntityTrait>(
    db: &impl ConnectionTrait,
    other_id: E::Column,
    case_study_id: E::Column,
) -> Result<HashMap<i32, u64>, DomainError> {
    Ok(E::find()
        .select_only()
        .column(other_id)
        .column_as(case_study_id.count(), "n")
        .filter(case_study_id.in_subquery(published_ids()))
        .group_by(other_id)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect())
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
