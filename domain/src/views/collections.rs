//! Collections as pages show them.
use serde::{Deserialize, Serialize};

use super::case_studies::CaseStudyCard;
use super::common::{DateText, Link, Page};
use crate::forms::{CollectionForm, FieldErrors};
use crate::vocabulary::CollectionStatus;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionSummary {
    pub slug: String,
    pub title: String,
    pub item_count: u64,
    pub status: CollectionStatus,
    pub featured: bool,
    pub networks: Vec<Link>,
    pub updated: DateText,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionsView {
    pub collections: Vec<CollectionSummary>,
    /// Networks the person looking curates for, to start a collection in.
    pub can_create: bool,
}

/// One place in a collection. `card` is `None` when the case study has been archived, taken
/// back to draft or deleted: the place stays, with the title it had.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionEntry {
    pub item_id: i32,
    pub position: i32,
    pub note: String,
    pub title: String,
    pub card: Option<CaseStudyCard>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionView {
    pub slug: String,
    pub title: String,
    pub introduction_html: String,
    pub status: CollectionStatus,
    pub featured: bool,
    pub networks: Vec<Link>,
    pub updated: DateText,
    pub is_demo: bool,
    pub items: Page<CollectionEntry>,
    pub version: i32,
    pub can_curate: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionEditorView {
    /// `None` when creating.
    pub slug: Option<String>,
    pub form: CollectionForm,
    pub errors: FieldErrors,
    /// The networks the curator may give the collection to.
    pub networks: Vec<Link>,
}
