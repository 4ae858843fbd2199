use casebook_domain::views::{CollectionEditorView, CollectionView, CollectionsView, Link};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {
    super::server_context,
    crate::request::{request_state, submitted, CollectionSubmission},
    casebook_domain::{collections, identity::roles, DomainError},
};

#[server(prefix = "/fn", endpoint = "collections_page")]
pub async fn collections_page() -> Result<CollectionsView, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    Ok(collections::list(&server_context()?.db, viewer).await?)
}

#[server(prefix = "/fn", endpoint = "collection")]
pub async fn collection(slug: String, page: Option<u64>) -> Result<CollectionView, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    Ok(collections::view(&server_context()?.db, viewer, &slug, page).await?)
}

/// The create form (no slug) or a collection's edit form.
#[server(prefix = "/fn", endpoint = "collection_editor")]
pub async fn collection_editor(slug: Option<String>) -> Result<CollectionEditorView, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    let rejected = submitted::<CollectionSubmission>().map(|s| (s.0, s.1));
    Ok(collections::editor(&server_context()?.db, viewer.user_id, slug.as_deref(), rejected).await?)
}

/// The collections the person looking curates, to add a search result to.
#[server(prefix = "/fn", endpoint = "addable_collections")]
pub async fn addable_collections() -> Result<Vec<Link>, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    let db = &server_context()?.db;
    Ok(collections::addable_for(db, &roles::actor(db, viewer).await?).await?)
}

/// Puts a collection's items in a new order, for the drag and drop list. The answer is the
/// collection's new version; a stale `version` is refused as a conflict.
#[server(prefix = "/fn", endpoint = "reorder_collection")]
pub async fn reorder_collection(slug: String, version: i32, order: Vec<i32>) -> Result<i32, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    let db = &server_context()?.db;
    let form = casebook_domain::forms::ItemForm { action: "order".into(), order, version: Some(version), ..Default::default() };
    collections::change_items(db, viewer.user_id, &slug, &form).await?;
    Ok(version + 1)
}
