//! What people submit, exactly as they typed it, and the errors found in it. Keeping the raw text
//! means a rejected submission is shown back in full: nothing a person wrote is lost.
mod case_study;
mod errors;
pub mod limits;
mod profile;

pub use case_study::{CaseStudyForm, DatasetRow};
pub use errors::{FieldError, FieldErrors};
pub use profile::ProfileForm;
