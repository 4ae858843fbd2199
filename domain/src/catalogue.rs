//! Patterns, tags, datasets and organisations: what case studies are tagged with and linked to,
//! each with a page listing the case studies that use it.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::case_studies::{cards_linked_to, published_ids, LinkedBy};
use crate::entities::{case_study_dataset, case_study_pattern, dataset, organisation, pattern, tag};
use crate::views::{DatasetView, Link, Listing, OrganisationView, PatternView};

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

fn pattern_view(p: pattern::Model, case_studies: u64) -> PatternView {
    PatternView { slug: p.slug, name: p.name, summary: p.summary, description: p.description, curated: p.curated, case_studies }
}

/// Every pattern with the number of published case studies in it.
pub async fn patterns_with_counts(db: &impl ConnectionTrait) -> Result<Vec<PatternView>, DomainError> {
    let counts: HashMap<i32, i64> = case_study_pattern::Entity::find()
        .select_only()
        .column(case_study_pattern::Column::PatternId)
        .column_as(Expr::from(Func::count(Expr::col(case_study_pattern::Column::CaseStudyId))), "n")
        .filter(case_study_pattern::Column::CaseStudyId.in_subquery(published_ids()))
        .group_by(case_study_pattern::Column::PatternId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(pattern::Entity::find()
        .order_by_asc(pattern::Column::Position)
        .order_by_asc(pattern::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let n = counts.get(&p.id).copied().unwrap_or(0);
            pattern_view(p, n.max(0) as u64)
        })
        .collect())
}

pub async fn pattern(db: &impl ConnectionTrait, slug: &str) -> Result<Listing<PatternView>, DomainError> {
    let found = pattern::Entity::find().filter(pattern::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
    let case_studies = cards_linked_to(db, LinkedBy::Pattern(found.id)).await?;
    Ok(Listing { subject: pattern_view(found, case_studies.len() as u64), case_studies })
}

/// A tag's page. A tag only drafts use does not exist yet for readers: its name could give a
/// draft away.
pub async fn tag(db: &impl ConnectionTrait, slug: &str) -> Result<Listing<Link>, DomainError> {
    let found = tag::Entity::find().filter(tag::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
    let case_studies = cards_linked_to(db, LinkedBy::Tag(found.id)).await?;
    if case_studies.is_empty() {
        return Err(DomainError::NotFound);
    }
    Ok(Listing { subject: Link { slug: found.slug, name: found.name }, case_studies })
}

fn dataset_view(d: dataset::Model) -> DatasetView {
    DatasetView { id: d.id, title: d.title, url: d.url, publisher: d.publisher, licence: d.licence, format: d.format }
}

/// The datasets published case studies use; one only drafts link is not shown.
pub async fn datasets(db: &impl ConnectionTrait) -> Result<Vec<DatasetView>, DomainError> {
    let used = Query::select()
        .column(case_study_dataset::Column::DatasetId)
        .from(case_study_dataset::Entity)
        .and_where(case_study_dataset::Column::CaseStudyId.in_subquery(published_ids()))
        .to_owned();
    Ok(dataset::Entity::find()
        .filter(dataset::Column::Id.in_subquery(used))
        .order_by_asc(dataset::Column::Title)
        .all(db)
        .await?
        .into_iter()
        .map(dataset_view)
        .collect())
}

pub async fn dataset(db: &impl ConnectionTrait, id: i32) -> Result<Listing<DatasetView>, DomainError> {
    let found = dataset::Entity::find_by_id(id).one(db).await?.ok_or(DomainError::NotFound)?;
    let case_studies = cards_linked_to(db, LinkedBy::Dataset(found.id)).await?;
    if case_studies.is_empty() {
        return Err(DomainError::NotFound);
    }
    Ok(Listing { subject: dataset_view(found), case_studies })
}

fn organisation_view(o: organisation::Model) -> OrganisationView {
    OrganisationView { kind: o.kind, slug: o.slug, name: o.name, website: o.website }
}

pub async fn organisations(db: &impl ConnectionTrait) -> Result<Vec<OrganisationView>, DomainError> {
    Ok(organisation::Entity::find().order_by_asc(organisation::Column::Name).all(db).await?.into_iter().map(organisation_view).collect())
}

pub async fn organisation(db: &impl ConnectionTrait, slug: &str) -> Result<Listing<OrganisationView>, DomainError> {
    let found = organisation::Entity::find().filter(organisation::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
    let case_studies = cards_linked_to(db, LinkedBy::Organisation(found.id)).await?;
    Ok(Listing { subject: organisation_view(found), case_studies })
}
