//! Site-wide roles beyond membership. Everyone signed in is a member; admin is granted. Roles
//! within a network are its members' (`crate::networks::membership`).
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::{network_member, role_grant};
use crate::permissions::{Actor, Membership};
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

/// Where a site-wide grant came from: `CASEBOOK_ADMIN_EMAILS` grants are taken away again when
/// the address leaves the list; those made with `casebook admin grant` stay until revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Command,
    Config,
}

impl Source {
    fn slug(self) -> &'static str {
        match self {
            Source::Command => "command",
            Source::Config => "config",
        }
    }
}

/// Who `user_id` is, as the permission tables need to know: two queries, none when anonymous.
pub async fn actor(db: &impl ConnectionTrait, user_id: Option<i32>) -> Result<Actor, DomainError> {
    let Some(user_id) = user_id else { return Ok(Actor::default()) };
    let grants = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(user_id)).all(db).await?;
    let memberships = network_member::Entity::find().filter(network_member::Column::UserId.eq(user_id)).all(db).await?;
    Ok(Actor {
        user_id: Some(user_id),
        is_admin: grants.iter().any(|g| g.role == Role::Admin.slug() && g.network_id.is_none()),
        memberships: memberships.into_iter().map(|m| Membership { network_id: m.network_id, role: m.role, state: m.state }).collect(),
    })
}

/// Grants a site-wide role; granting it again changes nothing (a grant by command stays a
/// grant by command).
pub async fn grant(db: &impl ConnectionTrait, user_id: i32, role: Role, source: Source) -> Result<(), DomainError> {
    if has_role(db, user_id, role).await? {
        if source == Source::Command {
            role_grant::Entity::update_many()
                .col_expr(role_grant::Column::Source, sea_orm::sea_query::Expr::value(Source::Command.slug()))
                .filter(role_grant::Column::UserId.eq(user_id))
                .filter(role_grant::Column::Role.eq(role.slug()))
                .filter(role_grant::Column::NetworkId.is_null())
                .exec(db)
                .await?;
        }
        return Ok(());
    }
    role_grant::Entity::insert(role_grant::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.slug().to_string()),
        network_id: Set(None),
        created_at: Set(Utc::now()),
        source: Set(source.slug().to_string()),
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

/// Takes away a site-wide role that configuration granted, leaving one granted by command.
pub async fn revoke_configured(db: &impl ConnectionTrait, user_id: i32, role: Role) -> Result<bool, DomainError> {
    let removed = role_grant::Entity::delete_many()
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::Role.eq(role.slug()))
        .filter(role_grant::Column::NetworkId.is_null())
        .filter(role_grant::Column::Source.eq(Source::Config.slug()))
        .exec(db)
        .await?;
    Ok(removed.rows_affected > 0)
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
