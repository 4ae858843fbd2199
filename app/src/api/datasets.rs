use casebook_domain::views::{DatasetPage, DatasetProblem, DatasetView, Page, PublisherPage};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {
    super::server_context,
    crate::request::request_state,
    casebook_domain::{datasets, identity::roles},
};

#[server(prefix = "/fn", endpoint = "datasets")]
pub async fn datasets(page: Option<u64>) -> Result<Page<DatasetView>, ApiError> {
    Ok(datasets::datasets(&server_context()?.db, page).await?)
}

#[server(prefix = "/fn", endpoint = "dataset")]
pub async fn dataset(id: i32) -> Result<DatasetPage, ApiError> {
    Ok(datasets::dataset_page(&server_context()?.db, id).await?)
}

#[server(prefix = "/fn", endpoint = "publisher")]
pub async fn publisher(slug: String) -> Result<PublisherPage, ApiError> {
    Ok(datasets::publisher_page(&server_context()?.db, &slug).await?)
}

#[server(prefix = "/fn", endpoint = "dataset_problems")]
pub async fn dataset_problems() -> Result<Vec<DatasetProblem>, ApiError> {
    let db = server_context()?.db;
    let actor = roles::actor(&db, request_state().viewer.map(|v| v.user_id)).await?;
    Ok(datasets::problems(&db, &actor).await?)
}
