use sea_orm::entity::prelude::*;

/// One digest period's window of the event log: events after `from_position` up to and
/// including `to_position`. Windows follow each other with no gap and no overlap.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "digest_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub period: String,
    pub from_position: i64,
    pub to_position: i64,
    pub cut_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
