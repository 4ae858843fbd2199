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

/// One problem with one row of an import (row 0 is the file as a whole; rows count from 1,
/// after any heading row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// What an import did, or in a dry run would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub organisations_created: usize,
    pub problems: Vec<RowProblem>,
}

impl ImportReport {
    /// How many rows have at least one problem.
    pub fn rows_with_problems(&self) -> usize {
        let mut rows: Vec<usize> = self.problems.iter().map(|p| p.row).collect();
        rows.dedup();
        rows.len()
    }
}

/// An admin's import on the web: the file checked (a dry run) or imported, and its report. The
/// file travels back in the confirm form, so that no instance has to keep it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub file_name: String,
    pub payload: String,
    pub datasets_payload: String,
    pub dry_run: bool,
    pub report: ImportReport,
}
