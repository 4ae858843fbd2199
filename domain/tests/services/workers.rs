//! The one runtime for background work, on real SQLite and PostgreSQL: a handler's failures
//! back off and show in the status, and a stop waits for the batch in flight.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use casebook_domain::entities::event;
use casebook_domain::events::{Consumer, ConsumerOptions};
use casebook_domain::workers::{self, CancellationToken, Handler, Pace, Round};
use casebook_domain::{case_studies, DomainError};
use sea_orm::DatabaseConnection;

use crate::support::{make_user, on_both_engines, valid_form};

/// Remembers what it was given, taking `pause` over each batch; fails while `failures` last.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<i64>>>,
    failures: Arc<Mutex<u32>>,
    pause: Duration,
    started: Arc<tokio::sync::Notify>,
}

impl Handler for Recorder {
    fn cursor(&self) -> String {
        "recorder".into()
    }

    async fn handle(&self, _db: &DatabaseConnection, events: &[event::Model]) -> Result<(), DomainError> {
        self.started.notify_one();
        {
            let mut failures = self.failures.lock().unwrap();
            if *failures > 0 {
                *failures -= 1;
                return Err(DomainError::Conflict("the handler's own failure".into()));
            }
        }
        tokio::time::sleep(self.pause).await;
        self.seen.lock().unwrap().extend(events.iter().map(|e| e.id));
        Ok(())
    }
}

fn pace() -> Pace {
    let consumer = ConsumerOptions { backoff: Duration::from_millis(300), max_backoff: Duration::from_millis(300), ..Default::default() };
    Pace { poll: Duration::from_millis(20), consumer, ..Pace::default() }
}

#[tokio::test]
async fn a_failing_handler_backs_off_and_its_error_and_lag_show_in_the_status() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Worker Author").await?;
        case_studies::create(&db, author, &valid_form("Gritting routes")).await?;
        let recorder = Recorder { failures: Arc::new(Mutex::new(1)), ..Default::default() };
        let consumer = Consumer::new(recorder.cursor(), "test", pace().consumer);
        let round = workers::round(&db, &recorder, &consumer, 500).await?;
        anyhow::ensure!(matches!(round, Round::Failed(DomainError::Conflict(_))), "{round:?}");
        let status = workers::status(&db).await?;
        let row = status.iter().find(|s| s.name == "recorder").ok_or_else(|| anyhow::anyhow!("no status: {status:?}"))?;
        anyhow::ensure!(row.attempts == 1 && row.lag == 2 && row.retry_at.is_some(), "{row:?}");
        anyhow::ensure!(row.last_error.as_deref().is_some_and(|e| e.contains("the handler's own failure")), "{row:?}");
        anyhow::ensure!(row.held_by.is_none(), "a failed round lets the lease go: {row:?}");
        anyhow::ensure!(matches!(workers::round(&db, &recorder, &consumer, 500).await?, Round::Idle), "not retried before its backoff");

        tokio::time::sleep(Duration::from_millis(350)).await;
        anyhow::ensure!(matches!(workers::round(&db, &recorder, &consumer, 500).await?, Round::Handled(2)), "handled after it");
        let row = workers::status(&db).await?.into_iter().find(|s| s.name == "recorder").unwrap();
        anyhow::ensure!(row.attempts == 0 && row.lag == 0 && row.last_error.is_none(), "{row:?}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_stopped_worker_finishes_its_batch_moves_on_and_lets_the_cursor_go() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Worker Author").await?;
        let recorder = Recorder { pause: Duration::from_millis(500), ..Default::default() };
        let stop = CancellationToken::new();
        let running = tokio::spawn(workers::follow(db.clone(), recorder.clone(), "instance".into(), pace(), stop.clone()));
        case_studies::create(&db, author, &valid_form("Gritting routes")).await?;
        tokio::time::timeout(Duration::from_secs(10), recorder.started.notified()).await?;
        // Stopped mid-batch: the batch is finished, its cursor moved on, and nothing repeats.
        stop.cancel();
        tokio::time::timeout(Duration::from_secs(10), running).await??;
        anyhow::ensure!(recorder.seen.lock().unwrap().len() == 2, "the batch in flight was finished: {:?}", recorder.seen);
        let row = workers::status(&db).await?.into_iter().find(|s| s.name == "recorder").unwrap();
        anyhow::ensure!(row.lag == 0 && row.held_by.is_none(), "moved on and let go: {row:?}");
        Ok(())
    })
    .await
}
