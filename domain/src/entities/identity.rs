use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub provider: String,
    pub subject: String,
    pub created_at: DateTimeUtc,
    /// The email address the provider vouched for at the latest sign-in, if any.
    pub email: Option<String>,
    /// The verified public-sector domain that email belongs to, re-checked at each sign-in.
    pub verified_domain: Option<String>,
    pub last_sign_in_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
