//! Forms submitted after their session had ended, kept until the person has signed in again,
//! so that nothing typed is ever lost: the page that refuses the save links to sign-in with a
//! token, and the form opens again with every answer from it.
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::entities::pending_submission;
use crate::identity::{random_token, stored_id};
use crate::DomainError;

/// How long a kept form waits for its person.
const KEPT_FOR: Duration = Duration::days(7);
/// The largest form kept: a whole story in multi-byte characters, as JSON.
pub const MAX_FORM_BYTES: usize = 256 * 1024;
/// Forms kept in all; past this, new ones are shown back to their person but not kept.
pub const MAX_KEPT: u64 = 10_000;

/// Keeps `form`, posted to `path`; returns the token that opens it again, or `None` when it is
/// over the size or too many forms are waiting already (the person still sees their answers).
pub async fn keep(db: &impl ConnectionTrait, path: &str, form: &impl Serialize) -> Result<Option<String>, DomainError> {
    let form = serde_json::to_string(form).map_err(|e| DomainError::Database(sea_orm::DbErr::Custom(e.to_string())))?;
    if form.len() > MAX_FORM_BYTES || pending_submission::Entity::find().count(db).await? >= MAX_KEPT {
        return Ok(None);
    }
    let token = random_token();
    pending_submission::Entity::insert(pending_submission::ActiveModel {
        token: Set(stored_id(&token)),
        path: Set(path.chars().take(500).collect()),
        form: Set(form),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(Some(token))
}

/// Forgets forms nobody came back for; run on a timer (by `created_at`'s index).
pub async fn sweep(db: &impl ConnectionTrait) -> Result<u64, DomainError> {
    let expired = pending_submission::Column::CreatedAt.lt(Utc::now() - KEPT_FOR);
    Ok(pending_submission::Entity::delete_many().filter(expired).exec(db).await?.rows_affected)
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
