//! Case studies, what they link to, and the revision kept at every edit.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::{
    cascade, AppUser, CaseStudy, CaseStudyAuthor, CaseStudyDataset, CaseStudyOrganisation, CaseStudyPattern, CaseStudyTag, Dataset,
    Organisation, Pattern, Revision, Tag,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A table joining case studies to something else, removed with either side.
fn link_table(
    table: impl IntoIden + Copy + 'static,
    case_study_col: impl IntoIden + Copy + 'static,
    other_col: impl IntoIden + Copy + 'static,
    other: (impl IntoIden + 'static, impl IntoIden + 'static),
    name: &str,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(integer(case_study_col))
        .col(integer(other_col))
        .primary_key(Index::create().col(case_study_col).col(other_col))
        .foreign_key(&mut cascade(&format!("fk_{name}_case_study"), (table, case_study_col), (CaseStudy::Table, CaseStudy::Id)))
        .foreign_key(&mut cascade(&format!("fk_{name}_other"), (table, other_col), other))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CaseStudy::Table)
                    .col(pk_auto(CaseStudy::Id))
                    .col(string_len_uniq(CaseStudy::Slug, 120))
                    .col(string_len(CaseStudy::Title, 200))
                    .col(string_len(CaseStudy::Summary, 500))
                    .col(text(CaseStudy::Body))
                    .col(string_len(CaseStudy::ServiceArea, 40))
                    .col(string_len(CaseStudy::Phase, 20))
                    .col(string_len(CaseStudy::Status, 20))
                    .col(string_len(CaseStudy::Region, 120))
                    .col(date_null(CaseStudy::StartDate))
                    .col(date_null(CaseStudy::EndDate))
                    .col(text(CaseStudy::Outcomes))
                    .col(text(CaseStudy::Lessons))
                    .col(string_len(CaseStudy::Practices, 500))
                    .col(string_len(CaseStudy::Contact, 500))
                    .col(string_len(CaseStudy::Licence, 60))
                    .col(boolean(CaseStudy::Featured).default(false))
                    .col(boolean(CaseStudy::IsDemo).default(false))
                    .col(integer_null(CaseStudy::CreatedBy))
                    .col(timestamp_with_time_zone(CaseStudy::CreatedAt))
                    .col(timestamp_with_time_zone(CaseStudy::UpdatedAt))
                    .col(timestamp_with_time_zone_null(CaseStudy::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_study_created_by")
                            .from(CaseStudy::Table, CaseStudy::CreatedBy)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_study_status_updated")
                    .table(CaseStudy::Table)
                    .col(CaseStudy::Status)
                    .col(CaseStudy::UpdatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(link_table(
                CaseStudyAuthor::Table,
                CaseStudyAuthor::CaseStudyId,
                CaseStudyAuthor::UserId,
                (AppUser::Table, AppUser::Id),
                "case_study_author",
            ))
            .await?;
        manager
            .create_table(link_table(
                CaseStudyOrganisation::Table,
                CaseStudyOrganisation::CaseStudyId,
                CaseStudyOrganisation::OrganisationId,
                (Organisation::Table, Organisation::Id),
                "case_study_organisation",
            ))
            .await?;
        manager
            .create_table(link_table(
                CaseStudyPattern::Table,
                CaseStudyPattern::CaseStudyId,
                CaseStudyPattern::PatternId,
                (Pattern::Table, Pattern::Id),
                "case_study_pattern",
            ))
            .await?;
        manager
            .create_table(link_table(
                CaseStudyTag::Table,
                CaseStudyTag::CaseStudyId,
                CaseStudyTag::TagId,
                (Tag::Table, Tag::Id),
                "case_study_tag",
            ))
            .await?;
        let mut datasets = link_table(
            CaseStudyDataset::Table,
            CaseStudyDataset::CaseStudyId,
            CaseStudyDataset::DatasetId,
            (Dataset::Table, Dataset::Id),
            "case_study_dataset",
        );
        datasets.col(string_len(CaseStudyDataset::Usage, 1000).default(""));
        manager.create_table(datasets).await?;

        manager
            .create_table(
                Table::create()
                    .table(Revision::Table)
                    .col(pk_auto(Revision::Id))
                    .col(integer(Revision::CaseStudyId))
                    .col(integer_null(Revision::UserId))
                    .col(timestamp_with_time_zone(Revision::CreatedAt))
                    .col(text(Revision::Changed))
                    .col(text(Revision::Snapshot))
                    .foreign_key(&mut cascade(
                        "fk_revision_case_study",
                        (Revision::Table, Revision::CaseStudyId),
                        (CaseStudy::Table, CaseStudy::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_revision_user")
                            .from(Revision::Table, Revision::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_revision_case_study").table(Revision::Table).col(Revision::CaseStudyId).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Revision::Table.into_iden(),
            CaseStudyDataset::Table.into_iden(),
            CaseStudyTag::Table.into_iden(),
            CaseStudyPattern::Table.into_iden(),
            CaseStudyOrganisation::Table.into_iden(),
            CaseStudyAuthor::Table.into_iden(),
            CaseStudy::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
