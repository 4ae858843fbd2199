use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_study_id: i32,
    pub enqueued_at: DateTimeUtc,
    pub attempts: i32,
    /// Not before this time: a failed attempt waits out its backoff, a claimed row its lease.
    pub available_at: DateTimeUtc,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
