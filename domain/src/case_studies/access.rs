//! Who wrote a case study, for the permission table (`crate::permissions`).
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::{case_study, case_study_author};
use crate::permissions::Authorship;
use crate::DomainError;

pub(crate) async fn author_ids(db: &impl ConnectionTrait, case_study_id: i32) -> Result<Vec<i32>, DomainError> {
    Ok(case_study_author::Entity::find()
        .select_only()
        .column(case_study_author::Column::UserId)
        .filter(case_study_author::Column::CaseStudyId.eq(case_study_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// A case study's authors.
pub(crate) async fn authorship(db: &impl ConnectionTrait, model: &case_study::Model) -> Result<Authorship, DomainError> {
    Ok(Authorship { created_by: model.created_by, authors: author_ids(db, model.id).await? })
}
