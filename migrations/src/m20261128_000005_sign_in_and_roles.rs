//! Signing in with OAuth and OpenID Connect providers: what each provider vouches for, sign-in
//! attempts in flight, roles, and sessions with an idle lifetime.
//!
//! Sessions are recreated rather than altered: their ids are now stored hashed, so sessions
//! from before this migration could not be found anyway. Everyone signs in again once.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000004_create_sessions;
use crate::tables::{cascade, AppUser, Identity, RoleGrant, Session, SignInAttempt};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [string_len_null(Identity::Email, 320), string_len_null(Identity::VerifiedDomain, 255)] {
            manager.alter_table(Table::alter().table(Identity::Table).add_column(column).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Identity::Table).add_column(timestamp_with_time_zone_null(Identity::LastSignInAt)).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoleGrant::Table)
                    .col(pk_auto(RoleGrant::Id))
                    .col(integer(RoleGrant::UserId))
                    .col(string_len(RoleGrant::Role, 40))
                    // Roles scoped to a network come with networks; a grant without one is site-wide.
                    .col(integer_null(RoleGrant::NetworkId))
                    .col(timestamp_with_time_zone(RoleGrant::CreatedAt))
                    .foreign_key(&mut cascade("fk_role_grant_user", (RoleGrant::Table, RoleGrant::UserId), (AppUser::Table, AppUser::Id)))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("ix_role_grant_user").table(RoleGrant::Table).col(RoleGrant::UserId).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInAttempt::Table)
                    .col(string_len(SignInAttempt::State, 64).primary_key())
                    .col(string_len(SignInAttempt::Provider, 60))
                    .col(string_len(SignInAttempt::PkceVerifier, 128))
                    .col(string_len_null(SignInAttempt::Nonce, 128))
                    .col(string_len(SignInAttempt::ReturnTo, 2000))
                    .col(integer_null(SignInAttempt::LinkUserId))
                    .col(timestamp_with_time_zone(SignInAttempt::ExpiresAt))
                    .foreign_key(&mut cascade(
                        "fk_sign_in_attempt_user",
                        (SignInAttempt::Table, SignInAttempt::LinkUserId),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(Session::Table).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(string_len(Session::Id, 64).primary_key())
                    .col(integer(Session::UserId))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::LastSeenAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .foreign_key(&mut cascade("fk_session_user", (Session::Table, Session::UserId), (AppUser::Table, AppUser::Id)))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("ix_session_user").table(Session::Table).col(Session::UserId).to_owned()).await?;
        manager.create_index(Index::create().name("ix_session_expires").table(Session::Table).col(Session::ExpiresAt).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Session::Table).to_owned()).await?;
        m20261128_000004_create_sessions::Migration.up(manager).await?;
        manager.drop_table(Table::drop().table(SignInAttempt::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RoleGrant::Table).to_owned()).await?;
        for column in [Identity::LastSignInAt, Identity::VerifiedDomain, Identity::Email] {
            manager.alter_table(Table::alter().table(Identity::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
