//! Values read at one position of the event log, by key, all forgotten as soon as the log moves
//! on: for reads that many requests share and few changes touch (search hits' cards, the names
//! of facet values). Exact in the way the page cache is, since every change to what they hold is
//! an event; the caller reads the position before reading the values, so a change committed
//! meanwhile is seen by the next request.
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

use sea_orm::ConnectionTrait;

use crate::DomainError;

#[derive(Debug)]
pub struct Kept<K, V> {
    /// The most values kept at one position.
    capacity: usize,
    kept: Mutex<(i64, HashMap<K, V>)>,
}

impl<K, V> Kept<K, V> {
    pub fn new(capacity: usize) -> Self {
        Kept { capacity, kept: Mutex::new((i64::MIN, HashMap::new())) }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Kept<K, V> {
    fn lock(&self) -> MutexGuard<'_, (i64, HashMap<K, V>)> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The values kept for `keys` at `position`, and the keys still to be read.
    pub fn get(&self, position: i64, keys: impl IntoIterator<Item = K>) -> (HashMap<K, V>, Vec<K>) {
        let kept = self.lock();
        let (mut found, mut missing) = (HashMap::new(), Vec::new());
        for key in keys {
            match kept.1.get(&key).filter(|_| kept.0 == position) {
                Some(value) => {
                    found.insert(key, value.clone());
                }
                None => missing.push(key),
            }
        }
        (found, missing)
    }

    /// The value for `key` as of `now`: the kept one while no event has come since it was read,
    /// else `read`'s, kept for the next caller. The position is read first, so a change committed
    /// meanwhile is seen by the next request.
    pub async fn get_or_read<Fut>(
        &self,
        db: &impl ConnectionTrait,
        now: &super::Now,
        key: K,
        read: impl FnOnce() -> Fut,
    ) -> Result<V, DomainError>
    where
        Fut: Future<Output = Result<V, DomainError>>,
    {
        let position = now.position(db).await?;
        if let Some(kept) = self.get(position, [key.clone()]).0.remove(&key) {
            return Ok(kept);
        }
        let value = read().await?;
        self.keep(position, [(key, value.clone())]);
        Ok(value)
    }

    /// Keeps values read at `position`. A newer position starts afresh; values read at an older
    /// one are not kept.
    pub fn keep(&self, position: i64, values: impl IntoIterator<Item = (K, V)>) {
        let mut kept = self.lock();
        if position > kept.0 {
            *kept = (position, HashMap::new());
        }
        if position != kept.0 {
            return;
        }
        for (key, value) in values {
            if kept.1.len() >= self.capacity {
                break;
            }
            kept.1.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_last_until_the_log_moves_on() {
        let kept = Kept::new(10);
        kept.keep(5, [(1, "a"), (2, "b")]);
        assert_eq!(kept.get(5, [1, 3]), (HashMap::from([(1, "a")]), vec![3]));
        // An event later, nothing kept holds.
        assert_eq!(kept.get(6, [1]), (HashMap::new(), vec![1]));
        kept.keep(6, [(1, "A")]);
        assert_eq!(kept.get(6, [1, 2]), (HashMap::from([(1, "A")]), vec![2]));
        // A reader still at the older position neither sees nor replaces the newer values.
        kept.keep(5, [(2, "b")]);
        assert_eq!(kept.get(5, [1]), (HashMap::new(), vec![1]));
        assert_eq!(kept.get(6, [2]), (HashMap::new(), vec![2]));
    }

    #[test]
    fn no_more_than_the_capacity_is_kept() {
        let kept = Kept::new(2);
        kept.keep(1, [(1, ()), (2, ()), (3, ())]);
        assert_eq!(kept.get(1, [1, 2, 3]).1, vec![3]);
    }
}
