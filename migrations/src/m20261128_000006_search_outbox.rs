//! The search outbox: each change to a case study leaves a row here in the same transaction, and
//! a worker applies it to the search index. No foreign key: a deleted case study still has to
//! leave the index.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::SearchOutbox;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchOutbox::Table)
                    .col(pk_auto(SearchOutbox::Id))
                    .col(integer(SearchOutbox::CaseStudyId))
                    .col(timestamp_with_time_zone(SearchOutbox::EnqueuedAt))
                    .col(integer(SearchOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(SearchOutbox::AvailableAt))
                    .col(text_null(SearchOutbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_search_outbox_available_at").table(SearchOutbox::Table).col(SearchOutbox::AvailableAt).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SearchOutbox::Table).to_owned()).await
    }
}
