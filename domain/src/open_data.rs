//! Casebook's own content as open data: the public record of each case study (`records`), which
//! the API serves, the bulk dumps are written from (`dumps`, with their CSV `columns`), and the
//! importer reads back.
pub mod columns;
mod dumps;
mod records;

pub use dumps::{Dumps, Written, CSV, DATASETS_CSV, JSON};
pub use records::{detail, page, CaseStudyDetail, CaseStudyRecord, DatasetUse, Named, RecordFilters, RecordPage, RevisionRecord};
