//! Reusable views, one per file.
pub mod body_editor;
pub mod case_study_card;
pub mod error_view;
pub mod form_fields;
pub mod island_scripts;
pub mod layout;
pub mod live_search;
pub mod loaded;
pub mod pagination;
pub mod verified_badge;
