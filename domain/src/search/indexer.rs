//! The search index's consumer of the event log. It reads the events after its cursor, works
//! out which case studies they touch (a changed dataset touches every case study that links it)
//! and indexes each from its state at that moment: published, indexed; anything else, or gone,
//! removed. Replaying events is therefore always safe, and as the cursor is held by one
//! instance at a time and read in order, an older state never lands after a newer one.
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeSet;

use super::documents;
use super::engine::SearchEngine;
use crate::entities::{case_study_dataset, event, submission};
use crate::events::{Change, Consumer, ConsumerOptions, Subject};
use crate::workers::Handler;
use crate::DomainError;

/// The search index's consumer: one for a Meilisearch index, shared by every instance; one per
/// folder for an embedded index, which belongs to one instance.
pub struct Indexer {
    pub engine: SearchEngine,
}

/// The name of the cursor this engine's index follows.
pub fn cursor(engine: &SearchEngine) -> String {
    format!("search:{}", engine.location())
}

/// Events this engine's index has still to apply.
pub async fn pending(db: &impl ConnectionTrait, engine: &SearchEngine) -> Result<u64, DomainError> {
    Consumer::new(cursor(engine), "", ConsumerOptions::default()).pending(db).await
}

/// The case studies that these events touch. A changed network touches those approved in it;
/// collections, checks that changed nothing and membership are not indexed.
async fn touched(db: &impl ConnectionTrait, batch: &[event::Model]) -> Result<Vec<i32>, DomainError> {
    let mut ids = BTreeSet::new();
    let mut datasets = Vec::new();
    let mut networks = Vec::new();
    for event in batch {
        match event.change().filter(|c| c.changes_records()).map(Change::subject) {
            Some(Subject::Dataset) => datasets.push(event.subject_id),
            Some(Subject::Network) => networks.push(event.subject_id),
            Some(Subject::CaseStudy) => {
                ids.insert(event.subject_id);
            }
            Some(Subject::Collection | Subject::Person) | None => {}
        }
    }
    if !networks.is_empty() {
        let shared: Vec<i32> = submission::Entity::find()
            .select_only()
            .column(submission::Column::CaseStudyId)
            .filter(submission::Column::NetworkId.is_in(networks))
            .into_tuple()
            .all(db)
            .await?;
        ids.extend(shared);
    }
    if !datasets.is_empty() {
        let linking: Vec<i32> = case_study_dataset::Entity::find()
            .select_only()
            .column(case_study_dataset::Column::CaseStudyId)
            .filter(case_study_dataset::Column::DatasetId.is_in(datasets))
            .into_tuple()
            .all(db)
            .await?;
        ids.extend(linking);
    }
    Ok(ids.into_iter().collect())
}

impl Handler for Indexer {
    fn cursor(&self) -> String {
        cursor(&self.engine)
    }

    /// Indexes each touched case study from its state now, or removes it.
    async fn handle(&self, db: &DatabaseConnection, events: &[event::Model]) -> Result<(), DomainError> {
        let case_study_ids = touched(db, events).await?;
        let upserts = documents::load(db, &case_study_ids).await?;
        let deletes: Vec<i32> = case_study_ids.iter().copied().filter(|id| !upserts.iter().any(|d| d.id == *id)).collect();
        Ok(self.engine.apply(upserts, deletes).await?)
    }
}
