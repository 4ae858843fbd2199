//! Case studies as pages show them: cards in lists, the case study page, the list's filters,
//! the home page and the editor.
use serde::{Deserialize, Serialize};

use super::catalogue::PatternView;
use super::common::{query_string, DateText, Link};
use super::datasets::{DatasetLookupView, LinkedDataset};
use super::identity::AuthorCredit;
use crate::forms::{CaseStudyForm, FieldErrors};
use crate::vocabulary::{Licence, Phase, Practice, ServiceArea, Status};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseStudyCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub service_area: ServiceArea,
    pub phase: Phase,
    pub status: Status,
    pub region: String,
    pub organisations: Vec<Link>,
    pub patterns: Vec<Link>,
    pub updated: DateText,
    pub is_demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionView {
    pub number: usize,
    pub author: String,
    pub at: DateText,
    pub changed: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseStudyView {
    pub card: CaseStudyCard,
    /// Sanitised HTML rendered from the Markdown body.
    pub body_html: String,
    pub outcomes: String,
    pub lessons: String,
    pub practices: Vec<Practice>,
    pub contact: String,
    pub licence: Licence,
    pub start_date: Option<DateText>,
    pub end_date: Option<DateText>,
    pub tags: Vec<Link>,
    pub datasets: Vec<LinkedDataset>,
    pub authors: Vec<AuthorCredit>,
    pub revisions: Vec<RevisionView>,
    pub published: Option<DateText>,
    pub can_edit: bool,
    /// Up to five published case studies like this one.
    pub related: Vec<CaseStudyCard>,
    pub sharing: super::networks::SharingView,
}

/// A save made from an older version: the person's answers stay in the form, and the saved
/// version of each field they differ in is shown beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditConflict {
    /// The version now saved; the form carries it, so that saving again keeps the answers.
    pub version: i32,
    pub fields: Vec<ConflictField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictField {
    pub label: String,
    /// The saved value, as text.
    pub saved: String,
}

/// A rejected case study submission, to show again in its form with what to fix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub form: CaseStudyForm,
    pub errors: FieldErrors,
    pub conflict: Option<EditConflict>,
    /// A row's "Look up" sent the form (without JavaScript): what was found for it.
    pub lookup: Option<RowLookup>,
}

/// What a look-up found for one dataset row (numbered from 1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RowLookup {
    pub row: usize,
    pub found: DatasetLookupView,
}

/// The filters of the case study list, as they appear in its query string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListFilters {
    pub pattern: Option<String>,
    pub service_area: Option<String>,
    pub phase: Option<String>,
    pub organisation: Option<String>,
    pub tag: Option<String>,
    /// Set by a network's page, which lists the case studies shared in it.
    pub network: Option<String>,
    pub page: Option<u64>,
}

impl ListFilters {
    /// The query string for these filters on another page, empty values left out.
    pub fn query_for_page(&self, page: u64) -> String {
        let mut pairs: Vec<(&str, String)> = [
            ("pattern", &self.pattern),
            ("service_area", &self.service_area),
            ("phase", &self.phase),
            ("organisation", &self.organisation),
            ("tag", &self.tag),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_ref().filter(|v| !v.is_empty()).map(|v| (key, v.clone())))
        .collect();
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        query_string(pairs.iter().map(|(key, value)| (*key, value.as_str())))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    pub featured: Vec<CaseStudyCard>,
    pub latest: Vec<CaseStudyCard>,
    pub patterns: Vec<PatternView>,
    pub published_total: u64,
}

/// Everything the create and edit forms need: the values to show, the errors, and the choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorView {
    /// `None` when creating.
    pub slug: Option<String>,
    pub title: String,
    pub form: CaseStudyForm,
    pub errors: FieldErrors,
    /// Someone else saved the case study while this person was editing it.
    pub conflict: Option<EditConflict>,
    /// The session ended before the save: where to sign in to carry on with these answers.
    pub resume_after_sign_in: Option<String>,
    pub patterns: Vec<Link>,
    pub organisations: Vec<Link>,
    pub lookup: Option<RowLookup>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_filters_and_encode_them() {
        let filters = ListFilters {
            tag: Some("bins & bags".into()),
            phase: Some("live".into()),
            service_area: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(filters.query_for_page(1), "phase=live&tag=bins%20%26%20bags");
        assert_eq!(filters.query_for_page(3), "phase=live&tag=bins%20%26%20bags&page=3");
    }
}
