use sea_orm::entity::prelude::*;

use crate::vocabulary::CollectionStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "collection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    /// Markdown.
    pub introduction: String,
    pub status: CollectionStatus,
    /// Shown first on its networks' pages.
    pub featured: bool,
    /// One more at every change, so that a curator acting on an older state is noticed.
    pub version: i32,
    pub is_demo: bool,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
