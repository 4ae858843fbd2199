//! Counting the reads every anonymous visitor makes (search, the API) without a write for each:
//! each instance counts here, and adds its count to the database's at most once a second or
//! every tenth of the limit. It decides from the database's total (every instance's counts as
//! last added) plus its own since, so one instance alone refuses exactly at the limit, and
//! instances together may let through a tenth of the limit and a second's reads each past it.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::ConnectionTrait;

use super::{counted, hit, refused_for, Action, Asker, Limit, Window};
use crate::DomainError;

/// How long counts wait here before they are added to the database's.
const ADD_EVERY: Duration = Duration::from_secs(1);
/// Windows counted here at once; past it (a flood from ever new addresses) each read is counted
/// straight in the database, so memory stays bounded.
const MOST_WINDOWS: usize = 50_000;

#[derive(Default)]
pub struct Tally {
    windows: Mutex<Windows>,
}

#[derive(Default)]
struct Windows {
    counts: HashMap<(String, i64), Counts>,
    /// When ended windows were last forgotten: at most once a second, however many reads come.
    swept_at: Option<Instant>,
}

#[derive(Clone, Copy, Debug)]
struct Counts {
    /// The database's count when last read, which holds what this instance added.
    shared: i32,
    /// Counted here since.
    own: i32,
    added_at: Option<Instant>,
    /// When the window ends, in seconds since 1970: then it is forgotten.
    ends: i64,
}

impl Tally {
    /// `rate_limits::check` for reads: the same limits and buckets, counted as above.
    pub async fn check(&self, db: &impl ConnectionTrait, action: Action, asker: &Asker<'_>, scale: i32) -> Result<(), DomainError> {
        let mut wait = 0;
        for (bucket, limit) in counted(action, asker, scale) {
            if let Err(retry) = self.hit(db, &bucket, limit).await {
                wait = Ord::max(wait, retry);
            }
        }
        refused_for(wait)
    }

    async fn hit(&self, db: &impl ConnectionTrait, bucket: &str, limit: Limit) -> Result<(), i64> {
        let window = Window::of(bucket, limit);
        let key = (window.key.clone(), window.start);
        // The lock is let go before any await: the future stays Send, and no read waits on another's query.
        let counted_here = {
            let mut guard = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let windows = &mut *guard;
            let full = windows.counts.len() >= MOST_WINDOWS && !windows.counts.contains_key(&key);
            if full && windows.swept_at.is_none_or(|at| at.elapsed() >= ADD_EVERY) {
                let now = Utc::now().timestamp();
                windows.counts.retain(|_, counts| counts.ends > now);
                windows.swept_at = Some(Instant::now());
            }
            (windows.counts.len() < MOST_WINDOWS || windows.counts.contains_key(&key)).then(|| {
                let counts = windows.counts.entry(key.clone()).or_insert(Counts { shared: 0, own: 0, added_at: None, ends: window.ends });
                counts.own += 1;
                let total = counts.shared.saturating_add(counts.own);
                let due = counts.own >= Ord::max(limit.requests / 10, 1) || counts.added_at.is_none_or(|at| at.elapsed() >= ADD_EVERY);
                let to_add = if due { std::mem::take(&mut counts.own) } else { 0 };
                if due {
                    counts.added_at = Some(Instant::now());
                }
                (total, to_add)
            })
        };
        let Some((total, to_add)) = counted_here else { return hit(db, bucket, limit).await };
        if to_add > 0 {
            let added = window.add(db, to_add).await;
            let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(counts) = windows.counts.get_mut(&key) {
                match added {
                    Ok(shared) => counts.shared = shared,
                    // Not in the database this time: they count here still, and are added next time.
                    Err(error) => {
                        tracing::error!(%error, bucket, "a rate limit could not be counted");
                        counts.own += to_add;
                    }
                }
            }
        }
        if total > limit.requests {
            Err(window.left)
        } else {
            Ok(())
        }
    }
}
