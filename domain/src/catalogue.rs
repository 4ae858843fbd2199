//! Patterns, tags and organisations: what case studies are tagged with and linked to,
//! each with a page listing the case studies that use it.
mod lookups;
mod memory;
mod organisations;
mod patterns;
mod tags;

use lookups::published_counts;
pub use lookups::{choices, id_for_slug, ids_for_slugs};
pub use memory::CatalogueMemory;
pub use organisations::{organisation, organisations};
pub use patterns::{pattern, patterns_with_counts};
pub use tags::{in_use as tags_in_use, tag, tags_with_counts};
