//! Tags people give their case studies.
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{case_study_tag, tag};
use crate::views::{Link, ListFilters, Listing};
use crate::DomainError;

/// A tag's page. A tag only drafts use does not exist yet for readers: its name could give a
/// draft away.
pub async fn tag(
    db: &DatabaseConnection,
    now: &crate::events::Now,
    memory: &crate::case_studies::CaseStudyMemory,
    slug: &str,
    page: Option<u64>,
) -> Result<Listing<Link>, DomainError> {
    let found = tag::Entity::find().filter(tag::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
    let filters = ListFilters { tag: Some(found.slug.clone()), page, ..ListFilters::default() };
    let case_studies = crate::case_studies::list(db, now, memory, &filters).await?;
    if case_studies.total_items == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(Listing { subject: Link { slug: found.slug, name: found.name }, case_studies })
}

/// Tags some published case study uses: the only ones readers may learn the names of, in
/// feeds and search filters alike (a tag only drafts use could give a draft away).
pub fn in_use() -> sea_orm::Select<tag::Entity> {
    let used = sea_orm::sea_query::Query::select()
        .column(case_study_tag::Column::TagId)
        .from(case_study_tag::Entity)
        .and_where(case_study_tag::Column::CaseStudyId.in_subquery(crate::case_studies::published_ids()))
        .to_owned();
    tag::Entity::find().filter(tag::Column::Id.in_subquery(used))
}

/// Every tag a published case study uses, by name, with how many use it.
pub async fn tags_with_counts(db: &impl ConnectionTrait) -> Result<Vec<(Link, u64)>, DomainError> {
    let counts =
        super::published_counts::<case_study_tag::Entity>(db, case_study_tag::Column::TagId, case_study_tag::Column::CaseStudyId).await?;
    let tags =
        tag::Entity::find().filter(tag::Column::Id.is_in(counts.keys().copied().collect::<Vec<_>>())).order_by_asc(tag::Column::Name);
    Ok(tags
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            let n = counts.get(&t.id).copied().unwrap_or(0);
            (Link { slug: t.slug, name: t.name }, n)
        })
        .collect())
}
