use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub display_name: String,
    pub organisation_id: Option<i32>,
    pub job_role: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub email: Option<String>,
    pub is_demo: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The person switched all email off.
    pub email_off: bool,
    /// Their mail server refused mail outright (a 5xx); nothing more is sent until they confirm the address again.
    pub email_bounced_at: Option<DateTimeUtc>,
    /// Temporary refusals in a row; too many suppress mail as a bounce does.
    pub email_soft_failures: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
