//! One runtime for background work. A consumer of the event log is a `Handler`: the run loop
//! (`follow`) claims its cursor, hands it a batch, moves the cursor on, or keeps it and waits
//! longer after each failure; the lease is renewed with every batch. Work on a timer is a `Job`
//! (`repeat`). Both stop when their token is cancelled, never in the middle of a batch, so a
//! graceful shutdown loses nothing and repeats nothing.
mod status;

use std::future::Future;
use std::time::Duration;

use sea_orm::DatabaseConnection;
pub use status::{status, ConsumerStatus};
pub use tokio_util::sync::CancellationToken;

use crate::entities::event;
use crate::events::{Consumer, ConsumerOptions};
use crate::DomainError;

/// A consumer of the event log.
pub trait Handler: Send + Sync {
    /// Its cursor's name in `event_consumer`.
    fn cursor(&self) -> String;

    /// Handles a batch, oldest first. Replaying a batch must be harmless: a batch whose cursor
    /// could not be moved on (the process died, the lease ran out) is handed out again.
    fn handle(&self, db: &DatabaseConnection, events: &[event::Model]) -> impl Future<Output = Result<(), DomainError>> + Send;
}

/// Work done on a timer.
pub trait Job: Send + Sync {
    fn name(&self) -> &'static str;

    /// One round; `true` when there is more to do at once.
    fn work(&self) -> impl Future<Output = Result<bool, DomainError>> + Send;
}

/// How a consumer is run.
#[derive(Clone, Debug)]
pub struct Pace {
    /// How often an idle consumer looks for new events.
    pub poll: Duration,
    /// Events handed over at once.
    pub batch: u64,
    pub consumer: ConsumerOptions,
}

impl Default for Pace {
    fn default() -> Self {
        Pace { poll: Duration::from_millis(250), batch: 500, consumer: ConsumerOptions::default() }
    }
}

/// What one round of a consumer did.
#[derive(Debug)]
pub enum Round {
    /// Nothing to do, or another instance holds the cursor.
    Idle,
    /// This many events were handled.
    Handled(usize),
    /// The handler failed; the cursor stays and waits out its backoff.
    Failed(DomainError),
}

/// The cursor `handler` follows, as this instance (`owner`) works it.
pub fn consumer(handler: &impl Handler, owner: &str, pace: &Pace) -> Consumer {
    Consumer::new(handler.cursor(), owner, pace.consumer.clone())
}

/// Takes the cursor if it is free, hands the events after it to `handler` and moves it on; on
/// failure, leaves it where it was, to be tried again after a longer wait. `Err` only when the
/// cursor itself could not be read or written.
pub async fn round(db: &DatabaseConnection, handler: &impl Handler, consumer: &Consumer, batch: u64) -> Result<Round, DomainError> {
    let Some((claim, events)) = consumer.take(db, batch).await? else { return Ok(Round::Idle) };
    let last = events.last().map_or(claim.position, |e| e.id);
    match handler.handle(db, &events).await {
        Ok(()) => {
            if !consumer.advance(db, last).await? {
                tracing::warn!(consumer = consumer.name, "the cursor's lease ran out mid-round; another instance carries on");
            }
            Ok(Round::Handled(events.len()))
        }
        Err(error) => {
            let wait = consumer.fail(db, &claim, &error.to_string()).await?;
            tracing::warn!(consumer = consumer.name, %error, attempts = claim.attempts + 1, retry_in = ?wait, "a batch failed; will retry");
            Ok(Round::Failed(error))
        }
    }
}

/// Follows the event log until `stop` is cancelled; a batch in flight is finished first.
pub async fn follow(db: DatabaseConnection, handler: impl Handler, owner: String, pace: Pace, stop: CancellationToken) {
    let consumer = consumer(&handler, &owner, &pace);
    while !stop.is_cancelled() {
        let pause = match round(&db, &handler, &consumer, pace.batch).await {
            Ok(Round::Handled(n)) if n as u64 >= pace.batch => Duration::ZERO,
            Ok(_) => pace.poll,
            Err(error) => {
                tracing::error!(consumer = consumer.name, %error, "the event log could not be read");
                pace.poll.max(Duration::from_secs(1))
            }
        };
        if !pause.is_zero() {
            tokio::select! {
                () = stop.cancelled() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
    }
    // Another instance need not wait out the lease.
    if let Err(error) = consumer.release(&db).await {
        tracing::warn!(consumer = consumer.name, %error, "the cursor could not be let go");
    }
}

/// Runs `job` every `every` (at once again while it reports more to do) until `stop` is
/// cancelled; a round in flight is finished first.
pub async fn repeat(job: impl Job, every: Duration, stop: CancellationToken) {
    while !stop.is_cancelled() {
        let pause = match job.work().await {
            Ok(true) => Duration::ZERO,
            Ok(false) => every,
            Err(error) => {
                tracing::error!(job = job.name(), %error, "background work failed; will retry");
                every.max(Duration::from_secs(1))
            }
        };
        if !pause.is_zero() {
            tokio::select! {
                () = stop.cancelled() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
    }
}
