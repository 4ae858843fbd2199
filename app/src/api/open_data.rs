use casebook_domain::views::{DownloadView, ImportOutcome};
use leptos::prelude::*;

use super::ApiError;

/// The downloads and their columns, for the open data page.
#[server(prefix = "/fn", endpoint = "open_data_downloads")]
pub async fn open_data_downloads() -> Result<Vec<DownloadView>, ApiError> {
    Ok(casebook_domain::open_data::columns::downloads())
}

/// The import page, for admins: what the last upload or confirm gave, if this is its answer.
#[server(prefix = "/fn", endpoint = "import_page")]
pub async fn import_page() -> Result<Option<ImportOutcome>, ApiError> {
    use crate::request::{request_state, submitted, ImportSubmission};
    let viewer = request_state().viewer.ok_or(casebook_domain::DomainError::Unauthenticated)?;
    casebook_domain::open_data::import::may_import(&super::server_context()?.db, viewer.user_id).await?;
    Ok(submitted::<ImportSubmission>().map(|s| s.0))
}
