//! Datasets that published case studies use.
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::case_studies::{cards_linked_to, published_ids, LinkedBy};
use crate::entities::{case_study_dataset, dataset};
use crate::views::{DatasetView, Listing};
use crate::DomainError;

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
