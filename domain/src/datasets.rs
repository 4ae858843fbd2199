//! Datasets: what a link points at (`resolve`, with one reader per kind of portal), whether it
//! is still there (`health`), checked on a schedule (`checks`), always fetched safely (`fetch`,
//! paced per host by `hosts`), and the pages that show them (`pages`, `views`).
mod checks;
mod editor;
mod fetch;
mod frequency;
mod health;
mod hosts;
mod licences;
mod metadata;
mod pages;
mod portals;
mod resolve;
mod views;

pub use checks::{check_again, to_check, CheckOptions, Checked, Checker, MAX_ATTEMPTS};
pub use fetch::{host_key, is_public, FetchError, FetchOptions, Fetched, Fetcher};
pub use frequency::Frequency;
pub use health::{condition, HealthRules};
pub use hosts::reserve;
pub use metadata::{Licence, Metadata};
pub use pages::{dataset_page, datasets, datasets_after, problems, publisher_page};
pub use resolve::{check, look_up, Deferred, Lookup, Probe, ResolveOptions};
pub use views::{dataset_view, linked};
