use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_study_id: i32,
    pub user_id: Option<i32>,
    pub created_at: DateTimeUtc,
    /// JSON list of the labels of the fields this edit changed.
    pub changed: String,
    /// JSON of the whole case study as saved, so every version can be recovered.
    pub snapshot: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
