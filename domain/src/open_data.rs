//! Casebook's own content as open data: the public record of each case study (`records`), which
//! the API serves, the Atom `feeds` list, the bulk dumps are written from (`dumps`, with their CSV `columns`), and the
//! importer reads back.
pub mod columns;
mod dumps;
mod feeds;
pub mod import;
mod linked_data;
mod records;

pub use dumps::{Dumps, KeepDumpsCurrent, Written, CSV, DATASETS_CSV, JSON};
pub use feeds::{feed, latest, Feed, FeedOf};
pub use linked_data::{schema_org, script_text, CATALOGUE_JSON_LD, CATALOGUE_TURTLE};
pub use records::{detail, page, CaseStudyDetail, CaseStudyRecord, DatasetUse, Named, RecordFilters, RecordPage, RevisionRecord};
