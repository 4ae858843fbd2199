//! Demo personas for the development sign-in. Only demo accounts can be signed into this way.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::sessions::{start_session, SessionPolicy};
use crate::entities::{organisation, user};
use crate::views::Persona;
use crate::DomainError;

pub async fn personas(db: &DatabaseConnection) -> Result<Vec<Persona>, DomainError> {
    let users = user::Entity::find().filter(user::Column::IsDemo.eq(true)).order_by_asc(user::Column::DisplayName).all(db).await?;
    let organisations: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(users.iter().filter_map(|u| u.organisation_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| Persona {
            organisation: u.organisation_id.and_then(|id| organisations.get(&id).cloned()),
            user_id: u.id,
            display_name: u.display_name,
            job_role: u.job_role,
        })
        .collect())
}

/// Starts a session as a demo persona; any other account is refused.
pub async fn sign_in_as_persona(
    db: &DatabaseConnection,
    replacing: Option<&str>,
    user_id: i32,
    policy: SessionPolicy,
) -> Result<String, DomainError> {
    match user::Entity::find_by_id(user_id).one(db).await? {
        Some(found) if found.is_demo => start_session(db, replacing, found.id, policy).await,
        _ => Err(DomainError::NotFound),
    }
}
