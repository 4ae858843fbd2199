use sea_orm::entity::prelude::*;

use crate::vocabulary::{MembershipState, NetworkRole};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "network_member")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub network_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub role: NetworkRole,
    pub state: MembershipState,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
