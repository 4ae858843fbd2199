use casebook_domain::views::{
    DatasetLookupView, DatasetPage, DatasetProblem, DatasetView, Link, Listing, OrganisationView, PatternView, PublisherPage,
};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {
    super::server_context,
    crate::request::request_state,
    casebook_domain::{catalogue, datasets, identity::roles, DomainError},
};

#[server(prefix = "/fn", endpoint = "patterns")]
pub async fn patterns() -> Result<Vec<PatternView>, ApiError> {
    Ok(catalogue::patterns_with_counts(&server_context()?.db).await?)
}

#[server(prefix = "/fn", endpoint = "pattern")]
pub async fn pattern(slug: String) -> Result<Listing<PatternView>, ApiError> {
    Ok(catalogue::pattern(&server_context()?.db, &slug).await?)
}

#[server(prefix = "/fn", endpoint = "tag")]
pub async fn tag(slug: String) -> Result<Listing<Link>, ApiError> {
    Ok(catalogue::tag(&server_context()?.db, &slug).await?)
}

#[server(prefix = "/fn", endpoint = "datasets")]
pub async fn datasets() -> Result<Vec<DatasetView>, ApiError> {
    Ok(datasets::datasets(&server_context()?.db).await?)
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

/// What the portal says about an address, for the editor's live "Look up".
#[server(prefix = "/fn", endpoint = "look_up_dataset")]
pub async fn look_up_dataset(url: String) -> Result<DatasetLookupView, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    Ok(server_context()?.datasets.look_up_for(viewer.user_id, &url).await?)
}

#[server(prefix = "/fn", endpoint = "organisations")]
pub async fn organisations() -> Result<Vec<OrganisationView>, ApiError> {
    Ok(catalogue::organisations(&server_context()?.db).await?)
}

#[server(prefix = "/fn", endpoint = "organisation")]
pub async fn organisation(slug: String) -> Result<Listing<OrganisationView>, ApiError> {
    Ok(catalogue::organisation(&server_context()?.db, &slug).await?)
}
