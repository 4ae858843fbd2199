//! Checking datasets on a schedule. The event log's `datasets` consumer makes a newly linked
//! dataset due at once (the save itself fetches nothing); the worker claims due datasets one
//! conditional update each, so instances never check the same one together, and checks a few at
//! a time. A dataset whose portal is busy waits for the portal's next free turn.
use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::{stream, StreamExt};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use url::Url;

use super::fetch::Fetcher;
use super::health::{self, HealthRules};
use super::resolve::{self, Deferred, Lookup, ResolveOptions};
use crate::entities::{case_study_dataset, dataset, event};
use crate::events::{Change, Subject};
use crate::workers::{self, Handler, Job, Pace, Round};
use crate::DomainError;

#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// How often an idle worker looks for work.
    pub poll: Duration,
    /// Datasets claimed in one round.
    pub batch: u64,
    /// Checks running at once; each host's pace is kept by the fetcher whatever this is.
    pub concurrency: usize,
    /// How long a claim keeps other instances off a dataset.
    pub lease: chrono::Duration,
    /// How long one check may take, all its requests and parsing together.
    pub time_limit: Duration,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            poll: Duration::from_secs(1),
            batch: 64,
            concurrency: 16,
            lease: chrono::Duration::minutes(5),
            time_limit: Duration::from_secs(120),
        }
    }
}

/// Claims in a row that may end without an outcome (timed out, or the process died) before the
/// dataset is held for an admin: a document that kills the server must not crash-loop it.
pub const MAX_ATTEMPTS: i32 = 3;

/// How long a check that ended without an outcome waits before the next try: 15 minutes, then
/// 30, then an hour.
fn backoff(attempts: i32) -> chrono::Duration {
    chrono::Duration::minutes(15) * 2i32.pow(attempts.clamp(1, MAX_ATTEMPTS) as u32 - 1)
}

/// Everything a check needs, built once at start-up.
#[derive(Clone, Debug)]
pub struct Checker {
    pub fetcher: Fetcher,
    pub resolve: ResolveOptions,
    pub rules: HealthRules,
    pub options: CheckOptions,
}

/// What became of one dataset's check.
#[derive(Clone, Debug)]
pub enum Checked {
    Done(Box<dataset::Model>),
    Deferred(DateTime<Utc>),
    /// It ended without an outcome, and is tried again from this moment.
    Failed(DateTime<Utc>),
}

impl Checker {
    fn db(&self) -> &DatabaseConnection {
        self.fetcher.db()
    }

    /// One round of following the event log as `owner` (`workers::round`); how many events
    /// it handled.
    pub async fn follow_events(&self, owner: &str) -> Result<usize, DomainError> {
        match workers::round(self.db(), self, &workers::consumer(self, owner, &Pace::default()), 500).await? {
            Round::Handled(n) => Ok(n),
            Round::Idle => Ok(0),
            Round::Failed(error) => Err(error),
        }
    }

    /// Claims up to a batch of datasets due at `now`.
    async fn claim_due(&self, now: DateTime<Utc>) -> Result<Vec<dataset::Model>, DomainError> {
        let db = self.db();
        let free = || Condition::any().add(dataset::Column::ClaimedUntil.is_null()).add(dataset::Column::ClaimedUntil.lt(now));
        let candidates: Vec<i32> = dataset::Entity::find()
            .select_only()
            .column(dataset::Column::Id)
            .filter(dataset::Column::NextCheckAt.lte(now))
            .filter(dataset::Column::HeldSince.is_null())
            .filter(free())
            .order_by_asc(dataset::Column::NextCheckAt)
            .limit(self.options.batch)
            .into_tuple()
            .all(db)
            .await?;
        let mut claimed = Vec::new();
        for id in candidates {
            // Counted as it is claimed: a check that never comes back (the process died while it
            // ran) has still been tried.
            let taken = dataset::Entity::update_many()
                .col_expr(dataset::Column::ClaimedUntil, Expr::value(now + self.options.lease))
                .col_expr(dataset::Column::CheckAttempts, Expr::col(dataset::Column::CheckAttempts).add(1))
                .filter(dataset::Column::Id.eq(id))
                .filter(free())
                .exec(db)
                .await?;
            if taken.rows_affected == 1 {
                claimed.push(id);
            }
        }
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        let rows = dataset::Entity::find().filter(dataset::Column::Id.is_in(claimed)).all(db).await?;
        let (to_check, to_hold): (Vec<_>, Vec<_>) = rows.into_iter().partition(|row| row.check_attempts <= MAX_ATTEMPTS);
        for row in to_hold {
            self.hold(row, now).await?;
        }
        Ok(to_check)
    }

