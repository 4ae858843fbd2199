use casebook_domain::views::{DownloadView, ImportOutcome};
use leptos::prelude::*;

use super::ApiError;

/// The downloads and their columns, for the open data page.
#[server(prefix = "/fn", endpoint = "open_data_downloads")]
pub async fn open_data_downloads() -> Result<Vec<DownloadView>, ApiError> {
    Ok(casebook_domain::open_data::columns::downloads())
}

/// The case study as schema.org JSON-LD, ready for its page's script element; nothing for a
/// case study that is not published.
#[server(prefix = "/fn", endpoint = "case_study_linked_data")]
pub async fn case_study_linked_data(slug: String) -> Result<Option<String>, ApiError> {
    use casebook_domain::{open_data, DomainError};
    let context = super::server_context()?;
    match open_data::detail(&context.db, &slug, &context.public_url).await {
        Ok(detail) => Ok(Some(open_data::script_text(&open_data::schema_org(&detail, &context.public_url)))),
        Err(DomainError::NotFound) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The import page, for admins: what the last upload or confirm gave, if this is its answer.
#[server(prefix = "/fn", endpoint = "import_page")]
pub async fn import_page() -> Result<Option<ImportOutcome>, ApiError> {
    use crate::request::{request_state, submitted, ImportSubmission};
    let viewer = request_state().viewer.ok_or(casebook_domain::DomainError::Unauthenticated)?;
    casebook_domain::open_data::import::may_import(&super::server_context()?.db, viewer.user_id).await?;
    Ok(submitted::<ImportSubmission>().map(|s| s.0))
}
