use sea_orm::entity::prelude::*;

use crate::vocabulary::CheckOutcome;

/// One check of a dataset's link: its health history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dataset_check")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dataset_id: i32,
    pub checked_at: DateTimeUtc,
    pub outcome: CheckOutcome,
    pub http_status: Option<i32>,
    /// Where it moved to, or what went wrong.
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
