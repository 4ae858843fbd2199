//! `GET /data/<file>` and `/catalog.{ttl,jsonld}`: the bulk downloads and the DCAT catalogue,
//! served from the files the dumps worker keeps.
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use casebook_domain::open_data::{CATALOGUE_JSON_LD, CATALOGUE_TURTLE, CSV, DATASETS_CSV, JSON};
use casebook_domain::{paths, DomainError};
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
    serve(&state, &file, content_type, request).await
}

pub async fn catalogue(State(state): State<AppState>, request: Request) -> Result<Response, HttpError> {
    match request.uri().path() {
        paths::CATALOGUE_TURTLE => serve(&state, CATALOGUE_TURTLE, "text/turtle; charset=utf-8", request).await,
        _ => serve(&state, CATALOGUE_JSON_LD, "application/ld+json", request).await,
    }
}

async fn serve(state: &AppState, file: &str, content_type: &'static str, request: Request) -> Result<Response, HttpError> {
    state.dumps.ensure(&state.db).await?;
    // ServeFile answers conditional and range requests from the file's own metadata.
    let served = ServeFile::new(state.dumps.path(file)).oneshot(request).await.map_err(|e| HttpError::Internal(e.to_string()))?;
    let mut response = served.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    Ok(response)
}
