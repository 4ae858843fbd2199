//! Server-side sessions. The cookie carries a random token; the database keeps only its SHA-256,
//! with an idle and an absolute lifetime, so any number of instances share sessions and ending
//! one ends it everywhere.
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SubQueryStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, QueryTrait,
};
use sha2::{Digest, Sha256};

use crate::entities::{event, notification, session, user};
use crate::events::Now;
use crate::views::Viewer;
use crate::DomainError;

/// How long sessions last. Both lifetimes are configured at start-up.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    /// A session unused for this long has ended.
    pub idle: Duration,
    /// No session lasts longer than this from sign-in, however busy.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: Duration::hours(24), absolute: Duration::days(14) }
    }
}

/// Last-seen times are written at most this often, so reading pages does not write on every request.
const LAST_SEEN_RESOLUTION: Duration = Duration::minutes(1);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored of a token: its SHA-256, so that a copy of the database opens nothing.
pub(crate) fn stored_id(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new random token: 256 bits, hex encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Starts a session for `user_id` and returns the token for its cookie. Sessions that have
/// ended are swept here, so the table holds live sessions only.
/// Starts a session for `user_id` and ends the one the browser had (`replacing`): a new id at
/// every sign-in, so an id planted before sign-in is worth nothing after. Returns the token for
/// the cookie.
pub async fn start_session(
    db: &DatabaseConnection,
    replacing: Option<&str>,
    user_id: i32,
    policy: SessionPolicy,
) -> Result<String, DomainError> {
    if let Some(previous) = replacing {
        end_session(db, previous).await?;
    }
    let now = Utc::now();
    session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(db).await?;
    session::Entity::delete_many().filter(session::Column::LastSeenAt.lte(now - policy.idle)).exec(db).await?;
    let token = random_token();
    session::Entity::insert(session::ActiveModel {
        id: Set(stored_id(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + policy.absolute),
    })
    .exec(db)
    .await?;
    Ok(token)
}

fn has_ended(found: &session::Model, now: DateTime<Utc>, policy: SessionPolicy) -> bool {
    found.expires_at <= now || found.last_seen_at + policy.idle <= now
}

/// The person a live session belongs to (`None` for an unknown, idle or expired session), and
/// the event log's position for the request, read in the same query: every signed-in request asks
/// for both.
pub async fn session_viewer(db: &DatabaseConnection, token: &str, policy: SessionPolicy) -> Result<(Option<Viewer>, Now), DomainError> {
    let newest = Query::select().expr(Func::max(Expr::col(event::Column::Id))).from(event::Entity).to_owned();
    let unread = Query::select()
        .expr(Func::count(Expr::col((notification::Entity, notification::Column::Id))))
        .from(notification::Entity)
        .and_where(Expr::col((notification::Entity, notification::Column::UserId)).equals((session::Entity, session::Column::UserId)))
        .and_where(Expr::col((notification::Entity, notification::Column::ReadAt)).is_null())
        .to_owned();
    let statement = session::Entity::find_by_id(stored_id(token))
        .find_also_related(user::Entity)
        .expr_as(Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(newest))), "position")
        .expr_as(Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(unread))), "unread")
        .build(db.get_database_backend());
    let Some(row) = db.query_one_raw(statement).await? else {
        return Ok((None, Now::default()));
    };
    let (found, person) = (session::Model::from_query_result(&row, "A_")?, user::Model::from_query_result_optional(&row, "B_")?);
    let position = Now::at(row.try_get::<Option<i64>>("", "position")?.unwrap_or(0));
    let unread = u64::try_from(row.try_get::<Option<i64>>("", "unread")?.unwrap_or(0)).unwrap_or(0);
    let now = Utc::now();
    if has_ended(&found, now, policy) {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok((None, Now::default()));
    }
    if found.last_seen_at + LAST_SEEN_RESOLUTION <= now {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(found.id.clone()))
            .exec(db)
            .await?;
    }
    let viewer = person.map(|person| Viewer {
        user_id: person.id,
        display_name: person.display_name,
        unread,
        email_bounced: person.email_bounced_at.is_some() && !person.email_off,
    });
    Ok((viewer, position))
}

pub async fn end_session(db: &DatabaseConnection, token: &str) -> Result<(), DomainError> {
    session::Entity::delete_many().filter(session::Column::Id.eq(stored_id(token))).exec(db).await?;
    Ok(())
}

/// Signs a person out on every device.
pub async fn end_all_sessions(db: &DatabaseConnection, user_id: i32) -> Result<u64, DomainError> {
    Ok(session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stored_hashed() {
        let token = random_token();
        assert_eq!(token.len(), 64);
        assert_ne!(stored_id(&token), token);
        assert_eq!(stored_id(&token), stored_id(&token));
    }

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let policy = SessionPolicy { idle: Duration::minutes(30), absolute: Duration::hours(8) };
        let now = Utc::now();
        let session = |last_seen: Duration, expires: Duration| session::Model {
            id: String::new(),
            user_id: 1,
            created_at: now - Duration::hours(1),
            last_seen_at: now - last_seen,
            expires_at: now + expires,
        };
        assert!(!has_ended(&session(Duration::minutes(29), Duration::hours(1)), now, policy));
        assert!(has_ended(&session(Duration::minutes(30), Duration::hours(1)), now, policy));
        assert!(has_ended(&session(Duration::minutes(1), Duration::zero()), now, policy));
    }
}
