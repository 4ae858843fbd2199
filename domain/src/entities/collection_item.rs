use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "collection_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub collection_id: i32,
    /// None once the case study is deleted: the place stays, marked as no longer available.
    pub case_study_id: Option<i32>,
    /// 1, 2, 3, … with no gaps.
    pub position: i32,
    /// The curator's note.
    pub note: String,
    /// The case study's title when it was added.
    pub title: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
