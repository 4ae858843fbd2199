//! The profile form on the account page.
use serde::{Deserialize, Serialize};

/// The profile form on the account page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub display_name: String,
    /// An organisation's slug, or empty for none.
    pub organisation: String,
    pub job_role: String,
    pub bio: String,
}
