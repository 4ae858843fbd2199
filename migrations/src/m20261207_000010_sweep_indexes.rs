//! Indexes for sweeping on a timer: old rate limit windows and expired kept forms are found by
//! index instead of by reading the whole table.
use sea_orm_migration::prelude::*;

use crate::tables::{PendingSubmission, RateLimit};

#[derive(DeriveMigrationName)]
pub struct Migration;

const RATE_LIMIT_WINDOW: &str = "idx_rate_limit_window_start";
const PENDING_CREATED: &str = "idx_pending_submission_created_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(Index::create().name(RATE_LIMIT_WINDOW).table(RateLimit::Table).col(RateLimit::WindowStart).to_owned())
            .await?;
        manager
            .create_index(
                Index::create().name(PENDING_CREATED).table(PendingSubmission::Table).col(PendingSubmission::CreatedAt).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(PENDING_CREATED).table(PendingSubmission::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name(RATE_LIMIT_WINDOW).table(RateLimit::Table).to_owned()).await
    }
}
