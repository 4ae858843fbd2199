//! The background roles, started and stopped together under supervision: the search indexer,
//! the dataset checker (its share of the event log and its schedule), the open data downloads
//! and housekeeping. Every instance runs them unless told not to (`serve --no-workers`); leased
//! cursors and claims keep instances from doing the same work twice.
use std::future::Future;
use std::time::Duration;

use casebook_domain::db::DatabaseConnection;
use casebook_domain::search::{self, Freshness, Indexer, SearchEngine};
use casebook_domain::workers::{self, CancellationToken, Pace};
use tokio::task::JoinSet;

use casebook_domain::notifications::{Digests, Notifier};

use crate::housekeeping::Housekeeping;
use crate::mail::{MailError, Mailer, Sender};
use crate::{AppState, Config};

/// Rebuilds the search index if it is empty or outdated, then follows the event log.
pub async fn index(db: DatabaseConnection, engine: SearchEngine, owner: String, stop: CancellationToken) {
    match search::ensure_fresh(&db, &engine).await {
        Ok(Freshness::Rebuilt(done)) => {
            tracing::info!(documents = done.documents, seconds = done.elapsed.as_secs_f64(), "search index rebuilt")
        }
        Ok(Freshness::Fresh) => {}
        Err(error) => tracing::error!(%error, "could not check the search index; changes will be applied as they come"),
    }
    workers::follow(db, Indexer { engine }, owner, Pace::default(), stop).await
}

/// How often digest windows are looked at, at most (each is cut only when due), and queued
/// mail sent.
const LOOK_EVERY: Duration = Duration::from_secs(5);
const SEND_EVERY: Duration = Duration::from_secs(2);

/// A task that panicked is started again after this long.
const RESTART_AFTER: Duration = Duration::from_secs(1);

pub struct Workers {
    tasks: JoinSet<()>,
    stop: CancellationToken,
}

impl Workers {
    pub fn start(state: &AppState, config: &Config) -> Result<Workers, MailError> {
        let mailer = Mailer::new(config)?;
        let mut all = Workers { tasks: JoinSet::new(), stop: CancellationToken::new() };
        // This process's name on the leases it takes.
        let instance = format!("{}-{}", std::process::id(), &casebook_domain::identity::random_token()[..16]);
        let (db, engine, owner) = (state.db.clone(), state.search.clone(), instance.clone());
        all.supervise("search index", move |stop| index(db.clone(), engine.clone(), owner.clone(), stop));
        if config.datasets.checks {
            let (db, checker, owner) = (state.db.clone(), state.datasets.clone(), instance.clone());
            all.supervise("dataset links", move |stop| workers::follow(db.clone(), checker.clone(), owner.clone(), Pace::default(), stop));
            let (checker, poll) = (state.datasets.clone(), state.datasets.options.poll);
            all.supervise("dataset checks", move |stop| workers::repeat(checker.clone(), poll, stop));
        }
        let (dumps, db, every) = (state.dumps.clone(), state.db.clone(), Duration::from_secs(config.dump_interval_seconds));
        all.supervise("open data downloads", move |stop| {
            workers::repeat(casebook_domain::open_data::KeepDumpsCurrent { dumps: dumps.clone(), db: db.clone() }, every, stop)
        });
        let db = state.db.clone();
        all.supervise("housekeeping", move |stop| workers::repeat(Housekeeping { db: db.clone() }, Housekeeping::EVERY, stop));
        let (db, owner) = (state.db.clone(), instance.clone());
        all.supervise("notifications", move |stop| workers::follow(db.clone(), Notifier, owner.clone(), Pace::default(), stop));
        let (db, settings) = (state.db.clone(), config.mail_settings());
        let every = settings.at_once_every.to_std().unwrap_or(LOOK_EVERY).min(LOOK_EVERY);
        all.supervise("mail digests", move |stop| workers::repeat(Digests { db: db.clone(), settings: settings.clone() }, every, stop));
        let db = state.db.clone();
        all.supervise("mail sender", move |stop| {
            let sender = Sender { db: db.clone(), mailer: mailer.clone(), owner: instance.clone() };
            workers::repeat(sender, SEND_EVERY, stop)
        });
        Ok(all)
    }

    /// Runs `task` until the token is cancelled, starting it again if it panics.
    fn supervise<F, Fut>(&mut self, name: &'static str, task: F)
    where
        F: Fn(CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let stop = self.stop.clone();
        self.tasks.spawn(async move {
            loop {
                match tokio::spawn(task(stop.clone())).await {
                    Ok(()) if stop.is_cancelled() => return,
                    Ok(()) => tracing::error!(worker = name, "a background task ended by itself; starting it again"),
                    Err(error) => tracing::error!(worker = name, %error, "a background task failed; starting it again"),
                }
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(RESTART_AFTER) => {}
                }
            }
        });
    }

    /// Asks every task to stop and waits for each to finish what it holds (a batch, a round).
    pub async fn stop(mut self) {
        self.stop.cancel();
        while self.tasks.join_next().await.is_some() {}
    }
}
