use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;

/// Answers while the process runs.
pub async fn live() -> &'static str {
    "ok"
}

/// Answers 200 only while the database does.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if casebook_domain::db::ping(&state.db).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}
