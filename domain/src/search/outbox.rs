//! The search outbox. Every change to a case study adds a row in the same transaction as the
//! change; the worker turns rows into index updates from the case study's state at that moment
//! (published: indexed; anything else, or gone: removed), so replaying a row is always safe.
use std::time::Duration;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::documents;
use super::engine::{SearchEngine, SearchError};
use crate::entities::search_outbox;
use crate::DomainError;

#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// How often an idle worker looks for new rows.
    pub poll: Duration,
    /// Rows taken at once.
    pub batch: u64,
    /// How long taken rows stay hidden from other instances' workers.
    pub lease: Duration,
    /// The wait after a first failure; it doubles with each further one, up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            poll: Duration::from_millis(250),
            batch: 200,
            lease: Duration::from_secs(300),
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
        }
    }
}

/// What one round of the worker did.
#[derive(Debug)]
pub enum Round {
    Idle,
    /// This many rows were applied.
    Applied(usize),
    /// The engine refused; the rows wait out their backoff.
    Failed(SearchError),
}

/// Records that these case studies changed. Call it inside the transaction that changes them.
pub async fn enqueue(db: &impl ConnectionTrait, case_study_ids: &[i32]) -> Result<(), DomainError> {
    if case_study_ids.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = case_study_ids.iter().map(|&case_study_id| search_outbox::ActiveModel {
        case_study_id: Set(case_study_id),
        enqueued_at: Set(now),
        attempts: Set(0),
        available_at: Set(now),
        last_error: Set(None),
        ..Default::default()
    });
    search_outbox::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Rows not yet applied.
pub async fn pending(db: &impl ConnectionTrait) -> Result<u64, DomainError> {
    Ok(search_outbox::Entity::find().count(db).await?)
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// Takes the rows that are due, applies them, and removes them; on failure, leaves them for
/// later with a longer wait.
pub async fn work_once(db: &DatabaseConnection, engine: &SearchEngine, options: &WorkerOptions) -> Result<Round, DomainError> {
    let now = Utc::now();
    let due = search_outbox::Entity::find()
        .filter(search_outbox::Column::AvailableAt.lte(now))
        .order_by_asc(search_outbox::Column::Id)
        .limit(options.batch)
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(Round::Idle);
    }
    let row_ids: Vec<i32> = due.iter().map(|row| row.id).collect();
    // Taking the rows is a conditional update, so two instances do not both take them.
    let taken = search_outbox::Entity::update_many()
        .col_expr(search_outbox::Column::AvailableAt, Expr::value(now + to_chrono(options.lease)))
        .filter(search_outbox::Column::Id.is_in(row_ids.clone()))
        .filter(search_outbox::Column::AvailableAt.lte(now))
        .exec(db)
        .await?;
    if taken.rows_affected == 0 {
        return Ok(Round::Idle);
    }
    let mut case_study_ids: Vec<i32> = due.iter().map(|row| row.case_study_id).collect();
    case_study_ids.sort_unstable();
    case_study_ids.dedup();
    let upserts = documents::load(db, &case_study_ids).await?;
    let deletes: Vec<i32> = case_study_ids.iter().copied().filter(|id| !upserts.iter().any(|d| d.id == *id)).collect();
    match engine.apply(upserts, deletes).await {
        Ok(()) => {
            search_outbox::Entity::delete_many().filter(search_outbox::Column::Id.is_in(row_ids.clone())).exec(db).await?;
            Ok(Round::Applied(row_ids.len()))
        }
        Err(error) => {
            let attempts = due.iter().map(|row| row.attempts).max().unwrap_or(0) + 1;
            let wait = options
                .backoff
                .saturating_mul(2u32.saturating_pow(u32::try_from(attempts - 1).unwrap_or(u32::MAX)))
                .min(options.max_backoff);
            search_outbox::Entity::update_many()
                .col_expr(search_outbox::Column::Attempts, Expr::col(search_outbox::Column::Attempts).add(1))
                .col_expr(search_outbox::Column::AvailableAt, Expr::value(Utc::now() + to_chrono(wait)))
                .col_expr(search_outbox::Column::LastError, Expr::value(error.to_string()))
                .filter(search_outbox::Column::Id.is_in(row_ids))
                .exec(db)
                .await?;
            tracing::warn!(%error, attempts, retry_in = ?wait, "search index update failed; will retry");
            Ok(Round::Failed(error))
        }
    }
}

/// Applies the outbox for as long as the process runs.
pub async fn run_worker(db: DatabaseConnection, engine: SearchEngine, options: WorkerOptions) {
    loop {
        let pause = match work_once(&db, &engine, &options).await {
            Ok(Round::Applied(n)) if n as u64 >= options.batch => Duration::ZERO,
            Ok(_) => options.poll,
            Err(error) => {
                tracing::error!(%error, "the search outbox could not be read");
                options.poll.max(Duration::from_secs(1))
            }
        };
        tokio::time::sleep(pause).await;
    }
}
