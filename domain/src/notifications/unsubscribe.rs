//! Unsubscribing from a mail's link, with no sign-in: the token names the person and what the
//! mail was about. RFC 8058's one-click post stops it at once; opening the link only offers
//! choices, since mail scanners open links.
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::follows;
use crate::entities::{follow, mail, unsubscribe_token, user};
use crate::identity::random_token;
use crate::views::UnsubscribeView;
use crate::vocabulary::{Delivery, MailState};
use crate::DomainError;

/// What a token stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Email about one follow.
    Follow(i32),
    /// Every follow sent this way (a digest gathers several).
    Delivery(Delivery),
    All,
}

impl Scope {
    fn key(self) -> String {
        match self {
            Scope::Follow(id) => format!("follow:{id}"),
            Scope::Delivery(delivery) => format!("delivery:{}", delivery.slug()),
            Scope::All => "all".into(),
        }
    }

    fn parse(key: &str) -> Option<Scope> {
        match key.split_once(':') {
            Some(("follow", id)) => id.parse().ok().map(Scope::Follow),
            Some(("delivery", slug)) => Delivery::from_slug(slug).map(Scope::Delivery),
            None if key == "all" => Some(Scope::All),
            _ => None,
        }
    }
}

/// What the person chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// No more email about what this mail was about (it stays on the site).
    Stop,
    /// The same, once a week.
    Weekly,
    /// No email at all.
    AllEmail,
}

/// The person's token for `scope`, made once and kept: every mail about it carries the same.
pub async fn token(db: &impl ConnectionTrait, user_id: i32, scope: &Scope) -> Result<String, DomainError> {
    let find = || {
        unsubscribe_token::Entity::find()
            .filter(unsubscribe_token::Column::UserId.eq(user_id))
            .filter(unsubscribe_token::Column::Scope.eq(scope.key()))
    };
    if let Some(found) = find().one(db).await? {
        return Ok(found.token);
    }
    let row = unsubscribe_token::ActiveModel {
        token: Set(random_token()),
        user_id: Set(user_id),
        scope: Set(scope.key()),
        created_at: Set(Utc::now()),
    };
    unsubscribe_token::Entity::insert(row).exec(db).await?;
    Ok(find().one(db).await?.ok_or(DomainError::NotFound)?.token)
}

async fn found(db: &impl ConnectionTrait, token: &str) -> Result<(unsubscribe_token::Model, Scope), DomainError> {
    let row = unsubscribe_token::Entity::find_by_id(token.to_string()).one(db).await?.ok_or(DomainError::NotFound)?;
    let scope = Scope::parse(&row.scope).ok_or(DomainError::NotFound)?;
    Ok((row, scope))
}

/// What "stop" stops, in words.
async fn about(db: &impl ConnectionTrait, scope: Scope) -> Result<String, DomainError> {
    Ok(match scope {
        Scope::Follow(id) => match follow::Entity::find_by_id(id).one(db).await? {
            Some(f) => match follows::find(db, f.target, &f.target_key).await {
                Ok(found) => format!("email about {}", found.label),
                Err(_) => "email about something you no longer follow".into(),
            },
            None => "email about something you no longer follow".into(),
        },
        Scope::Delivery(delivery) => {
            format!("emails sent {}", delivery.label().to_lowercase().trim_start_matches("by email ").trim_start_matches("in a "))
        }
        Scope::All => "all email from Casebook".into(),
    })
}

pub async fn page(db: &DatabaseConnection, token: &str) -> Result<UnsubscribeView, DomainError> {
    let (_, scope) = found(db, token).await?;
    Ok(UnsubscribeView { token: token.to_string(), about: about(db, scope).await?, done: None })
}

/// Applies the choice at once, and withdraws mail already queued under this token.
pub async fn apply(db: &DatabaseConnection, token: &str, choice: Choice) -> Result<UnsubscribeView, DomainError> {
    let (row, scope) = found(db, token).await?;
    let txn = crate::db::begin(db).await?;
    let what = about(&txn, scope).await?;
    let to = match choice {
        Choice::Stop => Some(Delivery::SiteOnly),
        Choice::Weekly => Some(Delivery::Weekly),
        Choice::AllEmail => None,
    };
    let done = match (to, scope) {
        (None, _) | (Some(_), Scope::All) => {
            user::Entity::update_many()
                .col_expr(user::Column::EmailOff, Expr::value(true))
                .filter(user::Column::Id.eq(row.user_id))
                .exec(&txn)
                .await?;
            "You will get no more email from Casebook. Your notifications are still on the site.".to_string()
        }
        (Some(delivery), Scope::Follow(id)) => redirect(&txn, row.user_id, follow::Column::Id.eq(id), delivery, &what).await?,
        (Some(delivery), Scope::Delivery(from)) => redirect(&txn, row.user_id, follow::Column::Delivery.eq(from), delivery, &what).await?,
    };
    let withdrawn = mail::Entity::update_many()
        .col_expr(mail::Column::State, Expr::value(MailState::Suppressed))
        .filter(mail::Column::UserId.eq(row.user_id))
        .filter(mail::Column::State.eq(MailState::Queued));
    let withdrawn = if choice == Choice::AllEmail { withdrawn } else { withdrawn.filter(mail::Column::UnsubscribeToken.eq(token)) };
    withdrawn.exec(&txn).await?;
    txn.commit().await?;
    Ok(UnsubscribeView { token: token.to_string(), about: what, done: Some(done) })
}

/// Sends the person's follows that `which` picks out by `delivery` instead; says so.
async fn redirect(
    db: &impl ConnectionTrait,
    user_id: i32,
    which: sea_orm::sea_query::SimpleExpr,
    delivery: Delivery,
    what: &str,
) -> Result<String, DomainError> {
    follow::Entity::update_many()
        .col_expr(follow::Column::Delivery, Expr::value(delivery))
        .filter(which)
        .filter(follow::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(done_text(delivery, what))
}

fn done_text(delivery: Delivery, what: &str) -> String {
    if delivery == Delivery::Weekly {
        format!("You will get {what} once a week, in your weekly digest.")
    } else {
        format!("You will get no more {what}. You can still see them on the site, in your notifications.")
    }
}
