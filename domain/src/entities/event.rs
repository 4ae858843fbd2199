use sea_orm::entity::prelude::*;

/// One change, written in the transaction that made it. Ids grow in commit order (see
/// `events::record`), so a consumer's position is simply the last id it has handled.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub subject_id: i32,
    /// The subject's version after the change.
    pub version: i32,
    pub created_at: DateTimeUtc,
    /// Who made the change, when a person did.
    pub actor_id: Option<i32>,
    /// What changed, as `events::Detail` in JSON.
    pub payload: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
