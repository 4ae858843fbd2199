use sea_orm::entity::prelude::*;

use crate::vocabulary::{Delivery, FollowLevel, FollowTarget};

/// One thing a person follows, how much of it they want to hear and when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub target: FollowTarget,
    /// The slug or id of what is followed; for a search, its canonical query string.
    pub target_key: String,
    pub level: FollowLevel,
    pub delivery: Delivery,
    /// Made by Casebook, not by the person (an author's own case study, an organiser's queue).
    pub automatic: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
