//! A value worked out from the database and kept until the event log moves on: exact, since
//! every change that could alter it writes an event, and cheap, since checking costs one read of
//! the newest event's id.
use std::future::Future;

use sea_orm::ConnectionTrait;

use super::Kept;
use crate::DomainError;

/// One value, kept as `Kept` keeps values by key.
#[derive(Debug)]
pub struct Memo<T>(Kept<(), T>);

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(Kept::new(1))
    }
}

impl<T: Clone> Memo<T> {
    /// The value as of `now`: the kept one while no event has come since it was worked out, else
    /// `work`'s.
    pub async fn get<Fut>(&self, db: &impl ConnectionTrait, now: &super::Now, work: impl FnOnce() -> Fut) -> Result<T, DomainError>
    where
        Fut: Future<Output = Result<T, DomainError>>,
    {
        self.0.get_or_read(db, now, (), work).await
    }
}
