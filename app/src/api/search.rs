use casebook_domain::search::{SearchParams, SearchView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::server_context;
use super::ApiError;

#[server(prefix = "/fn", endpoint = "search_case_studies")]
pub async fn search_case_studies(params: SearchParams) -> Result<SearchView, ApiError> {
    let context = server_context()?;
    Ok(casebook_domain::search::search(&context.db, &context.search, &context.search_memory, &params).await?)
}
