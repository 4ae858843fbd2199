//! sea-orm entities, one per table. Relations are queried explicitly, a query per list.
pub mod case_study;
pub mod case_study_author;
pub mod case_study_dataset;
pub mod case_study_organisation;
pub mod case_study_pattern;
pub mod case_study_tag;
pub mod dataset;
pub mod identity;
pub mod organisation;
pub mod pattern;
pub mod revision;
pub mod role_grant;
pub mod search_outbox;
pub mod session;
pub mod sign_in_attempt;
pub mod tag;
pub mod user;
