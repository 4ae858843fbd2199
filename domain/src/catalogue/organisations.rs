//! Organisations that ran or delivered the services.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::case_studies::{cards_linked_to, LinkedBy};
use crate::entities::organisation;
use crate::views::{Listing, OrganisationView};
use crate::DomainError;

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
