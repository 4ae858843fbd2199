use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::entities::{session, user};
use crate::views::Viewer;
use crate::DomainError;

pub const SESSION_LIFETIME: Duration = Duration::days(14);

/// Starts a session for `user_id` and returns its id: 256 random bits, hex encoded.
pub async fn start_session(db: &DatabaseConnection, user_id: i32) -> Result<String, DomainError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let now = Utc::now();
    session::Entity::insert(session::ActiveModel {
        id: Set(id.clone()),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + SESSION_LIFETIME),
    })
    .exec(db)
    .await?;
    Ok(id)
}

/// The person a live session belongs to; `None` for an unknown or expired session.
pub async fn session_viewer(db: &DatabaseConnection, session_id: &str) -> Result<Option<Viewer>, DomainError> {
    let Some(found) = session::Entity::find_by_id(session_id.to_string()).one(db).await? else {
        return Ok(None);
    };
    if found.expires_at <= Utc::now() {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(None);
    }
    Ok(user::Entity::find_by_id(found.user_id).one(db).await?.map(|u| Viewer { user_id: u.id, display_name: u.display_name }))
}

pub async fn end_session(db: &DatabaseConnection, session_id: &str) -> Result<(), DomainError> {
    session::Entity::delete_many().filter(session::Column::Id.eq(session_id)).exec(db).await?;
    Ok(())
}
