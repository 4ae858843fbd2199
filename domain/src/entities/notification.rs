use sea_orm::entity::prelude::*;

use crate::vocabulary::{Delivery, NotificationKind};

/// One thing a person is told, once per (person, event, kind).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i32,
    pub event_id: i64,
    pub kind: NotificationKind,
    pub case_study_id: Option<i32>,
    pub network_id: Option<i32>,
    pub follow_id: Option<i32>,
    pub reason: String,
    /// How it is owed by email.
    pub delivery: Delivery,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    /// The mail that carried it, once one has.
    pub mail_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
