//! The network forms, as typed.
use serde::{Deserialize, Serialize};

/// Creating or changing a network. `organisers` (email addresses or profile numbers, one per
/// line or comma separated) is read only when a site admin creates one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkForm {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub website: String,
    pub join_policy: String,
    pub review_policy: String,
    pub trusted_after: String,
    pub organisers: String,
}

/// A decision on a submission in the review queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub submission: i32,
    /// "approve" or "reject".
    pub decision: String,
    pub reason: String,
}

/// A report to a network's organisers, or a reason given with another action.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    pub network: String,
    pub reason: String,
}

/// Submitting a case study to the networks ticked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitForm {
    pub networks: Vec<String>,
}

/// An organiser's action on one person: `admit`, `remove`, `role` (with `role`) or `invite`
/// (with `who`, an email address or profile number).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub action: String,
    pub user: Option<i32>,
    pub role: String,
    pub who: String,
}
