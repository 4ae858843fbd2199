//! Queued mail, claimed by one sender at a time and settled by what the mail server answered:
//! accepted, refused for good (5xx: a hard bounce, which stops all mail to the address until the
//! person confirms it), or refused for now (4xx or no answer: tried again later, given up after
//! a few tries, and the address suppressed after several such mails in a row).
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{mail, user};
use crate::views::MailView;
use crate::vocabulary::MailState;
use crate::DomainError;

/// Tries of one mail before it is given up.
pub const MAX_ATTEMPTS: i32 = 5;
/// Mails given up in a row before an address is treated as bounced.
pub const SOFT_FAILURES_TO_SUPPRESS: i32 = 3;
/// How long a claim keeps other senders off a mail.
const CLAIM: Duration = Duration::minutes(2);

/// What the mail server said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    /// A permanent refusal (SMTP 5xx).
    Refused(String),
    /// A temporary one (4xx), or no answer.
    Deferred(String),
}

/// Claims up to `limit` mails due at `now` for `owner`: each by one conditional update, so
/// two senders never both hold one.
pub async fn claim(db: &DatabaseConnection, owner: &str, limit: u64, now: DateTime<Utc>) -> Result<Vec<mail::Model>, DomainError> {
    let free = || Condition::any().add(mail::Column::ClaimedUntil.is_null()).add(mail::Column::ClaimedUntil.lt(now));
    let due: Vec<i64> = mail::Entity::find()
        .select_only()
        .column(mail::Column::Id)
        .filter(mail::Column::State.eq(MailState::Queued))
        .filter(mail::Column::AvailableAt.lte(now))
        .filter(free())
        .order_by_asc(mail::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(due.len());
    for id in due {
        let taken = mail::Entity::update_many()
            .col_expr(mail::Column::ClaimedBy, Expr::value(owner))
            .col_expr(mail::Column::ClaimedUntil, Expr::value(now + CLAIM))
            .filter(mail::Column::Id.eq(id))
            .filter(mail::Column::State.eq(MailState::Queued))
            .filter(free())
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            claimed.extend(mail::Entity::find_by_id(id).one(db).await?);
        }
    }
    Ok(claimed)
}

/// Those of `claimed` that may still go: a person may have switched email off, or their address
/// bounced, since the mail was queued. The rest are settled as suppressed, in one update.
pub async fn still_wanted(db: &impl ConnectionTrait, claimed: Vec<mail::Model>) -> Result<Vec<mail::Model>, DomainError> {
    let people: std::collections::BTreeSet<i32> = claimed.iter().map(|m| m.user_id).collect();
    let unwanted: std::collections::BTreeSet<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Id.is_in(people))
        .filter(Condition::any().add(user::Column::EmailOff.eq(true)).add(user::Column::EmailBouncedAt.is_not_null()))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let (wanted, suppressed): (Vec<_>, Vec<_>) = claimed.into_iter().partition(|m| !unwanted.contains(&m.user_id));
    if !suppressed.is_empty() {
        settle(db, suppressed.iter().map(|m| m.id).collect(), MailState::Suppressed, None, None).await?;
    }
    Ok(wanted)
}

/// Records that the mail server accepted these, all at once.
pub async fn accepted(db: &DatabaseConnection, sent: &[mail::Model], now: DateTime<Utc>) -> Result<(), DomainError> {
    if sent.is_empty() {
        return Ok(());
    }
    let txn = crate::db::begin(db).await?;
    settle(&txn, sent.iter().map(|m| m.id).collect(), MailState::Sent, None, Some(now)).await?;
    user::Entity::update_many()
        .col_expr(user::Column::EmailSoftFailures, Expr::value(0))
        .filter(user::Column::Id.is_in(sent.iter().map(|m| m.user_id).collect::<std::collections::BTreeSet<_>>()))
        .filter(user::Column::EmailSoftFailures.gt(0))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn settle(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
    state: MailState,
    error: Option<String>,
    sent_at: Option<DateTime<Utc>>,
) -> Result<(), DomainError> {
    mail::Entity::update_many()
        .col_expr(mail::Column::State, Expr::value(state))
        .col_expr(mail::Column::LastError, Expr::value(error.map(|e| e.chars().take(500).collect::<String>())))
        .col_expr(mail::Column::SentAt, Expr::value(sent_at))
        .col_expr(mail::Column::ClaimedBy, Expr::value(Option::<String>::None))
        .col_expr(mail::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(mail::Column::Attempts, Expr::col(mail::Column::Attempts).add(1))
        .filter(mail::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
}

/// Records what the mail server said of one mail it did not accept (`accepted` takes those it did).
pub async fn settled(db: &DatabaseConnection, m: &mail::Model, outcome: Outcome, now: DateTime<Utc>) -> Result<(), DomainError> {
    let txn = crate::db::begin(db).await?;
    let person =
        |column: user::Column, value: Expr| user::Entity::update_many().col_expr(column, value).filter(user::Column::Id.eq(m.user_id));
    match outcome {
        Outcome::Accepted => {
            settle(&txn, vec![m.id], MailState::Sent, None, Some(now)).await?;
            person(user::Column::EmailSoftFailures, Expr::value(0)).exec(&txn).await?;
        }
        Outcome::Refused(error) => {
            settle(&txn, vec![m.id], MailState::Bounced, Some(error), None).await?;
            person(user::Column::EmailBouncedAt, Expr::value(now)).exec(&txn).await?;
        }
        Outcome::Deferred(error) if m.attempts + 1 >= MAX_ATTEMPTS => {
            settle(&txn, vec![m.id], MailState::Failed, Some(error), None).await?;
            person(user::Column::EmailSoftFailures, Expr::col(user::Column::EmailSoftFailures).add(1)).exec(&txn).await?;
            user::Entity::update_many()
                .col_expr(user::Column::EmailBouncedAt, Expr::value(now))
                .filter(user::Column::Id.eq(m.user_id))
                .filter(user::Column::EmailSoftFailures.gte(SOFT_FAILURES_TO_SUPPRESS))
                .exec(&txn)
                .await?;
        }
        Outcome::Deferred(error) => {
            // 1, 2, 4, 8 minutes.
            let wait = Duration::minutes(1i64 << m.attempts.clamp(0, 6));
            mail::Entity::update_many()
                .col_expr(mail::Column::AvailableAt, Expr::value(now + wait))
                .col_expr(mail::Column::LastError, Expr::value(error.chars().take(500).collect::<String>()))
                .col_expr(mail::Column::Attempts, Expr::col(mail::Column::Attempts).add(1))
                .col_expr(mail::Column::ClaimedBy, Expr::value(Option::<String>::None))
                .col_expr(mail::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(mail::Column::Id.eq(m.id))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The newest mail, for `/dev/mail`.
pub async fn recent(db: &DatabaseConnection, settings: &super::MailSettings, limit: u64) -> Result<Vec<MailView>, DomainError> {
    let rows = mail::Entity::find().order_by_desc(mail::Column::Id).limit(limit).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|m| MailView {
            id: m.id,
            to: m.address,
            subject: m.subject,
            text: m.text_body,
            state: m.state,
            at: crate::text::timestamp_text(m.created_at).display,
            unsubscribe: settings.unsubscribe_url(&m.unsubscribe_token),
        })
        .collect())
}
