//! The collection forms, as typed.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CollectionForm {
    pub title: String,
    pub slug: String,
    pub introduction: String,
    /// "draft" or "published".
    pub status: String,
    /// "on" when ticked.
    pub featured: Option<String>,
    /// Slugs of the owning networks.
    pub networks: Vec<String>,
    /// The version the form was opened from (empty when creating).
    pub version: String,
}

/// One change to a collection's items: `add` (with `case_study`), `up`, `down`, `to` (with
/// `position`), `note` (with `note`), `remove`, or `order` (with `order`, every item id in
/// the new order, from the drag and drop list). `version` is the collection's version the page
/// showed; a change made from an older one is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub action: String,
    pub item: Option<i32>,
    pub case_study: String,
    pub position: String,
    pub note: String,
    pub order: Vec<i32>,
    pub version: Option<i32>,
    /// Where to go back to afterwards (a search, a case study), when it is on this site.
    pub return_to: String,
}
