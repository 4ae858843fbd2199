use sea_orm::entity::prelude::*;

/// Requests counted in one bucket (what, from where) during one fixed window.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_limit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: String,
    /// The window's start, in whole seconds since 1970.
    #[sea_orm(primary_key, auto_increment = false)]
    pub window_start: i64,
    pub count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
