//! Database queries per request, for the benchmark: with `CASEBOOK_COUNT_QUERIES` on, every
//! query the connection runs is counted, and each response says how many ran while it was being
//! made. With one client at a time that is the request's own count (give or take the search
//! worker's occasional look at the event log, which the benchmark's median leaves out).
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use casebook_domain::db::DatabaseConnection;

use crate::AppState;

static QUERIES: AtomicU64 = AtomicU64::new(0);

/// Counts every query run through `db` (and the connections cloned from it afterwards).
pub fn count(db: &mut DatabaseConnection) {
    db.set_metric_callback(|query| {
        QUERIES.fetch_add(1, Ordering::Relaxed);
        // `RUST_LOG=casebook::queries=debug` lists them, for finding the ones a page repeats.
        tracing::debug!(target: "casebook::queries", elapsed = ?query.elapsed, "{}", query.statement.sql);
    });
}

pub async fn header(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.count_queries {
        return next.run(request).await;
    }
    let before = QUERIES.load(Ordering::Relaxed);
    let mut response = next.run(request).await;
    let ran = QUERIES.load(Ordering::Relaxed) - before;
    response.headers_mut().insert("x-casebook-queries", HeaderValue::from(ran));
    response
}
