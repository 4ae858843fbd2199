//! A consumer's cursor in the event log, leased to one instance at a time.
use std::time::Duration;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, UpdateMany};

use crate::entities::{event, event_consumer};
use crate::DomainError;

#[derive(Clone, Debug)]
pub struct ConsumerOptions {
    /// How long a claim keeps other instances off; the holder renews it with every round.
    pub lease: Duration,
    /// The wait after a first failure; it doubles with each further one, up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for ConsumerOptions {
    fn default() -> Self {
        ConsumerOptions { lease: Duration::from_secs(60), backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(300) }
    }
}

/// One named cursor, as one instance (`owner`) works it.
#[derive(Clone, Debug)]
pub struct Consumer {
    pub name: String,
    pub owner: String,
    pub options: ConsumerOptions,
}

/// The cursor, held by this instance until the lease ends.
#[derive(Clone, Debug)]
pub struct Claim {
    pub position: i64,
    pub attempts: i32,
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

impl Consumer {
    pub fn new(name: impl Into<String>, owner: impl Into<String>, options: ConsumerOptions) -> Self {
        Consumer { name: name.into(), owner: owner.into(), options }
    }

    /// Takes the cursor if it is free (or already ours) and not waiting out a backoff. The
    /// taking is one conditional update, so two instances never both hold it.
    pub async fn claim(&self, db: &impl ConnectionTrait) -> Result<Option<Claim>, DomainError> {
        event_consumer::Entity::insert(event_consumer::ActiveModel {
            name: Set(self.name.clone()),
            position: Set(0),
            lease_owner: Set(None),
            lease_until: Set(None),
            attempts: Set(0),
            available_at: Set(None),
            last_error: Set(None),
        })
        .on_conflict_do_nothing_on([event_consumer::Column::Name])
        .exec(db)
        .await?;
        let now = Utc::now();
        let free = Condition::any()
            .add(event_consumer::Column::LeaseOwner.is_null())
            .add(event_consumer::Column::LeaseOwner.eq(self.owner.as_str()))
            .add(event_consumer::Column::LeaseUntil.lt(now));
        let due = Condition::any().add(event_consumer::Column::AvailableAt.is_null()).add(event_consumer::Column::AvailableAt.lte(now));
        let taken = event_consumer::Entity::update_many()
            .col_expr(event_consumer::Column::LeaseOwner, Expr::value(self.owner.clone()))
            .col_expr(event_consumer::Column::LeaseUntil, Expr::value(now + to_chrono(self.options.lease)))
            .filter(event_consumer::Column::Name.eq(self.name.as_str()))
            .filter(free)
            .filter(due)
            .exec(db)
            .await?;
        if taken.rows_affected == 0 {
            return Ok(None);
        }
        let row = event_consumer::Entity::find_by_id(self.name.clone()).one(db).await?.ok_or(DomainError::NotFound)?;
        Ok(Some(Claim { position: row.position, attempts: row.attempts }))
    }

    /// The next events to handle, at most `limit`, with the cursor claimed for them; `None` when
    /// there are none or another instance holds the cursor. An idle call only reads: a write
    /// every poll would race every request's transaction for SQLite's one writer (a transaction
    /// that read before it wrote would fail as "locked").
    pub async fn take(&self, db: &impl ConnectionTrait, limit: u64) -> Result<Option<(Claim, Vec<event::Model>)>, DomainError> {
        let position = self.state(db).await?.map_or(0, |cursor| cursor.position);
        if super::newest(db).await? <= position {
            return Ok(None);
        }
        let Some(claim) = self.claim(db).await? else { return Ok(None) };
        let events = super::after(db, claim.position, limit).await?;
        if events.is_empty() {
            self.release(db).await?;
            return Ok(None);
        }
        Ok(Some((claim, events)))
    }

    /// Moves the cursor on after handling events up to `position`, and lets the lease go. Only
    /// the holder's update counts: an instance whose lease had run out changes nothing.
    pub async fn advance(&self, db: &impl ConnectionTrait, position: i64) -> Result<bool, DomainError> {
        let done = self
            .letting_go()
            .col_expr(event_consumer::Column::Position, Expr::value(position))
            .col_expr(event_consumer::Column::Attempts, Expr::value(0))
            .col_expr(event_consumer::Column::AvailableAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
            .col_expr(event_consumer::Column::LastError, Expr::value(Option::<String>::None))
            .exec(db)
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// An update of the cursor that only its holder makes, and that lets the lease go.
    fn letting_go(&self) -> UpdateMany<event_consumer::Entity> {
        event_consumer::Entity::update_many()
            .col_expr(event_consumer::Column::LeaseOwner, Expr::value(Option::<String>::None))
            .col_expr(event_consumer::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
            .filter(event_consumer::Column::Name.eq(self.name.as_str()))
            .filter(event_consumer::Column::LeaseOwner.eq(self.owner.as_str()))
    }

    /// Keeps the cursor where it is, counts the failure and waits longer each time; returns the
    /// wait.
    pub async fn fail(&self, db: &impl ConnectionTrait, claim: &Claim, error: &str) -> Result<Duration, DomainError> {
        let attempts = claim.attempts + 1;
        let wait = self
            .options
            .backoff
            .saturating_mul(2u32.saturating_pow(u32::try_from(attempts - 1).unwrap_or(u32::MAX)))
            .min(self.options.max_backoff);
        self.letting_go()
            .col_expr(event_consumer::Column::Attempts, Expr::value(attempts))
            .col_expr(event_consumer::Column::AvailableAt, Expr::value(Utc::now() + to_chrono(wait)))
            .col_expr(event_consumer::Column::LastError, Expr::value(error.to_string()))
            .exec(db)
            .await?;
        Ok(wait)
    }

    /// Lets the lease go without moving: there was nothing to do.
    pub async fn release(&self, db: &impl ConnectionTrait) -> Result<(), DomainError> {
        self.letting_go().exec(db).await?;
        Ok(())
    }

    /// Moves a cursor that is behind `position` up to it: a rebuilt index already holds what the
    /// events before it changed. While another instance holds the cursor this does nothing (the
    /// events are then replayed, which is harmless).
    pub async fn skip_to(&self, db: &impl ConnectionTrait, position: i64) -> Result<(), DomainError> {
        if self.claim(db).await?.is_none() {
            return Ok(());
        }
        event_consumer::Entity::update_many()
            .col_expr(event_consumer::Column::Position, Expr::value(position))
            .filter(event_consumer::Column::Name.eq(self.name.as_str()))
            .filter(event_consumer::Column::Position.lt(position))
            .filter(event_consumer::Column::LeaseOwner.eq(self.owner.as_str()))
            .exec(db)
            .await?;
        self.release(db).await
    }

    /// The cursor's row, for status and tests.
    pub async fn state(&self, db: &impl ConnectionTrait) -> Result<Option<event_consumer::Model>, DomainError> {
        Ok(event_consumer::Entity::find_by_id(self.name.clone()).one(db).await?)
    }

    /// How many events this consumer has still to handle.
    pub async fn pending(&self, db: &impl ConnectionTrait) -> Result<u64, DomainError> {
        let position = self.state(db).await?.map_or(0, |row| row.position);
        super::pending_after(db, position).await
    }
}
