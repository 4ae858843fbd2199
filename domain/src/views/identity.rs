//! People as pages show them: who is signed in, ways to sign in, credits, profiles and accounts.
use serde::{Deserialize, Serialize};

use super::case_studies::CaseStudyCard;
use super::common::{DateText, Link};
use crate::forms::{FieldErrors, ProfileForm};

/// The person signed in, as pages need to know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i32,
    pub display_name: String,
    /// Notifications not read yet, for the header.
    pub unread: u64,
    /// Their address refused mail: a banner asks them to confirm it.
    pub email_bounced: bool,
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
    pub networks: Vec<super::networks::MembershipLink>,
    /// For the person themselves: the decisions on their case studies in networks.
    pub submissions: Vec<super::networks::SubmissionRow>,
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
