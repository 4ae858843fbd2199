//! What people submit, exactly as they typed it, and the errors found in it. Keeping the raw text
//! means a rejected submission is shown back in full: nothing a person wrote is lost.
mod case_study;
mod collection;
mod errors;
mod follow;
pub mod limits;
mod network;
mod profile;

pub use case_study::{CaseStudyForm, DatasetRow};
pub use collection::{CollectionForm, ItemForm};
pub use errors::{FieldError, FieldErrors};
pub use follow::{FollowForm, MarkReadForm, UnsubscribeForm};
pub use network::{DecisionForm, MemberForm, NetworkForm, ReasonForm, SubmitForm};
pub use profile::ProfileForm;
