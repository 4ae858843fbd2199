//! A value worked out from the database and kept until the event log moves on: exact, since
//! every change that could alter it writes an event, and cheap, since checking costs one read of
//! the newest event's id.
use std::future::Future;
use std::sync::Mutex;

use sea_orm::ConnectionTrait;

use crate::DomainError;

#[derive(Debug)]
pub struct Memo<T> {
    kept: Mutex<Option<(i64, T)>>,
}

// By hand: the derive would ask `T: Default`, and an empty memo needs no value.
impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo { kept: Mutex::new(None) }
    }
}

impl<T: Clone> Memo<T> {
    /// The value as of now: the kept one while no event has come since it was worked out, else
    /// `work`'s. The position is read before working, so a change committed meanwhile is seen
    /// by the next call.
    pub async fn get<Fut>(&self, db: &impl ConnectionTrait, work: impl FnOnce() -> Fut) -> Result<T, DomainError>
    where
        Fut: Future<Output = Result<T, DomainError>>,
    {
        let position = super::newest(db).await?;
        if let Some((at, value)) = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).as_ref() {
            if *at == position {
                return Ok(value.clone());
            }
        }
        let value = work().await?;
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Two renders may work it out at once; the later position wins.
        if kept.as_ref().is_none_or(|(at, _)| *at <= position) {
            *kept = Some((position, value.clone()));
        }
        Ok(value)
    }
}
