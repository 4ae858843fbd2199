//! Forms submitted after their session had ended, kept until the person has signed in again,
//! so that nothing typed is ever lost: the page that refuses the save links to sign-in with a
//! token, and the form opens again with every answer from it.
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::entities::pending_submission;
use crate::identity::{random_token, stored_id};
use crate::DomainError;

/// How long a kept form waits for its person.
const KEPT_FOR: Duration = Duration::days(7);

/// Keeps `form`, posted to `path`; returns the token that opens it again.
pub async fn keep(db: &impl ConnectionTrait, path: &str, form: &impl Serialize) -> Result<String, DomainError> {
    let now = Utc::now();
    pending_submission::Entity::delete_many().filter(pending_submission::Column::CreatedAt.lt(now - KEPT_FOR)).exec(db).await?;
    let token = random_token();
    let form = serde_json::to_string(form).map_err(|e| DomainError::Database(sea_orm::DbErr::Custom(e.to_string())))?;
    pending_submission::Entity::insert(pending_submission::ActiveModel {
        token: Set(stored_id(&token)),
        path: Set(path.chars().take(500).collect()),
        form: Set(form),
        created_at: Set(now),
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// The form kept for `path` under `token`, taken once: a second look finds nothing.
pub async fn take<T: DeserializeOwned>(db: &impl ConnectionTrait, path: &str, token: &str) -> Result<Option<T>, DomainError> {
    let id = stored_id(token);
    let Some(kept) = pending_submission::Entity::find_by_id(id.clone()).one(db).await? else { return Ok(None) };
    pending_submission::Entity::delete_by_id(id).exec(db).await?;
    if kept.path != path || kept.created_at < Utc::now() - KEPT_FOR {
        return Ok(None);
    }
    Ok(serde_json::from_str(&kept.form).ok())
}
