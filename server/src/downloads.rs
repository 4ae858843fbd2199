//! `GET /data/<file>`: the bulk downloads, served from the files the dumps worker keeps.
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use casebook_domain::open_data::{CSV, DATASETS_CSV, JSON};
use casebook_domain::DomainError;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::error::HttpError;
use crate::AppState;

pub async fn download(State(state): State<AppState>, Path(file): Path<String>, request: Request) -> Result<Response, HttpError> {
    let content_type = match file.as_str() {
        JSON => "application/json",
        CSV | DATASETS_CSV => "text/csv; charset=utf-8; header=present",
        _ => return Err(DomainError::NotFound.into()),
    };
    state.dumps.ensure(&state.db).await?;
    // ServeFile answers conditional and range requests from the file's own metadata.
    let served = ServeFile::new(state.dumps.path(&file)).oneshot(request).await.map_err(|e| HttpError::Internal(e.to_string()))?;
    let mut response = served.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    Ok(response)
}
