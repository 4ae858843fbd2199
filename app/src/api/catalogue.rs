use casebook_domain::views::{Link, Listing, OrganisationView, PatternView};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {super::server_context, casebook_domain::catalogue};

#[server(prefix = "/fn", endpoint = "patterns")]
pub async fn patterns() -> Result<Vec<PatternView>, ApiError> {
    let context = server_context()?;
    Ok(context.catalogue_memory.patterns(&context.db, &context.now).await?)
}

#[server(prefix = "/fn", endpoint = "pattern")]
pub async fn pattern(slug: String, page: Option<u64>) -> Result<Listing<PatternView>, ApiError> {
    let context = server_context()?;
    Ok(catalogue::pattern(&context.db, &context.now, &context.case_study_memory, &slug, page).await?)
}

#[server(prefix = "/fn", endpoint = "tag")]
pub async fn tag(slug: String, page: Option<u64>) -> Result<Listing<Link>, ApiError> {
    let context = server_context()?;
    Ok(catalogue::tag(&context.db, &context.now, &context.case_study_memory, &slug, page).await?)
}

#[server(prefix = "/fn", endpoint = "organisations")]
pub async fn organisations() -> Result<Vec<OrganisationView>, ApiError> {
    let context = server_context()?;
    Ok(context.catalogue_memory.organisations(&context.db, &context.now).await?)
}

#[server(prefix = "/fn", endpoint = "organisation")]
pub async fn organisation(slug: String, page: Option<u64>) -> Result<Listing<OrganisationView>, ApiError> {
    let context = server_context()?;
    Ok(catalogue::organisation(&context.db, &context.now, &context.case_study_memory, &slug, page).await?)
}
