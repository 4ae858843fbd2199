use casebook_domain::views::{FormProblem, ListFilters, MembersView, NetworkEditorView, NetworkView, NetworksView, ReviewQueueView};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {
    super::server_context,
    crate::request::{request_state, submitted, NetworkSubmission},
    casebook_domain::{networks, DomainError},
};

/// The refused post this page is being shown again for, if it is.
#[server(prefix = "/fn", endpoint = "refused_post")]
pub async fn refused_post() -> Result<Option<FormProblem>, ApiError> {
    Ok(submitted::<FormProblem>())
}

#[server(prefix = "/fn", endpoint = "networks_page")]
pub async fn networks_page(page: Option<u64>) -> Result<NetworksView, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    Ok(networks::list(&server_context()?.db, viewer, page).await?)
}

#[server(prefix = "/fn", endpoint = "network_page")]
pub async fn network_page(slug: String, filters: ListFilters) -> Result<NetworkView, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    let context = server_context()?;
    Ok(networks::page(&context.db, &context.now, &context.case_study_memory, viewer, &slug, filters).await?)
}

#[server(prefix = "/fn", endpoint = "network_members")]
pub async fn network_members(slug: String) -> Result<MembersView, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    Ok(networks::members(&server_context()?.db, viewer, &slug).await?)
}

#[server(prefix = "/fn", endpoint = "review_queue")]
pub async fn review_queue(slug: String) -> Result<ReviewQueueView, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    Ok(networks::queue(&server_context()?.db, Some(viewer.user_id), &slug).await?)
}

/// The create form (no slug) or a network's edit form.
#[server(prefix = "/fn", endpoint = "network_editor")]
pub async fn network_editor(slug: Option<String>) -> Result<NetworkEditorView, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    let rejected = submitted::<NetworkSubmission>().map(|s| (s.0, s.1));
    Ok(networks::editor(&server_context()?.db, viewer.user_id, slug.as_deref(), rejected).await?)
}
