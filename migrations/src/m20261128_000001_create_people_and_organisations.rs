use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::{cascade, AppUser, Identity, Organisation};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(pk_auto(Organisation::Id))
                    .col(string_len_uniq(Organisation::Slug, 120))
                    .col(string_len(Organisation::Name, 200))
                    .col(string_len(Organisation::Kind, 40))
                    .col(string_len_null(Organisation::Website, 500))
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_auto(AppUser::Id))
                    .col(string_len(AppUser::DisplayName, 120))
                    .col(integer_null(AppUser::OrganisationId))
                    .col(string_len(AppUser::JobRole, 120))
                    .col(text(AppUser::Bio))
                    .col(string_len_null(AppUser::AvatarUrl, 500))
                    .col(string_len_null(AppUser::Email, 320))
                    .col(boolean(AppUser::IsDemo).default(false))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_app_user_organisation")
                            .from(AppUser::Table, AppUser::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Identity::Table)
                    .col(pk_auto(Identity::Id))
                    .col(integer(Identity::UserId))
                    .col(string_len(Identity::Provider, 60))
                    .col(string_len(Identity::Subject, 255))
                    .col(timestamp_with_time_zone(Identity::CreatedAt))
                    .foreign_key(&mut cascade("fk_identity_user", (Identity::Table, Identity::UserId), (AppUser::Table, AppUser::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_identity_provider_subject")
                    .table(Identity::Table)
                    .col(Identity::Provider)
                    .col(Identity::Subject)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Identity::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AppUser::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Organisation::Table).to_owned()).await
    }
}
