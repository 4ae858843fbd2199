//! The open data page: each download and what its columns hold.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnView {
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadView {
    pub file: String,
    pub title: String,
    pub format: String,
    pub description: String,
    /// For CSV files; the JSON holds the same fields, with lists as arrays.
    pub columns: Vec<ColumnView>,
}
