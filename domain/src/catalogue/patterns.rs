//! Patterns: why the open data was released, with the published case studies in each.
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{case_study_pattern, pattern};
use crate::views::{ListFilters, Listing, PatternView};
use crate::DomainError;

fn pattern_view(p: pattern::Model, case_studies: u64) -> PatternView {
    PatternView { slug: p.slug, name: p.name, summary: p.summary, description: p.description, curated: p.curated, case_studies }
}

/// Every pattern with the number of published case studies in it (`CatalogueMemory` keeps them).
pub async fn patterns_with_counts(db: &impl ConnectionTrait) -> Result<Vec<PatternView>, DomainError> {
    let counts = super::published_counts::<case_study_pattern::Entity>(
        db,
        case_study_pattern::Column::PatternId,
        case_study_pattern::Column::CaseStudyId,
    )
    .await?;
    Ok(pattern::Entity::find()
        .order_by_asc(pattern::Column::Position)
        .order_by_asc(pattern::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let n = counts.get(&p.id).copied().unwrap_or(0);
            pattern_view(p, n)
        })
        .collect())
}

/// A pattern's page: one page of the case studies using it, through the list's own query.
pub async fn pattern(
    db: &DatabaseConnection,
    now: &crate::events::Now,
    memory: &crate::case_studies::CaseStudyMemory,
    slug: &str,
    page: Option<u64>,
) -> Result<Listing<PatternView>, DomainError> {
    let found = pattern::Entity::find().filter(pattern::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
    let filters = ListFilters { pattern: Some(found.slug.clone()), page, ..ListFilters::default() };
    let case_studies = crate::case_studies::list(db, now, memory, &filters).await?;
    Ok(Listing { subject: pattern_view(found, case_studies.total_items), case_studies })
}
