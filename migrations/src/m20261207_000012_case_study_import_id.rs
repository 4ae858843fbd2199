//! The id a case study was imported under: a re-import updates only what that id brought in,
//! never a case study that merely has the same address.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::CaseStudy;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ux_case_study_import_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(CaseStudy::Table).add_column(string_len_null(CaseStudy::ImportId, 80)).to_owned()).await?;
        manager.create_index(Index::create().name(INDEX).table(CaseStudy::Table).col(CaseStudy::ImportId).unique().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(CaseStudy::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(CaseStudy::Table).drop_column(CaseStudy::ImportId).to_owned()).await
    }
}
