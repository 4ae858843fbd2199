//! Where the event log and the search index stand, read once for many requests at a time.
//!
//! A page may be served from the cache only if nothing has changed since it was rendered, on any
//! instance, so every anonymous request reads the positions afresh. Requests that arrive while a
//! read is running share the next one, which starts only after they arrived: each still sees
//! every change committed before it came, and under load one query serves a crowd.
use std::sync::{Arc, Mutex};

use casebook_domain::db::DatabaseConnection;
use futures_util::future::{BoxFuture, FutureExt, Shared};

/// The newest event, and how far the search index has applied the log. A page rendered at one
/// `Positions` shows what the database and the index held then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Positions {
    pub log: i64,
    pub search: i64,
}

type Round = Shared<BoxFuture<'static, Option<Positions>>>;

pub struct PositionReader {
    db: DatabaseConnection,
    /// The search index's cursor in the log.
    consumer: String,
    /// The round new requests join: it has not started its query yet.
    next: Mutex<Option<Round>>,
    /// One query at a time: those who arrive meanwhile wait for the next together.
    running: tokio::sync::Mutex<()>,
}

impl PositionReader {
    pub fn new(db: DatabaseConnection, consumer: String) -> Arc<Self> {
        Arc::new(PositionReader { db, consumer, next: Mutex::new(None), running: tokio::sync::Mutex::new(()) })
    }

    /// The positions as of a moment after this call began; `None` if the database did not answer.
    pub async fn read(self: &Arc<Self>) -> Option<Positions> {
        let round = {
            let mut next = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            next.get_or_insert_with(|| Self::round(self.clone()).boxed().shared()).clone()
        };
        round.await
    }

    async fn round(self: Arc<Self>) -> Option<Positions> {
        let _one_at_a_time = self.running.lock().await;
        // From here on, newcomers start the next round: this query may have begun before them.
        self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        match casebook_domain::events::positions(&self.db, &self.consumer).await {
            Ok((log, search)) => Some(Positions { log, search }),
            Err(error) => {
                tracing::warn!(%error, "could not read the event log's position; serving pages uncached");
                None
            }
        }
    }
}
