//! How far behind each consumer is, and what last went wrong: for `/readyz` and `casebook workers`.
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde::Serialize;

use crate::entities::event_consumer;
use crate::DomainError;

#[derive(Clone, Debug, Serialize)]
pub struct ConsumerStatus {
    pub name: String,
    pub position: i64,
    /// Events after its position.
    pub lag: u64,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// The instance holding its cursor now, if any.
    pub held_by: Option<String>,
    /// Waiting out a backoff until then.
    pub retry_at: Option<DateTime<Utc>>,
}

/// Every cursor in the log's consumer table, by name.
pub async fn status(db: &DatabaseConnection) -> Result<Vec<ConsumerStatus>, DomainError> {
    let rows = event_consumer::Entity::find().order_by_asc(event_consumer::Column::Name).all(db).await?;
    let now = Utc::now();
    let mut all = Vec::with_capacity(rows.len());
    for row in rows {
        all.push(ConsumerStatus {
            lag: crate::events::pending_after(db, row.position).await?,
            held_by: row.lease_owner.filter(|_| row.lease_until.is_some_and(|until| until > now)),
            retry_at: row.available_at.filter(|at| *at > now),
            name: row.name,
            position: row.position,
            attempts: row.attempts,
            last_error: row.last_error,
        });
    }
    Ok(all)
}
