//! Patterns, tags and organisations: what case studies are tagged with and linked to,
//! each with a page listing the case studies that use it.
mod lookups;
mod organisations;
mod patterns;
mod tags;

use lookups::published_counts;
pub use lookups::{choices, id_for_slug, ids_for_slugs};
pub use organisations::{organisation, organisations};
pub use patterns::{pattern, patterns_with_counts, PatternCounts};
pub use tags::{tag, tags_with_counts};
