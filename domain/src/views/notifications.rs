//! Following, notifications, and what mail was sent.
use serde::{Deserialize, Serialize};

use crate::vocabulary::{Delivery, FollowLevel, FollowTarget, MailState};

/// A follow button: what it follows, whether the viewer does and how, and how many do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowButtonView {
    pub target: FollowTarget,
    pub key: String,
    /// What is followed, in words ("the pattern Help people engage").
    pub label: String,
    pub following: Option<(FollowLevel, Delivery)>,
    /// People following it (not muted), where it is shown.
    pub count: Option<u64>,
}

/// One thing a person follows, on their following page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowView {
    pub target: FollowTarget,
    pub key: String,
    pub label: String,
    pub href: String,
    pub level: FollowLevel,
    pub delivery: Delivery,
    /// Made by Casebook (an author's case study, an organiser's network).
    pub automatic: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowingView {
    pub follows: Vec<FollowView>,
    pub email: Option<String>,
    pub email_off: bool,
    /// The address refused mail; nothing is sent until the person confirms it.
    pub email_bounced: bool,
}

/// One notification, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    /// What happened, in words, with the thing it is about.
    pub text: String,
    pub href: String,
    /// Why this person was told.
    pub reason: String,
    pub at: String,
    pub unread: bool,
}

/// Notifications of one kind for one reason ("4 new case studies in Help people engage").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationGroup {
    pub heading: String,
    pub items: Vec<NotificationView>,
    pub unread: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsView {
    /// Unread groups first, newest first within each.
    pub groups: Vec<NotificationGroup>,
    pub unread: u64,
}

/// The page a mail's unsubscribe link opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeView {
    pub token: String,
    /// What "stop" stops, in words ("email about the pattern Help people engage").
    pub about: String,
    /// What was done, when the page follows a choice.
    pub done: Option<String>,
}

/// A mail as `/dev/mail` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub state: MailState,
    pub at: String,
    pub unsubscribe: String,
}
