use sea_orm::entity::prelude::*;

/// How far one consumer of the event log has got, and which instance holds it now.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_consumer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// The id of the last event handled.
    pub position: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    /// Failures in a row since the last success.
    pub attempts: i32,
    /// Not before this time: a failure waits out its backoff.
    pub available_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
