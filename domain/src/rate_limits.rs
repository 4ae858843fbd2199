//! Limits on how often something may be done, counted in the database so that every instance
//! behind a load balancer counts together. Fixed windows: simple, and good enough to stop a
//! flood; a burst at a window's edge can reach twice the limit.
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::rate_limit;
use crate::DomainError;

/// At most `requests` in each window of `window_seconds`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub requests: i32,
    pub window_seconds: i64,
}

/// Counts one request in `bucket` (what is limited, and for whom); refuses it with
/// `RateLimited` once the window's count is over the limit.
pub async fn hit(db: &impl ConnectionTrait, bucket: &str, limit: Limit) -> Result<(), DomainError> {
    let now = Utc::now().timestamp();
    let window_start = now - now.rem_euclid(Ord::max(limit.window_seconds, 1));
    // Buckets are named by the caller from what the request says: keep the key bounded.
    let bucket: String = bucket.chars().take(200).collect();
    rate_limit::Entity::insert(rate_limit::ActiveModel { bucket: Set(bucket.clone()), window_start: Set(window_start), count: Set(1) })
        .on_conflict(
            OnConflict::columns([rate_limit::Column::Bucket, rate_limit::Column::WindowStart])
                .value(rate_limit::Column::Count, Expr::col((rate_limit::Entity, rate_limit::Column::Count)).add(1))
                .to_owned(),
        )
        .exec(db)
        .await?;
    let count = rate_limit::Entity::find_by_id((bucket, window_start)).one(db).await?.map_or(0, |row| row.count);
    // Old windows go now and then, by whichever request happens to start a new window.
    if count == 1 {
        rate_limit::Entity::delete_many().filter(rate_limit::Column::WindowStart.lt(window_start - 3600)).exec(db).await?;
    }
    if count > limit.requests {
        Err(DomainError::RateLimited)
    } else {
        Ok(())
    }
}
