use sea_orm::entity::prelude::*;

use crate::vocabulary::CheckOutcome;

/// A dataset, shared by every case study linking its URL. `title`, `publisher`, `licence` and
/// `format` are what authors typed; the rest is what its portal says (`resolved_at` set once it
/// has said anything) and how its checks went.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dataset")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    #[sea_orm(unique)]
    pub url: String,
    pub publisher: String,
    pub licence: String,
    pub format: String,
    pub created_at: DateTimeUtc,
    pub resolved_title: Option<String>,
    pub description: Option<String>,
    pub resolved_publisher: Option<String>,
    pub publisher_slug: Option<String>,
    pub licence_id: Option<String>,
    pub licence_title: Option<String>,
    pub licence_url: Option<String>,
    pub licence_open: Option<bool>,
    /// Distinct formats of its resources, comma-separated.
    pub formats: Option<String>,
    pub resource_count: Option<i32>,
    pub source_modified_at: Option<DateTimeUtc>,
    pub update_frequency: Option<String>,
    pub update_every_days: Option<i32>,
    pub portal_kind: Option<String>,
    pub api_url: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    /// The outcome of the latest check.
    pub health: CheckOutcome,
    pub health_detail: Option<String>,
    pub stale: bool,
    pub checked_at: Option<DateTimeUtc>,
    /// The first of the checks in a row that found it gone.
    pub gone_since: Option<DateTimeUtc>,
    /// Set once checks at least a day apart have found it gone: then it is withdrawn, since `gone_since`.
    pub withdrawn_since: Option<DateTimeUtc>,
    pub next_check_at: Option<DateTimeUtc>,
    pub claimed_until: Option<DateTimeUtc>,
    /// The first of the checks in a row whose portal could not be reached at all (no address,
    /// no connection, no answer in time, a server error).
    pub unreachable_since: Option<DateTimeUtc>,
    /// Claims in a row that ended without an outcome: the check timed out, or the process died.
    pub check_attempts: i32,
    /// Set once too many checks in a row ended without an outcome: it is not claimed again until
    /// an admin asks for a check.
    pub held_since: Option<DateTimeUtc>,
    /// Why the last check ended without an outcome.
    pub check_problem: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
