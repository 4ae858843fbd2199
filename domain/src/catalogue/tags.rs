//! Tags people give their case studies.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::case_studies::{cards_linked_to, LinkedBy};
use crate::entities::tag;
use crate::views::{Link, Listing};
use crate::DomainError;

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
