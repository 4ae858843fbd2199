use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use crate::AppState;

/// Answers while the process runs.
pub async fn live() -> &'static str {
    "ok"
}

/// Answers 200 only while the database does, with how far behind each consumer of the event
/// log is and what last went wrong with it (a lagging consumer does not make an instance unready:
/// pages are still served from the database).
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    if !casebook_domain::db::ping(&state.db).await {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "database unavailable" })));
    }
    match casebook_domain::workers::status(&state.db).await {
        Ok(workers) => (StatusCode::OK, Json(json!({ "status": "ready", "workers": workers }))),
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": format!("database unavailable: {error}") }))),
    }
}
