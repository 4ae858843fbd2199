//! Networks of practitioners: their members and roles, case studies submitted to them and the
//! decisions on each, reports to their organisers, and the collections organisers curate.
//! Network roles live in `network_member`; `role_grant` keeps the site-wide ones.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::{
    cascade, set_null, AppUser, CaseStudy, Collection, CollectionItem, CollectionNetwork, Network, NetworkFormerSlug, NetworkMember,
    Report, Submission, SubmissionChange,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Network::Table)
                    .col(pk_auto(Network::Id))
                    .col(string_len_uniq(Network::Slug, 80))
                    .col(string_len(Network::Name, 120))
                    .col(text(Network::Description))
                    .col(string_len(Network::Website, 500))
                    .col(string_len(Network::JoinPolicy, 20))
                    .col(string_len(Network::ReviewPolicy, 20))
                    .col(integer(Network::TrustedAfter).default(3))
                    .col(boolean(Network::IsDemo).default(false))
                    .col(timestamp_with_time_zone(Network::CreatedAt))
                    .col(timestamp_with_time_zone(Network::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NetworkFormerSlug::Table)
                    .col(string_len(NetworkFormerSlug::Slug, 80).primary_key())
                    .col(integer(NetworkFormerSlug::NetworkId))
                    .foreign_key(&mut cascade(
                        "fk_network_former_slug_network",
                        (NetworkFormerSlug::Table, NetworkFormerSlug::NetworkId),
                        (Network::Table, Network::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NetworkMember::Table)
                    .col(integer(NetworkMember::NetworkId))
                    .col(integer(NetworkMember::UserId))
                    .col(string_len(NetworkMember::Role, 20))
                    // active, requested (asked to join) or invited (asked by an organiser).
                    .col(string_len(NetworkMember::State, 20))
                    .col(timestamp_with_time_zone(NetworkMember::CreatedAt))
                    .col(timestamp_with_time_zone(NetworkMember::UpdatedAt))
                    .primary_key(Index::create().col(NetworkMember::NetworkId).col(NetworkMember::UserId))
                    .foreign_key(&mut cascade(
                        "fk_network_member_network",
                        (NetworkMember::Table, NetworkMember::NetworkId),
                        (Network::Table, Network::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_network_member_user",
                        (NetworkMember::Table, NetworkMember::UserId),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_network_member_user").table(NetworkMember::Table).col(NetworkMember::UserId).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Submission::Table)
                    .col(pk_auto(Submission::Id))
                    .col(integer(Submission::NetworkId))
                    .col(integer(Submission::CaseStudyId))
                    .col(integer_null(Submission::SubmittedBy))
                    .col(string_len(Submission::State, 20))
                    .col(text_null(Submission::Reason))
                    .col(integer_null(Submission::DecidedBy))
                    .col(timestamp_with_time_zone_null(Submission::DecidedAt))
                    // The case study's version when it was approved, to show reviewers what changed since.
                    .col(integer_null(Submission::ApprovedVersion))
                    .col(boolean(Submission::Hidden).default(false))
                    .col(timestamp_with_time_zone(Submission::CreatedAt))
                    .col(timestamp_with_time_zone(Submission::UpdatedAt))
                    .foreign_key(&mut cascade(
                        "fk_submission_network",
                        (Submission::Table, Submission::NetworkId),
                        (Network::Table, Network::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_submission_case_study",
                        (Submission::Table, Submission::CaseStudyId),
                        (CaseStudy::Table, CaseStudy::Id),
                    ))
                    .foreign_key(&mut set_null(
                        "fk_submission_submitter",
                        (Submission::Table, Submission::SubmittedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .foreign_key(&mut set_null(
                        "fk_submission_decider",
                        (Submission::Table, Submission::DecidedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_submission_network_case_study")
                    .table(Submission::Table)
                    .col(Submission::NetworkId)
                    .col(Submission::CaseStudyId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_submission_network_state")
                    .table(Submission::Table)
                    .col(Submission::NetworkId)
                    .col(Submission::State)
                    .col(Submission::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_submission_case_study").table(Submission::Table).col(Submission::CaseStudyId).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SubmissionChange::Table)
                    .col(pk_auto(SubmissionChange::Id))
                    .col(integer(SubmissionChange::SubmissionId))
                    .col(string_len(SubmissionChange::State, 20))
                    .col(text_null(SubmissionChange::Reason))
                    .col(integer_null(SubmissionChange::ChangedBy))
                    .col(timestamp_with_time_zone(SubmissionChange::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_submission_change_submission",
                        (SubmissionChange::Table, SubmissionChange::SubmissionId),
                        (Submission::Table, Submission::Id),
                    ))
                    .foreign_key(&mut set_null(
                        "fk_submission_change_user",
                        (SubmissionChange::Table, SubmissionChange::ChangedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_submission_change_submission")
                    .table(SubmissionChange::Table)
                    .col(SubmissionChange::SubmissionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Report::Table)
                    .col(pk_auto(Report::Id))
                    .col(integer(Report::NetworkId))
                    .col(integer(Report::CaseStudyId))
                    .col(integer_null(Report::ReportedBy))
                    .col(text(Report::Reason))
                    // open, dismissed or hidden (the case study was hidden from the network).
                    .col(string_len(Report::State, 20))
                    .col(integer_null(Report::ResolvedBy))
                    .col(timestamp_with_time_zone_null(Report::ResolvedAt))
                    .col(timestamp_with_time_zone(Report::CreatedAt))
                    .foreign_key(&mut cascade("fk_report_network", (Report::Table, Report::NetworkId), (Network::Table, Network::Id)))
                    .foreign_key(&mut cascade(
                        "fk_report_case_study",
                        (Report::Table, Report::CaseStudyId),
                        (CaseStudy::Table, CaseStudy::Id),
                    ))
                    .foreign_key(&mut set_null("fk_report_reporter", (Report::Table, Report::ReportedBy), (AppUser::Table, AppUser::Id)))
                    .foreign_key(&mut set_null("fk_report_resolver", (Report::Table, Report::ResolvedBy), (AppUser::Table, AppUser::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_report_network_state").table(Report::Table).col(Report::NetworkId).col(Report::State).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Collection::Table)
                    .col(pk_auto(Collection::Id))
                    .col(string_len_uniq(Collection::Slug, 80))
                    .col(string_len(Collection::Title, 150))
                    .col(text(Collection::Introduction))
                    .col(string_len(Collection::Status, 20))
                    .col(boolean(Collection::Featured).default(false))
                    .col(integer(Collection::Version).default(1))
                    .col(boolean(Collection::IsDemo).default(false))
                    .col(integer_null(Collection::CreatedBy))
                    .col(timestamp_with_time_zone(Collection::CreatedAt))
                    .col(timestamp_with_time_zone(Collection::UpdatedAt))
                    .foreign_key(&mut set_null(
                        "fk_collection_creator",
                        (Collection::Table, Collection::CreatedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CollectionNetwork::Table)
                    .col(integer(CollectionNetwork::CollectionId))
                    .col(integer(CollectionNetwork::NetworkId))
                    .primary_key(Index::create().col(CollectionNetwork::CollectionId).col(CollectionNetwork::NetworkId))
                    .foreign_key(&mut cascade(
                        "fk_collection_network_collection",
                        (CollectionNetwork::Table, CollectionNetwork::CollectionId),
                        (Collection::Table, Collection::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_collection_network_network",
                        (CollectionNetwork::Table, CollectionNetwork::NetworkId),
                        (Network::Table, Network::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_collection_network_network")
                    .table(CollectionNetwork::Table)
                    .col(CollectionNetwork::NetworkId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CollectionItem::Table)
                    .col(pk_auto(CollectionItem::Id))
                    .col(integer(CollectionItem::CollectionId))
                    // Emptied when the case study is deleted: its place stays, marked as gone.
                    .col(integer_null(CollectionItem::CaseStudyId))
                    .col(integer(CollectionItem::Position))
                    .col(text(CollectionItem::Note))
                    // The case study's title when it was added, for the place it leaves if it goes.
                    .col(string_len(CollectionItem::Title, 200))
                    .col(timestamp_with_time_zone(CollectionItem::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_collection_item_collection",
                        (CollectionItem::Table, CollectionItem::CollectionId),
                        (Collection::Table, Collection::Id),
                    ))
                    .foreign_key(&mut set_null(
                        "fk_collection_item_case_study",
                        (CollectionItem::Table, CollectionItem::CaseStudyId),
                        (CaseStudy::Table, CaseStudy::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_collection_item_position")
                    .table(CollectionItem::Table)
                    .col(CollectionItem::CollectionId)
                    .col(CollectionItem::Position)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_collection_item_case_study")
                    .table(CollectionItem::Table)
                    .col(CollectionItem::CaseStudyId)
                    .to_owned(),
            )
            .await?;
        // Lists of published case studies, newest first (the case study list, a network's page),
        // are paged from this index alone.
        manager
            .create_index(
                Index::create()
                    .name("ix_case_study_status_published")
                    .table(CaseStudy::Table)
                    .col(CaseStudy::Status)
                    .col(CaseStudy::PublishedAt)
                    .col(CaseStudy::Id)
                    .to_owned(),
            )
            .await?;
        // Network organisers were a role grant with a network; none can exist yet, as no network did.
        let db = manager.get_connection();
        db.execute_unprepared("DELETE FROM role_grant WHERE network_id IS NOT NULL").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ix_case_study_status_published").table(CaseStudy::Table).to_owned()).await?;
        for table in [
            CollectionItem::Table.into_iden(),
            CollectionNetwork::Table.into_iden(),
            Collection::Table.into_iden(),
            Report::Table.into_iden(),
            SubmissionChange::Table.into_iden(),
            Submission::Table.into_iden(),
            NetworkMember::Table.into_iden(),
            NetworkFormerSlug::Table.into_iden(),
            Network::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
