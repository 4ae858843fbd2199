//! The search index's consumer of the event log. It reads the events after its cursor, works
//! out which case studies they touch (a changed dataset touches every case study that links it)
//! and indexes each from its state at that moment: published, indexed; anything else, or gone,
//! removed. Replaying events is therefore always safe, and as the cursor is held by one
//! instance at a time and read in order, an older state never lands after a newer one.
use std::collections::BTreeSet;
use std::time::Duration;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::documents;
use super::engine::{SearchEngine, SearchError};
use crate::entities::{case_study_dataset, submission};
use crate::events::{Change, Consumer, ConsumerOptions, Subject};
use crate::DomainError;

#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// How often an idle worker looks for new events.
    pub poll: Duration,
    /// Events read at once.
    pub batch: u64,
    pub consumer: ConsumerOptions,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions { poll: Duration::from_millis(250), batch: 500, consumer: ConsumerOptions::default() }
    }
}

/// What one round of the worker did.
#[derive(Debug)]
pub enum Round {
    /// Nothing to do, or another instance holds the cursor.
    Idle,
    /// This many events were applied.
    Applied(usize),
    /// The engine refused; the cursor waits out its backoff.
    Failed(SearchError),
}

/// The cursor this engine's index follows: one for a Meilisearch index, shared by every
/// instance; one per folder for an embedded index, which belongs to one instance.
pub fn consumer(engine: &SearchEngine, owner: &str, options: &WorkerOptions) -> Consumer {
    Consumer::new(format!("search:{}", engine.location()), owner, options.consumer.clone())
}

/// Events this engine's index has still to apply.
pub async fn pending(db: &impl ConnectionTrait, engine: &SearchEngine) -> Result<u64, DomainError> {
    consumer(engine, "", &WorkerOptions::default()).pending(db).await
}

/// The case studies that these events touch. A changed network touches those approved in it;
/// collections, checks that changed nothing and membership are not indexed.
async fn touched(db: &impl ConnectionTrait, batch: &[crate::entities::event::Model]) -> Result<Vec<i32>, DomainError> {
    let mut ids = BTreeSet::new();
    let mut datasets = Vec::new();
    let mut networks = Vec::new();
    for event in batch.iter().filter(|e| Change::changes_records(&e.kind)) {
        if event.subject == Subject::Dataset.slug() {
            datasets.push(event.subject_id);
        } else if event.subject == Subject::Network.slug() {
            networks.push(event.subject_id);
        } else if event.subject == Subject::CaseStudy.slug() {
            ids.insert(event.subject_id);
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

/// Takes the cursor if it is free, applies the events after it and moves it on; on failure,
/// leaves it where it was, to be tried again after a longer wait.
pub async fn work_once(db: &DatabaseConnection, engine: &SearchEngine, consumer: &Consumer, batch: u64) -> Result<Round, DomainError> {
    let Some((claim, events)) = consumer.take(db, batch).await? else { return Ok(Round::Idle) };
    let last = events.last().map_or(claim.position, |e| e.id);
    let case_study_ids = touched(db, &events).await?;
    let upserts = documents::load(db, &case_study_ids).await?;
    let deletes: Vec<i32> = case_study_ids.iter().copied().filter(|id| !upserts.iter().any(|d| d.id == *id)).collect();
    match engine.apply(upserts, deletes).await {
        Ok(()) => {
            if !consumer.advance(db, last).await? {
                tracing::warn!(consumer = consumer.name, "the search cursor's lease ran out mid-round; another instance carries on");
            }
            Ok(Round::Applied(events.len()))
        }
        Err(error) => {
            let wait = consumer.fail(db, &claim, &error.to_string()).await?;
            tracing::warn!(%error, attempts = claim.attempts + 1, retry_in = ?wait, "search index update failed; will retry");
            Ok(Round::Failed(error))
        }
    }
}

/// Follows the event log for as long as the process runs.
pub async fn run_worker(db: DatabaseConnection, engine: SearchEngine, owner: String, options: WorkerOptions) {
    let consumer = consumer(&engine, &owner, &options);
    loop {
        let pause = match work_once(&db, &engine, &consumer, options.batch).await {
            Ok(Round::Applied(n)) if n as u64 >= options.batch => Duration::ZERO,
            Ok(_) => options.poll,
            Err(error) => {
                tracing::error!(%error, "the event log could not be read");
                options.poll.max(Duration::from_secs(1))
            }
        };
        tokio::time::sleep(pause).await;
    }
}
