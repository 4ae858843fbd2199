//! Forgetting what has expired, on a timer rather than by the requests that add rows: old rate
//! limit windows and forms nobody came back for. Every instance runs it; deleting what another
//! has just deleted costs nothing.
use std::time::Duration;

use casebook_domain::db::DatabaseConnection;
use casebook_domain::workers::Job;
use casebook_domain::{pending_submissions, rate_limits, DomainError};

pub struct Housekeeping {
    pub db: DatabaseConnection,
}

impl Housekeeping {
    pub const EVERY: Duration = Duration::from_secs(60);
}

impl Job for Housekeeping {
    fn name(&self) -> &'static str {
        "housekeeping"
    }

    async fn work(&self) -> Result<bool, DomainError> {
        if let Err(error) = rate_limits::sweep(&self.db).await {
            tracing::warn!(%error, "old rate limit windows could not be swept");
        }
        pending_submissions::sweep(&self.db).await?;
        Ok(false)
    }
}
