//! The groundwork for what follows sign-in: one event log that every change writes in its own
//! transaction (replacing the search outbox), a cursor per consumer of it, rate limits and
//! pending submissions kept in the database (so that every instance shares them), a version on
//! each case study (so that concurrent edits are noticed), and where an admin grant came from.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::{CaseStudy, Dataset, Event, EventConsumer, PendingSubmission, RateLimit, RoleGrant, SearchOutbox};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(CaseStudy::Table).add_column(integer(CaseStudy::Version).default(1)).to_owned()).await?;
        // "command" for `casebook admin grant`; "config" for CASEBOOK_ADMIN_EMAILS, which a sign-in
        // takes away again once the address has left the list.
        manager
            .alter_table(Table::alter().table(RoleGrant::Table).add_column(string_len(RoleGrant::Source, 20).default("command")).to_owned())
            .await?;
        // The form allows a 200-character licence; PostgreSQL held 120 (SQLite holds any length).
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager.alter_table(Table::alter().table(Dataset::Table).modify_column(string_len(Dataset::Licence, 200)).to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Event::Table)
                    .col(big_pk_auto(Event::Id))
                    .col(string_len(Event::Kind, 60))
                    .col(string_len(Event::Subject, 40))
                    .col(integer(Event::SubjectId))
                    .col(integer(Event::Version))
                    .col(timestamp_with_time_zone(Event::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventConsumer::Table)
                    .col(string_len(EventConsumer::Name, 200).primary_key())
                    .col(big_integer(EventConsumer::Position).default(0))
                    .col(string_len_null(EventConsumer::LeaseOwner, 64))
                    .col(timestamp_with_time_zone_null(EventConsumer::LeaseUntil))
                    .col(integer(EventConsumer::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(EventConsumer::AvailableAt))
                    .col(text_null(EventConsumer::LastError))
                    .to_owned(),
            )
            .await?;
        // Changes the outbox still held become events, so the index still hears of them.
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO event (kind, subject, subject_id, version, created_at) \
             SELECT 'case_study.changed', 'case_study', case_study_id, 0, enqueued_at FROM search_outbox ORDER BY id",
        )
        .await?;
        manager.drop_table(Table::drop().table(SearchOutbox::Table).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(RateLimit::Table)
                    .col(string_len(RateLimit::Bucket, 200))
                    .col(big_integer(RateLimit::WindowStart))
                    .col(integer(RateLimit::Count).default(0))
                    .primary_key(Index::create().col(RateLimit::Bucket).col(RateLimit::WindowStart))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PendingSubmission::Table)
                    .col(string_len(PendingSubmission::Token, 64).primary_key())
                    .col(string_len(PendingSubmission::Path, 500))
                    .col(text(PendingSubmission::Form))
                    .col(timestamp_with_time_zone(PendingSubmission::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            [PendingSubmission::Table.into_iden(), RateLimit::Table.into_iden(), EventConsumer::Table.into_iden(), Event::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        crate::m20261128_000006_search_outbox::Migration.up(manager).await?;
        manager.alter_table(Table::alter().table(RoleGrant::Table).drop_column(RoleGrant::Source).to_owned()).await?;
        manager.alter_table(Table::alter().table(CaseStudy::Table).drop_column(CaseStudy::Version).to_owned()).await
    }
}
