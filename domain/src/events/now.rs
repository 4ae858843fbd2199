//! The event log's position as one request sees it: read once, when first needed, and shared by
//! every kept value the request asks for, so a page that reads several memories pays for one read.
//! A request reads its values after its position, so a change committed meanwhile is seen by the
//! next request; a page shown after a write takes a new `Now`.
use sea_orm::ConnectionTrait;
use tokio::sync::OnceCell;

use crate::DomainError;

#[derive(Debug, Default)]
pub struct Now(OnceCell<i64>);

impl Now {
    /// A position already read, with something else the request needed.
    pub fn at(position: i64) -> Self {
        Now(OnceCell::new_with(Some(position)))
    }

    /// The newest event's id when this request first asked.
    pub async fn position(&self, db: &impl ConnectionTrait) -> Result<i64, DomainError> {
        self.0.get_or_try_init(|| super::newest(db)).await.copied()
    }
}
