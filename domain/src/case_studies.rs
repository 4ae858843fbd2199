//! Case studies: the rules a submission must meet (`validation`), how its status may move
//! (`lifecycle`), who wrote it (`access`, for `crate::permissions`), saving (`writes`), reading
//! (`queries`, `cards`), the form (`editor`) and the history (`revisions`).
mod access;
pub(crate) mod cards;
mod editor;
mod lifecycle;
mod queries;
mod revisions;
mod validation;
mod writes;

pub(crate) use access::authorship;
pub use cards::{cards_linked_with_status, published, published_ids, LinkedBy};
pub use editor::{editor, signed_out_editor};
pub use lifecycle::{may_start_as, transition, Transition};
pub(crate) use queries::current_state;
pub use queries::{authored_by, home, list, view, CaseStudyMemory, PER_PAGE};
pub(crate) use queries::{find, matching};
pub(crate) use revisions::changed_fields;
pub(crate) use revisions::{changed_labels, history};
pub(crate) use validation::Checker;
pub use validation::{validate, ValidCaseStudy, ValidDataset};
pub use writes::Kept;
pub use writes::{create, update};
pub(crate) use writes::{create_keeping, insert, Extras};
