//! Roles beyond membership. Everyone signed in is a member; other roles are granted. A grant
//! may be scoped to a network (network organisers, when networks arrive); admin is site-wide.
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::role_grant;
use crate::DomainError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Can edit any case study and manage the site.
    Admin,
}

impl Role {
    pub fn slug(self) -> &'static str {
        match self {
            Role::Admin => "admin",
        }
    }
}

/// Grants a site-wide role; granting it again changes nothing.
pub async fn grant(db: &impl ConnectionTrait, user_id: i32, role: Role) -> Result<(), DomainError> {
    if has_role(db, user_id, role).await? {
        return Ok(());
    }
    role_grant::Entity::insert(role_grant::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.slug().to_string()),
        network_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

pub async fn revoke(db: &impl ConnectionTrait, user_id: i32, role: Role) -> Result<(), DomainError> {
    role_grant::Entity::delete_many()
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::Role.eq(role.slug()))
        .filter(role_grant::Column::NetworkId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn has_role(db: &impl ConnectionTrait, user_id: i32, role: Role) -> Result<bool, DomainError> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::Role.eq(role.slug()))
        .filter(role_grant::Column::NetworkId.is_null())
        .count(db)
        .await?
        > 0)
}

pub async fn is_admin(db: &impl ConnectionTrait, user_id: i32) -> Result<bool, DomainError> {
    has_role(db, user_id, Role::Admin).await
}
