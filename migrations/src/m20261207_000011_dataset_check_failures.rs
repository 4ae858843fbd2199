//! Checks that fail: when a dataset's portal first stopped answering (so an alarm is raised only
//! once checks a day apart agree), how many claims in a row ended without an outcome, and a hold
//! that stops a dataset whose checks keep dying from being claimed again until an admin says so.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::Dataset;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            timestamp_with_time_zone_null(Dataset::UnreachableSince),
            integer(Dataset::CheckAttempts).default(0).to_owned(),
            timestamp_with_time_zone_null(Dataset::HeldSince),
            string_len_null(Dataset::CheckProblem, 500),
        ];
        for mut column in columns {
            manager.alter_table(Table::alter().table(Dataset::Table).add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Dataset::CheckProblem, Dataset::HeldSince, Dataset::CheckAttempts, Dataset::UnreachableSince] {
            manager.alter_table(Table::alter().table(Dataset::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
