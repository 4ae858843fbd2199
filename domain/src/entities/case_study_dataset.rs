use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_study_dataset")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_study_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub dataset_id: i32,
    pub usage: String,
    /// The author chose to show the details they typed rather than the portal's.
    pub prefer_own: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
