//! Patterns and organisations, each with a page listing the case studies that use it.
use serde::{Deserialize, Serialize};

use super::case_studies::CaseStudyCard;
use super::common::Page;
use crate::vocabulary::OrganisationKind;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatternView {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description: String,
    pub curated: bool,
    pub case_studies: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationView {
    pub slug: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub website: Option<String>,
}

/// A page about one thing (a pattern, tag, dataset or organisation) with the case studies that use it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing<T> {
    pub subject: T,
    /// One page of them, newest first, with how many there are in all.
    pub case_studies: Page<CaseStudyCard>,
}
