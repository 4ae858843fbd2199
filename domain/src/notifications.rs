//! A community that talks: people follow things (`follows`), the notifier turns the event log
//! into notifications for them (`notifier`), which the site lists (`inbox`) and mail carries,
//! in windows of the log cut at once, daily or weekly (`digests`), sent once each (`outbox`),
//! and stopped from any mail with no sign-in (`unsubscribe`).
mod digests;
mod follows;
mod inbox;
mod mail;
mod notifier;
mod outbox;
mod unsubscribe;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

pub use digests::{cut, cut_due, every, Cut, Digests};
pub use follows::{button, find, save, saved_search, Followable, DEFAULT_DELIVERY, DEFAULT_LEVEL};
pub use inbox::{mark_read, page, unread};
pub use mail::{render, MailSettings, Rendered};
pub use notifier::{Notifier, CURSOR};
pub use outbox::{accepted, claim, recent, settled, still_wanted, Outcome, MAX_ATTEMPTS};
pub use unsubscribe::{apply as unsubscribe, page as unsubscribe_page, Choice};

use crate::entities::user;
use crate::permissions::{Action, Authorship};
use crate::views::FollowingView;
use crate::{identity::roles, DomainError};

/// The following page: everything the person follows, and their email.
pub async fn following(db: &DatabaseConnection, user_id: i32) -> Result<FollowingView, DomainError> {
    let person = user::Entity::find_by_id(user_id).one(db).await?.ok_or(DomainError::NotFound)?;
    Ok(FollowingView {
        follows: follows::of_person(db, user_id).await?,
        email: person.email,
        email_off: person.email_off,
        email_bounced: person.email_bounced_at.is_some(),
    })
}

/// Email on or off; turning it on also confirms an address that bounced.
pub async fn set_email(db: &DatabaseConnection, user_id: i32, choice: &str) -> Result<(), DomainError> {
    roles::actor(db, Some(user_id)).await?.check(&Authorship::default(), Action::Follow)?;
    let on = match choice {
        "on" => true,
        "off" => false,
        _ => {
            let mut errors = crate::forms::FieldErrors::default();
            errors.add("email", "Choose whether to get email");
            return Err(DomainError::Invalid(errors));
        }
    };
    let mut update = user::Entity::update_many().col_expr(user::Column::EmailOff, Expr::value(!on)).filter(user::Column::Id.eq(user_id));
    if on {
        update = update
            .col_expr(user::Column::EmailBouncedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
            .col_expr(user::Column::EmailSoftFailures, Expr::value(0));
    }
    update.exec(db).await?;
    Ok(())
}
