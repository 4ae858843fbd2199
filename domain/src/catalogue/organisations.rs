//! Organisations that ran or delivered the services.
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::organisation;
use crate::views::{ListFilters, Listing, OrganisationView};
use crate::DomainError;

fn organisation_view(o: organisation::Model) -> OrganisationView {
    OrganisationView { kind: o.kind, slug: o.slug, name: o.name, website: o.website }
}

pub async fn organisations(db: &impl ConnectionTrait) -> Result<Vec<OrganisationView>, DomainError> {
    Ok(organisation::Entity::find().order_by_asc(organisation::Column::Name).all(db).await?.into_iter().map(organisation_view).collect())
}

pub async fn organisation(
    db: &DatabaseConnection,
    now: &crate::events::Now,
    memory: &crate::case_studies::CaseStudyMemory,
    slug: &str,
    page: Option<u64>,
) -> Result<Listing<OrganisationView>, DomainError> {
    let found = organisation::Entity::find().filter(organisation::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
    let filters = ListFilters { organisation: Some(found.slug.clone()), page, ..ListFilters::default() };
    let case_studies = crate::case_studies::list(db, now, memory, &filters).await?;
    Ok(Listing { subject: organisation_view(found), case_studies })
}
