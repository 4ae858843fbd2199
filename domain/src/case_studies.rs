//! Case studies: the rules a submission must meet, and how they are kept and read.
pub(crate) mod cards;
mod revisions;
mod service;
mod validation;

pub use cards::{cards_linked_to, cards_linked_with_status, LinkedBy};
pub use service::{authored_by, create, editor, home, list, update, view, PER_PAGE};
pub(crate) use service::{insert, Extras};
pub(crate) use validation::Checker;
pub use validation::{validate, ValidCaseStudy, ValidDataset};
