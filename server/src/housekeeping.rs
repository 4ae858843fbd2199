//! Forgetting what has expired, on a timer rather than by the requests that add rows: old rate
//! limit windows and forms nobody came back for. Every instance runs it; deleting what another
//! has just deleted costs nothing.
use std::time::Duration;

use casebook_domain::db::DatabaseConnection;
use casebook_domain::{pending_submissions, rate_limits};

const EVERY: Duration = Duration::from_secs(60);

pub async fn run(db: DatabaseConnection) {
    let mut ticks = tokio::time::interval(EVERY);
    loop {
        ticks.tick().await;
        if let Err(error) = rate_limits::sweep(&db).await {
            tracing::warn!(%error, "old rate limit windows could not be swept");
        }
        if let Err(error) = pending_submissions::sweep(&db).await {
            tracing::warn!(%error, "expired kept forms could not be swept");
        }
    }
}
