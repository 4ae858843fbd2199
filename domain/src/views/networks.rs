//! Networks as pages show them: the list, a network's page, its members and its review queue,
//! and what a case study's page and its authors' profiles say about sharing.
use serde::{Deserialize, Serialize};

use super::case_studies::{CaseStudyCard, ListFilters};
use super::collections::CollectionSummary;
use super::common::{DateText, Link, Page};
use crate::forms::{FieldErrors, NetworkForm};
use crate::permissions::NetworkStanding;
use crate::vocabulary::{JoinPolicy, MembershipState, NetworkRole, ReviewPolicy, SubmissionState};

/// A person named on a page, linked to their profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLink {
    pub user_id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkSummary {
    pub slug: String,
    pub name: String,
    /// The description's first paragraph, as text.
    pub blurb: String,
    pub join_policy: JoinPolicy,
    pub member_count: u64,
    pub case_study_count: u64,
    pub collection_count: u64,
    pub is_demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworksView {
    pub networks: super::Page<NetworkSummary>,
    pub can_create: bool,
}

/// What the person looking may do here, worked out by the permission table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkAbilities {
    pub join: bool,
    pub request: bool,
    pub leave: bool,
    pub review: bool,
    pub manage: bool,
    pub edit: bool,
    pub curate: bool,
    pub see_members: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkView {
    pub slug: String,
    pub name: String,
    pub description_html: String,
    pub website: String,
    pub join_policy: JoinPolicy,
    pub review_policy: ReviewPolicy,
    pub trusted_after: i32,
    pub is_demo: bool,
    pub organisers: Vec<PersonLink>,
    pub member_count: u64,
    pub case_studies: Page<CaseStudyCard>,
    pub filters: ListFilters,
    /// Featured first; drafts only for its curators.
    pub collections: Vec<CollectionSummary>,
    pub standing: NetworkStanding,
    pub may: NetworkAbilities,
    /// For reviewers: submissions and reports waiting.
    pub waiting: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub person: PersonLink,
    pub role: NetworkRole,
    pub state: MembershipState,
    pub since: DateText,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembersView {
    pub slug: String,
    pub name: String,
    pub members: Vec<MemberRow>,
    /// Asked to join and invited: for organisers.
    pub waiting: Vec<MemberRow>,
    pub can_manage: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub submission_id: i32,
    pub card: CaseStudyCard,
    pub submitted_by: Option<PersonLink>,
    pub submitted: DateText,
    /// The case study's opening, as sanitised HTML, to judge it by without leaving the queue.
    pub preview_html: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportItem {
    pub report_id: i32,
    pub card: CaseStudyCard,
    pub reason: String,
    pub reported_by: Option<PersonLink>,
    pub reported: DateText,
    pub hidden: bool,
}

/// An approved case study edited since: what changed, revision by revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangedSince {
    pub card: CaseStudyCard,
    pub approved: DateText,
    pub changed: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewQueueView {
    pub slug: String,
    pub name: String,
    /// Oldest first.
    pub pending: Vec<QueueItem>,
    pub reports: Vec<ReportItem>,
    pub changed: Vec<ChangedSince>,
    pub can_hide: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkEditorView {
    /// `None` when creating.
    pub slug: Option<String>,
    pub form: NetworkForm,
    pub errors: FieldErrors,
}

/// One decision, as the case study's authors read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionRow {
    pub network: Link,
    pub case_study: Link,
    pub state: SubmissionState,
    pub reason: Option<String>,
    pub at: DateText,
    pub hidden: bool,
}

/// What a case study's page says about networks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SharingView {
    /// The networks it is approved in, for everyone.
    pub shared_in: Vec<Link>,
    /// For its authors: every submission and its decision.
    pub submissions: Vec<SubmissionRow>,
    /// For its authors: networks they belong to it could be submitted to.
    pub submit_to: Vec<Link>,
    /// For anyone signed in: networks it could be reported to.
    pub report_to: Vec<Link>,
    /// For curators: collections it could be added to.
    pub add_to: Vec<Link>,
}

/// A network on a person's profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipLink {
    pub network: Link,
    pub role: NetworkRole,
}
