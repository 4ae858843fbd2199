//! Pacing requests to each host, shared by every instance: one statement reserves the next
//! free start time for a host in `fetch_host`, so two instances never take the same turn.
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use super::fetch::FetchError;

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Takes the next turn at `host` if it comes within `max_wait`, and waits for it; a turn
/// further off is not taken, and the caller learns when to come back.
pub async fn wait_turn(db: &impl ConnectionTrait, host: &str, interval: Duration, max_wait: Duration) -> Result<(), FetchError> {
    let now = Utc::now().timestamp_millis();
    match reserve(db, host, now, millis(interval), millis(max_wait)).await.map_err(|e| FetchError::Other(e.to_string()))? {
        Some(start) => {
            if start > now {
                tokio::time::sleep(Duration::from_millis((start - now) as u64)).await;
            }
            Ok(())
        }
        None => {
            let free = next_free(db, host).await.map_err(|e| FetchError::Other(e.to_string()))?.unwrap_or(now);
            let back = DateTime::from_timestamp_millis(free - millis(max_wait)).unwrap_or_else(Utc::now);
            Err(FetchError::Busy(back))
        }
    }
}

/// The start time reserved at `host` (milliseconds since 1970), or `None` when the next turn is
/// more than `max_wait` away.
pub async fn reserve(db: &impl ConnectionTrait, host: &str, now: i64, interval: i64, max_wait: i64) -> Result<Option<i64>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    // The same statement on both databases; only the placeholders differ.
    let p = |n: usize| if backend == DatabaseBackend::Postgres { format!("${n}") } else { format!("?{n}") };
    let sql = format!(
        "INSERT INTO fetch_host (host, next_at) VALUES ({h}, {now} + {i}) \
         ON CONFLICT (host) DO UPDATE SET next_at = (CASE WHEN fetch_host.next_at > {now} THEN fetch_host.next_at ELSE {now} END) + {i} \
         WHERE fetch_host.next_at - {now} <= {w} \
         RETURNING next_at",
        h = p(1),
        now = p(2),
        i = p(3),
        w = p(4),
    );
    let row =
        db.query_one_raw(Statement::from_sql_and_values(backend, sql, [host.into(), now.into(), interval.into(), max_wait.into()])).await?;
    Ok(match row {
        Some(row) => Some(row.try_get::<i64>("", "next_at")? - interval),
        None => None,
    })
}

async fn next_free(db: &impl ConnectionTrait, host: &str) -> Result<Option<i64>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let p = if backend == DatabaseBackend::Postgres { "$1" } else { "?1" };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, format!("SELECT next_at FROM fetch_host WHERE host = {p}"), [host.into()]))
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get::<i64>("", "next_at")?),
        None => None,
    })
}
