use sea_orm::entity::prelude::*;

use crate::vocabulary::MailState;

/// One email, queued in the transaction that decided to send it, rendered, and sent once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i32,
    pub address: String,
    /// What it was sent for; unique with `user_id`.
    pub dedupe_key: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub unsubscribe_token: String,
    pub state: MailState,
    pub attempts: i32,
    pub available_at: DateTimeUtc,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
