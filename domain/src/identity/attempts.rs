//! Sign-in attempts in flight: what a provider's callback must match. Each is single-use and
//! short-lived, and kept in the database so the callback may reach any server instance.
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::entities::sign_in_attempt;
use crate::DomainError;

pub const ATTEMPT_LIFETIME: Duration = Duration::minutes(10);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The OAuth `state`: random, and also kept in a cookie of the browser that started.
    pub state: String,
    pub provider: String,
    pub pkce_verifier: String,
    /// OpenID Connect providers only.
    pub nonce: Option<String>,
    /// A same-site path to return to afterwards.
    pub return_to: String,
    /// Set when a signed-in person is linking another account to theirs.
    pub link_user_id: Option<i32>,
}

#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    #[error("no such sign-in attempt, or it was already used")]
    Unknown,
    #[error("the sign-in attempt expired")]
    Expired,
    #[error("the sign-in attempt was started with another provider")]
    OtherProvider,
    #[error(transparent)]
    Domain(#[from] DomainError),
}

/// Keeps a new attempt; attempts that have expired unused are swept here.
pub async fn begin_attempt(db: &DatabaseConnection, attempt: &Attempt) -> Result<(), DomainError> {
    let now = Utc::now();
    sign_in_attempt::Entity::delete_many().filter(sign_in_attempt::Column::ExpiresAt.lte(now)).exec(db).await?;
    sign_in_attempt::Entity::insert(sign_in_attempt::ActiveModel {
        state: Set(attempt.state.clone()),
        provider: Set(attempt.provider.clone()),
        pkce_verifier: Set(attempt.pkce_verifier.clone()),
        nonce: Set(attempt.nonce.clone()),
        return_to: Set(attempt.return_to.clone()),
        link_user_id: Set(attempt.link_user_id),
        expires_at: Set(now + ATTEMPT_LIFETIME),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Takes the attempt with this `state` for `provider`, once: whoever deletes it first has it,
/// so a replayed callback finds nothing.
pub async fn take_attempt(db: &DatabaseConnection, state: &str, provider: &str) -> Result<Attempt, AttemptError> {
    let found =
        sign_in_attempt::Entity::find_by_id(state.to_string()).one(db).await.map_err(DomainError::from)?.ok_or(AttemptError::Unknown)?;
    let deleted = sign_in_attempt::Entity::delete_many()
        .filter(sign_in_attempt::Column::State.eq(state))
        .exec(db)
        .await
        .map_err(DomainError::from)?
        .rows_affected;
    if deleted == 0 {
        return Err(AttemptError::Unknown);
    }
    if found.expires_at <= Utc::now() {
        return Err(AttemptError::Expired);
    }
    if found.provider != provider {
        return Err(AttemptError::OtherProvider);
    }
    Ok(Attempt {
        state: found.state,
        provider: found.provider,
        pkce_verifier: found.pkce_verifier,
        nonce: found.nonce,
        return_to: found.return_to,
        link_user_id: found.link_user_id,
    })
}
