use sea_orm::entity::prelude::*;

use crate::vocabulary::{Licence, Phase, ServiceArea, Status};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_study")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub service_area: ServiceArea,
    pub phase: Phase,
    pub status: Status,
    pub region: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub outcomes: String,
    pub lessons: String,
    /// Practice slugs, comma separated: a short closed list, never queried on its own.
    pub practices: String,
    pub contact: String,
    pub licence: Licence,
    pub featured: bool,
    pub is_demo: bool,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// One more at every saved change, so that an edit made from an older version is noticed.
    pub version: i32,
    /// The id of the import row it came from: a re-import matches by this alone.
    pub import_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
