//! Mail, cut from notifications by windows of the event log. Each delivery (at once, daily,
//! weekly) has a run of windows, each starting where the last ended and ending where the
//! notifier had got to: the clock only says when to cut the next one, so nothing is sent twice
//! or skipped across restarts, clock jumps or several instances (Decidim's digests lost and
//! repeated items by cutting on dates). The window's mails are queued in the transaction that
//! records it, one per person (all their follows together), and a second instance cutting the
//! same window fails on its key and queues nothing.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TryInsertResult,
};

use super::inbox::describe;
use super::mail::{render, MailSettings};
use super::notifier::CURSOR;
use super::unsubscribe;
use crate::entities::{digest_run, event_consumer, mail, notification, user};
use crate::vocabulary::{Delivery, MailState};
use crate::workers::Job;
use crate::DomainError;

/// Where a delivery's first window starts. Windows are keyed by their start, and a first window
/// that ended at 0 (an empty log) must not share its start with the window after it.
const BEFORE_ANY_EVENT: i64 = -1;

/// How often each delivery's window is cut.
pub fn every(settings: &MailSettings, delivery: Delivery) -> Option<Duration> {
    match delivery {
        Delivery::AtOnce => Some(settings.at_once_every),
        Delivery::Daily => Some(Duration::days(1)),
        Delivery::Weekly => Some(Duration::weeks(1)),
        Delivery::SiteOnly => None,
    }
}

fn sent(delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::AtOnce => "at once",
        Delivery::Daily => "in your daily digest",
        Delivery::Weekly => "in your weekly digest",
        Delivery::SiteOnly => "",
    }
}

/// One window cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub run: i32,
    pub from: i64,
    pub to: i64,
    pub mails: usize,
}

/// Cuts every window that is due at `now`.
pub async fn cut_due(db: &DatabaseConnection, settings: &MailSettings, now: DateTime<Utc>) -> Result<Vec<Cut>, DomainError> {
    let mut cuts = Vec::new();
    for delivery in [Delivery::AtOnce, Delivery::Daily, Delivery::Weekly] {
        let last = last_run(db, delivery).await?;
        let due = match (&last, every(settings, delivery)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(last), Some(every)) => last.cut_at + every <= now,
        };
        if due {
            cuts.extend(cut(db, settings, delivery, now).await?);
        }
    }
    Ok(cuts)
}

async fn last_run(db: &impl ConnectionTrait, delivery: Delivery) -> Result<Option<digest_run::Model>, DomainError> {
    Ok(digest_run::Entity::find()
        .filter(digest_run::Column::Period.eq(delivery.slug()))
        .order_by_desc(digest_run::Column::ToPosition)
        .one(db)
        .await?)
}

