//! Casebook's own content as open data: the public record of each case study (`records`), which
//! the API serves, the bulk dumps are written from (`dumps`), and the importer reads back.
mod records;

pub use records::{detail, page, records, CaseStudyDetail, CaseStudyRecord, DatasetUse, Named, RecordFilters, RecordPage, RevisionRecord};
