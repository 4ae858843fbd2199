//! What a search results page is rendered from, and what `/api/v1/search` returns.
use serde::{Deserialize, Serialize};

use super::params::{Dimension, SearchParams};
use crate::views::CaseStudyCard;

/// A piece of text, marked where it matched what was typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub matched: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHitView {
    pub card: CaseStudyCard,
    pub title: Vec<Fragment>,
    pub summary: Vec<Fragment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetView {
    pub dimension: Dimension,
    pub values: Vec<FacetValue>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchView {
    pub params: SearchParams,
    pub hits: Vec<SearchHitView>,
    pub facets: Vec<FacetView>,
    /// The filters in force, with labels, in the order they were chosen.
    pub chips: Vec<(Dimension, FacetValue)>,
    pub total: u64,
    pub total_pages: u64,
}
