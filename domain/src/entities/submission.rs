use sea_orm::entity::prelude::*;

use crate::vocabulary::SubmissionState;

/// A case study submitted to a network, and where the decision on it stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submission")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub network_id: i32,
    pub case_study_id: i32,
    pub submitted_by: Option<i32>,
    pub state: SubmissionState,
    /// Why it was not accepted, shown to its authors.
    pub reason: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    /// The case study's version when it was approved.
    pub approved_version: Option<i32>,
    /// Hidden from the network by its organisers, after a report.
    pub hidden: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
