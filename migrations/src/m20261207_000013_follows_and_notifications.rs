//! A community that talks: events say who did it and what changed; people follow things, are
//! told in the site, and by email at once or in digests; every mail is queued here first, once
//! per (person, cause), and unsubscribing needs only the token a mail carried.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::{cascade, AppUser, DigestRun, Event, Follow, Mail, Notification, UnsubscribeToken};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for mut column in [integer_null(Event::ActorId), text_null(Event::Payload)] {
            manager.alter_table(Table::alter().table(Event::Table).add_column(&mut column).to_owned()).await?;
        }
        let preferences = [
            boolean(AppUser::EmailOff).default(false).to_owned(),
            timestamp_with_time_zone_null(AppUser::EmailBouncedAt),
            integer(AppUser::EmailSoftFailures).default(0).to_owned(),
        ];
        for mut column in preferences {
            manager.alter_table(Table::alter().table(AppUser::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Follow::Table)
                    .col(pk_auto(Follow::Id))
                    .col(integer(Follow::UserId))
                    // network, pattern, tag, organisation, dataset, case_study or search.
                    .col(string_len(Follow::Target, 20))
                    // Its slug, id or (for a search) its query string, in a canonical order.
                    .col(string_len(Follow::TargetKey, 1000))
                    .col(string_len(Follow::Level, 20))
                    .col(string_len(Follow::Delivery, 20))
                    // Made by Casebook (an author of a case study, an organiser of a queue), not
                    // by the person; turning it down mutes it rather than deleting it, so that
                    // it is not made again.
                    .col(boolean(Follow::Automatic).default(false))
                    .col(timestamp_with_time_zone(Follow::CreatedAt))
                    .foreign_key(&mut cascade("fk_follow_user", (Follow::Table, Follow::UserId), (AppUser::Table, AppUser::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_follow_user_target")
                    .table(Follow::Table)
                    .col(Follow::UserId)
                    .col(Follow::Target)
                    .col(Follow::TargetKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_follow_target").table(Follow::Table).col(Follow::Target).col(Follow::TargetKey).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(big_pk_auto(Notification::Id))
                    .col(integer(Notification::UserId))
                    .col(big_integer(Notification::EventId))
                    .col(string_len(Notification::Kind, 40))
                    .col(integer_null(Notification::CaseStudyId))
                    .col(integer_null(Notification::NetworkId))
                    .col(integer_null(Notification::FollowId))
                    // Why this person was told, in words ("You follow the pattern …").
                    .col(string_len(Notification::Reason, 300))
                    // How it is owed by email: at_once, daily, weekly or none.
                    .col(string_len(Notification::Delivery, 20))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::ReadAt))
                    // The mail that carried it, once one has.
                    .col(big_integer_null(Notification::MailId))
                    .foreign_key(&mut cascade(
                        "fk_notification_user",
                        (Notification::Table, Notification::UserId),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_notification_once")
                    .table(Notification::Table)
                    .col(Notification::UserId)
                    .col(Notification::EventId)
                    .col(Notification::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notification_inbox")
                    .table(Notification::Table)
                    .col(Notification::UserId)
                    .col(Notification::ReadAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notification_digest")
                    .table(Notification::Table)
                    .col(Notification::Delivery)
                    .col(Notification::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Mail::Table)
                    .col(big_pk_auto(Mail::Id))
                    .col(integer(Mail::UserId))
                    .col(string_len(Mail::Address, 320))
                    // What it was sent for ("event:41:at_once", "digest:daily:7"): unique with the
                    // person, so that no cause is mailed twice, whichever instance handles it.
                    .col(string_len(Mail::DedupeKey, 80))
                    .col(string_len(Mail::Subject, 300))
                    .col(text(Mail::TextBody))
                    .col(text(Mail::HtmlBody))
                    .col(string_len(Mail::UnsubscribeToken, 64))
                    // queued, sent, bounced (5xx), failed (gave up after retries), suppressed.
                    .col(string_len(Mail::State, 20))
                    .col(integer(Mail::Attempts).default(0))
                    .col(timestamp_with_time_zone(Mail::AvailableAt))
                    .col(string_len_null(Mail::ClaimedBy, 80))
                    .col(timestamp_with_time_zone_null(Mail::ClaimedUntil))
                    .col(string_len_null(Mail::LastError, 500))
                    .col(timestamp_with_time_zone(Mail::CreatedAt))
                    .col(timestamp_with_time_zone_null(Mail::SentAt))
                    .foreign_key(&mut cascade("fk_mail_user", (Mail::Table, Mail::UserId), (AppUser::Table, AppUser::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ux_mail_once").table(Mail::Table).col(Mail::UserId).col(Mail::DedupeKey).unique().to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_mail_due").table(Mail::Table).col(Mail::State).col(Mail::AvailableAt).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UnsubscribeToken::Table)
                    .col(string_len(UnsubscribeToken::Token, 64).primary_key())
                    .col(integer(UnsubscribeToken::UserId))
                    // "all", or "follow:<id>".
                    .col(string_len(UnsubscribeToken::Scope, 40))
                    .col(timestamp_with_time_zone(UnsubscribeToken::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_unsubscribe_token_user",
                        (UnsubscribeToken::Table, UnsubscribeToken::UserId),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_unsubscribe_token_scope")
                    .table(UnsubscribeToken::Table)
                    .col(UnsubscribeToken::UserId)
                    .col(UnsubscribeToken::Scope)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The notifier starts at the log's end: a site that gains notifications must not tell
        // everyone of everything that ever happened.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO event_consumer (name, position, attempts) SELECT 'notifications', COALESCE(MAX(id), 0), 0 FROM event",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DigestRun::Table)
                    .col(pk_auto(DigestRun::Id))
                    .col(string_len(DigestRun::Period, 10))
                    // The window: events after `from_position`, up to and including `to_position`.
                    .col(big_integer(DigestRun::FromPosition))
                    .col(big_integer(DigestRun::ToPosition))
                    .col(timestamp_with_time_zone(DigestRun::CutAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_digest_run_window")
                    .table(DigestRun::Table)
                    .col(DigestRun::Period)
                    .col(DigestRun::FromPosition)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DELETE FROM event_consumer WHERE name = 'notifications'").await?;
        for table in [DigestRun::Table.into_iden(), UnsubscribeToken::Table.into_iden(), Mail::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(Notification::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Follow::Table).to_owned()).await?;
        for column in [AppUser::EmailSoftFailures, AppUser::EmailBouncedAt, AppUser::EmailOff] {
            manager.alter_table(Table::alter().table(AppUser::Table).drop_column(column).to_owned()).await?;
        }
        for column in [Event::Payload, Event::ActorId] {
            manager.alter_table(Table::alter().table(Event::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
