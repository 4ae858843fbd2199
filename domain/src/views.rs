//! What pages are rendered from: plain, serialisable views built by the services.
use serde::{Deserialize, Serialize};

use crate::forms::{CaseStudyForm, FieldErrors, ProfileForm};
use crate::vocabulary::{Licence, OrganisationKind, Phase, Practice, ServiceArea, Status};

/// A named thing with a page of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub slug: String,
    pub name: String,
}

/// A date or time as machines (`iso`) and people (`display`) read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateText {
    pub iso: String,
    pub display: String,
}

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
pub struct LinkedDataset {
    pub id: i32,
    pub title: String,
    pub url: String,
    pub publisher: String,
    pub licence: String,
    pub format: String,
    pub usage: String,
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total_items: u64,
    pub total_pages: u64,
}

/// Deeper list pages are refused: nobody reads them, and a number past what the database binds
/// (SQLite's signed 64 bits) would fail inside its driver.
pub const MAX_LIST_PAGE: u64 = 1000;

/// Checks a requested page number before it reaches any query.
pub fn check_page(page: u64, max: u64) -> Result<u64, crate::forms::FieldErrors> {
    if (1..=max).contains(&page) {
        Ok(page)
    } else {
        let mut errors = crate::forms::FieldErrors::default();
        errors.add("page", format!("Page must be a whole number from 1 to {max}"));
        Err(errors)
    }
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

/// `key=value&…`, values percent-encoded.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs.into_iter().map(|(key, value)| format!("{key}={}", encode_query_value(value))).collect::<Vec<_>>().join("&")
}

/// Percent-encodes a value for a query string.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetView {
    pub id: i32,
    pub title: String,
    pub url: String,
    pub publisher: String,
    pub licence: String,
    pub format: String,
}

/// A page about one thing (a pattern, tag, dataset or organisation) with the case studies that use it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing<T> {
    pub subject: T,
    pub case_studies: Vec<CaseStudyCard>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    pub featured: Vec<CaseStudyCard>,
    pub latest: Vec<CaseStudyCard>,
    pub patterns: Vec<PatternView>,
    pub published_total: u64,
}

/// The person signed in, as pages need to know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i32,
    pub display_name: String,
}

/// A way to sign in, as the sign-in page offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInOption {
    /// The provider's id in `/auth/<id>`.
    pub id: String,
    pub label: String,
}

/// Who a case study is credited to. Someone who deleted their account is a former member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorCredit {
    pub user_id: Option<i32>,
    pub name: String,
    /// The public-sector domain a provider vouched for, shown as a badge.
    pub verified_domain: Option<String>,
}

/// A person's public profile; `drafts` only when they are looking at their own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub user_id: i32,
    pub display_name: String,
    pub organisation: Option<Link>,
    pub job_role: String,
    pub bio_html: String,
    pub verified_domain: Option<String>,
    pub is_demo: bool,
    pub published: Vec<CaseStudyCard>,
    pub drafts: Vec<CaseStudyCard>,
    pub is_self: bool,
}

/// An account linked to a person, as their account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedIdentity {
    pub provider: String,
    pub email: Option<String>,
    pub verified_domain: Option<String>,
    pub last_sign_in: Option<DateText>,
}

/// The account page: the profile form, the linked sign-ins and what else can be linked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub user_id: i32,
    pub form: ProfileForm,
    pub errors: FieldErrors,
    pub organisations: Vec<Link>,
    pub identities: Vec<LinkedIdentity>,
    pub case_study_count: u64,
    /// Problems with a request to delete the account.
    pub delete_errors: FieldErrors,
    /// The providers this site offers, to link more of them; filled in by the server.
    pub providers: Vec<SignInOption>,
}

/// The sign-in page: the providers on offer and, in development only, demo personas.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInView {
    pub options: Vec<SignInOption>,
    pub personas: Vec<Persona>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    pub user_id: i32,
    pub display_name: String,
    pub job_role: String,
    pub organisation: Option<String>,
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
