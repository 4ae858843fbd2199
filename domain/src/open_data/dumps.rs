//! The bulk downloads: every published case study as JSON and CSV, a CSV of the datasets each
//! one uses, and the DCAT catalogue in Turtle and JSON-LD. They are written whole to files in the data folder, a batch of records at a
//! time (memory stays flat at any size), and swapped in only once complete.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use sea_orm::DatabaseConnection;

use super::columns::{case_study_row, dataset_rows, CASE_STUDY_COLUMNS, DATASET_COLUMNS};
use super::linked_data::{CatalogueWriter, CATALOGUE_JSON_LD, CATALOGUE_TURTLE};
use super::records::{published_after, records_of};
use crate::workers::Job;
use crate::{events, DomainError};

pub const JSON: &str = "case-studies.json";
pub const CSV: &str = "case-studies.csv";
pub const DATASETS_CSV: &str = "case-study-datasets.csv";
/// The event-log position the files were written at.
const POSITION: &str = "position";
const BATCH: u64 = 500;

/// What one writing of the dumps held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub case_studies: u64,
    pub dataset_links: u64,
    pub position: i64,
}

/// Where the dumps live, and the site address their records link to.
#[derive(Clone, Debug)]
pub struct Dumps {
    pub dir: PathBuf,
    pub base: String,
    /// One writer at a time in this process (the worker, or a first download).
    writing: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Dumps {
    pub fn new(dir: impl Into<PathBuf>, base: &str) -> Self {
        Dumps { dir: dir.into(), base: base.trim_end_matches('/').to_string(), writing: Default::default() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The event-log position the current files reflect, if they have been written.
    pub fn position(&self) -> Option<i64> {
        std::fs::read_to_string(self.path(POSITION)).ok()?.trim().parse().ok()
    }

    /// Writes every file afresh from the database.
    pub async fn write(&self, db: &DatabaseConnection) -> Result<Written, DomainError> {
        let _writing = self.writing.lock().await;
        // Read first, so that a change made while writing is caught by the next round.
        let position = events::newest_record_change(db).await?;
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let mut json = BufWriter::new(File::create(self.path(&format!("{JSON}.new"))).map_err(io)?);
        let mut csv = csv::Writer::from_writer(BufWriter::new(File::create(self.path(&format!("{CSV}.new"))).map_err(io)?));
        let mut links = csv::Writer::from_writer(BufWriter::new(File::create(self.path(&format!("{DATASETS_CSV}.new"))).map_err(io)?));
        csv.write_record(CASE_STUDY_COLUMNS.iter().map(|c| c.name)).map_err(csv_error)?;
        links.write_record(DATASET_COLUMNS.iter().map(|c| c.name)).map_err(csv_error)?;
        let create = |name: &str| File::create(self.path(&format!("{name}.new"))).map(BufWriter::new);
        let mut catalogue =
            CatalogueWriter::new(create(CATALOGUE_TURTLE).map_err(io)?, create(CATALOGUE_JSON_LD).map_err(io)?, &self.base).map_err(io)?;
        json.write_all(b"[").map_err(io)?;
        let mut written = Written { case_studies: 0, dataset_links: 0, position };
        let mut after = 0;
        loop {
            let models = published_after(db, after, BATCH).await?;
            let Some(last) = models.last() else { break };
            after = last.id;
            for record in records_of(db, models, &self.base).await? {
                json.write_all(if written.case_studies == 0 { b"\n" } else { b",\n" }).map_err(io)?;
                serde_json::to_writer(&mut json, &record).map_err(|e| DomainError::Files(e.to_string()))?;
                csv.write_record(case_study_row(&record)).map_err(csv_error)?;
                catalogue.record(&record).map_err(io)?;
                for row in dataset_rows(&record) {
                    links.write_record(row).map_err(csv_error)?;
                    written.dataset_links += 1;
                }
                written.case_studies += 1;
            }
        }
        json.write_all(b"\n]\n").map_err(io)?;
        json.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
        csv.into_inner().map_err(|e| io(e.into_error()))?.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
        links.into_inner().map_err(|e| io(e.into_error()))?.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
        let (turtle, json_ld) = catalogue.finish().map_err(io)?;
        for file in [turtle, json_ld] {
            file.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
        }
        for name in [JSON, CSV, DATASETS_CSV, CATALOGUE_TURTLE, CATALOGUE_JSON_LD] {
            std::fs::rename(self.path(&format!("{name}.new")), self.path(name)).map_err(io)?;
        }
        std::fs::write(self.path(POSITION), position.to_string()).map_err(io)?;
        Ok(written)
    }

    /// The dumps' files, written now if this instance has none yet.
    pub async fn ensure(&self, db: &DatabaseConnection) -> Result<(), DomainError> {
        if self.position().is_none() {
            let _ = self.write(db).await?;
        }
        Ok(())
    }
}

/// Writes the dumps whenever the event log has moved on from the files. Each instance keeps its
/// own files, so none waits on another.
pub struct KeepDumpsCurrent {
    pub dumps: Dumps,
    pub db: DatabaseConnection,
}

impl Job for KeepDumpsCurrent {
    fn name(&self) -> &'static str {
        "open data downloads"
    }

    async fn work(&self) -> Result<bool, DomainError> {
        if Some(events::newest_record_change(&self.db).await?) != self.dumps.position() {
            let done = self.dumps.write(&self.db).await?;
            tracing::info!(case_studies = done.case_studies, position = done.position, "open data dumps written");
        }
        Ok(false)
    }
}

fn io(error: std::io::Error) -> DomainError {
    DomainError::Files(format!("writing the dumps: {error}"))
}

fn csv_error(error: csv::Error) -> DomainError {
    DomainError::Files(format!("writing the dumps: {error}"))
}
