//! Reusable views, one per file.
pub mod body_editor;
pub mod case_study_card;
pub mod collection_list;
pub mod collection_order;
pub mod dataset_lookup;
pub mod error_view;
pub mod feed_link;
pub mod follow_button;
pub mod form_fields;
pub mod island_scripts;
pub mod layout;
pub mod live_search;
pub mod loaded;
pub mod pagination;
pub mod sharing_panel;
pub mod verified_badge;
