//! Datasets resolved from their links: the metadata their portal publishes, their health over
//! time, and the pacing of requests to each host that every instance shares.
//! The author's typed title, publisher, licence and format stay in their columns as the fallback.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::{cascade, CaseStudyDataset, Dataset, DatasetCheck, FetchHost};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            string_len_null(Dataset::ResolvedTitle, 500),
            text_null(Dataset::Description),
            string_len_null(Dataset::ResolvedPublisher, 200),
            string_len_null(Dataset::PublisherSlug, 200),
            string_len_null(Dataset::LicenceId, 120),
            string_len_null(Dataset::LicenceTitle, 200),
            string_len_null(Dataset::LicenceUrl, 500),
            boolean_null(Dataset::LicenceOpen),
            string_len_null(Dataset::Formats, 500),
            integer_null(Dataset::ResourceCount),
            timestamp_with_time_zone_null(Dataset::SourceModifiedAt),
            string_len_null(Dataset::UpdateFrequency, 60),
            integer_null(Dataset::UpdateEveryDays),
            string_len_null(Dataset::PortalKind, 20),
            string_len_null(Dataset::ApiUrl, 1000),
            timestamp_with_time_zone_null(Dataset::ResolvedAt),
            string_len(Dataset::Health, 20).default("unchecked").to_owned(),
            string_len_null(Dataset::HealthDetail, 1000),
            boolean(Dataset::Stale).default(false).to_owned(),
            timestamp_with_time_zone_null(Dataset::CheckedAt),
            timestamp_with_time_zone_null(Dataset::GoneSince),
            timestamp_with_time_zone_null(Dataset::WithdrawnSince),
            timestamp_with_time_zone_null(Dataset::NextCheckAt),
            timestamp_with_time_zone_null(Dataset::ClaimedUntil),
        ];
        for mut column in columns {
            manager.alter_table(Table::alter().table(Dataset::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter().table(CaseStudyDataset::Table).add_column(boolean(CaseStudyDataset::PreferOwn).default(false)).to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_dataset_next_check").table(Dataset::Table).col(Dataset::NextCheckAt).to_owned())
            .await?;
        manager
            .create_index(Index::create().name("ix_dataset_publisher_slug").table(Dataset::Table).col(Dataset::PublisherSlug).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_study_dataset_dataset")
                    .table(CaseStudyDataset::Table)
                    .col(CaseStudyDataset::DatasetId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DatasetCheck::Table)
                    .col(pk_auto(DatasetCheck::Id))
                    .col(integer(DatasetCheck::DatasetId))
                    .col(timestamp_with_time_zone(DatasetCheck::CheckedAt))
                    .col(string_len(DatasetCheck::Outcome, 20))
                    .col(integer_null(DatasetCheck::HttpStatus))
                    .col(string_len_null(DatasetCheck::Detail, 1000))
                    .foreign_key(&mut cascade(
                        "fk_dataset_check_dataset",
                        (DatasetCheck::Table, DatasetCheck::DatasetId),
                        (Dataset::Table, Dataset::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_dataset_check_dataset")
                    .table(DatasetCheck::Table)
                    .col(DatasetCheck::DatasetId)
                    .col(DatasetCheck::CheckedAt)
                    .to_owned(),
            )
            .await?;
        // The earliest moment, in milliseconds since 1970, the next request to a host may start:
        // a number, so that one statement on either database can reserve the next slot.
        manager
            .create_table(
                Table::create()
                    .table(FetchHost::Table)
                    .col(string_len(FetchHost::Host, 300).primary_key())
                    .col(big_integer(FetchHost::NextAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FetchHost::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(DatasetCheck::Table).to_owned()).await?;
        Ok(())
    }
}
