//! The background task that keeps the search index in step with the database.
use casebook_domain::db::DatabaseConnection;
use casebook_domain::search::{self, Freshness, SearchEngine, WorkerOptions};

/// Rebuilds the index if it is empty or outdated, then follows the event log for as long as the
/// process runs. Every instance runs one; the leased cursor keeps them from repeating each
/// other's work.
pub fn keep_index_current(db: DatabaseConnection, engine: SearchEngine) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match search::ensure_fresh(&db, &engine).await {
            Ok(Freshness::Rebuilt(done)) => {
                tracing::info!(documents = done.documents, seconds = done.elapsed.as_secs_f64(), "search index rebuilt")
            }
            Ok(Freshness::Fresh) => {}
            Err(error) => tracing::error!(%error, "could not check the search index; changes will be applied as they come"),
        }
        // This process's name on the cursor's lease.
        let instance = format!("{}-{}", std::process::id(), &casebook_domain::identity::random_token()[..16]);
        search::run_worker(db, engine, instance, WorkerOptions::default()).await;
    })
}
