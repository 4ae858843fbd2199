//! `POST /datasets/health`: an admin asks for a dataset whose checks were paused to be checked again.
use axum::extract::State;
use axum::response::Response;
use casebook_domain::{datasets, paths};
use serde::Deserialize;

use crate::error::HttpError;
use crate::forms::answer;
use crate::security::{CsrfForm, SignedIn};
use crate::AppState;

#[derive(Deserialize)]
pub struct CheckAgainForm {
    dataset: i32,
}

pub async fn check_again(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    CsrfForm { parts, fields }: CsrfForm<CheckAgainForm>,
) -> Result<Response, HttpError> {
    let outcome = datasets::check_again(&state.db, viewer.user_id, fields.dataset).await;
    answer(&state, parts, outcome.map(|()| paths::DATASET_HEALTH.to_string())).await
}
