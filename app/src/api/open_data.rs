use casebook_domain::views::DownloadView;
use leptos::prelude::*;

use super::ApiError;

/// The downloads and their columns, for the open data page.
#[server(prefix = "/fn", endpoint = "open_data_downloads")]
pub async fn open_data_downloads() -> Result<Vec<DownloadView>, ApiError> {
    Ok(casebook_domain::open_data::columns::downloads())
}
