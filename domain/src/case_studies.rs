//! Case studies: the rules a submission must meet, and how they are kept and read.
mod cards;
mod revisions;
mod service;
mod validation;

pub use cards::{cards_linked_to, LinkedBy};
pub use service::{create, editor, home, list, update, view, PER_PAGE};
pub(crate) use service::{insert, Extras};
pub use validation::{validate, ValidCaseStudy, ValidDataset};
