//! Following a thing, changing how one hears of it, and the notifications page's forms.
use serde::{Deserialize, Serialize};

/// The follow button's form, and the following page's change form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowForm {
    /// follow, unfollow or change; or email, to switch email on or off (`email`).
    pub action: String,
    /// network, pattern, tag, organisation, dataset, case_study or search.
    pub target: String,
    /// Its slug or id; for a search, its query string.
    pub key: String,
    /// everything, new_only or muted; empty keeps what it was (or the default).
    pub level: String,
    /// at_once, daily, weekly or site_only; empty keeps what it was (or the default).
    pub delivery: String,
    /// The page to go back to: a path on this site.
    pub back: String,
    /// on or off, with the email action.
    pub email: String,
}

/// Marking notifications read: one (`id`), or all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MarkReadForm {
    pub id: Option<i64>,
    pub all: Option<String>,
}

/// The choice on the unsubscribe page (RFC 8058's one-click post carries none of these).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnsubscribeForm {
    /// stop (what this mail was about), weekly (the same, once a week) or all (every email).
    pub choice: String,
    /// `List-Unsubscribe=One-Click`, from a mail program's one-click unsubscribe.
    #[serde(rename = "List-Unsubscribe")]
    pub one_click: Option<String>,
}