/// Cuts `delivery`'s next window now, due or not (`casebook mail digest` asks for this); `None`
/// when another instance cut it first, or there was nothing to send.
pub async fn cut(
    db: &DatabaseConnection,
    settings: &MailSettings,
    delivery: Delivery,
    now: DateTime<Utc>,
) -> Result<Option<Cut>, DomainError> {
    let txn = crate::db::begin(db).await?;
    let last = last_run(&txn, delivery).await?;
    let from = last.as_ref().map_or(BEFORE_ANY_EVENT, |r| r.to_position);
    let to = event_consumer::Entity::find_by_id(CURSOR.to_string()).one(&txn).await?.map_or(0, |c| c.position);
    let owed = notification::Entity::find()
        .filter(notification::Column::Delivery.eq(delivery))
        .filter(notification::Column::MailId.is_null())
        .filter(notification::Column::EventId.lte(to))
        .order_by_asc(notification::Column::UserId)
        .order_by_desc(notification::Column::Id)
        .all(&txn)
        .await?;
    // An empty window is not recorded, unless it is the first: that one starts the clock, so
    // that a new site's first daily digest comes a day after it started, not with its first event.
    if owed.is_empty() && to == from && last.is_some() {
        return Ok(None);
    }
    let run = digest_run::ActiveModel {
        period: Set(delivery.slug().into()),
        from_position: Set(from),
        to_position: Set(to),
        cut_at: Set(now),
        ..Default::default()
    };
    let inserted = digest_run::Entity::insert(run)
        .on_conflict_do_nothing_on([digest_run::Column::Period, digest_run::Column::FromPosition])
        .exec(&txn)
        .await?;
    let TryInsertResult::Inserted(inserted) = inserted else {
        txn.rollback().await?;
        return Ok(None);
    };
    let run = inserted.last_insert_id;
    // Put in words all at once: a few queries for the window, not a few for each person.
    let mut described: BTreeMap<i64, _> = describe(&txn, &owed).await?.into_iter().map(|d| (d.id, d)).collect();
    let mut by_person: BTreeMap<i32, Vec<notification::Model>> = BTreeMap::new();
    for n in owed {
        by_person.entry(n.user_id).or_default().push(n);
    }
    let people: BTreeMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(by_person.keys().copied()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut mails = 0;
    for (user_id, owed) in by_person {
        let ids: Vec<i64> = owed.iter().map(|n| n.id).collect();
        let Some(address) = people.get(&user_id).and_then(deliverable) else {
            // Nowhere to send: they stay on the site only.
            notification::Entity::update_many()
                .col_expr(notification::Column::Delivery, Expr::value(Delivery::SiteOnly))
                .filter(notification::Column::Id.is_in(ids))
                .exec(&txn)
                .await?;
            continue;
        };
        if delivery == Delivery::AtOnce && mailed_in_the_last_hour(&txn, user_id, now).await? >= settings.per_hour {
            continue;
        }
        let follows: std::collections::BTreeSet<Option<i32>> = owed.iter().map(|n| n.follow_id).collect();
        let scope = match follows.into_iter().collect::<Vec<_>>().as_slice() {
            [Some(follow)] => unsubscribe::Scope::Follow(*follow),
            _ => unsubscribe::Scope::Delivery(delivery),
        };
        let token = unsubscribe::token(&txn, user_id, &scope).await?;
        let items = owed.iter().filter_map(|n| described.remove(&n.id)).collect();
        let rendered = render(settings, items, sent(delivery), &token);
        let row = mail::ActiveModel {
            user_id: Set(user_id),
            address: Set(address),
            dedupe_key: Set(format!("digest:{}:{run}", delivery.slug())),
            subject: Set(rendered.subject),
            text_body: Set(rendered.text),
            html_body: Set(rendered.html),
            unsubscribe_token: Set(token),
            state: Set(MailState::Queued),
            attempts: Set(0),
            available_at: Set(now),
            created_at: Set(now),
            ..Default::default()
        };
        let mail_id = mail::Entity::insert(row).exec(&txn).await?.last_insert_id;
        notification::Entity::update_many()
            .col_expr(notification::Column::MailId, Expr::value(mail_id))
            .filter(notification::Column::Id.is_in(ids))
            .exec(&txn)
            .await?;
        mails += 1;
    }
    txn.commit().await?;
    Ok(Some(Cut { run, from, to, mails }))
}

/// The address to mail, unless the person switched email off or their address bounced.
fn deliverable(person: &user::Model) -> Option<String> {
    if person.email_off || person.email_bounced_at.is_some() {
        return None;
    }
    person.email.clone().filter(|e| e.contains('@'))
}

async fn mailed_in_the_last_hour(db: &impl ConnectionTrait, user_id: i32, now: DateTime<Utc>) -> Result<u64, DomainError> {
    Ok(mail::Entity::find()
        .filter(mail::Column::UserId.eq(user_id))
        .filter(mail::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(db)
        .await?)
}

/// Cuts the windows that are due, every few seconds.
pub struct Digests {
    pub db: DatabaseConnection,
    pub settings: MailSettings,
}

impl Job for Digests {
    fn name(&self) -> &'static str {
        "mail digests"
    }

    async fn work(&self) -> Result<bool, DomainError> {
        for cut in cut_due(&self.db, &self.settings, Utc::now()).await? {
            tracing::info!(run = cut.run, from = cut.from, to = cut.to, mails = cut.mails, "mail queued");
        }
        Ok(false)
    }
}
