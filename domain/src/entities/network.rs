use sea_orm::entity::prelude::*;

use crate::vocabulary::{JoinPolicy, ReviewPolicy};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "network")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// Markdown.
    pub description: String,
    pub website: String,
    pub join_policy: JoinPolicy,
    pub review_policy: ReviewPolicy,
    /// Under `ReviewPolicy::TrustedAfter`, approved submissions before a member is trusted.
    pub trusted_after: i32,
    pub is_demo: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