    /// Stops claiming a dataset whose checks keep ending without an outcome, until an admin asks
    /// for a check (`release`); its pages say so.
    async fn hold(&self, row: dataset::Model, now: DateTime<Utc>) -> Result<(), DomainError> {
        let problem = row.check_problem.clone().unwrap_or_else(|| "the server stopped while it was being checked".into());
        let reason = format!("its last {MAX_ATTEMPTS} checks did not finish ({problem}); an admin can check it again");
        tracing::warn!(dataset = row.id, url = row.url, reason, "dataset checks held");
        let txn = crate::db::begin(self.db()).await?;
        dataset::Entity::update_many()
            .col_expr(dataset::Column::HeldSince, Expr::value(now))
            .col_expr(dataset::Column::CheckProblem, Expr::value(reason.chars().take(500).collect::<String>()))
            .col_expr(dataset::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(dataset::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        crate::events::record(&txn, crate::events::Entry::new(crate::events::Change::DatasetChanged, row.id, 0)).await?;
        txn.commit().await?;
        Ok(())
    }

    /// A check that ran out of time: tried again after a wait that grows with each failure.
    async fn put_off(&self, row: &dataset::Model, now: DateTime<Utc>, problem: String) -> Result<DateTime<Utc>, DomainError> {
        let until = now + backoff(row.check_attempts);
        tracing::warn!(dataset = row.id, url = row.url, problem, %until, "a dataset check ended without an outcome");
        dataset::Entity::update_many()
            .col_expr(dataset::Column::NextCheckAt, Expr::value(until))
            .col_expr(dataset::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(dataset::Column::CheckProblem, Expr::value(problem))
            .filter(dataset::Column::Id.eq(row.id))
            .exec(self.db())
            .await?;
        Ok(until)
    }

    /// Checks one dataset as of `now` within the time limit: reads its portal's description
    /// when that is due, else only probes the link; records the outcome, or puts the check off
    /// while its host is busy or after it ran out of time.
    pub async fn check(&self, row: dataset::Model, now: DateTime<Utc>) -> Result<Checked, DomainError> {
        let limit = self.options.time_limit;
        match tokio::time::timeout(limit, self.check_untimed(row.clone(), now)).await {
            Ok(checked) => checked,
            Err(_) => {
                let problem = format!("a check took longer than {} seconds", limit.as_secs_f32());
                Ok(Checked::Failed(self.put_off(&row, now, problem).await?))
            }
        }
    }

    async fn check_untimed(&self, row: dataset::Model, now: DateTime<Utc>) -> Result<Checked, DomainError> {
        let lookup = match Url::parse(&row.url) {
            Ok(url) if health::wants_resolution(&row, now, &self.rules) => resolve::look_up(&self.fetcher, &self.resolve, &url).await,
            Ok(url) => resolve::check(&self.fetcher, &url).await.map(|probe| Lookup { probe, found: None }),
            Err(error) => Ok(Lookup {
                probe: resolve::Probe {
                    outcome: crate::vocabulary::CheckOutcome::ClientError,
                    status: None,
                    detail: error.to_string(),
                    moved_to: None,
                },
                found: None,
            }),
        };
        match lookup {
            Ok(lookup) => Ok(Checked::Done(Box::new(health::record(self.db(), row, &lookup, now, &self.rules).await?))),
            Err(Deferred(until)) => {
                dataset::Entity::update_many()
                    .col_expr(dataset::Column::NextCheckAt, Expr::value(until))
                    .col_expr(dataset::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                    .filter(dataset::Column::Id.eq(row.id))
                    .exec(self.db())
                    .await?;
                Ok(Checked::Deferred(until))
            }
        }
    }

    /// One round: claims what is due and checks it, a few at a time. Returns how many it claimed.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<usize, DomainError> {
        let due = self.claim_due(now).await?;
        let claimed = due.len();
        let results: Vec<Result<Checked, DomainError>> =
            stream::iter(due).map(|row| self.check(row, now)).buffer_unordered(self.options.concurrency.max(1)).collect().await;
        for result in results {
            if let Err(error) = result {
                tracing::warn!(%error, "a dataset check could not be recorded");
            }
        }
        Ok(claimed)
    }

    /// Checks these datasets now (or as of `at`), whatever their schedule, waiting out busy
    /// hosts: for `casebook datasets check`.
    pub async fn check_now(&self, ids: Vec<i32>, at: DateTime<Utc>) -> Result<Vec<dataset::Model>, DomainError> {
        let rows = dataset::Entity::find().filter(dataset::Column::Id.is_in(ids)).order_by_asc(dataset::Column::Id).all(self.db()).await?;
        let checked: Vec<Result<dataset::Model, DomainError>> = stream::iter(rows)
            .map(|row| async move {
                loop {
                    let fresh = dataset::Entity::find_by_id(row.id).one(self.db()).await?.ok_or(DomainError::NotFound)?;
                    match self.check(fresh, at).await? {
                        Checked::Done(saved) => return Ok(*saved),
                        Checked::Failed(_) => {
                            return dataset::Entity::find_by_id(row.id).one(self.db()).await?.ok_or(DomainError::NotFound)
                        }
                        Checked::Deferred(until) => {
                            let wait = (until - Utc::now()).to_std().unwrap_or_default();
                            tokio::time::sleep(wait.max(Duration::from_millis(50))).await;
                        }
                    }
                }
            })
            .buffer_unordered(self.options.concurrency.max(1))
            .collect()
            .await;
        checked.into_iter().collect()
    }
}

/// Case studies saved with datasets never checked make those datasets due at once.
impl Handler for Checker {
    fn cursor(&self) -> String {
        "datasets".into()
    }

    async fn handle(&self, db: &DatabaseConnection, batch: &[event::Model]) -> Result<(), DomainError> {
        let case_studies: BTreeSet<i32> =
            batch.iter().filter(|e| e.change().map(Change::subject) == Some(Subject::CaseStudy)).map(|e| e.subject_id).collect();
        if case_studies.is_empty() {
            return Ok(());
        }
        let linked = Query::select()
            .column(case_study_dataset::Column::DatasetId)
            .from(case_study_dataset::Entity)
            .and_where(case_study_dataset::Column::CaseStudyId.is_in(case_studies))
            .to_owned();
        let now = Utc::now();
        dataset::Entity::update_many()
            .col_expr(dataset::Column::NextCheckAt, Expr::value(now))
            .filter(dataset::Column::Id.in_subquery(linked))
            .filter(dataset::Column::CheckedAt.is_null())
            .filter(Condition::any().add(dataset::Column::NextCheckAt.is_null()).add(dataset::Column::NextCheckAt.gt(now)))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// The schedule: checks the datasets that are due.
impl Job for Checker {
    fn name(&self) -> &'static str {
        "dataset checks"
    }

    async fn work(&self) -> Result<bool, DomainError> {
        Ok(self.run_once(Utc::now()).await? > 0)
    }
}

/// The datasets `casebook datasets check` takes: those linked at `urls` if any are given, else
/// every one (`all`) or those never checked.
pub async fn to_check(db: &DatabaseConnection, all: bool, urls: &[String]) -> Result<Vec<i32>, DomainError> {
    let mut query = dataset::Entity::find().select_only().column(dataset::Column::Id).order_by_asc(dataset::Column::Id);
    if !urls.is_empty() {
        query = query.filter(dataset::Column::Url.is_in(urls.iter().map(|u| u.trim().to_string())));
    } else if !all {
        query = query.filter(dataset::Column::CheckedAt.is_null());
    }
    Ok(query.into_tuple().all(db).await?)
}

/// An admin asks for a dataset whose checks were paused to be checked again: the pause and the
/// count of failures go, and it is due at once.
pub async fn check_again(db: &DatabaseConnection, user_id: i32, id: i32) -> Result<(), DomainError> {
    let actor = crate::identity::roles::actor(db, Some(user_id)).await?;
    actor.check(&crate::permissions::Authorship::default(), crate::permissions::Action::CheckDatasetAgain)?;
    let txn = crate::db::begin(db).await?;
    let released = dataset::Entity::update_many()
        .col_expr(dataset::Column::HeldSince, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(dataset::Column::CheckAttempts, Expr::value(0))
        .col_expr(dataset::Column::NextCheckAt, Expr::value(Utc::now()))
        .filter(dataset::Column::Id.eq(id))
        .filter(dataset::Column::HeldSince.is_not_null())
        .exec(&txn)
        .await?;
    if released.rows_affected == 0 {
        return Err(DomainError::Conflict("That dataset's checks are not paused".into()));
    }
    crate::events::record(&txn, crate::events::Entry::new(crate::events::Change::DatasetChanged, id, 0)).await?;
    txn.commit().await?;
    Ok(())
}
