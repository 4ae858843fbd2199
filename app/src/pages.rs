//! One routed page per file.
pub mod account;
pub mod case_study_editor;
pub mod case_study_list;
pub mod case_study_page;
pub mod catalogue_pages;
pub mod collection_editor;
pub mod collection_page;
pub mod collections_list;
pub mod home;
pub mod network_editor;
pub mod network_members;
pub mod network_page;
pub mod networks_list;
pub mod profile;
pub mod review_queue;
pub mod search;
pub mod sign_in;
