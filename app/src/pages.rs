//! One routed page per file.
pub mod account;
pub mod case_study_editor;
pub mod case_study_list;
pub mod case_study_page;
pub mod catalogue_pages;
pub mod home;
pub mod profile;
pub mod search;
pub mod sign_in;
